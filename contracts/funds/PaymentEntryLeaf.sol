// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title PaymentEntryLeaf
/// @notice The one encoding of a payment batch's entry leaf, on chain (PaymentBatches, and FollowUpVisits proving
/// the households a batch paid) as off chain (govchain/funds.py): OpenZeppelin StandardMerkleTree's
/// `keccak256(bytes.concat(keccak256(abi.encode(uint32 index, bytes32 household, uint128 amount, uint8 method))))`.
library PaymentEntryLeaf {
    function hash(uint32 index, bytes32 household, uint128 amount, uint8 method) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(index, household, amount, method))));
    }
}
