// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IApprovalHub
/// @notice Multi-level approvals for every subject of the platform (registration, exit, plan, milestone,
/// payment batch, procurement), deployed once, in the shape of OpenZeppelin's AccessManager: governance
/// registers each owning contract (client) with the subject kinds it may open; a client opens a subject with
/// {open} and hears the final decision through {IApprovalClient-onApprovalDecided}, called last. Approvers act
/// here, for every client alike: one EIP-712 domain, one nonce space by official id, one {ApprovalTransition}
/// stream. A route is a list of levels; each level names a role, the region level at which its holders act
/// (village, township, county, ...) and a threshold M. Routes are chosen by subject kind, support type and amount
/// band. A subject id is `client << 96 | key << 40 | region` (see {subjectId}): it names its client, so a client
/// never reaches another client's subjects. A supervision contract chosen by governance may freeze a subject:
/// nothing then moves it.
interface IApprovalHub {
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

    /// @notice Where a subject stands. Approved is final for the hub; the client carries on.
    enum SubjectState {
        None,
        Pending,
        Returned,
        Approved,
        Rejected
    }

    /// @notice A subject's progress: `since` is when its current level (or final state) began, or was last
    /// escalated; a frozen subject cannot be approved, rejected, returned, resubmitted or escalated;
    /// `escalations` is how many region levels above its own the current level is decided (see {escalate}).
    struct Subject {
        address submitter;
        uint32 since;
        uint16 routeId;
        uint8 level;
        uint8 approvals;
        SubjectState state;
        bool frozen;
        uint8 escalations;
    }

    /// @notice What a transition did. Closed: a subject left returned past the hub's return timeout was closed by
    /// an official of its level, which ends it as Rejected (see {closeReturned}).
    enum Outcome {
        Submitted,
        Approved,
        Advanced,
        Completed,
        Returned,
        Resubmitted,
        Rejected,
        Escalated,
        Closed
    }

    /// @notice Why a relayed signature was skipped.
    enum SkipReason {
        Expired,
        NonceUsed
    }

    /// @notice An approval signed off-chain (EIP-712 `Approval(uint256 subject,uint8 level,uint256 nonce,
    /// uint256 deadline)`, domain: "GovChain ApprovalHub", version "1", chain id, the hub's address) and
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
    /// to `level + 1`), Completed when it clears the last level. Escalated: `level` was overdue and its decision
    /// passed to officials one region level higher (see {escalate}).
    event ApprovalTransition(uint256 indexed subject, uint8 level, address indexed actor, Outcome indexed outcome);

    /// @notice `approver` approved `subject` at `level` standing in, after escalation, for the level's officials:
    /// as a holder of the level's role at region level `regionLevel`.
    event ApprovalStandingIn(uint256 indexed subject, uint8 level, address indexed approver, uint8 regionLevel);

    /// @notice A relayed signature of `signer` for `subject` carrying `nonce` was skipped: expired, or its nonce used
    /// up (relayed before, front-run, or cancelled). The rest of its batch went on.
    event ApprovalSignatureSkipped(uint256 indexed subject, address indexed signer, uint256 nonce, SkipReason reason);

    /// @notice `signer` cancelled its signature carrying `nonce` (its next nonce) before anyone relayed it.
    event ApprovalSignatureCancelled(address indexed signer, uint256 nonce);

    /// @notice Governance set how long a subject may stay returned before an official of its level may close it.
    event ReturnTimeoutSet(uint32 timeout);

    /// @notice The comment (Returned, Rejected, Closed) or revision (Resubmitted) document of `actor` on `subject`.
    event ApprovalComment(uint256 indexed subject, address indexed actor, Outcome outcome, string cid);

    /// @notice Governance defined route `routeId` for subjects of `kind`.
    event RouteDefined(uint16 indexed routeId, uint8 indexed kind, Level[] levels);

    /// @notice Governance set the amount bands choosing routes for (`kind`, `supportType`).
    event RouteBandsSet(uint8 indexed kind, uint8 indexed supportType, Band[] bands);

    /// @notice Governance registered `client` to open subjects of `kinds` (an empty list: none any more).
    event ClientRegistered(address indexed client, uint8[] kinds);

    /// @notice Governance made `supervision` the one contract that may freeze subjects.
    event SupervisionSet(address indexed supervision);

    /// @notice The supervision contract froze (or unfroze) `subject`.
    event SubjectFrozen(uint256 indexed subject, bool frozen);

    /// @notice No band of (`kind`, `supportType`) covers `amount`.
    error ApprovalNoRoute(uint8 kind, uint8 supportType, uint256 amount);

    /// @notice A route needs 1 to 8 levels.
    error ApprovalInvalidRoute(uint256 levelCount);

    /// @notice Level `index` names an unknown role, an invalid region level or a zero threshold, or brings the
    /// route's thresholds to more than 255 in all.
    error ApprovalInvalidLevel(uint256 index);

    /// @notice Band `index` names an unknown route, a route of another kind, or is not above the band before.
    error ApprovalInvalidBand(uint256 index);

    /// @notice `client` is the zero address or holds no code.
    error ApprovalInvalidClient(address client);

    /// @notice `client` is not registered for subjects of `kind`.
    error ApprovalKindNotAllowed(address client, uint8 kind);

    /// @notice A subject's region must fit in 40 bits; `region` does not.
    error ApprovalInvalidRegion(uint64 region);

    /// @notice Only the supervision contract freezes subjects; `account` is not it.
    error ApprovalNotSupervision(address account);

    /// @notice `subject` is frozen by supervision: nothing moves it until it is unfrozen.
    error ApprovalSubjectFrozen(uint256 subject);

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

    /// @notice `account` submitted `subject` but no longer holds `role` over `region`, which its client requires
    /// of a submitter (see {IApprovalClient-submitterRole}).
    error ApprovalSubmitterLacksRole(uint256 subject, address account, bytes32 role, uint64 region);

    /// @notice The current level of `subject` may be escalated only after `deadline` (0: never).
    error ApprovalNotOverdue(uint256 subject, uint256 deadline);

    /// @notice Level `level` of `subject` is decided at province level already: there is no higher region to hand
    /// it to.
    error ApprovalNoHigherLevel(uint256 subject, uint8 level);

    /// @notice `subject` was returned; it can be closed from `closableAt` on, if still unrevised.
    error ApprovalReturnNotStale(uint256 subject, uint256 closableAt);

    /// @notice A return timeout must be 1 to 365 days; `timeout` is not.
    error ApprovalInvalidReturnTimeout(uint32 timeout);

    /// @notice `signer`'s signature carries nonce `nonce`, but the next unused one is `expected` (replay).
    error ApprovalInvalidNonce(address signer, uint256 nonce, uint256 expected);

    /// @notice The signature is not `signer`'s over this approval, chain and contract.
    error ApprovalInvalidSignature(address signer);

    /// @notice Defines a new, immutable route for subjects of `kind`.
    function defineRoute(uint8 kind, Level[] calldata levels) external returns (uint16 routeId);

    /// @notice Sets the bands (ascending `maxAmount`) that choose a route for (`kind`, `supportType`).
    function setRouteBands(uint8 kind, uint8 supportType, Band[] calldata bands) external;

    /// @notice Registers `client` (a contract) to open subjects of `kinds`, replacing its earlier kinds.
    function registerClient(address client, uint8[] calldata kinds) external;

    /// @notice Makes `supervision` the one contract that may freeze subjects (the zero address: none).
    function setSupervision(address supervision) external;

    /// @notice Freezes or unfreezes `subject` (supervision only).
    function setSubjectFrozen(uint256 subject, bool frozen) external;

    /// @notice Opens a subject of the calling client: key `key` in `region`, on the route chosen by (`kind`,
    /// `supportType`, `amount`), submitted by `submitter`, whose official id `submitterOfficial` the client has
    /// from its own role check. Returns the subject id (see {subjectId}).
    function open(
        uint56 key,
        uint64 region,
        uint8 kind,
        uint8 supportType,
        uint256 amount,
        address submitter,
        uint32 submitterOfficial
    ) external returns (uint256 subject);

    /// @notice Approves `subject` at `level` (its current level) as the caller.
    function approve(uint256 subject, uint8 level) external;

    /// @notice Relays approvals signed off-chain; expired and used-up signatures are skipped and reported
    /// ({ApprovalSignatureSkipped}), any other refusal reverts the batch.
    function approveBySig(SignedApproval[] calldata approvals) external;

    /// @notice Cancels the caller's signature carrying `nonce`, its next nonce, before anyone relays it.
    function cancelSignature(uint256 nonce) external;

    /// @notice Closes `subject`, returned and left unrevised past the return timeout, as rejected, with a comment
    /// document `commentCid`.
    function closeReturned(uint256 subject, string calldata commentCid) external;

    /// @notice Sets how long a subject may stay returned before it can be closed (1 to 365 days).
    function setReturnTimeout(uint32 timeout) external;

    /// @notice How long a subject may stay returned before an official of its level may close it.
    function returnTimeout() external view returns (uint32);

    /// @notice Rejects `subject` for good, with a comment document `commentCid`.
    function reject(uint256 subject, string calldata commentCid) external;

    /// @notice Returns `subject` to its submitter for revision, with a comment document `commentCid`.
    function returnForRevision(uint256 subject, string calldata commentCid) external;

    /// @notice Resubmits a returned `subject` with its revision document `revisionCid`.
    function resubmit(uint256 subject, string calldata revisionCid) external;

    /// @notice Hands the overdue current level of `subject` to officials one region level higher.
    function escalate(uint256 subject) external;

    /// @notice The nonce the next signature of `signer` must carry (0 for an account that never held a regional
    /// role).
    function nonces(address signer) external view returns (uint256);

    /// @notice The progress of `subject`.
    function subjectOf(uint256 subject) external view returns (Subject memory);

    /// @notice What a client needs of `subject`, in one storage read: its state, when it entered it (or its
    /// current level), its submitter's official id and whether it is frozen.
    function subjectStatus(uint256 subject)
        external
        view
        returns (SubjectState state, uint32 since, uint32 submitter, bool frozen);

    /// @notice The kinds `client` may open, as a bitmap (bit `kind` set: allowed).
    function clientKinds(address client) external view returns (uint256);

    /// @notice The contract that may freeze subjects.
    function supervision() external view returns (address);

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

    /// @notice The client a subject id names.
    function subjectClient(uint256 subject) external pure returns (address);

    /// @notice The region a subject id carries.
    function subjectRegion(uint256 subject) external pure returns (uint64);

    /// @notice The EIP-712 domain separator (chain id and this contract bound).
    function DOMAIN_SEPARATOR() external view returns (bytes32);
}
