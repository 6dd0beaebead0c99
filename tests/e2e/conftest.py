"""Fixtures of the end-to-end tests. They run on an anvil and a js-ipfs node of their own (web3.py, not brownie's
chain), so the chain snapshot fixture of tests/conftest.py is replaced by a no-op here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest

from govchain.localnode import AnvilNode
from oracle.ipfs import JsIpfsNode
from orchestration import flow
from tests.oracle.chain import LocalChain


@pytest.fixture(autouse=True)
def isolation():
    """No brownie chain here: overrides the root conftest's fn_isolation wrapper."""
    yield


@contextmanager
def deployed_platform(work: Path, people: int = flow.DEMO_PEOPLE, **anvil) -> Iterator[SimpleNamespace]:
    """What every end-to-end module starts from, under ``work``: an anvil (``anvil``: AnvilNode's options) and a
    js-ipfs node of its own, the platform deployed with k = 2, a synthetic county of ``people`` with the
    pipeline's results, and a pseudonymisation key. Both nodes are stopped by PID on leaving."""
    node = AnvilNode(**{"state_file": work / "anvil" / "state.json", "log_file": work / "anvil.log", **anvil})
    ipfs_node = JsIpfsNode(repo_dir=work / "ipfs" / "repo")
    with node, ipfs_node:
        chain = LocalChain(node, work)
        chain.deploy_platform(quorum=2)
        yield SimpleNamespace(
            chain=chain, network=chain.network_config(), ipfs_node=ipfs_node, sources=work / "sources",
            table=flow.prepare_data(work / "sources", work / "results", people=people, log=lambda _: None),
            key=flow.PseudonymKeyFile.ensure(work / "key"))
