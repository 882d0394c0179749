"""A small key-value cache with expiry: in the process by default, in Redis when configured.

With one process (the embedded default) the in-process cache is enough. With several
gunicorn workers on several machines, `redis_url` makes what one worker learnt (a
platform's public key, a count of failed logins) known to all of them at once.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol

LOCAL_CACHE_LIMIT = 10_000


class SharedCache(Protocol):
    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str, ttl_seconds: int) -> None: ...

    def incr(self, key: str, ttl_seconds: int) -> int:
        """Add one to a counter that expires `ttl_seconds` after its first increment."""
        ...


class LocalCache:
    """Per-process cache; thread-safe, bounded, entries expire."""

    def __init__(self, clock: object = time.monotonic) -> None:
        self._entries: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def _now(self) -> float:
        return float(self._clock())  # type: ignore[operator]

    def get(self, key: str) -> str | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] <= self._now():
                self._entries.pop(key, None)
                return None
            return entry[1]

    def set(self, key: str, value: str, ttl_seconds: int) -> None:
        with self._lock:
            if len(self._entries) >= LOCAL_CACHE_LIMIT:
                now = self._now()
                self._entries = {k: v for k, v in self._entries.items() if v[0] > now}
                if len(self._entries) >= LOCAL_CACHE_LIMIT:
                    self._entries.clear()
            self._entries[key] = (self._now() + ttl_seconds, value)

    def incr(self, key: str, ttl_seconds: int) -> int:
        with self._lock:
            entry = self._entries.get(key)
            now = self._now()
            if entry is None or entry[0] <= now:
                entry = (now + ttl_seconds, "0")
            count = int(entry[1]) + 1
            self._entries[key] = (entry[0], str(count))
            return count


class RedisCache:
    """The same cache in Redis, shared by every process that uses the same server."""

    PREFIX = "ambassadeurs:"

    def __init__(self, client: object) -> None:
        self.client = client

    def get(self, key: str) -> str | None:
        value = self.client.get(self.PREFIX + key)  # type: ignore[attr-defined]
        return None if value is None else value.decode() if isinstance(value, bytes) else value

    def set(self, key: str, value: str, ttl_seconds: int) -> None:
        self.client.set(self.PREFIX + key, value, ex=ttl_seconds)  # type: ignore[attr-defined]

    def incr(self, key: str, ttl_seconds: int) -> int:
        pipeline = self.client.pipeline()  # type: ignore[attr-defined]
        pipeline.incr(self.PREFIX + key)
        pipeline.expire(self.PREFIX + key, ttl_seconds, nx=True)
        count, _ = pipeline.execute()
        return int(count)


def redis_client(url: str, timeout: float) -> object:
    """A Redis client for `url` with timeouts (it connects lazily, on first use)."""
    import redis

    return redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)


def make_cache(redis_url: str, timeout: float) -> tuple[SharedCache, object | None]:
    """The cache the settings ask for, and the Redis client behind it (None when local)."""
    if not redis_url:
        return LocalCache(), None
    client = redis_client(redis_url, timeout)
    return RedisCache(client), client
