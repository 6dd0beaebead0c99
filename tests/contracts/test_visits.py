"""Follow-up visits (扶持回访): grid workers of a household's village record visits; a plan may require a visit
within N days of a service, and an overdue visit shows on chain."""

import brownie
import pytest

from .conftest import DAY, VILLAGE, err, executing_plan, household_id, plain

HOUSEHOLD = household_id("admitted")
EVIDENCE = "bafkreivisitphoto"


@pytest.fixture(scope="module")
def plan_id(plan_registry, approval_hub, plan_officials, route_approvers, fund_households):
    return executing_plan(plan_registry, approval_hub, plan_officials.department, route_approvers)


def now(chain):
    return chain.time()


def test_grid_worker_of_the_village_records_a_visit(follow_up_visits, followup_officials, plan_id, chain):
    date = now(chain) - 60
    tx = follow_up_visits.recordVisit(
        HOUSEHOLD, plan_id, date, 4, 7, EVIDENCE, {"from": followup_officials.grid_worker}
    )
    event = tx.events["VisitRecorded"]
    assert (event["household"], event["planId"], event["region"], event["worker"], event["date"],
            event["satisfaction"], event["findings"], event["evidenceCid"], event["fulfilled"]) == (
        "0x" + HOUSEHOLD.hex(), plan_id, VILLAGE, followup_officials.grid_worker, date, 4, 7, EVIDENCE, False)


def test_grid_worker_of_another_village_cannot_record_a_visit(follow_up_visits, followup_officials, plan_id, chain):
    worker = followup_officials.other_grid_worker
    with brownie.reverts(err("VisitUnauthorized", worker, VILLAGE)):
        follow_up_visits.recordVisit(HOUSEHOLD, plan_id, now(chain) - 60, 4, 0, EVIDENCE, {"from": worker})


def test_visit_of_an_unregistered_household_is_refused(follow_up_visits, followup_officials, plan_id, chain):
    stranger = household_id("unchanged")
    with brownie.reverts(err("VisitUnknownHousehold", stranger)):
        follow_up_visits.recordVisit(stranger, plan_id, now(chain) - 60, 4, 0, EVIDENCE,
                                     {"from": followup_officials.grid_worker})


@pytest.mark.parametrize("score", [0, 6])
def test_satisfaction_outside_one_to_five_is_refused(follow_up_visits, followup_officials, plan_id, chain, score):
    with brownie.reverts(err("VisitInvalidScore", score)):
        follow_up_visits.recordVisit(HOUSEHOLD, plan_id, now(chain) - 60, score, 0, EVIDENCE,
                                     {"from": followup_officials.grid_worker})


def test_visit_dated_in_the_future_is_refused(follow_up_visits, followup_officials, plan_id, chain):
    date = now(chain) + DAY
    with brownie.reverts(err("VisitInvalidDate", date)):
        follow_up_visits.recordVisit(HOUSEHOLD, plan_id, date, 3, 0, EVIDENCE, {"from": followup_officials.grid_worker})


def test_visit_without_evidence_is_refused(follow_up_visits, followup_officials, plan_id, chain):
    with brownie.reverts(err("VisitEvidenceRequired")):
        follow_up_visits.recordVisit(HOUSEHOLD, plan_id, now(chain) - 60, 3, 0, "",
                                     {"from": followup_officials.grid_worker})


def test_only_the_plan_owner_sets_a_visit_window(follow_up_visits, plan_officials, plan_id):
    other = plan_officials.other_department
    with brownie.reverts(err("VisitNotPlanOwner", plan_id, other)):
        follow_up_visits.setVisitWindow(plan_id, 7, {"from": other})


def test_only_a_service_recorder_notes_a_service(follow_up_visits, followup_officials, plan_id):
    worker = followup_officials.grid_worker
    with brownie.reverts(err("VisitNotRecorder", worker)):
        follow_up_visits.noteService(plan_id, HOUSEHOLD, {"from": worker})


def test_service_under_a_plan_without_window_opens_no_obligation(follow_up_visits, followup_officials, plan_id):
    tx = follow_up_visits.noteService(plan_id, HOUSEHOLD, {"from": followup_officials.recorder})
    assert "VisitRequired" not in tx.events
    assert plain(follow_up_visits.obligationOf(plan_id, HOUSEHOLD)) == (0, 0, 0, 0, False)


def test_service_under_a_plan_with_window_opens_an_obligation(follow_up_visits, followup_officials, plan_officials,
                                                              plan_id):
    follow_up_visits.setVisitWindow(plan_id, 7, {"from": plan_officials.department})
    tx = follow_up_visits.noteService(plan_id, HOUSEHOLD, {"from": followup_officials.recorder})
    served = tx.timestamp
    assert tx.events["VisitRequired"]["dueBy"] == served + 7 * DAY
    assert plain(follow_up_visits.obligationOf(plan_id, HOUSEHOLD)) == (served, served + 7 * DAY, 0, 0, False)


def test_visit_after_the_service_fulfils_the_obligation(follow_up_visits, followup_officials, plan_officials,
                                                         plan_id, chain):
    follow_up_visits.setVisitWindow(plan_id, 7, {"from": plan_officials.department})
    follow_up_visits.noteService(plan_id, HOUSEHOLD, {"from": followup_officials.recorder})
    chain.sleep(2 * DAY)
    chain.mine()
    date = now(chain) - 10
    tx = follow_up_visits.recordVisit(
        HOUSEHOLD, plan_id, date, 5, 0, EVIDENCE, {"from": followup_officials.grid_worker}
    )
    assert tx.events["VisitRecorded"]["fulfilled"] is True
    assert follow_up_visits.obligationOf(plan_id, HOUSEHOLD)["visitedOn"] == date
    chain.sleep(10 * DAY)
    chain.mine()
    assert follow_up_visits.isOverdue(plan_id, HOUSEHOLD) is False


def test_visit_dated_before_the_service_does_not_fulfil_it(follow_up_visits, followup_officials, plan_officials,
                                                            plan_id, chain):
    follow_up_visits.setVisitWindow(plan_id, 7, {"from": plan_officials.department})
    served = follow_up_visits.noteService(plan_id, HOUSEHOLD, {"from": followup_officials.recorder}).timestamp
    tx = follow_up_visits.recordVisit(HOUSEHOLD, plan_id, served - DAY, 5, 0, EVIDENCE,
                                      {"from": followup_officials.grid_worker})
    assert tx.events["VisitRecorded"]["fulfilled"] is False


def test_unvisited_obligation_past_its_due_date_is_overdue_and_marked_once(follow_up_visits, followup_officials,
                                                                          plan_officials, plan_id, chain, accounts):
    follow_up_visits.setVisitWindow(plan_id, 7, {"from": plan_officials.department})
    served = follow_up_visits.noteService(plan_id, HOUSEHOLD, {"from": followup_officials.recorder}).timestamp
    assert follow_up_visits.isOverdue(plan_id, HOUSEHOLD) is False
    chain.sleep(8 * DAY)
    chain.mine()
    assert follow_up_visits.isOverdue(plan_id, HOUSEHOLD) is True
    tx = follow_up_visits.markOverdue(plan_id, HOUSEHOLD, {"from": accounts[9]})
    assert tx.events["VisitOverdue"]["dueBy"] == served + 7 * DAY
    with brownie.reverts(err("VisitNotOverdue", plan_id, HOUSEHOLD, served + 7 * DAY)):
        follow_up_visits.markOverdue(plan_id, HOUSEHOLD, {"from": accounts[9]})


def test_obligation_not_yet_due_cannot_be_marked_overdue(follow_up_visits, followup_officials, plan_officials,
                                                         plan_id, accounts):
    follow_up_visits.setVisitWindow(plan_id, 7, {"from": plan_officials.department})
    served = follow_up_visits.noteService(plan_id, HOUSEHOLD, {"from": followup_officials.recorder}).timestamp
    with brownie.reverts(err("VisitNotOverdue", plan_id, HOUSEHOLD, served + 7 * DAY)):
        follow_up_visits.markOverdue(plan_id, HOUSEHOLD, {"from": accounts[9]})


def test_open_obligation_keeps_its_due_date_on_a_later_service(follow_up_visits, followup_officials, plan_officials,
                                                               plan_id, chain):
    follow_up_visits.setVisitWindow(plan_id, 7, {"from": plan_officials.department})
    served = follow_up_visits.noteService(plan_id, HOUSEHOLD, {"from": followup_officials.recorder}).timestamp
    chain.sleep(3 * DAY)
    tx = follow_up_visits.noteService(plan_id, HOUSEHOLD, {"from": followup_officials.recorder})
    assert "VisitRequired" not in tx.events
    assert follow_up_visits.obligationOf(plan_id, HOUSEHOLD)["dueBy"] == served + 7 * DAY


def test_visit_window_of_an_unknown_plan_is_refused(follow_up_visits, plan_officials):
    with brownie.reverts(err("VisitUnknownPlan", 999)):
        follow_up_visits.setVisitWindow(999, 7, {"from": plan_officials.department})
