"""Assessment (考核): ASSESSORs commit a period's KPI root k of n, with the agreement eligibility batches use."""

import brownie
from eth_utils import keccak

from .conftest import COUNTY, DAY, VILLAGE, err

ROOT = keccak(text="kpi-table")
METHOD, RESULTS = "bafkreiassessmentmethod", "bafkreiassessmentresults"


# A 30-day period that ended before the tests' chain time (the fixtures' households take some days).
PERIOD = (1_700_000_000, 1_700_000_000 + 30 * DAY)


def period(chain):
    assert chain.time() > PERIOD[1]
    return PERIOD


def commit(registry, assessor, chain, root=ROOT, rows=12, scope=COUNTY):
    start, end = period(chain)
    return registry.commitAssessment(scope, start, end, root, rows, METHOD, RESULTS, {"from": assessor})


def test_assessment_is_final_when_two_assessors_agree(assessment_registry, followup_officials, chain):
    a, b, _ = followup_officials.assessors
    first = commit(assessment_registry, a, chain)
    assert "AssessmentFinalized" not in first.events
    assessment_id = first.return_value
    assert assessment_registry.assessmentOf(assessment_id)["finalizedAt"] == 0
    start, end = period(chain)
    second = assessment_registry.commitAssessment(COUNTY, start, end, ROOT, 12, METHOD, RESULTS, {"from": b})
    assert second.events["AssessmentFinalized"]["root"] == "0x" + ROOT.hex()
    record = assessment_registry.assessmentOf(assessment_id)
    assert (record["root"], record["scope"], record["periodStart"], record["periodEnd"], record["rowCount"]) == (
        "0x" + ROOT.hex(), COUNTY, start, end, 12)


def test_assessment_committed_by_a_non_assessor_is_refused(assessment_registry, followup_officials, chain):
    worker = followup_officials.grid_worker
    with brownie.reverts(err("AssessmentUnauthorized", worker, COUNTY)):
        commit(assessment_registry, worker, chain)


def test_assessor_of_the_county_cannot_commit_for_another_county(assessment_registry, followup_officials, chain):
    other_county = 530103000000
    with brownie.reverts(err("AssessmentUnauthorized", followup_officials.assessors[0], other_county)):
        commit(assessment_registry, followup_officials.assessors[0], chain, scope=other_county)


def test_assessor_commits_once_per_period(assessment_registry, followup_officials, chain):
    a = followup_officials.assessors[0]
    assessment_id = commit(assessment_registry, a, chain).return_value
    with brownie.reverts(err("AssessmentAlreadyCommitted", assessment_id, a)):
        commit(assessment_registry, a, chain)


def test_disagreeing_assessor_raises_a_conflict_and_does_not_finalize(assessment_registry, followup_officials, chain):
    a, b, _ = followup_officials.assessors
    assessment_id = commit(assessment_registry, a, chain).return_value
    tx = commit(assessment_registry, b, chain, root=keccak(text="another table"))
    assert tx.events["AssessmentConflict"]["assessor"] == b
    assert "AssessmentFinalized" not in tx.events
    assert assessment_registry.assessmentOf(assessment_id)["conflicts"] == 1


def test_majority_tuple_finalizes_after_a_conflict(assessment_registry, followup_officials, chain):
    a, b, c = followup_officials.assessors
    assessment_id = commit(assessment_registry, a, chain, root=keccak(text="wrong")).return_value
    commit(assessment_registry, b, chain)
    tx = commit(assessment_registry, c, chain)
    assert tx.events["AssessmentFinalized"]["root"] == "0x" + ROOT.hex()
    assert assessment_registry.assessmentOf(assessment_id)["conflicts"] == 2


def test_period_not_yet_over_is_refused(assessment_registry, followup_officials, chain):
    start, end = chain.time() - DAY, chain.time() + DAY
    with brownie.reverts(err("AssessmentInvalidPeriod", start, end)):
        assessment_registry.commitAssessment(COUNTY, start, end, ROOT, 1, METHOD, RESULTS,
                                             {"from": followup_officials.assessors[0]})


def test_results_without_method_document_are_refused(assessment_registry, followup_officials, chain):
    start, end = period(chain)
    assessment_id = assessment_registry.assessmentId(COUNTY, start, end)
    with brownie.reverts(err("AssessmentEmpty", assessment_id)):
        assessment_registry.commitAssessment(COUNTY, start, end, ROOT, 1, "", RESULTS,
                                             {"from": followup_officials.assessors[0]})


def test_quorum_outside_one_to_seven_is_refused(assessment_registry, admin):
    with brownie.reverts(err("AssessmentInvalidQuorum", 8)):
        assessment_registry.setQuorum(8, {"from": admin})


def test_village_code_is_a_valid_scope_for_a_village_assessor(assessment_registry, role_registry, role, admin,
                                                                followup_officials, chain):
    role_registry.grantRoleIn(role["ASSESSOR"], followup_officials.grid_worker, VILLAGE, {"from": admin})
    assessment_registry.setQuorum(1, {"from": admin})
    tx = commit(assessment_registry, followup_officials.grid_worker, chain, scope=VILLAGE)
    assert tx.events["AssessmentFinalized"]["scope"] == VILLAGE


def test_invalid_scope_is_refused(assessment_registry, followup_officials, chain):
    with brownie.reverts(err("AssessmentInvalidScope", 123)):
        commit(assessment_registry, followup_officials.assessors[0], chain, scope=123)
