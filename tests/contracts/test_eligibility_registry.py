"""EligibilityRegistry: k-of-n commitments, conflict alarms, supersession, and proof verification."""

import brownie
import pytest
from eth_utils import keccak

from govchain.eligibility import Decision, leaf_hash
from tests.contracts.conftest import (
    COUNTY,
    FIRST_BATCH,
    OTHER_COUNTY_VILLAGE,
    OTHER_TOWNSHIP_VILLAGE,
    TOWNSHIP,
    VILLAGE,
    CommittedBatch,
    err,
    household_id,
    make_leaves,
)

BATCH_ID = keccak(text="batch-test")


@pytest.fixture(scope="module")
def batch(first_batch, chain):
    """A batch of FIRST_BATCH households with data newer than the first batch's, not committed yet."""
    newer = CommittedBatch(BATCH_ID, COUNTY, make_leaves(FIRST_BATCH))
    if newer.as_of <= first_batch.as_of:
        # After earlier modules moved the clock and a snapshot was reverted, the node's clock can stand behind the
        # time the module's first batch was built at; move it past, so this batch's data are the newer.
        chain.sleep(first_batch.as_of - newer.as_of + 1)
        chain.mine()
        newer.as_of = first_batch.as_of + 1
    return newer


def commitment(eligibility, batch, **changes):
    args = dict(zip(["id", "scope", "root", "cid", "model", "snapshot", "as_of", "count"], batch.commit_args()))
    args.update(changes)
    return eligibility.commitmentHash(args["scope"], args["root"], args["cid"], args["model"], args["snapshot"],
                                      args["as_of"], args["count"])


# --- the leaf encoding -------------------------------------------------------------------------------------


def test_leaf_hash_matches_the_python_encoding(eligibility):
    leaf = (household_id("x"), VILLAGE, int(Decision.ADMIT), keccak(text="details"))
    assert eligibility.leafHash(leaf) == "0x" + leaf_hash(*leaf).hex()


def test_constructor_sets_the_quorum(eligibility):
    assert eligibility.quorum() == 2


def test_constructor_refuses_a_zero_quorum(EligibilityRegistry, role_registry, admin):
    with brownie.reverts(err("EligibilityInvalidQuorum", 0)):
        EligibilityRegistry.deploy(role_registry, 0, 0x08, {"from": admin})


def test_constructor_refuses_scope_levels_outside_province_to_village(EligibilityRegistry, role_registry, admin):
    # Bit 0 is no region level; bits 1 (province) to 5 (village) are.
    with brownie.reverts(err("EligibilityInvalidScopeLevels", 0x09)):
        EligibilityRegistry.deploy(role_registry, 2, 0x09, {"from": admin})


def test_constructor_refuses_an_empty_set_of_scope_levels(EligibilityRegistry, role_registry, admin):
    with brownie.reverts(err("EligibilityInvalidScopeLevels", 0)):
        EligibilityRegistry.deploy(role_registry, 2, 0, {"from": admin})


def test_commit_at_a_scope_level_not_in_use_is_refused(EligibilityRegistry, role_registry, admin, officials):
    counties_only = EligibilityRegistry.deploy(role_registry, 2, 1 << 3, {"from": admin})
    township_batch = CommittedBatch(keccak(text="township-on-counties-only"), TOWNSHIP, make_leaves(FIRST_BATCH))
    with brownie.reverts(err("EligibilityScopeLevelNotInUse", TOWNSHIP, 4)):
        counties_only.commitBatch(*township_batch.commit_args(), {"from": officials.oracles[0]})
    assert counties_only.commitmentOf(township_batch.id, officials.oracles[0]) == "0x" + "00" * 32


def test_commit_at_a_scope_level_in_use_is_counted(EligibilityRegistry, role_registry, admin, officials, batch):
    counties_only = EligibilityRegistry.deploy(role_registry, 2, 1 << 3, {"from": admin})
    assert counties_only.scopeLevels() == 1 << 3
    counties_only.commitBatch(*batch.commit_args(), {"from": officials.oracles[0]})
    assert counties_only.votes(batch.id, commitment(counties_only, batch)) == 1


# --- commits and the quorum --------------------------------------------------------------------------------


def test_first_commit_records_the_vote_without_finalizing(eligibility, officials, batch):
    oracle = officials.oracles[0]
    tx = eligibility.commitBatch(*batch.commit_args(), {"from": oracle})
    expected = commitment(eligibility, batch)
    event = tx.events["BatchCommitted"]
    assert event["batchId"] == "0x" + BATCH_ID.hex()
    assert event["oracle"] == oracle
    assert event["commitment"] == expected
    assert event["root"] == "0x" + batch.root.hex()
    assert event["manifestCid"] == "bafkreimanifest"
    assert event["asOf"] == batch.as_of
    assert event["leafCount"] == len(batch.tree)
    assert event["votes"] == 1
    assert "BatchFinalized" not in tx.events
    assert eligibility.commitmentOf(BATCH_ID, oracle) == expected
    assert eligibility.batch(BATCH_ID)["finalizedAt"] == 0


def test_quorum_of_agreeing_oracles_finalizes_the_batch(eligibility, officials, batch, chain):
    eligibility.commitBatch(*batch.commit_args(), {"from": officials.oracles[0]})
    tx = eligibility.commitBatch(*batch.commit_args(), {"from": officials.oracles[1]})
    event = tx.events["BatchFinalized"]
    assert event["batchId"] == "0x" + BATCH_ID.hex()
    assert event["scope"] == COUNTY
    assert event["root"] == "0x" + batch.root.hex()
    record = eligibility.batch(BATCH_ID)
    assert record["root"] == "0x" + batch.root.hex()
    assert record["scope"] == COUNTY
    assert record["leafCount"] == len(batch.tree)
    assert record["finalizedAt"] == chain[-1].timestamp
    assert eligibility.currentBatch(COUNTY) == "0x" + BATCH_ID.hex()


def test_finalizing_a_newer_batch_of_the_same_scope_supersedes_the_older(eligibility, officials, first_batch, batch,
                                                                         chain):
    assert eligibility.currentBatch(COUNTY) == "0x" + first_batch.id.hex()
    assert eligibility.batch(first_batch.id)["supersededAt"] == 0
    batch.commit(eligibility, officials.oracles[:2])
    assert eligibility.currentBatch(COUNTY) == "0x" + BATCH_ID.hex()
    assert eligibility.batch(first_batch.id)["supersededAt"] == chain[-1].timestamp
    assert eligibility.batch(BATCH_ID)["supersededAt"] == 0


def test_finalized_event_names_the_superseded_batch(eligibility, officials, first_batch, batch):
    eligibility.commitBatch(*batch.commit_args(), {"from": officials.oracles[0]})
    tx = eligibility.commitBatch(*batch.commit_args(), {"from": officials.oracles[1]})
    assert tx.events["BatchFinalized"]["superseded"] == "0x" + first_batch.id.hex()


def test_a_third_agreeing_commit_after_finality_changes_nothing(eligibility, officials, batch):
    batch.commit(eligibility, officials.oracles[:2])
    before = eligibility.batch(BATCH_ID)
    tx = eligibility.commitBatch(*batch.commit_args(), {"from": officials.oracles[2]})
    assert tx.events["BatchCommitted"]["votes"] == 3
    assert "BatchFinalized" not in tx.events and "BatchConflict" not in tx.events
    assert eligibility.batch(BATCH_ID) == before


def test_an_oracle_cannot_commit_a_batch_twice(eligibility, officials, batch):
    oracle = officials.oracles[0]
    eligibility.commitBatch(*batch.commit_args(), {"from": oracle})
    with brownie.reverts(err("EligibilityAlreadyCommitted", BATCH_ID, oracle)):
        eligibility.commitBatch(*batch.commit_args(), {"from": oracle})


def test_an_oracle_cannot_change_its_commit(eligibility, officials, batch):
    oracle = officials.oracles[0]
    eligibility.commitBatch(*batch.commit_args(), {"from": oracle})
    args = list(batch.commit_args())
    args[2] = b"\x09" * 32
    with brownie.reverts(err("EligibilityAlreadyCommitted", BATCH_ID, oracle)):
        eligibility.commitBatch(*args, {"from": oracle})


def test_a_non_oracle_cannot_commit(eligibility, officials, batch):
    with brownie.reverts(err("EligibilityUnauthorizedOracle", officials.clerk, COUNTY)):
        eligibility.commitBatch(*batch.commit_args(), {"from": officials.clerk})


def test_an_oracle_cannot_commit_beyond_its_region(eligibility, officials):
    other = CommittedBatch(BATCH_ID, 530103000000, make_leaves(FIRST_BATCH))
    with brownie.reverts(err("EligibilityUnauthorizedOracle", officials.oracles[0], 530103000000)):
        eligibility.commitBatch(*other.commit_args(), {"from": officials.oracles[0]})


def test_an_invalid_scope_is_refused(eligibility, officials):
    bad = CommittedBatch(BATCH_ID, 530102000001, make_leaves(FIRST_BATCH))
    with brownie.reverts(err("EligibilityInvalidScope", 530102000001)):
        eligibility.commitBatch(*bad.commit_args(), {"from": officials.oracles[0]})


def test_an_empty_root_is_refused(eligibility, officials, batch):
    args = list(batch.commit_args())
    args[2] = b"\x00" * 32
    with brownie.reverts(err("EligibilityEmptyBatch", BATCH_ID)):
        eligibility.commitBatch(*args, {"from": officials.oracles[0]})


def test_a_zero_leaf_count_is_refused(eligibility, officials, batch):
    args = list(batch.commit_args())
    args[7] = 0  # the leaf count
    with brownie.reverts(err("EligibilityEmptyBatch", BATCH_ID)):
        eligibility.commitBatch(*args, {"from": officials.oracles[0]})


# --- conflicts ---------------------------------------------------------------------------------------------


def test_a_conflicting_commit_raises_an_alarm_and_keeps_both_votes(eligibility, officials, batch):
    eligibility.commitBatch(*batch.commit_args(), {"from": officials.oracles[0]})
    tx = eligibility.commitBatch(*batch.commit_args(manifest_cid="bafkreiother"), {"from": officials.oracles[1]})
    alarm = tx.events["BatchConflict"]
    assert alarm["batchId"] == "0x" + BATCH_ID.hex()
    assert alarm["oracle"] == officials.oracles[1]
    assert alarm["commitment"] == commitment(eligibility, batch, cid="bafkreiother")
    assert alarm["expected"] == commitment(eligibility, batch)
    assert eligibility.votes(BATCH_ID, commitment(eligibility, batch)) == 1
    assert eligibility.votes(BATCH_ID, commitment(eligibility, batch, cid="bafkreiother")) == 1
    assert eligibility.batch(BATCH_ID)["conflicts"] == 1
    assert eligibility.batch(BATCH_ID)["finalizedAt"] == 0


def test_a_conflicting_commit_after_finality_does_not_overwrite_the_batch(eligibility, officials, batch):
    batch.commit(eligibility, officials.oracles[:2])
    other_root = b"\x07" * 32
    args = list(batch.commit_args())
    args[2] = other_root
    tx = eligibility.commitBatch(*args, {"from": officials.oracles[2]})
    assert tx.events["BatchConflict"]["expected"] == commitment(eligibility, batch)
    assert "BatchFinalized" not in tx.events
    record = eligibility.batch(BATCH_ID)
    assert record["root"] == "0x" + batch.root.hex()
    assert record["conflicts"] == 1


def test_the_majority_finalizes_after_a_first_dissenting_commit(eligibility, officials, batch):
    args = list(batch.commit_args())
    args[2] = b"\x07" * 32
    eligibility.commitBatch(*args, {"from": officials.oracles[0]})
    eligibility.commitBatch(*batch.commit_args(), {"from": officials.oracles[1]})
    tx = eligibility.commitBatch(*batch.commit_args(), {"from": officials.oracles[2]})
    assert tx.events["BatchConflict"]["expected"] == commitment(eligibility, batch, root=b"\x07" * 32)
    assert tx.events["BatchFinalized"]["root"] == "0x" + batch.root.hex()
    assert eligibility.batch(BATCH_ID)["conflicts"] == 2


# --- governance of the quorum ------------------------------------------------------------------------------


def test_governance_sets_the_quorum(eligibility, admin):
    tx = eligibility.setQuorum(3, {"from": admin})
    assert tx.events["QuorumChanged"]["previous"] == 2
    assert tx.events["QuorumChanged"]["quorum"] == 3
    assert eligibility.quorum() == 3


def test_a_higher_quorum_needs_more_oracles(eligibility, officials, batch, admin):
    eligibility.setQuorum(3, {"from": admin})
    batch.commit(eligibility, officials.oracles[:2])
    assert eligibility.batch(BATCH_ID)["finalizedAt"] == 0
    tx = eligibility.commitBatch(*batch.commit_args(), {"from": officials.oracles[2]})
    assert "BatchFinalized" in tx.events


def test_only_governance_sets_the_quorum(eligibility, officials):
    with brownie.reverts(err("GovernanceUnauthorized", officials.oracles[0])):
        eligibility.setQuorum(1, {"from": officials.oracles[0]})


def test_governance_cannot_set_a_zero_quorum(eligibility, admin):
    with brownie.reverts(err("EligibilityInvalidQuorum", 0)):
        eligibility.setQuorum(0, {"from": admin})


def test_governance_cannot_set_a_quorum_above_seven(eligibility, admin):
    with brownie.reverts(err("EligibilityInvalidQuorum", 8)):
        eligibility.setQuorum(8, {"from": admin})
    assert eligibility.quorum() == 2


def test_a_quorum_of_seven_is_accepted(eligibility, admin):
    eligibility.setQuorum(7, {"from": admin})
    assert eligibility.quorum() == 7


# --- votes of revoked oracles (issue 15 #6) -----------------------------------------------------------------


def test_the_vote_of_an_oracle_revoked_before_finality_does_not_count(eligibility, officials, batch, role_registry,
                                                                       role, admin):
    eligibility.commitBatch(*batch.commit_args(), {"from": officials.oracles[0]})
    role_registry.revokeRoleIn(role["ORACLE"], officials.oracles[0], COUNTY, {"from": admin})
    tx = eligibility.commitBatch(*batch.commit_args(), {"from": officials.oracles[1]})
    assert "BatchFinalized" not in tx.events
    assert eligibility.batch(BATCH_ID)["finalizedAt"] == 0
    assert eligibility.currentBatch(COUNTY) != "0x" + BATCH_ID.hex()
    # Both votes stay on record; the registry counts the standing ones.
    assert eligibility.votes(BATCH_ID, commitment(eligibility, batch)) == 2


def test_a_batch_finalizes_once_enough_standing_oracles_agree(eligibility, officials, batch, role_registry, role,
                                                              admin):
    eligibility.commitBatch(*batch.commit_args(), {"from": officials.oracles[0]})
    role_registry.revokeRoleIn(role["ORACLE"], officials.oracles[0], COUNTY, {"from": admin})
    eligibility.commitBatch(*batch.commit_args(), {"from": officials.oracles[1]})
    tx = eligibility.commitBatch(*batch.commit_args(), {"from": officials.oracles[2]})
    assert tx.events["BatchFinalized"]["batchId"] == "0x" + BATCH_ID.hex()


def test_an_oracle_granted_again_counts_again(eligibility, officials, batch, role_registry, role, admin):
    eligibility.commitBatch(*batch.commit_args(), {"from": officials.oracles[0]})
    role_registry.revokeRoleIn(role["ORACLE"], officials.oracles[0], COUNTY, {"from": admin})
    role_registry.grantRoleIn(role["ORACLE"], officials.oracles[0], COUNTY, {"from": admin})
    tx = eligibility.commitBatch(*batch.commit_args(), {"from": officials.oracles[1]})
    assert "BatchFinalized" in tx.events


# --- verification ------------------------------------------------------------------------------------------


def test_a_valid_proof_verifies_against_the_current_final_batch(eligibility, first_batch):
    leaf, proof = first_batch.proof("admitted")
    assert eligibility.verify(first_batch.id, leaf, proof)
    eligibility.checkLeaf(first_batch.id, leaf, proof)


def test_every_household_of_the_batch_verifies(eligibility, first_batch):
    for name in FIRST_BATCH:
        leaf, proof = first_batch.proof(name)
        assert eligibility.verify(first_batch.id, leaf, proof), name


def test_a_tampered_leaf_does_not_verify(eligibility, first_batch):
    leaf, proof = first_batch.proof("admitted")
    tampered = (leaf[0], leaf[1], int(Decision.EXIT), leaf[3])
    assert not eligibility.verify(first_batch.id, tampered, proof)
    with brownie.reverts(err("EligibilityInvalidProof", first_batch.id, leaf_hash(*tampered))):
        eligibility.checkLeaf(first_batch.id, tampered, proof)


def test_a_proof_from_a_non_final_batch_is_refused(eligibility, officials, batch):
    eligibility.commitBatch(*batch.commit_args(), {"from": officials.oracles[0]})
    leaf, proof = batch.proof("admitted")
    assert not eligibility.verify(BATCH_ID, leaf, proof)
    with brownie.reverts(err("EligibilityBatchNotFinal", BATCH_ID)):
        eligibility.checkLeaf(BATCH_ID, leaf, proof)


def test_a_proof_from_an_unknown_batch_is_refused(eligibility, first_batch):
    leaf, proof = first_batch.proof("admitted")
    with brownie.reverts(err("EligibilityBatchNotFinal", b"\x05" * 32)):
        eligibility.checkLeaf(b"\x05" * 32, leaf, proof)


def test_a_proof_from_a_superseded_batch_is_refused(eligibility, officials, first_batch, batch):
    batch.commit(eligibility, officials.oracles[:2])
    leaf, proof = first_batch.proof("admitted")
    assert not eligibility.verify(first_batch.id, leaf, proof)
    with brownie.reverts(err("EligibilityBatchSuperseded", first_batch.id, BATCH_ID)):
        eligibility.checkLeaf(first_batch.id, leaf, proof)


def test_a_proof_for_a_region_outside_the_batch_scope_is_refused(eligibility, first_batch):
    leaf, proof = first_batch.proof("elsewhere")
    assert not eligibility.verify(first_batch.id, leaf, proof)
    with brownie.reverts(err("EligibilityRegionOutsideBatch", first_batch.id, COUNTY, OTHER_COUNTY_VILLAGE)):
        eligibility.checkLeaf(first_batch.id, leaf, proof)


def test_a_leaf_with_an_invalid_region_is_refused(eligibility, first_batch):
    leaf, proof = first_batch.proof("admitted")
    bad = (leaf[0], 530102000001, leaf[2], leaf[3])
    assert not eligibility.verify(first_batch.id, bad, proof)
    with brownie.reverts(err("EligibilityRegionOutsideBatch", first_batch.id, COUNTY, 530102000001)):
        eligibility.checkLeaf(first_batch.id, bad, proof)


def test_a_leaf_moved_to_another_village_of_the_scope_does_not_verify(eligibility, first_batch):
    leaf, proof = first_batch.proof("admitted")
    moved = (leaf[0], TOWNSHIP + 2, leaf[2], leaf[3])
    assert not eligibility.verify(first_batch.id, moved, proof)


def test_proven_root_is_the_root_of_a_current_final_batch_covering_the_region(eligibility, first_batch):
    assert eligibility.provenRoot(first_batch.id, VILLAGE) == "0x" + first_batch.root.hex()


def test_proven_root_refuses_a_non_final_batch(eligibility, officials, batch):
    eligibility.commitBatch(*batch.commit_args(), {"from": officials.oracles[0]})
    with brownie.reverts(err("EligibilityBatchNotFinal", BATCH_ID)):
        eligibility.provenRoot(BATCH_ID, VILLAGE)


def test_proven_root_refuses_a_superseded_batch(eligibility, officials, first_batch, batch):
    batch.commit(eligibility, officials.oracles[:2])
    with brownie.reverts(err("EligibilityBatchSuperseded", first_batch.id, BATCH_ID)):
        eligibility.provenRoot(first_batch.id, VILLAGE)


def test_proven_root_refuses_a_region_outside_the_scope(eligibility, first_batch):
    with brownie.reverts(err("EligibilityRegionOutsideBatch", first_batch.id, COUNTY, OTHER_COUNTY_VILLAGE)):
        eligibility.provenRoot(first_batch.id, OTHER_COUNTY_VILLAGE)


def newer_batch(eligibility, officials, chain, name, scope, households, oracles=2):
    """A batch whose data are a second newer than everything before it (batches are ordered by their as-of time)."""
    chain.sleep(1)
    return CommittedBatch(keccak(text=name), scope, make_leaves(households)).commit(
        eligibility, officials.oracles[:oracles]
    )


def test_a_newer_batch_of_a_narrower_scope_takes_over_its_villages(eligibility, officials, first_batch, chain):
    # Issue 15 #1: a newer township batch says NONE for "admitted"; the older county batch that said ADMIT no
    # longer proves anything for the township's villages.
    township = newer_batch(eligibility, officials, chain, "township-newer", TOWNSHIP,
                           {"admitted": (VILLAGE, Decision.NONE)})
    with brownie.reverts(err("EligibilityBatchSuperseded", first_batch.id, township.id)):
        eligibility.provenRoot(first_batch.id, VILLAGE)
    leaf, proof = first_batch.proof("admitted")
    assert not eligibility.verify(first_batch.id, leaf, proof)
    leaf, proof = township.proof("admitted")
    assert eligibility.verify(township.id, leaf, proof)
    assert eligibility.batch(first_batch.id)["supersededAt"] == 0


def test_the_wider_batch_still_proves_villages_outside_a_newer_narrower_one(eligibility, officials, first_batch,
                                                                           chain):
    newer_batch(eligibility, officials, chain, "township-newer", TOWNSHIP, {"admitted": (VILLAGE, Decision.NONE)})
    assert eligibility.provenRoot(first_batch.id, OTHER_TOWNSHIP_VILLAGE) == "0x" + first_batch.root.hex()


def test_a_newer_batch_of_a_wider_scope_overrides_an_older_narrower_one(eligibility, officials, first_batch, chain):
    township = newer_batch(eligibility, officials, chain, "township-older", TOWNSHIP,
                           {"admitted": (VILLAGE, Decision.ADMIT)})
    county = newer_batch(eligibility, officials, chain, "county-newer", COUNTY, {"admitted": (VILLAGE, Decision.NONE)})
    with brownie.reverts(err("EligibilityBatchSuperseded", township.id, county.id)):
        eligibility.provenRoot(township.id, VILLAGE)
    leaf, proof = township.proof("admitted")
    assert not eligibility.verify(township.id, leaf, proof)


def test_an_older_batch_finalized_late_does_not_roll_eligibility_back(eligibility, officials, first_batch, chain):
    # Issue 15 #2: November is committed by one oracle, December becomes final, then a lagging oracle completes
    # November's quorum. November is final but outdated: December stays current and November proves nothing.
    november = CommittedBatch(keccak(text="batch-nov"), COUNTY, make_leaves({"admitted": (VILLAGE, Decision.ADMIT)}))
    chain.sleep(1)
    november.commit(eligibility, officials.oracles[:1])
    december = newer_batch(eligibility, officials, chain, "batch-dec", COUNTY, {"admitted": (VILLAGE, Decision.NONE)})
    tx = eligibility.commitBatch(*november.commit_args(), {"from": officials.oracles[1]})
    assert tx.events["BatchFinalized"]["superseded"] == "0x" + bytes(32).hex()
    assert (tx.events["BatchOutdated"]["batchId"], tx.events["BatchOutdated"]["newer"]) == (
        "0x" + november.id.hex(), "0x" + december.id.hex())
    assert eligibility.currentBatch(COUNTY) == "0x" + december.id.hex()
    assert eligibility.batch(december.id)["supersededAt"] == 0
    with brownie.reverts(err("EligibilityBatchSuperseded", november.id, december.id)):
        eligibility.provenRoot(november.id, VILLAGE)
    assert eligibility.provenRoot(december.id, VILLAGE) == "0x" + december.root.hex()


def test_a_final_batch_is_dated_by_the_as_of_time_its_quorum_committed(eligibility, officials, batch, chain):
    eligibility.commitBatch(*batch.commit_args(), {"from": officials.oracles[0]})
    chain.sleep(5)
    eligibility.commitBatch(*batch.commit_args(), {"from": officials.oracles[1]})
    assert eligibility.batch(BATCH_ID)["asOf"] == batch.as_of


def test_older_data_first_committed_after_newer_data_is_outdated(eligibility, officials, first_batch, chain):
    # Issue 15 #2 with the order of commits reversed: December's data are final first; November's data, built
    # late, reach the quorum afterwards. Dated by its first commitment November would be newer; by its data it
    # is older, so December stays current.
    december = newer_batch(eligibility, officials, chain, "batch-dec-first", COUNTY,
                           {"admitted": (VILLAGE, Decision.NONE)})
    chain.sleep(5)
    november = CommittedBatch(
        keccak(text="batch-nov-late"),
        COUNTY,
        make_leaves({"admitted": (VILLAGE, Decision.ADMIT)}),
        as_of=december.as_of - 30 * 86400,
    )
    november.commit(eligibility, officials.oracles[:2])
    assert eligibility.currentBatch(COUNTY) == "0x" + december.id.hex()
    with brownie.reverts(err("EligibilityBatchSuperseded", november.id, december.id)):
        eligibility.provenRoot(november.id, VILLAGE)


def test_oracles_that_disagree_on_the_as_of_time_conflict(eligibility, officials, batch):
    eligibility.commitBatch(*batch.commit_args(), {"from": officials.oracles[0]})
    tx = eligibility.commitBatch(*batch.commit_args(as_of=batch.as_of - 1), {"from": officials.oracles[1]})
    assert "BatchConflict" in tx.events and "BatchFinalized" not in tx.events
    assert eligibility.batch(BATCH_ID)["finalizedAt"] == 0


def test_a_final_batch_takes_the_as_of_time_of_its_quorum_not_of_its_first_commit(eligibility, officials, batch):
    eligibility.commitBatch(*batch.commit_args(as_of=batch.as_of - 1), {"from": officials.oracles[0]})
    for oracle in officials.oracles[1:]:
        eligibility.commitBatch(*batch.commit_args(), {"from": oracle})
    record = eligibility.batch(BATCH_ID)
    assert record["finalizedAt"] != 0 and record["asOf"] == batch.as_of


def test_a_commit_with_data_from_the_future_is_refused(eligibility, officials, batch, chain):
    future = chain.time() + 3600
    with brownie.reverts(err("EligibilityInvalidAsOf", BATCH_ID, future)):
        eligibility.commitBatch(*batch.commit_args(as_of=future), {"from": officials.oracles[0]})
    assert eligibility.commitmentOf(BATCH_ID, officials.oracles[0]) == "0x" + "00" * 32


def test_a_commit_without_an_as_of_time_is_refused(eligibility, officials, batch):
    with brownie.reverts(err("EligibilityInvalidAsOf", BATCH_ID, 0)):
        eligibility.commitBatch(*batch.commit_args(as_of=0), {"from": officials.oracles[0]})
