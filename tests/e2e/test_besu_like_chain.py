"""The platform on a chain configured like the production network (network/besu): the network's chain id, the
London fork of its genesis, a zero base fee, and a node that suggests a gas price of 0 (Besu with
--min-gas-price=0). The deploy (govchain/deploy.py), the oracles and the steps of `make demo` (registration,
plans, funds, materials, visits, crowdfunding, pledges, assessment, oversight) run on it once; every transaction
must be a legacy (type 0) one at gas price 0, as on that network, where accounts hold no ether."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from govchain.enums import HouseholdStatus
from govchain.structs import read
from network.besu.genesis import CHAIN_ID, HARDFORK
from orchestration import flow
from orchestration.scenario import run_scenario
from tests.e2e.conftest import deployed_platform

LEGACY = 0


@pytest.fixture(scope="module")
def besu_like(tmp_path_factory):
    """The platform deployed and the demo scenario run once on the Besu-like anvil; every block's transactions and
    receipts read while the node still runs."""
    work = tmp_path_factory.mktemp("besu-like")
    with deployed_platform(work, chain_id=CHAIN_ID, hardfork=HARDFORK, free_gas=True) as platform:
        chain = platform.chain
        # The demo scenario as `make demo` runs it (orchestration.scenario.run_scenario): the flow, funds paid by
        # wallet and by bank, materials, a visit, crowdfunding, a pledge, an assessment and oversight.
        scenario = run_scenario(platform.network, platform.ipfs_node.api_url, platform.table, work / "oracle-state",
                                platform.key.env(), log=lambda _: None)
        result, funding, execution = scenario.flow, scenario.funding, scenario.execution
        web3 = chain.web3
        blocks = [web3.eth.get_block(n, full_transactions=True) for n in range(web3.eth.block_number + 1)]
        transactions = [tx for block in blocks for tx in block["transactions"]]
        receipts = [web3.eth.get_transaction_receipt(tx["hash"]) for tx in transactions]
        yield SimpleNamespace(chain=chain, chain_id=web3.eth.chain_id, result=result, funding=funding,
                              execution=execution, blocks=blocks, transactions=transactions, receipts=receipts)


def test_the_node_runs_the_networks_chain_id_with_a_zero_base_fee(besu_like):
    assert besu_like.chain_id == CHAIN_ID != 31337
    assert {block["baseFeePerGas"] for block in besu_like.blocks} == {0}


def test_every_transaction_is_a_legacy_one_at_gas_price_zero(besu_like):
    # Deploy and wiring (govchain/deploy.py), role grants and the officials' approvals (orchestration/flow.py),
    # the oracles' commits (oracle/committer.py, separate processes), funds and execution (funding_demo.py,
    # assessment/demo.py), the public's objection and oversight (scenario.py).
    assert len(besu_like.transactions) > 50
    assert {(tx["type"], tx["gasPrice"]) for tx in besu_like.transactions} == {(LEGACY, 0)}
    assert {(r["type"], r["effectiveGasPrice"], r["status"]) for r in besu_like.receipts} == {(LEGACY, 0, 1)}


def test_the_household_ends_registered_and_the_plans_approved(besu_like):
    registration = besu_like.result.registration
    assert registration.status == "Registered"
    record = read(besu_like.chain.households.functions.household(registration.household_id))
    assert record.status == HouseholdStatus.REGISTERED
    assert [run.status for run in besu_like.result.plans] == ["APPROVED"] * len(flow.DEMO_PLAN_TYPES)


def test_the_household_is_paid_and_goods_visits_donations_and_pledges_are_recorded(besu_like):
    funding = besu_like.funding
    assert funding.conserved and funding.wallet_balance > 0
    done = besu_like.execution  # run_execution's steps: label → transaction hash
    assert {"goods received, supplier paid", "follow-up visit", "donation", "pledge fulfilled"} <= set(done)
    assert any(label.startswith("delivered") for label in done)
