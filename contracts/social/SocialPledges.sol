// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Governed} from "../access/Governed.sol";
import {Roles} from "../access/Roles.sol";
import {IPlanRegistry} from "../interfaces/IPlanRegistry.sol";
import {IRoleRegistry} from "../interfaces/IRoleRegistry.sol";
import {ISocialPledges} from "../interfaces/ISocialPledges.sol";

/// @title SocialPledges
/// @notice Pledges of enterprises and social organisations to plans; see {ISocialPledges}.
contract SocialPledges is ISocialPledges, Governed {
    IPlanRegistry public immutable plans;

    uint32 private _pledgeCount;
    mapping(uint256 pledgeId => Pledge) private _pledges;
    mapping(uint256 planId => uint256[]) private _byPlan;

    constructor(IRoleRegistry roleRegistry, IPlanRegistry planRegistry) Governed(roleRegistry) {
        plans = planRegistry;
    }

    /// @inheritdoc ISocialPledges
    /// @dev Requirements: the plan approved or executing; the caller ENTERPRISE over its region; a non-zero
    /// amount, a due date in the future and a terms document.
    function pledge(uint256 planId, PledgeKind kind, uint128 amount, uint32 dueDate, string calldata termsCid)
        external
        returns (uint256 pledgeId)
    {
        IPlanRegistry.Plan memory plan = plans.planOf(planId);
        if (plan.status != IPlanRegistry.PlanStatus.Approved && plan.status != IPlanRegistry.PlanStatus.Executing) {
            revert PledgeInvalidPlan(planId);
        }
        _checkRole(Roles.ENTERPRISE, plan.region);
        if (amount == 0 || dueDate <= block.timestamp || bytes(termsCid).length == 0) revert PledgeInvalidTerms();
        pledgeId = ++_pledgeCount;
        _pledges[pledgeId] = Pledge(uint32(planId), msg.sender, kind, dueDate, false, amount, 0);
        _byPlan[planId].push(pledgeId);
        emit Pledged(pledgeId, planId, msg.sender, kind, amount, dueDate, termsCid);
    }

    /// @inheritdoc ISocialPledges
    /// @dev Requirements: the pledge exists; the caller DEPARTMENT over its plan's region; a non-zero amount
    /// within what is outstanding; an evidence document. Late fulfilment counts (the due date stays readable).
    function confirmFulfilment(uint256 pledgeId, uint128 amount, string calldata evidenceCid) external {
        Pledge storage pledged = _pledges[pledgeId];
        uint256 planId = pledged.planId;
        if (planId == 0) revert PledgeUnknown(pledgeId);
        _checkRole(Roles.DEPARTMENT, plans.planOf(planId).region);
        if (amount == 0 || bytes(evidenceCid).length == 0) revert PledgeEvidenceRequired();
        uint128 outstanding = pledged.amount - pledged.fulfilled;
        if (amount > outstanding) revert PledgeOverFulfilled(pledgeId, amount, outstanding);
        uint128 fulfilled = pledged.fulfilled + amount;
        pledged.fulfilled = fulfilled;
        emit PledgeFulfilled(pledgeId, planId, amount, fulfilled, evidenceCid, msg.sender);
    }

    /// @inheritdoc ISocialPledges
    function markOverdue(uint256 pledgeId) external {
        Pledge storage pledged = _pledges[pledgeId];
        if (pledged.planId == 0) revert PledgeUnknown(pledgeId);
        if (!_isOverdue(pledged) || pledged.markedOverdue) revert PledgeNotOverdue(pledgeId, pledged.dueDate);
        pledged.markedOverdue = true;
        emit PledgeOverdue(pledgeId, pledged.planId, pledged.dueDate, pledged.amount - pledged.fulfilled);
    }

    /// @inheritdoc ISocialPledges
    function pledgeOf(uint256 pledgeId) external view returns (Pledge memory) {
        return _pledges[pledgeId];
    }

    /// @inheritdoc ISocialPledges
    function isOverdue(uint256 pledgeId) external view returns (bool) {
        return _isOverdue(_pledges[pledgeId]);
    }

    /// @inheritdoc ISocialPledges
    function pledgesOf(uint256 planId) external view returns (uint256[] memory) {
        return _byPlan[planId];
    }

    /// @inheritdoc ISocialPledges
    function pledgeCount() external view returns (uint256) {
        return _pledgeCount;
    }

    function _isOverdue(Pledge storage pledged) private view returns (bool) {
        uint32 dueDate = pledged.dueDate;
        return dueDate != 0 && block.timestamp > dueDate && pledged.fulfilled < pledged.amount;
    }

    function _checkRole(bytes32 role, uint64 region) private view {
        if (!roles.hasRoleIn(role, msg.sender, region)) revert PledgeUnauthorized(msg.sender, role, region);
    }
}
