// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IRoleRegistry} from "./IRoleRegistry.sol";

/// @title IGoverned
/// @notice A contract whose settings are changed by governance: the administrators (DEFAULT_ADMIN_ROLE) of the
/// platform's role registry, meant to be a multisig or a timelock.
interface IGoverned {
    /// @notice `account` is not an administrator of the role registry.
    error GovernanceUnauthorized(address account);

    /// @notice The role registry this contract consults for every regional role and for governance.
    function roles() external view returns (IRoleRegistry);
}
