"""The shared cache (POLMAS_CACHE_URL): Django's own Redis backend, made to step aside when
the Redis or Valkey server does not answer.

What is kept there is only ever a copy (the kept dashboard pages of ADR 10): without it a page
is drawn afresh. So a cache that goes away must cost a page its shortcut, never its answer:
every read answers "not kept" and every write is dropped, with one warning in the log, and for
`RETRY_AFTER` seconds this process does not even try (otherwise each request would wait for
the connect timeout, twice). Rate limits and login lockouts are counted in the database
(reports.lookups.sender_checks, django-axes' database handler), which all app servers share
already, so nothing is lost while the cache is away.
"""

import logging
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("polmas.cache")

RETRY_AFTER = 5.0  # seconds without trying a server that did not answer


class SharedCache(RedisCache):
    """RedisCache whose failures are misses (reads) and no-ops (writes)."""

    _down_until = 0.0

    def _skip(self) -> bool:
        return time.monotonic() < self._down_until

    def _failed(self, exc: Exception) -> None:
        if not self._skip():
            logger.warning("shared cache unavailable (%s); drawing pages without it for %.0f s",
                           exc.__class__.__name__, RETRY_AFTER)
        self._down_until = time.monotonic() + RETRY_AFTER

    def up(self) -> bool:
        """Whether the server answers a PING now (for /readyz)."""
        try:
            super().has_key("polmas:readyz")  # any round trip to the server will do
            return True
        except (RedisError, OSError) as exc:
            self._failed(exc)
            return False

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        if self._skip():
            return default
        try:
            return super().get(key, default, version)
        except (RedisError, OSError) as exc:
            self._failed(exc)
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict:
        if self._skip():
            return {}
        try:
            return super().get_many(keys, version)
        except (RedisError, OSError) as exc:
            self._failed(exc)
            return {}

    def _write(self, method: str, *args: Any, **kwargs: Any) -> Any:
        if self._skip():
            return None
        try:
            return getattr(super(), method)(*args, **kwargs)
        except (RedisError, OSError) as exc:
            self._failed(exc)
            return None

    def set(self, *args: Any, **kwargs: Any) -> None:
        self._write("set", *args, **kwargs)

    def add(self, *args: Any, **kwargs: Any) -> bool:
        return bool(self._write("add", *args, **kwargs))

    def set_many(self, *args: Any, **kwargs: Any) -> list:
        return self._write("set_many", *args, **kwargs) or []

    def delete(self, *args: Any, **kwargs: Any) -> bool:
        return bool(self._write("delete", *args, **kwargs))

    def delete_many(self, *args: Any, **kwargs: Any) -> None:
        self._write("delete_many", *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> bool:
        return bool(self._write("touch", *args, **kwargs))

    def clear(self) -> bool:
        return bool(self._write("clear"))
