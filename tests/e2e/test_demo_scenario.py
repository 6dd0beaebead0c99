"""The demo scenario end to end (issue 13, Done when): ``make demo``'s steps at small scale on a fresh anvil and
js-ipfs of their own (orchestration.scenario.run_scenario), then the indexer syncs into a temporary SQLite file
and every kind of disclosure is checked through the index — registrations with an objection, plans of five types
approved and funded, fund flows, a procurement and a delivery, a visit, donations, a pledge, an assessment, a
supervision freeze and its resolution, a major event. Then the privacy scan: every transaction's calldata, every
event log's data and topics, every document pinned on IPFS and the event index the public site reads, searched
for the synthetic people's ID numbers, names, phone numbers and bank account numbers in every form
tests/e2e/privacy.py lists: zero hits.

One module fixture runs the scenario once (about a minute); the chain and IPFS stay up while the tests read.
"""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace

import pytest

from assessment import demo as execution_demo
from dashboard import queries
from govchain.chain import Chain
from govchain.funds import Movement, PaymentKind
from govchain.plans import MilestoneStatus, PlanStatus, SupportType
from indexer.documents import fetch_document, fetch_referenced
from indexer.store import EventStore
from indexer.sync import sync_once
from oracle.ipfs import IpfsClient, normalize_cid
from orchestration import flow, funding_demo
from orchestration import scenario as scenario_mod
from orchestration.scenario import CANDIDATES, run_scenario
from tests.e2e import privacy
from tests.e2e.conftest import deployed_platform

PEOPLE = 800  # a small county: 230 households, 14 admitted (seed 7)
YUAN = 100


def _pinned_documents(ipfs: IpfsClient) -> dict[str, bytes]:
    """Every file pinned on the node (directories walked), by CID (v1, base32: the form the platform commits)."""
    found: dict[str, bytes] = {}

    def read(cid: str) -> None:
        try:
            found[normalize_cid(cid)] = ipfs.cat(cid)
        except Exception as exc:  # a directory: cat refuses it; its files are read one by one
            if "directory" not in str(exc).lower():
                raise
            for entry in ipfs.client.ls(cid)["Objects"][0]["Links"]:
                read(entry["Hash"])

    for cid in ipfs.client.pin.ls(type="recursive")["Keys"]:
        read(cid)
    return found


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    work = tmp_path_factory.mktemp("scenario")
    with deployed_platform(work, people=PEOPLE) as platform:
        chain, network, ipfs_node = platform.chain, platform.network, platform.ipfs_node
        result = run_scenario(network, ipfs_node.api_url, platform.table, work / "oracle-state", platform.key.env(),
                              log=lambda _: None)

        # The index as the public site reads it: the events, and the documents they name (fetched, CIDs checked).
        index = work / "index.sqlite"
        store = EventStore(index)
        sync_once(Chain(network), store)
        fetch_referenced(store, IpfsClient(ipfs_node.api_url))
        store.close()

        web3 = chain.web3
        calldata = [bytes(tx["input"]) for n in range(web3.eth.block_number + 1)
                    for tx in web3.eth.get_block(n, full_transactions=True)["transactions"]]
        logs = web3.eth.get_logs({"fromBlock": 0, "toBlock": "latest"})
        ipfs = IpfsClient(ipfs_node.api_url)
        yield SimpleNamespace(
            result=result, index=index, chain=Chain(network), ipfs=ipfs, county=result.flow.county,
            calldata=calldata, logs=[b"".join(bytes(t) for t in log["topics"]) + bytes(log["data"]) for log in logs],
            documents=_pinned_documents(ipfs), persons=privacy.people(work / "sources"),
        )


def _events(run, contract: str, event: str) -> list:
    store = EventStore(run.index, read_only=True)
    try:
        return store.events(contract, event)
    finally:
        store.close()


def _moved(run, kind: Movement) -> list[dict]:
    return [e.args for e in _events(run, "FundLedger", "FundsMoved") if e.args["kind"] == kind]


# ---------------------------------------------------------------------------------------------- registrations


def test_several_candidates_are_filed_approved_and_registered(run):
    procedures = queries.procedures(run.index)
    filed = procedures[procedures.kind == "registration"]
    expected = {"0x" + r.household_id.hex() for r in [run.result.flow.registration,
                                                      *run.result.flow.candidates.registrations]}
    assert len(filed) == 1 + CANDIDATES and set(filed.household_id) == expected
    assert (filed.stage == "completed").all()
    statuses = queries.household_statuses(run.index)
    assert set(statuses[statuses.status == "Registered"].household_id) == expected


def test_every_registration_passed_each_level_of_its_route(run):
    subjects = {int(s) for s in queries.procedures(run.index).subject}
    outcomes = defaultdict(list)
    for e in _events(run, "ApprovalHub", "ApprovalTransition"):
        if int(e.args["subject"]) in subjects:
            outcomes[int(e.args["subject"])].append(queries.outcome_name(e.args["outcome"]))
    # Submitted, then the village leader's and township reviewer's levels advance and the county leader's completes.
    assert all(o == ["Submitted", "Advanced", "Advanced", "Completed"] for o in outcomes.values())
    assert len(outcomes) == 1 + CANDIDATES


def test_one_objection_is_raised_in_public_notice_and_resolved(run):
    (raised,) = _events(run, "HouseholdRegistry", "ObjectionRaised")
    (resolved,) = _events(run, "HouseholdRegistry", "ObjectionResolved")
    objection = run.result.flow.candidates.objection
    assert raised.args["objectionId"] == resolved.args["objectionId"] == objection.objection_id
    assert int(raised.args["subject"]) == int(resolved.args["subject"]) == objection.subject
    assert resolved.args["upheld"] is False and queries.open_objections(run.index).empty
    procedure = queries.procedures(run.index).set_index("subject").loc[str(objection.subject)]
    assert procedure.stage == "completed" and procedure.open_objections == 0


def test_the_objection_documents_are_on_ipfs_and_match_their_cids(run):
    (raised,) = _events(run, "HouseholdRegistry", "ObjectionRaised")
    (resolved,) = _events(run, "HouseholdRegistry", "ObjectionResolved")
    for cid in (raised.args["evidenceCid"], resolved.args["reasonCid"]):
        assert fetch_document(None, run.ipfs, cid).matches


# ---------------------------------------------------------------------------------------------- plans and funds


def _plans(run) -> dict[int, dict]:
    """Per plan: its support type, budget, the statuses it went through, escrowed and released amounts."""
    plans: dict[int, dict] = defaultdict(lambda: {"statuses": [], "escrowed": 0, "released": {}, "milestones": []})
    for e in _events(run, "PlanRegistry", "PlanStatusChanged"):
        plan = plans[e.args["planId"]]
        plan.update(type=SupportType(e.args["supportType"]), budget=e.args["budget"])
        plan["statuses"].append(PlanStatus(e.args["status"]))
    for e in _events(run, "PlanRegistry", "MilestoneStatusChanged"):
        plans[e.args["planId"]]["milestones"].append((e.args["index"], MilestoneStatus(e.args["status"]),
                                                      e.args["amount"]))
    for args in _moved(run, Movement.ESCROWED):
        plans[args["planId"]]["escrowed"] += args["amount"]
    for args in _moved(run, Movement.RELEASED):
        plans[args["planId"]]["released"][args["index"]] = args["amount"]
    return plans


def test_plans_of_at_least_five_types_are_approved_escrowed_and_paid_a_tranche_on_an_accepted_milestone(run):
    funded = set()
    for plan in _plans(run).values():
        accepted = {index: amount for index, status, amount in plan["milestones"]
                    if status == MilestoneStatus.APPROVED}
        if (PlanStatus.APPROVED in plan["statuses"] and plan["escrowed"] == plan["budget"]
                and plan["released"] and all(accepted.get(i) == a for i, a in plan["released"].items())):
            funded.add(plan["type"])
    assert len(funded) >= 5
    assert {SupportType.PROJECT, SupportType.FUND, SupportType.INDUSTRY, SupportType.SOCIAL,
            SupportType.ENTERPRISE, SupportType.MATERIAL} <= funded


def test_the_township_plans_hold_their_budget_less_the_first_tranche_in_escrow(run):
    plans = _plans(run)
    for funded in run.result.oversight.plans:
        plan = plans[funded.plan_id]
        assert plan["escrowed"] == 300_000 * YUAN and plan["released"] == {0: 100_000 * YUAN}  # flow.demo_plan_terms
        assert plan["statuses"][-1] == PlanStatus.EXECUTING


def test_appropriations_are_approved_and_minted_for_what_the_scenario_asked(run):
    proposed = {e.args["id"]: e.args["cap"] for e in _events(run, "FundLedger", "AppropriationProposed")}
    decided = {e.args["id"]: e.args["approved"] for e in _events(run, "FundLedger", "AppropriationDecided")}
    minted = {args["appropriationId"]: args["amount"] for args in _moved(run, Movement.MINTED)}
    assert sorted(proposed.values()) == sorted([funding_demo.BUDGET, 1_000_000 * YUAN,  # assessment.demo's
                                                scenario_mod.APPROPRIATION_CAP])
    assert all(decided.values()) and decided.keys() == proposed.keys() and minted == proposed


def test_the_household_is_paid_to_its_wallet_and_by_a_confirmed_bank_instruction(run):
    household = "0x" + run.result.flow.registration.household_id.hex()
    payments = [(PaymentKind(e.args["kind"]), e.args["amount"]) for e in _events(run, "PaymentBatches", "Payment")
                if e.args["household"] == household]
    # Settled in the multiproof's order, which follows the leaves' hashes (the household id is keyed per run).
    assert sorted(payments) == [(PaymentKind.PAID_TO_WALLET, funding_demo.WALLET_PAYMENT),
                                (PaymentKind.BANK_INSTRUCTED, funding_demo.BANK_PAYMENT),
                                (PaymentKind.BANK_CONFIRMED, funding_demo.BANK_PAYMENT)]
    (report,) = _events(run, "PaymentBatches", "BankReported")
    assert report.args["confirmed"] is True and report.args["amount"] == funding_demo.BANK_PAYMENT
    # The earmarked tokens reached the wallet; the bank's confirmed payment left the token (burnt).
    transfers = [(e.args["to"], e.args["value"]) for e in _events(run, "FundToken", "Transfer")]
    assert (run.result.funding.wallet, funding_demo.WALLET_PAYMENT) in transfers
    assert ("0x" + "00" * 20, funding_demo.BANK_PAYMENT) in [(to.lower(), value) for to, value in transfers]


# ---------------------------------------------------------------------------------------------- execution


def test_a_procurement_is_approved_received_and_paid(run):
    (proposed,) = _events(run, "MaterialSupply", "ProcurementProposed")
    (decided,) = _events(run, "MaterialSupply", "ProcurementDecided")
    (received,) = _events(run, "MaterialSupply", "ProcurementReceived")
    assert decided.args["approved"] is True
    assert proposed.args["procurementId"] == decided.args["procurementId"] == received.args["procurementId"]
    assert received.args["amount"] == 200 * 50 * YUAN  # assessment.demo: 200 bags at 50 yuan


def test_a_delivery_reaches_the_household_with_its_receipt(run):
    (dispatched,) = _events(run, "MaterialSupply", "MaterialDispatched")
    (delivered,) = _events(run, "MaterialSupply", "MaterialDelivered")
    registration = run.result.flow.registration
    assert dispatched.args["village"] == registration.region and dispatched.args["quantity"] == 20
    assert delivered.args["household"] == "0x" + registration.household_id.hex()
    assert delivered.args["dispatchId"] == dispatched.args["dispatchId"] and delivered.args["quantity"] == 2
    # The receipt: the household's EIP-712 signature (method 0), or the grid worker's attestation with evidence.
    assert delivered.args["method"] == 0 or delivered.args["evidenceCid"]


def test_a_follow_up_visit_is_recorded(run):
    (visit,) = _events(run, "FollowUpVisits", "VisitRecorded")
    assert visit.args["household"] == "0x" + run.result.flow.registration.household_id.hex()
    assert visit.args["satisfaction"] == 4 and visit.args["evidenceCid"]


def test_donations_meet_the_crowdfunding_goal_and_reach_the_household(run):
    (opened,) = _events(run, "Crowdfunding", "CampaignOpened")
    donated = [e.args["amount"] for e in _events(run, "Crowdfunding", "Donated")]
    (released,) = _events(run, "Crowdfunding", "TrancheReleased")
    (paid,) = _events(run, "Crowdfunding", "DonationsPaid")
    assert opened.args["goal"] == execution_demo.TRANCHE and sum(donated) == execution_demo.TRANCHE
    assert released.args["amount"] == execution_demo.TRANCHE
    assert paid.args["amount"] == 500 * YUAN  # assessment.demo pays 500 yuan of the donations
    assert paid.args["household"] == "0x" + run.result.flow.registration.household_id.hex()


def test_an_enterprise_pledge_is_made_and_fulfilled(run):
    (pledged,) = _events(run, "SocialPledges", "Pledged")
    (fulfilled,) = _events(run, "SocialPledges", "PledgeFulfilled")
    assert pledged.args["pledgeId"] == fulfilled.args["pledgeId"]
    assert pledged.args["amount"] == fulfilled.args["fulfilled"] == 10  # assessment.demo: ten jobs


def test_the_assessment_root_is_final_and_equals_the_registry_record(run):
    commits = _events(run, "AssessmentRegistry", "AssessmentCommitted")
    (final,) = _events(run, "AssessmentRegistry", "AssessmentFinalized")
    registry = run.chain.contract("AssessmentRegistry")
    record = registry.functions.assessmentOf(bytes.fromhex(final.args["assessmentId"][2:])).call()
    assert len({c.args["assessor"] for c in commits}) == 2
    assert final.args["root"] == "0x" + bytes(record[0]).hex() and final.args["scope"] == run.county


# ---------------------------------------------------------------------------------------------- oversight


def test_a_supervisor_freezes_a_plan_and_clears_it(run):
    oversight = run.result.oversight
    target = run.chain.contract("PlanRegistry").functions.planTarget(oversight.frozen_plan).call()
    (opened,) = _events(run, "Supervision", "CaseOpened")
    (resolved,) = _events(run, "Supervision", "CaseResolved")
    frozen = [e.args["frozen"] for e in _events(run, "Supervision", "TargetFrozen") if int(e.args["target"]) == target]
    assert int(opened.args["target"]) == target and opened.args["frozen"] is True
    assert frozen == [True, False]
    assert resolved.args["caseId"] == opened.args["caseId"] and resolved.args["upheld"] is False
    assert oversight.refused_with == "SupervisionTargetFrozen"  # the tranche could not be released meanwhile


def test_the_frozen_plans_tranche_is_released_only_after_the_case_is_resolved(run):
    (resolved,) = _events(run, "Supervision", "CaseResolved")
    released = [e for e in _events(run, "FundLedger", "FundsMoved")
                if e.args["kind"] == Movement.RELEASED and e.args["planId"] == run.result.oversight.frozen_plan]
    assert len(released) == 1 and released[0].block_number > resolved.block_number


def test_the_case_is_disclosed_as_a_major_event_with_its_document(run):
    (disclosed,) = _events(run, "Disclosure", "Disclosed")
    assert (disclosed.args["kind"], disclosed.args["category"], disclosed.args["region"]) == (
        scenario_mod.MAJOR_EVENT, scenario_mod.SUPERVISION_INCIDENT, run.county)
    document = fetch_document(None, run.ipfs, disclosed.args["cid"])
    assert document.matches and b'"case": %d' % run.result.oversight.case_id in document.content


# ---------------------------------------------------------------------------------------------- privacy


@pytest.fixture(scope="module")
def needles(run):
    return privacy.needles(run.persons)


def test_the_scan_covers_every_transaction_log_and_pinned_document(run):
    web3 = run.chain.web3
    assert len(run.calldata) == sum(web3.eth.get_block_transaction_count(n) for n in range(web3.eth.block_number + 1))
    assert len(run.calldata) > 200 and len(run.logs) > 250
    referenced = {e.args["manifestCid"] for e in _events(run, "EligibilityRegistry", "BatchCommitted")}
    referenced |= {e.args["cid"] for e in _events(run, "Disclosure", "Disclosed")}
    referenced |= {e.args["evidenceCid"] for e in _events(run, "HouseholdRegistry", "ObjectionRaised")}
    referenced |= {e.args["reasonCid"] for e in _events(run, "Supervision", "CaseOpened")}
    assert referenced <= set(run.documents)
    assert len(run.persons) == PEOPLE and run.persons.notna().all().all()


def test_the_scan_finds_a_planted_value_in_each_form(run):
    person = run.persons.iloc[0]
    planted = privacy.needles_of(0, person)
    for needle in planted:
        published = b"\x00padding" + (needle.pattern.upper() if needle.hex_text else needle.pattern) + b"padding"
        assert needle in privacy.scan(published, planted), needle.form


def test_no_personal_data_in_any_calldata(run, needles):
    hits = privacy.scan(b"\n".join(run.calldata), needles)
    assert privacy.describe(hits, run.persons) == []


def test_no_personal_data_in_any_event_log(run, needles):
    hits = privacy.scan(b"\n".join(run.logs), needles)
    assert privacy.describe(hits, run.persons) == []


def test_no_personal_data_in_any_document_pinned_on_ipfs(run, needles):
    hits = privacy.scan(b"\n".join(run.documents.values()), needles)
    assert privacy.describe(hits, run.persons) == []


def test_no_personal_data_in_the_event_index_the_public_site_reads(run, needles):
    index = b"".join(p.read_bytes() for p in run.index.parent.glob(run.index.name + "*"))  # the file and its WAL
    assert len(index) > 100_000
    assert privacy.describe(privacy.scan(index, needles), run.persons) == []


# ------------------------------------------------------------------------ running again (last: it adds to the chain)


def test_oversight_runs_again_on_the_same_chain_with_a_new_case_and_disclosure(run):
    first = run.result.oversight
    again = scenario_mod.oversee(run.chain, flow.Actors.anvil_defaults(), run.result.flow.plans, run.county,
                                 run.ipfs.add, log=lambda _: None)
    assert again.appropriation == 0 and all(not p.txs for p in again.plans)  # funded already: nothing to redo
    assert [(p.escrowed, p.released) for p in again.plans] == [(p.escrowed, p.released) for p in first.plans]
    assert (again.case_id, again.disclosure_id) == (first.case_id + 1, first.disclosure_id + 1)
    assert again.refused_with == "SupervisionTargetFrozen" and again.case_state == scenario_mod.CASE_CLEARED
