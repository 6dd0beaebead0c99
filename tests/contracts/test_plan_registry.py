"""PlanRegistry: plans of the eight support types through their lifecycle on the approval hub (draft, submission,
approval, return, rejection, execution, completion, cancellation, closure), amendments as versions, milestones
reported and approved on routes of their own, outcome reports, and the events a public page reads."""

import brownie
import pytest

from govchain.deploy import MILESTONE, PLAN, YUAN
from govchain.plans import (
    IN_TRANSITION,
    REGISTERED,
    UNDER_MONITORING,
    MilestoneStatus,
    PlanStatus,
    SupportType,
    VersionStatus,
    milestone_subject,
    version_subject,
)
from tests.contracts.conftest import (
    COUNTY_LEVEL,
    DOCUMENT_CID,
    OTHER_TOWNSHIP,
    PENDING,
    TOWNSHIP,
    VILLAGE,
    err,
    plain,
    plan_terms,
    walk_route,
)

CATEGORY = 101  # a project category code (e.g. road building)


@pytest.fixture(scope="module")
def owner(plan_officials):
    return plan_officials.department


def create(registry, owner, support_type=SupportType.PROJECT, terms=None, region=TOWNSHIP):
    tx = registry.create(region, support_type, CATEGORY, terms or plan_terms(), {"from": owner})
    return tx.return_value


def submit(registry, plan_id, owner):
    return registry.submit(plan_id, {"from": owner}).return_value


@pytest.fixture
def approved(plan_registry, owner, approval_hub, route_approvers):
    """An approved project plan (500,000 yuan, three milestones of 100,000) of TOWNSHIP."""
    plan_id = create(plan_registry, owner)
    walk_route(approval_hub, submit(plan_registry, plan_id, owner), route_approvers)
    return plan_id


@pytest.fixture
def executing(plan_registry, owner, approved):
    plan_registry.start(approved, {"from": owner})
    return approved


def report(registry, plan_id, index, handler, evidence="bafkreievidence"):
    return registry.reportMilestone(plan_id, index, evidence, {"from": handler}).return_value


# --- drafting ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("support_type", [t for t in SupportType if t is not SupportType.NONE])
def test_a_department_officer_drafts_a_plan_of_each_support_type(plan_registry, owner, support_type):
    tx = plan_registry.create(TOWNSHIP, support_type, CATEGORY, plan_terms(), {"from": owner})
    plan = plan_registry.planOf(tx.return_value)
    assert (plan["supportType"], plan["status"], plan["latestVersion"], plan["currentVersion"]) == (
        support_type, PlanStatus.DRAFT, 1, 0)
    assert tx.events["PlanDrafted"]["owner"] == owner


def test_a_draft_records_its_terms_as_version_one(plan_registry, owner):
    terms = plan_terms(statuses=IN_TRANSITION | UNDER_MONITORING, list_root=b"\x07" * 32, list_cid="bafkreilist")
    plan_id = create(plan_registry, owner, terms=terms)
    version = plan_registry.versionOf(plan_id, 1)
    assert version["status"] == VersionStatus.DRAFT
    assert plain(version["terms"]) == plain(terms)


def test_a_plan_needs_a_support_type(plan_registry, owner):
    with brownie.reverts(err("PlanInvalidType")):
        create(plan_registry, owner, support_type=SupportType.NONE)


def test_a_plan_needs_a_valid_region(plan_registry, owner):
    with brownie.reverts(err("PlanInvalidRegion", 530102001)):
        create(plan_registry, owner, region=530102001)


def test_only_a_department_officer_of_the_region_drafts_a_plan(plan_registry, plan_officials, role):
    with brownie.reverts(err("PlanUnauthorized", plan_officials.handler, role["DEPARTMENT"], TOWNSHIP)):
        create(plan_registry, plan_officials.handler)


def test_a_department_officer_of_another_region_drafts_no_plan_here(plan_registry, owner, role):
    with brownie.reverts(err("PlanUnauthorized", owner, role["DEPARTMENT"], OTHER_TOWNSHIP)):
        create(plan_registry, owner, region=OTHER_TOWNSHIP)


def test_milestones_may_not_add_up_to_more_than_the_budget(plan_registry, owner):
    with brownie.reverts(err("PlanMilestonesOverBudget", 600_000 * YUAN, 500_000 * YUAN)):
        create(plan_registry, owner, terms=plan_terms(milestones=[200_000 * YUAN] * 3))


@pytest.mark.parametrize("terms, reason", [
    (plan_terms(document=""), 1),
    (plan_terms(milestones=[1] * 65), 2),
    (plan_terms(due=0), 3),
    (plan_terms(statuses=0), 4),
    (plan_terms(statuses=8), 4),
    (plan_terms(list_root=b"\x07" * 32), 4),
    (plan_terms(list_cid="bafkreilist"), 4),
    (plan_terms(kpis=[(b"\x00" * 32, 1)]), 5),
])
def test_terms_without_what_a_plan_needs_are_refused_with_the_reason(plan_registry, owner, terms, reason):
    with brownie.reverts(err("PlanInvalidTerms", reason)):
        create(plan_registry, owner, terms=terms)


# --- submission and approval -----------------------------------------------------------------------------------


def test_submitting_opens_the_route_chosen_by_type_and_budget(plan_registry, owner, approval_hub, plan_routes):
    small = create(plan_registry, owner, SupportType.FUND, plan_terms(budget=1_000_000 * YUAN))
    large = create(plan_registry, owner, SupportType.FUND, plan_terms(budget=1_000_000 * YUAN + 1))
    routes = [approval_hub.subjectOf(submit(plan_registry, plan_id, owner))["routeId"] for plan_id in (small, large)]
    assert routes == plan_routes[(PLAN, SupportType.FUND)]


def test_a_fund_plan_route_has_the_county_treasury_approve(plan_registry, owner, approval_hub, role):
    subject = submit(plan_registry, create(plan_registry, owner, SupportType.FUND), owner)
    _, levels = approval_hub.route(approval_hub.subjectOf(subject)["routeId"])
    assert plain((role["TREASURY"], COUNTY_LEVEL)) in [plain((level[0], level[1])) for level in levels]


def test_submitting_opens_the_version_subject_on_the_hub(plan_registry, owner, approval_hub):
    plan_id = create(plan_registry, owner)
    tx = plan_registry.submit(plan_id, {"from": owner})
    assert tx.return_value == version_subject(plan_registry.address, plan_id, 1, TOWNSHIP)
    assert approval_hub.subjectOf(tx.return_value)["state"] == PENDING
    assert plan_registry.statusOf(plan_id) == PlanStatus.SUBMITTED
    event = tx.events["PlanStatusChanged"]
    assert (event["status"], event["version"], event["budget"], event["cid"]) == (
        PlanStatus.SUBMITTED, 1, 500_000 * YUAN, DOCUMENT_CID)


def test_a_plan_is_approved_when_its_route_completes(plan_registry, owner, approval_hub, route_approvers):
    plan_id = create(plan_registry, owner)
    txs = walk_route(approval_hub, submit(plan_registry, plan_id, owner), route_approvers)
    plan = plan_registry.planOf(plan_id)
    assert (plan["status"], plan["currentVersion"]) == (PlanStatus.APPROVED, 1)
    assert plan_registry.versionOf(plan_id, 1)["status"] == VersionStatus.APPROVED
    assert txs[-1].events["PlanStatusChanged"]["status"] == PlanStatus.APPROVED


def test_a_plan_is_not_approved_before_its_last_level(plan_registry, owner, approval_hub, route_approvers):
    plan_id = create(plan_registry, owner)
    walk_route(approval_hub, submit(plan_registry, plan_id, owner), route_approvers, levels=1)
    assert plan_registry.statusOf(plan_id) == PlanStatus.SUBMITTED


def test_a_plan_approved_by_its_submitter_reverts(plan_registry, owner, approval_hub, role_registry, role, admin):
    role_registry.grantRoleIn(role["LEADER"], owner, TOWNSHIP, {"from": admin})
    subject = submit(plan_registry, create(plan_registry, owner), owner)
    with brownie.reverts(err("ApprovalBySubmitter", subject, owner)):
        approval_hub.approve(subject, 0, {"from": owner})


def test_a_rejected_plan_stays_readable_as_rejected(plan_registry, owner, approval_hub, officials):
    plan_id = create(plan_registry, owner)
    subject = submit(plan_registry, plan_id, owner)
    approval_hub.reject(subject, "bafkreicomment", {"from": officials.township_leaders[0]})
    assert plan_registry.statusOf(plan_id) == PlanStatus.REJECTED
    assert plan_registry.versionOf(plan_id, 1)["status"] == VersionStatus.REJECTED


def test_a_returned_plan_reads_returned_until_resubmitted(plan_registry, owner, approval_hub, officials):
    plan_id = create(plan_registry, owner)
    subject = submit(plan_registry, plan_id, owner)
    approval_hub.returnForRevision(subject, "bafkreicomment", {"from": officials.township_leaders[0]})
    assert plan_registry.statusOf(plan_id) == PlanStatus.RETURNED
    approval_hub.resubmit(subject, "bafkreirevision", {"from": owner})
    assert plan_registry.statusOf(plan_id) == PlanStatus.SUBMITTED


def test_a_plan_is_submitted_only_once(plan_registry, owner):
    plan_id = create(plan_registry, owner)
    submit(plan_registry, plan_id, owner)
    with brownie.reverts(err("PlanNothingPending", plan_id)):
        submit(plan_registry, plan_id, owner)


def test_only_the_owner_submits_a_plan(plan_registry, owner, plan_officials):
    plan_id = create(plan_registry, owner)
    with brownie.reverts(err("PlanNotOwner", plan_id, plan_officials.other_department)):
        submit(plan_registry, plan_id, plan_officials.other_department)


def test_an_owner_who_lost_the_department_role_no_longer_acts(plan_registry, owner, role_registry, role, admin):
    plan_id = create(plan_registry, owner)
    role_registry.revokeRoleIn(role["DEPARTMENT"], owner, TOWNSHIP, {"from": admin})
    with brownie.reverts(err("PlanUnauthorized", owner, role["DEPARTMENT"], TOWNSHIP)):
        submit(plan_registry, plan_id, owner)


def test_an_unknown_plan_is_not_found(plan_registry, owner):
    with brownie.reverts(err("PlanNotFound", 99)):
        submit(plan_registry, 99, owner)


# --- cancellation, execution, completion, closure --------------------------------------------------------------


def test_the_owner_cancels_a_draft(plan_registry, owner):
    plan_id = create(plan_registry, owner)
    tx = plan_registry.cancel(plan_id, "bafkreireason", {"from": owner})
    assert plan_registry.statusOf(plan_id) == PlanStatus.CANCELLED
    assert tx.events["PlanStatusChanged"]["cid"] == "bafkreireason"
    assert plan_registry.versionOf(plan_id, 1)["status"] == VersionStatus.WITHDRAWN


def test_the_owner_cancels_a_returned_plan_and_a_later_approval_changes_nothing(
        plan_registry, owner, approval_hub, officials, route_approvers):
    plan_id = create(plan_registry, owner)
    subject = submit(plan_registry, plan_id, owner)
    approval_hub.returnForRevision(subject, "bafkreicomment", {"from": officials.township_leaders[0]})
    plan_registry.cancel(plan_id, "bafkreireason", {"from": owner})
    approval_hub.resubmit(subject, "bafkreirevision", {"from": owner})
    walk_route(approval_hub, subject, route_approvers)
    assert plan_registry.planOf(plan_id)["status"] == PlanStatus.CANCELLED
    assert plan_registry.planOf(plan_id)["currentVersion"] == 0


def test_a_plan_awaiting_approval_is_not_cancelled_by_its_owner(plan_registry, owner):
    plan_id = create(plan_registry, owner)
    submit(plan_registry, plan_id, owner)
    with brownie.reverts(err("PlanWrongStatus", plan_id, PlanStatus.SUBMITTED)):
        plan_registry.cancel(plan_id, "bafkreireason", {"from": owner})


def test_the_owner_starts_executing_an_approved_plan(plan_registry, owner, approved):
    tx = plan_registry.start(approved, {"from": owner})
    assert plan_registry.statusOf(approved) == PlanStatus.EXECUTING
    assert tx.events["PlanStatusChanged"]["status"] == PlanStatus.EXECUTING


def test_a_plan_does_not_execute_before_its_approval(plan_registry, owner):
    plan_id = create(plan_registry, owner)
    submit(plan_registry, plan_id, owner)
    with brownie.reverts(err("PlanWrongStatus", plan_id, PlanStatus.SUBMITTED)):
        plan_registry.start(plan_id, {"from": owner})


def test_an_executing_plan_is_not_cancelled_by_its_owner(plan_registry, owner, executing):
    with brownie.reverts(err("PlanWrongStatus", executing, PlanStatus.EXECUTING)):
        plan_registry.cancel(executing, "bafkreireason", {"from": owner})


def test_a_plan_completes_when_every_milestone_is_approved(plan_registry, owner, executing, plan_officials,
                                                           approval_hub, route_approvers):
    for index in range(3):
        walk_route(approval_hub, report(plan_registry, executing, index, plan_officials.handler), route_approvers)
    plan_registry.complete(executing, {"from": owner})
    assert plan_registry.statusOf(executing) == PlanStatus.COMPLETED


def test_a_plan_with_an_amendment_pending_does_not_complete(plan_registry, owner, executing, plan_officials,
                                                           approval_hub, route_approvers):
    for index in range(3):
        walk_route(approval_hub, report(plan_registry, executing, index, plan_officials.handler), route_approvers)
    plan_registry.amend(executing, plan_terms(), {"from": owner})
    with brownie.reverts(err("PlanVersionPending", executing, 2)):
        plan_registry.complete(executing, {"from": owner})


def test_a_plan_with_a_milestone_open_does_not_complete(plan_registry, owner, executing, plan_officials,
                                                       approval_hub, route_approvers):
    walk_route(approval_hub, report(plan_registry, executing, 0, plan_officials.handler), route_approvers)
    with brownie.reverts(err("PlanMilestoneOpen", executing, 1)):
        plan_registry.complete(executing, {"from": owner})


def test_the_owner_closes_an_executing_plan(plan_registry, owner, executing):
    tx = plan_registry.close(executing, "bafkreiclosure", {"from": owner})
    assert plan_registry.statusOf(executing) == PlanStatus.CLOSED
    assert tx.events["PlanStatusChanged"]["cid"] == "bafkreiclosure"


def test_a_plan_with_a_milestone_awaiting_approval_does_not_close(plan_registry, owner, executing, plan_officials):
    report(plan_registry, executing, 1, plan_officials.handler)
    with brownie.reverts(err("PlanMilestoneWrongStatus", executing, 1, MilestoneStatus.REPORTED)):
        plan_registry.close(executing, "bafkreiclosure", {"from": owner})


def test_a_draft_does_not_close(plan_registry, owner):
    plan_id = create(plan_registry, owner)
    with brownie.reverts(err("PlanWrongStatus", plan_id, PlanStatus.DRAFT)):
        plan_registry.close(plan_id, "bafkreiclosure", {"from": owner})


# --- milestones ------------------------------------------------------------------------------------------------


def test_a_handler_reports_a_milestone_which_opens_its_own_route(plan_registry, executing, plan_officials,
                                                                 approval_hub, plan_routes):
    tx = plan_registry.reportMilestone(executing, 0, "bafkreievidence", {"from": plan_officials.handler})
    subject = tx.return_value
    assert subject == milestone_subject(plan_registry.address, executing, 0, 1, TOWNSHIP)
    assert approval_hub.subjectOf(subject)["routeId"] == plan_routes[(MILESTONE, SupportType.PROJECT)][0]
    progress = plan_registry.milestoneOf(executing, 0)
    assert (progress["status"], progress["attempts"], progress["amount"]) == (
        MilestoneStatus.REPORTED, 1, 100_000 * YUAN)
    assert plan_registry.planOf(executing)["committed"] == 100_000 * YUAN
    assert tx.events["MilestoneStatusChanged"]["evidenceCid"] == "bafkreievidence"


def test_a_large_tranche_takes_the_larger_milestone_route(plan_registry, owner, plan_officials, approval_hub,
                                                          plan_routes, route_approvers):
    plan_id = create(plan_registry, owner, terms=plan_terms(budget=900_000 * YUAN, milestones=[800_000 * YUAN]))
    walk_route(approval_hub, submit(plan_registry, plan_id, owner), route_approvers)
    plan_registry.start(plan_id, {"from": owner})
    subject = report(plan_registry, plan_id, 0, plan_officials.handler)
    assert approval_hub.subjectOf(subject)["routeId"] == plan_routes[(MILESTONE, SupportType.PROJECT)][1]


def test_an_approved_milestone_releases_its_tranche(plan_registry, executing, plan_officials, approval_hub,
                                                    route_approvers):
    assert plain(plan_registry.trancheApproved(executing, 0)) == (False, 0)
    txs = walk_route(approval_hub, report(plan_registry, executing, 0, plan_officials.handler), route_approvers)
    assert plain(plan_registry.trancheApproved(executing, 0)) == (True, 100_000 * YUAN)
    assert txs[-1].events["MilestoneStatusChanged"]["status"] == MilestoneStatus.APPROVED


def test_a_rejected_milestone_frees_its_commitment_and_is_reported_again_as_a_new_subject(
        plan_registry, executing, plan_officials, approval_hub):
    first = report(plan_registry, executing, 0, plan_officials.handler)
    approval_hub.reject(first, "bafkreicomment", {"from": plan_officials.county_department})
    assert plan_registry.milestoneOf(executing, 0)["status"] == MilestoneStatus.REJECTED
    assert plan_registry.planOf(executing)["committed"] == 0
    second = report(plan_registry, executing, 0, plan_officials.handler)
    assert second == milestone_subject(plan_registry.address, executing, 0, 2, TOWNSHIP) != first


def test_only_a_handler_of_the_region_reports_a_milestone(plan_registry, executing, owner, role):
    with brownie.reverts(err("PlanUnauthorized", owner, role["HANDLER"], TOWNSHIP)):
        report(plan_registry, executing, 0, owner)


def test_a_milestone_of_a_plan_not_executing_is_not_reported(plan_registry, approved, plan_officials):
    with brownie.reverts(err("PlanWrongStatus", approved, PlanStatus.APPROVED)):
        report(plan_registry, approved, 0, plan_officials.handler)


def test_a_milestone_the_plan_does_not_have_is_not_reported(plan_registry, executing, plan_officials):
    with brownie.reverts(err("PlanMilestoneNotFound", executing, 3)):
        report(plan_registry, executing, 3, plan_officials.handler)


def test_a_milestone_awaiting_approval_is_not_reported_again(plan_registry, executing, plan_officials):
    report(plan_registry, executing, 0, plan_officials.handler)
    with brownie.reverts(err("PlanMilestoneWrongStatus", executing, 0, MilestoneStatus.REPORTED)):
        report(plan_registry, executing, 0, plan_officials.handler)


def test_a_milestone_report_needs_evidence(plan_registry, executing, plan_officials):
    with brownie.reverts(err("PlanEvidenceRequired")):
        report(plan_registry, executing, 0, plan_officials.handler, evidence="")


# --- amendments ------------------------------------------------------------------------------------------------


def test_an_amendment_is_a_new_version_that_needs_approval_again(plan_registry, owner, executing, approval_hub,
                                                                 route_approvers):
    amended = plan_terms(budget=600_000 * YUAN, document="bafkreiamendment")
    version = plan_registry.amend(executing, amended, {"from": owner}).return_value
    assert version == 2
    subject = submit(plan_registry, executing, owner)
    assert plan_registry.planOf(executing)["currentVersion"] == 1
    walk_route(approval_hub, subject, route_approvers)
    plan = plan_registry.planOf(executing)
    assert (plan["currentVersion"], plan["latestVersion"], plan["status"]) == (2, 2, PlanStatus.EXECUTING)


def test_earlier_versions_stay_readable_after_an_amendment(plan_registry, owner, executing, approval_hub,
                                                           route_approvers):
    plan_registry.amend(executing, plan_terms(budget=600_000 * YUAN, document="bafkreiamendment"), {"from": owner})
    walk_route(approval_hub, submit(plan_registry, executing, owner), route_approvers)
    first = plan_registry.versionOf(executing, 1)
    assert (first["status"], plain(first["terms"])) == (VersionStatus.APPROVED, plain(plan_terms()))
    assert plan_registry.versionOf(executing, 2)["terms"]["documentCid"] == "bafkreiamendment"


def test_an_amendment_below_the_committed_amount_reverts(plan_registry, owner, executing, plan_officials):
    report(plan_registry, executing, 0, plan_officials.handler)
    report(plan_registry, executing, 1, plan_officials.handler)
    below = plan_terms(budget=150_000 * YUAN, milestones=[100_000 * YUAN, 50_000 * YUAN])
    with brownie.reverts(err("PlanBudgetBelowCommitted", executing, 150_000 * YUAN, 200_000 * YUAN)):
        plan_registry.amend(executing, below, {"from": owner})


def test_an_amendment_keeps_a_reported_milestone_and_its_amount(plan_registry, owner, executing, plan_officials):
    report(plan_registry, executing, 1, plan_officials.handler)
    changed = plan_terms(milestones=[100_000 * YUAN, 90_000 * YUAN, 100_000 * YUAN])
    with brownie.reverts(err("PlanMilestoneLocked", executing, 1)):
        plan_registry.amend(executing, changed, {"from": owner})


def test_a_milestone_reported_while_an_amendment_drops_it_reverts(plan_registry, owner, executing, plan_officials):
    plan_registry.amend(executing, plan_terms(milestones=[100_000 * YUAN]), {"from": owner})
    with brownie.reverts(err("PlanMilestoneLocked", executing, 2)):
        report(plan_registry, executing, 2, plan_officials.handler)


def test_a_second_amendment_waits_for_the_first(plan_registry, owner, executing):
    plan_registry.amend(executing, plan_terms(), {"from": owner})
    with brownie.reverts(err("PlanVersionPending", executing, 2)):
        plan_registry.amend(executing, plan_terms(), {"from": owner})


def test_a_draft_plan_is_not_amended(plan_registry, owner):
    plan_id = create(plan_registry, owner)
    with brownie.reverts(err("PlanWrongStatus", plan_id, PlanStatus.DRAFT)):
        plan_registry.amend(plan_id, plan_terms(), {"from": owner})


def test_a_rejected_amendment_leaves_the_version_in_force(plan_registry, owner, executing, approval_hub, officials):
    plan_registry.amend(executing, plan_terms(budget=700_000 * YUAN), {"from": owner})
    approval_hub.reject(submit(plan_registry, executing, owner), "bafkreicomment",
                        {"from": officials.township_leaders[0]})
    plan = plan_registry.planOf(executing)
    assert (plan["status"], plan["currentVersion"]) == (PlanStatus.EXECUTING, 1)
    assert plan_registry.versionOf(executing, 2)["status"] == VersionStatus.REJECTED


def test_the_owner_withdraws_a_draft_amendment(plan_registry, owner, executing):
    plan_registry.amend(executing, plan_terms(), {"from": owner})
    plan_registry.withdrawAmendment(executing, {"from": owner})
    assert plan_registry.versionOf(executing, 2)["status"] == VersionStatus.WITHDRAWN
    assert plan_registry.amend(executing, plan_terms(), {"from": owner}).return_value == 3


def test_an_amendment_awaiting_approval_is_not_withdrawn(plan_registry, owner, executing):
    plan_registry.amend(executing, plan_terms(), {"from": owner})
    submit(plan_registry, executing, owner)
    with brownie.reverts(err("PlanNothingPending", executing)):
        plan_registry.withdrawAmendment(executing, {"from": owner})


# --- outcome reports -------------------------------------------------------------------------------------------


def test_a_handler_reports_kpi_actuals_with_evidence(plan_registry, executing, plan_officials):
    tx = plan_registry.reportOutcome(executing, [37], "bafkreioutcome", {"from": plan_officials.handler})
    assert plain(plan_registry.outcomeOf(executing)) == (37,)
    event = tx.events["OutcomeReported"]
    assert (plain(event["actuals"]), event["evidenceCid"], event["plan"][5]) == ((37,), "bafkreioutcome", 1)


def test_an_outcome_report_gives_one_actual_per_kpi(plan_registry, executing, plan_officials):
    with brownie.reverts(err("PlanKpiCountMismatch", 2, 1)):
        plan_registry.reportOutcome(executing, [37, 1], "bafkreioutcome", {"from": plan_officials.handler})


def test_an_outcome_is_not_reported_before_execution(plan_registry, approved, plan_officials):
    with brownie.reverts(err("PlanWrongStatus", approved, PlanStatus.APPROVED)):
        plan_registry.reportOutcome(approved, [37], "bafkreioutcome", {"from": plan_officials.handler})


# --- the hub's clients and callbacks ---------------------------------------------------------------------------


def test_a_client_opening_a_kind_it_was_not_registered_for_reverts(plan_registry, executing, plan_officials,
                                                                  approval_hub, admin):
    approval_hub.registerClient(plan_registry, [PLAN], {"from": admin})
    with brownie.reverts(err("ApprovalKindNotAllowed", plan_registry.address, MILESTONE)):
        report(plan_registry, executing, 0, plan_officials.handler)


def test_a_callback_from_a_contract_that_is_not_the_hub_reverts(plan_registry, owner, plan_officials):
    subject = submit(plan_registry, create(plan_registry, owner), owner)
    with brownie.reverts(err("ApprovalClientNotHub", plan_officials.handler)):
        plan_registry.onApprovalDecided(subject, True, {"from": plan_officials.handler})


def test_only_the_hubs_supervision_applies_a_consequence(plan_registry, approved, plan_officials):
    target = plan_registry.planTarget(approved)
    with brownie.reverts(err("SupervisedNotSupervision", plan_officials.county_supervisor)):
        plan_registry.applyConsequence(target, 1, {"from": plan_officials.county_supervisor})


def test_the_hub_decides_plans_and_households_side_by_side_each_for_its_own_client(
        plan_registry, owner, approval_hub, household_registry, first_batch, officials, route_approvers):
    plan_subject = submit(plan_registry, create(plan_registry, owner), owner)
    leaf, proof = first_batch.proof("admitted")
    household_subject = household_registry.fileRegistration(first_batch.id, leaf, proof,
                                                            {"from": officials.clerk}).return_value
    assert approval_hub.subjectClient(plan_subject) == plan_registry
    assert approval_hub.subjectClient(household_subject) == household_registry
    txs = walk_route(approval_hub, plan_subject, route_approvers)
    assert "NoticeStarted" not in txs[-1].events and "PlanStatusChanged" in txs[-1].events
    assert approval_hub.subjectOf(household_subject)["state"] == PENDING
    approval_hub.approve(household_subject, 0, {"from": officials.village_leader})
    assert approval_hub.subjectOf(household_subject)["level"] == 1
    assert approval_hub.subjectOf(plan_subject)["state"] != PENDING


def test_a_plan_on_a_village_explicit_list_and_statuses_is_readable_by_the_funds_contract(plan_registry, owner):
    terms = plan_terms(statuses=REGISTERED | IN_TRANSITION, list_root=b"\x09" * 32, list_cid="bafkreilist")
    plan_id = create(plan_registry, owner, terms=terms, region=TOWNSHIP)
    beneficiaries = plan_registry.versionOf(plan_id, 1)["terms"]["beneficiaries"]
    assert plain(beneficiaries) == (REGISTERED | IN_TRANSITION, "0x" + "09" * 32, "bafkreilist")


def test_the_enums_of_the_abi_are_the_python_mirrors(PlanRegistry):
    from govchain.enums import SOLIDITY_ENUMS

    def internal_types(entries):
        for entry in entries:
            yield entry.get("internalType", "")
            yield from internal_types(entry.get("components", []))

    named = {t for item in PlanRegistry.abi for key in ("inputs", "outputs")
             for t in internal_types(item.get(key, []))}
    assert {f"enum {name}" for name in SOLIDITY_ENUMS if name.startswith("IPlanRegistry.")} <= named


def test_the_village_region_is_accepted_for_plans_too(plan_registry, role_registry, role, admin, owner):
    # A department officer over a township covers its villages.
    plan_id = create(plan_registry, owner, region=VILLAGE)
    assert plan_registry.planOf(plan_id)["region"] == VILLAGE


def test_a_milestone_whose_amount_a_pending_amendment_changes_is_not_reported(plan_registry, owner, executing,
                                                                               plan_officials):
    plan_registry.amend(executing, plan_terms(milestones=[100_000 * YUAN, 99_999 * YUAN]), {"from": owner})
    with brownie.reverts(err("PlanMilestoneLocked", executing, 1)):
        report(plan_registry, executing, 1, plan_officials.handler)


def test_a_returned_milestone_report_is_resubmitted_by_its_handler(plan_registry, executing, plan_officials,
                                                                   approval_hub, route_approvers):
    subject = report(plan_registry, executing, 0, plan_officials.handler)
    approval_hub.returnForRevision(subject, "bafkreicomment", {"from": plan_officials.county_department})
    approval_hub.resubmit(subject, "bafkreirevision", {"from": plan_officials.handler})
    walk_route(approval_hub, subject, route_approvers)
    assert plan_registry.milestoneOf(executing, 0)["status"] == MilestoneStatus.APPROVED


def test_a_handler_who_lost_the_role_does_not_resubmit_a_returned_report(plan_registry, executing, plan_officials,
                                                                         approval_hub, role_registry, role, admin):
    subject = report(plan_registry, executing, 0, plan_officials.handler)
    approval_hub.returnForRevision(subject, "bafkreicomment", {"from": plan_officials.county_department})
    role_registry.revokeRoleIn(role["HANDLER"], plan_officials.handler, TOWNSHIP, {"from": admin})
    with brownie.reverts(err("ApprovalSubmitterLacksRole", subject, plan_officials.handler, role["HANDLER"],
                             TOWNSHIP)):
        approval_hub.resubmit(subject, "bafkreirevision", {"from": plan_officials.handler})


def test_an_outcome_report_needs_evidence(plan_registry, executing, plan_officials):
    with brownie.reverts(err("PlanEvidenceRequired")):
        plan_registry.reportOutcome(executing, [37], "", {"from": plan_officials.handler})


def test_the_owner_withdraws_an_amendment_returned_for_revision(plan_registry, owner, executing, approval_hub,
                                                                officials):
    plan_registry.amend(executing, plan_terms(), {"from": owner})
    subject = submit(plan_registry, executing, owner)
    approval_hub.returnForRevision(subject, "bafkreicomment", {"from": officials.township_leaders[0]})
    plan_registry.withdrawAmendment(executing, {"from": owner})
    assert plan_registry.versionOf(executing, 2)["status"] == VersionStatus.WITHDRAWN
    assert plan_registry.planOf(executing)["pendingVersion"] == 0
