// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title ISocialPledges
/// @notice Enterprise and social support (企业帮扶, 社会帮扶): an ENTERPRISE (an enterprise or a registered social
/// organisation, granted the role over its region) pledges money, goods or jobs to a plan, with an amount (fen,
/// units or jobs), a due date and the terms document. A DEPARTMENT officer over the plan's region confirms
/// fulfilment, in part or in full, with evidence. Unfulfilled and overdue pledges stay visible ({pledgeOf},
/// {isOverdue}, {pledgesOf}); anyone may mark an overdue pledge ({PledgeOverdue}) for public pages.
interface ISocialPledges {
    /// @notice What is pledged.
    enum PledgeKind {
        Money,
        Goods,
        Jobs
    }

    /// @notice A pledge: plan, pledger, kind, amount pledged and fulfilled so far, due date, whether marked overdue.
    struct Pledge {
        uint32 planId;
        address pledger;
        PledgeKind kind;
        uint32 dueDate;
        bool markedOverdue;
        uint128 amount;
        uint128 fulfilled;
    }

    /// @notice `pledger` pledged `amount` of `kind` to plan `planId` by `dueDate`, terms in `termsCid`.
    event Pledged(
        uint256 indexed pledgeId,
        uint256 indexed planId,
        address indexed pledger,
        PledgeKind kind,
        uint128 amount,
        uint32 dueDate,
        string termsCid
    );

    /// @notice `officer` confirmed `amount` more of pledge `pledgeId` fulfilled (`fulfilled` in all), with
    /// `evidenceCid`.
    event PledgeFulfilled(
        uint256 indexed pledgeId, uint256 indexed planId, uint128 amount, uint128 fulfilled, string evidenceCid,
        address officer
    );

    /// @notice Pledge `pledgeId`, due by `dueDate`, was marked overdue with `outstanding` still unfulfilled.
    event PledgeOverdue(uint256 indexed pledgeId, uint256 indexed planId, uint32 dueDate, uint128 outstanding);

    /// @notice `account` lacks `role` over `region`.
    error PledgeUnauthorized(address account, bytes32 role, uint64 region);

    /// @notice Plan `planId` does not exist or is not approved or executing.
    error PledgeInvalidPlan(uint256 planId);

    /// @notice A pledge needs an amount, a due date in the future and its terms.
    error PledgeInvalidTerms();

    /// @notice Pledge `pledgeId` does not exist.
    error PledgeUnknown(uint256 pledgeId);

    /// @notice Confirming `amount` would exceed pledge `pledgeId`'s outstanding `outstanding`.
    error PledgeOverFulfilled(uint256 pledgeId, uint256 amount, uint256 outstanding);

    /// @notice A confirmation needs a non-zero amount and its evidence.
    error PledgeEvidenceRequired();

    /// @notice Pledge `pledgeId` is not overdue (due by `dueDate`), fulfilled, or marked already.
    error PledgeNotOverdue(uint256 pledgeId, uint32 dueDate);

    /// @notice Pledges `amount` of `kind` to plan `planId` by `dueDate` (an ENTERPRISE over the plan's region).
    function pledge(uint256 planId, PledgeKind kind, uint128 amount, uint32 dueDate, string calldata termsCid)
        external
        returns (uint256 pledgeId);

    /// @notice Confirms `amount` of pledge `pledgeId` fulfilled, with evidence (DEPARTMENT over the plan's region).
    function confirmFulfilment(uint256 pledgeId, uint128 amount, string calldata evidenceCid) external;

    /// @notice Marks pledge `pledgeId` overdue; anyone may call.
    function markOverdue(uint256 pledgeId) external;

    /// @notice Pledge `pledgeId`.
    function pledgeOf(uint256 pledgeId) external view returns (Pledge memory);

    /// @notice Whether pledge `pledgeId` is past its due date and not fully fulfilled.
    function isOverdue(uint256 pledgeId) external view returns (bool);

    /// @notice The pledges made to plan `planId`.
    function pledgesOf(uint256 planId) external view returns (uint256[] memory);

    /// @notice The number of pledges made.
    function pledgeCount() external view returns (uint256);
}
