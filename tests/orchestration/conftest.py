"""Pure-Python tests of the demo's machinery (services, keystores, progress): no brownie chain here, so the
root conftest's snapshot fixture is replaced by a no-op."""

import pytest


@pytest.fixture(autouse=True)
def isolation():
    """No brownie chain here: overrides the root conftest's fn_isolation wrapper."""
    yield
