"""ApprovalHub through a test client (ApprovalClientHarness) beside the platform's HouseholdRegistry: routes and
bands, approvals, rejection, return and resubmission, separation of duties, escalation, EIP-712 relayed approvals,
clients and their kinds, callbacks, and freezes by supervision."""

import brownie
import pytest
from eth_utils import keccak

from govchain.enums import Outcome
from tests.contracts.conftest import (
    ADVANCED,
    APPROVED,
    COMPLETED,
    COUNTY,
    COUNTY_LEVEL,
    ESCALATED,
    LEVEL_TIMEOUT,
    NONE,
    O_APPROVED,
    O_REJECTED,
    O_RETURNED,
    PENDING,
    REJECTED,
    RESUBMITTED,
    RETURNED,
    SUBMITTED,
    TOWNSHIP,
    TOWNSHIP_LEVEL,
    VILLAGE,
    VILLAGE_LEVEL,
    err,
)
from tests.contracts.signing import approval_signature, compact

PLAN = 7  # a subject kind of the test client
FUND, MATERIAL = 3, 4  # support types
SMALL_MAX, LARGE_MAX = 10_000, 1_000_000
# The platform's deploy defines the household routes 1 (registration) and 2 (exit) first.
SMALL_ROUTE, LARGE_ROUTE = 3, 4
NAME = "GovChain ApprovalHub"


def key(text: str) -> int:
    """A client's 56-bit subject key."""
    return int.from_bytes(keccak(text=text)[:7], "big")


KEY = key("plan-1")


@pytest.fixture(scope="module")
def hub(approval_hub, officials, admin, role):
    """The platform's hub, with fund plan routes: up to 10,000 village LEADER, then 2 township LEADERs; up to
    1,000,000 also a county LEADER."""
    small = approval_hub.defineRoute(PLAN, small_levels(role), {"from": admin}).return_value
    large = approval_hub.defineRoute(PLAN, large_levels(role), {"from": admin}).return_value
    assert (small, large) == (SMALL_ROUTE, LARGE_ROUTE)
    approval_hub.setRouteBands(PLAN, FUND, [(SMALL_MAX, small), (LARGE_MAX, large)], {"from": admin})
    return approval_hub


@pytest.fixture(scope="module")
def client(ApprovalClientHarness, hub, role_registry, admin, role):
    """A test client registered for PLAN subjects."""
    harness = ApprovalClientHarness.deploy(hub, role_registry, role["INTAKE_CLERK"], {"from": admin})
    hub.registerClient(harness, [PLAN], {"from": admin})
    return harness


def small_levels(role):
    return [(role["LEADER"], VILLAGE_LEVEL, 1, LEVEL_TIMEOUT), (role["LEADER"], TOWNSHIP_LEVEL, 2, LEVEL_TIMEOUT)]


def large_levels(role):
    return small_levels(role) + [(role["LEADER"], COUNTY_LEVEL, 1, 0)]


@pytest.fixture
def subject(hub, client, officials):
    """A large fund plan of VILLAGE submitted by the clerk (the large route: village, township ×2, county)."""
    return client.open(KEY, VILLAGE, PLAN, FUND, 50_000, {"from": officials.clerk}).return_value


@pytest.fixture
def at_township(hub, subject, officials):
    """The subject after its village level: pending at level 1."""
    hub.approve(subject, 0, {"from": officials.village_leader})
    return subject


def transitions(tx):
    return [(e["subject"], e["level"], e["actor"], e["outcome"]) for e in tx.events["ApprovalTransition"]]


def comment(tx):
    e = tx.events["ApprovalComment"]
    return (e["subject"], e["actor"], e["outcome"], e["cid"])


# --- routes and bands ---------------------------------------------------------------------------------------


def test_define_route_stores_the_levels_and_emits_them(hub, admin, role):
    tx = hub.defineRoute(PLAN, small_levels(role), {"from": admin})
    route_id = tx.return_value
    assert route_id == LARGE_ROUTE + 1
    assert tx.events["RouteDefined"]["routeId"] == LARGE_ROUTE + 1
    assert tx.events["RouteDefined"]["kind"] == PLAN
    assert [tuple(level) for level in tx.events["RouteDefined"]["levels"]] == [
        ("0x" + r.hex(), lvl, m, t) for r, lvl, m, t in small_levels(role)
    ]
    kind, levels = hub.route(route_id)
    assert kind == PLAN
    assert [tuple(level) for level in levels] == [("0x" + r.hex(), lvl, m, t) for r, lvl, m, t in small_levels(role)]


def test_only_governance_defines_routes(hub, officials, role):
    with brownie.reverts(err("GovernanceUnauthorized", officials.county_leader)):
        hub.defineRoute(PLAN, small_levels(role), {"from": officials.county_leader})


def test_a_route_without_levels_is_refused(hub, admin):
    with brownie.reverts(err("ApprovalInvalidRoute", 0)):
        hub.defineRoute(PLAN, [], {"from": admin})


def test_a_route_of_more_than_eight_levels_is_refused(hub, admin, role):
    with brownie.reverts(err("ApprovalInvalidRoute", 9)):
        hub.defineRoute(PLAN, [(role["LEADER"], COUNTY_LEVEL, 1, 0)] * 9, {"from": admin})


@pytest.mark.parametrize(
    "bad_level",
    [(b"\x11" * 32, COUNTY_LEVEL, 1, 0), ("LEADER", 0, 1, 0), ("LEADER", 6, 1, 0), ("LEADER", COUNTY_LEVEL, 0, 0)],
    ids=["unknown-role", "region-level-0", "region-level-6", "zero-threshold"],
)
def test_an_invalid_level_is_refused_with_its_index(hub, admin, role, bad_level):
    role_id = role[bad_level[0]] if isinstance(bad_level[0], str) else bad_level[0]
    levels = [(role["LEADER"], VILLAGE_LEVEL, 1, 0), (role_id,) + bad_level[1:]]
    with brownie.reverts(err("ApprovalInvalidLevel", 1)):
        hub.defineRoute(PLAN, levels, {"from": admin})


def test_bands_choose_the_route_by_amount(hub):
    assert hub.routeFor(PLAN, FUND, 0) == SMALL_ROUTE
    assert hub.routeFor(PLAN, FUND, SMALL_MAX) == SMALL_ROUTE
    assert hub.routeFor(PLAN, FUND, SMALL_MAX + 1) == LARGE_ROUTE
    assert hub.routeFor(PLAN, FUND, LARGE_MAX) == LARGE_ROUTE


def test_an_amount_above_every_band_has_no_route(hub):
    with brownie.reverts(err("ApprovalNoRoute", PLAN, FUND, LARGE_MAX + 1)):
        hub.routeFor(PLAN, FUND, LARGE_MAX + 1)


def test_a_support_type_without_bands_has_no_route(hub, client, officials):
    with brownie.reverts(err("ApprovalNoRoute", PLAN, MATERIAL, 5)):
        client.open(KEY, VILLAGE, PLAN, MATERIAL, 5, {"from": officials.clerk})


def test_set_route_bands_replaces_the_bands_and_emits_them(hub, admin):
    tx = hub.setRouteBands(PLAN, FUND, [(100, LARGE_ROUTE)], {"from": admin})
    assert tx.events["RouteBandsSet"]["kind"] == PLAN
    assert tx.events["RouteBandsSet"]["supportType"] == FUND
    assert [tuple(b) for b in tx.events["RouteBandsSet"]["bands"]] == [(100, LARGE_ROUTE)]
    assert [tuple(b) for b in hub.routeBands(PLAN, FUND)] == [(100, LARGE_ROUTE)]
    assert hub.routeFor(PLAN, FUND, 50) == LARGE_ROUTE


def test_only_governance_sets_route_bands(hub, officials):
    with brownie.reverts(err("GovernanceUnauthorized", officials.clerk)):
        hub.setRouteBands(PLAN, FUND, [(100, LARGE_ROUTE)], {"from": officials.clerk})


def test_a_band_naming_an_unknown_route_is_refused(hub, admin):
    with brownie.reverts(err("ApprovalInvalidBand", 0)):
        hub.setRouteBands(PLAN, FUND, [(100, 9)], {"from": admin})


def test_a_band_naming_a_route_of_another_kind_is_refused(hub, admin):
    with brownie.reverts(err("ApprovalInvalidBand", 0)):
        hub.setRouteBands(PLAN + 1, FUND, [(100, SMALL_ROUTE)], {"from": admin})


def test_bands_must_ascend(hub, admin):
    with brownie.reverts(err("ApprovalInvalidBand", 1)):
        hub.setRouteBands(PLAN, FUND, [(100, SMALL_ROUTE), (100, LARGE_ROUTE)], {"from": admin})


# --- submission ---------------------------------------------------------------------------------------------


def test_opening_a_subject_emits_submitted_and_records_the_route(hub, client, officials, chain):
    tx = client.open(KEY, VILLAGE, PLAN, FUND, 50_000, {"from": officials.clerk})
    subject = tx.return_value
    assert transitions(tx) == [(subject, 0, officials.clerk, SUBMITTED)]
    assert tuple(hub.subjectOf(subject)) == (officials.clerk, chain[-1].timestamp, LARGE_ROUTE, 0, 0, PENDING, False, 0)


def test_a_subject_id_carries_its_region(hub, client, subject):
    assert hub.subjectRegion(subject) == VILLAGE
    assert subject == int(client.address, 16) << 96 | KEY << 40 | VILLAGE


def test_a_subject_cannot_be_opened_twice(hub, client, officials, subject):
    with brownie.reverts(err("ApprovalSubjectExists", subject)):
        client.open(KEY, VILLAGE, PLAN, FUND, 1, {"from": officials.clerk})


def test_an_account_that_never_held_a_regional_role_cannot_submit(hub, client, officials):
    # Separation of duties compares official ids, so a submitter needs one.
    with brownie.reverts(err("ApprovalSubmitterNotOfficial", officials.outsider)):
        client.open(KEY, VILLAGE, PLAN, FUND, 1, {"from": officials.outsider})


# --- approvals ----------------------------------------------------------------------------------------------


def test_the_last_approval_of_a_level_advances_the_subject(hub, officials, subject, chain):
    tx = hub.approve(subject, 0, {"from": officials.village_leader})
    assert transitions(tx) == [(subject, 0, officials.village_leader, ADVANCED)]
    assert tuple(hub.subjectOf(subject)) == (officials.clerk, chain[-1].timestamp, LARGE_ROUTE, 1, 0, PENDING, False, 0)


def test_an_approval_below_the_threshold_is_counted(hub, officials, at_township):
    tx = hub.approve(at_township, 1, {"from": officials.township_leaders[0]})
    assert transitions(tx) == [(at_township, 1, officials.township_leaders[0], O_APPROVED)]
    assert hub.subjectOf(at_township)["approvals"] == 1
    assert hub.hasApproved(at_township, officials.township_leaders[0])


def test_the_last_level_completes_the_subject_and_calls_back(hub, officials, at_township, chain):
    for leader in officials.township_leaders:
        hub.approve(at_township, 1, {"from": leader})
    tx = hub.approve(at_township, 2, {"from": officials.county_leader})
    assert transitions(tx) == [(at_township, 2, officials.county_leader, COMPLETED)]
    assert tx.events["Decided"]["subject"] == at_township
    assert tx.events["Decided"]["approved"] is True
    record = hub.subjectOf(at_township)
    assert (record["state"], record["level"], record["since"]) == (APPROVED, 2, chain[-1].timestamp)


def test_the_submitter_cannot_approve_their_own_subject(hub, client, officials):
    subject = client.open(KEY, VILLAGE, PLAN, FUND, 1, {"from": officials.county_leader}).return_value
    with brownie.reverts(err("ApprovalBySubmitter", subject, officials.county_leader)):
        hub.approve(subject, 0, {"from": officials.county_leader})


def test_an_account_cannot_approve_twice_at_one_level(hub, officials, at_township):
    hub.approve(at_township, 1, {"from": officials.township_leaders[0]})
    with brownie.reverts(err("ApprovalAlreadyApproved", at_township, officials.township_leaders[0])):
        hub.approve(at_township, 1, {"from": officials.township_leaders[0]})


def test_an_account_cannot_approve_again_at_a_higher_level(hub, officials, subject):
    # The county leader's grant covers the village level too: it may approve once, at either.
    hub.approve(subject, 0, {"from": officials.county_leader})
    with brownie.reverts(err("ApprovalAlreadyApproved", subject, officials.county_leader)):
        hub.approve(subject, 1, {"from": officials.county_leader})


def test_an_account_without_an_official_id_has_approved_nothing(hub, officials, at_township):
    assert not hub.hasApproved(at_township, officials.outsider)


def test_an_account_without_the_role_cannot_approve(hub, officials, subject, role):
    with brownie.reverts(err("ApprovalUnauthorized", subject, 0, officials.outsider, role["LEADER"], VILLAGE)):
        hub.approve(subject, 0, {"from": officials.outsider})


def test_a_village_leader_cannot_approve_at_township_level(hub, client, officials, at_township, role):
    other = client.open(key("other"), VILLAGE, PLAN, FUND, 1, {"from": officials.clerk}).return_value
    hub.approve(other, 0, {"from": officials.township_leaders[0]})
    with brownie.reverts(err("ApprovalUnauthorized", other, 1, officials.village_leader, role["LEADER"], TOWNSHIP)):
        hub.approve(other, 1, {"from": officials.village_leader})


def test_an_approval_for_another_level_is_refused(hub, officials, subject):
    with brownie.reverts(err("ApprovalLevelMismatch", subject, 1, 0)):
        hub.approve(subject, 1, {"from": officials.township_leaders[0]})


def test_an_unknown_subject_cannot_be_approved(hub, officials):
    with brownie.reverts(err("ApprovalWrongState", 12345, NONE)):
        hub.approve(12345, 0, {"from": officials.village_leader})


def test_an_approved_subject_cannot_be_approved_again(hub, client, officials):
    subject = client.open(KEY, VILLAGE, PLAN, FUND, 1, {"from": officials.clerk}).return_value
    hub.approve(subject, 0, {"from": officials.village_leader})
    for leader in officials.township_leaders:
        hub.approve(subject, 1, {"from": leader})
    with brownie.reverts(err("ApprovalWrongState", subject, APPROVED)):
        hub.approve(subject, 1, {"from": officials.county_leader})


# --- rejection ----------------------------------------------------------------------------------------------


def test_rejection_ends_the_subject_and_calls_back(hub, officials, at_township):
    tx = hub.reject(at_township, "bafkreicomment", {"from": officials.township_leaders[0]})
    assert transitions(tx) == [(at_township, 1, officials.township_leaders[0], O_REJECTED)]
    assert comment(tx) == (at_township, officials.township_leaders[0], O_REJECTED, "bafkreicomment")
    assert tx.events["Decided"]["approved"] is False
    assert hub.subjectOf(at_township)["state"] == REJECTED


def test_a_rejected_subject_cannot_be_approved(hub, officials, at_township):
    hub.reject(at_township, "bafkreicomment", {"from": officials.township_leaders[0]})
    with brownie.reverts(err("ApprovalWrongState", at_township, REJECTED)):
        hub.approve(at_township, 1, {"from": officials.township_leaders[1]})


def test_the_submitter_cannot_reject_their_own_subject(hub, officials, subject):
    with brownie.reverts(err("ApprovalBySubmitter", subject, officials.clerk)):
        hub.reject(subject, "bafkreicomment", {"from": officials.clerk})


def test_an_account_without_the_role_cannot_reject(hub, officials, at_township, role):
    with brownie.reverts(err("ApprovalUnauthorized", at_township, 1, officials.village_leader, role["LEADER"],
                             TOWNSHIP)):
        hub.reject(at_township, "bafkreicomment", {"from": officials.village_leader})


def test_a_rejected_subject_cannot_be_rejected_again(hub, officials, at_township):
    hub.reject(at_township, "c", {"from": officials.township_leaders[0]})
    with brownie.reverts(err("ApprovalWrongState", at_township, REJECTED)):
        hub.reject(at_township, "c", {"from": officials.township_leaders[1]})


# --- return for revision and resubmission ------------------------------------------------------------------


def test_return_for_revision_sends_the_subject_back_with_a_comment(hub, officials, at_township):
    tx = hub.returnForRevision(at_township, "bafkreiwhy", {"from": officials.township_leaders[1]})
    assert transitions(tx) == [(at_township, 1, officials.township_leaders[1], O_RETURNED)]
    assert comment(tx) == (at_township, officials.township_leaders[1], O_RETURNED, "bafkreiwhy")
    assert hub.subjectOf(at_township)["state"] == RETURNED


def test_a_returned_subject_cannot_be_approved(hub, officials, at_township):
    hub.returnForRevision(at_township, "bafkreiwhy", {"from": officials.township_leaders[1]})
    with brownie.reverts(err("ApprovalWrongState", at_township, RETURNED)):
        hub.approve(at_township, 1, {"from": officials.township_leaders[0]})


def test_the_submitter_cannot_return_their_own_subject(hub, officials, subject):
    with brownie.reverts(err("ApprovalBySubmitter", subject, officials.clerk)):
        hub.returnForRevision(subject, "c", {"from": officials.clerk})


def test_an_account_without_the_role_cannot_return(hub, officials, subject, role):
    with brownie.reverts(err("ApprovalUnauthorized", subject, 0, officials.outsider, role["LEADER"], VILLAGE)):
        hub.returnForRevision(subject, "c", {"from": officials.outsider})


def test_a_returned_subject_cannot_be_returned_again(hub, officials, subject):
    hub.returnForRevision(subject, "c", {"from": officials.village_leader})
    with brownie.reverts(err("ApprovalWrongState", subject, RETURNED)):
        hub.returnForRevision(subject, "c", {"from": officials.village_leader})


def test_resubmission_resumes_at_the_returning_level_keeping_its_approvals(hub, officials, at_township, chain):
    hub.approve(at_township, 1, {"from": officials.township_leaders[0]})
    hub.returnForRevision(at_township, "bafkreiwhy", {"from": officials.township_leaders[1]})
    tx = hub.resubmit(at_township, "bafkreirevision", {"from": officials.clerk})
    assert transitions(tx) == [(at_township, 1, officials.clerk, RESUBMITTED)]
    assert comment(tx) == (at_township, officials.clerk, RESUBMITTED, "bafkreirevision")
    assert tuple(hub.subjectOf(at_township)) == (
        officials.clerk,
        chain[-1].timestamp,
        LARGE_ROUTE,
        1,
        1,
        PENDING,
        False,
        0,
    )


def test_after_resubmission_an_earlier_approver_still_cannot_approve_again(hub, officials, at_township):
    hub.approve(at_township, 1, {"from": officials.township_leaders[0]})
    hub.returnForRevision(at_township, "bafkreiwhy", {"from": officials.township_leaders[1]})
    hub.resubmit(at_township, "bafkreirevision", {"from": officials.clerk})
    with brownie.reverts(err("ApprovalAlreadyApproved", at_township, officials.township_leaders[0])):
        hub.approve(at_township, 1, {"from": officials.township_leaders[0]})
    tx = hub.approve(at_township, 1, {"from": officials.township_leaders[1]})
    assert tx.events["ApprovalTransition"][-1]["outcome"] == ADVANCED


def test_only_the_submitter_resubmits(hub, officials, subject):
    hub.returnForRevision(subject, "c", {"from": officials.village_leader})
    with brownie.reverts(err("ApprovalNotSubmitter", subject, officials.village_leader)):
        hub.resubmit(subject, "r", {"from": officials.village_leader})


def test_a_pending_subject_cannot_be_resubmitted(hub, officials, subject):
    with brownie.reverts(err("ApprovalWrongState", subject, PENDING)):
        hub.resubmit(subject, "r", {"from": officials.clerk})


# --- escalation ---------------------------------------------------------------------------------------------


def test_the_level_deadline_is_its_start_plus_its_timeout(hub, subject, chain):
    assert hub.levelDeadline(subject) == chain[-1].timestamp + LEVEL_TIMEOUT


def test_a_level_without_timeout_has_no_deadline(hub, officials, at_township):
    for leader in officials.township_leaders:
        hub.approve(at_township, 1, {"from": leader})
    assert hub.levelDeadline(at_township) == 0


def test_a_level_cannot_be_escalated_before_its_deadline(hub, officials, subject, chain):
    deadline = chain[-1].timestamp + LEVEL_TIMEOUT
    with brownie.reverts(err("ApprovalNotOverdue", subject, deadline)):
        hub.escalate(subject, {"from": officials.township_leaders[0]})


def test_an_overdue_level_is_handed_to_officials_one_region_level_up(hub, officials, subject, chain):
    chain.sleep(LEVEL_TIMEOUT + 1)
    tx = hub.escalate(subject, {"from": officials.township_leaders[0]})
    assert transitions(tx) == [(subject, 0, officials.township_leaders[0], ESCALATED)]
    # The level stays; its deadline starts again.
    assert tuple(hub.subjectOf(subject)) == (officials.clerk, chain[-1].timestamp, LARGE_ROUTE, 0, 0, PENDING, False, 1)
    assert hub.levelDeadline(subject) == chain[-1].timestamp + LEVEL_TIMEOUT


def test_the_submitter_may_escalate_an_overdue_level(hub, officials, subject, chain):
    chain.sleep(LEVEL_TIMEOUT + 1)
    tx = hub.escalate(subject, {"from": officials.clerk})
    assert tx.events["ApprovalTransition"]["outcome"] == ESCALATED


def test_an_account_not_one_region_level_up_cannot_escalate(hub, officials, subject, chain, role):
    chain.sleep(LEVEL_TIMEOUT + 1)
    with brownie.reverts(err("ApprovalUnauthorized", subject, 0, officials.village_leader, role["LEADER"],
                             TOWNSHIP)):
        hub.escalate(subject, {"from": officials.village_leader})
    assert hub.subjectOf(subject)["escalations"] == 0


def test_after_escalation_the_levels_own_officials_no_longer_decide(hub, officials, subject, chain, role):
    chain.sleep(LEVEL_TIMEOUT + 1)
    hub.escalate(subject, {"from": officials.clerk})
    with brownie.reverts(err("ApprovalUnauthorized", subject, 0, officials.village_leader, role["LEADER"],
                             TOWNSHIP)):
        hub.approve(subject, 0, {"from": officials.village_leader})


def test_an_approval_after_escalation_is_recorded_as_standing_in(hub, officials, subject, chain):
    chain.sleep(LEVEL_TIMEOUT + 1)
    hub.escalate(subject, {"from": officials.clerk})
    tx = hub.approve(subject, 0, {"from": officials.township_leaders[0]})
    assert transitions(tx) == [(subject, 0, officials.township_leaders[0], ADVANCED)]
    standing_in = tx.events["ApprovalStandingIn"]
    assert (standing_in["subject"], standing_in["level"], standing_in["approver"], standing_in["regionLevel"]) == (
        subject, 0, officials.township_leaders[0], TOWNSHIP_LEVEL)
    # The next level is decided by its own officials again.
    assert (hub.subjectOf(subject)["level"], hub.subjectOf(subject)["escalations"]) == (1, 0)


def test_escalating_twice_never_lowers_the_number_of_approvals_a_route_needs(hub, officials, subject, chain):
    # The attack of old: the submitter escalates twice and a county leader alone approves. Now each escalation
    # only hands the village level further up: the county leader's approval clears the village level, and the
    # township level still needs its two approvals.
    for _ in range(2):
        chain.sleep(LEVEL_TIMEOUT + 1)
        hub.escalate(subject, {"from": officials.clerk})
    assert (hub.subjectOf(subject)["level"], hub.subjectOf(subject)["escalations"]) == (0, 2)
    hub.approve(subject, 0, {"from": officials.county_leader})
    assert hub.subjectOf(subject)["level"] == 1
    for leader in officials.township_leaders:
        hub.approve(subject, 1, {"from": leader})
    with brownie.reverts(err("ApprovalAlreadyApproved", subject, officials.county_leader)):
        hub.approve(subject, 2, {"from": officials.county_leader})
    assert hub.subjectOf(subject)["state"] == PENDING


def test_a_level_handed_up_to_the_province_cannot_be_escalated_further(hub, officials, subject, chain):
    # Village → township → county → city → province: four escalations, no fifth.
    for _ in range(4):
        chain.sleep(LEVEL_TIMEOUT + 1)
        hub.escalate(subject, {"from": officials.clerk})
    chain.sleep(LEVEL_TIMEOUT + 1)
    with brownie.reverts(err("ApprovalNoHigherLevel", subject, 0)):
        hub.escalate(subject, {"from": officials.clerk})
    assert hub.subjectOf(subject)["escalations"] == 4


def test_an_official_who_approved_a_level_cannot_approve_it_again_after_escalation(hub, officials, at_township,
                                                                                    chain):
    # The county leader's grant covers the township: it approved there (1 of 2) before the level was handed up.
    hub.approve(at_township, 1, {"from": officials.county_leader})
    chain.sleep(LEVEL_TIMEOUT + 1)
    hub.escalate(at_township, {"from": officials.clerk})
    with brownie.reverts(err("ApprovalAlreadyApproved", at_township, officials.county_leader)):
        hub.approve(at_township, 1, {"from": officials.county_leader})


def test_the_last_level_may_be_escalated(hub, client, officials, chain):
    small = client.open(KEY, VILLAGE, PLAN, FUND, 1, {"from": officials.clerk}).return_value
    hub.approve(small, 0, {"from": officials.village_leader})
    chain.sleep(LEVEL_TIMEOUT + 1)
    hub.escalate(small, {"from": officials.clerk})
    assert (hub.subjectOf(small)["level"], hub.subjectOf(small)["escalations"]) == (1, 1)


def test_a_submitter_whose_role_was_revoked_cannot_escalate(hub, role_registry, officials, subject, chain, admin,
                                                            role):
    chain.sleep(LEVEL_TIMEOUT + 1)
    role_registry.revokeRoleIn(role["INTAKE_CLERK"], officials.clerk, VILLAGE, {"from": admin})
    with brownie.reverts(err("ApprovalSubmitterLacksRole", subject, officials.clerk, role["INTAKE_CLERK"], VILLAGE)):
        hub.escalate(subject, {"from": officials.clerk})
    assert hub.subjectOf(subject)["escalations"] == 0


def test_a_submitter_whose_role_was_revoked_cannot_resubmit(hub, role_registry, officials, subject, admin, role):
    hub.returnForRevision(subject, "c", {"from": officials.village_leader})
    role_registry.revokeRoleIn(role["INTAKE_CLERK"], officials.clerk, VILLAGE, {"from": admin})
    with brownie.reverts(err("ApprovalSubmitterLacksRole", subject, officials.clerk, role["INTAKE_CLERK"], VILLAGE)):
        hub.resubmit(subject, "r", {"from": officials.clerk})
    assert hub.subjectOf(subject)["state"] == RETURNED


def test_a_level_without_timeout_cannot_be_escalated(hub, officials, at_township, chain):
    for leader in officials.township_leaders:
        hub.approve(at_township, 1, {"from": leader})
    chain.sleep(LEVEL_TIMEOUT * 10)
    with brownie.reverts(err("ApprovalNotOverdue", at_township, 0)):
        hub.escalate(at_township, {"from": officials.clerk})


def test_a_returned_subject_cannot_be_escalated(hub, officials, subject, chain):
    hub.returnForRevision(subject, "c", {"from": officials.village_leader})
    chain.sleep(LEVEL_TIMEOUT + 1)
    assert hub.levelDeadline(subject) == 0
    with brownie.reverts(err("ApprovalWrongState", subject, RETURNED)):
        hub.escalate(subject, {"from": officials.clerk})


# --- EIP-712 relayed approvals ------------------------------------------------------------------------------


@pytest.fixture
def sign(hub, chain):
    """sign(signer, subject, level, nonce=None, deadline=None, **overrides) → SignedApproval tuple."""

    def _sign(signer, subject, level, nonce=None, deadline=None, chain_id=None, verifying_contract=None,
              signed_subject=None):
        nonce = hub.nonces(signer) if nonce is None else nonce
        deadline = chain[-1].timestamp + 3600 if deadline is None else deadline
        signature = approval_signature(
            signer, hub, subject if signed_subject is None else signed_subject, level, nonce, deadline,
            chain_id or chain.id, NAME, verifying_contract,
        )
        return (subject, level, signer.address, nonce, deadline, *compact(signature))

    return _sign


def test_a_relayed_approval_counts_for_its_signer(hub, officials, at_township, sign):
    signer = officials.signers[0]
    tx = hub.approveBySig([sign(signer, at_township, 1)], {"from": officials.outsider})
    assert transitions(tx) == [(at_township, 1, signer.address, O_APPROVED)]
    assert hub.hasApproved(at_township, signer)
    assert hub.nonces(signer) == 1


def test_a_batch_of_relayed_approvals_clears_a_level(hub, officials, at_township, sign):
    batch = [sign(s, at_township, 1) for s in officials.signers[:2]]
    tx = hub.approveBySig(batch, {"from": officials.outsider})
    assert [e["outcome"] for e in tx.events["ApprovalTransition"]] == [O_APPROVED, ADVANCED]
    assert hub.subjectOf(at_township)["level"] == 2


def skipped(tx):
    return [(e["subject"], e["signer"], e["nonce"], e["reason"]) for e in tx.events["ApprovalSignatureSkipped"]]


EXPIRED, NONCE_USED = 0, 1  # IApprovalHub.SkipReason


def test_a_replayed_signature_is_skipped_and_reported(hub, officials, at_township, sign):
    signer = officials.signers[0]
    signed = sign(signer, at_township, 1)
    hub.approveBySig([signed], {"from": officials.outsider})
    tx = hub.approveBySig([signed], {"from": officials.outsider})
    assert skipped(tx) == [(at_township, signer.address, 0, NONCE_USED)]
    assert "ApprovalTransition" not in tx.events
    assert (hub.subjectOf(at_township)["approvals"], hub.nonces(signer)) == (1, 1)


def test_a_signature_replayed_after_its_level_cleared_is_skipped(hub, officials, at_township, sign):
    signed = sign(officials.signers[0], at_township, 1)
    hub.approveBySig([signed], {"from": officials.outsider})
    hub.approve(at_township, 1, {"from": officials.township_leaders[0]})
    tx = hub.approveBySig([signed], {"from": officials.outsider})
    assert skipped(tx) == [(at_township, officials.signers[0].address, 0, NONCE_USED)]
    assert hub.subjectOf(at_township)["level"] == 2


def test_a_front_run_signature_does_not_hold_back_the_rest_of_its_batch(hub, officials, at_township, sign):
    # Someone relays one signature of a batch on its own first; the batch still applies the others.
    first = sign(officials.signers[0], at_township, 1)
    second = sign(officials.signers[1], at_township, 1)
    hub.approveBySig([first], {"from": officials.township_leaders[0]})
    tx = hub.approveBySig([first, second], {"from": officials.outsider})
    assert skipped(tx) == [(at_township, officials.signers[0].address, 0, NONCE_USED)]
    assert transitions(tx) == [(at_township, 1, officials.signers[1].address, ADVANCED)]


def test_an_official_cancels_a_signature_before_anyone_relays_it(hub, officials, at_township, sign):
    signer = officials.signers[0]
    signed = sign(signer, at_township, 1)
    officials.outsider.transfer(signer, "1 ether")  # signers only sign; this one sends its cancellation
    tx = hub.cancelSignature(0, {"from": signer})
    assert (tx.events["ApprovalSignatureCancelled"]["signer"], tx.events["ApprovalSignatureCancelled"]["nonce"]) == (
        signer.address, 0)
    relayed = hub.approveBySig([signed], {"from": officials.outsider})
    assert skipped(relayed) == [(at_township, signer.address, 0, NONCE_USED)]
    assert not hub.hasApproved(at_township, signer) and hub.nonces(signer) == 1


def test_only_the_next_nonce_can_be_cancelled(hub, officials):
    with brownie.reverts(err("ApprovalInvalidNonce", officials.county_leader, 3, 0)):
        hub.cancelSignature(3, {"from": officials.county_leader})
    assert hub.nonces(officials.county_leader) == 0


def test_an_account_without_an_official_id_has_nothing_to_cancel(hub, officials):
    with brownie.reverts(err("ApprovalInvalidNonce", officials.outsider, 0, 0)):
        hub.cancelSignature(0, {"from": officials.outsider})


def test_a_signature_replayed_on_another_subject_is_refused(hub, client, officials, at_township, sign):
    other = client.open(key("other"), VILLAGE, PLAN, FUND, 50_000, {"from": officials.clerk}).return_value
    hub.approve(other, 0, {"from": officials.village_leader})
    signer = officials.signers[0]
    with brownie.reverts(err("ApprovalInvalidSignature", signer.address)):
        hub.approveBySig([sign(signer, other, 1, signed_subject=at_township)], {"from": officials.outsider})


def test_a_signature_for_another_chain_is_refused(hub, officials, at_township, sign, chain):
    signer = officials.signers[0]
    with brownie.reverts(err("ApprovalInvalidSignature", signer.address)):
        hub.approveBySig([sign(signer, at_township, 1, chain_id=chain.id + 1)], {"from": officials.outsider})


def test_a_signature_for_another_contract_is_refused(hub, officials, at_township, sign, eligibility):
    signer = officials.signers[0]
    with brownie.reverts(err("ApprovalInvalidSignature", signer.address)):
        hub.approveBySig([sign(signer, at_township, 1, verifying_contract=eligibility.address)],
                            {"from": officials.outsider})


def test_a_signature_by_someone_else_than_the_named_signer_is_refused(hub, officials, at_township, sign):
    forged = list(sign(officials.signers[0], at_township, 1))
    forged[2] = officials.signers[1].address  # claims another signer (whose next nonce is 0 as well)
    with brownie.reverts(err("ApprovalInvalidSignature", officials.signers[1].address)):
        hub.approveBySig([tuple(forged)], {"from": officials.outsider})


def test_an_expired_signature_is_skipped_and_reported(hub, officials, at_township, sign, chain):
    deadline = chain[-1].timestamp + 60
    expired = sign(officials.signers[0], at_township, 1, deadline=deadline)
    chain.sleep(120)
    fresh = sign(officials.signers[1], at_township, 1)
    tx = hub.approveBySig([expired, fresh], {"from": officials.outsider})
    assert skipped(tx) == [(at_township, officials.signers[0].address, 0, EXPIRED)]
    assert transitions(tx) == [(at_township, 1, officials.signers[1].address, O_APPROVED)]
    assert not hub.hasApproved(at_township, officials.signers[0]) and hub.nonces(officials.signers[0]) == 0


def test_a_signature_with_a_future_nonce_is_refused(hub, officials, at_township, sign):
    with brownie.reverts(err("ApprovalInvalidNonce", officials.signers[0].address, 5, 0)):
        hub.approveBySig([sign(officials.signers[0], at_township, 1, nonce=5)], {"from": officials.outsider})


def test_a_relayed_signer_without_the_role_is_refused(hub, officials, subject, sign, role):
    # The signers are township LEADERs; a county level needs a county LEADER.
    hub.approve(subject, 0, {"from": officials.village_leader})
    for leader in officials.township_leaders:
        hub.approve(subject, 1, {"from": leader})
    signer = officials.signers[0]
    with brownie.reverts(err("ApprovalUnauthorized", subject, 2, signer.address, role["LEADER"], COUNTY)):
        hub.approveBySig([sign(signer, subject, 2)], {"from": officials.outsider})


def test_a_relayed_signer_who_never_held_a_role_is_refused_at_the_role_check(hub, officials, at_township, sign,
                                                                             role):
    # Without an official id the signer has no nonce slot: nonce 0 is accepted and nothing is written.
    assert hub.nonces(officials.outsider) == 0
    with brownie.reverts(err("ApprovalUnauthorized", at_township, 1, officials.outsider, role["LEADER"], TOWNSHIP)):
        hub.approveBySig([sign(officials.outsider, at_township, 1)], {"from": officials.clerk})


def test_officials_sharing_a_nonce_slot_keep_their_own_counts(hub, client, role_registry, officials, at_township, sign):
    first, second, third = officials.signers
    # Consecutive ids: their counters sit in one storage slot (eight to a slot).
    assert role_registry.officialOf(second) == role_registry.officialOf(first) + 1
    other = client.open(key("other"), VILLAGE, PLAN, FUND, 50_000, {"from": officials.clerk}).return_value
    hub.approve(other, 0, {"from": officials.village_leader})
    hub.approveBySig([sign(first, at_township, 1, nonce=0), sign(first, other, 1, nonce=1),
                         sign(second, other, 1, nonce=0)], {"from": officials.outsider})
    assert (hub.nonces(first), hub.nonces(second), hub.nonces(third)) == (2, 1, 0)


def test_a_relayed_signer_cannot_approve_the_same_subject_twice(hub, officials, at_township, sign):
    signer = officials.signers[0]
    hub.approveBySig([sign(signer, at_township, 1)], {"from": officials.outsider})
    with brownie.reverts(err("ApprovalAlreadyApproved", at_township, signer.address)):
        hub.approveBySig([sign(signer, at_township, 1)], {"from": officials.outsider})


def test_a_relayed_signature_for_another_level_is_refused(hub, officials, subject, sign):
    with brownie.reverts(err("ApprovalLevelMismatch", subject, 1, 0)):
        hub.approveBySig([sign(officials.signers[0], subject, 1)], {"from": officials.outsider})


def test_one_bad_signature_reverts_the_whole_batch(hub, officials, at_township, sign):
    good = sign(officials.signers[0], at_township, 1)
    bad = sign(officials.signers[1], at_township, 1, nonce=3)
    with brownie.reverts(err("ApprovalInvalidNonce", officials.signers[1].address, 3, 0)):
        hub.approveBySig([good, bad], {"from": officials.outsider})
    assert not hub.hasApproved(at_township, officials.signers[0])
    assert hub.nonces(officials.signers[0]) == 0


def test_the_domain_separator_binds_chain_and_contract(hub, chain):
    from eth_abi import encode

    expected = keccak(encode(
        ["bytes32", "bytes32", "bytes32", "uint256", "address"],
        [keccak(text="EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
         keccak(text=NAME), keccak(text="1"), chain.id, hub.address],
    ))
    assert hub.DOMAIN_SEPARATOR() == "0x" + expected.hex()


def test_one_officials_batch_over_several_subjects_counts_each(hub, client, officials, at_township, sign):
    other = client.open(key("other"), VILLAGE, PLAN, FUND, 50_000, {"from": officials.clerk}).return_value
    hub.approve(other, 0, {"from": officials.village_leader})
    signer = officials.signers[0]
    tx = hub.approveBySig([sign(signer, at_township, 1, nonce=0), sign(signer, other, 1, nonce=1)],
                             {"from": officials.outsider})
    assert transitions(tx) == [(at_township, 1, signer.address, O_APPROVED), (other, 1, signer.address, O_APPROVED)]
    assert hub.nonces(signer) == 2


def test_a_role_checked_earlier_in_a_batch_does_not_cover_another_region(
    hub, client, officials, at_township, sign, role
):
    # Same signer, same role, but the second subject needs a LEADER of another township.
    elsewhere = client.open(key("elsewhere"), 530102002001, PLAN, FUND, 50_000,
                            {"from": officials.clerk}).return_value
    hub.approve(elsewhere, 0, {"from": officials.county_leader})
    signer = officials.signers[0]
    batch = [sign(signer, at_township, 1, nonce=0), sign(signer, elsewhere, 1, nonce=1)]
    with brownie.reverts(err("ApprovalUnauthorized", elsewhere, 1, signer.address, role["LEADER"], 530102002000)):
        hub.approveBySig(batch, {"from": officials.outsider})


# --- routes needing more approvers than the subject's slot holds ------------------------------------------------
# A subject keeps its first four approvers in its own storage slot and later ones in a mapping: both must refuse
# a second approval by the same account.

LONG_KEY = key("long-plan")


@pytest.fixture
def long_subject(hub, client, officials, admin, role):
    """A material plan on a route of six approvals: village LEADER, then five township LEADERs."""
    route = hub.defineRoute(PLAN, [(role["LEADER"], VILLAGE_LEVEL, 1, 0), (role["LEADER"], TOWNSHIP_LEVEL, 5, 0)],
                               {"from": admin}).return_value
    hub.setRouteBands(PLAN, MATERIAL, [(LARGE_MAX, route)], {"from": admin})
    subject = client.open(LONG_KEY, VILLAGE, PLAN, MATERIAL, 1, {"from": officials.clerk}).return_value
    hub.approve(subject, 0, {"from": officials.village_leader})
    return subject


def four_township_approvals(hub, officials, subject, sign):
    """Approvers 2 to 5 of `subject`: the fifth (signers[0]) is the first kept outside the subject's slot."""
    for leader in officials.township_leaders + [officials.county_leader]:
        hub.approve(subject, 1, {"from": leader})
    hub.approveBySig([sign(officials.signers[0], subject, 1)], {"from": officials.outsider})


def test_a_route_needing_more_than_255_approvals_in_all_is_refused(hub, admin, role):
    levels = [(role["LEADER"], VILLAGE_LEVEL, 200, 0), (role["LEADER"], TOWNSHIP_LEVEL, 56, 0)]
    with brownie.reverts(err("ApprovalInvalidLevel", 1)):
        hub.defineRoute(PLAN, levels, {"from": admin})


def test_an_approver_beyond_the_fourth_is_recorded(hub, officials, long_subject, sign):
    four_township_approvals(hub, officials, long_subject, sign)
    assert hub.hasApproved(long_subject, officials.signers[0])
    assert not hub.hasApproved(long_subject, officials.signers[1])
    assert hub.subjectOf(long_subject)["approvals"] == 4


def test_an_approver_beyond_the_fourth_cannot_approve_again(hub, officials, long_subject, sign):
    four_township_approvals(hub, officials, long_subject, sign)
    with brownie.reverts(err("ApprovalAlreadyApproved", long_subject, officials.signers[0])):
        hub.approveBySig([sign(officials.signers[0], long_subject, 1)], {"from": officials.outsider})


def test_one_of_the_first_four_approvers_cannot_approve_again_after_the_fourth(hub, officials, long_subject, sign):
    four_township_approvals(hub, officials, long_subject, sign)
    with brownie.reverts(err("ApprovalAlreadyApproved", long_subject, officials.township_leaders[1])):
        hub.approve(long_subject, 1, {"from": officials.township_leaders[1]})


def test_a_route_of_six_approvals_completes_with_six_distinct_approvers(hub, officials, long_subject, sign):
    four_township_approvals(hub, officials, long_subject, sign)
    tx = hub.approveBySig([sign(officials.signers[1], long_subject, 1)], {"from": officials.outsider})
    assert transitions(tx) == [(long_subject, 1, officials.signers[1].address, COMPLETED)]
    assert hub.subjectOf(long_subject)["state"] == APPROVED


# --- clients: registration, kinds, subject ids, callbacks ---------------------------------------------------


@pytest.fixture(scope="module")
def other_client(ApprovalClientHarness, hub, role_registry, admin, role):
    """A second test client, also registered for PLAN subjects."""
    harness = ApprovalClientHarness.deploy(hub, role_registry, role["INTAKE_CLERK"], {"from": admin})
    hub.registerClient(harness, [PLAN], {"from": admin})
    return harness


def complete(hub, subject, officials):
    """Approves a large fund plan through its three levels; returns the last transaction."""
    hub.approve(subject, 0, {"from": officials.village_leader})
    for leader in officials.township_leaders:
        hub.approve(subject, 1, {"from": leader})
    return hub.approve(subject, 2, {"from": officials.county_leader})


def test_governance_registers_a_client_with_its_kinds(hub, ApprovalClientHarness, role_registry, admin, role):
    harness = ApprovalClientHarness.deploy(hub, role_registry, role["INTAKE_CLERK"], {"from": admin})
    tx = hub.registerClient(harness, [PLAN, 9], {"from": admin})
    assert tx.events["ClientRegistered"]["client"] == harness
    assert list(tx.events["ClientRegistered"]["kinds"]) == [PLAN, 9]
    assert hub.clientKinds(harness) == (1 << PLAN) | (1 << 9)


def test_the_platform_deploy_registers_the_household_registry_for_registration_and_exit(hub, household_registry):
    assert hub.clientKinds(household_registry) == (1 << 1) | (1 << 2)


def test_only_governance_registers_clients(hub, client, officials):
    with brownie.reverts(err("GovernanceUnauthorized", officials.county_leader)):
        hub.registerClient(client, [PLAN, PLAN + 1], {"from": officials.county_leader})


def test_an_account_without_code_cannot_be_a_client(hub, officials, admin):
    with brownie.reverts(err("ApprovalInvalidClient", officials.outsider)):
        hub.registerClient(officials.outsider, [PLAN], {"from": admin})


def test_a_client_cannot_open_a_kind_it_was_not_registered_for(hub, client, officials):
    with brownie.reverts(err("ApprovalKindNotAllowed", client, PLAN + 1)):
        client.open(KEY, VILLAGE, PLAN + 1, FUND, 1, {"from": officials.clerk})


def test_a_test_client_cannot_open_household_registrations(hub, client, officials):
    with brownie.reverts(err("ApprovalKindNotAllowed", client, 1)):
        client.open(KEY, VILLAGE, 1, 0, 0, {"from": officials.clerk})


def test_an_unregistered_contract_cannot_open_subjects(hub, ApprovalClientHarness, role_registry, admin, officials,
                                                     role):
    stranger = ApprovalClientHarness.deploy(hub, role_registry, role["INTAKE_CLERK"], {"from": admin})
    with brownie.reverts(err("ApprovalKindNotAllowed", stranger, PLAN)):
        stranger.open(KEY, VILLAGE, PLAN, FUND, 1, {"from": officials.clerk})


def test_registering_a_client_again_replaces_its_kinds(hub, client, admin, officials):
    hub.registerClient(client, [], {"from": admin})
    assert hub.clientKinds(client) == 0
    with brownie.reverts(err("ApprovalKindNotAllowed", client, PLAN)):
        client.open(KEY, VILLAGE, PLAN, FUND, 1, {"from": officials.clerk})


def test_a_subject_id_names_its_client(hub, client, subject):
    assert hub.subjectClient(subject) == client
    assert subject == client.subjectIdOf(KEY, VILLAGE)


def test_two_clients_opening_the_same_key_get_two_subjects(hub, client, other_client, officials, subject):
    other = other_client.open(KEY, VILLAGE, PLAN, FUND, 50_000, {"from": officials.clerk}).return_value
    assert other != subject
    assert (hub.subjectClient(subject), hub.subjectClient(other)) == (client, other_client)
    assert hub.subjectOf(other)["state"] == hub.subjectOf(subject)["state"] == PENDING


def test_a_completed_subject_calls_back_only_its_own_client(hub, client, other_client, officials, subject):
    other_client.open(KEY, VILLAGE, PLAN, FUND, 50_000, {"from": officials.clerk})
    tx = complete(hub, subject, officials)
    assert [(e.address, e["subject"], e["approved"]) for e in tx.events["Decided"]] == [(client, subject, True)]


def test_a_rejected_subject_calls_back_only_its_own_client(hub, client, other_client, officials, subject):
    other = other_client.open(KEY, VILLAGE, PLAN, FUND, 50_000, {"from": officials.clerk}).return_value
    tx = hub.reject(other, "bafkreino", {"from": officials.village_leader})
    assert [(e.address, e["subject"], e["approved"]) for e in tx.events["Decided"]] == [(other_client, other, False)]
    assert hub.subjectOf(subject)["state"] == PENDING


def test_the_hub_calls_back_after_writing_its_own_state(hub, client, officials, subject):
    # The callback's event comes after the hub's transition: the hub's record was final when it called.
    tx = complete(hub, subject, officials)
    names = [event.name for event in tx.events]
    assert names.index("ApprovalTransition") < names.index("Decided")


def test_a_callback_from_anyone_but_the_hub_is_refused(client, officials, subject):
    with brownie.reverts(err("ApprovalClientNotHub", officials.county_leader)):
        client.onApprovalDecided(subject, True, {"from": officials.county_leader})


def test_the_household_registry_refuses_a_callback_from_anyone_but_the_hub(household_registry, officials):
    with brownie.reverts(err("ApprovalClientNotHub", officials.county_leader)):
        household_registry.onApprovalDecided(1, True, {"from": officials.county_leader})


def test_a_region_wider_than_forty_bits_is_refused(hub, client, officials):
    with brownie.reverts(err("ApprovalInvalidRegion", 2**40)):
        client.open(KEY, 2**40, PLAN, FUND, 1, {"from": officials.clerk})


# --- freezes by supervision ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def supervision(hub, accounts, admin):
    """An account standing in for the supervision contract, set on the hub by governance."""
    account = accounts.add()
    admin.transfer(account, "1 ether")
    hub.setSupervision(account, {"from": admin})
    return account


@pytest.fixture
def frozen(hub, at_township, supervision):
    """The subject at its township level, frozen."""
    hub.setSubjectFrozen(at_township, True, {"from": supervision})
    return at_township


def test_governance_sets_the_supervision(hub, admin, officials):
    tx = hub.setSupervision(officials.outsider, {"from": admin})
    assert tx.events["SupervisionSet"]["supervision"] == officials.outsider
    assert hub.supervision() == officials.outsider


def test_only_governance_sets_the_supervision(hub, officials):
    with brownie.reverts(err("GovernanceUnauthorized", officials.outsider)):
        hub.setSupervision(officials.outsider, {"from": officials.outsider})


def test_only_the_supervision_freezes_a_subject(hub, supervision, at_township, officials):
    with brownie.reverts(err("ApprovalNotSupervision", officials.county_leader)):
        hub.setSubjectFrozen(at_township, True, {"from": officials.county_leader})
    assert not hub.subjectOf(at_township)["frozen"]


def test_a_freeze_is_recorded_and_emitted(hub, supervision, at_township):
    tx = hub.setSubjectFrozen(at_township, True, {"from": supervision})
    assert (tx.events["SubjectFrozen"]["subject"], tx.events["SubjectFrozen"]["frozen"]) == (at_township, True)
    assert hub.subjectOf(at_township)["frozen"]
    assert hub.subjectStatus(at_township)[3]


def test_an_unknown_subject_cannot_be_frozen(hub, supervision, client):
    unknown = client.subjectIdOf(key("never-opened"), VILLAGE)
    with brownie.reverts(err("ApprovalWrongState", unknown, NONE)):
        hub.setSubjectFrozen(unknown, True, {"from": supervision})


def test_a_frozen_subject_cannot_be_approved(hub, officials, frozen):
    before = tuple(hub.subjectOf(frozen))
    with brownie.reverts(err("ApprovalSubjectFrozen", frozen)):
        hub.approve(frozen, 1, {"from": officials.township_leaders[0]})
    assert tuple(hub.subjectOf(frozen)) == before
    assert not hub.hasApproved(frozen, officials.township_leaders[0])


def test_a_frozen_subject_cannot_be_approved_by_a_relayed_signature(hub, officials, frozen, sign):
    signer = officials.signers[0]
    with brownie.reverts(err("ApprovalSubjectFrozen", frozen)):
        hub.approveBySig([sign(signer, frozen, 1)], {"from": officials.outsider})
    assert hub.nonces(signer) == 0 and not hub.hasApproved(frozen, signer)


def test_a_frozen_subject_cannot_be_rejected(hub, officials, frozen):
    with brownie.reverts(err("ApprovalSubjectFrozen", frozen)):
        hub.reject(frozen, "bafkreino", {"from": officials.township_leaders[0]})
    assert hub.subjectOf(frozen)["state"] == PENDING


def test_a_frozen_subject_cannot_be_returned(hub, officials, frozen):
    with brownie.reverts(err("ApprovalSubjectFrozen", frozen)):
        hub.returnForRevision(frozen, "bafkreiwhy", {"from": officials.township_leaders[0]})
    assert hub.subjectOf(frozen)["state"] == PENDING


def test_a_frozen_subject_cannot_be_resubmitted(hub, officials, at_township, supervision):
    hub.returnForRevision(at_township, "bafkreiwhy", {"from": officials.township_leaders[0]})
    hub.setSubjectFrozen(at_township, True, {"from": supervision})
    with brownie.reverts(err("ApprovalSubjectFrozen", at_township)):
        hub.resubmit(at_township, "bafkreirev", {"from": officials.clerk})
    assert hub.subjectOf(at_township)["state"] == RETURNED


def test_a_frozen_subject_cannot_be_escalated(hub, officials, frozen, chain):
    chain.sleep(LEVEL_TIMEOUT + 1)
    chain.mine()
    with brownie.reverts(err("ApprovalSubjectFrozen", frozen)):
        hub.escalate(frozen, {"from": officials.clerk})
    assert hub.subjectOf(frozen)["level"] == 1


def test_an_unfrozen_subject_moves_again(hub, officials, frozen, supervision):
    tx = hub.setSubjectFrozen(frozen, False, {"from": supervision})
    assert tx.events["SubjectFrozen"]["frozen"] is False
    hub.approve(frozen, 1, {"from": officials.township_leaders[0]})
    assert hub.subjectOf(frozen)["approvals"] == 1


# --- closing a subject left returned (issue 15 #3) -----------------------------------------------------------

CLOSED = Outcome.CLOSED
RETURN_TIMEOUT = 30 * 86400


@pytest.fixture
def returned(hub, officials, at_township):
    """The subject returned for revision at its township level."""
    hub.returnForRevision(at_township, "bafkreiwhy", {"from": officials.township_leaders[0]})
    return at_township


def test_a_subject_left_returned_past_the_timeout_is_closed_by_an_official_of_its_level(hub, officials, returned,
                                                                                         chain):
    chain.sleep(RETURN_TIMEOUT + 1)
    tx = hub.closeReturned(returned, "bafkreistale", {"from": officials.township_leaders[1]})
    assert transitions(tx) == [(returned, 1, officials.township_leaders[1], CLOSED)]
    assert comment(tx) == (returned, officials.township_leaders[1], CLOSED, "bafkreistale")
    assert (tx.events["Decided"]["subject"], tx.events["Decided"]["approved"]) == (returned, False)
    assert hub.subjectOf(returned)["state"] == REJECTED


def test_a_returned_subject_cannot_be_closed_before_the_timeout(hub, officials, returned, chain):
    since = hub.subjectOf(returned)["since"]
    with brownie.reverts(err("ApprovalReturnNotStale", returned, since + RETURN_TIMEOUT + 1)):
        hub.closeReturned(returned, "c", {"from": officials.township_leaders[1]})
    assert hub.subjectOf(returned)["state"] == RETURNED


def test_the_submitter_cannot_close_its_own_returned_subject(hub, officials, returned, chain, role_registry, role,
                                                            admin):
    role_registry.grantRoleIn(role["LEADER"], officials.clerk, TOWNSHIP, {"from": admin})
    chain.sleep(RETURN_TIMEOUT + 1)
    with brownie.reverts(err("ApprovalBySubmitter", returned, officials.clerk)):
        hub.closeReturned(returned, "c", {"from": officials.clerk})


def test_an_official_of_another_level_cannot_close(hub, officials, returned, chain, role):
    chain.sleep(RETURN_TIMEOUT + 1)
    with brownie.reverts(err("ApprovalUnauthorized", returned, 1, officials.village_leader, role["LEADER"],
                             TOWNSHIP)):
        hub.closeReturned(returned, "c", {"from": officials.village_leader})


def test_a_pending_subject_cannot_be_closed(hub, officials, at_township, chain):
    chain.sleep(RETURN_TIMEOUT + 1)
    with brownie.reverts(err("ApprovalWrongState", at_township, PENDING)):
        hub.closeReturned(at_township, "c", {"from": officials.township_leaders[1]})


def test_governance_sets_the_return_timeout_within_bounds(hub, admin):
    tx = hub.setReturnTimeout(7 * 86400, {"from": admin})
    assert tx.events["ReturnTimeoutSet"]["timeout"] == 7 * 86400 == hub.returnTimeout()
    for bad in (86400 - 1, 365 * 86400 + 1):
        with brownie.reverts(err("ApprovalInvalidReturnTimeout", bad)):
            hub.setReturnTimeout(bad, {"from": admin})
    assert hub.returnTimeout() == 7 * 86400


def test_only_governance_sets_the_return_timeout(hub, officials):
    with brownie.reverts(err("GovernanceUnauthorized", officials.county_leader)):
        hub.setReturnTimeout(86400, {"from": officials.county_leader})
