"""The demo scenario's public-notice and oversight steps (issue 13), beside orchestration.flow's steps.

- :func:`file_candidates` (called by :func:`orchestration.flow.run_flow` after its first registration): the intake
  clerk files several more admitted candidates of the batch, all approved together along their routes
  (:meth:`orchestration.flow.Actors.approve`: one relayed transaction per level); in public notice (公示) a
  member of the public raises an objection with an evidence document, a village REVIEWER who neither filed nor
  approved the procedure dismisses it with a reasoned document; the chain's clock is moved past the notice and
  every candidate's registration is completed.
- :func:`oversee` (called by ``make demo`` after the execution step): the township plans of flow's plan step
  (five support types) are funded — an appropriation approved and minted, each plan started, linked, escrowed,
  its first milestone reported and accepted; a SUPERVISOR freezes one plan with a reason document while its
  tranche awaits release, the release is refused, the supervisor clears the case, and every first tranche is
  released; then the county LEADER publishes the case as a major-event disclosure (重大事件披露).
- :func:`run_scenario`: the whole demo scenario on a deployed platform (flow, funds, execution, oversight), as
  ``make demo`` runs it between its services and the site, and as the end-to-end test runs it.

Every document added to IPFS here is about procedures and plans only: no name, ID number or circumstance of a
person. Running a step again on the same chain carries on what an earlier run left and adds one more round
(the next candidates, one more case and disclosure), so ``make demo`` can run again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from eth_utils import keccak
from web3 import Web3
from web3.exceptions import ContractCustomError, ContractLogicError, Web3RPCError

from govchain.chain import Chain
from govchain.eligibility import Decision
from govchain.enums import HouseholdStatus, SubjectState
from govchain.events import event_logs
from govchain.reverts import revert_data
from govchain.structs import read
from orchestration.flow import (
    Actors,
    FlowError,
    Log,
    PlanRun,
    Registration,
    _reverts,
    _status_name,
    anvil_account,
    grant_roles,
    transact,
)

AddDocument = Callable[[bytes, str], str]
# Candidates the intake clerk files after the flow's first registration (the issue asks for several).
CANDIDATES = 3
# A member of the public: a key of anvil's development mnemonic past the ten accounts anvil unlocks, so it holds
# no role and no funds; it signs its own transaction (gas is free on the platform's networks).
PUBLIC_ACCOUNT_INDEX = 10
YUAN = 100
APPROPRIATION_CAP = 2_000_000 * YUAN  # covers five township plans of 300,000 yuan (flow.demo_plan_terms)
HOUSEHOLD_CAP = 3_000 * YUAN  # the most one household may be paid from one plan
# The plan a supervisor freezes while its tranche awaits release.
FROZEN_PLAN_TYPE = "PROJECT"
# IDisclosure.DisclosureKind.MajorEvent; the category code of a supervision incident among major events (the
# disclosure site names the categories; this is the demo's).
MAJOR_EVENT, SUPERVISION_INCIDENT = 0, 1
# ISupervision.CaseState.Cleared, IHouseholdRegistry.ObjectionState.Open
CASE_CLEARED, OBJECTION_OPEN = 3, 1


def _document(add: AddDocument, name: str, **content) -> str:
    """Adds a small JSON document (keys sorted) to IPFS; returns its CID."""
    return add(json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8"), name)


_REJECTIONS = (ContractCustomError, ContractLogicError, Web3RPCError)


def _error_name(exc: Exception) -> str:
    """The name of the custom error ``exc`` (a rejection) carries, or the exception's text."""
    decoded = _reverts().decode(revert_data(exc))
    return decoded.name if decoded is not None else str(exc)


def refusal(call, sender: str) -> str:
    """The custom error name with which the contract refuses ``call`` from ``sender`` (nothing is sent), or ""
    when it would pass."""
    try:
        call.estimate_gas({"from": sender})
    except _REJECTIONS as exc:
        return _error_name(exc)
    return ""


def _advance_clock_past(web3: Web3, ends_at: int) -> float:
    """Moves the chain's clock just past ``ends_at`` (if it is not already); returns the days moved."""
    now = web3.eth.get_block("latest")["timestamp"]
    if now >= ends_at:
        return 0.0
    web3.provider.make_request("evm_increaseTime", [ends_at - now + 1])
    web3.provider.make_request("evm_mine", [])
    return (ends_at - now + 1) / 86_400


# ---------------------------------------------------------------------------------------------- public notice


@dataclass
class ObjectionRun:
    objection_id: int
    subject: int
    upheld: bool
    evidence_cid: str
    reason_cid: str
    txs: dict[str, str] = field(default_factory=dict)


@dataclass
class Candidates:
    registrations: list[Registration]
    objection: ObjectionRun | None = None


def file_candidates(web3: Web3, households, hub, roles, manifest, actors: Actors, add_document: AddDocument,
                    count: int = CANDIDATES, log: Log = print) -> Candidates:
    """Files ``count`` more admitted households of ``manifest`` (carrying on any an earlier run left filed or in
    notice), approves each along its route, has one objection raised and dismissed in public notice, and completes
    every registration after the notice. See the module docstring."""
    from oracle.manifest import filing_arguments

    reviewer = actors.township_leader or actors.department  # a village REVIEWER who takes no part in the filing
    if not reviewer:
        raise FlowError("The objection needs a reviewer outside the registration route (Actors.township_leader).")
    picked = []
    for index in range(len(manifest.tree)):
        leaf = manifest.tree.leaf(index)
        if (
            leaf.decision != Decision.ADMIT
            or read(households.functions.household(leaf.household_id)).status == HouseholdStatus.REGISTERED
        ):
            continue
        subject = households.functions.procedureOf(leaf.household_id, leaf.region).call()
        if read(hub.functions.subjectOf(subject)).state in (SubjectState.NONE, SubjectState.PENDING,
                                                            SubjectState.APPROVED):
            picked.append(leaf)
        if len(picked) == count:
            break
    grant_roles(
        web3, roles, actors.admin, [("REVIEWER", reviewer, v) for v in sorted({leaf.region for leaf in picked})], log
    )

    done = Candidates([])
    for leaf in picked:
        run = Registration(leaf.household_id, leaf.region, _status_name(HouseholdStatus.NONE))
        subject = households.functions.procedureOf(leaf.household_id, leaf.region).call()
        if read(hub.functions.subjectOf(subject)).state == SubjectState.NONE:
            run.txs["file (intake clerk)"] = transact(web3, households.functions.fileRegistration(
                *filing_arguments(manifest, leaf.household_id).contract_args()), actors.clerk, "filing a candidate")
        run.subject = subject
        done.registrations.append(run)
    # Filed together, approved together: one relayed transaction per level of the route for all candidates.
    approvals = actors.approve(web3, hub, roles, [(r.subject, r.region) for r in done.registrations],
                               actors.officials())
    for run in done.registrations:
        run.txs.update(approvals)
        if read(hub.functions.subjectOf(run.subject)).state != SubjectState.APPROVED:
            raise FlowError(f"Candidate procedure {run.subject} did not end approved.")
    log(f"  candidates: {len(picked)} filed and approved along their routes, in public notice")

    # An objection an interrupted run left open is judged first (it holds its procedure); else one is raised.
    held = [r for r in done.registrations if open_objection(households, r.subject)]
    now = web3.eth.get_block("latest")["timestamp"]
    in_notice = [r for r in done.registrations if now < households.functions.noticeEndsAt(r.subject).call()]
    for target in held or in_notice[:1]:
        done.objection = raise_and_dismiss_objection(web3, households, target.subject, reviewer, add_document, log)
    ends = [households.functions.noticeEndsAt(r.subject).call() for r in done.registrations]
    if ends:
        days = _advance_clock_past(web3, max(ends))
        if days:
            log(f"  public notice: the chain's clock moved {days:.1f} days to its end")
    for run in done.registrations:
        run.txs["complete after notice"] = transact(
            web3, households.functions.completeProcedure(*filing_arguments(manifest, run.household_id).contract_args()),
            actors.county_leader,
            "completing a candidate's registration")
        run.status = _status_name(read(households.functions.household(run.household_id)).status)
    log(f"  candidates: {sum(r.status == 'Registered' for r in done.registrations)} registered after the notice")
    return done


def open_objection(households, subject: int) -> tuple[int, str] | None:
    """The (id, evidence CID) of an objection against ``subject`` still open, or None."""
    # govchain.events.event_logs: read in ranges a node with a log-range limit (Besu) accepts.
    for event in event_logs(households.events.ObjectionRaised, argument_filters={"subject": subject}):
        objection_id = event["args"]["objectionId"]
        if households.functions.objection(objection_id).call()[1] == OBJECTION_OPEN:
            return objection_id, event["args"]["evidenceCid"]
    return None


def raise_and_dismiss_objection(web3: Web3, households, subject: int, reviewer: str, add_document: AddDocument,
                                log: Log = print) -> ObjectionRun:
    """A member of the public objects to procedure ``subject`` in notice with an evidence document (unless an
    objection is open already); ``reviewer`` (a REVIEWER of its village who neither filed nor approved it)
    dismisses it after a field check."""
    txs = {}
    found = open_objection(households, subject)
    if found is None:
        evidence = _document(add_document, "objection-evidence.json", kind="objection evidence",
                             subject=str(subject), statement="反映该户登记的家庭收入与实际不符，请求入户核查。")
        txs["objection (public)"] = tx = transact(
            web3, households.functions.raiseObjection(subject, evidence), anvil_account(PUBLIC_ACCOUNT_INDEX),
            "raising an objection")
        receipt = web3.eth.get_transaction_receipt(tx)
        found = households.events.ObjectionRaised().process_receipt(receipt)[0]["args"]["objectionId"], evidence
    objection_id, evidence = found
    reason = _document(add_document, "objection-decision.json", kind="objection decision", objection=objection_id,
                       subject=str(subject), finding="入户核查：收入核实与大数据比对结果一致，异议不成立。")
    txs["objection dismissed (reviewer)"] = transact(
        web3, households.functions.resolveObjection(objection_id, False, reason), reviewer, "resolving the objection")
    log(f"  objection {objection_id} against procedure {subject}: raised by a member of the public, dismissed "
        f"after a field check (evidence {evidence}, decision {reason})")
    return ObjectionRun(objection_id, subject, False, evidence, reason, txs)


# ---------------------------------------------------------------------------------------------- oversight


@dataclass
class FundedPlan:
    plan_id: int
    support_type: str
    escrowed: int = 0
    released: int = 0
    txs: dict[str, str] = field(default_factory=dict)


@dataclass
class Oversight:
    appropriation: int = 0
    plans: list[FundedPlan] = field(default_factory=list)
    case_id: int = 0
    frozen_plan: int = 0
    refused_with: str = ""
    case_state: int = 0
    disclosure_id: int = 0
    disclosure_cid: str = ""
    txs: dict[str, str] = field(default_factory=dict)


def oversee(chain: Chain, actors: Actors, plan_runs: list[PlanRun], county: int, add_document: AddDocument,
            log: Log = print) -> Oversight:
    """Funds flow's township plans ``plan_runs`` to their first tranche, with a supervision freeze and its
    clearing on the way, then discloses the case as a major event. See the module docstring."""
    web3 = chain.web3
    roles, hub, plans, ledger, supervision, disclosure = (chain.contract(n) for n in (
        "RoleRegistry", "ApprovalHub", "PlanRegistry", "FundLedger", "Supervision", "Disclosure"))
    if not (actors.department and actors.treasury and plan_runs):
        raise FlowError("Oversight needs flow's plan step: its officials (Actors.department, treasury) and plans.")
    townships = sorted({plans.functions.planOf(r.plan_id).call()[0] for r in plan_runs})
    # Officials (orchestration.flow.Actors): the department officer owns the plans and, for the county, accepts
    # milestones; the intake clerk also handles the plans' execution (ten anvil accounts are all taken); the county
    # treasury appropriates and links; the township reviewer also supervises the county (not a party to the plans).
    handler, supervisor = actors.clerk, actors.township_reviewer
    grant_roles(web3, roles, actors.admin, [
        ("TREASURY", actors.treasury, county), ("DEPARTMENT", actors.department, county),
        *[("HANDLER", handler, t) for t in townships], ("SUPERVISOR", supervisor, county),
        ("LEADER", actors.county_leader, county),
    ], log)
    done = Oversight()

    def send(call, sender, what):
        done.txs[what] = transact(web3, call, sender, what)
        return done.txs[what]

    officials = [actors.township_leader, actors.county_leader, actors.treasury, actors.department]
    unlinked = [r for r in plan_runs if ledger.functions.planFunds(r.plan_id).call()[0] == 0]
    if unlinked:
        send(ledger.functions.propose(county, 2026, keccak(text="budget-line:2130599"), APPROPRIATION_CAP,
                                      _document(add_document, "appropriation.json", kind="appropriation",
                                                county=county, year=2026, capYuan=APPROPRIATION_CAP // YUAN,
                                                purpose="乡村振兴衔接资金：乡镇五类帮扶计划")),
             actors.treasury, "propose appropriation (treasury)")
        done.appropriation = ledger.functions.appropriationCount().call()
        done.txs.update(actors.approve(web3, hub, roles, [(ledger.functions.appropriationSubject(
            done.appropriation).call(), county)], officials))
        send(ledger.functions.mint(done.appropriation, APPROPRIATION_CAP), actors.treasury, "mint the appropriation")

    for run in plan_runs:
        done.plans.append(_fund_to_first_milestone(web3, hub, roles, plans, ledger, run, done.appropriation, actors,
                                                   handler, officials))
    frozen = next(p for p in done.plans if p.support_type == FROZEN_PLAN_TYPE)
    freeze_and_clear(web3, plans, ledger, supervision, frozen.plan_id, county, supervisor, handler, add_document,
                     done, log)
    for funded in done.plans:
        if ledger.functions.planFunds(funded.plan_id).call()[2] & 1 == 0:  # releasedTranches: tranche 0 not yet
            funded.txs["release tranche 0"] = transact(web3, ledger.functions.releaseTranche(funded.plan_id, 0),
                                                       handler, f"releasing plan {funded.plan_id}'s first tranche")
        funds = ledger.functions.planFunds(funded.plan_id).call()
        funded.escrowed, funded.released = funds[4], funds[6]  # PlanFunds.funded, released
        log(f"  plan {funded.plan_id} ({funded.support_type.lower()}): {funded.escrowed / YUAN:,.0f} yuan escrowed, "
            f"{funded.released / YUAN:,.0f} released on its accepted first milestone")

    publish_major_event(web3, disclosure, done, county, actors.county_leader, add_document, log)
    return done


def _fund_to_first_milestone(web3: Web3, hub, roles, plans, ledger, run: PlanRun, appropriation: int,
                             actors: Actors, handler: str, officials: list[str]) -> FundedPlan:
    """Starts approved plan ``run``, links it to ``appropriation`` (unless linked), escrows its budget and has its
    first milestone reported and accepted; each step only if not done yet."""
    from govchain.plans import MilestoneStatus, PlanStatus

    funded = FundedPlan(run.plan_id, run.support_type)
    plan_id = run.plan_id
    region = plans.functions.planOf(plan_id).call()[0]

    def send(call, sender, what):
        funded.txs[what] = transact(web3, call, sender, f"plan {plan_id}: {what}")

    if PlanStatus(plans.functions.statusOf(plan_id).call()) == PlanStatus.APPROVED:
        send(plans.functions.start(plan_id), actors.department, "start (owner)")
    if ledger.functions.planFunds(plan_id).call()[0] == 0:
        send(
            ledger.functions.linkPlan(plan_id, appropriation, HOUSEHOLD_CAP),
            actors.treasury,
            "link to the appropriation",
        )
    if ledger.functions.planFunds(plan_id).call()[4] == 0:  # PlanFunds.funded
        send(ledger.functions.escrow(plan_id), handler, "escrow the budget")
    status, attempts = plans.functions.milestoneOf(plan_id, 0).call()[:2]
    if MilestoneStatus(status) in (MilestoneStatus.PLANNED, MilestoneStatus.REJECTED):
        send(plans.functions.reportMilestone(plan_id, 0, "bafkreidemomilestoneevidence"), handler,
             "report milestone 0 (handler)")
        status, attempts = plans.functions.milestoneOf(plan_id, 0).call()[:2]
    if MilestoneStatus(status) == MilestoneStatus.REPORTED:
        subject = plans.functions.milestoneSubject(plan_id, 0, attempts).call()
        funded.txs.update(actors.approve(web3, hub, roles, [(subject, region)], officials))
    return funded


def freeze_and_clear(web3: Web3, plans, ledger, supervision, plan_id: int, county: int, supervisor: str,
                     handler: str, add_document: AddDocument, done: Oversight, log: Log = print) -> None:
    """A supervisor of ``county`` freezes plan ``plan_id`` with a reason document; releasing its tranche is then
    refused (checked, nothing sent); the supervisor clears the case with a reasoned finding."""
    target = plans.functions.planTarget(plan_id).call()
    reason = _document(add_document, "supervision-case.json", kind="supervision case", plan=plan_id,
                       concern="项目计划首期验收材料与现场进度需复核，冻结资金拨付待查。")
    done.txs["freeze (supervisor)"] = transact(web3, supervision.functions.freeze(target, county, reason), supervisor,
                                               f"freezing plan {plan_id}")
    done.case_id, done.frozen_plan = supervision.functions.caseCount().call(), plan_id
    done.refused_with = refusal(ledger.functions.releaseTranche(plan_id, 0), handler)
    if not supervision.functions.isFrozen(target).call():
        raise FlowError(f"Plan {plan_id} is not frozen after case {done.case_id}.")
    finding = _document(add_document, "supervision-finding.json", kind="supervision finding", case=done.case_id,
                        plan=plan_id, finding="复核完成：验收材料与现场一致，解除冻结。")
    done.txs["clear (supervisor)"] = transact(
        web3, supervision.functions.resolve(done.case_id, county, False, 0, finding), supervisor,
        f"clearing case {done.case_id}")
    done.case_state = supervision.functions.caseOf(done.case_id).call()[4]  # ISupervision.Case.state
    if done.case_state != CASE_CLEARED or supervision.functions.isFrozen(target).call():
        raise FlowError(f"Case {done.case_id} did not end cleared with plan {plan_id} free again.")
    log(f"  supervision case {done.case_id}: plan {plan_id} frozen (releasing its tranche refused: "
        f"{done.refused_with or 'not refused'}), then cleared")


def publish_major_event(web3: Web3, disclosure, done: Oversight, county: int, leader: str, add_document: AddDocument,
                        log: Log = print) -> None:
    """The county LEADER discloses the supervision case of ``done`` as a major event of the county."""
    cid = _document(add_document, "major-event.json", kind="major event", category="supervision incident",
                    county=county, case=done.case_id, plan=done.frozen_plan, outcome="cleared",
                    summary="监督员冻结一项项目计划的资金拨付并复核，复核后解除冻结，首期资金按验收拨付。")
    done.txs["major-event disclosure (county leader)"] = transact(
        web3, disclosure.functions.publish(MAJOR_EVENT, SUPERVISION_INCIDENT, county, cid, 0), leader,
        "publishing the major event")
    done.disclosure_id, done.disclosure_cid = disclosure.functions.disclosureCount().call(), cid
    log(f"  major event {done.disclosure_id} disclosed for county {county} (document {cid})")


# ---------------------------------------------------------------------------------------------- the whole scenario


@dataclass
class ScenarioResult:
    flow: object  # orchestration.flow.FlowResult
    funding: object  # orchestration.funding_demo.Funding
    execution: dict[str, str]
    oversight: Oversight


@contextmanager
def _quiet_step(_key: str) -> Iterator[SimpleNamespace]:
    yield SimpleNamespace(note="")


def run_scenario(network, ipfs_api: str, table: Path, oracle_state: Path, key_env: dict[str, str],
                 actors: Actors | None = None, log: Log = print,
                 step: Callable[[str], AbstractContextManager] = _quiet_step) -> ScenarioResult:
    """The demo scenario on a deployed platform, the one order ``make demo`` and the end-to-end test share: flow
    (roles, oracles, registrations with an objection, plans), funds paid to a household both ways, execution and
    assessment, oversight. ``step(key)`` wraps each (``make demo``'s Progress.step: its line and timing; the keys
    are orchestration.demo.STEPS'), and may take a short note."""
    from assessment.demo import run_execution
    from oracle.ipfs import IpfsClient
    from oracle.merkle import StandardMerkleTree
    from orchestration import flow
    from orchestration.funding_demo import fund_and_pay

    actors = actors or Actors.anvil_defaults()
    chain = Chain(network)
    with step("flow") as note:
        result = flow.run_flow(network, ipfs_api, table, oracle_state, key_env, actors=actors, log=log)
        registration = result.registration
        note.note = f"household 0x{registration.household_id.hex()[:12]}… {registration.status}"
    with step("funds") as note:
        funding = fund_and_pay(chain, actors, registration.household_id, registration.region, result.county,
                               StandardMerkleTree.from_leaf_hashes, log)
        note.note = f"plan {funding.plan_id}, payment batch {funding.batch_id}"
    with step("execution"):
        execution = run_execution(chain, registration.household_id, registration.region, result.county, log)
    with step("oversight"):
        oversight = oversee(chain, actors, result.plans, result.county, IpfsClient(ipfs_api).add, log)
    return ScenarioResult(result, funding, execution, oversight)
