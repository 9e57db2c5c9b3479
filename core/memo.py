"""What a process renders once and then reuses: :class:`ProcessMemo`.

The page chrome (``{% once %}``, ``{% site_header %}``, ``{% pwa_head %}``) and the lesson
player keep markup in each process under keys that name everything it was made from. They all
keep it here: at most ``size`` values, least recently used first out, safe under threads, and
forgotten when a setting changes (tests override settings; what was kept under the old ones
must not be served under the new).
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.core.signals import setting_changed

V = TypeVar("V")


class ProcessMemo(Generic[V]):
    """At most ``size`` values kept in this process under their keys, least recently used
    first out; forgotten when a setting changes."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        setting_changed.connect(self._forget, weak=False)

    def _forget(self, **kwargs: Any) -> None:
        self.clear()

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept under ``key``, else ``make()``'s, kept from then on."""
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
                return value
        value = make()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self._size:
                self._values.popitem(last=False)
        return value
