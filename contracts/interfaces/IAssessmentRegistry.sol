// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IAssessmentRegistry
/// @notice Assessment (考核): ASSESSORs of a region commit the results of an assessment period for the officials,
/// regions and plans under it — the Merkle root of the KPI table the Python module assessment/kpis.py computes
/// from chain events, the CID of the method document and the CID of the full results — with the same k-of-n
/// agreement the eligibility batches use (contracts/utils/KOfNAgreement.sol): a period's results are final once
/// `quorum` distinct assessors committed the same tuple; a disagreeing commit is raised as
/// {AssessmentConflict}, never resolved silently. Anyone can recompute a period's root from the events and
/// compare it with {assessmentOf}.
interface IAssessmentRegistry {
    /// @notice A final assessment: its scope region, the period [start, end) in Unix seconds, the KPI table's
    /// root and row count, when it became final; `conflicts` counts commits that disagreed.
    struct Assessment {
        bytes32 root;
        uint64 scope;
        uint32 periodStart;
        uint32 periodEnd;
        uint32 rowCount;
        uint40 finalizedAt;
        uint16 conflicts;
    }

    /// @notice `assessor` committed `commitment` for `assessmentId`: the `tuple` it computed (root, scope, period,
    /// row count; `finalizedAt` and `conflicts` zero), the method and results documents; it now has `votes` votes.
    event AssessmentCommitted(
        bytes32 indexed assessmentId,
        address indexed assessor,
        bytes32 indexed commitment,
        Assessment tuple,
        string methodCid,
        string resultsCid,
        uint256 votes
    );

    /// @notice `assessor` committed `commitment`, which differs from the reference `expected`.
    event AssessmentConflict(bytes32 indexed assessmentId, address indexed assessor, bytes32 commitment, bytes32 expected);

    /// @notice The assessment of `scope` over [periodStart, periodEnd) became final with `root`.
    event AssessmentFinalized(
        bytes32 indexed assessmentId, uint64 indexed scope, uint32 periodStart, uint32 periodEnd, bytes32 root
    );

    /// @notice Governance set the number of agreeing assessors.
    event AssessmentQuorumChanged(uint8 previous, uint8 quorum);

    /// @notice `account` lacks ASSESSOR over `scope`.
    error AssessmentUnauthorized(address account, uint64 scope);

    /// @notice `scope` is not a valid region code.
    error AssessmentInvalidScope(uint64 scope);

    /// @notice A period must end after it starts, and not in the future.
    error AssessmentInvalidPeriod(uint32 periodStart, uint32 periodEnd);

    /// @notice Results need a non-zero root, at least one row and both documents.
    error AssessmentEmpty(bytes32 assessmentId);

    /// @notice `assessor` already committed for `assessmentId`.
    error AssessmentAlreadyCommitted(bytes32 assessmentId, address assessor);

    /// @notice A quorum is 1..7 assessors.
    error AssessmentInvalidQuorum(uint8 quorum);

    /// @notice Commits the caller's results for `scope` over [periodStart, periodEnd).
    function commitAssessment(
        uint64 scope,
        uint32 periodStart,
        uint32 periodEnd,
        bytes32 root,
        uint32 rowCount,
        string calldata methodCid,
        string calldata resultsCid
    ) external returns (bytes32 assessmentId);

    /// @notice Sets how many assessors must agree (governance).
    function setQuorum(uint8 newQuorum) external;

    /// @notice The id of the assessment of `scope` over [periodStart, periodEnd).
    function assessmentId(uint64 scope, uint32 periodStart, uint32 periodEnd) external pure returns (bytes32);

    /// @notice The final assessment `id` (zero while not final, except `conflicts`).
    function assessmentOf(bytes32 id) external view returns (Assessment memory);

    /// @notice The commitment hash of a tuple (scope, period, root and row count of `tuple`; the rest is ignored)
    /// with its two documents, as {commitAssessment} computes it.
    function commitmentHash(Assessment memory tuple, string calldata methodCid, string calldata resultsCid)
        external
        pure
        returns (bytes32);

    /// @notice The commitment `assessor` made for `id` (0 if none).
    function commitmentOf(bytes32 id, address assessor) external view returns (bytes32);

    /// @notice The number of agreeing assessors a period needs.
    function quorum() external view returns (uint8);
}
