// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ApprovalEngine} from "../approval/ApprovalEngine.sol";
import {IRoleRegistry} from "../interfaces/IRoleRegistry.sol";

/// @title ApprovalEngineHarness
/// @notice Test-only owner of subjects: opens any subject the caller asks for and records the engine's
/// callbacks, so the engine's routing and decisions can be tested apart from any domain contract.
contract ApprovalEngineHarness is ApprovalEngine {
    /// @notice The engine called back with the final decision on `subject`.
    event Decided(uint256 indexed subject, bool approved);

    constructor(IRoleRegistry roleRegistry) ApprovalEngine(roleRegistry, "GovChain ApprovalEngineHarness", "1") {}

    function open(bytes32 key, uint64 region, uint8 kind, uint8 supportType, uint256 amount)
        external
        returns (uint256)
    {
        return _openSubject(key, region, kind, supportType, amount, msg.sender, roles.officialOf(msg.sender));
    }

    function _onApproved(uint256 subject) internal override {
        emit Decided(subject, true);
    }

    function _onRejected(uint256 subject) internal override {
        emit Decided(subject, false);
    }
}
