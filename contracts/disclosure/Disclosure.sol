// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Governed} from "../access/Governed.sol";
import {Roles} from "../access/Roles.sol";
import {IDisclosure} from "../interfaces/IDisclosure.sol";
import {IRoleRegistry} from "../interfaces/IRoleRegistry.sol";
import {RegionCode} from "../utils/RegionCode.sol";

/// @title Disclosure
/// @notice Major events and reports published by LEADERs and ANALYSTs (see {IDisclosure}).
/// @dev A disclosure is one slot; its document lives on IPFS and in the {Disclosed} event.
contract Disclosure is IDisclosure, Governed {
    uint64 private _count;
    mapping(uint256 id => Disclosure) private _disclosures;

    /// @param roleRegistry LEADER and ANALYST grants
    constructor(IRoleRegistry roleRegistry) Governed(roleRegistry) {}

    /// @inheritdoc IDisclosure
    /// @dev Requirements: `region` is valid; the caller is a LEADER or an ANALYST over it; `cid` is not empty; a
    /// corrected disclosure exists and its region is covered by `region`. Emits a {Disclosed} event.
    function publish(DisclosureKind kind, uint16 category, uint64 region, string calldata cid, uint256 corrects)
        external
        returns (uint256 id)
    {
        if (!RegionCode.isValid(region)) revert DisclosureInvalidRegion(region);
        (uint32 publisher, bool leader) = roles.officialIn(Roles.LEADER, msg.sender, region);
        if (!leader) {
            bool analyst;
            (publisher, analyst) = roles.officialIn(Roles.ANALYST, msg.sender, region);
            if (!analyst) revert DisclosureUnauthorized(msg.sender, region);
        }
        if (bytes(cid).length == 0) revert DisclosureDocumentRequired();
        // Only what the publisher could have published may be corrected by it.
        if (corrects != 0 && (corrects > _count || !RegionCode.covers(region, _disclosures[corrects].region))) {
            revert DisclosureInvalidCorrection(corrects, region);
        }
        id = ++_count;
        _disclosures[id] = Disclosure({
            kind: kind,
            category: category,
            region: region,
            publisher: publisher,
            publishedAt: uint32(block.timestamp),
            corrects: uint64(corrects)
        });
        emit Disclosed(id, kind, region, category, msg.sender, corrects, cid);
    }

    /// @inheritdoc IDisclosure
    function disclosureOf(uint256 id) external view returns (Disclosure memory) {
        return _disclosures[id];
    }

    /// @inheritdoc IDisclosure
    function disclosureCount() external view returns (uint256) {
        return _count;
    }
}
