// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice One household's result in one eligibility batch. The single definition shared with the oracle is
/// govchain/eligibility.py (`LEAF_TYPES`, `leaf_hash`, `Decision`); both sides must change together.
/// @param householdId pseudonymous id (keyed hash of the ID number), never the ID itself
/// @param region the household's 12-digit village code
/// @param decision one of {EligibilityDecision}: 0 none, 1 admit, 2 exit, 3 monitor
/// @param details salted commitment to the reason bitmask and the score, which stay off the public leaf; one
/// reason bit can be opened alone (see govchain/eligibility.py and oracle/README.md)
struct EligibilityLeaf {
    bytes32 householdId;
    uint64 region;
    uint8 decision;
    bytes32 details;
}

/// @notice The decision a leaf carries, numbered as in govchain/eligibility.py `Decision`.
library EligibilityDecision {
    uint8 internal constant NONE = 0;
    uint8 internal constant ADMIT = 1;
    uint8 internal constant EXIT = 2;
    uint8 internal constant MONITOR = 3;
}

/// @notice The leaf hash of OpenZeppelin's StandardMerkleTree, as govchain/eligibility.py `leaf_hash`:
/// `keccak256(bytes.concat(keccak256(abi.encode(householdId, region, decision, details))))`.
/// Inner nodes hash sorted pairs (OpenZeppelin MerkleProof), so proofs carry no left/right flags.
library EligibilityLeafHash {
    function hash(EligibilityLeaf calldata leaf) internal pure returns (bytes32) {
        return keccak256(
            bytes.concat(keccak256(abi.encode(leaf.householdId, leaf.region, leaf.decision, leaf.details)))
        );
    }
}

/// @notice One reason bit of a leaf's `details`, checked without seeing the other bits or the score, as
/// govchain/eligibility.py `verify_reason_bit`. The household (or its office) shows the bit, its salt, the five
/// siblings on the bit's path in the reasons tree and the score's commitment: salted hashes that say nothing
/// about the rest. A plan restricted to a root cause (e.g. CAUSE_ILLNESS, bit 16) proves the leaf under the
/// batch root first, then calls `reasonBitHolds(leaf.details, 16, true, ...)`.
library EligibilityDetails {
    uint8 internal constant REASON_BITS = 32;

    /// @dev Bit leaf `keccak256(abi.encode(salt, index, isSet))`; the reasons tree pairs nodes by position
    /// (`keccak256(left ‖ right)`, bit 0 leftmost); `details = keccak256(reasonsRoot ‖ scoreCommitment)`.
    function reasonBitHolds(
        bytes32 details,
        uint8 index,
        bool isSet,
        bytes32 salt,
        bytes32[5] calldata path,
        bytes32 scoreCommitment
    ) internal pure returns (bool) {
        if (index >= REASON_BITS) return false;
        bytes32 node = keccak256(abi.encode(salt, index, isSet));
        uint256 position = index;
        for (uint256 i = 0; i < 5; ++i) {
            node = position & 1 == 0
                ? keccak256(abi.encodePacked(node, path[i]))
                : keccak256(abi.encodePacked(path[i], node));
            position >>= 1;
        }
        return keccak256(abi.encodePacked(node, scoreCommitment)) == details;
    }
}
