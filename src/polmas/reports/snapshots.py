"""Per-process copies of the small, rarely edited tables that every report reads: the
category catalogue, which villages exist, and each village's Polsek.

Each worker keeps its own copy for `TTL` seconds. An edit saved in this process (the admin,
`units_build`, a test) empties it at once through the model signals; other processes see
the edit within `TTL`. What a read inside a transaction finds is never kept, because the
transaction may still roll back: only reads in autocommit mode (an ordinary request) fill
the copy.
"""

import threading
import time
from collections.abc import Callable

from django.db import connection
from django.db.models.signals import post_delete, post_save

TTL = 60.0  # seconds


def outside_transaction() -> bool:
    return not connection.in_atomic_block


class Snapshot[T]:
    """`get()` answers `load()`, kept for `ttl` seconds when `keep()` allows it."""

    def __init__(self, load: Callable[[], T], *, ttl: float = TTL,
                 keep: Callable[[], bool] = outside_transaction) -> None:
        self._load, self.ttl, self._keep = load, ttl, keep
        self._value: T | None = None
        self._until = 0.0
        self._lock = threading.Lock()

    def get(self) -> T:
        value, until = self._value, self._until
        if value is not None and time.monotonic() < until:
            return value
        value = self._load()
        if self._keep():
            with self._lock:
                self._value, self._until = value, time.monotonic() + self.ttl
        return value

    def clear(self, *args: object, **kwargs: object) -> None:
        """Forget the copy (also usable as a signal receiver)."""
        with self._lock:
            self._value, self._until = None, 0.0

    @property
    def held(self) -> bool:
        return self._value is not None and time.monotonic() < self._until


class Memo[T]:
    """A per-key memo (village code -> answer) under the same rules as Snapshot: emptied
    every `ttl` seconds and by `clear()`; answers read inside a transaction are not kept,
    nor those `remember()` refuses (say, "no such village" for codes anyone can make up)."""

    def __init__(self, load: Callable[[str], T], *, ttl: float = TTL,
                 keep: Callable[[], bool] = outside_transaction,
                 remember: Callable[[T], bool] = lambda value: True) -> None:
        self._load, self.ttl, self._keep, self._remember = load, ttl, keep, remember
        self._values: dict[str, T] = {}
        self._until = 0.0

    def get(self, key: str, *, keep: bool | None = None) -> T:
        """The answer for `key`. `keep=True`: the caller's transaction writes none of the
        rows the answer comes from, so what it reads may be kept (routing's batches)."""
        now = time.monotonic()
        if now >= self._until:
            self._values = {}
            self._until = now + self.ttl
        values = self._values
        if key in values:
            return values[key]
        value = self._load(key)
        if self._remember(value) and (self._keep() if keep is None else keep):
            values[key] = value
        return value

    def clear(self, *args: object, **kwargs: object) -> None:
        self._values = {}

    def __contains__(self, key: str) -> bool:
        return key in self._values and time.monotonic() < self._until


def clear_on_change(cache: "Snapshot | Memo", *models: type, uid: str) -> None:
    """Empty `cache` whenever a row of `models` is saved or deleted in this process."""
    for model in models:
        name = f"{uid}-{model._meta.label_lower}"
        post_save.connect(cache.clear, sender=model, dispatch_uid=name, weak=False)
        post_delete.connect(cache.clear, sender=model, dispatch_uid=name, weak=False)
