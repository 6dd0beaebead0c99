// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title ISupervision
/// @notice Compliance supervision (合规监管): a SUPERVISOR of a region flags or freezes a target (a plan, a
/// milestone, later a payment batch or a procurement) with a reason document; a frozen target moves no further
/// until a supervisor of the same or a higher region resolves the case, clearing it or upholding it with a
/// consequence that the target's contract applies (such as cancelling a plan). A target id has the shape of an
/// approval hub subject id, `client << 96 | key << 40 | region`: it names the contract that owns the target
/// (a client registered on the hub) and carries the region. Freezing a target also freezes, on the hub, the
/// approval subjects its contract lists for it ({ISupervisedClient-supervisedSubjects}), or the target itself
/// when it is a hub subject. Overdue approvals are made visible as {ApprovalOverdue} events (流程监管).
interface ISupervision {
    /// @notice Where a case stands.
    enum CaseState {
        None,
        Flagged,
        Frozen,
        Cleared,
        Upheld
    }

    /// @notice A case: `target`, opened by official `supervisor` acting over `region` (a region that covers the
    /// target's), `openedAt`; whether it froze the target is told by its state while open (Frozen) and by
    /// `froze` for good.
    struct Case {
        uint256 target;
        uint64 region;
        uint32 supervisor;
        uint32 openedAt;
        CaseState state;
        bool froze;
        uint8 consequence;
    }

    /// @notice `supervisor`, acting over `region`, opened case `caseId` on `target` (of contract `client`),
    /// freezing it or only flagging it, reasoned in `reasonCid`.
    event CaseOpened(
        uint256 indexed caseId,
        uint256 indexed target,
        uint64 indexed region,
        address client,
        address supervisor,
        bool frozen,
        string reasonCid
    );

    /// @notice `resolver` resolved case `caseId` on `target`: upheld (with `consequence`, 0: none) or cleared,
    /// reasoned in `reasonCid`.
    event CaseResolved(
        uint256 indexed caseId,
        uint256 indexed target,
        address indexed resolver,
        bool upheld,
        uint8 consequence,
        string reasonCid
    );

    /// @notice `target` became frozen (its first open freeze) or free again (its last freeze resolved).
    event TargetFrozen(uint256 indexed target, bool frozen);

    /// @notice Approval `subject`, standing at `level`, passed the deadline of that level at `deadline` without a
    /// decision (reported by anyone; the hub's own escalation is its {IApprovalHub-ApprovalTransition} event).
    event ApprovalOverdue(uint256 indexed subject, uint8 level, uint64 indexed region, uint256 deadline);

    /// @notice `target` is frozen by supervision: nothing moves it until its cases are resolved.
    error SupervisionTargetFrozen(uint256 target);

    /// @notice `target` names no approval hub client or carries an invalid region.
    error SupervisionInvalidTarget(uint256 target);

    /// @notice `account` lacks SUPERVISOR over `region`.
    error SupervisionUnauthorized(address account, uint64 region);

    /// @notice A supervisor acting over `region` cannot act on something in `targetRegion` (a region it does not
    /// cover: a lower region than the case's, or another branch).
    error SupervisionRegionNotCovered(uint64 region, uint64 targetRegion);

    /// @notice Case `caseId` is `state`, not open.
    error SupervisionCaseNotOpen(uint256 caseId, CaseState state);

    /// @notice A consequence (`consequence`) needs an upheld finding.
    error SupervisionConsequenceWithoutFinding(uint8 consequence);

    /// @notice A case needs a reason document.
    error SupervisionReasonRequired();

    /// @notice Approval `subject` is not overdue (its current level's deadline is `deadline`; 0: none).
    error SupervisionNotOverdue(uint256 subject, uint256 deadline);

    /// @notice Flags `target` (no freeze) as a supervisor acting over `region`; returns the case id.
    function flag(uint256 target, uint64 region, string calldata reasonCid) external returns (uint256 caseId);

    /// @notice Freezes `target` as a supervisor acting over `region`; returns the case id.
    function freeze(uint256 target, uint64 region, string calldata reasonCid) external returns (uint256 caseId);

    /// @notice Resolves open case `caseId` as a supervisor acting over `region`: `upheld` or cleared; an upheld
    /// finding may carry a `consequence` for the target's contract to apply.
    function resolve(uint256 caseId, uint64 region, bool upheld, uint8 consequence, string calldata reasonCid)
        external;

    /// @notice Emits {ApprovalOverdue} for hub `subject` if its current level is past its deadline.
    function reportOverdue(uint256 subject) external;

    /// @notice Whether `target` is frozen now.
    function isFrozen(uint256 target) external view returns (bool);

    /// @notice Case `caseId`.
    function caseOf(uint256 caseId) external view returns (Case memory);

    /// @notice The hub subjects case `caseId` froze on the hub.
    function caseSubjects(uint256 caseId) external view returns (uint256[] memory);

    /// @notice The number of cases opened.
    function caseCount() external view returns (uint256);
}

/// @title ISupervisedClient
/// @notice What supervision asks of a contract whose targets it supervises.
interface ISupervisedClient {
    /// @notice Only the approval hub's supervision contract may apply consequences; `caller` is not it.
    error SupervisedNotSupervision(address caller);

    /// @notice This contract applies no consequence `consequence` to `target`.
    error SupervisedUnknownConsequence(uint256 target, uint8 consequence);

    /// @notice Whether `target` is one of this contract's (with the right region), and the approval hub subjects
    /// that freezing it must freeze on the hub too (those that exist and await a decision).
    function supervisedSubjects(uint256 target) external view returns (bool known, uint256[] memory subjects);

    /// @notice Applies the `consequence` of an upheld finding on `target` (supervision only).
    function applyConsequence(uint256 target, uint8 consequence) external;
}
