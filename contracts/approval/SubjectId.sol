// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title SubjectId
/// @notice A subject id of the approval hub: `client (160 bits) << 96 | key (56 bits) << 40 | region (40 bits)`.
/// The id names the client that owns it, so the hub calls back only that client and a client can never act on
/// another's subject; the key is the client's own (it can recompute the id from its records); the region rides
/// in the id, so a role check needs no read. A 12-digit region code is below 2^40.
library SubjectId {
    uint256 internal constant REGION_BITS = 40;
    uint256 internal constant KEY_BITS = 56;
    uint256 internal constant CLIENT_SHIFT = REGION_BITS + KEY_BITS;

    /// @dev The id of `client`'s subject `key` in `region` (which must fit in 40 bits).
    function compose(address client, uint56 key, uint64 region) internal pure returns (uint256) {
        return (uint256(uint160(client)) << CLIENT_SHIFT) | (uint256(key) << REGION_BITS) | region;
    }

    /// @dev The client a subject id names.
    function client(uint256 subject) internal pure returns (address) {
        return address(uint160(subject >> CLIENT_SHIFT));
    }

    /// @dev The region a subject id carries.
    function region(uint256 subject) internal pure returns (uint64) {
        return uint64(subject & ((1 << REGION_BITS) - 1));
    }
}
