"""Fixtures of learning's tests."""

from collections.abc import Iterator

import pytest

from learning.registry import purchase_kinds
from learning.tests.payments import Gadgets


@pytest.fixture
def gadgets() -> Iterator[Gadgets]:
    """A throwaway purchase kind, "gadget", registered for the test (and unregistered after):
    ``gadgets.fulfilled`` and ``gadgets.released`` record what payments asked of it."""
    kind = Gadgets()
    purchase_kinds.register(kind.kind())
    yield kind
    purchase_kinds.unregister("gadget")
