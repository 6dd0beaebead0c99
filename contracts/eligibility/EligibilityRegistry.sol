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

    /// @inheritdoc IEligibilityRegistry
    uint8 public quorum;

    mapping(bytes32 batchId => Batch) private _batches;
    mapping(uint64 scope => bytes32 batchId) private _current;

    /// @param roleRegistry grants ORACLE per region and governs (its administrators set the quorum)
    /// @param initialQuorum k: distinct oracles that must commit the same tuple
    constructor(IRoleRegistry roleRegistry, uint8 initialQuorum) Governed(roleRegistry) {
        _setQuorum(initialQuorum);
    }

    /// @inheritdoc IEligibilityRegistry
    /// @dev Requirements: `scope` is a valid region; the caller holds ORACLE over it; root and leaf count are
    /// non-zero; the caller has not committed for `batchId` yet.
    /// Emits a {BatchCommitted} event, a {BatchConflict} event when the tuple differs from the batch's
    /// reference commitment, and a {BatchFinalized} event when this commit reaches the quorum.
    function commitBatch(
        bytes32 batchId,
        uint64 scope,
        bytes32 root,
        string calldata manifestCid,
        bytes32 modelVersion,
        bytes32 snapshotHash,
        uint64 leafCount
    ) external {
        if (!RegionCode.isValid(scope)) revert EligibilityInvalidScope(scope);
        if (!roles.hasRoleIn(Roles.ORACLE, msg.sender, scope)) revert EligibilityUnauthorizedOracle(msg.sender, scope);
        if (root == bytes32(0) || leafCount == 0) revert EligibilityEmptyBatch(batchId);
        // Each oracle counts once towards the quorum of a batch.
        if (_commitmentOf[batchId][msg.sender] != bytes32(0)) revert EligibilityAlreadyCommitted(batchId, msg.sender);

        bytes32 commitment = commitmentHash(scope, root, manifestCid, modelVersion, snapshotHash, leafCount);
        _commitmentOf[batchId][msg.sender] = commitment;
        uint256 votesNow = ++_votes[batchId][commitment];
        emit BatchCommitted(
            batchId, msg.sender, commitment, scope, root, manifestCid, modelVersion, snapshotHash, leafCount, votesNow
        );

        bytes32 expected = _reference[batchId];
        if (expected == bytes32(0)) {
            _reference[batchId] = commitment;
        } else if (expected != commitment) {
            // A disagreement is kept and raised, never resolved silently.
            ++_batches[batchId].conflicts;
            emit BatchConflict(batchId, msg.sender, commitment, expected);
        }

        Batch storage record = _batches[batchId];
        if (votesNow >= quorum && record.finalizedAt == 0) {
            record.root = root;
            record.scope = scope;
            record.leafCount = leafCount;
            record.finalizedAt = uint40(block.timestamp);
            if (expected != commitment) _reference[batchId] = commitment;
            bytes32 superseded = _current[scope];
            _current[scope] = batchId;
            // Only the newest final batch of a scope proves anything: mark the one it replaces.
            if (superseded != bytes32(0)) _batches[superseded].supersededAt = uint40(block.timestamp);
            emit BatchFinalized(batchId, scope, root, superseded);
        }
    }

    /// @inheritdoc IEligibilityRegistry
    /// @dev Requirements: the caller governs; `newQuorum` is at least 1. Emits a {QuorumChanged} event.
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
            && MerkleProof.verifyCalldata(proof, record.root, leaf.hash());
    }

    /// @inheritdoc IEligibilityRegistry
    /// @dev Reverts with {EligibilityBatchNotFinal}, {EligibilityBatchSuperseded} or
    /// {EligibilityRegionOutsideBatch}.
    function provenRoot(bytes32 batchId, uint64 region) public view returns (bytes32) {
        Batch storage record = _batches[batchId];
        // Read together, the three fields of the record's second slot cost one storage read.
        (uint40 finalizedAt, uint40 supersededAt, uint64 scope) =
            (record.finalizedAt, record.supersededAt, record.scope);
        if (finalizedAt == 0) revert EligibilityBatchNotFinal(batchId);
        if (supersededAt != 0) revert EligibilityBatchSuperseded(batchId, _current[scope]);
        if (!RegionCode.isValid(region) || !RegionCode.covers(scope, region)) {
            revert EligibilityRegionOutsideBatch(batchId, scope, region);
        }
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
        return _votes[batchId][commitment];
    }

    /// @inheritdoc IEligibilityRegistry
    function commitmentHash(
        uint64 scope,
        bytes32 root,
        string calldata manifestCid,
        bytes32 modelVersion,
        bytes32 snapshotHash,
        uint64 leafCount
    ) public pure returns (bytes32) {
        return keccak256(abi.encode(scope, root, keccak256(bytes(manifestCid)), modelVersion, snapshotHash, leafCount));
    }

    function _setQuorum(uint8 newQuorum) private {
        if (newQuorum == 0) revert EligibilityInvalidQuorum(newQuorum);
        emit QuorumChanged(quorum, newQuorum);
        quorum = newQuorum;
    }
}
