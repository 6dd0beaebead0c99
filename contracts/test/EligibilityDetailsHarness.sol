// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EligibilityDetails} from "../eligibility/EligibilityLeaf.sol";

/// @notice Test-only: exposes EligibilityDetails so the tests can check it against govchain/eligibility.py.
contract EligibilityDetailsHarness {
    function reasonBitHolds(
        bytes32 details,
        uint8 index,
        bool isSet,
        bytes32 salt,
        bytes32[5] calldata path,
        bytes32 scoreCommitment
    ) external pure returns (bool) {
        return EligibilityDetails.reasonBitHolds(details, index, isSet, salt, path, scoreCommitment);
    }
}
