"""The platform end to end, as `make demo` runs it (orchestration.flow), on a fresh anvil and js-ipfs of its own:
synthetic county → pipeline → two oracle processes (k = 2) → a household registered through its route."""

from __future__ import annotations

import hashlib
from types import SimpleNamespace

import pandas as pd
import pytest
from eth_utils import keccak

from orchestration import flow
from govchain.chain import Chain
from govchain.enums import HouseholdStatus
from govchain.localnode import AnvilNode
from oracle.ipfs import IpfsClient, JsIpfsNode
from govchain.deploy import DEFAULT_ROUTES, REGISTRATION
from tests.oracle.chain import LocalChain

REGISTERED = HouseholdStatus.REGISTERED


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    """The flow run once on a fresh chain (state file in tmp), then stopped by PID."""
    work = tmp_path_factory.mktemp("platform")
    node = AnvilNode(state_file=work / "anvil" / "state.json", log_file=work / "anvil.log")
    ipfs = JsIpfsNode(repo_dir=work / "ipfs" / "repo")
    with node, ipfs:
        chain = LocalChain(node, work)
        chain.deploy_platform(quorum=2)
        table = flow.prepare_data(work / "sources", work / "results")
        key = flow.PseudonymKeyFile.ensure(work / "key")
        run = lambda: flow.run_flow(chain.network_config(), ipfs.api_url, table, work / "oracle-state", key.env())
        yield SimpleNamespace(chain=chain, ipfs=IpfsClient(ipfs.api_url), table=table, run=run, first=run())


def test_the_household_ends_registered(platform):
    registration = platform.first.registration
    record = platform.chain.households.functions.household(registration.household_id).call()
    assert registration.status == "Registered" and record[1] == REGISTERED and record[0] == registration.region
    assert list(registration.txs)[0].startswith("file") and list(registration.txs)[-1].startswith("complete")
    assert len(registration.txs) == 2 + len(DEFAULT_ROUTES[REGISTRATION])  # filed, one approval per level, completed


def test_the_batch_is_final_with_the_votes_of_both_oracles(platform):
    batch, registry = platform.first.batch, platform.chain.registry
    oracles = {account.address for account in flow.Actors.anvil_defaults().oracles}
    root, scope, leaf_count, finalized_at, superseded_at, conflicts = registry.functions.batch(batch.batch_id).call()[:6]
    commitments = {registry.functions.commitmentOf(batch.batch_id, o).call() for o in oracles}
    assert finalized_at > 0 and superseded_at == 0 and conflicts == 0 and root == batch.root
    assert len(commitments) == 1 and registry.functions.votes(batch.batch_id, commitments.pop()).call() == 2
    published = pd.read_parquet(platform.table, columns=["decision"])["decision"].isin([1, 2, 3]).sum()  # 0 and 4 get no leaf
    assert set(batch.voters) == oracles and leaf_count == published


def test_a_second_run_reuses_everything_and_registers_the_next_household(platform):
    again = platform.run()
    assert again.role_grants == 0 and again.batch.batch_id == platform.first.batch.batch_id
    assert again.registration.household_id != platform.first.registration.household_id
    assert again.registration.status == "Registered"


def test_no_id_number_appears_in_the_manifest_or_in_any_calldata(platform):
    web3 = platform.chain.web3
    published = bytearray(platform.ipfs.cat(platform.first.batch.manifest_cid))
    assert published.startswith(b'{"asOf"')  # the manifest itself (canonical JSON, keys sorted)
    calldata = 0
    for number in range(web3.eth.block_number + 1):
        for tx in web3.eth.get_block(number, full_transactions=True)["transactions"]:
            published += bytes(tx["input"])
            calldata += 1
    published = bytes(published)
    leaked = []
    for id_number in pd.read_parquet(platform.table, columns=["household_key"])["household_key"]:
        forms = [id_number.encode(), id_number[:17].encode(), int(id_number[:17]).to_bytes(32, "big"),
                 hashlib.sha256(id_number.encode()).digest(), keccak(text=id_number)]
        leaked += [id_number for form in forms if form in published]
    assert calldata > 20 and leaked == []


def test_a_plan_of_each_of_three_types_ends_approved_through_its_route(platform):
    runs = platform.first.plans
    plans = Chain(platform.chain.network_config()).contract("PlanRegistry")
    assert [run.support_type for run in runs] == list(flow.DEMO_PLAN_TYPES)
    assert all(run.status == "APPROVED" for run in runs)
    # A fund plan's route has one level more (the county treasury) than a project's.
    approvals = {run.support_type: sum(1 for what in run.txs if what.startswith("approve")) for run in runs}
    assert approvals == {"PROJECT": 2, "FUND": 3, "INDUSTRY": 2}
    assert [plans.functions.planOf(run.plan_id).call()[3] for run in runs] == [2, 3, 5]  # SupportType values


def test_a_second_run_keeps_the_approved_plans(platform):
    again = platform.run()
    assert [run.plan_id for run in again.plans] == [run.plan_id for run in platform.first.plans]
    assert all(run.status == "APPROVED" and not run.txs for run in again.plans)
