"""The KPI rules need no chain: tests/conftest.py's chain snapshot fixture is replaced by a no-op here, so these
tests run the same with or without brownie's pytest plugin."""

import pytest


@pytest.fixture(autouse=True)
def isolation():
    """No chain to restore."""
