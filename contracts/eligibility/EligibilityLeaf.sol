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
        return keccak256(bytes.concat(keccak256(abi.encode(leaf.householdId, leaf.region, leaf.decision, leaf.details))));
    }
}
