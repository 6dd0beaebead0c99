// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IApprovalEngine
/// @notice Multi-level approvals for any subject (registration, exit, plan, tranche, payment batch,
/// procurement). A route is a list of levels; each level names a role, the region level at which its holders
/// act (village, township, county, ...) and a threshold M. Routes are chosen by subject kind, support type and
/// amount band. A subject id carries its region in its low 40 bits (see {subjectRegion}).
interface IApprovalEngine {
    /// @notice One level of a route: `threshold` distinct holders of `role` over the subject's region at
    /// `regionLevel` (RegionCode levels: 1 province ... 5 village) must approve; `timeout` seconds after the
    /// level started it may be escalated (0: never).
    struct Level {
        bytes32 role;
        uint8 regionLevel;
        uint8 threshold;
        uint32 timeout;
    }

    /// @notice Amounts up to and including `maxAmount` take route `routeId`.
    struct Band {
        uint128 maxAmount;
        uint16 routeId;
    }

    /// @notice Where a subject stands. Approved is final for the engine; the owning contract carries on.
    enum SubjectState {
        None,
        Pending,
        Returned,
        Approved,
        Rejected
    }

    /// @notice A subject's progress: `since` is when its current level (or final state) began.
    struct Subject {
        address submitter;
        uint32 since;
        uint16 routeId;
        uint8 level;
        uint8 approvals;
        SubjectState state;
    }

    /// @notice What a transition did.
    enum Outcome {
        Submitted,
        Approved,
        Advanced,
        Completed,
        Returned,
        Resubmitted,
        Rejected,
        Escalated
    }

    /// @notice An approval signed off-chain (EIP-712 `Approval(uint256 subject,uint8 level,uint256 nonce,
    /// uint256 deadline)`, domain: the owning contract's name, version "1", chain id, contract address) and
    /// relayed by anyone. `nonce` is the signer's next nonce (`nonces(signer)`); the signature is in EIP-2098
    /// compact form (r, vs).
    struct SignedApproval {
        uint256 subject;
        uint8 level;
        address signer;
        uint256 nonce;
        uint256 deadline;
        bytes32 r;
        bytes32 vs;
    }

    /// @notice `subject`, standing at `level`, went through a transition by `actor`. An approval emits one
    /// event: Approved while the level needs more approvals, Advanced when it clears the level (the subject moves
    /// to `level + 1`), Completed when it clears the last level. Escalated: the subject moved from `level` to
    /// `level + 1` without its approvals.
    event ApprovalTransition(uint256 indexed subject, uint8 level, address indexed actor, Outcome indexed outcome);

    /// @notice The comment (Returned, Rejected) or revision (Resubmitted) document of `actor` on `subject`.
    event ApprovalComment(uint256 indexed subject, address indexed actor, Outcome outcome, string cid);

    /// @notice Governance defined route `routeId` for subjects of `kind`.
    event RouteDefined(uint16 indexed routeId, uint8 indexed kind, Level[] levels);

    /// @notice Governance set the amount bands choosing routes for (`kind`, `supportType`).
    event RouteBandsSet(uint8 indexed kind, uint8 indexed supportType, Band[] bands);

    /// @notice No band of (`kind`, `supportType`) covers `amount`.
    error ApprovalNoRoute(uint8 kind, uint8 supportType, uint256 amount);

    /// @notice A route needs 1 to 8 levels.
    error ApprovalInvalidRoute(uint256 levelCount);

    /// @notice Level `index` names an unknown role, an invalid region level or a zero threshold, or brings the
    /// route's thresholds to more than 255 in all.
    error ApprovalInvalidLevel(uint256 index);

    /// @notice Band `index` names an unknown route, a route of another kind, or is not above the band before.
    error ApprovalInvalidBand(uint256 index);

    /// @notice `account` holds no official id (it never held a regional role), so it cannot submit subjects.
    error ApprovalSubmitterNotOfficial(address account);

    /// @notice `subject` already exists.
    error ApprovalSubjectExists(uint256 subject);

    /// @notice `subject` is in `state`, not the state the action needs.
    error ApprovalWrongState(uint256 subject, SubjectState state);

    /// @notice `account` submitted `subject` and so may not decide on it.
    error ApprovalBySubmitter(uint256 subject, address account);

    /// @notice `account` already approved `subject` (at any level).
    error ApprovalAlreadyApproved(uint256 subject, address account);

    /// @notice `account` lacks `role` over `region`, which level `level` of `subject` needs.
    error ApprovalUnauthorized(uint256 subject, uint8 level, address account, bytes32 role, uint64 region);

    /// @notice The approval names level `given` but `subject` stands at level `current`.
    error ApprovalLevelMismatch(uint256 subject, uint8 given, uint8 current);

    /// @notice Only the submitter of `subject` may resubmit it; `account` is not.
    error ApprovalNotSubmitter(uint256 subject, address account);

    /// @notice The current level of `subject` may be escalated only after `deadline` (0: never).
    error ApprovalNotOverdue(uint256 subject, uint256 deadline);

    /// @notice `subject` stands at its last level `level`: there is no level to escalate to.
    error ApprovalNoHigherLevel(uint256 subject, uint8 level);

    /// @notice The signature of `signer` expired at `deadline`.
    error ApprovalSignatureExpired(address signer, uint256 deadline);

    /// @notice `signer`'s signature carries nonce `nonce`, but the next unused one is `expected` (replay).
    error ApprovalInvalidNonce(address signer, uint256 nonce, uint256 expected);

    /// @notice The signature is not `signer`'s over this approval, chain and contract.
    error ApprovalInvalidSignature(address signer);

    /// @notice Defines a new, immutable route for subjects of `kind`.
    function defineRoute(uint8 kind, Level[] calldata levels) external returns (uint16 routeId);

    /// @notice Sets the bands (ascending `maxAmount`) that choose a route for (`kind`, `supportType`).
    function setRouteBands(uint8 kind, uint8 supportType, Band[] calldata bands) external;

    /// @notice Approves `subject` at `level` (its current level) as the caller.
    function approve(uint256 subject, uint8 level) external;

    /// @notice Relays approvals signed off-chain; all or nothing.
    function approveBySig(SignedApproval[] calldata approvals) external;

    /// @notice Rejects `subject` for good, with a comment document `commentCid`.
    function reject(uint256 subject, string calldata commentCid) external;

    /// @notice Returns `subject` to its submitter for revision, with a comment document `commentCid`.
    function returnForRevision(uint256 subject, string calldata commentCid) external;

    /// @notice Resubmits a returned `subject` with its revision document `revisionCid`.
    function resubmit(uint256 subject, string calldata revisionCid) external;

    /// @notice Moves an overdue `subject` to the next level of its route.
    function escalate(uint256 subject) external;

    /// @notice The nonce the next signature of `signer` must carry (0 for an account that never held a regional
    /// role).
    function nonces(address signer) external view returns (uint256);

    /// @notice The progress of `subject`.
    function subjectOf(uint256 subject) external view returns (Subject memory);

    /// @notice Whether `account` approved `subject`.
    function hasApproved(uint256 subject, address account) external view returns (bool);

    /// @notice When the current level of `subject` becomes escalable (0: never or not pending).
    function levelDeadline(uint256 subject) external view returns (uint256);

    /// @notice The route chosen for (`kind`, `supportType`, `amount`).
    function routeFor(uint8 kind, uint8 supportType, uint256 amount) external view returns (uint16);

    /// @notice The kind and levels of route `routeId`.
    function route(uint16 routeId) external view returns (uint8 kind, Level[] memory levels);

    /// @notice The bands of (`kind`, `supportType`).
    function routeBands(uint8 kind, uint8 supportType) external view returns (Band[] memory);

    /// @notice The region a subject id carries.
    function subjectRegion(uint256 subject) external pure returns (uint64);

    /// @notice The EIP-712 domain separator (chain id and this contract bound).
    function DOMAIN_SEPARATOR() external view returns (bytes32);
}
