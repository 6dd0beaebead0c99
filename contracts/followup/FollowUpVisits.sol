// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

import {Governed} from "../access/Governed.sol";
import {Roles} from "../access/Roles.sol";
import {IFollowUpVisits} from "../interfaces/IFollowUpVisits.sol";
import {IHouseholdRegistry} from "../interfaces/IHouseholdRegistry.sol";
import {IPaymentBatches} from "../interfaces/IPaymentBatches.sol";
import {IPlanRegistry} from "../interfaces/IPlanRegistry.sol";
import {IRoleRegistry} from "../interfaces/IRoleRegistry.sol";
import {PaymentEntryLeaf} from "../funds/PaymentEntryLeaf.sol";

/// @title FollowUpVisits
/// @notice Follow-up visits and their obligations; see {IFollowUpVisits}.
/// @dev Gas: a visit is an event; storage is written only when the visit fulfils an open obligation (a slot that
/// exists already). The household's village comes from the household register, the grid worker's grant from the
/// role registry: two calls, no copy of either here.
contract FollowUpVisits is IFollowUpVisits, Governed {
    uint256 private constant DAY = 1 days;
    // A batch's bitmap words hold entries 0..254 each; the top bit is set in every visited word when the duty
    // opens (the payment contract pays), so a visit rewrites a slot instead of creating one.
    uint256 private constant ENTRIES_PER_WORD = 255;
    uint256 private constant WORD_OPEN = uint256(1) << 255;

    IHouseholdRegistry public immutable households;
    IPlanRegistry public immutable plans;

    mapping(uint256 planId => uint16) private _window;
    mapping(uint256 planId => mapping(bytes32 household => Obligation)) private _obligations;
    mapping(address => bool) private _recorders;
    mapping(address recorder => mapping(uint256 batchId => BatchDuty)) private _batchDuties;
    // Per batch, packed arrays of booleans by entry index: visited (see WORD_OPEN), marked overdue.
    mapping(address recorder => mapping(uint256 batchId => mapping(uint256 word => uint256))) private _batchVisited;
    mapping(address recorder => mapping(uint256 batchId => mapping(uint256 word => uint256))) private _batchMarked;

    constructor(IRoleRegistry roleRegistry, IHouseholdRegistry householdRegistry, IPlanRegistry planRegistry)
        Governed(roleRegistry)
    {
        households = householdRegistry;
        plans = planRegistry;
    }

    /// @inheritdoc IFollowUpVisits
    /// @dev Requirements: `household` is registered (any status); the caller is a GRID_WORKER over its village;
    /// `satisfaction` is 1..5; `date` is set and not after today; an evidence document. A visit dated on or after
    /// the service of an open obligation fulfils it, late or not (lateness stays readable: `visitedOn` > `dueBy`).
    function recordVisit(
        bytes32 household,
        uint256 planId,
        uint32 date,
        uint8 satisfaction,
        uint16 findings,
        string calldata evidenceCid
    ) external {
        uint64 region = _checkVisit(household, date, satisfaction, evidenceCid);
        Obligation storage obligation = _obligations[planId][household];
        (uint32 servedAt, uint32 visitedOn) = (obligation.servedAt, obligation.visitedOn);
        bool fulfilled = servedAt != 0 && visitedOn == 0 && date >= servedAt;
        if (fulfilled) obligation.visitedOn = date;
        emit VisitRecorded(household, planId, region, msg.sender, date, satisfaction, findings, evidenceCid, fulfilled);
    }

    /// @inheritdoc IFollowUpVisits
    /// @dev Requirements: as {recordVisit}; the batch has a duty; the entry is proven in it and not visited yet;
    /// the visit is dated on or after the batch was served. Emits a {VisitRecorded} event (fulfilled).
    function recordPaymentVisit(
        address payments,
        uint256 batchId,
        IPaymentBatches.Entry calldata entry,
        bytes32[] calldata proof,
        uint32 date,
        uint8 satisfaction,
        uint16 findings,
        string calldata evidenceCid
    ) external {
        uint64 region = _checkVisit(entry.household, date, satisfaction, evidenceCid);
        uint32 planId = _fulfilPaymentDuty(payments, batchId, entry, proof, date);
        emit VisitRecorded(entry.household, planId, region, msg.sender, date, satisfaction, findings, evidenceCid, true);
    }

    /// @inheritdoc IFollowUpVisits
    /// @dev Requirements: the batch has a duty; the entry is proven in it and was paid (settled in the payment
    /// contract); the due date has passed; no visit is recorded for it and it was not marked yet. Emits a
    /// {VisitOverdue} event.
    function markPaymentOverdue(
        address payments,
        uint256 batchId,
        IPaymentBatches.Entry calldata entry,
        bytes32[] calldata proof
    ) external {
        BatchDuty storage duty = _provenDutyEntry(payments, batchId, entry, proof);
        uint256 index = entry.index;
        // Only whether the entry was paid matters; a bank entry's later resolution does not undo the visit owed.
        // slither-disable-next-line unused-return
        (bool settled,) = IPaymentBatches(payments).entryState(batchId, index);
        if (!settled) revert VisitNotInBatchDuty(batchId, index, false);
        (bool visited, bool marked) = paymentVisitState(payments, batchId, index);
        uint32 dueBy = duty.dueBy;
        // slither-disable-next-line timestamp
        if (visited || marked || block.timestamp <= dueBy) revert VisitBatchEntryNotOverdue(batchId, index, dueBy);
        _batchMarked[payments][batchId][index / ENTRIES_PER_WORD] |= uint256(1) << (index % ENTRIES_PER_WORD);
        emit VisitOverdue(duty.planId, entry.household, dueBy, msg.sender);
    }

    /// @inheritdoc IFollowUpVisits
    /// @dev Requirements: the caller is a service recorder. Nothing happens without a window or when the batch's
    /// duty is open already (a batch settled in several calls keeps its first date). Writes the duty and opens
    /// the visited words of its `count` entries. Emits a {BatchVisitsRequired} event.
    function noteBatchService(uint256 planId, uint256 batchId, bytes32 root, uint32 count) external {
        if (!_recorders[msg.sender]) revert VisitNotRecorder(msg.sender);
        uint16 windowDays = _window[planId];
        if (windowDays == 0 || _batchDuties[msg.sender][batchId].servedAt != 0) return;
        uint32 dueBy = uint32(block.timestamp + windowDays * DAY);
        // Cannot truncate: plan ids come from a uint32 counter.
        _batchDuties[msg.sender][batchId] = BatchDuty(root, uint32(planId), uint32(block.timestamp), dueBy);
        mapping(uint256 => uint256) storage visited = _batchVisited[msg.sender][batchId];
        uint256 words = (uint256(count) + ENTRIES_PER_WORD - 1) / ENTRIES_PER_WORD;
        for (uint256 i = 0; i < words; ++i) {
            visited[i] = WORD_OPEN;
        }
        emit BatchVisitsRequired(msg.sender, batchId, planId, root, count, dueBy);
    }

    /// @inheritdoc IFollowUpVisits
    /// @dev Requirements: the plan exists; the caller holds DEPARTMENT over its region and is its owner.
    /// Obligations already open keep their due date.
    function setVisitWindow(uint256 planId, uint16 windowDays) external {
        IPlanRegistry.Plan memory plan = plans.planOf(planId);
        if (plan.region == 0) revert VisitUnknownPlan(planId);
        (uint32 official, bool authorized) = roles.officialIn(Roles.DEPARTMENT, msg.sender, plan.region);
        if (!authorized || official != plan.owner) revert VisitNotPlanOwner(planId, msg.sender);
        _window[planId] = windowDays;
        emit VisitWindowSet(planId, windowDays, msg.sender);
    }

    /// @inheritdoc IFollowUpVisits
    /// @dev Requirements: the caller is a service recorder. Nothing happens without a window, or while an
    /// obligation is open (its earlier due date stands: a visit answers for every service since).
    function noteService(uint256 planId, bytes32 household) external {
        if (!_recorders[msg.sender]) revert VisitNotRecorder(msg.sender);
        uint16 windowDays = _window[planId];
        if (windowDays == 0) return;
        Obligation storage obligation = _obligations[planId][household];
        if (obligation.servedAt != 0 && obligation.visitedOn == 0) return;
        uint32 dueBy = uint32(block.timestamp + windowDays * DAY);
        _obligations[planId][household] = Obligation(uint32(block.timestamp), dueBy, 0, false, obligation.prepared);
        emit VisitRequired(planId, household, msg.sender, dueBy);
    }

    /// @inheritdoc IFollowUpVisits
    /// @dev Requirements: the caller is a service recorder. Changes no obligation: it only marks each record
    /// prepared, which makes its slot non-zero (22,100 gas paid here once instead of by the first service).
    function prepareDuties(uint256 planId, bytes32[] calldata households) external {
        if (!_recorders[msg.sender]) revert VisitNotRecorder(msg.sender);
        mapping(bytes32 household => Obligation) storage obligations = _obligations[planId];
        for (uint256 i = 0; i < households.length; ++i) {
            obligations[households[i]].prepared = true;
        }
    }

    /// @inheritdoc IFollowUpVisits
    /// @dev Requirements: an obligation open and past its due date, not marked yet.
    function markOverdue(uint256 planId, bytes32 household) external {
        Obligation storage obligation = _obligations[planId][household];
        if (!_isOverdue(obligation) || obligation.markedOverdue) {
            revert VisitNotOverdue(planId, household, obligation.dueBy);
        }
        obligation.markedOverdue = true;
        emit VisitOverdue(planId, household, obligation.dueBy, msg.sender);
    }

    /// @inheritdoc IFollowUpVisits
    function setServiceRecorder(address recorder, bool allowed) external onlyGovernance {
        _recorders[recorder] = allowed;
        emit ServiceRecorderSet(recorder, allowed);
    }

    /// @inheritdoc IFollowUpVisits
    function isOverdue(uint256 planId, bytes32 household) external view returns (bool) {
        return _isOverdue(_obligations[planId][household]);
    }

    /// @inheritdoc IFollowUpVisits
    function obligationOf(uint256 planId, bytes32 household) external view returns (Obligation memory) {
        return _obligations[planId][household];
    }

    /// @inheritdoc IFollowUpVisits
    function visitWindow(uint256 planId) external view returns (uint16) {
        return _window[planId];
    }

    /// @inheritdoc IFollowUpVisits
    function isServiceRecorder(address account) external view returns (bool) {
        return _recorders[account];
    }

    /// @inheritdoc IFollowUpVisits
    function batchDutyOf(address recorder, uint256 batchId) external view returns (BatchDuty memory) {
        return _batchDuties[recorder][batchId];
    }

    /// @inheritdoc IFollowUpVisits
    function paymentVisitState(address recorder, uint256 batchId, uint256 index)
        public
        view
        returns (bool visited, bool markedOverdue)
    {
        uint256 bit = uint256(1) << (index % ENTRIES_PER_WORD);
        uint256 word = index / ENTRIES_PER_WORD;
        return (_batchVisited[recorder][batchId][word] & bit != 0, _batchMarked[recorder][batchId][word] & bit != 0);
    }

    /// @dev The region of registered `household` after the checks every visit passes: the caller a GRID_WORKER
    /// over its village, a score of 1..5, a date set and not after today, an evidence document.
    function _checkVisit(bytes32 household, uint32 date, uint8 satisfaction, string calldata evidenceCid)
        private
        view
        returns (uint64 region)
    {
        region = households.household(household).region;
        if (region == 0) revert VisitUnknownHousehold(household);
        if (!roles.hasRoleIn(Roles.GRID_WORKER, msg.sender, region)) revert VisitUnauthorized(msg.sender, region);
        if (satisfaction == 0 || satisfaction > 5) revert VisitInvalidScore(satisfaction);
        if (date == 0 || date > block.timestamp) revert VisitInvalidDate(date);
        if (bytes(evidenceCid).length == 0) revert VisitEvidenceRequired();
    }

    /// @dev Sets the visited bit of `entry` in batch `batchId`'s duty (proven, dated on or after the batch was
    /// served, not visited yet); returns the duty's plan.
    function _fulfilPaymentDuty(
        address payments,
        uint256 batchId,
        IPaymentBatches.Entry calldata entry,
        bytes32[] calldata proof,
        uint32 date
    ) private returns (uint32 planId) {
        BatchDuty storage duty = _provenDutyEntry(payments, batchId, entry, proof);
        if (date < duty.servedAt) revert VisitInvalidDate(date);
        mapping(uint256 => uint256) storage visited = _batchVisited[payments][batchId];
        uint256 index = entry.index;
        uint256 word = visited[index / ENTRIES_PER_WORD];
        uint256 bit = uint256(1) << (index % ENTRIES_PER_WORD);
        if (word & bit != 0) revert VisitNotInBatchDuty(batchId, index, true);
        visited[index / ENTRIES_PER_WORD] = word | bit;
        return duty.planId;
    }

    /// @dev The duty of batch `batchId` of `payments`, after checking `entry` is a leaf of its entry tree (the
    /// payment contracts' leaf encoding, {PaymentEntryLeaf}).
    function _provenDutyEntry(
        address payments,
        uint256 batchId,
        IPaymentBatches.Entry calldata entry,
        bytes32[] calldata proof
    ) private view returns (BatchDuty storage duty) {
        duty = _batchDuties[payments][batchId];
        bytes32 root = duty.root;
        if (
            root == 0
                || !MerkleProof.verifyCalldata(
                    proof,
                    root,
                    PaymentEntryLeaf.hash(entry.index, entry.household, entry.amount, uint8(entry.method))
                )
        ) revert VisitNotInBatchDuty(batchId, entry.index, false);
    }

    function _isOverdue(Obligation storage obligation) private view returns (bool) {
        uint32 dueBy = obligation.dueBy;
        return dueBy != 0 && obligation.visitedOn == 0 && block.timestamp > dueBy;
    }
}
