"""What the workspace keeps in memory, per process, of work that cannot change: a bounded map, the
least recently used out first, safe across the server's threads (overview.py's manifests,
assessments and dashboards; store.py's assessments of saved versions)."""

from __future__ import annotations

import threading
from collections import OrderedDict


class Kept:
    def __init__(self, size: int):
        self._items: OrderedDict = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key, make):
        """The value kept under key, or make()'s, then kept (two threads may both make it: the same)."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value
