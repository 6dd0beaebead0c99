// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Governed} from "../access/Governed.sol";
import {Roles} from "../access/Roles.sol";
import {SubjectId} from "../approval/SubjectId.sol";
import {IApprovalHub} from "../interfaces/IApprovalHub.sol";
import {IRoleRegistry} from "../interfaces/IRoleRegistry.sol";
import {ISupervisedClient, ISupervision} from "../interfaces/ISupervision.sol";
import {RegionCode} from "../utils/RegionCode.sol";

/// @title Supervision
/// @notice Cases of compliance supervision (see {ISupervision}). Governance makes this contract the hub's
/// supervision (`ApprovalHub.setSupervision`): it alone freezes approval subjects on the hub, and the hub's
/// clients that inherit {SupervisedClient} ask it whether a target is frozen before every change.
/// @dev A target may be frozen by several cases at once: it stays frozen until the last is resolved. The same
/// holds for the hub subjects frozen with targets (a milestone's report is frozen both with its milestone and
/// with its plan), so a count per subject decides when the hub hears of it.
contract Supervision is ISupervision, Governed {
    /// @notice The approval hub whose subjects this contract freezes.
    IApprovalHub public immutable hub;

    uint256 private _caseCount;
    mapping(uint256 caseId => Case) private _cases;
    mapping(uint256 caseId => uint256[] subjects) private _caseSubjects;
    // Open freezing cases per target, and per hub subject frozen with them.
    mapping(uint256 target => uint256 count) private _freezes;
    mapping(uint256 subject => uint256 count) private _subjectFreezes;

    /// @param roleRegistry SUPERVISOR grants and governance
    /// @param approvalHub the hub whose subjects are frozen with their targets
    constructor(IRoleRegistry roleRegistry, IApprovalHub approvalHub) Governed(roleRegistry) {
        hub = approvalHub;
    }

    /// @inheritdoc ISupervision
    /// @dev Requirements: see {_open}. Emits a {CaseOpened} event.
    function flag(uint256 target, uint64 region, string calldata reasonCid) external returns (uint256 caseId) {
        (caseId,) = _open(target, region, reasonCid, false);
    }

    /// @inheritdoc ISupervision
    /// @dev Requirements: see {_open}. Freezes the target and, on the hub, the subjects its contract lists for it
    /// (or the target itself, when it is a hub subject). Emits a {CaseOpened} event, a {TargetFrozen} event when
    /// the target was not frozen yet and an {IApprovalHub-SubjectFrozen} event for each subject newly frozen.
    function freeze(uint256 target, uint64 region, string calldata reasonCid) external returns (uint256 caseId) {
        uint256[] memory subjects;
        (caseId, subjects) = _open(target, region, reasonCid, true);
        if (++_freezes[target] == 1) emit TargetFrozen(target, true);
        _caseSubjects[caseId] = subjects;
        _setSubjectsFrozen(subjects, true);
    }

    /// @inheritdoc ISupervision
    /// @dev Requirements: the case is open; the caller is a SUPERVISOR over `region`, which covers the region the
    /// case was opened over (the same or a higher region); a `consequence` only with an upheld finding; a reason
    /// document. Lifts the case's freeze (the target stays frozen while another case freezes it), then has the
    /// target's contract apply the consequence. Emits a {CaseResolved} event, and {TargetFrozen} and
    /// {IApprovalHub-SubjectFrozen} events for what is no longer frozen.
    function resolve(uint256 caseId, uint64 region, bool upheld, uint8 consequence, string calldata reasonCid)
        external
    {
        Case storage stored = _cases[caseId];
        CaseState state = stored.state;
        if (state != CaseState.Flagged && state != CaseState.Frozen) revert SupervisionCaseNotOpen(caseId, state);
        _checkSupervisor(region, stored.region);
        if (consequence != 0 && !upheld) revert SupervisionConsequenceWithoutFinding(consequence);
        if (bytes(reasonCid).length == 0) revert SupervisionReasonRequired();
        uint256 target = stored.target;
        stored.state = upheld ? CaseState.Upheld : CaseState.Cleared;
        stored.consequence = consequence;
        if (state == CaseState.Frozen) {
            if (--_freezes[target] == 0) emit TargetFrozen(target, false);
            _setSubjectsFrozen(_caseSubjects[caseId], false);
        }
        emit CaseResolved(caseId, target, msg.sender, upheld, consequence, reasonCid);
        // Last: the client is told after this contract's state is written and its events emitted.
        if (consequence != 0) ISupervisedClient(SubjectId.client(target)).applyConsequence(target, consequence);
    }

    /// @inheritdoc ISupervision
    /// @dev Anyone may report. Requirements: `subject` is pending on the hub and its current level's deadline has
    /// passed. Emits an {ApprovalOverdue} event.
    function reportOverdue(uint256 subject) external {
        uint256 deadline = hub.levelDeadline(subject);
        if (deadline == 0 || block.timestamp <= deadline) revert SupervisionNotOverdue(subject, deadline);
        emit ApprovalOverdue(subject, hub.subjectOf(subject).level, SubjectId.region(subject), deadline);
    }

    /// @inheritdoc ISupervision
    function isFrozen(uint256 target) external view returns (bool) {
        return _freezes[target] != 0;
    }

    /// @inheritdoc ISupervision
    function caseOf(uint256 caseId) external view returns (Case memory) {
        return _cases[caseId];
    }

    /// @inheritdoc ISupervision
    function caseSubjects(uint256 caseId) external view returns (uint256[] memory) {
        return _caseSubjects[caseId];
    }

    /// @inheritdoc ISupervision
    function caseCount() external view returns (uint256) {
        return _caseCount;
    }

    /// @dev Requirements: `target` names a client registered on the hub and a valid region; the client knows the
    /// target (a {ISupervisedClient}), or the target is a subject on the hub; the caller is a SUPERVISOR over
    /// `region`, which covers the target's region; a reason document. Returns the case id and the hub subjects
    /// to freeze with the target.
    function _open(uint256 target, uint64 region, string calldata reasonCid, bool freezing)
        private
        returns (uint256 caseId, uint256[] memory subjects)
    {
        address client = SubjectId.client(target);
        uint64 targetRegion = SubjectId.region(target);
        if (hub.clientKinds(client) == 0 || !RegionCode.isValid(targetRegion)) revert SupervisionInvalidTarget(target);
        uint32 supervisor = _checkSupervisor(region, targetRegion);
        if (bytes(reasonCid).length == 0) revert SupervisionReasonRequired();
        subjects = _subjectsOf(client, target);
        caseId = ++_caseCount;
        _cases[caseId] = Case({
            target: target,
            region: region,
            supervisor: supervisor,
            openedAt: uint32(block.timestamp),
            state: freezing ? CaseState.Frozen : CaseState.Flagged,
            froze: freezing,
            consequence: 0
        });
        emit CaseOpened(caseId, target, region, client, msg.sender, freezing, reasonCid);
    }

    /// @dev Counts one more (or one less) freeze of each of `subjects`, then tells the hub of those whose first
    /// freeze began (or last ended): a subject frozen by another case too stays as it is on the hub. Every count
    /// is written before the first call to the hub.
    function _setSubjectsFrozen(uint256[] memory subjects, bool frozen) private {
        bool[] memory changed = new bool[](subjects.length);
        for (uint256 i = 0; i < subjects.length; ++i) {
            uint256 count = frozen ? ++_subjectFreezes[subjects[i]] : --_subjectFreezes[subjects[i]];
            changed[i] = count == (frozen ? 1 : 0);
        }
        for (uint256 i = 0; i < subjects.length; ++i) {
            if (changed[i]) hub.setSubjectFrozen(subjects[i], frozen);
        }
    }

    /// @dev The hub subjects of `target`: those its client lists, or the target itself when the client does not
    /// supervise targets of its own and the target is a hub subject.
    function _subjectsOf(address client, uint256 target) private view returns (uint256[] memory subjects) {
        try ISupervisedClient(client).supervisedSubjects(target) returns (bool known, uint256[] memory listed) {
            if (!known) revert SupervisionInvalidTarget(target);
            return listed;
        } catch {
            // Only the state is needed (slither's unused-return: the other three values are deliberately left).
            // slither-disable-next-line unused-return
            (IApprovalHub.SubjectState state,,,) = hub.subjectStatus(target);
            if (state == IApprovalHub.SubjectState.None) revert SupervisionInvalidTarget(target);
            subjects = new uint256[](1);
            subjects[0] = target;
        }
    }

    /// @dev The caller's official id, after checking it is a SUPERVISOR over valid `region`, which covers
    /// `covered`.
    function _checkSupervisor(uint64 region, uint64 covered) private view returns (uint32 official) {
        if (!RegionCode.isValid(region) || !RegionCode.covers(region, covered)) {
            revert SupervisionRegionNotCovered(region, covered);
        }
        bool authorized;
        (official, authorized) = roles.officialIn(Roles.SUPERVISOR, msg.sender, region);
        if (!authorized) revert SupervisionUnauthorized(msg.sender, region);
    }
}
