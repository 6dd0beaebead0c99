"""ApprovalEngine through its test harness: routes and bands, approvals, rejection, return and resubmission,
separation of duties, escalation, and EIP-712 relayed approvals."""

import brownie
import pytest
from eth_utils import keccak

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

PLAN = 7  # a subject kind of the harness
FUND, MATERIAL = 3, 4  # support types
SMALL_MAX, LARGE_MAX = 10_000, 1_000_000
NAME = "GovChain ApprovalEngineHarness"
KEY = keccak(text="plan-1")


@pytest.fixture(scope="module")
def engine(ApprovalEngineHarness, role_registry, admin, officials, role):
    """Fund plans up to 10,000: village LEADER, then 2 township LEADERs; up to 1,000,000: also a county LEADER."""
    harness = ApprovalEngineHarness.deploy(role_registry, {"from": admin})
    small = harness.defineRoute(PLAN, small_levels(role), {"from": admin}).return_value
    large = harness.defineRoute(PLAN, large_levels(role), {"from": admin}).return_value
    harness.setRouteBands(PLAN, FUND, [(SMALL_MAX, small), (LARGE_MAX, large)], {"from": admin})
    return harness


def small_levels(role):
    return [(role["LEADER"], VILLAGE_LEVEL, 1, LEVEL_TIMEOUT), (role["LEADER"], TOWNSHIP_LEVEL, 2, LEVEL_TIMEOUT)]


def large_levels(role):
    return small_levels(role) + [(role["LEADER"], COUNTY_LEVEL, 1, 0)]


@pytest.fixture
def subject(engine, officials):
    """A large fund plan of VILLAGE submitted by the clerk (route 2: village, township ×2, county)."""
    return engine.open(KEY, VILLAGE, PLAN, FUND, 50_000, {"from": officials.clerk}).return_value


@pytest.fixture
def at_township(engine, subject, officials):
    """The subject after its village level: pending at level 1."""
    engine.approve(subject, 0, {"from": officials.village_leader})
    return subject


def transitions(tx):
    return [(e["subject"], e["level"], e["actor"], e["outcome"]) for e in tx.events["ApprovalTransition"]]


def comment(tx):
    e = tx.events["ApprovalComment"]
    return (e["subject"], e["actor"], e["outcome"], e["cid"])


# --- routes and bands ---------------------------------------------------------------------------------------


def test_define_route_stores_the_levels_and_emits_them(engine, admin, role):
    tx = engine.defineRoute(PLAN, small_levels(role), {"from": admin})
    route_id = tx.return_value
    assert route_id == 3
    assert tx.events["RouteDefined"]["routeId"] == 3
    assert tx.events["RouteDefined"]["kind"] == PLAN
    assert [tuple(level) for level in tx.events["RouteDefined"]["levels"]] == [
        ("0x" + r.hex(), lvl, m, t) for r, lvl, m, t in small_levels(role)
    ]
    kind, levels = engine.route(route_id)
    assert kind == PLAN
    assert [tuple(level) for level in levels] == [("0x" + r.hex(), lvl, m, t) for r, lvl, m, t in small_levels(role)]


def test_only_governance_defines_routes(engine, officials, role):
    with brownie.reverts(err("GovernanceUnauthorized", officials.county_leader)):
        engine.defineRoute(PLAN, small_levels(role), {"from": officials.county_leader})


def test_a_route_without_levels_is_refused(engine, admin):
    with brownie.reverts(err("ApprovalInvalidRoute", 0)):
        engine.defineRoute(PLAN, [], {"from": admin})


def test_a_route_of_more_than_eight_levels_is_refused(engine, admin, role):
    with brownie.reverts(err("ApprovalInvalidRoute", 9)):
        engine.defineRoute(PLAN, [(role["LEADER"], COUNTY_LEVEL, 1, 0)] * 9, {"from": admin})


@pytest.mark.parametrize(
    "bad_level",
    [(b"\x11" * 32, COUNTY_LEVEL, 1, 0), ("LEADER", 0, 1, 0), ("LEADER", 6, 1, 0), ("LEADER", COUNTY_LEVEL, 0, 0)],
    ids=["unknown-role", "region-level-0", "region-level-6", "zero-threshold"],
)
def test_an_invalid_level_is_refused_with_its_index(engine, admin, role, bad_level):
    role_id = role[bad_level[0]] if isinstance(bad_level[0], str) else bad_level[0]
    levels = [(role["LEADER"], VILLAGE_LEVEL, 1, 0), (role_id,) + bad_level[1:]]
    with brownie.reverts(err("ApprovalInvalidLevel", 1)):
        engine.defineRoute(PLAN, levels, {"from": admin})


def test_bands_choose_the_route_by_amount(engine):
    assert engine.routeFor(PLAN, FUND, 0) == 1
    assert engine.routeFor(PLAN, FUND, SMALL_MAX) == 1
    assert engine.routeFor(PLAN, FUND, SMALL_MAX + 1) == 2
    assert engine.routeFor(PLAN, FUND, LARGE_MAX) == 2


def test_an_amount_above_every_band_has_no_route(engine):
    with brownie.reverts(err("ApprovalNoRoute", PLAN, FUND, LARGE_MAX + 1)):
        engine.routeFor(PLAN, FUND, LARGE_MAX + 1)


def test_a_support_type_without_bands_has_no_route(engine, officials):
    with brownie.reverts(err("ApprovalNoRoute", PLAN, MATERIAL, 5)):
        engine.open(KEY, VILLAGE, PLAN, MATERIAL, 5, {"from": officials.clerk})


def test_set_route_bands_replaces_the_bands_and_emits_them(engine, admin):
    tx = engine.setRouteBands(PLAN, FUND, [(100, 2)], {"from": admin})
    assert tx.events["RouteBandsSet"]["kind"] == PLAN
    assert tx.events["RouteBandsSet"]["supportType"] == FUND
    assert [tuple(b) for b in tx.events["RouteBandsSet"]["bands"]] == [(100, 2)]
    assert [tuple(b) for b in engine.routeBands(PLAN, FUND)] == [(100, 2)]
    assert engine.routeFor(PLAN, FUND, 50) == 2


def test_only_governance_sets_route_bands(engine, officials):
    with brownie.reverts(err("GovernanceUnauthorized", officials.clerk)):
        engine.setRouteBands(PLAN, FUND, [(100, 2)], {"from": officials.clerk})


def test_a_band_naming_an_unknown_route_is_refused(engine, admin):
    with brownie.reverts(err("ApprovalInvalidBand", 0)):
        engine.setRouteBands(PLAN, FUND, [(100, 9)], {"from": admin})


def test_a_band_naming_a_route_of_another_kind_is_refused(engine, admin):
    with brownie.reverts(err("ApprovalInvalidBand", 0)):
        engine.setRouteBands(PLAN + 1, FUND, [(100, 1)], {"from": admin})


def test_bands_must_ascend(engine, admin):
    with brownie.reverts(err("ApprovalInvalidBand", 1)):
        engine.setRouteBands(PLAN, FUND, [(100, 1), (100, 2)], {"from": admin})


# --- submission ---------------------------------------------------------------------------------------------


def test_opening_a_subject_emits_submitted_and_records_the_route(engine, officials, chain):
    tx = engine.open(KEY, VILLAGE, PLAN, FUND, 50_000, {"from": officials.clerk})
    subject = tx.return_value
    assert transitions(tx) == [(subject, 0, officials.clerk, SUBMITTED)]
    assert tuple(engine.subjectOf(subject)) == (officials.clerk, chain[-1].timestamp, 2, 0, 0, PENDING)


def test_a_subject_id_carries_its_region(engine, subject):
    assert engine.subjectRegion(subject) == VILLAGE
    assert subject == (int.from_bytes(KEY, "big") << 40) % 2**256 | VILLAGE


def test_a_subject_cannot_be_opened_twice(engine, officials, subject):
    with brownie.reverts(err("ApprovalSubjectExists", subject)):
        engine.open(KEY, VILLAGE, PLAN, FUND, 1, {"from": officials.clerk})


def test_an_account_that_never_held_a_regional_role_cannot_submit(engine, officials):
    # Separation of duties compares official ids, so a submitter needs one.
    with brownie.reverts(err("ApprovalSubmitterNotOfficial", officials.outsider)):
        engine.open(KEY, VILLAGE, PLAN, FUND, 1, {"from": officials.outsider})


# --- approvals ----------------------------------------------------------------------------------------------


def test_the_last_approval_of_a_level_advances_the_subject(engine, officials, subject, chain):
    tx = engine.approve(subject, 0, {"from": officials.village_leader})
    assert transitions(tx) == [(subject, 0, officials.village_leader, ADVANCED)]
    assert tuple(engine.subjectOf(subject)) == (officials.clerk, chain[-1].timestamp, 2, 1, 0, PENDING)


def test_an_approval_below_the_threshold_is_counted(engine, officials, at_township):
    tx = engine.approve(at_township, 1, {"from": officials.township_leaders[0]})
    assert transitions(tx) == [(at_township, 1, officials.township_leaders[0], O_APPROVED)]
    assert engine.subjectOf(at_township)["approvals"] == 1
    assert engine.hasApproved(at_township, officials.township_leaders[0])


def test_the_last_level_completes_the_subject_and_calls_back(engine, officials, at_township, chain):
    for leader in officials.township_leaders:
        engine.approve(at_township, 1, {"from": leader})
    tx = engine.approve(at_township, 2, {"from": officials.county_leader})
    assert transitions(tx) == [(at_township, 2, officials.county_leader, COMPLETED)]
    assert tx.events["Decided"]["subject"] == at_township
    assert tx.events["Decided"]["approved"] is True
    record = engine.subjectOf(at_township)
    assert (record["state"], record["level"], record["since"]) == (APPROVED, 2, chain[-1].timestamp)


def test_the_submitter_cannot_approve_their_own_subject(engine, officials):
    subject = engine.open(KEY, VILLAGE, PLAN, FUND, 1, {"from": officials.county_leader}).return_value
    with brownie.reverts(err("ApprovalBySubmitter", subject, officials.county_leader)):
        engine.approve(subject, 0, {"from": officials.county_leader})


def test_an_account_cannot_approve_twice_at_one_level(engine, officials, at_township):
    engine.approve(at_township, 1, {"from": officials.township_leaders[0]})
    with brownie.reverts(err("ApprovalAlreadyApproved", at_township, officials.township_leaders[0])):
        engine.approve(at_township, 1, {"from": officials.township_leaders[0]})


def test_an_account_cannot_approve_again_at_a_higher_level(engine, officials, subject):
    # The county leader's grant covers the village level too: it may approve once, at either.
    engine.approve(subject, 0, {"from": officials.county_leader})
    with brownie.reverts(err("ApprovalAlreadyApproved", subject, officials.county_leader)):
        engine.approve(subject, 1, {"from": officials.county_leader})


def test_an_account_without_an_official_id_has_approved_nothing(engine, officials, at_township):
    assert not engine.hasApproved(at_township, officials.outsider)


def test_an_account_without_the_role_cannot_approve(engine, officials, subject, role):
    with brownie.reverts(err("ApprovalUnauthorized", subject, 0, officials.outsider, role["LEADER"], VILLAGE)):
        engine.approve(subject, 0, {"from": officials.outsider})


def test_a_village_leader_cannot_approve_at_township_level(engine, officials, at_township, role):
    other = engine.open(keccak(text="other"), VILLAGE, PLAN, FUND, 1, {"from": officials.clerk}).return_value
    engine.approve(other, 0, {"from": officials.township_leaders[0]})
    with brownie.reverts(err("ApprovalUnauthorized", other, 1, officials.village_leader, role["LEADER"], TOWNSHIP)):
        engine.approve(other, 1, {"from": officials.village_leader})


def test_an_approval_for_another_level_is_refused(engine, officials, subject):
    with brownie.reverts(err("ApprovalLevelMismatch", subject, 1, 0)):
        engine.approve(subject, 1, {"from": officials.township_leaders[0]})


def test_an_unknown_subject_cannot_be_approved(engine, officials):
    with brownie.reverts(err("ApprovalWrongState", 12345, NONE)):
        engine.approve(12345, 0, {"from": officials.village_leader})


def test_an_approved_subject_cannot_be_approved_again(engine, officials):
    subject = engine.open(KEY, VILLAGE, PLAN, FUND, 1, {"from": officials.clerk}).return_value
    engine.approve(subject, 0, {"from": officials.village_leader})
    for leader in officials.township_leaders:
        engine.approve(subject, 1, {"from": leader})
    with brownie.reverts(err("ApprovalWrongState", subject, APPROVED)):
        engine.approve(subject, 1, {"from": officials.county_leader})


# --- rejection ----------------------------------------------------------------------------------------------


def test_rejection_ends_the_subject_and_calls_back(engine, officials, at_township):
    tx = engine.reject(at_township, "bafkreicomment", {"from": officials.township_leaders[0]})
    assert transitions(tx) == [(at_township, 1, officials.township_leaders[0], O_REJECTED)]
    assert comment(tx) == (at_township, officials.township_leaders[0], O_REJECTED, "bafkreicomment")
    assert tx.events["Decided"]["approved"] is False
    assert engine.subjectOf(at_township)["state"] == REJECTED


def test_a_rejected_subject_cannot_be_approved(engine, officials, at_township):
    engine.reject(at_township, "bafkreicomment", {"from": officials.township_leaders[0]})
    with brownie.reverts(err("ApprovalWrongState", at_township, REJECTED)):
        engine.approve(at_township, 1, {"from": officials.township_leaders[1]})


def test_the_submitter_cannot_reject_their_own_subject(engine, officials, subject):
    with brownie.reverts(err("ApprovalBySubmitter", subject, officials.clerk)):
        engine.reject(subject, "bafkreicomment", {"from": officials.clerk})


def test_an_account_without_the_role_cannot_reject(engine, officials, at_township, role):
    with brownie.reverts(err("ApprovalUnauthorized", at_township, 1, officials.village_leader, role["LEADER"],
                             TOWNSHIP)):
        engine.reject(at_township, "bafkreicomment", {"from": officials.village_leader})


def test_a_rejected_subject_cannot_be_rejected_again(engine, officials, at_township):
    engine.reject(at_township, "c", {"from": officials.township_leaders[0]})
    with brownie.reverts(err("ApprovalWrongState", at_township, REJECTED)):
        engine.reject(at_township, "c", {"from": officials.township_leaders[1]})


# --- return for revision and resubmission ------------------------------------------------------------------


def test_return_for_revision_sends_the_subject_back_with_a_comment(engine, officials, at_township):
    tx = engine.returnForRevision(at_township, "bafkreiwhy", {"from": officials.township_leaders[1]})
    assert transitions(tx) == [(at_township, 1, officials.township_leaders[1], O_RETURNED)]
    assert comment(tx) == (at_township, officials.township_leaders[1], O_RETURNED, "bafkreiwhy")
    assert engine.subjectOf(at_township)["state"] == RETURNED


def test_a_returned_subject_cannot_be_approved(engine, officials, at_township):
    engine.returnForRevision(at_township, "bafkreiwhy", {"from": officials.township_leaders[1]})
    with brownie.reverts(err("ApprovalWrongState", at_township, RETURNED)):
        engine.approve(at_township, 1, {"from": officials.township_leaders[0]})


def test_the_submitter_cannot_return_their_own_subject(engine, officials, subject):
    with brownie.reverts(err("ApprovalBySubmitter", subject, officials.clerk)):
        engine.returnForRevision(subject, "c", {"from": officials.clerk})


def test_an_account_without_the_role_cannot_return(engine, officials, subject, role):
    with brownie.reverts(err("ApprovalUnauthorized", subject, 0, officials.outsider, role["LEADER"], VILLAGE)):
        engine.returnForRevision(subject, "c", {"from": officials.outsider})


def test_a_returned_subject_cannot_be_returned_again(engine, officials, subject):
    engine.returnForRevision(subject, "c", {"from": officials.village_leader})
    with brownie.reverts(err("ApprovalWrongState", subject, RETURNED)):
        engine.returnForRevision(subject, "c", {"from": officials.village_leader})


def test_resubmission_resumes_at_the_returning_level_keeping_its_approvals(engine, officials, at_township, chain):
    engine.approve(at_township, 1, {"from": officials.township_leaders[0]})
    engine.returnForRevision(at_township, "bafkreiwhy", {"from": officials.township_leaders[1]})
    tx = engine.resubmit(at_township, "bafkreirevision", {"from": officials.clerk})
    assert transitions(tx) == [(at_township, 1, officials.clerk, RESUBMITTED)]
    assert comment(tx) == (at_township, officials.clerk, RESUBMITTED, "bafkreirevision")
    assert tuple(engine.subjectOf(at_township)) == (officials.clerk, chain[-1].timestamp, 2, 1, 1, PENDING)


def test_after_resubmission_an_earlier_approver_still_cannot_approve_again(engine, officials, at_township):
    engine.approve(at_township, 1, {"from": officials.township_leaders[0]})
    engine.returnForRevision(at_township, "bafkreiwhy", {"from": officials.township_leaders[1]})
    engine.resubmit(at_township, "bafkreirevision", {"from": officials.clerk})
    with brownie.reverts(err("ApprovalAlreadyApproved", at_township, officials.township_leaders[0])):
        engine.approve(at_township, 1, {"from": officials.township_leaders[0]})
    tx = engine.approve(at_township, 1, {"from": officials.township_leaders[1]})
    assert tx.events["ApprovalTransition"][-1]["outcome"] == ADVANCED


def test_only_the_submitter_resubmits(engine, officials, subject):
    engine.returnForRevision(subject, "c", {"from": officials.village_leader})
    with brownie.reverts(err("ApprovalNotSubmitter", subject, officials.village_leader)):
        engine.resubmit(subject, "r", {"from": officials.village_leader})


def test_a_pending_subject_cannot_be_resubmitted(engine, officials, subject):
    with brownie.reverts(err("ApprovalWrongState", subject, PENDING)):
        engine.resubmit(subject, "r", {"from": officials.clerk})


# --- escalation ---------------------------------------------------------------------------------------------


def test_the_level_deadline_is_its_start_plus_its_timeout(engine, subject, chain):
    assert engine.levelDeadline(subject) == chain[-1].timestamp + LEVEL_TIMEOUT


def test_a_level_without_timeout_has_no_deadline(engine, officials, at_township):
    for leader in officials.township_leaders:
        engine.approve(at_township, 1, {"from": leader})
    assert engine.levelDeadline(at_township) == 0


def test_a_level_cannot_be_escalated_before_its_deadline(engine, officials, subject, chain):
    deadline = chain[-1].timestamp + LEVEL_TIMEOUT
    with brownie.reverts(err("ApprovalNotOverdue", subject, deadline)):
        engine.escalate(subject, {"from": officials.township_leaders[0]})


def test_an_overdue_level_is_escalated_to_the_next_levels_leaders(engine, officials, subject, chain):
    chain.sleep(LEVEL_TIMEOUT + 1)
    tx = engine.escalate(subject, {"from": officials.township_leaders[0]})
    assert transitions(tx) == [(subject, 0, officials.township_leaders[0], ESCALATED)]
    assert tuple(engine.subjectOf(subject)) == (officials.clerk, chain[-1].timestamp, 2, 1, 0, PENDING)


def test_the_submitter_may_escalate_an_overdue_level(engine, officials, subject, chain):
    chain.sleep(LEVEL_TIMEOUT + 1)
    tx = engine.escalate(subject, {"from": officials.clerk})
    assert tx.events["ApprovalTransition"]["outcome"] == ESCALATED


def test_an_account_not_at_the_next_level_cannot_escalate(engine, officials, subject, chain, role):
    chain.sleep(LEVEL_TIMEOUT + 1)
    with brownie.reverts(err("ApprovalUnauthorized", subject, 1, officials.village_leader, role["LEADER"],
                             TOWNSHIP)):
        engine.escalate(subject, {"from": officials.village_leader})


def test_an_approver_of_an_escalated_level_cannot_approve_at_the_next(engine, officials, at_township, chain):
    # The county leader's grant covers the township: it approved there (1 of 2) before the level was skipped.
    engine.approve(at_township, 1, {"from": officials.county_leader})
    chain.sleep(LEVEL_TIMEOUT + 1)
    engine.escalate(at_township, {"from": officials.clerk})
    with brownie.reverts(err("ApprovalAlreadyApproved", at_township, officials.county_leader)):
        engine.approve(at_township, 2, {"from": officials.county_leader})


def test_the_last_level_cannot_be_escalated(engine, officials, chain):
    small = engine.open(KEY, VILLAGE, PLAN, FUND, 1, {"from": officials.clerk}).return_value
    engine.approve(small, 0, {"from": officials.village_leader})
    chain.sleep(LEVEL_TIMEOUT + 1)
    with brownie.reverts(err("ApprovalNoHigherLevel", small, 1)):
        engine.escalate(small, {"from": officials.clerk})


def test_a_level_without_timeout_cannot_be_escalated(engine, officials, at_township, chain):
    for leader in officials.township_leaders:
        engine.approve(at_township, 1, {"from": leader})
    chain.sleep(LEVEL_TIMEOUT * 10)
    with brownie.reverts(err("ApprovalNotOverdue", at_township, 0)):
        engine.escalate(at_township, {"from": officials.clerk})


def test_a_returned_subject_cannot_be_escalated(engine, officials, subject, chain):
    engine.returnForRevision(subject, "c", {"from": officials.village_leader})
    chain.sleep(LEVEL_TIMEOUT + 1)
    assert engine.levelDeadline(subject) == 0
    with brownie.reverts(err("ApprovalWrongState", subject, RETURNED)):
        engine.escalate(subject, {"from": officials.clerk})


# --- EIP-712 relayed approvals ------------------------------------------------------------------------------


@pytest.fixture
def sign(engine, chain):
    """sign(signer, subject, level, nonce=None, deadline=None, **overrides) → SignedApproval tuple."""

    def _sign(signer, subject, level, nonce=None, deadline=None, chain_id=None, verifying_contract=None,
              signed_subject=None):
        nonce = engine.nonces(signer) if nonce is None else nonce
        deadline = chain[-1].timestamp + 3600 if deadline is None else deadline
        signature = approval_signature(
            signer, engine, subject if signed_subject is None else signed_subject, level, nonce, deadline,
            chain_id or chain.id, NAME, verifying_contract,
        )
        return (subject, level, signer.address, nonce, deadline, *compact(signature))

    return _sign


def test_a_relayed_approval_counts_for_its_signer(engine, officials, at_township, sign):
    signer = officials.signers[0]
    tx = engine.approveBySig([sign(signer, at_township, 1)], {"from": officials.outsider})
    assert transitions(tx) == [(at_township, 1, signer.address, O_APPROVED)]
    assert engine.hasApproved(at_township, signer)
    assert engine.nonces(signer) == 1


def test_a_batch_of_relayed_approvals_clears_a_level(engine, officials, at_township, sign):
    batch = [sign(s, at_township, 1) for s in officials.signers[:2]]
    tx = engine.approveBySig(batch, {"from": officials.outsider})
    assert [e["outcome"] for e in tx.events["ApprovalTransition"]] == [O_APPROVED, ADVANCED]
    assert engine.subjectOf(at_township)["level"] == 2


def test_a_replayed_signature_is_refused(engine, officials, at_township, sign):
    signed = sign(officials.signers[0], at_township, 1)
    engine.approveBySig([signed], {"from": officials.outsider})
    with brownie.reverts(err("ApprovalInvalidNonce", officials.signers[0].address, 0, 1)):
        engine.approveBySig([signed], {"from": officials.outsider})


def test_a_signature_replayed_after_its_level_cleared_is_refused_by_the_subjects_state(engine, officials,
                                                                                        at_township, sign):
    signed = sign(officials.signers[0], at_township, 1)
    engine.approveBySig([signed], {"from": officials.outsider})
    engine.approve(at_township, 1, {"from": officials.township_leaders[0]})
    with brownie.reverts(err("ApprovalLevelMismatch", at_township, 1, 2)):
        engine.approveBySig([signed], {"from": officials.outsider})


def test_a_signature_replayed_on_another_subject_is_refused(engine, officials, at_township, sign):
    other = engine.open(keccak(text="other"), VILLAGE, PLAN, FUND, 50_000, {"from": officials.clerk}).return_value
    engine.approve(other, 0, {"from": officials.village_leader})
    signer = officials.signers[0]
    with brownie.reverts(err("ApprovalInvalidSignature", signer.address)):
        engine.approveBySig([sign(signer, other, 1, signed_subject=at_township)], {"from": officials.outsider})


def test_a_signature_for_another_chain_is_refused(engine, officials, at_township, sign, chain):
    signer = officials.signers[0]
    with brownie.reverts(err("ApprovalInvalidSignature", signer.address)):
        engine.approveBySig([sign(signer, at_township, 1, chain_id=chain.id + 1)], {"from": officials.outsider})


def test_a_signature_for_another_contract_is_refused(engine, officials, at_township, sign, eligibility):
    signer = officials.signers[0]
    with brownie.reverts(err("ApprovalInvalidSignature", signer.address)):
        engine.approveBySig([sign(signer, at_township, 1, verifying_contract=eligibility.address)],
                            {"from": officials.outsider})


def test_a_signature_by_someone_else_than_the_named_signer_is_refused(engine, officials, at_township, sign):
    forged = list(sign(officials.signers[0], at_township, 1))
    forged[2] = officials.signers[1].address  # claims another signer (whose next nonce is 0 as well)
    with brownie.reverts(err("ApprovalInvalidSignature", officials.signers[1].address)):
        engine.approveBySig([tuple(forged)], {"from": officials.outsider})


def test_an_expired_signature_is_refused(engine, officials, at_township, sign, chain):
    deadline = chain[-1].timestamp + 60
    signed = sign(officials.signers[0], at_township, 1, deadline=deadline)
    chain.sleep(120)
    with brownie.reverts(err("ApprovalSignatureExpired", officials.signers[0].address, deadline)):
        engine.approveBySig([signed], {"from": officials.outsider})


def test_a_signature_with_a_future_nonce_is_refused(engine, officials, at_township, sign):
    with brownie.reverts(err("ApprovalInvalidNonce", officials.signers[0].address, 5, 0)):
        engine.approveBySig([sign(officials.signers[0], at_township, 1, nonce=5)], {"from": officials.outsider})


def test_a_relayed_signer_without_the_role_is_refused(engine, officials, subject, sign, role):
    # The signers are township LEADERs; a county level needs a county LEADER.
    engine.approve(subject, 0, {"from": officials.village_leader})
    for leader in officials.township_leaders:
        engine.approve(subject, 1, {"from": leader})
    signer = officials.signers[0]
    with brownie.reverts(err("ApprovalUnauthorized", subject, 2, signer.address, role["LEADER"], COUNTY)):
        engine.approveBySig([sign(signer, subject, 2)], {"from": officials.outsider})


def test_a_relayed_signer_who_never_held_a_role_is_refused_at_the_role_check(engine, officials, at_township, sign,
                                                                             role):
    # Without an official id the signer has no nonce slot: nonce 0 is accepted and nothing is written.
    assert engine.nonces(officials.outsider) == 0
    with brownie.reverts(err("ApprovalUnauthorized", at_township, 1, officials.outsider, role["LEADER"], TOWNSHIP)):
        engine.approveBySig([sign(officials.outsider, at_township, 1)], {"from": officials.clerk})


def test_officials_sharing_a_nonce_slot_keep_their_own_counts(engine, role_registry, officials, at_township, sign):
    first, second, third = officials.signers
    # Consecutive ids: their counters sit in one storage slot (eight to a slot).
    assert role_registry.officialOf(second) == role_registry.officialOf(first) + 1
    other = engine.open(keccak(text="other"), VILLAGE, PLAN, FUND, 50_000, {"from": officials.clerk}).return_value
    engine.approve(other, 0, {"from": officials.village_leader})
    engine.approveBySig([sign(first, at_township, 1, nonce=0), sign(first, other, 1, nonce=1),
                         sign(second, other, 1, nonce=0)], {"from": officials.outsider})
    assert (engine.nonces(first), engine.nonces(second), engine.nonces(third)) == (2, 1, 0)


def test_a_relayed_signer_cannot_approve_the_same_subject_twice(engine, officials, at_township, sign):
    signer = officials.signers[0]
    engine.approveBySig([sign(signer, at_township, 1)], {"from": officials.outsider})
    with brownie.reverts(err("ApprovalAlreadyApproved", at_township, signer.address)):
        engine.approveBySig([sign(signer, at_township, 1)], {"from": officials.outsider})


def test_a_relayed_signature_for_another_level_is_refused(engine, officials, subject, sign):
    with brownie.reverts(err("ApprovalLevelMismatch", subject, 1, 0)):
        engine.approveBySig([sign(officials.signers[0], subject, 1)], {"from": officials.outsider})


def test_one_bad_signature_reverts_the_whole_batch(engine, officials, at_township, sign):
    good = sign(officials.signers[0], at_township, 1)
    bad = sign(officials.signers[1], at_township, 1, nonce=3)
    with brownie.reverts(err("ApprovalInvalidNonce", officials.signers[1].address, 3, 0)):
        engine.approveBySig([good, bad], {"from": officials.outsider})
    assert not engine.hasApproved(at_township, officials.signers[0])
    assert engine.nonces(officials.signers[0]) == 0


def test_the_domain_separator_binds_chain_and_contract(engine, chain):
    from eth_abi import encode

    expected = keccak(encode(
        ["bytes32", "bytes32", "bytes32", "uint256", "address"],
        [keccak(text="EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
         keccak(text=NAME), keccak(text="1"), chain.id, engine.address],
    ))
    assert engine.DOMAIN_SEPARATOR() == "0x" + expected.hex()


def test_one_officials_batch_over_several_subjects_counts_each(engine, officials, at_township, sign):
    other = engine.open(keccak(text="other"), VILLAGE, PLAN, FUND, 50_000, {"from": officials.clerk}).return_value
    engine.approve(other, 0, {"from": officials.village_leader})
    signer = officials.signers[0]
    tx = engine.approveBySig([sign(signer, at_township, 1, nonce=0), sign(signer, other, 1, nonce=1)],
                             {"from": officials.outsider})
    assert transitions(tx) == [(at_township, 1, signer.address, O_APPROVED), (other, 1, signer.address, O_APPROVED)]
    assert engine.nonces(signer) == 2


def test_a_role_checked_earlier_in_a_batch_does_not_cover_another_region(engine, officials, at_township, sign, role):
    # Same signer, same role, but the second subject needs a LEADER of another township.
    elsewhere = engine.open(keccak(text="elsewhere"), 530102002001, PLAN, FUND, 50_000,
                            {"from": officials.clerk}).return_value
    engine.approve(elsewhere, 0, {"from": officials.county_leader})
    signer = officials.signers[0]
    batch = [sign(signer, at_township, 1, nonce=0), sign(signer, elsewhere, 1, nonce=1)]
    with brownie.reverts(err("ApprovalUnauthorized", elsewhere, 1, signer.address, role["LEADER"], 530102002000)):
        engine.approveBySig(batch, {"from": officials.outsider})


# --- routes needing more approvers than the subject's slot holds ------------------------------------------------
# A subject keeps its first four approvers in its own storage slot and later ones in a mapping: both must refuse
# a second approval by the same account.

LONG_KEY = keccak(text="long-plan")


@pytest.fixture
def long_subject(engine, officials, admin, role):
    """A material plan on a route of six approvals: village LEADER, then five township LEADERs."""
    route = engine.defineRoute(PLAN, [(role["LEADER"], VILLAGE_LEVEL, 1, 0), (role["LEADER"], TOWNSHIP_LEVEL, 5, 0)],
                               {"from": admin}).return_value
    engine.setRouteBands(PLAN, MATERIAL, [(LARGE_MAX, route)], {"from": admin})
    subject = engine.open(LONG_KEY, VILLAGE, PLAN, MATERIAL, 1, {"from": officials.clerk}).return_value
    engine.approve(subject, 0, {"from": officials.village_leader})
    return subject


def four_township_approvals(engine, officials, subject, sign):
    """Approvers 2 to 5 of `subject`: the fifth (signers[0]) is the first kept outside the subject's slot."""
    for leader in officials.township_leaders + [officials.county_leader]:
        engine.approve(subject, 1, {"from": leader})
    engine.approveBySig([sign(officials.signers[0], subject, 1)], {"from": officials.outsider})


def test_a_route_needing_more_than_255_approvals_in_all_is_refused(engine, admin, role):
    levels = [(role["LEADER"], VILLAGE_LEVEL, 200, 0), (role["LEADER"], TOWNSHIP_LEVEL, 56, 0)]
    with brownie.reverts(err("ApprovalInvalidLevel", 1)):
        engine.defineRoute(PLAN, levels, {"from": admin})


def test_an_approver_beyond_the_fourth_is_recorded(engine, officials, long_subject, sign):
    four_township_approvals(engine, officials, long_subject, sign)
    assert engine.hasApproved(long_subject, officials.signers[0])
    assert not engine.hasApproved(long_subject, officials.signers[1])
    assert engine.subjectOf(long_subject)["approvals"] == 4


def test_an_approver_beyond_the_fourth_cannot_approve_again(engine, officials, long_subject, sign):
    four_township_approvals(engine, officials, long_subject, sign)
    with brownie.reverts(err("ApprovalAlreadyApproved", long_subject, officials.signers[0])):
        engine.approveBySig([sign(officials.signers[0], long_subject, 1)], {"from": officials.outsider})


def test_one_of_the_first_four_approvers_cannot_approve_again_after_the_fourth(engine, officials, long_subject, sign):
    four_township_approvals(engine, officials, long_subject, sign)
    with brownie.reverts(err("ApprovalAlreadyApproved", long_subject, officials.township_leaders[1])):
        engine.approve(long_subject, 1, {"from": officials.township_leaders[1]})


def test_a_route_of_six_approvals_completes_with_six_distinct_approvers(engine, officials, long_subject, sign):
    four_township_approvals(engine, officials, long_subject, sign)
    tx = engine.approveBySig([sign(officials.signers[1], long_subject, 1)], {"from": officials.outsider})
    assert transitions(tx) == [(long_subject, 1, officials.signers[1].address, COMPLETED)]
    assert engine.subjectOf(long_subject)["state"] == APPROVED
