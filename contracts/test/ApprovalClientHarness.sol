// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ApprovalClient} from "../approval/ApprovalClient.sol";
import {IApprovalHub} from "../interfaces/IApprovalHub.sol";
import {IRoleRegistry} from "../interfaces/IRoleRegistry.sol";

/// @title ApprovalClientHarness
/// @notice Test-only client of the approval hub: opens any subject the caller asks for (any kind: the hub
/// decides which it may open) and records the hub's callbacks, so the hub's routing and decisions can be tested
/// apart from any domain contract, and two harnesses side by side.
contract ApprovalClientHarness is ApprovalClient {
    /// @notice The hub called back with the final decision on `subject`.
    event Decided(uint256 indexed subject, bool approved);

    IRoleRegistry private immutable _roles;
    bytes32 private immutable _submitter;

    /// @param submitter the role a submitter must keep to resubmit or escalate
    constructor(IApprovalHub hub, IRoleRegistry roleRegistry, bytes32 submitter) ApprovalClient(hub) {
        _roles = roleRegistry;
        _submitter = submitter;
    }

    function open(uint56 key, uint64 region, uint8 kind, uint8 supportType, uint256 amount)
        external
        returns (uint256)
    {
        return _openSubject(key, region, kind, supportType, amount, msg.sender, _roles.officialOf(msg.sender));
    }

    function subjectIdOf(uint56 key, uint64 region) external view returns (uint256) {
        return _subjectId(key, region);
    }

    function _onDecided(uint256 subject, bool approved) internal override {
        emit Decided(subject, approved);
    }

    function _submitterRole(uint256) internal view override returns (bytes32) {
        return _submitter;
    }
}
