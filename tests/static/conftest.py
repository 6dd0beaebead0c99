"""The static checks need no chain: the chain snapshot fixture of tests/conftest.py is replaced by a no-op, so
they run the same with or without brownie's pytest plugin."""

import pytest


@pytest.fixture(autouse=True)
def isolation():
    yield
