"""HouseholdRegistry: filing on proofs, approvals, public notice and objections, registration, exit with a
transition period, monitoring and re-admission; every revert with its custom error."""

import brownie
import pytest
from eth_utils import keccak

from govchain.eligibility import Decision, leaf_hash
from tests.contracts.conftest import (
    ADVANCED,
    APPROVED,
    COMPLETED,
    COUNTY,
    DAY,
    ESCALATED,
    H_EXITED,
    H_MONITORING,
    H_NONE,
    H_REGISTERED,
    NOTICE_PERIOD,
    OTHER_COUNTY_VILLAGE,
    OTHER_VILLAGE_SAME_TOWNSHIP,
    PENDING,
    SUBMITTED,
    TOWNSHIP,
    TRANSITION_PERIOD,
    VILLAGE,
    CommittedBatch,
    err,
    household_id,
    make_leaves,
)

OPEN, UPHELD, DISMISSED = 1, 2, 3
POLICY = keccak(text="policy:medical-insurance-subsidy")
OTHER_POLICY = keccak(text="policy:housing-grant")
HID = household_id("admitted")


@pytest.fixture(scope="module")
def registry(household_registry):
    return household_registry


@pytest.fixture(scope="module")
def hub(approval_hub):
    """Where the registry's procedures are approved."""
    return approval_hub


@pytest.fixture
def next_batch(eligibility, officials):
    """next_batch(households) commits a newer final county batch (superseding the current one)."""
    counter = iter(range(1, 100))

    def _commit(households: dict) -> CommittedBatch:
        batch = CommittedBatch(keccak(text=f"batch-next-{next(counter)}"), COUNTY, make_leaves(households))
        return batch.commit(eligibility, officials.oracles[:2])

    return _commit


def file_registration(registry, batch, name, clerk):
    leaf, proof = batch.proof(name)
    return registry.fileRegistration(batch.id, leaf, proof, {"from": clerk})


def complete_on(registry, batch, name, sender):
    """Completes the procedure of `name` on its leaf in `batch` (the newest final batch covering the village)."""
    leaf, proof = batch.proof(name)
    return registry.completeProcedure(batch.id, leaf, proof, {"from": sender})


@pytest.fixture
def complete(registry, first_batch, officials):
    """complete(name="admitted", batch=first_batch): an outsider completes the procedure of `name` on `batch`."""
    def _complete(name="admitted", batch=None):
        return complete_on(registry, batch or first_batch, name, officials.outsider)
    return _complete


def approve_registration(hub, subject, officials):
    hub.approve(subject, 0, {"from": officials.village_leader})
    for leader in officials.township_leaders:
        hub.approve(subject, 1, {"from": leader})
    return hub.approve(subject, 2, {"from": officials.county_leader})


def approve_exit(hub, subject, officials):
    hub.approve(subject, 0, {"from": officials.reviewer})
    return hub.approve(subject, 1, {"from": officials.county_leader})


@pytest.fixture
def filed(registry, first_batch, officials):
    """The registration of "admitted", filed by the village clerk."""
    return file_registration(registry, first_batch, "admitted", officials.clerk).return_value


@pytest.fixture
def in_notice(registry, hub, filed, officials):
    """The registration of "admitted" in public notice (all levels approved)."""
    approve_registration(hub, filed, officials)
    return filed


@pytest.fixture
def registered(registry, in_notice, first_batch, officials, chain):
    """"admitted" registered after a clean notice."""
    chain.sleep(NOTICE_PERIOD)
    complete_on(registry, first_batch, "admitted", officials.outsider)
    return in_notice


def raise_objection(registry, subject, who, cid="bafkreievidence"):
    return registry.raiseObjection(subject, cid, {"from": who})


def exit_household(registry, hub, next_batch, officials, chain, name="admitted"):
    """Files, approves and completes the exit of registered household `name`."""
    batch = next_batch({name: (VILLAGE, Decision.EXIT)})
    leaf, proof = batch.proof(name)
    subject = registry.fileExit(batch.id, leaf, proof, {"from": officials.clerk}).return_value
    approve_exit(hub, subject, officials)
    chain.sleep(NOTICE_PERIOD)
    return subject, complete_on(registry, batch, name, officials.outsider)


# --- construction and governance ---------------------------------------------------------------------------


def test_constructor_sets_the_periods_and_links(registry, eligibility, role_registry):
    assert registry.noticePeriod() == NOTICE_PERIOD
    assert registry.transitionPeriod() == TRANSITION_PERIOD
    assert registry.eligibility() == eligibility
    assert registry.roles() == role_registry


def test_constructor_refuses_a_notice_shorter_than_five_days(
    HouseholdRegistry, role_registry, eligibility, admin, approval_hub
):
    with brownie.reverts(err("HouseholdNoticeTooShort", 5 * DAY - 1, 5 * DAY)):
        HouseholdRegistry.deploy(role_registry, eligibility, approval_hub, 5 * DAY - 1, 0, {"from": admin})


def test_governance_sets_the_notice_period(registry, admin):
    tx = registry.setNoticePeriod(7 * DAY, {"from": admin})
    assert tx.events["NoticePeriodChanged"]["period"] == 7 * DAY
    assert registry.noticePeriod() == 7 * DAY


def test_the_notice_period_cannot_go_below_five_days(registry, admin):
    with brownie.reverts(err("HouseholdNoticeTooShort", 4 * DAY, 5 * DAY)):
        registry.setNoticePeriod(4 * DAY, {"from": admin})


def test_only_governance_sets_the_notice_period(registry, officials):
    with brownie.reverts(err("GovernanceUnauthorized", officials.county_leader)):
        registry.setNoticePeriod(7 * DAY, {"from": officials.county_leader})


def test_governance_sets_the_transition_period(registry, admin):
    tx = registry.setTransitionPeriod(30 * DAY, {"from": admin})
    assert tx.events["TransitionPeriodChanged"]["period"] == 30 * DAY
    assert registry.transitionPeriod() == 30 * DAY


def test_only_governance_sets_the_transition_period(registry, officials):
    with brownie.reverts(err("GovernanceUnauthorized", officials.reviewer)):
        registry.setTransitionPeriod(1, {"from": officials.reviewer})


def test_governance_designates_policies(registry, admin):
    tx = registry.setPolicyDesignated(POLICY, True, {"from": admin})
    assert tx.events["PolicyDesignated"]["policy"] == "0x" + POLICY.hex()
    assert tx.events["PolicyDesignated"]["designated"] is True


def test_only_governance_designates_policies(registry, officials):
    with brownie.reverts(err("GovernanceUnauthorized", officials.clerk)):
        registry.setPolicyDesignated(POLICY, True, {"from": officials.clerk})


# --- filing a registration ---------------------------------------------------------------------------------


def test_a_clerk_files_a_candidate_proven_by_an_admit_leaf(registry, hub, first_batch, officials):
    tx = file_registration(registry, first_batch, "admitted", officials.clerk)
    subject = tx.return_value
    assert subject == registry.procedureOf(HID, VILLAGE)
    assert hub.subjectRegion(subject) == VILLAGE
    transition = tx.events["ApprovalTransition"]
    assert (transition["subject"], transition["level"], transition["actor"], transition["outcome"]) == (
        subject, 0, officials.clerk, SUBMITTED)
    filed = tx.events["RegistrationFiled"]
    assert (filed["householdId"], filed["subject"], filed["batchId"]) == (
        "0x" + HID.hex(), subject, "0x" + first_batch.id.hex())
    assert hub.subjectOf(subject)["state"] == PENDING
    assert registry.household(HID)["status"] == H_NONE


def test_a_filing_stores_no_household_record_until_it_completes(registry, filed):
    assert tuple(registry.household(HID)) == (0, H_NONE, 0, 0, 0)


@pytest.mark.parametrize("name,decision", [("watched", Decision.MONITOR), ("unchanged", Decision.NONE),
                                           ("exiting-early", Decision.EXIT)])
def test_a_registration_needs_an_admit_leaf(registry, first_batch, officials, name, decision):
    with brownie.reverts(err("HouseholdWrongDecision", household_id(name), int(Decision.ADMIT), int(decision))):
        file_registration(registry, first_batch, name, officials.clerk)


def test_only_an_intake_clerk_files(registry, first_batch, officials, role):
    with brownie.reverts(err("HouseholdUnauthorized", officials.village_leader, role["INTAKE_CLERK"], VILLAGE)):
        file_registration(registry, first_batch, "admitted", officials.village_leader)


def test_a_clerk_of_another_village_cannot_file(registry, first_batch, officials, role):
    with brownie.reverts(err("HouseholdUnauthorized", officials.other_clerk, role["INTAKE_CLERK"], VILLAGE)):
        file_registration(registry, first_batch, "admitted", officials.other_clerk)


def test_the_clerk_of_the_households_village_files_it(registry, hub, first_batch, officials):
    tx = file_registration(registry, first_batch, "neighbour", officials.other_clerk)
    assert hub.subjectRegion(tx.return_value) == OTHER_VILLAGE_SAME_TOWNSHIP


def test_a_leaf_whose_region_is_not_a_village_is_refused(registry, first_batch, officials):
    with brownie.reverts(err("HouseholdNotVillage", TOWNSHIP)):
        file_registration(registry, first_batch, "township-code", officials.clerk)


def test_a_proof_for_another_region_is_refused(registry, first_batch, officials, role):
    # The leaf of a VILLAGE household re-labelled with the neighbouring village, filed by that village's clerk.
    leaf, proof = first_batch.proof("admitted")
    moved = (leaf[0], OTHER_VILLAGE_SAME_TOWNSHIP, leaf[2], leaf[3])
    with brownie.reverts(err("HouseholdInvalidProof", first_batch.id, leaf_hash(*moved))):
        registry.fileRegistration(first_batch.id, moved, proof, {"from": officials.other_clerk})


def test_a_proof_outside_the_batch_scope_is_refused(registry, first_batch, officials, admin, role_registry, role):
    role_registry.grantRoleIn(role["INTAKE_CLERK"], officials.clerk, OTHER_COUNTY_VILLAGE, {"from": admin})
    with brownie.reverts(err("EligibilityRegionOutsideBatch", first_batch.id, COUNTY, OTHER_COUNTY_VILLAGE)):
        file_registration(registry, first_batch, "elsewhere", officials.clerk)


def test_tampered_details_do_not_prove(registry, first_batch, officials):
    leaf, proof = first_batch.proof("admitted")
    tampered = leaf[:3] + (bytes(32),)
    with brownie.reverts(err("HouseholdInvalidProof", first_batch.id, leaf_hash(*tampered))):
        registry.fileRegistration(first_batch.id, tampered, proof, {"from": officials.clerk})


def test_a_proof_of_another_leaf_does_not_prove(registry, first_batch, officials):
    leaf, _ = first_batch.proof("admitted")
    _, other_proof = first_batch.proof("admitted-2")
    with brownie.reverts(err("HouseholdInvalidProof", first_batch.id, leaf_hash(*leaf))):
        registry.fileRegistration(first_batch.id, leaf, other_proof, {"from": officials.clerk})


def _flip_last_bit(node):
    raw = bytes(node)
    return raw[:-1] + bytes([raw[-1] ^ 1])


@pytest.mark.parametrize("change", ["sibling", "dropped", "extra", "reordered"])
def test_an_altered_proof_does_not_prove(registry, eligibility, first_batch, officials, change):
    # The registry walks the proof itself (sorted pairs, as OpenZeppelin's MerkleProof): any change breaks it.
    leaf, proof = first_batch.proof("admitted")
    proof = [bytes(node) for node in proof]
    assert len(proof) >= 2 and eligibility.verify(first_batch.id, leaf, proof)
    altered = {
        "sibling": proof[:1] + [_flip_last_bit(proof[1])] + proof[2:],
        "dropped": proof[:-1],
        "extra": proof + [proof[-1]],
        "reordered": [proof[1], proof[0]] + proof[2:],
    }[change]
    assert not eligibility.verify(first_batch.id, leaf, altered)
    with brownie.reverts(err("HouseholdInvalidProof", first_batch.id, leaf_hash(*leaf))):
        registry.fileRegistration(first_batch.id, leaf, altered, {"from": officials.clerk})
    assert registry.fileRegistration(first_batch.id, leaf, proof, {"from": officials.clerk}).return_value


def test_a_proof_from_a_non_final_batch_is_refused(registry, eligibility, officials):
    batch = CommittedBatch(keccak(text="half-committed"), COUNTY, make_leaves({"admitted": (VILLAGE, Decision.ADMIT)}))
    eligibility.commitBatch(*batch.commit_args(), {"from": officials.oracles[0]})
    with brownie.reverts(err("EligibilityBatchNotFinal", batch.id)):
        file_registration(registry, batch, "admitted", officials.clerk)


def test_a_proof_from_a_superseded_batch_is_refused(registry, first_batch, next_batch, officials):
    newer = next_batch({"admitted": (VILLAGE, Decision.ADMIT)})
    with brownie.reverts(err("EligibilityBatchSuperseded", first_batch.id, newer.id)):
        file_registration(registry, first_batch, "admitted", officials.clerk)


def test_the_same_household_cannot_be_filed_twice_while_open(registry, first_batch, officials, filed):
    with brownie.reverts(err("HouseholdProcedureOpen", HID, filed)):
        file_registration(registry, first_batch, "admitted", officials.clerk)


def test_a_household_in_public_notice_cannot_be_filed_again(registry, first_batch, officials, in_notice):
    with brownie.reverts(err("HouseholdProcedureOpen", HID, in_notice)):
        file_registration(registry, first_batch, "admitted", officials.clerk)


def test_a_returned_filing_stays_open(registry, hub, first_batch, officials, filed):
    hub.returnForRevision(filed, "bafkreiwhy", {"from": officials.village_leader})
    with brownie.reverts(err("HouseholdProcedureOpen", HID, filed)):
        file_registration(registry, first_batch, "admitted", officials.clerk)


def test_after_a_rejection_a_new_filing_opens_a_fresh_procedure(registry, hub, first_batch, officials, filed):
    hub.reject(filed, "bafkreiwhy", {"from": officials.village_leader})
    subject = file_registration(registry, first_batch, "admitted", officials.clerk).return_value
    assert subject != filed
    assert registry.household(HID)["procedures"] == 1
    assert registry.procedureOf(HID, VILLAGE) == subject
    assert hub.subjectOf(subject)["state"] == PENDING


def test_a_registered_household_cannot_be_registered_again(registry, first_batch, next_batch, officials, registered):
    batch = next_batch({"admitted": (VILLAGE, Decision.ADMIT)})
    with brownie.reverts(err("HouseholdWrongStatus", HID, H_REGISTERED)):
        file_registration(registry, batch, "admitted", officials.clerk)


# --- approvals and the start of the notice ------------------------------------------------------------------


def test_the_submitting_clerk_cannot_approve_even_holding_the_role(registry, hub, filed, officials, admin,
                                                                      role_registry, role):
    role_registry.grantRoleIn(role["LEADER"], officials.clerk, VILLAGE, {"from": admin})
    with brownie.reverts(err("ApprovalBySubmitter", filed, officials.clerk)):
        hub.approve(filed, 0, {"from": officials.clerk})


def test_a_second_approval_by_the_same_account_is_refused(registry, hub, filed, officials):
    hub.approve(filed, 0, {"from": officials.village_leader})
    hub.approve(filed, 1, {"from": officials.township_leaders[0]})
    with brownie.reverts(err("ApprovalAlreadyApproved", filed, officials.township_leaders[0])):
        hub.approve(filed, 1, {"from": officials.township_leaders[0]})


def test_the_last_approval_starts_the_public_notice(registry, hub, filed, officials, chain):
    tx = approve_registration(hub, filed, officials)
    assert tx.events["ApprovalTransition"]["outcome"] == COMPLETED
    assert tx.events["NoticeStarted"]["subject"] == filed
    assert tx.events["NoticeStarted"]["endsAt"] == chain[-1].timestamp + NOTICE_PERIOD
    assert registry.noticeEndsAt(filed) == chain[-1].timestamp + NOTICE_PERIOD


def test_each_level_passes_in_turn(registry, hub, filed, officials):
    tx = hub.approve(filed, 0, {"from": officials.village_leader})
    assert tx.events["ApprovalTransition"]["outcome"] == ADVANCED
    assert hub.subjectOf(filed)["level"] == 1


def test_a_pending_filing_has_no_notice_end(registry, filed):
    assert registry.noticeEndsAt(filed) == 0


# --- objections ---------------------------------------------------------------------------------------------


def test_anyone_may_object_during_the_notice_with_evidence(registry, in_notice, officials):
    tx = raise_objection(registry, in_notice, officials.outsider)
    event = tx.events["ObjectionRaised"]
    assert (event["objectionId"], event["subject"], event["objector"], event["evidenceCid"]) == (
        1, in_notice, officials.outsider, "bafkreievidence")
    assert tx.return_value == 1
    assert tuple(registry.objection(1)) == (in_notice, OPEN, officials.outsider)
    assert tuple(registry.noticeOf(in_notice)) == (1, False)


def test_an_objection_needs_evidence(registry, in_notice, officials):
    with brownie.reverts(err("HouseholdEvidenceRequired")):
        raise_objection(registry, in_notice, officials.outsider, cid="")


def test_an_objection_before_the_approvals_pass_is_refused(registry, filed, officials):
    with brownie.reverts(err("HouseholdNotApproved", filed)):
        raise_objection(registry, filed, officials.outsider)


def test_an_objection_after_the_notice_period_is_refused(registry, in_notice, officials, chain):
    ends = registry.noticeEndsAt(in_notice)
    chain.sleep(NOTICE_PERIOD)
    chain.mine()
    with brownie.reverts(err("HouseholdNoticeClosed", in_notice, ends)):
        raise_objection(registry, in_notice, officials.outsider)


def test_an_objection_against_a_stopped_procedure_is_refused(registry, in_notice, officials):
    raise_objection(registry, in_notice, officials.outsider)
    registry.resolveObjection(1, True, "bafkreireason", {"from": officials.reviewer})
    with brownie.reverts(err("HouseholdProcedureStopped", in_notice)):
        raise_objection(registry, in_notice, officials.outsider)


def test_a_reviewer_dismisses_an_objection(registry, in_notice, officials):
    raise_objection(registry, in_notice, officials.outsider)
    tx = registry.resolveObjection(1, False, "bafkreireason", {"from": officials.reviewer})
    event = tx.events["ObjectionResolved"]
    assert (event["objectionId"], event["subject"], event["reviewer"], event["upheld"], event["reasonCid"]) == (
        1, in_notice, officials.reviewer, False, "bafkreireason")
    assert "ProcedureStopped" not in tx.events
    assert tuple(registry.objection(1)) == (in_notice, DISMISSED, officials.outsider)
    assert tuple(registry.noticeOf(in_notice)) == (0, False)


def test_an_upheld_objection_stops_the_procedure(registry, in_notice, officials):
    raise_objection(registry, in_notice, officials.outsider)
    tx = registry.resolveObjection(1, True, "bafkreireason", {"from": officials.reviewer})
    assert tx.events["ObjectionResolved"]["upheld"] is True
    assert tx.events["ProcedureStopped"]["subject"] == in_notice
    assert tx.events["ProcedureStopped"]["objectionId"] == 1
    assert tuple(registry.objection(1)) == (in_notice, UPHELD, officials.outsider)
    assert tuple(registry.noticeOf(in_notice)) == (0, True)


def test_a_second_upheld_objection_does_not_stop_it_again(registry, in_notice, officials):
    raise_objection(registry, in_notice, officials.outsider)
    raise_objection(registry, in_notice, officials.other_clerk)
    registry.resolveObjection(1, True, "r", {"from": officials.reviewer})
    tx = registry.resolveObjection(2, True, "r", {"from": officials.reviewer})
    assert "ProcedureStopped" not in tx.events
    assert tuple(registry.noticeOf(in_notice)) == (0, True)


def test_objections_may_be_resolved_after_the_notice_ends(registry, in_notice, officials, chain):
    raise_objection(registry, in_notice, officials.outsider)
    chain.sleep(NOTICE_PERIOD + DAY)
    tx = registry.resolveObjection(1, False, "r", {"from": officials.reviewer})
    assert tx.events["ObjectionResolved"]["upheld"] is False


def test_only_a_reviewer_of_the_region_resolves_objections(registry, in_notice, officials, role):
    raise_objection(registry, in_notice, officials.outsider)
    with brownie.reverts(err("HouseholdUnauthorized", officials.county_leader, role["REVIEWER"], VILLAGE)):
        registry.resolveObjection(1, True, "r", {"from": officials.county_leader})


def test_the_filing_clerk_cannot_judge_objections_against_the_filing(registry, in_notice, officials, admin,
                                                                        role_registry, role):
    role_registry.grantRoleIn(role["REVIEWER"], officials.clerk, VILLAGE, {"from": admin})
    raise_objection(registry, in_notice, officials.outsider)
    with brownie.reverts(err("HouseholdReviewerIsSubmitter", in_notice, officials.clerk)):
        registry.resolveObjection(1, False, "r", {"from": officials.clerk})


def test_an_objection_is_resolved_once(registry, in_notice, officials):
    raise_objection(registry, in_notice, officials.outsider)
    registry.resolveObjection(1, False, "r", {"from": officials.reviewer})
    with brownie.reverts(err("HouseholdObjectionNotOpen", 1)):
        registry.resolveObjection(1, True, "r", {"from": officials.reviewer})


def test_an_unknown_objection_cannot_be_resolved(registry, officials):
    with brownie.reverts(err("HouseholdObjectionNotOpen", 7)):
        registry.resolveObjection(7, True, "r", {"from": officials.reviewer})


# --- completion: registered ---------------------------------------------------------------------------------


def test_after_a_clean_notice_anyone_completes_the_registration(complete, registry, in_notice, officials, chain):
    chain.sleep(NOTICE_PERIOD)
    tx = complete()
    event = tx.events["HouseholdRegistered"]
    assert (event["householdId"], event["region"], event["subject"]) == ("0x" + HID.hex(), VILLAGE, in_notice)
    assert tuple(registry.household(HID)) == (VILLAGE, H_REGISTERED, chain[-1].timestamp, 0, 1)


@pytest.fixture
def supervision(hub, accounts, admin):
    """An account standing in for the supervision contract, set on the hub by governance."""
    account = accounts.add()
    admin.transfer(account, "1 ether")
    hub.setSupervision(account, {"from": admin})
    return account


def test_a_procedure_frozen_by_supervision_does_not_complete(
    complete, registry, hub, in_notice, officials, chain, supervision
):
    hub.setSubjectFrozen(in_notice, True, {"from": supervision})
    chain.sleep(NOTICE_PERIOD)
    with brownie.reverts(err("ApprovalSubjectFrozen", in_notice)):
        complete()
    assert tuple(registry.household(HID))[1] == H_NONE


def test_an_unfrozen_procedure_completes(complete, registry, hub, in_notice, officials, chain, supervision):
    hub.setSubjectFrozen(in_notice, True, {"from": supervision})
    hub.setSubjectFrozen(in_notice, False, {"from": supervision})
    chain.sleep(NOTICE_PERIOD)
    complete()
    assert tuple(registry.household(HID))[1] == H_REGISTERED


def test_the_registration_cannot_complete_before_the_notice_ends(complete, registry, in_notice, officials):
    ends = registry.noticeEndsAt(in_notice)
    with brownie.reverts(err("HouseholdNoticeRunning", in_notice, ends)):
        complete()


def test_an_open_objection_holds_the_registration(complete, registry, in_notice, officials, chain):
    raise_objection(registry, in_notice, officials.outsider)
    chain.sleep(NOTICE_PERIOD)
    with brownie.reverts(err("HouseholdObjectionsOpen", in_notice, 1)):
        complete()


def test_a_dismissed_objection_lets_the_registration_complete(complete, registry, in_notice, officials, chain):
    raise_objection(registry, in_notice, officials.outsider)
    registry.resolveObjection(1, False, "r", {"from": officials.reviewer})
    chain.sleep(NOTICE_PERIOD)
    tx = complete()
    assert "HouseholdRegistered" in tx.events


def test_an_upheld_objection_prevents_registration(complete, registry, in_notice, officials, chain):
    raise_objection(registry, in_notice, officials.outsider)
    registry.resolveObjection(1, True, "r", {"from": officials.reviewer})
    chain.sleep(NOTICE_PERIOD)
    with brownie.reverts(err("HouseholdProcedureStopped", in_notice)):
        complete()


def test_after_an_upheld_objection_a_new_filing_opens_a_fresh_procedure(registry, first_batch, in_notice,
                                                                          officials):
    raise_objection(registry, in_notice, officials.outsider)
    registry.resolveObjection(1, True, "r", {"from": officials.reviewer})
    subject = file_registration(registry, first_batch, "admitted", officials.clerk).return_value
    assert subject != in_notice
    assert registry.household(HID)["procedures"] == 1


def test_a_pending_filing_cannot_be_completed(complete, registry, filed, officials):
    with brownie.reverts(err("HouseholdNotApproved", filed)):
        complete()


def test_a_rejected_filing_cannot_be_completed(complete, registry, hub, filed, officials, chain):
    hub.reject(filed, "r", {"from": officials.village_leader})
    chain.sleep(NOTICE_PERIOD)
    with brownie.reverts(err("HouseholdNotApproved", filed)):
        complete()


def test_a_procedure_completes_once(complete, registry, registered, officials):
    next_procedure = registry.procedureOf(HID, VILLAGE)
    assert next_procedure != registered
    with brownie.reverts(err("HouseholdNotApproved", next_procedure)):
        complete()


def test_no_objection_after_registration(registry, registered, officials):
    ends = registry.noticeEndsAt(registered)
    with brownie.reverts(err("HouseholdNoticeClosed", registered, ends)):
        raise_objection(registry, registered, officials.outsider)


# --- exit and the transition period -------------------------------------------------------------------------


def test_only_a_registered_household_can_exit(registry, first_batch, officials):
    leaf, proof = first_batch.proof("exiting-early")
    with brownie.reverts(err("HouseholdWrongStatus", household_id("exiting-early"), H_NONE)):
        registry.fileExit(first_batch.id, leaf, proof, {"from": officials.clerk})


def test_an_exit_needs_an_exit_leaf(registry, registered, next_batch, officials):
    batch = next_batch({"admitted": (VILLAGE, Decision.MONITOR)})
    leaf, proof = batch.proof("admitted")
    with brownie.reverts(err("HouseholdWrongDecision", HID, int(Decision.EXIT), int(Decision.MONITOR))):
        registry.fileExit(batch.id, leaf, proof, {"from": officials.clerk})


def test_an_exit_proof_for_another_region_than_the_registered_one_is_refused(registry, registered, next_batch,
                                                                              officials):
    batch = next_batch({"admitted": (OTHER_VILLAGE_SAME_TOWNSHIP, Decision.EXIT)})
    leaf, proof = batch.proof("admitted")
    with brownie.reverts(err("HouseholdRegionMismatch", HID, VILLAGE, OTHER_VILLAGE_SAME_TOWNSHIP)):
        registry.fileExit(batch.id, leaf, proof, {"from": officials.other_clerk})


def test_an_exit_is_filed_on_its_own_route(registry, hub, registered, next_batch, officials):
    batch = next_batch({"admitted": (VILLAGE, Decision.EXIT)})
    leaf, proof = batch.proof("admitted")
    tx = registry.fileExit(batch.id, leaf, proof, {"from": officials.clerk})
    subject = tx.return_value
    assert tx.events["ExitFiled"]["householdId"] == "0x" + HID.hex()
    assert tx.events["ExitFiled"]["subject"] == subject
    assert tx.events["ExitFiled"]["batchId"] == "0x" + batch.id.hex()
    assert hub.subjectOf(subject)["routeId"] == 2


def test_a_household_exits_after_approvals_and_a_clean_notice(registry, hub, registered, next_batch, officials, chain):
    subject, tx = exit_household(registry, hub, next_batch, officials, chain)
    event = tx.events["HouseholdExited"]
    assert (event["householdId"], event["region"], event["subject"]) == ("0x" + HID.hex(), VILLAGE, subject)
    assert event["transitionEndsAt"] == chain[-1].timestamp + TRANSITION_PERIOD
    assert tuple(registry.household(HID)) == (
        VILLAGE, H_EXITED, chain[-1].timestamp, chain[-1].timestamp + TRANSITION_PERIOD, 2)


def test_an_exit_can_be_objected_to_and_stopped(complete, registry, hub, registered, next_batch, officials, chain,
                                               role_registry, role, admin):
    batch = next_batch({"admitted": (VILLAGE, Decision.EXIT)})
    leaf, proof = batch.proof("admitted")
    subject = registry.fileExit(batch.id, leaf, proof, {"from": officials.clerk}).return_value
    approve_exit(hub, subject, officials)
    raise_objection(registry, subject, officials.outsider)
    # The township reviewer approved the exit: another reviewer of the township judges the objection.
    role_registry.grantRoleIn(role["REVIEWER"], officials.other_clerk, TOWNSHIP, {"from": admin})
    registry.resolveObjection(1, True, "r", {"from": officials.other_clerk})
    chain.sleep(NOTICE_PERIOD)
    with brownie.reverts(err("HouseholdProcedureStopped", subject)):
        complete(batch=batch)
    assert registry.household(HID)["status"] == H_REGISTERED


def test_a_registered_household_is_covered_by_every_policy(registry, registered):
    assert registry.isCovered(HID, POLICY)
    assert registry.isCovered(HID, OTHER_POLICY)


def test_an_unregistered_household_is_covered_by_nothing(registry, filed, admin):
    registry.setPolicyDesignated(POLICY, True, {"from": admin})
    assert not registry.isCovered(HID, POLICY)


def test_an_exited_household_keeps_designated_policies_during_the_transition(registry, hub, registered, next_batch,
                                                                           officials, chain, admin):
    registry.setPolicyDesignated(POLICY, True, {"from": admin})
    exit_household(registry, hub, next_batch, officials, chain)
    assert registry.isCovered(HID, POLICY)
    assert not registry.isCovered(HID, OTHER_POLICY)


def test_designated_policies_end_with_the_transition_period(registry, hub, registered, next_batch, officials, chain,
                                                            admin):
    registry.setPolicyDesignated(POLICY, True, {"from": admin})
    exit_household(registry, hub, next_batch, officials, chain)
    chain.sleep(TRANSITION_PERIOD)
    chain.mine()
    assert not registry.isCovered(HID, POLICY)


def test_undesignating_a_policy_ends_it_for_exited_households(registry, hub, registered, next_batch, officials, chain,
                                                              admin):
    registry.setPolicyDesignated(POLICY, True, {"from": admin})
    exit_household(registry, hub, next_batch, officials, chain)
    registry.setPolicyDesignated(POLICY, False, {"from": admin})
    assert not registry.isCovered(HID, POLICY)


def test_an_exited_household_can_be_readmitted(complete, registry, hub, registered, next_batch, officials, chain):
    exit_household(registry, hub, next_batch, officials, chain)
    batch = next_batch({"admitted": (VILLAGE, Decision.ADMIT)})
    subject = file_registration(registry, batch, "admitted", officials.clerk).return_value
    approve_registration(hub, subject, officials)
    chain.sleep(NOTICE_PERIOD)
    tx = complete(batch=batch)
    assert "HouseholdRegistered" in tx.events
    assert tuple(registry.household(HID))[1:] == (H_REGISTERED, chain[-1].timestamp, 0, 3)


# --- monitoring and re-admission ----------------------------------------------------------------------------


def test_a_monitor_proof_moves_a_household_into_monitoring(registry, first_batch, officials, chain):
    leaf, proof = first_batch.proof("watched")
    tx = registry.enterMonitoring(first_batch.id, leaf, proof, {"from": officials.clerk})
    event = tx.events["HouseholdMonitored"]
    assert (event["householdId"], event["region"], event["batchId"], event["clerk"]) == (
        "0x" + household_id("watched").hex(), VILLAGE, "0x" + first_batch.id.hex(), officials.clerk)
    assert tuple(registry.household(household_id("watched"))) == (VILLAGE, H_MONITORING, chain[-1].timestamp, 0, 0)


def test_monitoring_needs_a_monitor_leaf(registry, first_batch, officials):
    leaf, proof = first_batch.proof("admitted")
    with brownie.reverts(err("HouseholdWrongDecision", HID, int(Decision.MONITOR), int(Decision.ADMIT))):
        registry.enterMonitoring(first_batch.id, leaf, proof, {"from": officials.clerk})


def test_only_an_intake_clerk_of_the_village_moves_a_household_into_monitoring(registry, first_batch, officials,
                                                                               role):
    leaf, proof = first_batch.proof("watched")
    with brownie.reverts(err("HouseholdUnauthorized", officials.reviewer, role["INTAKE_CLERK"], VILLAGE)):
        registry.enterMonitoring(first_batch.id, leaf, proof, {"from": officials.reviewer})


def test_a_registered_household_is_not_moved_into_monitoring(registry, registered, next_batch, officials):
    batch = next_batch({"admitted": (VILLAGE, Decision.MONITOR)})
    leaf, proof = batch.proof("admitted")
    with brownie.reverts(err("HouseholdWrongStatus", HID, H_REGISTERED)):
        registry.enterMonitoring(batch.id, leaf, proof, {"from": officials.clerk})


def test_a_monitored_household_is_not_monitored_twice(registry, first_batch, officials):
    leaf, proof = first_batch.proof("watched")
    registry.enterMonitoring(first_batch.id, leaf, proof, {"from": officials.clerk})
    with brownie.reverts(err("HouseholdWrongStatus", household_id("watched"), H_MONITORING)):
        registry.enterMonitoring(first_batch.id, leaf, proof, {"from": officials.clerk})


def test_an_exited_household_moves_into_monitoring_keeping_its_transition(registry, hub, registered, next_batch,
                                                                        officials, chain, admin):
    registry.setPolicyDesignated(POLICY, True, {"from": admin})
    exit_household(registry, hub, next_batch, officials, chain)
    ends = registry.household(HID)["transitionEndsAt"]
    batch = next_batch({"admitted": (VILLAGE, Decision.MONITOR)})
    leaf, proof = batch.proof("admitted")
    registry.enterMonitoring(batch.id, leaf, proof, {"from": officials.clerk})
    record = registry.household(HID)
    assert (record["status"], record["transitionEndsAt"]) == (H_MONITORING, ends)
    assert registry.isCovered(HID, POLICY)


def test_a_monitored_household_is_readmitted_through_registration(
    complete, registry, hub, first_batch, next_batch, officials, chain
):
    watched = household_id("watched")
    leaf, proof = first_batch.proof("watched")
    registry.enterMonitoring(first_batch.id, leaf, proof, {"from": officials.clerk})
    batch = next_batch({"watched": (VILLAGE, Decision.ADMIT)})
    subject = file_registration(registry, batch, "watched", officials.clerk).return_value
    approve_registration(hub, subject, officials)
    chain.sleep(NOTICE_PERIOD)
    tx = complete("watched", batch)
    assert tx.events["HouseholdRegistered"]["subject"] == subject
    assert registry.household(watched)["status"] == H_REGISTERED


def test_a_monitored_household_stays_in_its_village(registry, first_batch, next_batch, officials):
    leaf, proof = first_batch.proof("watched")
    registry.enterMonitoring(first_batch.id, leaf, proof, {"from": officials.clerk})
    batch = next_batch({"watched": (OTHER_VILLAGE_SAME_TOWNSHIP, Decision.ADMIT)})
    with brownie.reverts(err("HouseholdRegionMismatch", household_id("watched"), VILLAGE,
                             OTHER_VILLAGE_SAME_TOWNSHIP)):
        file_registration(registry, batch, "watched", officials.other_clerk)


def test_approved_subjects_report_their_state(registry, hub, in_notice):
    assert hub.subjectOf(in_notice)["state"] == APPROVED


def test_an_overdue_registration_level_is_handed_to_the_township(registry, hub, filed, officials, chain):
    chain.sleep(3 * DAY + 1)
    tx = hub.escalate(filed, {"from": officials.township_leaders[0]})
    event = tx.events["ApprovalTransition"]
    assert (event["subject"], event["level"], event["actor"], event["outcome"]) == (
        filed, 0, officials.township_leaders[0], ESCALATED)
    assert (hub.subjectOf(filed)["level"], hub.subjectOf(filed)["escalations"]) == (0, 1)


# --- issue 15: notice periods fixed at the start, bounded setters, objections --------------------------------


def mine_next_at(web3, timestamp):
    """The next transaction is mined in a block of exactly `timestamp` (anvil refuses brownie's mine(timestamp))."""
    response = web3.provider.make_request("evm_setNextBlockTimestamp", [timestamp])
    assert "error" not in response, response


def test_lengthening_the_notice_period_does_not_reopen_a_completed_registration(registry, registered, officials,
                                                                                 admin):
    ends = registry.noticeEndsAt(registered)
    registry.setNoticePeriod(30 * DAY, {"from": admin})
    with brownie.reverts(err("HouseholdNoticeClosed", registered, ends)):
        raise_objection(registry, registered, officials.outsider)
    assert registry.noticeEndsAt(registered) == ends
    assert tuple(registry.noticeOf(registered)) == (0, False)
    assert registry.household(HID)["status"] == H_REGISTERED


def test_a_running_notice_keeps_the_period_it_started_with(complete, registry, in_notice, officials, admin, chain):
    ends = registry.noticeEndsAt(in_notice)
    registry.setNoticePeriod(30 * DAY, {"from": admin})
    assert registry.noticeEndsAt(in_notice) == ends
    chain.sleep(NOTICE_PERIOD)
    complete()
    assert registry.household(HID)["status"] == H_REGISTERED


def test_a_notice_starting_after_a_change_takes_the_new_period(registry, hub, filed, officials, admin, chain):
    registry.setNoticePeriod(30 * DAY, {"from": admin})
    chain.sleep(1)  # a change applies to notices starting from the next second on
    tx = approve_registration(hub, filed, officials)
    assert tx.events["NoticeStarted"]["endsAt"] == chain[-1].timestamp + 30 * DAY
    assert registry.noticeEndsAt(filed) == chain[-1].timestamp + 30 * DAY


def test_the_notice_period_cannot_exceed_ninety_days(registry, admin):
    with brownie.reverts(err("HouseholdNoticeTooLong", 91 * DAY, 90 * DAY)):
        registry.setNoticePeriod(91 * DAY, {"from": admin})
    assert registry.noticePeriod() == NOTICE_PERIOD


def test_a_transition_period_near_the_uint32_limit_is_refused(registry, admin):
    with brownie.reverts(err("HouseholdTransitionTooLong", 2**32 - 1, 3650 * DAY)):
        registry.setTransitionPeriod(2**32 - 1, {"from": admin})
    assert registry.transitionPeriod() == TRANSITION_PERIOD


def test_a_transition_period_of_ten_years_is_accepted(registry, admin):
    registry.setTransitionPeriod(3650 * DAY, {"from": admin})
    assert registry.transitionPeriod() == 3650 * DAY


def test_a_registration_cannot_complete_one_second_before_its_notice_ends(
    complete, registry, in_notice, officials, web3
):
    ends = registry.noticeEndsAt(in_notice)
    mine_next_at(web3, ends - 1)
    with brownie.reverts(err("HouseholdNoticeRunning", in_notice, ends)):
        complete()
    assert registry.household(HID)["status"] == H_NONE


def test_a_registration_completes_at_the_second_its_notice_ends(complete, registry, in_notice, officials, web3, chain):
    ends = registry.noticeEndsAt(in_notice)
    mine_next_at(web3, ends)
    complete()
    assert chain[-1].timestamp == ends
    assert registry.household(HID)["status"] == H_REGISTERED


def test_an_objection_is_accepted_one_second_before_the_notice_ends(registry, in_notice, officials, web3, chain):
    ends = registry.noticeEndsAt(in_notice)
    mine_next_at(web3, ends - 1)
    raise_objection(registry, in_notice, officials.outsider)
    assert chain[-1].timestamp == ends - 1
    assert tuple(registry.noticeOf(in_notice)) == (1, False)


def test_an_objection_at_the_second_the_notice_ends_is_refused(registry, in_notice, officials, web3):
    ends = registry.noticeEndsAt(in_notice)
    mine_next_at(web3, ends)
    with brownie.reverts(err("HouseholdNoticeClosed", in_notice, ends)):
        raise_objection(registry, in_notice, officials.outsider)
    assert tuple(registry.noticeOf(in_notice)) == (0, False)


def test_an_account_has_one_open_objection_per_procedure(registry, in_notice, officials):
    raise_objection(registry, in_notice, officials.outsider)
    with brownie.reverts(err("HouseholdObjectionAlreadyOpen", in_notice, officials.outsider, 1)):
        raise_objection(registry, in_notice, officials.outsider, cid="bafkreimore")
    assert tuple(registry.noticeOf(in_notice)) == (1, False)


def test_after_a_dismissal_the_same_account_may_object_again(registry, in_notice, officials):
    raise_objection(registry, in_notice, officials.outsider)
    registry.resolveObjection(1, False, "r", {"from": officials.reviewer})
    tx = raise_objection(registry, in_notice, officials.outsider, cid="bafkreinew")
    assert tx.return_value == 2


NOTICES_SLOT = 3  # storage slot of HouseholdRegistry._notices (after the periods, _objectionCount, _households)


def notice_slot(subject: int) -> int:
    from eth_abi import encode

    return int.from_bytes(keccak(encode(["uint256", "uint256"], [subject, NOTICES_SLOT])), "big")


def test_the_open_objection_count_at_its_limit_is_refused_by_name(registry, in_notice, officials, web3):
    # 65,535 objectors cannot be made in a test: the count is set in storage (after checking the slot is it).
    raise_objection(registry, in_notice, officials.outsider)
    slot = notice_slot(in_notice)
    assert int.from_bytes(web3.eth.get_storage_at(registry.address, slot), "big") == 1
    web3.provider.make_request(
        "anvil_setStorageAt", [registry.address, hex(slot), "0x" + (0xFFFF).to_bytes(32, "big").hex()]
    )
    assert tuple(registry.noticeOf(in_notice)) == (0xFFFF, False)
    with brownie.reverts(err("HouseholdTooManyObjections", in_notice, 0xFFFF)):
        raise_objection(registry, in_notice, officials.other_clerk)


def test_an_approver_of_the_procedure_cannot_judge_objections_against_it(registry, hub, registered, next_batch,
                                                                         officials):
    # The township reviewer approves the exit (its first level), then tries to dismiss an objection to it.
    batch = next_batch({"admitted": (VILLAGE, Decision.EXIT)})
    leaf, proof = batch.proof("admitted")
    subject = registry.fileExit(batch.id, leaf, proof, {"from": officials.clerk}).return_value
    approve_exit(hub, subject, officials)
    raise_objection(registry, subject, officials.outsider)
    with brownie.reverts(err("HouseholdReviewerIsApprover", subject, officials.reviewer)):
        registry.resolveObjection(1, False, "bafkreiwhitewash", {"from": officials.reviewer})
    assert tuple(registry.objection(1)) == (subject, OPEN, officials.outsider)
    assert tuple(registry.noticeOf(subject)) == (1, False)


def test_a_notice_keeps_its_period_through_several_later_changes(registry, in_notice, admin, chain):
    ends = registry.noticeEndsAt(in_notice)
    for days in (10, 20, 6):
        chain.sleep(1)
        registry.setNoticePeriod(days * DAY, {"from": admin})
    assert registry.noticeEndsAt(in_notice) == ends


def test_a_returned_filing_left_unrevised_is_closed_and_the_household_filed_afresh(registry, hub, filed, first_batch,
                                                                                 officials, chain):
    # The way out of issue 15 #3: a filing returned and never revised blocks the household until an official of
    # its level closes it, after the hub's return timeout.
    hub.returnForRevision(filed, "bafkreiwhy", {"from": officials.village_leader})
    chain.sleep(hub.returnTimeout() + 1)
    with brownie.reverts(err("HouseholdProcedureOpen", HID, filed)):
        file_registration(registry, first_batch, "admitted", officials.clerk)
    tx = hub.closeReturned(filed, "bafkreistale", {"from": officials.village_leader})
    assert tx.events["ApprovalTransition"]["outcome"] == 8  # Closed
    fresh = file_registration(registry, first_batch, "admitted", officials.clerk).return_value
    assert fresh != filed and hub.subjectOf(fresh)["state"] == PENDING


def test_a_filing_on_an_older_batch_of_another_scope_is_refused(registry, hub, first_batch, officials, chain,
                                                                eligibility):
    # Proof shopping (issue 15 #1): an older township batch said ADMIT, a newer county batch says NONE; the clerk
    # files with the township proof.
    chain.sleep(1)
    township = CommittedBatch(keccak(text="shop-township"), TOWNSHIP,
                              make_leaves({"admitted": (VILLAGE, Decision.ADMIT)})).commit(eligibility,
                                                                                          officials.oracles[:2])
    chain.sleep(1)
    county = CommittedBatch(keccak(text="shop-county"), COUNTY,
                            make_leaves({"admitted": (VILLAGE, Decision.NONE)})).commit(eligibility,
                                                                                       officials.oracles[:2])
    with brownie.reverts(err("EligibilityBatchSuperseded", township.id, county.id)):
        file_registration(registry, township, "admitted", officials.clerk)
    assert registry.household(HID)["status"] == H_NONE
    assert hub.subjectOf(registry.procedureOf(HID, VILLAGE))["state"] == 0


# --- eligibility lapsing before completion (issue 15) --------------------------------------------------------


def test_a_procedure_whose_household_a_newer_batch_no_longer_admits_lapses_and_does_not_complete(complete,
        registry, in_notice, next_batch, officials, chain):
    chain.sleep(1)
    newer = next_batch({"admitted": (VILLAGE, Decision.MONITOR)})
    leaf, proof = newer.proof("admitted")
    tx = registry.lapseProcedure(newer.id, leaf, proof, {"from": officials.outsider})
    event = tx.events["ProcedureLapsed"]
    assert (event["subject"], event["batchId"], event["decision"]) == (in_notice, "0x" + newer.id.hex(),
                                                                        int(Decision.MONITOR))
    chain.sleep(NOTICE_PERIOD)
    with brownie.reverts(err("HouseholdProcedureStopped", in_notice)):
        complete(batch=newer)
    assert registry.household(HID)["status"] == H_NONE


@pytest.mark.parametrize("decision", [Decision.NONE, Decision.EXIT])
def test_completion_on_a_newer_batch_that_no_longer_admits_lapses_the_procedure(
        complete, registry, in_notice, next_batch, officials, chain, decision):
    chain.sleep(1)
    newer = next_batch({"admitted": (VILLAGE, decision)})
    chain.sleep(NOTICE_PERIOD)
    tx = complete(batch=newer)
    event = tx.events["ProcedureLapsed"]
    assert (event["subject"], event["batchId"], event["decision"]) == (in_notice, "0x" + newer.id.hex(),
                                                                        int(decision))
    assert "HouseholdRegistered" not in tx.events
    assert registry.household(HID)["status"] == H_NONE
    assert tuple(registry.noticeOf(in_notice)) == (0, True)


def test_completion_on_the_filing_batch_is_refused_once_a_newer_batch_covers_the_village(
        complete, registry, in_notice, first_batch, next_batch, officials, chain):
    chain.sleep(1)
    newer = next_batch({"admitted": (VILLAGE, Decision.ADMIT)})
    chain.sleep(NOTICE_PERIOD)
    with brownie.reverts(err("EligibilityBatchSuperseded", first_batch.id, newer.id)):
        complete()
    assert "HouseholdRegistered" in complete(batch=newer).events


def test_a_household_a_newer_batch_leaves_out_cannot_complete(complete, registry, in_notice, first_batch, next_batch,
                                                              officials, chain):
    # Absence cannot be proven by an inclusion proof: completion needs a leaf of the newest batch, which has none.
    chain.sleep(1)
    newer = next_batch({"unchanged": (VILLAGE, Decision.ADMIT)})
    chain.sleep(NOTICE_PERIOD)
    with brownie.reverts(err("EligibilityBatchSuperseded", first_batch.id, newer.id)):
        complete()
    leaf, proof = first_batch.proof("admitted")
    with brownie.reverts(err("HouseholdInvalidProof", newer.id, leaf_hash(*leaf))):
        registry.completeProcedure(newer.id, leaf, proof, {"from": officials.outsider})
    assert registry.household(HID)["status"] == H_NONE


def test_a_lapsed_household_is_filed_afresh_once_admitted_again(registry, hub, in_notice, next_batch, officials,
                                                                 chain):
    chain.sleep(1)
    newer = next_batch({"admitted": (VILLAGE, Decision.MONITOR)})
    registry.lapseProcedure(newer.id, *newer.proof("admitted"), {"from": officials.outsider})
    chain.sleep(1)
    again = next_batch({"admitted": (VILLAGE, Decision.ADMIT)})
    fresh = file_registration(registry, again, "admitted", officials.clerk).return_value
    assert fresh != in_notice and hub.subjectOf(fresh)["state"] == PENDING


def test_a_household_still_admitted_does_not_lapse(registry, in_notice, first_batch, officials):
    with brownie.reverts(err("HouseholdStillEligible", HID, first_batch.id, int(Decision.ADMIT))):
        registry.lapseProcedure(first_batch.id, *first_batch.proof("admitted"), {"from": officials.outsider})
    assert tuple(registry.noticeOf(in_notice)) == (0, False)


def test_a_lapse_counts_only_on_the_newest_batch(registry, in_notice, first_batch, next_batch, officials, chain):
    # An older batch saying otherwise proves nothing once a newer one (here: still admitting) is final.
    chain.sleep(1)
    newer = next_batch({"admitted": (VILLAGE, Decision.ADMIT), "unchanged": (VILLAGE, Decision.NONE)})
    leaf, proof = first_batch.proof("unchanged")
    leaf = (HID,) + tuple(leaf[1:])  # not even a real leaf of the old batch: the batch is refused first
    with brownie.reverts(err("EligibilityBatchSuperseded", first_batch.id, newer.id)):
        registry.lapseProcedure(first_batch.id, leaf, proof, {"from": officials.outsider})


def test_a_household_without_an_open_procedure_cannot_lapse(registry, registered, next_batch, officials, chain):
    chain.sleep(1)
    newer = next_batch({"admitted": (VILLAGE, Decision.MONITOR)})
    subject = registry.procedureOf(HID, VILLAGE)
    with brownie.reverts(err("HouseholdNoOpenProcedure", HID, subject)):
        registry.lapseProcedure(newer.id, *newer.proof("admitted"), {"from": officials.outsider})
