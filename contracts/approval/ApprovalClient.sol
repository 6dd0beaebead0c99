// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IApprovalClient} from "../interfaces/IApprovalClient.sol";
import {IApprovalHub} from "../interfaces/IApprovalHub.sol";
import {SubjectId} from "./SubjectId.sol";

/// @title ApprovalClient
/// @notice Base of every contract whose subjects are approved on the {IApprovalHub}: it opens subjects with
/// {_openSubject} and hears the hub's final decision through {_onDecided}. Governance must
/// register the client on the hub (`registerClient`) with the kinds it opens.
abstract contract ApprovalClient is IApprovalClient {
    /// @inheritdoc IApprovalClient
    address public immutable approvalHub;

    constructor(IApprovalHub hub) {
        approvalHub = address(hub);
    }

    /// @dev Only the hub decides: anyone else calling back could fake an approval.
    modifier onlyApprovalHub() {
        if (msg.sender != approvalHub) revert ApprovalClientNotHub(msg.sender);
        _;
    }

    /// @inheritdoc IApprovalClient
    /// @dev Requirements: the caller is the hub (which calls only about this client's own subjects).
    function onApprovalDecided(uint256 subject, bool approved) external onlyApprovalHub {
        _onDecided(subject, approved);
    }

    /// @inheritdoc IApprovalClient
    function submitterRole(uint256 subject) external view returns (bytes32) {
        return _submitterRole(subject);
    }

    /// @dev Opens this client's subject `key` in `region` on the hub (see {IApprovalHub-open}); reverts with the
    /// hub's errors ({IApprovalHub-ApprovalKindNotAllowed}, {IApprovalHub-ApprovalNoRoute},
    /// {IApprovalHub-ApprovalSubjectExists}, ...).
    function _openSubject(
        uint56 key,
        uint64 region,
        uint8 kind,
        uint8 supportType,
        uint256 amount,
        address submitter,
        uint32 submitterOfficial
    ) internal returns (uint256) {
        return IApprovalHub(approvalHub).open(key, region, kind, supportType, amount, submitter, submitterOfficial);
    }

    /// @dev As {_openSubject}, but a subject that exists already is reported rather than reverted on: `opened` is
    /// false and `subject` its id. Saves a client that may move past a closed subject (a rejected filing) asking
    /// the hub first on every opening. Any other refusal of the hub reverts with the hub's error.
    function _tryOpenSubject(
        uint56 key,
        uint64 region,
        uint8 kind,
        uint8 supportType,
        uint256 amount,
        address submitter,
        uint32 submitterOfficial
    ) internal returns (bool opened, uint256 subject) {
        try IApprovalHub(approvalHub).open(key, region, kind, supportType, amount, submitter, submitterOfficial)
        returns (uint256 id) {
            return (true, id);
        } catch (bytes memory reason) {
            if (bytes4(reason) != IApprovalHub.ApprovalSubjectExists.selector) {
                // Pass the hub's own error on unchanged.
                assembly ("memory-safe") {
                    revert(add(reason, 0x20), mload(reason))
                }
            }
            return (false, _subjectId(key, region));
        }
    }

    /// @dev The id of this client's subject `key` in `region`.
    function _subjectId(uint56 key, uint64 region) internal view returns (uint256) {
        return SubjectId.compose(address(this), key, region);
    }

    /// @dev The role the submitter of `subject` holds over its region (the one the client checks when opening it).
    function _submitterRole(uint256 subject) internal view virtual returns (bytes32);

    /// @dev Called once when `subject` passes the last level of its route (`approved`) or is rejected.
    function _onDecided(uint256 subject, bool approved) internal virtual;
}
