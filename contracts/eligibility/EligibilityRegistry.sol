// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

import {Governed} from "../access/Governed.sol";
import {Roles} from "../access/Roles.sol";
import {IEligibilityRegistry} from "../interfaces/IEligibilityRegistry.sol";
import {IRoleRegistry} from "../interfaces/IRoleRegistry.sol";
import {KOfNAgreement} from "../utils/KOfNAgreement.sol";
import {RegionCode} from "../utils/RegionCode.sol";
import {EligibilityLeaf, EligibilityLeafHash} from "./EligibilityLeaf.sol";

/// @title EligibilityRegistry
/// @notice Eligibility batches committed by k of n ORACLE nodes. The manifest (every leaf, the model version,
/// the reason codes) lives on IPFS; the chain keeps only what a proof needs. A commit that disagrees with the
/// batch's reference commitment is counted and raised as {BatchConflict}: it never overwrites anything.
/// @dev Gas: an oracle's commit writes its own commitment and a vote counter; the commit reaching the quorum
/// also writes the two-slot batch record, the scope's current batch and the superseded batch's mark, whatever
/// the leaf count. A proof check reads the two-slot record only.
/// The agreement's store (commitments, votes, reference) is {KOfNAgreement}, shared with the assessments.
contract EligibilityRegistry is IEligibilityRegistry, KOfNAgreement, Governed {
    using EligibilityLeafHash for EligibilityLeaf;

    // The votes for one commitment in one slot: the count in the low 8 bits, then the official ids (32 bits
    // each) of the first seven voters, so the commit reaching the quorum can check they still hold ORACLE.
    uint256 private constant VOTER_BITS = 32;
    uint256 private constant MAX_RECORDED_VOTERS = 7;
    /// @dev A quorum is counted from recorded voters only (see above).
    uint8 private constant MAX_QUORUM = uint8(MAX_RECORDED_VOTERS);

    // Bits 1 (province) to 5 (village): the levels a scope may have.
    uint8 private constant ALL_SCOPE_LEVELS = 0x3e;

    /// @inheritdoc IEligibilityRegistry
    uint8 public quorum;
    /// @inheritdoc IEligibilityRegistry
    /// @dev Immutable, so a proof check learns the levels to look at for newer covering batches without a storage
    /// read (a cold one on every filing).
    uint8 public immutable scopeLevels;

    mapping(bytes32 batchId => Batch) private _batches;
    mapping(uint64 scope => bytes32 batchId) private _current;

    /// @param roleRegistry grants ORACLE per region and governs (its administrators set the quorum)
    /// @param initialQuorum k: distinct oracles that must commit the same tuple
    /// @param batchScopeLevels the region levels batches may be scoped at, bit `level` for each (0x08: counties)
    constructor(IRoleRegistry roleRegistry, uint8 initialQuorum, uint8 batchScopeLevels) Governed(roleRegistry) {
        if (batchScopeLevels == 0 || batchScopeLevels & ~ALL_SCOPE_LEVELS != 0) {
            revert EligibilityInvalidScopeLevels(batchScopeLevels);
        }
        scopeLevels = batchScopeLevels;
        _setQuorum(initialQuorum);
    }

    /// @inheritdoc IEligibilityRegistry
    /// @dev Requirements: `scope` is a valid region at one of the {scopeLevels}; the caller holds ORACLE over it;
    /// root and leaf count are non-zero; `asOf` is not zero nor later than now; the caller has not committed for `batchId` yet.
    /// Emits a {BatchCommitted} event, a {BatchConflict} event when the tuple differs from the batch's
    /// reference commitment, and a {BatchFinalized} event when this commit reaches the quorum: votes count only
    /// from oracles that hold ORACLE over the scope now, when the batch would finalize.
    function commitBatch(
        bytes32 batchId,
        uint64 scope,
        bytes32 root,
        string calldata manifestCid,
        bytes32 modelVersion,
        bytes32 snapshotHash,
        uint32 asOf,
        uint64 leafCount
    ) external {
        _requireScope(scope);
        uint32 oracle = _oracleOf(msg.sender, scope);
        if (root == bytes32(0) || leafCount == 0) revert EligibilityEmptyBatch(batchId);
        // A future as-of time would let a batch outrank every batch still to come.
        if (asOf == 0 || asOf > block.timestamp) revert EligibilityInvalidAsOf(batchId, asOf);
        // Each oracle counts once towards the quorum of a batch.
        if (_commitmentOf[batchId][msg.sender] != bytes32(0)) revert EligibilityAlreadyCommitted(batchId, msg.sender);

        bytes32 commitment = commitmentHash(scope, root, manifestCid, modelVersion, snapshotHash, asOf, leafCount);
        _commitmentOf[batchId][msg.sender] = commitment;
        uint256 tally = _vote(batchId, commitment, oracle);
        emit BatchCommitted(
            batchId,
            msg.sender,
            commitment,
            scope,
            root,
            manifestCid,
            modelVersion,
            snapshotHash,
            asOf,
            leafCount,
            tally & 0xff
        );

        bytes32 expected = _reference[batchId];
        if (expected == bytes32(0)) {
            _reference[batchId] = commitment;
            // The reference's as-of time until the batch is final (then the quorum's). Written now, it also opens
            // the record's second slot, so the commit reaching the quorum pays no first write there.
            _batches[batchId].asOf = asOf;
        } else if (expected != commitment) {
            // A disagreement is kept and raised, never resolved silently.
            ++_batches[batchId].conflicts;
            emit BatchConflict(batchId, msg.sender, commitment, expected);
        }

        Batch storage record = _batches[batchId];
        if ((tally & 0xff) >= quorum && record.finalizedAt == 0 && _standingVotes(tally, scope, oracle) >= quorum) {
            _finalize(batchId, record, scope, root, leafCount, asOf, commitment, expected);
        }
    }

    /// @dev Records `batchId` as final with the agreed tuple, its commitment as the reference, and as the current
    /// batch of `scope` (superseding the one before). Emits a {BatchFinalized} event.
    function _finalize(
        bytes32 batchId,
        Batch storage record,
        uint64 scope,
        bytes32 root,
        uint64 leafCount,
        uint32 asOf,
        bytes32 commitment,
        bytes32 expected
    ) private {
        record.root = root;
        record.scope = scope;
        record.leafCount = leafCount;
        record.finalizedAt = uint40(block.timestamp);
        // The as-of time the quorum agreed on dates the batch: one finalized late (a lagging oracle completing
        // its quorum) never replaces a batch of newer data.
        record.asOf = asOf;
        if (expected != commitment) _reference[batchId] = commitment;
        bytes32 current = _current[scope];
        if (current != bytes32(0) && _batches[current].asOf > asOf) {
            // Older than the scope's current batch: final, but it proves nothing.
            record.supersededAt = uint40(block.timestamp);
            emit BatchFinalized(batchId, scope, root, bytes32(0));
            emit BatchOutdated(batchId, current);
            return;
        }
        _current[scope] = batchId;
        // Only the newest final batch of a scope proves anything: mark the one it replaces.
        if (current != bytes32(0)) _batches[current].supersededAt = uint40(block.timestamp);
        emit BatchFinalized(batchId, scope, root, current);
    }

    /// @dev A current batch of another scope covering valid `region` (one of its ancestors or itself, at a level in
    /// use) with data newer than `asOf`, the as-of time of a batch of `scope`; zero if none.
    function _newerCovering(uint64 region, uint64 scope, uint32 asOf) private view returns (bytes32) {
        uint256 levels = scopeLevels & ~(uint256(1) << RegionCode.level(scope));
        // One level in use (the default: counties): only the scope's own current batch can be newer.
        if (levels == 0) return bytes32(0);
        uint8 deepest = RegionCode.level(region);
        for (uint8 lvl = RegionCode.PROVINCE; levels >> lvl != 0 && lvl <= deepest; ++lvl) {
            if ((levels >> lvl) & 1 == 0) continue;
            bytes32 head = _current[RegionCode.ancestorAt(region, lvl)];
            if (head != bytes32(0) && _batches[head].asOf > asOf) return head;
        }
        return bytes32(0);
    }

    /// @dev Reverts unless `scope` is a valid region at one of the {scopeLevels}.
    function _requireScope(uint64 scope) private view {
        if (!RegionCode.isValid(scope)) revert EligibilityInvalidScope(scope);
        uint8 level = RegionCode.level(scope);
        if ((scopeLevels >> level) & 1 == 0) revert EligibilityScopeLevelNotInUse(scope, level);
    }

    /// @dev The official id of `account`, which must hold ORACLE over `scope`.
    function _oracleOf(address account, uint64 scope) private view returns (uint32 oracle) {
        bool authorized;
        (oracle, authorized) = roles.officialIn(Roles.ORACLE, account, scope);
        if (!authorized) revert EligibilityUnauthorizedOracle(account, scope);
    }

    /// @dev Counts the vote of official `oracle` for `commitment` of `batchId`, recording its id among the first
    /// seven; returns the packed tally (the vote count in its low 8 bits).
    function _vote(bytes32 batchId, bytes32 commitment, uint32 oracle) private returns (uint256 tally) {
        tally = _votes[batchId][commitment];
        uint256 votesNow = (tally & 0xff) + 1;
        if (votesNow <= MAX_RECORDED_VOTERS) tally |= uint256(oracle) << (8 + VOTER_BITS * (votesNow - 1));
        // `votesNow` stays below 256: each vote is a distinct ORACLE holder of the scope.
        tally = (tally & ~uint256(0xff)) | votesNow;
        _votes[batchId][commitment] = tally;
    }

    /// @inheritdoc IEligibilityRegistry
    /// @dev Requirements: the caller governs; `newQuorum` is 1 to 7. Emits a {QuorumChanged} event.
    function setQuorum(uint8 newQuorum) external onlyGovernance {
        _setQuorum(newQuorum);
    }

    /// @inheritdoc IEligibilityRegistry
    function verify(bytes32 batchId, EligibilityLeaf calldata leaf, bytes32[] calldata proof)
        external
        view
        returns (bool)
    {
        Batch storage record = _batches[batchId];
        return record.finalizedAt != 0 && record.supersededAt == 0 && RegionCode.isValid(leaf.region)
            && RegionCode.covers(record.scope, leaf.region)
            && _newerCovering(leaf.region, record.scope, record.asOf) == bytes32(0)
            && MerkleProof.verifyCalldata(proof, record.root, leaf.hash());
    }

    /// @inheritdoc IEligibilityRegistry
    /// @dev Reverts with {EligibilityBatchNotFinal}, {EligibilityBatchSuperseded} or
    /// {EligibilityRegionOutsideBatch}.
    function provenRoot(bytes32 batchId, uint64 region) public view returns (bytes32) {
        Batch storage record = _batches[batchId];
        // Read together, the fields of the record's second slot cost one storage read.
        (uint40 finalizedAt, uint40 supersededAt, uint64 scope, uint32 asOf) =
            (record.finalizedAt, record.supersededAt, record.scope, record.asOf);
        if (finalizedAt == 0) revert EligibilityBatchNotFinal(batchId);
        if (supersededAt != 0) revert EligibilityBatchSuperseded(batchId, _current[scope]);
        if (!RegionCode.isValid(region) || !RegionCode.covers(scope, region)) {
            revert EligibilityRegionOutsideBatch(batchId, scope, region);
        }
        // A proof counts only against the newest final batch covering the region, whatever its scope.
        bytes32 newer = _newerCovering(region, scope, asOf);
        if (newer != bytes32(0)) revert EligibilityBatchSuperseded(batchId, newer);
        return record.root;
    }

    /// @inheritdoc IEligibilityRegistry
    /// @dev Reverts as {provenRoot}, or with {EligibilityInvalidProof}.
    function checkLeaf(bytes32 batchId, EligibilityLeaf calldata leaf, bytes32[] calldata proof) external view {
        bytes32 root = provenRoot(batchId, leaf.region);
        bytes32 hashed = leaf.hash();
        if (!MerkleProof.verifyCalldata(proof, root, hashed)) revert EligibilityInvalidProof(batchId, hashed);
    }

    /// @inheritdoc IEligibilityRegistry
    function leafHash(EligibilityLeaf calldata leaf) external pure returns (bytes32) {
        return leaf.hash();
    }

    /// @inheritdoc IEligibilityRegistry
    function batch(bytes32 batchId) external view returns (Batch memory) {
        return _batches[batchId];
    }

    /// @inheritdoc IEligibilityRegistry
    function currentBatch(uint64 scope) external view returns (bytes32) {
        return _current[scope];
    }

    /// @inheritdoc IEligibilityRegistry
    function commitmentOf(bytes32 batchId, address oracle) external view returns (bytes32) {
        return _commitmentOf[batchId][oracle];
    }

    /// @inheritdoc IEligibilityRegistry
    function votes(bytes32 batchId, bytes32 commitment) external view returns (uint256) {
        return _votes[batchId][commitment] & 0xff;
    }

    /// @inheritdoc IEligibilityRegistry
    function commitmentHash(
        uint64 scope,
        bytes32 root,
        string calldata manifestCid,
        bytes32 modelVersion,
        bytes32 snapshotHash,
        uint32 asOf,
        uint64 leafCount
    ) public pure returns (bytes32) {
        return keccak256(abi.encode(scope, root, keccak256(bytes(manifestCid)), modelVersion, snapshotHash, asOf, leafCount));
    }

    /// @dev How many of the recorded voters of `tally` hold ORACLE over `scope` now, stopping at the quorum.
    /// `committer` (official id) holds it: its commit was just checked.
    function _standingVotes(uint256 tally, uint64 scope, uint32 committer) private view returns (uint256 standing) {
        uint256 recorded = tally & 0xff;
        if (recorded > MAX_RECORDED_VOTERS) {
            // The committer is past the recorded seven; later voters than those are not counted again.
            recorded = MAX_RECORDED_VOTERS;
            standing = 1;
        }
        for (uint256 i = 0; i < recorded && standing < quorum; ++i) {
            uint32 voter = uint32(tally >> (8 + VOTER_BITS * i));
            if (voter == committer || roles.hasRoleIn(Roles.ORACLE, roles.accountOf(voter), scope)) ++standing;
        }
    }

    function _setQuorum(uint8 newQuorum) private {
        if (newQuorum == 0 || newQuorum > MAX_QUORUM) revert EligibilityInvalidQuorum(newQuorum);
        emit QuorumChanged(quorum, newQuorum);
        quorum = newQuorum;
    }
}
