"""Fixtures shared by the tests of ``tests/``."""

from collections.abc import Iterator

import pytest
from django.db import connection


@pytest.fixture
def nothing_prepared() -> Iterator[None]:
    """This connection without prepared statements before and after the test: a test that
    leaves it sending plain SQL (or the server without a statement the connection believes
    it has) would change what later tests see."""
    from django.db import connections

    from core import compiled as module

    def forget() -> None:
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")
        connections["default"].__dict__.pop(module._PREPARED_ON, None)

    forget()
    yield
    forget()
