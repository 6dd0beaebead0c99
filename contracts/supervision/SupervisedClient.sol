// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ApprovalClient} from "../approval/ApprovalClient.sol";
import {IApprovalHub} from "../interfaces/IApprovalHub.sol";
import {ISupervisedClient, ISupervision} from "../interfaces/ISupervision.sol";

/// @title SupervisedClient
/// @notice Base of every approval hub client whose targets supervision may freeze (plans, milestones, later
/// payment batches and procurements): the one place a client checks freezes ({notFrozen}) and hears
/// consequences. The supervision contract is the one the hub names ({IApprovalHub-supervision}), so governance
/// sets it once for every client.
abstract contract SupervisedClient is ApprovalClient, ISupervisedClient {
    /// @dev Every state change of a target runs through this: a frozen target does not move.
    modifier notFrozen(uint256 target) {
        _checkNotFrozen(target);
        _;
    }

    /// @dev Only the hub's supervision contract applies consequences.
    modifier onlySupervision() {
        if (msg.sender != address(_supervision()) || msg.sender == address(0)) {
            revert SupervisedNotSupervision(msg.sender);
        }
        _;
    }

    /// @inheritdoc ISupervisedClient
    /// @dev Requirements: the caller is the hub's supervision contract.
    function applyConsequence(uint256 target, uint8 consequence) external onlySupervision {
        _applyConsequence(target, consequence);
    }

    /// @dev Reverts with {ISupervision-SupervisionTargetFrozen} if `target` is frozen (no supervision: nothing is).
    function _checkNotFrozen(uint256 target) internal view {
        ISupervision supervision = _supervision();
        if (address(supervision) != address(0) && supervision.isFrozen(target)) {
            revert ISupervision.SupervisionTargetFrozen(target);
        }
    }

    function _supervision() internal view returns (ISupervision) {
        return ISupervision(IApprovalHub(approvalHub).supervision());
    }

    /// @dev Applies an upheld finding's `consequence` to `target`; reverts on one the client does not know.
    function _applyConsequence(uint256 target, uint8 consequence) internal virtual;
}
