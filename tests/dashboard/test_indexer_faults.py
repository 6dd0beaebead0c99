"""The indexer under faults, on a chain of its own: a node that refuses large log ranges, a reorg, a node
restarted from its state file, and the indexer SIGKILLed at random moments. Each ends equal to a clean sync."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from eth_account import Account

from govchain.chain import Chain
from govchain.config import PROJECT_ROOT
from govchain.deployments import DeploymentRegistry
from govchain.events import LogRangeError
from govchain.localnode import AnvilNode, free_port
from govchain.roles import role_id
from indexer.store import EventStore, IndexNotReadyError
from indexer.sync import sync_once
from tests.oracle.chain import LocalChain

VILLAGE = 530102001001
GRANTS = 150
KILLS = int(os.environ.get("GOVCHAIN_INDEXER_KILLS", "5"))  # the 20: GOVCHAIN_INDEXER_KILLS=20


def grant_many(chain: LocalChain, count: int) -> None:
    """``count`` role grants (two events each: RoleGrantedIn and the official id), sent without waiting."""
    web3, roles = chain.web3, chain.roles
    nonce = web3.eth.get_transaction_count(chain.admin)
    hashes = [roles.functions.grantRoleIn(role_id("GRID_WORKER"), Account.create().address, VILLAGE)
              .transact({"from": chain.admin, "nonce": nonce + i, "gas": 300_000}) for i in range(count)]
    web3.eth.wait_for_transaction_receipt(hashes[-1], timeout=120)


@pytest.fixture(scope="module")
def busy(tmp_path_factory):
    """anvil (state kept in a file) with the registries and a few hundred role events."""
    workdir = tmp_path_factory.mktemp("busy")
    node = AnvilNode(state_file=workdir / "state.json").start()
    chain = LocalChain(node, workdir)
    chain.deploy_platform(quorum=1)
    grant_many(chain, GRANTS)
    yield chain
    node.stop()


def clean_sync(chain: LocalChain, path) -> list[tuple]:
    store = EventStore(path)
    sync_once(Chain(chain.network_config()), store)
    dump = store.dump()
    store.close()
    return dump


class RangeLimitProxy:
    """A JSON-RPC proxy in front of anvil that refuses eth_getLogs over more than ``limit`` blocks, as Besu
    (--rpc-max-logs-range) and hosted nodes do; anvil itself has no such limit, so this fault is simulated."""

    def __init__(self, upstream: str, limit: int):
        self.upstream, self.limit, self.spans = upstream, limit, []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                calls = body if isinstance(body, list) else [body]
                refused = None
                for call in calls:
                    if call.get("method") == "eth_getLogs":
                        span = int(call["params"][0]["toBlock"], 16) - int(call["params"][0]["fromBlock"], 16) + 1
                        proxy.spans.append(span)
                        if span > proxy.limit:
                            refused = {"jsonrpc": "2.0", "id": call["id"],
                                       "error": {"code": -32005, "message": f"exceeds max block range {proxy.limit}"}}
                answer = json.dumps(refused).encode() if refused else requests.post(
                    proxy.upstream, json=body, timeout=30).content
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_a_node_refusing_large_log_ranges_is_read_in_halved_ranges(busy, tmp_path):
    reference = clean_sync(busy, tmp_path / "reference.sqlite")
    proxy = RangeLimitProxy(busy.node.rpc_url, limit=7)
    try:
        config = busy.network_config()
        chain = Chain(type(config)(proxy.url, config.chain_id, config.deployments_path, config.build_dir))
        store = EventStore(tmp_path / "limited.sqlite")
        sync_once(chain, store, max_range=1000)
        assert store.dump() == reference
        assert max(proxy.spans) > 7 and any(span <= 7 for span in proxy.spans)
    finally:
        proxy.close()


def test_a_node_refusing_even_one_block_stops_the_sync_with_a_clear_error(busy, tmp_path):
    proxy = RangeLimitProxy(busy.node.rpc_url, limit=0)
    try:
        config = busy.network_config()
        chain = Chain(type(config)(proxy.url, config.chain_id, config.deployments_path, config.build_dir))
        store = EventStore(tmp_path / "refused.sqlite")
        with pytest.raises(LogRangeError, match="refuses eth_getLogs even for block"):
            sync_once(chain, store, max_range=1000)
        assert store.counts() == {}
    finally:
        proxy.close()


def test_a_reorg_replaces_the_orphaned_events(tmp_path):
    with AnvilNode() as node:
        chain = LocalChain(node, tmp_path)
        chain.deploy_platform(quorum=1)
        web3 = chain.web3
        snapshot = web3.provider.make_request("evm_snapshot", [])["result"]
        orphan, survivor = Account.create().address, Account.create().address

        def grant(who):
            return web3.eth.wait_for_transaction_receipt(
                chain.roles.functions.grantRoleIn(role_id("GRID_WORKER"), who, VILLAGE).transact({"from": chain.admin}))

        grant(orphan)
        store = EventStore(tmp_path / "index.sqlite")
        sync_once(Chain(chain.network_config()), store)
        assert any(r.args.get("account") == orphan for r in store.events("RoleRegistry"))

        web3.provider.make_request("evm_revert", [snapshot])  # the block holding the orphan's grant is gone
        grant(survivor)
        report = sync_once(Chain(chain.network_config()), store)
        accounts = {r.args.get("account") for r in store.events("RoleRegistry")}
        assert survivor in accounts and orphan not in accounts
        # The revert took every block after the platform's deployment: each contract rewinds.
        assert sorted(report.rewound) == sorted(DeploymentRegistry(chain.deployments).all(web3.eth.chain_id))
        assert store.dump() == clean_sync(chain, tmp_path / "clean.sqlite")


def test_the_index_resumes_after_the_node_restarts_from_its_state(busy, tmp_path):
    store = EventStore(tmp_path / "index.sqlite")
    sync_once(Chain(busy.network_config()), store)
    busy.node.stop()
    busy.node.start()  # same port, state restored from its file
    grant_many(busy, 5)
    report = sync_once(Chain(busy.network_config()), store)
    assert report.rewound == [] and 0 < report.events_written <= 10 + 2 * 12
    assert store.dump() == clean_sync(busy, tmp_path / "clean.sqlite")


def test_an_indexer_killed_at_random_moments_ends_equal_to_an_uninterrupted_run(busy, tmp_path):
    reference = clean_sync(busy, tmp_path / "reference.sqlite")
    config = busy.network_config()
    command = [sys.executable, "-m", "indexer", "sync", "--db", str(tmp_path / "killed.sqlite"), "--progress",
               "--max-range", "2", "--rpc-url", config.rpc_url, "--chain-id", str(config.chain_id),
               "--deployments", str(config.deployments_path)]
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    rng = random.Random(12)
    kills = 0
    for _ in range(KILLS):
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, text=True)
        try:
            process.stdout.readline()  # the first range is stored: the sync is under way
            time.sleep(rng.uniform(0, 0.4))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert kills >= KILLS // 2  # most kills landed during a sync, not after it ended
    finished = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    store = EventStore(tmp_path / "killed.sqlite")
    assert store.dump() == reference


def test_a_following_indexer_rides_out_a_node_restart(busy, tmp_path):
    config = busy.network_config()
    index = tmp_path / "followed.sqlite"
    command = [sys.executable, "-m", "indexer", "sync", "--follow", "--poll", "0.2", "--db", str(index),
               "--rpc-url", config.rpc_url, "--chain-id", str(config.chain_id),
               "--deployments", str(config.deployments_path)]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=dict(os.environ, PYTHONPATH=str(PROJECT_ROOT)),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def indexed_grants() -> int:
        try:
            store = EventStore(index, read_only=True)
        except IndexNotReadyError:  # the follower has not created its tables yet
            return 0
        try:
            return store.counts().get(("RoleRegistry", "RegionalRoleGranted"), 0)
        finally:
            store.close()

    def wait_for(count: int) -> None:
        deadline = time.monotonic() + 60
        while indexed_grants() < count:
            assert process.poll() is None, process.stdout.read()
            assert time.monotonic() < deadline, f"fewer than {count} grants indexed after 60 s"
            time.sleep(0.2)

    try:
        wait_for(GRANTS)
        start = indexed_grants()
        busy.node.stop()
        time.sleep(1)  # the follower meets a dead node and backs off
        busy.node.start()
        grant_many(busy, 3)
        wait_for(start + 3)
        assert process.poll() is None
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    assert EventStore(index).dump() == clean_sync(busy, tmp_path / "clean.sqlite")


def test_a_contract_recorded_after_a_sync_is_indexed_from_its_deployment_without_code_changes(tmp_path):
    with AnvilNode() as node:
        chain = LocalChain(node, tmp_path)
        chain.deploy_platform(quorum=1)
        store = EventStore(tmp_path / "index.sqlite")
        sync_once(Chain(chain.network_config()), store)
        first_hub = chain.hub.address
        grant_many(chain, 3)
        chain.deploy_platform(quorum=1)  # every contract deployed anew and recorded in the registry
        sync_once(Chain(chain.network_config()), store)
        hub_events = store.events("ApprovalHub")
        assert chain.hub.address != first_hub
        assert {"RouteDefined", "RouteBandsSet", "ClientRegistered"} <= {
            e.event for e in hub_events if e.address == chain.hub.address}
        # The first deployment's events stay in the index; the new contracts' equal a clean sync of them.
        current = {d.address for d in DeploymentRegistry(chain.deployments).all(chain.web3.eth.chain_id).values()}
        of_current = [row for row in store.dump() if (row[4] if len(row) == 10 else row[1]) in current]
        assert of_current == clean_sync(chain, tmp_path / "clean.sqlite")
