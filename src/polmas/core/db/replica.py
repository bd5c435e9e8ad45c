"""Heavy reads on a PostgreSQL streaming replica (DATABASE_REPLICA_URL), everything else on
the primary, and the primary whenever the replica is behind or gone (ADR 30).

Which reads go there is said explicitly, never guessed from the model: a view decorated
with `replica_view` (dashboards, /statistik/, exports) or a block under `replica_reads()`
reads through the alias "replica" while the replica is fresh. Writes always go to the
primary, and so do all reads of a browser that wrote in the last POLMAS_REPLICA_PIN_SECONDS
(a cookie set on the answer to any POST, PUT, PATCH or DELETE): a user sees their own write.

The replica is asked how far behind it is at most every POLMAS_REPLICA_CHECK_SECONDS per
process; one behind more than POLMAS_REPLICA_MAX_LAG_SECONDS, not in recovery (promoted) or
not answering is left alone until the next check, each read that would have gone there is
counted as a fallback, and the change is logged. A decorated view whose replica dies under it
is run again on the primary (a GET writes nothing, so running it again is safe): no 500.

It is here (core/db) because it names PostgreSQL's recovery functions and reads the
backend's connection parameters for the start-up probe. The figure it buys: the dashboards'
and /statistik/'s reads leave the primary (tests/core/test_replica_cluster.py counts them on
the replica with pg_stat_statements).
"""

import contextlib
import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("polmas.replica")

REPLICA = "replica"
PIN_COOKIE = "polmas_primary"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
# Seconds behind the primary: 0 when everything received is replayed (an idle primary sends
# nothing, so the last replayed transaction's age says nothing then), else the age of the last
# replayed transaction.
LAG_SQL = ("SELECT pg_is_in_recovery(), CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() "
           "THEN 0 ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END")
# Errors after which the replica's connection is thrown away and the read done on the primary:
# the server gone (OperationalError, InterfaceError), a query cancelled by recovery (40001).
CONNECTION_ERRORS = (OperationalError, InterfaceError)

_reading = contextvars.ContextVar("polmas_replica_reading", default=False)
_pinned = contextvars.ContextVar("polmas_replica_pinned", default=False)


@dataclass
class Status:
    configured: bool = False
    ok: bool = False
    lag_seconds: float | None = None
    reason: str = "not checked yet"
    checked: float = float("-inf")  # time.monotonic() of the last check
    fallbacks: int = 0  # reads sent to the primary because the replica was behind or gone
    reads: int = 0  # blocks and views that read from the replica


_status = Status()
_lock = threading.Lock()


def configured() -> bool:
    return REPLICA in settings.DATABASES


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def _drop_connection() -> None:
    conn = connections[REPLICA]
    try:
        conn.close()
    except CONNECTION_ERRORS:
        conn.connection = None  # closing a dead socket failed: forget it


def _set(ok: bool, lag: float | None, reason: str, *, quiet: bool = False) -> None:
    """Record a check's outcome; log when reads change side, or fail for another reason."""
    kind = reason.split(":")[0]
    with _lock:
        was_ok, was_kind = _status.ok, _status.reason.split(":")[0]
        _status.ok, _status.lag_seconds, _status.reason = ok, lag, reason
        _status.checked = time.monotonic()
    if quiet:
        return
    if ok and not was_ok and was_kind != "not checked yet":
        logger.warning("replica: reads go to the replica again (%s)", reason)
    elif not ok and (was_ok or kind != was_kind):
        logger.warning("replica: reads go to the primary: %s", reason)


def _check() -> None:
    """Ask the replica how far behind it is, on this thread's connection to it."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(LAG_SQL)
            recovering, lag = cursor.fetchone()
    except CONNECTION_ERRORS as exc:
        _drop_connection()
        _set(False, None, f"does not answer: {_first_line(exc)}")
        return
    lag = float(lag or 0)
    limit = settings.POLMAS_REPLICA_MAX_LAG_SECONDS
    if not recovering:
        _set(False, lag, "not in recovery: it is not a streaming replica (promoted?)")
    elif lag > limit:
        _set(False, lag, f"lagging: {lag:.1f} s behind the primary (POLMAS_REPLICA_MAX_LAG_SECONDS={limit})")
    else:
        _set(True, lag, f"{lag:.1f} s behind the primary")


def replica_status(*, refresh: bool = False) -> dict:
    """The replica as this process last saw it: configured, ok, lag_seconds, reason,
    fallbacks, reads (for /readyz and the metrics). `refresh`: ask it now."""
    if not configured():
        state = asdict(Status(reason="DATABASE_REPLICA_URL is not set"))
        del state["checked"]
        return state | {"age_seconds": None}
    if refresh or time.monotonic() - _status.checked >= settings.POLMAS_REPLICA_CHECK_SECONDS:
        _check()
    with _lock:
        state = asdict(_status) | {"configured": True}
    checked = state.pop("checked")
    age = None if checked == float("-inf") else round(time.monotonic() - checked, 3)
    return state | {"age_seconds": age}


def _count(field: str) -> None:
    with _lock:
        setattr(_status, field, getattr(_status, field) + 1)


def _usable() -> bool:
    """Should the next read go to the replica? Counts a fallback when it should not."""
    if not configured() or _pinned.get():
        return False
    if time.monotonic() - _status.checked >= settings.POLMAS_REPLICA_CHECK_SECONDS:
        _check()
    if _status.ok:
        _count("reads")
        return True
    _count("fallbacks")
    return False


@contextlib.contextmanager
def replica_reads() -> Iterator[str]:
    """Route the reads of this block to the replica while it is fresh; yields the alias the
    reads go to. A replica lost in the middle of the block raises as any database error
    would: use replica_view for a view, which runs it again on the primary."""
    use = _usable()
    token = _reading.set(use)
    try:
        yield REPLICA if use else DEFAULT_DB_ALIAS
    finally:
        _reading.reset(token)


def _replica_failed(exc: BaseException) -> bool:
    """Was `exc` the replica's failure (it no longer answers, or recovery cancelled the
    query), rather than the primary's?"""
    if getattr(exc.__cause__, "sqlstate", None) == "40001":
        return True
    conn = connections[REPLICA]
    return conn.connection is None or not conn.is_usable()  # never connected: the connect failed


def replica_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorate a GET view whose reads may come from the replica (put it innermost, below
    login_required: the session and the user are read from the primary). If the replica
    fails during the view, the view is run again on the primary."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not configured() or request.method not in SAFE_METHODS:
            return view(request, *args, **kwargs)
        with replica_reads() as alias:
            if alias == DEFAULT_DB_ALIAS:
                return view(request, *args, **kwargs)
            try:
                return view(request, *args, **kwargs)
            except CONNECTION_ERRORS as exc:
                if not _replica_failed(exc):
                    raise
                _drop_connection()
                _set(False, None, f"failed during a read: {_first_line(exc)}")
                _count("fallbacks")
        return view(request, *args, **kwargs)  # on the primary

    return wrapped


class ReplicaRouter:
    """Reads inside replica_reads()/replica_view go to the replica; every other read and
    every write to the primary (also the save of an object read from the replica)."""

    def db_for_read(self, model: type, **hints: object) -> str:
        return REPLICA if _reading.get() else DEFAULT_DB_ALIAS

    def db_for_write(self, model: type, **hints: object) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: object, obj2: object, **hints: object) -> bool:
        return True  # the same rows on both

    def allow_migrate(self, db: str, app_label: str, **hints: object) -> bool | None:
        return False if db == REPLICA else None


class PinMiddleware:
    """A browser that wrote reads from the primary for POLMAS_REPLICA_PIN_SECONDS after: the
    answer to a POST (PUT, PATCH, DELETE) sets a short cookie, and a request carrying it
    reads nothing from the replica. The cookie holds nothing: forging it only costs the
    primary a read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _pinned.set(PIN_COOKIE in request.COOKIES)
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if request.method not in SAFE_METHODS and settings.POLMAS_REPLICA_PIN_SECONDS:
            response.set_cookie(PIN_COOKIE, "1", max_age=settings.POLMAS_REPLICA_PIN_SECONDS,
                                httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        return response


def startup_probe() -> None:
    """At start: a replica that does not connect gets a clear warning, and reads go to the
    primary until a later check finds it (with the plain driver: Django warns against its
    connections while the apps load)."""
    import psycopg

    params = connections[REPLICA].get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.setdefault("connect_timeout", 3)
    where = f"{params.get('host') or 'localhost'}:{params.get('port') or 5432}/{params.get('dbname', '')}"
    try:
        with psycopg.connect(**params) as conn:
            recovering = conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]
    except psycopg.Error as exc:
        logger.warning("DATABASE_REPLICA_URL: the replica at %s does not connect (%s); the app "
                       "reads from the primary until it does", where, _first_line(exc))
        _set(False, None, f"does not answer: {_first_line(exc)}", quiet=True)
        return
    if not recovering:
        logger.warning("DATABASE_REPLICA_URL: %s is not in recovery (not a streaming replica); "
                       "the app reads from the primary", where)
