"""Fixtures of the dashboard tests: one county on a real anvil and js-ipfs (tests/dashboard/scenario.py),
indexed by really syncing it. They use web3.py, not brownie's chain, so the root conftest's snapshot fixture
is replaced by a no-op here."""

from __future__ import annotations

import pytest

from govchain.config import PROJECT_ROOT, NetworkConfig

APP = str(PROJECT_ROOT / "dashboard" / "app.py")


@pytest.fixture(autouse=True)
def isolation():
    """No brownie chain here: overrides the root conftest's fn_isolation wrapper."""
    yield


@pytest.fixture(scope="session")
def ipfs_node(tmp_path_factory):
    from oracle.ipfs import JsIpfsNode

    node = JsIpfsNode(repo_dir=tmp_path_factory.mktemp("ipfs") / "repo")
    node.start()
    yield node
    node.remove()


@pytest.fixture(scope="session")
def county(tmp_path_factory, ipfs_node):
    from govchain.localnode import AnvilNode
    from tests.dashboard.scenario import build_county

    node = AnvilNode().start()
    try:
        yield build_county(tmp_path_factory.mktemp("county"), ipfs_node.api_url, node)
    finally:
        node.stop()


@pytest.fixture(scope="session")
def network(county) -> NetworkConfig:
    return county.chain.network_config()


@pytest.fixture(scope="session")
def synced_index(tmp_path_factory, county, network):
    """The county's events indexed by one real sync; the path of the index file."""
    from govchain.chain import Chain
    from indexer.store import EventStore
    from indexer.sync import sync_once

    path = tmp_path_factory.mktemp("index") / "index.sqlite"
    store = EventStore(path)
    sync_once(Chain(network), store)
    store.close()
    return path


@pytest.fixture
def site(monkeypatch, synced_index, county, network):
    monkeypatch.setenv("GOVCHAIN_INDEX", str(synced_index))
    monkeypatch.setenv("GOVCHAIN_REPORTS", str(county.reports))
    monkeypatch.setenv("GOVCHAIN_RPC_URL", network.rpc_url)
    monkeypatch.setenv("GOVCHAIN_CHAIN_ID", str(network.chain_id))
    monkeypatch.setenv("GOVCHAIN_DEPLOYMENTS", str(network.deployments_path))
    monkeypatch.setenv("GOVCHAIN_IPFS_API", county.ipfs_api)

    from streamlit.testing.v1 import AppTest

    def open_page(page: str | None = None) -> "AppTest":
        at = AppTest.from_file(APP, default_timeout=60).run()
        if page:
            at.switch_page(f"views/{page}").run()
        assert not at.exception, at.exception
        return at

    return open_page
