"""Fixtures of the end-to-end tests. They run on an anvil and a js-ipfs node of their own (web3.py, not brownie's
chain), so the chain snapshot fixture of tests/conftest.py is replaced by a no-op here."""

import pytest


@pytest.fixture(autouse=True)
def isolation():
    """No brownie chain here: overrides the root conftest's fn_isolation wrapper."""
    yield
