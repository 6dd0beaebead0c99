// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IDisclosure
/// @notice Data disclosure (数据披露) published by officials: major events (重大事件披露) and reports (plan
/// disclosure, fund use, material use, project effectiveness, ...), each with a category, the region it concerns
/// and its document on IPFS. A LEADER or an ANALYST over the region publishes; a correction is a new disclosure
/// naming the one it corrects. Everything else the public pages show comes from the events of the contracts
/// themselves (plans, supervision, the approval hub).
interface IDisclosure {
    /// @notice What is disclosed.
    enum DisclosureKind {
        MajorEvent,
        Report
    }

    /// @notice A disclosure as stored: kind, category, region, the publishing official and when.
    struct Disclosure {
        DisclosureKind kind;
        uint16 category;
        uint64 region;
        uint32 publisher;
        uint32 publishedAt;
        uint64 corrects;
    }

    /// @notice `publisher` published disclosure `id` of `kind` and `category` about `region`, document
    /// `cid`; `corrects` is the disclosure it corrects (0: none).
    event Disclosed(
        uint256 indexed id,
        DisclosureKind indexed kind,
        uint64 indexed region,
        uint16 category,
        address publisher,
        uint256 corrects,
        string cid
    );

    /// @notice `account` is neither a LEADER nor an ANALYST over `region`.
    error DisclosureUnauthorized(address account, uint64 region);

    /// @notice `region` is not a valid region code.
    error DisclosureInvalidRegion(uint64 region);

    /// @notice A disclosure needs its document.
    error DisclosureDocumentRequired();

    /// @notice Disclosure `corrects` does not exist, or is about a region `region` does not cover.
    error DisclosureInvalidCorrection(uint256 corrects, uint64 region);

    /// @notice Publishes a disclosure of `kind` and `category` about `region`, document `cid`, correcting
    /// disclosure `corrects` (0: none); returns its id.
    function publish(DisclosureKind kind, uint16 category, uint64 region, string calldata cid, uint256 corrects)
        external
        returns (uint256 id);

    /// @notice Disclosure `id`.
    function disclosureOf(uint256 id) external view returns (Disclosure memory);

    /// @notice The number of disclosures published.
    function disclosureCount() external view returns (uint256);
}
