"""A small thread-safe LRU map with a size bound.

The searcher memoises per-term figures (idf, postings) and per-body token spans. Terms come from
what people type, so an unbounded dict grows with every new word (issue 15 measured ~65 MB per
1,000 long random questions); an LRU keeps the frequent ones and forgets the rest.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

_MISSING = object()


class LRU:
    def __init__(self, maxsize: int):
        if maxsize < 1:
            raise ValueError("maxsize must be >= 1")
        self.maxsize = maxsize
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, default=None):
        with self._lock:
            value = self._data.get(key, _MISSING)
            if value is _MISSING:
                return default
            self._data.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key) -> bool:
        return key in self._data
