"""The in-memory rate-limit storage: same counts as limits' own, no thread per request, bounded."""
from __future__ import annotations

import threading
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from web import limits_storage
from web.limits_storage import SweptMemoryStorage


def test_the_scheme_names_this_storage():
    assert isinstance(storage_from_string("kbmemory://"), SweptMemoryStorage)


def test_counts_like_a_moving_window_and_starts_no_thread():
    storage = SweptMemoryStorage()
    limiter = MovingWindowRateLimiter(storage)
    rate = parse("5/minute")
    before = threading.active_count()
    results = [limiter.hit(rate, "client-a") for _ in range(7)]
    assert results == [True] * 5 + [False, False]
    assert limiter.hit(rate, "client-b")            # another client has its own window
    assert threading.active_count() == before       # limits' MemoryStorage starts a Timer thread here
    assert storage.key_count() == 2


def test_expired_windows_are_swept_inline(monkeypatch):
    monkeypatch.setattr(limits_storage, "SWEEP_SECONDS", 0.0)
    storage = SweptMemoryStorage()
    limiter = MovingWindowRateLimiter(storage)
    rate = parse("2/second")
    for i in range(50):
        assert limiter.hit(rate, f"client-{i}")
    time.sleep(1.1)                                   # every window above has ended
    assert limiter.hit(rate, "late")                  # a hit sweeps what has expired
    assert storage.key_count() == 1


def test_a_full_window_opens_again_when_it_ends():
    storage = SweptMemoryStorage()
    limiter = MovingWindowRateLimiter(storage)
    rate = parse("1/second")
    assert limiter.hit(rate, "c")
    assert not limiter.hit(rate, "c")
    time.sleep(1.05)
    assert limiter.hit(rate, "c")
