"""The platform end to end, as `make demo` runs it (orchestration.flow), on a fresh anvil and js-ipfs of its own:
synthetic county → pipeline → two oracle processes (k = 2) → a household registered through its route."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
from web3.logs import DISCARD

from govchain.chain import Chain
from govchain.deploy import DEFAULT_ROUTES, REGISTRATION
from govchain.enums import HouseholdStatus, SubjectState
from govchain.structs import read
from oracle.ipfs import IpfsClient
from orchestration import flow
from tests.e2e import privacy
from tests.e2e.conftest import deployed_platform

REGISTERED = HouseholdStatus.REGISTERED


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    """The flow run once on a fresh chain (state file in tmp), then stopped by PID."""
    work = tmp_path_factory.mktemp("platform")
    with deployed_platform(work) as platform:
        logs: list[list[str]] = []  # each run's log lines

        def run():
            logs.append([])
            return flow.run_flow(platform.network, platform.ipfs_node.api_url, platform.table, work / "oracle-state",
                                 platform.key.env(), log=logs[-1].append)

        yield SimpleNamespace(chain=platform.chain, ipfs=IpfsClient(platform.ipfs_node.api_url), table=platform.table,
                              sources=platform.sources, run=run, first=run(), logs=logs)


def test_the_household_ends_registered(platform):
    registration = platform.first.registration
    record = platform.chain.households.functions.household(registration.household_id).call()
    assert registration.status == "Registered" and record[1] == REGISTERED and record[0] == registration.region
    assert list(registration.txs)[0].startswith("file") and list(registration.txs)[-1].startswith("complete")
    assert len(registration.txs) == 2 + len(DEFAULT_ROUTES[REGISTRATION])  # filed, one approval per level, completed


def test_the_batch_is_final_with_the_votes_of_both_oracles(platform):
    batch, registry = platform.first.batch, platform.chain.registry
    oracles = {account.address for account in flow.Actors.anvil_defaults().oracles}
    root, scope, leaf_count, finalized_at, superseded_at, conflicts = registry.functions.batch(batch.batch_id).call()[
        :6
    ]
    commitments = {registry.functions.commitmentOf(batch.batch_id, o).call() for o in oracles}
    assert finalized_at > 0 and superseded_at == 0 and conflicts == 0 and root == batch.root
    assert len(commitments) == 1 and registry.functions.votes(batch.batch_id, commitments.pop()).call() == 2
    published = (
        pd.read_parquet(platform.table, columns=["decision"])["decision"].isin([1, 2, 3]).sum()
    )  # 0 and 4 get no leaf
    assert set(batch.voters) == oracles and leaf_count == published


def test_a_second_run_reuses_everything_and_registers_the_next_household(platform):
    again = platform.run()
    assert again.role_grants == 0 and again.batch.batch_id == platform.first.batch.batch_id
    assert again.registration.household_id != platform.first.registration.household_id
    assert again.registration.status == "Registered"


def test_once_the_batch_is_final_a_run_starts_no_oracle_node(platform):
    if len(platform.logs) < 2:
        platform.run()
    ran = [any("nodes ran to the end" in line for line in lines) for lines in platform.logs]
    assert ran[0] and not any(ran[1:])


def test_a_second_run_files_and_registers_the_next_candidates_with_one_objection(platform):
    again = platform.run()
    first = {r.household_id for r in platform.first.candidates.registrations}
    second = {r.household_id for r in again.candidates.registrations}
    assert len(second) == len(first) == 3 and not first & second
    assert all(r.status == "Registered" for r in again.candidates.registrations)
    objection = again.candidates.objection  # a new one, against one of this run's candidates
    assert objection.objection_id > platform.first.candidates.objection.objection_id and not objection.upheld
    assert objection.subject in {r.subject for r in again.candidates.registrations}


def test_no_id_number_appears_in_the_manifest_or_in_any_calldata(platform):
    web3 = platform.chain.web3
    published = [platform.ipfs.cat(platform.first.batch.manifest_cid)]
    assert published[0].startswith(b'{"asOf"')  # the manifest itself (canonical JSON, keys sorted)
    for number in range(web3.eth.block_number + 1):
        published += [bytes(tx["input"]) for tx in web3.eth.get_block(number, full_transactions=True)["transactions"]]
    persons = privacy.people(platform.sources)
    ids = [n for n in privacy.needles(persons) if n.field == "id_number"]  # tests/e2e/test_demo_scenario: all
    assert len(published) > 20 and privacy.describe(privacy.scan(b"\n".join(published), ids), persons) == []


def test_a_plan_of_each_of_five_types_ends_approved_through_its_route(platform):
    runs = platform.first.plans
    plans = Chain(platform.chain.network_config()).contract("PlanRegistry")
    assert [run.support_type for run in runs] == list(flow.DEMO_PLAN_TYPES)
    assert all(run.status == "APPROVED" for run in runs)
    # A fund plan's route has one level more (the county treasury) than a project's.
    approvals = {run.support_type: sum(1 for what in run.txs if what.startswith("approve")) for run in runs}
    assert approvals == {"PROJECT": 2, "FUND": 3, "INDUSTRY": 2, "SOCIAL": 2, "ENTERPRISE": 2}
    assert [plans.functions.planOf(run.plan_id).call()[3] for run in runs] == [2, 3, 5, 7, 6]  # SupportType values


def test_a_second_run_keeps_the_approved_plans(platform):
    again = platform.run()
    assert [run.plan_id for run in again.plans] == [run.plan_id for run in platform.first.plans]
    assert all(run.status == "APPROVED" and not run.txs for run in again.plans)


def test_households_filed_together_are_approved_by_signatures_relayed_one_batch_per_level(platform):
    from oracle.manifest import fetch_manifest, filing_arguments

    chain, actors = platform.chain, flow.Actors.anvil_defaults()
    manifest = fetch_manifest(platform.ipfs, platform.first.batch.manifest_cid, expected_root=platform.first.batch.root)
    leaves = [manifest.tree.leaf(i) for i in range(len(manifest.tree))]

    def subject_of(leaf):
        return chain.households.functions.procedureOf(leaf.household_id, leaf.region).call()

    waiting = [leaf for leaf in leaves if leaf.decision == flow.Decision.ADMIT
               and read(chain.households.functions.household(leaf.household_id)).status != HouseholdStatus.REGISTERED
               and read(chain.hub.functions.subjectOf(subject_of(leaf))).state == SubjectState.NONE][:2]
    for leaf in waiting:
        flow.transact(chain.web3, chain.households.functions.fileRegistration(
            *filing_arguments(manifest, leaf.household_id).contract_args()), actors.clerk, "filing")
    subjects = [(subject_of(leaf), leaf.region) for leaf in waiting]
    txs = actors.approve(chain.web3, chain.hub, chain.roles, subjects, actors.officials())
    assert len(subjects) == 2 and len(txs) == len(DEFAULT_ROUTES[REGISTRATION])
    assert [read(chain.hub.functions.subjectOf(s)).state for s, _ in subjects] == [SubjectState.APPROVED] * 2
    for tx in txs.values():  # sent by the relayer, each approval by the official who signed it
        receipt = chain.web3.eth.get_transaction_receipt(tx)
        transitions = chain.hub.events.ApprovalTransition().process_receipt(receipt, errors=DISCARD)
        assert receipt["from"] == actors.admin and len(transitions) == 2
        assert {t["args"]["actor"] for t in transitions} <= set(actors.officials()) - {actors.admin}


def test_an_objection_an_interrupted_run_left_open_is_judged_and_the_candidate_registered(platform):
    from oracle.manifest import fetch_manifest, filing_arguments
    from orchestration import scenario

    chain, actors = platform.chain, flow.Actors.anvil_defaults()
    web3, households = chain.web3, chain.households
    manifest = fetch_manifest(platform.ipfs, platform.first.batch.manifest_cid, expected_root=platform.first.batch.root)
    leaf = next(manifest.tree.leaf(i) for i in range(len(manifest.tree))
                if manifest.tree.leaf(i).decision == 1
                and households.functions.household(manifest.tree.leaf(i).household_id).call()[1] == 0
                and chain.hub.functions.subjectOf(households.functions.procedureOf(
                    manifest.tree.leaf(i).household_id, manifest.tree.leaf(i).region).call()).call()[5] == 0)
    # The interrupted run: filed, approved, an objection raised in the notice, then the run stopped.
    flow.transact(web3, households.functions.fileRegistration(
        *filing_arguments(manifest, leaf.household_id).contract_args()), actors.clerk, "filing")
    subject = households.functions.procedureOf(leaf.household_id, leaf.region).call()
    actors.approve(web3, chain.hub, chain.roles, [(subject, leaf.region)], actors.officials())
    flow.transact(web3, households.functions.raiseObjection(subject, "bafkreiinterruptedevidence"),
                  flow.anvil_account(scenario.PUBLIC_ACCOUNT_INDEX), "objection")
    raised = scenario.open_objection(households, subject)

    # Earlier tests of this module may have left approved procedures in notice; the run carries those on too.
    done = scenario.file_candidates(web3, households, chain.hub, chain.roles, manifest, actors, platform.ipfs.add,
                                    count=3, log=lambda _: None)
    statuses = {r.household_id: r.status for r in done.registrations}
    assert statuses.get(leaf.household_id) == "Registered"
    assert (done.objection.objection_id, done.objection.evidence_cid) == raised and "objection (public)" not in \
        done.objection.txs
    assert scenario.open_objection(households, subject) is None
