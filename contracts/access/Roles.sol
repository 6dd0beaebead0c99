// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title Roles
/// @notice The platform's role ids, one home for every contract (ARCHITECTURE.md §2). Each id is
/// `keccak256("<NAME>")`; govchain/roles.py holds the same names and tests/govchain/test_roles.py checks the two
/// agree. PUBLIC and DONOR need no role: anyone may read and donate.
library Roles {
    /// @dev AccessControl's administrator role: governance (a multisig or a timelock).
    bytes32 internal constant DEFAULT_ADMIN = 0x00;

    bytes32 internal constant INTAKE_CLERK = keccak256("INTAKE_CLERK");
    bytes32 internal constant HANDLER = keccak256("HANDLER");
    bytes32 internal constant REVIEWER = keccak256("REVIEWER");
    bytes32 internal constant DISPATCHER = keccak256("DISPATCHER");
    bytes32 internal constant GRID_WORKER = keccak256("GRID_WORKER");
    bytes32 internal constant LEADER = keccak256("LEADER");
    bytes32 internal constant DEPARTMENT = keccak256("DEPARTMENT");
    bytes32 internal constant SUPERVISOR = keccak256("SUPERVISOR");
    bytes32 internal constant ASSESSOR = keccak256("ASSESSOR");
    bytes32 internal constant ANALYST = keccak256("ANALYST");
    bytes32 internal constant TREASURY = keccak256("TREASURY");
    bytes32 internal constant ORACLE = keccak256("ORACLE");
    bytes32 internal constant BANK = keccak256("BANK");
    bytes32 internal constant SUPPLIER = keccak256("SUPPLIER");
    bytes32 internal constant ENTERPRISE = keccak256("ENTERPRISE");

    /// @dev Every regional role (granted per region by the role registry), in govchain/roles.py's order.
    function regional() internal pure returns (bytes32[15] memory) {
        return [
            INTAKE_CLERK, HANDLER, REVIEWER, DISPATCHER, GRID_WORKER, LEADER, DEPARTMENT, SUPERVISOR, ASSESSOR,
            ANALYST, TREASURY, ORACLE, BANK, SUPPLIER, ENTERPRISE
        ];
    }
}
