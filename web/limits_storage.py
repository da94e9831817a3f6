"""Rate-limit counts in this process's memory, swept inline instead of by a timer thread.

`limits`' own MemoryStorage starts a `threading.Timer` (10 ms) whenever its last one has run
out, so under steady traffic nearly every request started a thread, and that thread fought the
request for the GIL: about a fifth of a request's time on this 2-core machine (bench/profile.py).
This storage keeps the same counters and windows (it is MemoryStorage) and sweeps expired keys
from the request's own thread at most once per SWEEP_SECONDS, so memory stays bounded without
any thread. Expired windows are already ignored on read by MemoryStorage itself, so sweeping
less often changes no count, only when memory is returned.

Registered as the `kbmemory://` scheme (limits registers every Storage subclass by its
STORAGE_SCHEME), the default storage of web/embed.py.
"""
from __future__ import annotations

import threading
import time

from limits.storage import MemoryStorage

SWEEP_SECONDS = 1.0


class _NoTimer:
    """Stands in for MemoryStorage's timer: never alive, never started, nothing to cancel."""

    def is_alive(self) -> bool:
        return False

    def start(self) -> None:
        pass

    def cancel(self) -> None:
        pass


class SweptMemoryStorage(MemoryStorage):
    STORAGE_SCHEME = ["kbmemory"]  # noqa: RUF012  (the name limits' registry reads)

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.timer.cancel()                 # the one timer MemoryStorage started in __init__
        self.timer = _NoTimer()             # type: ignore[assignment]
        self._sweep_lock = threading.Lock()
        self._next_sweep = time.monotonic() + SWEEP_SECONDS

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self.timer.cancel()
        self.timer = _NoTimer()             # type: ignore[assignment]
        self._sweep_lock = threading.Lock()
        self._next_sweep = time.monotonic() + SWEEP_SECONDS

    def _MemoryStorage__schedule_expiry(self) -> None:  # replaces the parent's private hook
        """Called by MemoryStorage on every hit: sweep inline when the last sweep is old enough."""
        now = time.monotonic()
        if now < self._next_sweep or not self._sweep_lock.acquire(blocking=False):
            return
        try:
            self._next_sweep = now + SWEEP_SECONDS
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]
            self._drop_empty_windows()
        finally:
            self._sweep_lock.release()

    def _drop_empty_windows(self) -> None:
        """MemoryStorage empties an expired moving window but keeps its key (one list per client
        address ever seen); drop those too, under the key's lock, so memory follows live clients."""
        for key in [k for k, events in self.events.items() if not events]:
            with self.locks[key]:
                if not self.events.get(key, True):
                    self.events.pop(key, None)
                    self.locks.pop(key, None)

    def key_count(self) -> int:
        """Keys still held (counters and moving windows), for tests and /api/health-style checks."""
        return len(set(self.storage) | set(self.events))
