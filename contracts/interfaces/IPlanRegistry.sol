// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IPlanRegistry
/// @notice Support plans (振兴计划) of the eight support types. A DEPARTMENT officer of a region drafts a plan
/// (its owner), submits it for approval on the approval hub (kind Plan, route chosen by support type and
/// budget), starts executing it once approved, and completes or closes it. An amendment is a new version of the
/// plan's terms that needs approval again; every version stays readable. A HANDLER reports a milestone done with
/// its evidence, which runs a route of its own (kind Milestone); an approved milestone is what the funds contract
/// releases a tranche against ({trancheApproved}). Outcome reports (成效) record KPI actuals. Supervision may
/// freeze a plan or a milestone (see {ISupervision}); every change checks it. Every state change emits an event
/// that a public page can show without further calls (plan id and version, region, type, category, amounts,
/// documents).
/// Enums are mirrored by govchain/plans.py (checked against this file and the ABI by tests/govchain).
interface IPlanRegistry {
    /// @notice The support types (帮扶类型); None is never a plan's.
    enum SupportType {
        None,
        Policy, // 政策
        Project, // 项目
        Fund, // 资金
        Material, // 物资
        Industry, // 产业
        Enterprise, // 企业
        Social, // 社会
        Crowdfunding // 众筹
    }

    /// @notice A plan's lifecycle: Draft → Submitted → Approved → Executing → Completed, or Returned (for
    /// revision, on the hub; see {statusOf}), Rejected, Cancelled, Closed.
    enum PlanStatus {
        None,
        Draft,
        Submitted,
        Returned,
        Approved,
        Executing,
        Completed,
        Rejected,
        Cancelled,
        Closed
    }

    /// @notice A version of a plan's terms: drafted, submitted for approval, approved (the one in force is
    /// {Plan-currentVersion}), rejected, or withdrawn (a draft or returned amendment given up, or pending when
    /// the plan was cancelled).
    enum VersionStatus {
        None,
        Draft,
        Submitted,
        Approved,
        Rejected,
        Withdrawn
    }

    /// @notice A milestone's progress: planned; reported done (its approval pending on the hub); approved (its
    /// tranche may be released); rejected (it may be reported again).
    enum MilestoneStatus {
        Planned,
        Reported,
        Approved,
        Rejected
    }

    /// @notice A milestone of a version: the tranche `amount`, due by `dueDate`, delivering `deliverableCid`.
    struct Milestone {
        uint64 amount;
        uint32 dueDate;
        string deliverableCid;
    }

    /// @notice A KPI (绩效指标): `indicator` (a code of the indicator catalogue) and its `target` value.
    struct Kpi {
        bytes32 indicator;
        uint128 target;
    }

    /// @notice Who may benefit: households of the plan's region with one of `statuses` (bits: 1 registered,
    /// 2 exited and in their transition period, 4 under monitoring), and when `listRoot` is set only those on the
    /// explicit list (a Merkle root of pseudonymous household ids, the list itself at `listCid`).
    struct Beneficiaries {
        uint8 statuses;
        bytes32 listRoot;
        string listCid;
    }

    /// @notice A version's terms. Amounts are in fen (分, the fund token's 2 decimals), up to 2^64 - 1.
    struct PlanTerms {
        uint64 budget;
        string documentCid;
        Beneficiaries beneficiaries;
        Kpi[] kpis;
        Milestone[] milestones;
    }

    /// @notice A plan: `region`, `supportType`, project `category` code, owner (official id), status, the
    /// version in force (0 before the first approval), the latest version, the version awaiting the hub's decision
    /// (0: none) with its budget, and the amount committed (milestones reported or approved). The first slot holds
    /// all but the committed amount, so the hub's decision on a version reads and writes that slot alone.
    struct Plan {
        uint64 region;
        uint32 category;
        uint32 owner;
        SupportType supportType;
        PlanStatus status;
        uint16 currentVersion;
        uint16 latestVersion;
        uint16 pendingVersion;
        uint64 pendingBudget;
        uint64 committed;
    }

    /// @notice A version as read back: its status, when it was drafted, and its terms. When it was decided is
    /// its subject's on the hub ({IApprovalHub-subjectStatus}, {versionSubject}).
    struct Version {
        VersionStatus status;
        uint32 draftedAt;
        PlanTerms terms;
    }

    /// @notice A milestone's progress: status, the amount committed when reported, report attempts so far (each
    /// is an approval subject of its own) and when it last changed.
    struct MilestoneProgress {
        MilestoneStatus status;
        uint8 attempts;
        uint32 since;
        uint64 amount;
    }

    /// @notice Version `version` of plan `planId` was drafted with `terms` by `owner` (version 1: the plan was
    /// created); `plan` is the plan after the change.
    event PlanDrafted(
        uint256 indexed planId, uint64 indexed region, uint16 indexed version, Plan plan, PlanTerms terms, address owner
    );

    /// @notice Plan `planId` (of `supportType` and `category`, in `region`) moved to `status`, or its version
    /// `version` to `versionStatus` (an amendment decided or withdrawn while the plan stays executing), with the
    /// version's `budget`; `cid` is the version's document on submission, the reason document on a cancellation or
    /// closure by the owner (empty otherwise: a decision's documents are the hub's {IApprovalHub-ApprovalComment}).
    /// Who acted is the transaction's sender (the owner, the approver whose approval completed the route, the
    /// supervisor whose finding cancelled the plan): not repeated here, which keeps a plan approval step under
    /// 60,000 gas.
    event PlanStatusChanged(
        uint256 indexed planId,
        uint64 indexed region,
        PlanStatus indexed status,
        uint16 version,
        VersionStatus versionStatus,
        SupportType supportType,
        uint32 category,
        uint64 budget,
        string cid
    );

    /// @notice Milestone `index` of plan `planId` (of `supportType` and `category`, in `region`; version `version`
    /// in force) moved to `status`: reported with evidence `evidenceCid` as approval subject `subject`, approved or
    /// rejected on the hub (evidence empty); `amount` is its tranche, `committed` the plan's committed amount
    /// after the change.
    event MilestoneStatusChanged(
        uint256 indexed planId,
        uint8 indexed index,
        MilestoneStatus indexed status,
        uint64 region,
        uint16 version,
        SupportType supportType,
        uint32 category,
        uint64 amount,
        uint64 committed,
        uint256 subject,
        string evidenceCid
    );

    /// @notice An outcome report (成效) of plan `planId` under version `plan.currentVersion`: the KPI `actuals`
    /// (in the order of the version's KPIs) by `reporter`, with evidence `evidenceCid`.
    event OutcomeReported(
        uint256 indexed planId,
        uint64 indexed region,
        address indexed reporter,
        Plan plan,
        uint256[] actuals,
        string evidenceCid
    );

    /// @notice `account` lacks `role` over `region`.
    error PlanUnauthorized(address account, bytes32 role, uint64 region);

    /// @notice Only the owner of plan `planId` acts on it; `account` is not.
    error PlanNotOwner(uint256 planId, address account);

    /// @notice Plan `planId` does not exist.
    error PlanNotFound(uint256 planId);

    /// @notice Plan `planId` is `status`, which the action does not allow.
    error PlanWrongStatus(uint256 planId, PlanStatus status);

    /// @notice `region` is not a valid region code.
    error PlanInvalidRegion(uint64 region);

    /// @notice A plan needs one of the eight support types.
    error PlanInvalidType();

    /// @notice The terms are not acceptable: `reason` 1 no document, 2 no milestone or more than the maximum,
    /// 3 a milestone without amount or due date, 4 beneficiary statuses outside 1..7 or a list root without its
    /// document (or the reverse), 5 more KPIs than the maximum or a KPI without indicator.
    error PlanInvalidTerms(uint8 reason);

    /// @notice The milestones add up to `total`, more than the budget `budget`.
    error PlanMilestonesOverBudget(uint256 total, uint256 budget);

    /// @notice An amendment of plan `planId` cannot take the budget to `budget`, below the `committed` amount.
    error PlanBudgetBelowCommitted(uint256 planId, uint256 budget, uint256 committed);

    /// @notice Milestone `index` of plan `planId` is reported or approved: an amendment keeps it and its amount.
    error PlanMilestoneLocked(uint256 planId, uint256 index);

    /// @notice Plan `planId` has version `version` drafted or awaiting approval: finish it first.
    error PlanVersionPending(uint256 planId, uint16 version);

    /// @notice Plan `planId` has no draft version to submit, or no amendment to withdraw.
    error PlanNothingPending(uint256 planId);

    /// @notice Plan `planId` has no milestone `index` in the version in force.
    error PlanMilestoneNotFound(uint256 planId, uint256 index);

    /// @notice Milestone `index` of plan `planId` is `status`, which the action does not allow.
    error PlanMilestoneWrongStatus(uint256 planId, uint256 index, MilestoneStatus status);

    /// @notice Milestone `index` of plan `planId` is not approved yet.
    error PlanMilestoneOpen(uint256 planId, uint256 index);

    /// @notice A report needs an evidence document.
    error PlanEvidenceRequired();

    /// @notice The outcome report gives `given` actuals; the version in force has `expected` KPIs.
    error PlanKpiCountMismatch(uint256 given, uint256 expected);

    /// @notice `target` is not a target of this registry, or `consequence` not one it applies.
    error PlanUnknownConsequence(uint256 target, uint8 consequence);

    /// @notice Drafts a plan in `region` (its first version); the caller (a DEPARTMENT officer over `region`)
    /// owns it.
    function create(uint64 region, SupportType supportType, uint32 category, PlanTerms calldata terms)
        external
        returns (uint256 planId);

    /// @notice Drafts an amendment (the next version) of an approved or executing plan.
    function amend(uint256 planId, PlanTerms calldata terms) external returns (uint16 version);

    /// @notice Submits the plan's draft version for approval on the hub.
    function submit(uint256 planId) external returns (uint256 subject);

    /// @notice Withdraws the plan's draft amendment, or one returned for revision.
    function withdrawAmendment(uint256 planId) external;

    /// @notice Cancels a plan not yet executing (draft, returned or approved), with a reason document.
    function cancel(uint256 planId, string calldata reasonCid) external;

    /// @notice Starts executing an approved plan.
    function start(uint256 planId) external;

    /// @notice Completes an executing plan whose milestones are all approved.
    function complete(uint256 planId) external;

    /// @notice Closes an executing or completed plan for good, with a reason document.
    function close(uint256 planId, string calldata reasonCid) external;

    /// @notice Reports milestone `index` of an executing plan done, with `evidenceCid`; opens its approval.
    function reportMilestone(uint256 planId, uint8 index, string calldata evidenceCid)
        external
        returns (uint256 subject);

    /// @notice Records the actual values of the KPIs of the version in force, with `evidenceCid`.
    function reportOutcome(uint256 planId, uint256[] calldata actuals, string calldata evidenceCid) external;

    /// @notice Plan `planId` as stored.
    function planOf(uint256 planId) external view returns (Plan memory);

    /// @notice The status of plan `planId`, Returned while the hub holds its submitted version for revision.
    function statusOf(uint256 planId) external view returns (PlanStatus);

    /// @notice Version `version` of plan `planId`.
    function versionOf(uint256 planId, uint16 version) external view returns (Version memory);

    /// @notice The progress of milestone `index` of plan `planId`.
    function milestoneOf(uint256 planId, uint8 index) external view returns (MilestoneProgress memory);

    /// @notice Whether the tranche of milestone `index` of plan `planId` may be released (its milestone
    /// approved, the plan executing or completed), and its amount.
    function trancheApproved(uint256 planId, uint8 index) external view returns (bool approved, uint64 amount);

    /// @notice The latest KPI actuals reported for plan `planId`.
    function outcomeOf(uint256 planId) external view returns (uint256[] memory actuals);

    /// @notice The approval subject of version `version` of plan `planId`.
    function versionSubject(uint256 planId, uint16 version) external view returns (uint256);

    /// @notice The approval subject of report `attempt` (from 1) of milestone `index` of plan `planId`.
    function milestoneSubject(uint256 planId, uint8 index, uint8 attempt) external view returns (uint256);

    /// @notice The supervision target of plan `planId`.
    function planTarget(uint256 planId) external view returns (uint256);

    /// @notice The supervision target of milestone `index` of plan `planId`.
    function milestoneTarget(uint256 planId, uint8 index) external view returns (uint256);

    /// @notice The number of plans created.
    function planCount() external view returns (uint256);
}
