// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EligibilityLeaf} from "../eligibility/EligibilityLeaf.sol";

/// @title IEligibilityRegistry
/// @notice ORACLE nodes commit eligibility batches (Merkle root of household results, manifest on IPFS). A batch
/// is final once `quorum` distinct oracles committed the same tuple. Batches are ordered by their data's as-of time
/// (part of the committed tuple, so the oracles agree on it): the newest final batch of a scope supersedes the
/// older ones, and a proof counts only against the newest final
/// batch covering its region, whatever that batch's scope.
interface IEligibilityRegistry {
    /// @notice What a final batch holds; `finalizedAt` is 0 while the batch is not final, `supersededAt` 0 while
    /// no newer batch of its scope is final; `conflicts` counts commits that disagreed with the reference;
    /// `asOf` is the time its data describe (the snapshot's, as the quorum committed it; the first commitment's
    /// while not final), which orders final batches.
    struct Batch {
        bytes32 root;
        uint64 scope;
        uint64 leafCount;
        uint40 finalizedAt;
        uint40 supersededAt;
        uint16 conflicts;
        uint32 asOf;
    }

    /// @notice `oracle` committed `commitment` (hash of the whole tuple) for `batchId`; it now has `votes` votes.
    event BatchCommitted(
        bytes32 indexed batchId,
        address indexed oracle,
        bytes32 indexed commitment,
        uint64 scope,
        bytes32 root,
        string manifestCid,
        bytes32 modelVersion,
        bytes32 snapshotHash,
        uint32 asOf,
        uint64 leafCount,
        uint256 votes
    );

    /// @notice `oracle` committed `commitment` for `batchId`, which differs from the batch's reference
    /// `expected` (the final commitment, or the first one while not final).
    event BatchConflict(bytes32 indexed batchId, address indexed oracle, bytes32 commitment, bytes32 expected);

    /// @notice `batchId` became final for `scope` with `root`, superseding `superseded` (0 if none).
    event BatchFinalized(bytes32 indexed batchId, uint64 indexed scope, bytes32 root, bytes32 superseded);

    /// @notice Governance set the number of agreeing oracles a batch needs.
    event QuorumChanged(uint8 previous, uint8 quorum);

    /// @notice `batchId` finalized after `newer`, the current batch of its scope with a later as-of time: it proves
    /// nothing (batches are ordered by their data's as-of time, not by when they reach the quorum).
    event BatchOutdated(bytes32 indexed batchId, bytes32 indexed newer);

    /// @notice `account` lacks the ORACLE role over `scope`.
    error EligibilityUnauthorizedOracle(address account, uint64 scope);

    /// @notice `scope` is not a valid 12-digit region code.
    error EligibilityInvalidScope(uint64 scope);

    /// @notice A batch needs a non-zero root and at least one leaf.
    error EligibilityEmptyBatch(bytes32 batchId);

    /// @notice `oracle` already committed for `batchId`; each oracle counts once.
    error EligibilityAlreadyCommitted(bytes32 batchId, address oracle);

    /// @notice `scope` is a region of level `level` (RegionCode: 1 province ... 5 village), and batches of that
    /// level are not in use on this registry (see {scopeLevels}).
    error EligibilityScopeLevelNotInUse(uint64 scope, uint8 level);

    /// @notice The set of batch scope levels `levels` (bit `level` for each) is empty or names a level outside
    /// 1 (province) to 5 (village).
    error EligibilityInvalidScopeLevels(uint8 levels);

    /// @notice A batch's as-of time `asOf` is zero or later than now.
    error EligibilityInvalidAsOf(bytes32 batchId, uint32 asOf);

    /// @notice A quorum is 1 to 7 oracles (the voters the registry rechecks when a batch finalizes).
    error EligibilityInvalidQuorum(uint8 quorum);

    /// @notice `batchId` is not final (not enough agreeing oracles, or unknown).
    error EligibilityBatchNotFinal(bytes32 batchId);

    /// @notice `batchId` was superseded by `current`, a newer final batch of the same scope, or of another scope
    /// covering the region proven.
    error EligibilityBatchSuperseded(bytes32 batchId, bytes32 current);

    /// @notice The leaf's `region` is not under the scope `scope` of `batchId`.
    error EligibilityRegionOutsideBatch(bytes32 batchId, uint64 scope, uint64 region);

    /// @notice The proof does not lead from `leafHash` to the root of `batchId`.
    error EligibilityInvalidProof(bytes32 batchId, bytes32 leafHash);

    /// @notice Commits the caller's view of batch `batchId`; finalizes it when the quorum agrees.
    function commitBatch(
        bytes32 batchId,
        uint64 scope,
        bytes32 root,
        string calldata manifestCid,
        bytes32 modelVersion,
        bytes32 snapshotHash,
        uint32 asOf,
        uint64 leafCount
    ) external;

    /// @notice Sets how many distinct oracles must commit the same tuple.
    function setQuorum(uint8 newQuorum) external;

    /// @notice Whether `leaf` is proven by `proof` in a current final batch `batchId` covering its region.
    function verify(bytes32 batchId, EligibilityLeaf calldata leaf, bytes32[] calldata proof)
        external
        view
        returns (bool);

    /// @notice The root against which a leaf of `region` is proven in `batchId`: reverts unless the batch is final,
    /// not superseded, and its scope covers `region` (a valid code). For contracts that verify the proof
    /// themselves, sparing the copy of the proof into another call.
    function provenRoot(bytes32 batchId, uint64 region) external view returns (bytes32);

    /// @notice As {verify}, but reverts with the reason instead of returning false.
    function checkLeaf(bytes32 batchId, EligibilityLeaf calldata leaf, bytes32[] calldata proof) external view;

    /// @notice The leaf hash of `leaf` (see EligibilityLeafHash).
    function leafHash(EligibilityLeaf calldata leaf) external pure returns (bytes32);

    /// @notice The batch record of `batchId` (zero while not final, except `conflicts` and `asOf`).
    function batch(bytes32 batchId) external view returns (Batch memory);

    /// @notice The newest final batch of `scope` (0 if none).
    function currentBatch(uint64 scope) external view returns (bytes32);

    /// @notice The commitment `oracle` made for `batchId` (0 if none).
    function commitmentOf(bytes32 batchId, address oracle) external view returns (bytes32);

    /// @notice How many oracles committed `commitment` for `batchId` (whether or not they still hold ORACLE).
    function votes(bytes32 batchId, bytes32 commitment) external view returns (uint256);

    /// @notice The commitment hash of a tuple, as {commitBatch} computes it.
    function commitmentHash(
        uint64 scope,
        bytes32 root,
        string calldata manifestCid,
        bytes32 modelVersion,
        bytes32 snapshotHash,
        uint32 asOf,
        uint64 leafCount
    ) external pure returns (bytes32);

    /// @notice The number of agreeing oracles a batch needs.
    function quorum() external view returns (uint8);

    /// @notice The region levels batches may be scoped at, fixed at deployment: bit `level` set for each
    /// (RegionCode: 1 province ... 5 village; the oracle publishes county batches, bit 3). A proof is checked for
    /// newer covering batches at these levels only.
    function scopeLevels() external view returns (uint8);
}
