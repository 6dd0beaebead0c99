// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {AccessControlEnumerable} from "@openzeppelin/contracts/access/extensions/AccessControlEnumerable.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";

import {IRoleRegistry} from "../interfaces/IRoleRegistry.sol";
import {RegionCode} from "../utils/RegionCode.sol";
import {Roles} from "./Roles.sol";

/// @title RoleRegistry
/// @notice Who may act where. Every other contract of the platform asks this registry whether an account
/// holds a role over a region. Administration (DEFAULT_ADMIN_ROLE) follows OpenZeppelin's
/// AccessControlDefaultAdminRules: one administrator at a time, handed over in two steps (the administrator
/// schedules the transfer, the new one accepts it once the delay has passed) and never to the zero account nor
/// renounced, so the registry can never be left without one. It is meant for a multisig or a timelock: the deploy
/// script schedules the transfer to it, which it then accepts.
/// @dev Regional grants live beside AccessControl's global roles: a regional role can only be granted with a
/// region, so `grantRole` refuses the regional roles. An account's first regional grant gives it an official
/// id (1, 2, ...), so contracts can pack several officials into one storage slot.
contract RoleRegistry is IRoleRegistry, AccessControlDefaultAdminRules, AccessControlEnumerable {
    using EnumerableSet for EnumerableSet.UintSet;
    using EnumerableSet for EnumerableSet.AddressSet;

    bytes32 public constant INTAKE_CLERK = Roles.INTAKE_CLERK;
    bytes32 public constant HANDLER = Roles.HANDLER;
    bytes32 public constant REVIEWER = Roles.REVIEWER;
    bytes32 public constant DISPATCHER = Roles.DISPATCHER;
    bytes32 public constant GRID_WORKER = Roles.GRID_WORKER;
    bytes32 public constant LEADER = Roles.LEADER;
    bytes32 public constant DEPARTMENT = Roles.DEPARTMENT;
    bytes32 public constant SUPERVISOR = Roles.SUPERVISOR;
    bytes32 public constant ASSESSOR = Roles.ASSESSOR;
    bytes32 public constant ANALYST = Roles.ANALYST;
    bytes32 public constant TREASURY = Roles.TREASURY;
    bytes32 public constant ORACLE = Roles.ORACLE;
    bytes32 public constant BANK = Roles.BANK;
    bytes32 public constant SUPPLIER = Roles.SUPPLIER;
    bytes32 public constant ENTERPRISE = Roles.ENTERPRISE;

    /// @notice The longest delay an administrator transfer may be given: a longer one would only stall a
    /// compromised key's replacement.
    uint48 public constant MAX_ADMIN_DELAY = 30 days;

    /// @notice A regional role was given to `grantRole`, which only knows global roles.
    error RoleRegistryRegionRequired(bytes32 role);

    /// @notice An administrator transfer delay of `delay` seconds is above {MAX_ADMIN_DELAY}.
    error RoleRegistryAdminDelayTooLong(uint48 delay, uint48 max);

    mapping(bytes32 role => bool) private _regional;
    uint32 private _officialCount;
    mapping(address account => uint32) private _officialIds;
    mapping(uint32 official => address) private _officialAccounts;
    // role => account => region => the account's official id while the grant over exactly that region stands
    // (0 otherwise). The role check reads this: one slot says both "granted" and "who", so a contract that
    // records approvers by id gets the id without another read. The sets below only list grants.
    mapping(bytes32 role => mapping(address account => mapping(uint64 region => uint32))) private _grants;
    // role => account => regions granted directly
    mapping(bytes32 role => mapping(address account => EnumerableSet.UintSet)) private _regionsOf;
    // role => region => accounts granted directly over exactly that region
    mapping(bytes32 role => mapping(uint64 region => EnumerableSet.AddressSet)) private _holders;

    /// @param admin the first administrator (the deployer, who wires the platform and then hands over)
    /// @param adminDelay seconds between scheduling an administrator transfer and its acceptance, at most
    /// {MAX_ADMIN_DELAY}
    constructor(address admin, uint48 adminDelay) AccessControlDefaultAdminRules(adminDelay, _nonZero(admin)) {
        _requireAdminDelay(adminDelay);
        bytes32[15] memory roles = Roles.regional();
        for (uint256 i = 0; i < roles.length; ++i) {
            _regional[roles[i]] = true;
        }
    }

    /// @inheritdoc IRoleRegistry
    /// @dev Requirements: the caller holds the admin role of `role`; `role` is regional; `region` is valid;
    /// `account` is not zero and does not already hold `role` over exactly `region`.
    /// Emits a {RegionalRoleGranted} event.
    function grantRoleIn(bytes32 role, address account, uint64 region)
        external
        onlyRole(getRoleAdmin(role))
    {
        _requireRegional(role);
        _requireValidRegion(region);
        if (account == address(0)) revert RoleRegistryZeroAccount();
        // One grant per (role, account, region): a duplicate would hide a mistake in the caller's records.
        if (!_regionsOf[role][account].add(region)) revert RoleRegistryGrantExists(role, account, region);
        // Mirrors _regionsOf, whose add just succeeded: this add cannot find the account present.
        // slither-disable-next-line unused-return
        _holders[role][region].add(account);
        uint32 official = _officialIds[account];
        if (official == 0) {
            official = ++_officialCount;
            _officialIds[account] = official;
            _officialAccounts[official] = account;
            emit OfficialEnrolled(account, official);
        }
        _grants[role][account][region] = official;
        emit RegionalRoleGranted(role, account, region, _msgSender());
    }

    /// @inheritdoc IRoleRegistry
    /// @dev Requirements: the caller holds the admin role of `role`; the grant exists.
    /// Emits a {RegionalRoleRevoked} event.
    function revokeRoleIn(bytes32 role, address account, uint64 region)
        external
        onlyRole(getRoleAdmin(role))
    {
        _removeGrant(role, account, region);
    }

    /// @inheritdoc IRoleRegistry
    /// @dev Requirements: the caller holds the grant. Emits a {RegionalRoleRevoked} event.
    function renounceRoleIn(bytes32 role, uint64 region) external {
        _removeGrant(role, _msgSender(), region);
    }

    /// @inheritdoc IRoleRegistry
    /// @dev Walks from `region` up to its province: at most five lookups. False for an invalid region.
    /// No early exit for an account without grants: every other contract calls this on its hot path, where the
    /// check succeeds, and a count of grants would cost one more cold storage read there.
    function hasRoleIn(bytes32 role, address account, uint64 region) public view returns (bool) {
        return _grantedOfficial(role, account, region) != 0;
    }

    /// @inheritdoc IRoleRegistry
    /// @dev As {hasRoleIn}; the id of an account without the role costs one more read.
    function officialIn(bytes32 role, address account, uint64 region)
        external
        view
        returns (uint32 official, bool authorized)
    {
        official = _grantedOfficial(role, account, region);
        if (official != 0) return (official, true);
        return (_officialIds[account], false);
    }

    /// @inheritdoc IRoleRegistry
    function officialOf(address account) external view returns (uint32) {
        return _officialIds[account];
    }

    /// @inheritdoc IRoleRegistry
    function accountOf(uint32 official) external view returns (address) {
        return _officialAccounts[official];
    }

    /// @inheritdoc IRoleRegistry
    function checkRoleIn(bytes32 role, address account, uint64 region) external view {
        if (!hasRoleIn(role, account, region)) revert RoleRegistryUnauthorized(account, role, region);
    }

    /// @inheritdoc IRoleRegistry
    function regionsOf(bytes32 role, address account) external view returns (uint256[] memory) {
        return _regionsOf[role][account].values();
    }

    /// @inheritdoc IRoleRegistry
    function holdersIn(bytes32 role, uint64 region) external view returns (address[] memory) {
        return _holders[role][region].values();
    }

    /// @inheritdoc IRoleRegistry
    function isRegionalRole(bytes32 role) external view returns (bool) {
        return _regional[role];
    }

    /// @inheritdoc IRoleRegistry
    function isValidRegion(uint64 code) external pure returns (bool) {
        return RegionCode.isValid(code);
    }

    /// @dev Requirements: `account` is not zero; DEFAULT_ADMIN_ROLE moves by {beginDefaultAdminTransfer} only
    /// (AccessControlEnforcedDefaultAdminRules).
    function grantRole(bytes32 role, address account)
        public
        override(AccessControl, AccessControlDefaultAdminRules, IAccessControl)
    {
        // Checked before the administrator rule, so the zero account gets its own error whatever the role.
        if (account == address(0)) revert RoleRegistryZeroAccount();
        super.grantRole(role, account);
    }

    /// @dev The administrator is never revoked: it hands over with {beginDefaultAdminTransfer} instead.
    function revokeRole(bytes32 role, address account)
        public
        override(AccessControl, AccessControlDefaultAdminRules, IAccessControl)
        onlyRole(getRoleAdmin(role))
    {
        if (role == DEFAULT_ADMIN_ROLE && account == defaultAdmin()) revert RoleRegistryLastAdmin(account);
        super.revokeRole(role, account);
    }

    /// @dev The administrator never renounces (OpenZeppelin's rules allow it after a transfer to the zero
    /// account, which {beginDefaultAdminTransfer} refuses here): the registry must always keep one, or no role
    /// could ever be granted again.
    function renounceRole(bytes32 role, address account)
        public
        override(AccessControl, AccessControlDefaultAdminRules, IAccessControl)
    {
        if (role == DEFAULT_ADMIN_ROLE && account == defaultAdmin()) {
            // As AccessControl: an account renounces only its own roles.
            if (account != _msgSender()) revert AccessControlBadConfirmation();
            revert RoleRegistryLastAdmin(account);
        }
        super.renounceRole(role, account);
    }

    /// @inheritdoc AccessControlDefaultAdminRules
    function supportsInterface(bytes4 interfaceId)
        public
        view
        override(AccessControlDefaultAdminRules, AccessControlEnumerable)
        returns (bool)
    {
        return super.supportsInterface(interfaceId);
    }

    /// @dev Regional roles are granted with a region only (see {grantRoleIn}); no role goes to the zero address,
    /// which nobody can use: an administrator "shared" with it could renounce and leave the registry locked.
    function _grantRole(bytes32 role, address account)
        internal
        override(AccessControlDefaultAdminRules, AccessControlEnumerable)
        returns (bool)
    {
        if (_regional[role]) revert RoleRegistryRegionRequired(role);
        if (account == address(0)) revert RoleRegistryZeroAccount();
        return super._grantRole(role, account);
    }

    function _revokeRole(bytes32 role, address account)
        internal
        override(AccessControlDefaultAdminRules, AccessControlEnumerable)
        returns (bool)
    {
        return super._revokeRole(role, account);
    }

    /// @dev Not used by the registry (every role's admin is DEFAULT_ADMIN_ROLE); named to join the two bases.
    function _setRoleAdmin(bytes32 role, bytes32 adminRole)
        internal
        override(AccessControl, AccessControlDefaultAdminRules)
    {
        super._setRoleAdmin(role, adminRole);
    }

    /// @dev The next administrator is never the zero account (the registry would be left without one once the
    /// transfer is accepted: OpenZeppelin's way to renounce, refused here).
    function _beginDefaultAdminTransfer(address newAdmin) internal override {
        if (newAdmin == address(0)) revert RoleRegistryZeroAccount();
        super._beginDefaultAdminTransfer(newAdmin);
    }

    /// @dev Bounded by {MAX_ADMIN_DELAY}.
    function _changeDefaultAdminDelay(uint48 newDelay) internal override {
        _requireAdminDelay(newDelay);
        super._changeDefaultAdminDelay(newDelay);
    }

    function _requireAdminDelay(uint48 delay) private pure {
        if (delay > MAX_ADMIN_DELAY) revert RoleRegistryAdminDelayTooLong(delay, MAX_ADMIN_DELAY);
    }

    /// @dev `account`, refused if zero (used before the base constructor runs, so the error is this registry's).
    function _nonZero(address account) private pure returns (address) {
        if (account == address(0)) revert RoleRegistryZeroAccount();
        return account;
    }

    function _removeGrant(bytes32 role, address account, uint64 region) private {
        if (!_regionsOf[role][account].remove(region)) revert RoleRegistryGrantNotFound(role, account, region);
        // Mirrors _regionsOf, whose remove just succeeded: this remove cannot find the account absent.
        // slither-disable-next-line unused-return
        _holders[role][region].remove(account);
        delete _grants[role][account][region];
        emit RegionalRoleRevoked(role, account, region, _msgSender());
    }

    /// @dev The official id of `account` if it holds `role` over `region` or a region above it, else 0.
    function _grantedOfficial(bytes32 role, address account, uint64 region) private view returns (uint32) {
        if (!RegionCode.isValid(region)) return 0;
        mapping(uint64 => uint32) storage granted = _grants[role][account];
        for (uint64 code = region; code != 0; code = RegionCode.parent(code)) {
            uint32 official = granted[code];
            if (official != 0) return official;
        }
        return 0;
    }

    function _requireRegional(bytes32 role) private view {
        if (!_regional[role]) revert RoleRegistryUnknownRole(role);
    }

    function _requireValidRegion(uint64 region) private pure {
        if (!RegionCode.isValid(region)) revert RoleRegistryInvalidRegion(region);
    }
}
