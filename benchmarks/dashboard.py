"""Dashboard benchmark: index N platform events from a local anvil, then render every page on that index.

usage: python benchmarks/dashboard.py [--events N] [--keep DIR]

A fresh anvil (state in memory) gets the registries (RoleRegistry, EligibilityRegistry, HouseholdRegistry, as
the tests deploy them) and real platform traffic, sent in JSON-RPC batches with automine off so that tens of
thousands of transactions take minutes, not hours:

- an eligibility batch of H admitted households (random pseudonymous ids over 20 villages), committed by one
  oracle (k = 1);
- each household filed by the intake clerk, approved at village, township and county level, its public
  notice passed and its procedure completed (about 7 events a household: filing, approval transitions, notice,
  registration);
- the execution steps of the dashboard tests' county on the first household (tests/dashboard/scenario.py
  ``execute``: plans of six types, two appropriations, payments, a procurement and deliveries, crowdfunding,
  a pledge, visits, two assessments, a freeze and a flag, two disclosures), so every page has content; its
  documents get their CIDs computed locally (no IPFS node: the pages that fetch documents say they cannot);
- P support plans drafted and submitted by the department officer (3 events each, P = N / 50), of every
  support type, three project categories and every village, for the plan, share and map pages;
- role grants to fresh accounts (2 events each) to reach N events in all.

Then it measures: the full sync of an empty index (``full_sync_s``); 500 more grants (1,000 events) and an
incremental sync (``incremental_1000_s``); each page rendered in AppTest with every cache cleared first
(``max_page_render_s``, each page's figure printed); the index file's size (``index_mb``).

The last line printed is one JSON object: events, full_sync_s, incremental_1000_s, max_page_render_s, index_mb,
plus page_render_s (per page), events_by_kind and generate_s.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import requests

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from govchain.localnode import use_project_tools  # noqa: E402

use_project_tools()  # this checkout's anvil and solc wrapper, with no PATH set by hand

from eth_account import Account  # noqa: E402

from govchain.chain import Chain  # noqa: E402
from govchain.localnode import AnvilNode  # noqa: E402
from govchain.roles import role_id  # noqa: E402
from indexer.store import EventStore  # noqa: E402
from indexer.sync import sync_once  # noqa: E402
from orchestration.flow import Actors, grant_roles  # noqa: E402

COUNTY = 530102000000
VILLAGES = [530102000000 + township * 1000 + village for township in range(1, 5) for village in range(1, 6)]
EVENTS_PER_HOUSEHOLD = 7
RPC_BATCH = 500
DAY = 86_400
PAGES = [
    "overview.py",
    "registrations.py",
    "newly_poor.py",
    "exits.py",
    "ranking.py",
    "poverty_prone.py",
    "batches.py",
    "portraits.py",
    "root_causes.py",
    "village_classes.py",
    "self_check.py",
    "verify.py",
    "officials.py",
    "plans.py",
    "fund_use.py",
    "material_use.py",
    "effectiveness.py",
    "major_events.py",
    "support_share.py",
    "category_share.py",
    "fund_map.py",
    "effectiveness_map.py",
    "assessments.py",
]
EVENTS_PER_PLAN = 3  # PlanDrafted, then on submission PlanStatusChanged and the hub's ApprovalTransition
PLAN_SHARE = 50  # one plan per this many events


class LocalDocuments:
    """Stands in for IPFS when the benchmark adds a document: its CID computed locally (CIDv1 raw), nothing
    stored."""

    def add(self, content: bytes, name: str | None = None) -> str:
        from multiformats import CID, multihash

        return CID("base32", 1, "raw", multihash.digest(content, "sha2-256")).encode()


def progress(message: str) -> None:
    print(message, flush=True)


class Rpc:
    """Raw JSON-RPC batches: web3.py sends one request per transaction, far too slow for 100,000 events."""

    def __init__(self, url: str):
        self.url, self.session, self.next_id = url, requests.Session(), 0

    def call(self, method: str, *params):
        answer = self.session.post(self.url, json={"jsonrpc": "2.0", "id": 0, "method": method, "params": list(params)},
                                   timeout=600).json()
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer["result"]

    def send_all(self, sender: str, to: str, datas: list[str], gas: int) -> None:
        """Sends every transaction with explicit nonces (automine off), then mines until all are in blocks."""
        nonce = int(self.call("eth_getTransactionCount", sender, "pending"), 16)
        hashes = []
        for start in range(0, len(datas), RPC_BATCH):
            batch = [{"jsonrpc": "2.0", "id": i, "method": "eth_sendTransaction",
                      "params": [{"from": sender, "to": to, "data": data, "gas": hex(gas),
                                  "nonce": hex(nonce + start + i)}]}
                     for i, data in enumerate(datas[start:start + RPC_BATCH])]
            for answer in self.session.post(self.url, json=batch, timeout=600).json():
                if "error" in answer:
                    raise RuntimeError(f"eth_sendTransaction: {answer['error']}")
                hashes.append(answer["result"])
        self.mine_until(hashes[-1] if hashes else None)

    def mine_until(self, tx_hash: str | None, max_blocks: int = 10_000) -> None:
        for _ in range(max_blocks):
            if tx_hash is None or self.call("eth_getTransactionReceipt", tx_hash) is not None:
                return
            self.call("evm_mine")
        raise RuntimeError(f"{tx_hash} not mined after {max_blocks} blocks: {self.call('txpool_status')}")


def generate(node: AnvilNode, workdir: Path, events: int) -> tuple[Chain, dict]:
    """Deploys the registries and drives about ``events`` events of real platform traffic."""
    from multiformats import CID, multihash

    from oracle.manifest import BatchHeader, Manifest, filing_arguments
    from oracle.merkle import EligibilityTree
    from tests.dashboard.scenario import NOTICE_PERIOD, TRANSITION_PERIOD
    from tests.oracle.chain import LocalChain

    chain = LocalChain(node, workdir)
    chain.deploy_platform(quorum=1, notice_period=NOTICE_PERIOD, transition_period=TRANSITION_PERIOD)
    web3, actors = chain.web3, Actors.anvil_defaults()  # the demo's officials (the execution steps count on them)
    grant_roles(web3, chain.roles, actors.admin, actors.grants(COUNTY, VILLAGES), log=lambda _: None)

    households = max(1, events // (2 * EVENTS_PER_HOUSEHOLD))
    rng = np.random.default_rng(1)
    ids = np.frombuffer(rng.bytes(32 * households), dtype=np.uint8).reshape(-1, 32)
    regions = rng.choice(VILLAGES, households).astype(np.uint64)
    # Each leaf's details are a salted commitment (oracle.merkle): random bytes serve, nothing opens them here.
    details = np.frombuffer(rng.bytes(32 * households), dtype=np.uint8).reshape(-1, 32)
    tree = EligibilityTree.from_columns(ids, regions, np.ones(households, np.uint8), details)
    header = BatchHeader(secrets.token_bytes(32), COUNTY, b"\x01" * 32, secrets.token_bytes(32), "benchmark",
                         as_of=web3.eth.get_block("latest").timestamp)
    manifest = Manifest(header, tree)
    cid = CID("base32", 1, "raw", multihash.digest(manifest.to_bytes(), "sha2-256")).encode()
    registry, house = chain.registry, chain.households
    web3.eth.wait_for_transaction_receipt(registry.functions.commitBatch(
        header.batch_id, COUNTY, manifest.root, cid, header.model_version, header.snapshot_hash, header.as_of,
        households,
    ).transact({"from": actors.oracles[0].address}))

    rpc = Rpc(node.rpc_url)
    rpc.call("evm_setAutomine", False)
    leaves = [tree.leaf(i) for i in range(households)]
    progress(f"  filing {households:,} registrations")
    rpc.send_all(actors.clerk, house.address, [
        house.encode_abi("fileRegistration", args=filing_arguments(manifest, leaf.household_id).contract_args())
        for leaf in leaves], gas=400_000)
    subjects = [house.functions.procedureOf(leaf.household_id, leaf.region).call() for leaf in leaves]
    for level, approver in enumerate([actors.village_leader, actors.township_reviewer, actors.county_leader]):
        progress(f"  approving level {level}")
        # Approvals run on the approval hub (the household registry is one of its clients).
        rpc.send_all(approver, chain.hub.address, [chain.hub.encode_abi("approve", args=[s, level]) for s in subjects],
                     gas=300_000)
    rpc.call("evm_increaseTime", NOTICE_PERIOD + 1)
    progress("  completing after public notice")
    rpc.send_all(actors.county_leader, house.address, [
        house.encode_abi("completeProcedure", args=filing_arguments(manifest, leaf.household_id).contract_args())
        for leaf in leaves],
        gas=300_000)
    rpc.call("evm_setAutomine", True)
    from tests.dashboard.scenario import Household, execute

    progress("  execution steps on the first household (plans, funds, materials, social, supervision, ...)")
    first = Household(leaves[0].household_id, int(leaves[0].region))
    execute(chain, actors, LocalDocuments(), first, COUNTY, VILLAGES)
    rpc.call("evm_setAutomine", False)
    plans = events // PLAN_SHARE
    progress(f"  {plans:,} plans drafted and submitted")
    add_plans(rpc, chain, actors, plans)
    household_events = households * EVENTS_PER_HOUSEHOLD + plans * EVENTS_PER_PLAN
    grants = max(0, (events - household_events) // 2)
    progress(f"  {grants:,} role grants")
    add_grants(rpc, chain, grants)
    rpc.call("evm_setAutomine", True)
    return Chain(chain.network_config()), {"households": households, "plans": plans, "grants": grants,
                                           "chain": chain, "rpc": rpc}


def add_plans(rpc: Rpc, chain, actors: Actors, count: int) -> None:
    """``count`` plans drafted by the department officer in the villages (every support type, categories 101 to
    103), then all submitted for approval."""
    plans = Chain(chain.network_config()).contract("PlanRegistry")
    first = plans.functions.planCount().call() + 1
    datas = []
    for i in range(count):
        budget = (10_000 + 1_000 * (i % 50)) * 100
        terms = (budget, f"bafkreibenchmarkplan{i}", (1, b"\x00" * 32, ""), [(b"kpi:benchmark".ljust(32, b"\x00"), 10)],
                 [(budget // 3, 2_000_000_000 + m * DAY, f"bafkreibenchmarkdeliverable{i}.{m}") for m in range(3)])
        datas.append(plans.encode_abi("create", args=[VILLAGES[i % len(VILLAGES)], 1 + i % 8, 101 + i % 3, terms]))
    rpc.send_all(actors.department, plans.address, datas, gas=1_500_000)
    rpc.send_all(actors.department, plans.address,
                 [plans.encode_abi("submit", args=[first + i]) for i in range(count)], gas=600_000)


def add_grants(rpc: Rpc, chain, count: int) -> None:
    roles = chain.roles
    datas = [roles.encode_abi("grantRoleIn", args=[role_id("GRID_WORKER"), Account.create().address, VILLAGES[i % 20]])
             for i in range(count)]
    rpc.send_all(chain.admin, roles.address, datas, gas=300_000)


def write_reports(folder: Path) -> Path:
    """Small aggregate reports for the report pages (the pipeline's own, on a synthetic county)."""
    from orchestration.flow import prepare_data

    table = prepare_data(folder / "sources", folder / "results", people=2000, seed=7, log=lambda _: None)
    return table.parent / "reports"


def render_pages(index: Path, reports: Path, network) -> dict[str, float]:
    """Seconds per page in AppTest, every cache cleared before each page."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard import queries, queries_plans

    os.environ.update(GOVCHAIN_INDEX=str(index), GOVCHAIN_REPORTS=str(reports), GOVCHAIN_RPC_URL=network.rpc_url,
                      GOVCHAIN_CHAIN_ID=str(network.chain_id), GOVCHAIN_DEPLOYMENTS=str(network.deployments_path))
    app = str(PROJECT_ROOT / "dashboard" / "app.py")
    seconds = {}
    for page in PAGES:
        at = AppTest.from_file(app, default_timeout=120).run()  # imports and first run, not timed
        st.cache_data.clear()
        queries._procedures.cache_clear()
        queries_plans.clear_kept()
        started = time.perf_counter()
        at.switch_page(f"views/{page}").run()
        seconds[page.removesuffix(".py")] = round(time.perf_counter() - started, 3)
        if at.exception:
            raise RuntimeError(f"{page}: {at.exception}")
        progress(f"  page {page:<20} {seconds[page.removesuffix('.py')]:.3f} s")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="keep the work folder here (index, reports)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="govchain-dashboard-bench-"))
    node = AnvilNode(extra_args=("--order", "fifo"))  # default 30M gas blocks: a few hundred transactions each
    node.start()
    try:
        started = time.perf_counter()
        progress(f"generating about {args.events:,} events on anvil ({node.rpc_url})")
        chain, made = generate(node, workdir, args.events)
        generate_s = time.perf_counter() - started
        progress(f"  generated in {generate_s:.1f} s")

        index = workdir / "index.sqlite"
        store = EventStore(index)
        started = time.perf_counter()
        report = sync_once(chain, store)
        full_sync_s = time.perf_counter() - started
        progress(f"full sync: {report.events_written:,} events in {report.ranges} ranges, {full_sync_s:.2f} s")

        add_grants(made["rpc"], made["chain"], 500)
        made["rpc"].call("evm_setAutomine", True)
        started = time.perf_counter()
        incremental = sync_once(chain, store)
        incremental_s = time.perf_counter() - started
        new_events = incremental.events_written
        progress(
            f"incremental sync: {new_events:,} events written (new plus the re-scan window) in {incremental_s:.2f} s"
        )
        counts = store.counts()
        total = sum(counts.values())
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
        index_mb = sum(p.stat().st_size for p in workdir.glob("index.sqlite*")) / 2**20

        pages = render_pages(index, write_reports(workdir), chain.config)
    finally:
        node.stop()
        if args.keep:
            shutil.copytree(workdir, args.keep, dirs_exist_ok=True)
        shutil.rmtree(workdir, ignore_errors=True)

    print(json.dumps({
        "events": total,
        "full_sync_s": round(full_sync_s, 2),
        "incremental_1000_s": round(incremental_s, 3),
        "max_page_render_s": max(pages.values()),
        "index_mb": round(index_mb, 1),
        "page_render_s": pages,
        "events_by_kind": {f"{c}.{e}": n for (c, e), n in sorted(counts.items())},
        "generate_s": round(generate_s, 1),
    }))


if __name__ == "__main__":
    main()
