// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IGoverned} from "../interfaces/IGoverned.sol";
import {IRoleRegistry} from "../interfaces/IRoleRegistry.sol";
import {Roles} from "./Roles.sol";

/// @title Governed
/// @notice Base of the platform's contracts: one role registry answers both "who may act where" and "who
/// governs" (its DEFAULT_ADMIN_ROLE holders), so handing the registry to a multisig hands over everything.
abstract contract Governed is IGoverned {
    /// @inheritdoc IGoverned
    IRoleRegistry public immutable roles;

    constructor(IRoleRegistry roleRegistry) {
        roles = roleRegistry;
    }

    modifier onlyGovernance() {
        if (!IAccessControl(address(roles)).hasRole(Roles.DEFAULT_ADMIN, msg.sender)) {
            revert GovernanceUnauthorized(msg.sender);
        }
        _;
    }
}
