// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IRoleRegistry
/// @notice Roles of the rural-revitalization office, each grant scoped to a 12-digit region code. A grant
/// for a code covers every code under it (province → city → county → township → village).
interface IRoleRegistry {
    /// @notice A regional role was granted to `account` over `region` by `sender`.
    event RegionalRoleGranted(bytes32 indexed role, address indexed account, uint64 indexed region, address sender);

    /// @notice A regional role of `account` over `region` was revoked by `sender`.
    event RegionalRoleRevoked(bytes32 indexed role, address indexed account, uint64 indexed region, address sender);

    /// @notice `account` received its first regional role and with it the official id `official`, which it keeps
    /// for good (see {officialOf}).
    event OfficialEnrolled(address indexed account, uint32 indexed official);

    /// @notice `code` is not a valid 12-digit region code.
    error RoleRegistryInvalidRegion(uint64 code);

    /// @notice `role` is not one of the registry's regional roles.
    error RoleRegistryUnknownRole(bytes32 role);

    /// @notice `account` already holds `role` over exactly `region`.
    error RoleRegistryGrantExists(bytes32 role, address account, uint64 region);

    /// @notice `account` holds no grant of `role` over exactly `region`.
    error RoleRegistryGrantNotFound(bytes32 role, address account, uint64 region);

    /// @notice Grants to the zero address are refused: nobody could ever use them.
    error RoleRegistryZeroAccount();

    /// @notice Removing `account` would leave the registry without any administrator.
    error RoleRegistryLastAdmin(address account);

    /// @notice `account` lacks `role` over `region` (used by contracts that consult the registry).
    error RoleRegistryUnauthorized(address account, bytes32 role, uint64 region);

    /// @notice Grants `role` to `account` over `region` and everything under it.
    function grantRoleIn(bytes32 role, address account, uint64 region) external;

    /// @notice Revokes the grant of `role` to `account` over exactly `region`.
    function revokeRoleIn(bytes32 role, address account, uint64 region) external;

    /// @notice Gives up the caller's own grant of `role` over exactly `region`.
    function renounceRoleIn(bytes32 role, uint64 region) external;

    /// @notice Whether `account` holds `role` over `region`, directly or through a region above it.
    function hasRoleIn(bytes32 role, address account, uint64 region) external view returns (bool);

    /// @notice The official id of `account` and whether it holds `role` over `region` (as {hasRoleIn}). The id
    /// is 0 for an account that never held a regional role.
    function officialIn(bytes32 role, address account, uint64 region)
        external
        view
        returns (uint32 official, bool authorized);

    /// @notice The official id of `account`: a number from 1 given with its first regional role, never reused;
    /// 0 if it never held one. Contracts record officials by id where an address would not fit in a slot.
    function officialOf(address account) external view returns (uint32);

    /// @notice The account of official id `official` (the zero address for an id not given yet).
    function accountOf(uint32 official) external view returns (address);

    /// @notice Reverts with {RoleRegistryUnauthorized} unless `account` holds `role` over `region`.
    function checkRoleIn(bytes32 role, address account, uint64 region) external view;

    /// @notice The regions over which `account` was granted `role` directly.
    function regionsOf(bytes32 role, address account) external view returns (uint256[] memory);

    /// @notice The accounts granted `role` directly over exactly `region`.
    function holdersIn(bytes32 role, uint64 region) external view returns (address[] memory);

    /// @notice Whether `role` is one of the registry's regional roles.
    function isRegionalRole(bytes32 role) external view returns (bool);

    /// @notice Whether `code` is a valid 12-digit region code.
    function isValidRegion(uint64 code) external pure returns (bool);
}
