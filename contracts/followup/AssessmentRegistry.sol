// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Governed} from "../access/Governed.sol";
import {Roles} from "../access/Roles.sol";
import {IAssessmentRegistry} from "../interfaces/IAssessmentRegistry.sol";
import {IRoleRegistry} from "../interfaces/IRoleRegistry.sol";
import {KOfNAgreement} from "../utils/KOfNAgreement.sol";
import {RegionCode} from "../utils/RegionCode.sol";

/// @title AssessmentRegistry
/// @notice Assessment results committed by k of n ASSESSORs; see {IAssessmentRegistry}. The agreement is
/// {KOfNAgreement}, the one the eligibility batches use.
contract AssessmentRegistry is IAssessmentRegistry, KOfNAgreement, Governed {
    /// @dev As for eligibility batches: a committee larger than seven is not an assessment team.
    uint8 private constant MAX_QUORUM = 7;

    /// @inheritdoc IAssessmentRegistry
    uint8 public quorum;

    mapping(bytes32 id => Assessment) private _assessments;

    constructor(IRoleRegistry roleRegistry, uint8 initialQuorum) Governed(roleRegistry) {
        _setQuorum(initialQuorum);
    }

    /// @inheritdoc IAssessmentRegistry
    /// @dev Requirements: `scope` valid and the caller ASSESSOR over it; the period ends after it starts and not
    /// after now; a non-zero root and row count and both documents; the caller has not committed for it yet.
    /// Emits {AssessmentCommitted}, {AssessmentConflict} when it differs from the reference, and
    /// {AssessmentFinalized} when this commit reaches the quorum.
    function commitAssessment(
        uint64 scope,
        uint32 periodStart,
        uint32 periodEnd,
        bytes32 root,
        uint32 rowCount,
        string calldata methodCid,
        string calldata resultsCid
    ) external returns (bytes32 id) {
        if (!RegionCode.isValid(scope)) revert AssessmentInvalidScope(scope);
        if (!roles.hasRoleIn(Roles.ASSESSOR, msg.sender, scope)) revert AssessmentUnauthorized(msg.sender, scope);
        if (periodEnd <= periodStart || periodEnd > block.timestamp) {
            revert AssessmentInvalidPeriod(periodStart, periodEnd);
        }
        id = assessmentId(scope, periodStart, periodEnd);
        if (root == bytes32(0) || rowCount == 0 || bytes(methodCid).length == 0 || bytes(resultsCid).length == 0) {
            revert AssessmentEmpty(id);
        }
        if (_commitmentOf[id][msg.sender] != bytes32(0)) revert AssessmentAlreadyCommitted(id, msg.sender);

        // The tuple in memory: the full argument list and the agreement's locals do not fit on the stack.
        Assessment memory tuple = Assessment(root, scope, periodStart, periodEnd, rowCount, 0, 0);
        bytes32 commitment = commitmentHash(tuple, methodCid, resultsCid);
        (uint256 votesNow, bytes32 expected) = _commit(id, msg.sender, commitment);
        emit AssessmentCommitted(id, msg.sender, commitment, tuple, methodCid, resultsCid, votesNow);
        _count(id, tuple, commitment, votesNow, expected);
    }

    /// @dev Raises a conflict with the reference `expected`, and finalizes the record with `tuple` when `votesNow`
    /// reaches the quorum.
    function _count(bytes32 id, Assessment memory tuple, bytes32 commitment, uint256 votesNow, bytes32 expected)
        private
    {
        Assessment storage record = _assessments[id];
        if (expected != bytes32(0) && expected != commitment) {
            ++record.conflicts;
            emit AssessmentConflict(id, msg.sender, commitment, expected);
        }
        if (votesNow >= quorum && record.finalizedAt == 0) {
            (record.root, record.scope, record.periodStart, record.periodEnd, record.rowCount) =
                (tuple.root, tuple.scope, tuple.periodStart, tuple.periodEnd, tuple.rowCount);
            record.finalizedAt = uint40(block.timestamp);
            if (expected != commitment) _reference[id] = commitment;
            emit AssessmentFinalized(id, tuple.scope, tuple.periodStart, tuple.periodEnd, tuple.root);
        }
    }

    /// @inheritdoc IAssessmentRegistry
    function setQuorum(uint8 newQuorum) external onlyGovernance {
        _setQuorum(newQuorum);
    }

    /// @inheritdoc IAssessmentRegistry
    function assessmentId(uint64 scope, uint32 periodStart, uint32 periodEnd) public pure returns (bytes32) {
        return keccak256(abi.encode(scope, periodStart, periodEnd));
    }

    /// @inheritdoc IAssessmentRegistry
    function assessmentOf(bytes32 id) external view returns (Assessment memory) {
        return _assessments[id];
    }

    /// @inheritdoc IAssessmentRegistry
    function commitmentHash(Assessment memory tuple, string calldata methodCid, string calldata resultsCid)
        public
        pure
        returns (bytes32)
    {
        return keccak256(
            abi.encode(
                tuple.scope,
                tuple.periodStart,
                tuple.periodEnd,
                tuple.root,
                tuple.rowCount,
                keccak256(bytes(methodCid)),
                keccak256(bytes(resultsCid))
            )
        );
    }

    /// @inheritdoc IAssessmentRegistry
    function commitmentOf(bytes32 id, address assessor) external view returns (bytes32) {
        return _commitmentOf[id][assessor];
    }

    function _setQuorum(uint8 newQuorum) private {
        if (newQuorum == 0 || newQuorum > MAX_QUORUM) revert AssessmentInvalidQuorum(newQuorum);
        emit AssessmentQuorumChanged(quorum, newQuorum);
        quorum = newQuorum;
    }
}
