// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IApprovalClient
/// @notice A contract that owns subjects on the {IApprovalHub} (households, plans, milestones, payment batches,
/// procurements) and hears the final decision on each of them.
interface IApprovalClient {
    /// @notice The callback came from `caller`, not from the approval hub.
    error ApprovalClientNotHub(address caller);

    /// @notice The hub's final decision on `subject`, one of this client's own: it completed its route
    /// (`approved`) or was rejected. Called by the hub last, after its own state is written and its events
    /// emitted; only the hub may call it.
    function onApprovalDecided(uint256 subject, bool approved) external;

    /// @notice The role the submitter of `subject` (one of this client's) must hold, now, over the subject's region
    /// to resubmit or escalate it; the client checked it when it opened the subject.
    function submitterRole(uint256 subject) external view returns (bytes32);

    /// @notice The hub this client's subjects are decided on.
    function approvalHub() external view returns (address);
}
