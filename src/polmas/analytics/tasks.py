"""Background upkeep of the rollups: after a commit that changed reports, cases,
activities, meetings, postings or forums, recount the places touched.

A write adds its places to `RecountPending` inside its own transaction (one INSERT, a place
already waiting is skipped), and once it commits queues the recount, `rollups_drain_task`,
through `Task.enqueue()`: at most once per GATHER per thread, GATHER later. The recount
counts every place waiting, so under steady writes the rollups are recounted every few
seconds for every place touched, not once per write. Nothing here touches the task queue's
rows: a place waits in our own table until a recount has counted it."""

import datetime as dt
import threading
import time
import weakref

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from polmas.analytics.models import RecountPending
from polmas.analytics.services import rollups_refresh

# A recount runs this long after the write that queued it; a thread queues at most one per
# GATHER, and the writes until it runs wait in RecountPending for it.
GATHER = dt.timedelta(seconds=5)

# Places recounted per transaction: on SQLite a recount holds the database's write lock, and
# report intake waits for it (ADR 22). Between two chunks the recount pauses as long as the
# chunk held the lock (at least PAUSE): SQLite's busy handler retries after 1, 2, 5, 10, 15,
# 20, 25 ms, so a writer that began waiting during a chunk tries again within the pause that
# follows it. A fixed 10 ms pause was missed by writers already sleeping 20-25 ms between tries:
# at a constant 100 reports/s intake's p99 was 1.15 s with it, against 15 ms without a worker.
CHUNK = 10
PAUSE = 0.01  # seconds; an intake transaction takes about a millisecond

_queued = threading.local()  # .at: monotonic time this thread last queued a recount (committed)
_written = threading.local()  # .places: {(place, coverage): weakref to its on_commit callback}


def _recount(places: list[str], *, coverage: bool) -> list[int]:
    """Recount `places` CHUNK per transaction (each its own commit), pausing between them on
    SQLite so that report intake is not kept waiting behind a long recount."""
    ordered, months = sorted(set(places)), set()
    held = 0.0
    for start in range(0, len(ordered), CHUNK):
        if start and transaction.get_connection().vendor == "sqlite":
            time.sleep(max(PAUSE, held))
        began = time.monotonic()
        months |= rollups_refresh(places=ordered[start:start + CHUNK], coverage=coverage)
        held = time.monotonic() - began
    return sorted(months)


@task()
def rollups_refresh_task(places: list[str]) -> list[int]:
    """Recount `places` (village codes, or region codes of a police unit) up their chain:
    monthly figures and coverage."""
    return _recount(places, coverage=True)


@task()
def rollups_facts_task(places: list[str]) -> list[int]:
    """Recount the monthly figures of `places` up their chain, not their coverage: after
    routed reports, which coverage does not count."""
    return _recount(places, coverage=False)


def recount_pending() -> list[str]:
    """Recount every place waiting in RecountPending, then let them go; the places counted.

    The waiting rows are first marked taken: a write meanwhile adds a new row for the same
    place (the unique constraint covers waiting rows only), counted by the next recount.
    Rows taken by a recount that died (a killed worker) are counted again here."""
    RecountPending.objects.filter(taken=False).update(taken=True)
    rows = list(RecountPending.objects.filter(taken=True).values_list("pk", "place", "coverage"))
    if not rows:
        return []
    everything = {place for _, place, coverage in rows if coverage}
    facts = {place for _, place, coverage in rows if not coverage} - everything
    if everything:
        _recount(sorted(everything), coverage=True)
    if facts:
        _recount(sorted(facts), coverage=False)
    RecountPending.objects.filter(pk__in=[pk for pk, _, _ in rows]).delete()
    return sorted(everything | facts)


@task()
def rollups_drain_task() -> list[str]:
    """Recount the places waiting (recount_pending); the places counted. A run that counted
    any looks again GATHER later, for writes that committed while it ran and whose thread
    had queued a run just before (recount_soon)."""
    places = recount_pending()
    if places:
        _enqueue(run_after=timezone.now() + GATHER)
    return places


def _enqueue(*, run_after: dt.datetime) -> None:
    try:
        rollups_drain_task.using(run_after=run_after).enqueue()
    except Exception:  # noqa: BLE001  backends that cannot defer (immediate, dummy): at once
        rollups_drain_task.enqueue()


def _send() -> None:
    """Queue a recount GATHER from now, unless this thread queued one within GATHER (that
    run, due after this commit, counts this transaction's places too)."""
    now = time.monotonic()
    if now - getattr(_queued, "at", float("-inf")) < GATHER.total_seconds():
        return
    _queued.at = now
    _enqueue(run_after=timezone.now() + GATHER)


def _wait(places: tuple[str | None, ...], *, coverage: bool) -> None:
    """Add `places` to RecountPending in the current transaction, and queue the recount once
    it commits.

    A place already added by this transaction is not written again (a batch of 200 activities
    in one village is one row): each write registers a callback with `on_commit`, and
    `_written` keeps a weak reference to it per place. Django drops the callbacks of a
    rolled-back transaction or savepoint, and with them the rows written there: a place whose
    callback is gone is written again."""
    written = _written.__dict__.setdefault("places", {})
    keys = {(p, coverage) for p in places if p}
    new = sorted(k for k in keys if (ref := written.get(k)) is None or ref() is None)
    if not new:
        return
    RecountPending.objects.bulk_create([RecountPending(place=p, coverage=c) for p, c in new],
                                       ignore_conflicts=True)

    def committed() -> None:
        for key in new:
            if written.get(key) is mine:
                del written[key]
        _send()

    mine = weakref.ref(committed)
    if len(written) > 10_000:  # forget the places of rolled-back transactions
        for key in [k for k, r in written.items() if r() is None]:
            del written[key]
    written.update(dict.fromkeys(new, mine))
    transaction.on_commit(committed)  # outside a transaction: at once


def refresh_after_commit(*places: str | None) -> None:
    """Have `places` recounted (monthly figures and coverage) once the current transaction
    commits: they wait in RecountPending, written in this transaction, for the next recount."""
    _wait(places, coverage=True)


def facts_after_commit(*places: str | None) -> None:
    """refresh_after_commit for writes that cannot change coverage (routed reports): the
    monthly figures only."""
    _wait(places, coverage=False)
