// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ApprovalClient} from "../approval/ApprovalClient.sol";
import {SubjectId} from "../approval/SubjectId.sol";
import {IApprovalHub} from "../interfaces/IApprovalHub.sol";
import {ISupervisedClient, ISupervision} from "../interfaces/ISupervision.sol";

/// @title SupervisedClient
/// @notice Base of every approval hub client whose targets supervision may freeze (plans and milestones,
/// appropriations, payment batches, procurements and dispatches): the one place a client checks freezes
/// ({notFrozen}, {_checkNotFrozen}), tells supervision what a target is ({supervisedSubjects}) and hears
/// consequences ({applyConsequence}). The supervision contract is the one the hub names
/// ({IApprovalHub-supervision}), so governance sets it once for every client.
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

    /// @inheritdoc ISupervisedClient
    /// @dev By default a client's targets are its own subjects on the hub (an appropriation, a payment batch):
    /// one that exists is known, and freezing it freezes it on the hub. Clients with targets besides their
    /// subjects (plans, dispatches) override this.
    function supervisedSubjects(uint256 target)
        external
        view
        virtual
        returns (bool known, uint256[] memory subjects)
    {
        // Only the state tells whether the subject exists; the other fields are not needed here.
        // slither-disable-next-line unused-return
        (IApprovalHub.SubjectState state,,,) = IApprovalHub(approvalHub).subjectStatus(target);
        known = state != IApprovalHub.SubjectState.None && SubjectId.client(target) == address(this);
        subjects = new uint256[](known ? 1 : 0);
        if (known) subjects[0] = target;
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

    /// @dev Applies an upheld finding's `consequence` to `target`. By default a client knows no consequence: a
    /// wrong target stays as it is once resolved, and acts such as a recovery of funds cite the finding.
    function _applyConsequence(uint256 target, uint8 consequence) internal virtual {
        revert SupervisedUnknownConsequence(target, consequence);
    }
}
