// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Governed} from "../access/Governed.sol";
import {Roles} from "../access/Roles.sol";
import {IFollowUpVisits} from "../interfaces/IFollowUpVisits.sol";
import {IHouseholdRegistry} from "../interfaces/IHouseholdRegistry.sol";
import {IPlanRegistry} from "../interfaces/IPlanRegistry.sol";
import {IRoleRegistry} from "../interfaces/IRoleRegistry.sol";

/// @title FollowUpVisits
/// @notice Follow-up visits and their obligations; see {IFollowUpVisits}.
/// @dev Gas: a visit is an event; storage is written only when the visit fulfils an open obligation (a slot that
/// exists already). The household's village comes from the household register, the grid worker's grant from the
/// role registry: two calls, no copy of either here.
contract FollowUpVisits is IFollowUpVisits, Governed {
    uint256 private constant DAY = 1 days;

    IHouseholdRegistry public immutable households;
    IPlanRegistry public immutable plans;

    mapping(uint256 planId => uint16) private _window;
    mapping(uint256 planId => mapping(bytes32 household => Obligation)) private _obligations;
    mapping(address => bool) private _recorders;

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
        uint64 region = households.household(household).region;
        if (region == 0) revert VisitUnknownHousehold(household);
        if (!roles.hasRoleIn(Roles.GRID_WORKER, msg.sender, region)) revert VisitUnauthorized(msg.sender, region);
        if (satisfaction == 0 || satisfaction > 5) revert VisitInvalidScore(satisfaction);
        if (date == 0 || date > block.timestamp) revert VisitInvalidDate(date);
        if (bytes(evidenceCid).length == 0) revert VisitEvidenceRequired();

        Obligation storage obligation = _obligations[planId][household];
        (uint32 servedAt, uint32 visitedOn) = (obligation.servedAt, obligation.visitedOn);
        bool fulfilled = servedAt != 0 && visitedOn == 0 && date >= servedAt;
        if (fulfilled) obligation.visitedOn = date;
        emit VisitRecorded(household, planId, region, msg.sender, date, satisfaction, findings, evidenceCid, fulfilled);
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

    function _isOverdue(Obligation storage obligation) private view returns (bool) {
        uint32 dueBy = obligation.dueBy;
        return dueBy != 0 && obligation.visitedOn == 0 && block.timestamp > dueBy;
    }
}
