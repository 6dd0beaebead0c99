"""Supervision (合规监管): supervisors flag and freeze plans, milestones and hub subjects with a reason; a frozen
target does not move (nor its approval subjects on the hub) until a supervisor of the same or a higher region
resolves the case, clearing it or upholding it with a consequence; overdue approvals reported as events."""

import brownie
import pytest

from govchain.plans import CONSEQUENCE_CANCEL, MilestoneStatus, PlanStatus
from tests.contracts.conftest import (
    COUNTY,
    DAY,
    OTHER_TOWNSHIP,
    TOWNSHIP,
    VILLAGE,
    err,
    plain,
    plan_terms,
    walk_route,
)

REASON = "bafkreireason"
FROZEN, CLEARED, UPHELD = 2, 3, 4  # ISupervision.CaseState


@pytest.fixture(scope="module")
def owner(plan_officials):
    return plan_officials.department


@pytest.fixture(scope="module")
def handler(plan_officials):
    return plan_officials.handler


@pytest.fixture(scope="module")
def supervisor(plan_officials):
    """A SUPERVISOR of the plans' township."""
    return plan_officials.township_supervisor


def create(registry, owner, terms=None):
    return registry.create(TOWNSHIP, 2, 101, terms or plan_terms(), {"from": owner}).return_value


@pytest.fixture
def submitted(plan_registry, owner):
    """A plan of TOWNSHIP awaiting approval: (plan id, its version subject)."""
    plan_id = create(plan_registry, owner)
    return plan_id, plan_registry.submit(plan_id, {"from": owner}).return_value


@pytest.fixture
def executing(plan_registry, owner, approval_hub, route_approvers):
    plan_id = create(plan_registry, owner)
    walk_route(approval_hub, plan_registry.submit(plan_id, {"from": owner}).return_value, route_approvers)
    plan_registry.start(plan_id, {"from": owner})
    return plan_id


def freeze(supervision, target, supervisor, region=TOWNSHIP):
    return supervision.freeze(target, region, REASON, {"from": supervisor}).return_value


# --- freezing --------------------------------------------------------------------------------------------------


def test_a_supervisor_freezes_a_plan_with_a_reason(plan_registry, supervision, executing, supervisor):
    target = plan_registry.planTarget(executing)
    tx = supervision.freeze(target, TOWNSHIP, REASON, {"from": supervisor})
    assert supervision.isFrozen(target)
    opened = tx.events["CaseOpened"]
    assert (opened["target"], opened["client"], opened["frozen"], opened["reasonCid"]) == (
        target, plan_registry.address, True, REASON)
    assert tx.events["TargetFrozen"]["frozen"] is True


def test_a_milestone_reported_on_a_frozen_plan_reverts(plan_registry, supervision, executing, supervisor, handler):
    target = plan_registry.planTarget(executing)
    freeze(supervision, target, supervisor)
    with brownie.reverts(err("SupervisionTargetFrozen", target)):
        plan_registry.reportMilestone(executing, 0, "bafkreievidence", {"from": handler})


def test_a_frozen_milestone_is_not_reported_while_the_others_are(plan_registry, supervision, executing, supervisor,
                                                                 handler):
    target = plan_registry.milestoneTarget(executing, 0)
    freeze(supervision, target, supervisor)
    with brownie.reverts(err("SupervisionTargetFrozen", target)):
        plan_registry.reportMilestone(executing, 0, "bafkreievidence", {"from": handler})
    plan_registry.reportMilestone(executing, 1, "bafkreievidence", {"from": handler})
    assert plan_registry.milestoneOf(executing, 1)["status"] == MilestoneStatus.REPORTED


@pytest.mark.parametrize("action", ["amend", "complete", "close", "outcome"])
def test_no_change_reaches_a_frozen_executing_plan(plan_registry, supervision, executing, supervisor, owner, handler,
                                                   action):
    target = plan_registry.planTarget(executing)
    freeze(supervision, target, supervisor)
    calls = {
        "amend": lambda: plan_registry.amend(executing, plan_terms(), {"from": owner}),
        "complete": lambda: plan_registry.complete(executing, {"from": owner}),
        "close": lambda: plan_registry.close(executing, REASON, {"from": owner}),
        "outcome": lambda: plan_registry.reportOutcome(executing, [1], "bafkreioutcome", {"from": handler}),
    }
    with brownie.reverts(err("SupervisionTargetFrozen", target)):
        calls[action]()


@pytest.mark.parametrize("action", ["submit", "cancel"])
def test_no_change_reaches_a_frozen_draft(plan_registry, supervision, supervisor, owner, action):
    plan_id = create(plan_registry, owner)
    target = plan_registry.planTarget(plan_id)
    freeze(supervision, target, supervisor)
    with brownie.reverts(err("SupervisionTargetFrozen", target)):
        if action == "submit":
            plan_registry.submit(plan_id, {"from": owner})
        else:
            plan_registry.cancel(plan_id, REASON, {"from": owner})


def test_a_frozen_approved_plan_does_not_start(plan_registry, supervision, supervisor, owner, approval_hub,
                                               route_approvers):
    plan_id = create(plan_registry, owner)
    walk_route(approval_hub, plan_registry.submit(plan_id, {"from": owner}).return_value, route_approvers)
    target = plan_registry.planTarget(plan_id)
    freeze(supervision, target, supervisor)
    with brownie.reverts(err("SupervisionTargetFrozen", target)):
        plan_registry.start(plan_id, {"from": owner})


def test_freezing_a_plan_freezes_its_pending_approval_subject_on_the_hub(plan_registry, supervision, submitted,
                                                                          supervisor, approval_hub, officials):
    plan_id, subject = submitted
    tx = supervision.freeze(plan_registry.planTarget(plan_id), TOWNSHIP, REASON, {"from": supervisor})
    assert approval_hub.subjectOf(subject)["frozen"]
    assert tx.events["SubjectFrozen"]["subject"] == subject
    with brownie.reverts(err("ApprovalSubjectFrozen", subject)):
        approval_hub.approve(subject, 0, {"from": officials.township_leaders[0]})


def test_freezing_a_plan_freezes_its_milestone_reports_awaiting_approval(plan_registry, supervision, executing,
                                                                        supervisor, handler, approval_hub):
    report = plan_registry.reportMilestone(executing, 0, "bafkreievidence", {"from": handler}).return_value
    case = freeze(supervision, plan_registry.planTarget(executing), supervisor)
    assert plain(supervision.caseSubjects(case)) == (report,)
    assert approval_hub.subjectOf(report)["frozen"]


def test_a_flag_records_a_case_without_freezing(plan_registry, supervision, executing, supervisor, handler):
    target = plan_registry.planTarget(executing)
    tx = supervision.flag(target, TOWNSHIP, REASON, {"from": supervisor})
    assert tx.events["CaseOpened"]["frozen"] is False
    assert not supervision.isFrozen(target)
    plan_registry.reportMilestone(executing, 0, "bafkreievidence", {"from": handler})


def test_freezing_a_household_procedure_freezes_its_subject_on_the_hub(supervision, household_registry, first_batch,
                                                                       officials, approval_hub, supervisor):
    leaf, proof = first_batch.proof("admitted")
    subject = household_registry.fileRegistration(first_batch.id, leaf, proof, {"from": officials.clerk}).return_value
    freeze(supervision, subject, supervisor)
    assert approval_hub.subjectOf(subject)["frozen"]


# --- who may freeze what ---------------------------------------------------------------------------------------


def test_only_a_supervisor_freezes(plan_registry, supervision, executing, owner):
    with brownie.reverts(err("SupervisionUnauthorized", owner, TOWNSHIP)):
        freeze(supervision, plan_registry.planTarget(executing), owner)


def test_a_supervisor_of_another_township_does_not_freeze_this_one(plan_registry, supervision, executing,
                                                                   plan_officials):
    target = plan_registry.planTarget(executing)
    with brownie.reverts(err("SupervisionRegionNotCovered", OTHER_TOWNSHIP, TOWNSHIP)):
        freeze(supervision, target, plan_officials.other_supervisor, region=OTHER_TOWNSHIP)
    with brownie.reverts(err("SupervisionUnauthorized", plan_officials.other_supervisor, TOWNSHIP)):
        freeze(supervision, target, plan_officials.other_supervisor, region=TOWNSHIP)


def test_a_village_supervisor_does_not_freeze_a_township_plan(plan_registry, supervision, executing, plan_officials):
    with brownie.reverts(err("SupervisionRegionNotCovered", VILLAGE, TOWNSHIP)):
        freeze(supervision, plan_registry.planTarget(executing), plan_officials.village_supervisor, region=VILLAGE)


def test_a_target_with_another_region_than_its_plans_is_refused(plan_registry, supervision, executing,
                                                                 plan_officials):
    forged = plan_registry.planTarget(executing) - TOWNSHIP + OTHER_TOWNSHIP
    with brownie.reverts(err("SupervisionInvalidTarget", forged)):
        freeze(supervision, forged, plan_officials.other_supervisor, region=OTHER_TOWNSHIP)


def test_a_target_of_no_hub_client_is_refused(supervision, supervisor, plan_officials):
    target = int(plan_officials.analyst.address, 16) << 96 | TOWNSHIP
    with brownie.reverts(err("SupervisionInvalidTarget", target)):
        freeze(supervision, target, supervisor)


def test_a_case_needs_a_reason(plan_registry, supervision, executing, supervisor):
    with brownie.reverts(err("SupervisionReasonRequired")):
        supervision.freeze(plan_registry.planTarget(executing), TOWNSHIP, "", {"from": supervisor})


# --- resolution ------------------------------------------------------------------------------------------------


def test_a_cleared_freeze_lets_the_plan_and_its_hub_subject_move_again(plan_registry, supervision, submitted,
                                                                      supervisor, approval_hub, route_approvers):
    plan_id, subject = submitted
    target = plan_registry.planTarget(plan_id)
    case = freeze(supervision, target, supervisor)
    tx = supervision.resolve(case, TOWNSHIP, False, 0, "bafkreicleared", {"from": supervisor})
    assert (tx.events["CaseResolved"]["upheld"], supervision.caseOf(case)["state"]) == (False, CLEARED)
    assert not supervision.isFrozen(target) and not approval_hub.subjectOf(subject)["frozen"]
    walk_route(approval_hub, subject, route_approvers)
    assert plan_registry.statusOf(plan_id) == PlanStatus.APPROVED


def test_a_supervisor_of_a_higher_region_resolves_a_case(plan_registry, supervision, executing, supervisor,
                                                         plan_officials):
    case = freeze(supervision, plan_registry.planTarget(executing), supervisor)
    supervision.resolve(case, COUNTY, False, 0, "bafkreicleared", {"from": plan_officials.county_supervisor})
    assert supervision.caseOf(case)["state"] == CLEARED


def test_a_supervisor_of_a_lower_region_does_not_resolve_a_case(plan_registry, supervision, executing,
                                                                plan_officials):
    case = freeze(supervision, plan_registry.planTarget(executing), plan_officials.county_supervisor, region=COUNTY)
    with brownie.reverts(err("SupervisionRegionNotCovered", TOWNSHIP, COUNTY)):
        supervision.resolve(case, TOWNSHIP, False, 0, "bafkreicleared", {"from": plan_officials.township_supervisor})


def test_an_upheld_finding_cancels_the_plan(plan_registry, supervision, executing, supervisor):
    target = plan_registry.planTarget(executing)
    case = freeze(supervision, target, supervisor)
    tx = supervision.resolve(case, TOWNSHIP, True, CONSEQUENCE_CANCEL, "bafkreifinding", {"from": supervisor})
    assert plan_registry.statusOf(executing) == PlanStatus.CANCELLED
    assert tx.events["PlanStatusChanged"]["status"] == PlanStatus.CANCELLED
    assert supervision.caseOf(case)["state"] == UPHELD


def test_an_upheld_finding_on_a_milestone_cancels_its_plan(plan_registry, supervision, executing, supervisor):
    case = freeze(supervision, plan_registry.milestoneTarget(executing, 2), supervisor)
    supervision.resolve(case, TOWNSHIP, True, CONSEQUENCE_CANCEL, "bafkreifinding", {"from": supervisor})
    assert plan_registry.statusOf(executing) == PlanStatus.CANCELLED


def test_an_upheld_finding_without_consequence_only_lifts_the_freeze(plan_registry, supervision, executing,
                                                                     supervisor):
    target = plan_registry.planTarget(executing)
    case = freeze(supervision, target, supervisor)
    supervision.resolve(case, TOWNSHIP, True, 0, "bafkreifinding", {"from": supervisor})
    assert not supervision.isFrozen(target)
    assert plan_registry.statusOf(executing) == PlanStatus.EXECUTING


def test_a_consequence_needs_an_upheld_finding(plan_registry, supervision, executing, supervisor):
    case = freeze(supervision, plan_registry.planTarget(executing), supervisor)
    with brownie.reverts(err("SupervisionConsequenceWithoutFinding", CONSEQUENCE_CANCEL)):
        supervision.resolve(case, TOWNSHIP, False, CONSEQUENCE_CANCEL, "bafkreicleared", {"from": supervisor})


def test_an_unknown_consequence_is_refused_by_the_plans_registry(plan_registry, supervision, executing, supervisor):
    target = plan_registry.planTarget(executing)
    case = freeze(supervision, target, supervisor)
    with brownie.reverts(err("PlanUnknownConsequence", target, 9)):
        supervision.resolve(case, TOWNSHIP, True, 9, "bafkreifinding", {"from": supervisor})


def test_a_case_is_resolved_once(plan_registry, supervision, executing, supervisor):
    case = freeze(supervision, plan_registry.planTarget(executing), supervisor)
    supervision.resolve(case, TOWNSHIP, False, 0, "bafkreicleared", {"from": supervisor})
    with brownie.reverts(err("SupervisionCaseNotOpen", case, CLEARED)):
        supervision.resolve(case, TOWNSHIP, False, 0, "bafkreicleared", {"from": supervisor})


def test_a_target_frozen_twice_stays_frozen_until_both_cases_are_resolved(plan_registry, supervision, submitted,
                                                                         supervisor, plan_officials, approval_hub):
    plan_id, subject = submitted
    target = plan_registry.planTarget(plan_id)
    first = freeze(supervision, target, supervisor)
    second = freeze(supervision, target, plan_officials.county_supervisor, region=COUNTY)
    supervision.resolve(first, TOWNSHIP, False, 0, "bafkreicleared", {"from": supervisor})
    assert supervision.isFrozen(target) and approval_hub.subjectOf(subject)["frozen"]
    supervision.resolve(second, COUNTY, False, 0, "bafkreicleared", {"from": plan_officials.county_supervisor})
    assert not supervision.isFrozen(target) and not approval_hub.subjectOf(subject)["frozen"]


def test_a_report_frozen_with_its_milestone_and_its_plan_thaws_with_the_last(plan_registry, supervision, executing,
                                                                           supervisor, handler, approval_hub):
    report = plan_registry.reportMilestone(executing, 0, "bafkreievidence", {"from": handler}).return_value
    on_milestone = freeze(supervision, plan_registry.milestoneTarget(executing, 0), supervisor)
    on_plan = freeze(supervision, plan_registry.planTarget(executing), supervisor)
    supervision.resolve(on_plan, TOWNSHIP, False, 0, "bafkreicleared", {"from": supervisor})
    assert approval_hub.subjectOf(report)["frozen"]
    supervision.resolve(on_milestone, TOWNSHIP, False, 0, "bafkreicleared", {"from": supervisor})
    assert not approval_hub.subjectOf(report)["frozen"]


# --- process supervision (流程监管) ----------------------------------------------------------------------------


def test_an_overdue_approval_is_reported_as_an_event(plan_registry, supervision, submitted, chain, approval_hub,
                                                    plan_officials):
    _, subject = submitted
    deadline = approval_hub.levelDeadline(subject)
    chain.sleep(5 * DAY + 1)
    chain.mine()
    tx = supervision.reportOverdue(subject, {"from": plan_officials.analyst})
    event = tx.events["ApprovalOverdue"]
    assert (event["subject"], event["level"], event["region"], event["deadline"]) == (subject, 0, TOWNSHIP, deadline)


def test_an_approval_within_its_deadline_is_not_overdue(supervision, submitted, approval_hub, plan_officials):
    _, subject = submitted
    with brownie.reverts(err("SupervisionNotOverdue", subject, approval_hub.levelDeadline(subject))):
        supervision.reportOverdue(subject, {"from": plan_officials.analyst})


def test_supervision_is_the_hubs_one_freezing_contract(supervision, approval_hub):
    assert approval_hub.supervision() == supervision
