"""core.batch: the cyclic collector is paused inside the block and restored after it."""

import gc

import pytest

from core.batch import cyclic_gc_paused


def test_collector_is_paused_inside_and_back_on_after_also_on_error() -> None:
    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    seen = []

    def fail_inside() -> None:
        with cyclic_gc_paused():
            seen.append(gc.isenabled())
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        fail_inside()
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with cyclic_gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
