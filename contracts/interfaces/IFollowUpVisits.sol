// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPaymentBatches} from "./IPaymentBatches.sol";

/// @title IFollowUpVisits
/// @notice Follow-up visits (扶持回访): a GRID_WORKER of a household's village records a visit for the household
/// and a plan: the visit date, a satisfaction score (1..5), a findings code (the catalogue is off chain, 0: no
/// finding) and the evidence document. The plan's owner (a DEPARTMENT officer over the plan's region) may require
/// a visit within N days of a service (a delivery of materials, a payment); the contracts rendering services
/// (service recorders named by governance) note each service, which opens an obligation; a visit dated on or
/// after the service fulfils it. A service's first obligation of a household under a plan would create a storage
/// slot; a service recorder may write those slots ahead, at its own cost ({prepareDuties}: a dispatcher's list of
/// recipients), so that the service itself only rewrites one.
/// Payments are served a batch at a time, and a per-household record would not fit a payment's gas budget: the
/// payment contract notes each batch once ({noteBatchService}), which opens one duty for every household of the
/// batch's entry tree, due by the same date. A grid worker fulfils a household's part with a visit that proves
/// its entry in the batch ({recordPaymentVisit}); anyone may mark an entry overdue by proving it was paid and not
/// visited in time ({markPaymentOverdue}). An obligation past its due date without a visit is overdue ({isOverdue}); anyone
/// may mark it so ({markOverdue}), which emits {VisitOverdue} for public pages. No personal data: households are
/// pseudonymous ids, the evidence lives off chain.
interface IFollowUpVisits {
    /// @notice The visit obligation of a household under a plan: when the service was noted, the date by which a
    /// visit is due, the date of the visit that fulfilled it (0: none yet), whether it was marked overdue, and
    /// whether its record was written ahead of the first service ({prepareDuties}; no obligation by itself).
    struct Obligation {
        uint32 servedAt;
        uint32 dueBy;
        uint32 visitedOn;
        bool markedOverdue;
        bool prepared;
    }

    /// @notice The visit duty of a payment batch: the root of its entry tree (the households it paid), the plan,
    /// when the batch was first settled and the date by which each household paid is to be visited.
    struct BatchDuty {
        bytes32 root;
        uint32 planId;
        uint32 servedAt;
        uint32 dueBy;
    }

    /// @notice `worker` visited `household` (of village `region`) for plan `planId` on `date`: satisfaction
    /// `satisfaction` (1..5), findings `findings`, evidence `evidenceCid`; `fulfilled` is whether it fulfilled an
    /// open obligation.
    event VisitRecorded(
        bytes32 indexed household,
        uint256 indexed planId,
        uint64 indexed region,
        address worker,
        uint32 date,
        uint8 satisfaction,
        uint16 findings,
        string evidenceCid,
        bool fulfilled
    );

    /// @notice The owner of plan `planId` required a visit within `windowDays` days of each service (0: none).
    event VisitWindowSet(uint256 indexed planId, uint16 windowDays, address owner);

    /// @notice A service to `household` under plan `planId` (by `recorder`) opened a visit obligation due by
    /// `dueBy`.
    event VisitRequired(uint256 indexed planId, bytes32 indexed household, address recorder, uint32 dueBy);

    /// @notice Payment batch `batchId` of `recorder` (the payment contract), under plan `planId`, opened a visit
    /// duty for each household of its entry tree `root` (`count` entries), due by `dueBy`.
    event BatchVisitsRequired(
        address indexed recorder, uint256 indexed batchId, uint256 indexed planId, bytes32 root, uint32 count, uint32 dueBy
    );

    /// @notice The visit of `household` under plan `planId`, due by `dueBy`, was marked overdue by `reporter`.
    event VisitOverdue(uint256 indexed planId, bytes32 indexed household, uint32 dueBy, address reporter);

    /// @notice Governance named (`allowed`) or removed a contract that notes services.
    event ServiceRecorderSet(address indexed recorder, bool allowed);

    /// @notice `household` is not in the household register.
    error VisitUnknownHousehold(bytes32 household);

    /// @notice `account` is not a GRID_WORKER of `region` (the household's village).
    error VisitUnauthorized(address account, uint64 region);

    /// @notice A satisfaction score is 1..5; `score` is not.
    error VisitInvalidScore(uint8 score);

    /// @notice A visit date must be set and not in the future; `date` is not.
    error VisitInvalidDate(uint32 date);

    /// @notice A visit needs an evidence document.
    error VisitEvidenceRequired();

    /// @notice Plan `planId` does not exist.
    error VisitUnknownPlan(uint256 planId);

    /// @notice Only the plan's owner sets its visit window; `account` is not.
    error VisitNotPlanOwner(uint256 planId, address account);

    /// @notice Only a service recorder notes services; `account` is not one.
    error VisitNotRecorder(address account);

    /// @notice The visit of `household` under plan `planId` is not overdue (due by `dueBy`, 0: no obligation),
    /// fulfilled, or marked already.
    error VisitNotOverdue(uint256 planId, bytes32 household, uint32 dueBy);

    /// @notice Records a visit of `household` for plan `planId` (the caller a GRID_WORKER of its village).
    function recordVisit(
        bytes32 household,
        uint256 planId,
        uint32 date,
        uint8 satisfaction,
        uint16 findings,
        string calldata evidenceCid
    ) external;

    /// @notice Requires a visit within `windowDays` days of each service under plan `planId` (its owner; 0: none).
    function setVisitWindow(uint256 planId, uint16 windowDays) external;

    /// @notice Notes a service to `household` under plan `planId` (service recorders only); opens an obligation
    /// when the plan has a visit window and none is open.
    function noteService(uint256 planId, bytes32 household) external;

    /// @notice Writes the obligation records of `households` under plan `planId` ahead of their first service
    /// (service recorders only), so that the service opening an obligation rewrites a slot instead of creating one.
    function prepareDuties(uint256 planId, bytes32[] calldata households) external;

    /// @notice Entry `index` of payment batch `batchId` is not one the batch's duty covers: no duty, a proof that
    /// fails, an entry not paid, or (`visited`) one whose visit is recorded already.
    error VisitNotInBatchDuty(uint256 batchId, uint256 index, bool visited);

    /// @notice Entry `index` of payment batch `batchId` is not overdue (due by `dueBy`) or was marked already.
    error VisitBatchEntryNotOverdue(uint256 batchId, uint256 index, uint32 dueBy);

    /// @notice Opens the visit duty of payment batch `batchId` under plan `planId` (service recorders only; once a
    /// batch, when the plan has a visit window): every entry of tree `root` (`count` entries) is due a visit.
    function noteBatchService(uint256 planId, uint256 batchId, bytes32 root, uint32 count) external;

    /// @notice Records a visit of the household of `entry` in payment batch `batchId` of `payments`, proven by
    /// `proof` against the batch's entry tree, fulfilling its part of the batch's duty (GRID_WORKER of its village).
    function recordPaymentVisit(
        address payments,
        uint256 batchId,
        IPaymentBatches.Entry calldata entry,
        bytes32[] calldata proof,
        uint32 date,
        uint8 satisfaction,
        uint16 findings,
        string calldata evidenceCid
    ) external;

    /// @notice Marks entry `entry` of payment batch `batchId` of `payments` overdue: paid, past the duty's due date,
    /// not visited; anyone may call.
    function markPaymentOverdue(
        address payments,
        uint256 batchId,
        IPaymentBatches.Entry calldata entry,
        bytes32[] calldata proof
    ) external;

    /// @notice The visit duty of payment batch `batchId` of `recorder` (zero: none).
    function batchDutyOf(address recorder, uint256 batchId) external view returns (BatchDuty memory);

    /// @notice Whether entry `index` of payment batch `batchId` of `recorder` has its visit, and whether it was
    /// marked overdue.
    function paymentVisitState(address recorder, uint256 batchId, uint256 index)
        external
        view
        returns (bool visited, bool markedOverdue);

    /// @notice Marks the overdue visit of `household` under plan `planId`; anyone may call.
    function markOverdue(uint256 planId, bytes32 household) external;

    /// @notice Names or removes a service recorder (governance).
    function setServiceRecorder(address recorder, bool allowed) external;

    /// @notice Whether the visit of `household` under plan `planId` is past its due date without a visit.
    function isOverdue(uint256 planId, bytes32 household) external view returns (bool);

    /// @notice The visit obligation of `household` under plan `planId`.
    function obligationOf(uint256 planId, bytes32 household) external view returns (Obligation memory);

    /// @notice The visit window of plan `planId`, in days (0: none).
    function visitWindow(uint256 planId) external view returns (uint16);

    /// @notice Whether `account` may note services.
    function isServiceRecorder(address account) external view returns (bool);
}
