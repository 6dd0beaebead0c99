// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Governed} from "../access/Governed.sol";
import {Roles} from "../access/Roles.sol";
import {ApprovalClient} from "../approval/ApprovalClient.sol";
import {SubjectId} from "../approval/SubjectId.sol";
import {IApprovalHub} from "../interfaces/IApprovalHub.sol";
import {IPlanRegistry} from "../interfaces/IPlanRegistry.sol";
import {IRoleRegistry} from "../interfaces/IRoleRegistry.sol";
import {ISupervisedClient} from "../interfaces/ISupervision.sol";
import {SupervisedClient} from "../supervision/SupervisedClient.sol";
import {RegionCode} from "../utils/RegionCode.sol";

/// @title PlanRegistry
/// @notice Support plans of the eight types (see {IPlanRegistry}), a client of the {ApprovalHub} for two kinds:
/// Plan (3: a version of a plan's terms) and Milestone (4: a milestone reported done). Governance registers it
/// for both and points the bands of each (kind, support type) at routes by amount (budget; tranche).
/// @dev Ids on the hub and for supervision share one key layout (56 bits): `tag (8) | planId (32) | low (16)`,
/// with tag 1 a version subject (low: the version), 2 a milestone report subject (low: index << 8 | attempt),
/// 3 a plan target, 4 a milestone target (low: index << 8); the plan's region completes the id (see
/// {SubjectId}). So a rejected milestone reported again is a fresh subject, and the hub's callback tells by its
/// subject what was decided.
/// Invariants: a version in force or awaiting approval keeps every reported or approved milestone with its
/// amount (checked when it is drafted, and when a milestone is reported while it awaits approval), so its budget,
/// which its milestones never exceed, covers the committed amount; the hub's callbacks never revert (a decision
/// that no longer applies, on a withdrawn version, changes nothing).
contract PlanRegistry is IPlanRegistry, Governed, SupervisedClient {
    /// @notice Subject kinds on the hub (one namespace for every client; govchain/deploy.py SUBJECT_KINDS).
    uint8 public constant PLAN_KIND = 3;
    uint8 public constant MILESTONE_KIND = 4;
    /// @notice Consequence of an upheld finding on a plan or one of its milestones: the plan is cancelled.
    uint8 public constant CONSEQUENCE_CANCEL = 1;
    uint256 public constant MAX_MILESTONES = 64;
    uint256 public constant MAX_KPIS = 16;

    uint8 private constant TAG_VERSION = 1;
    uint8 private constant TAG_MILESTONE = 2;
    uint8 private constant TAG_PLAN_TARGET = 3;
    uint8 private constant TAG_MILESTONE_TARGET = 4;
    uint8 private constant ALL_STATUSES = 7;

    /// @dev A version as stored: its status and draft time beside the budget in one slot. An approved version
    /// stays stored as Submitted (see {_versionStatus}): the hub's callback then writes only the plan's slot.
    struct StoredVersion {
        VersionStatus status;
        uint32 draftedAt;
        uint64 budget;
        uint8 beneficiaryStatuses;
        bytes32 listRoot;
        string documentCid;
        string listCid;
        Kpi[] kpis;
        Milestone[] milestones;
    }

    uint32 private _planCount;
    mapping(uint256 planId => Plan) private _plans;
    mapping(uint256 planId => mapping(uint16 version => StoredVersion)) private _versions;
    mapping(uint256 planId => mapping(uint8 index => MilestoneProgress)) private _milestones;
    mapping(uint256 planId => uint256[] actuals) private _outcomes;

    /// @param roleRegistry regional roles (DEPARTMENT owners, HANDLERs, the routes' roles) and governance
    /// @param hub the approval hub plans and milestones are approved on (and whose supervision freezes them)
    constructor(IRoleRegistry roleRegistry, IApprovalHub hub) Governed(roleRegistry) ApprovalClient(hub) {}

    // ---------------------------------------------------------------- drafting

    /// @inheritdoc IPlanRegistry
    /// @dev Requirements: `region` is a valid code; `supportType` is not None; the caller is a DEPARTMENT officer
    /// over `region`; the terms are acceptable (see {_checkTerms}). Emits a {PlanDrafted} event.
    function create(uint64 region, SupportType supportType, uint32 category, PlanTerms calldata terms)
        external
        returns (uint256 planId)
    {
        if (!RegionCode.isValid(region)) revert PlanInvalidRegion(region);
        if (supportType == SupportType.None) revert PlanInvalidType();
        uint32 owner = _official(Roles.DEPARTMENT, region);
        _checkTerms(terms);
        planId = ++_planCount;
        Plan storage plan = _plans[planId];
        (plan.region, plan.category, plan.owner, plan.supportType) = (region, category, owner, supportType);
        (plan.status, plan.latestVersion) = (PlanStatus.Draft, 1);
        _storeVersion(planId, 1, terms);
        emit PlanDrafted(planId, region, 1, plan, terms, msg.sender);
    }

    /// @inheritdoc IPlanRegistry
    /// @dev Requirements: the caller owns the plan (still a DEPARTMENT officer over its region); the plan is
    /// approved or executing, not frozen, and has no version drafted or awaiting approval; the terms are acceptable,
    /// keep every reported or approved milestone with its amount and a budget not below the committed amount.
    /// Emits a {PlanDrafted} event.
    function amend(uint256 planId, PlanTerms calldata terms)
        external
        notFrozen(planTarget(planId))
        returns (uint16 version)
    {
        Plan storage plan = _ownedPlan(planId);
        if (plan.status != PlanStatus.Approved && plan.status != PlanStatus.Executing) {
            revert PlanWrongStatus(planId, plan.status);
        }
        _checkNothingPending(planId, plan);
        _checkTerms(terms);
        if (terms.budget < plan.committed) revert PlanBudgetBelowCommitted(planId, terms.budget, plan.committed);
        uint256 inForce = _versions[planId][plan.currentVersion].milestones.length;
        for (uint256 i = 0; i < inForce; ++i) {
            MilestoneProgress storage progress = _milestones[planId][uint8(i)];
            // A milestone reported or approved keeps its tranche in every later version.
            if (
                (progress.status == MilestoneStatus.Reported || progress.status == MilestoneStatus.Approved)
                    && (i >= terms.milestones.length || terms.milestones[i].amount != progress.amount)
            ) revert PlanMilestoneLocked(planId, i);
        }
        version = plan.latestVersion + 1;
        plan.latestVersion = version;
        _storeVersion(planId, version, terms);
        emit PlanDrafted(planId, plan.region, version, plan, terms, msg.sender);
    }

    // ---------------------------------------------------------------- lifecycle (owner)

    /// @inheritdoc IPlanRegistry
    /// @dev Requirements: the caller owns the plan; the plan is not frozen; its latest version is a draft. Opens
    /// the version's approval subject (kind Plan, the plan's support type, the version's budget).
    /// Emits an {IApprovalHub-ApprovalTransition} (Submitted) and a {PlanStatusChanged} event.
    function submit(uint256 planId) external notFrozen(planTarget(planId)) returns (uint256 subject) {
        Plan storage plan = _ownedPlan(planId);
        uint16 version = plan.latestVersion;
        StoredVersion storage stored = _versions[planId][version];
        if (stored.status != VersionStatus.Draft) revert PlanNothingPending(planId);
        // State first, then the hub (which calls nothing back on opening).
        stored.status = VersionStatus.Submitted;
        (plan.pendingVersion, plan.pendingBudget) = (version, stored.budget);
        if (version == 1) plan.status = PlanStatus.Submitted;
        subject = _openSubject(
            _key(TAG_VERSION, planId, version),
            plan.region,
            PLAN_KIND,
            uint8(plan.supportType),
            stored.budget,
            msg.sender,
            plan.owner
        );
        _emitStatus(planId, plan, version, VersionStatus.Submitted, stored.budget, stored.documentCid);
    }

    /// @inheritdoc IPlanRegistry
    /// @dev Requirements: the caller owns the plan; the plan is not frozen; its latest version is an amendment
    /// (not its first version) drafted, or submitted and returned for revision by the hub.
    /// Emits a {PlanStatusChanged} event.
    function withdrawAmendment(uint256 planId) external notFrozen(planTarget(planId)) {
        Plan storage plan = _ownedPlan(planId);
        uint16 version = plan.latestVersion;
        if (version == 1 || !_withdrawable(planId, version)) revert PlanNothingPending(planId);
        _versions[planId][version].status = VersionStatus.Withdrawn;
        plan.pendingVersion = 0;
        _emitStatus(planId, plan, version, VersionStatus.Withdrawn, _versions[planId][version].budget, "");
    }

    /// @inheritdoc IPlanRegistry
    /// @dev Requirements: the caller owns the plan; the plan is not frozen; it is a draft, returned for revision,
    /// or approved and not yet executing. A pending amendment is withdrawn with it.
    /// Emits a {PlanStatusChanged} event.
    function cancel(uint256 planId, string calldata reasonCid) external notFrozen(planTarget(planId)) {
        Plan storage plan = _ownedPlan(planId);
        PlanStatus status = plan.status;
        bool returned = status == PlanStatus.Submitted && _withdrawable(planId, 1);
        if (status != PlanStatus.Draft && status != PlanStatus.Approved && !returned) {
            revert PlanWrongStatus(planId, statusOf(planId));
        }
        _end(planId, plan, PlanStatus.Cancelled, reasonCid);
    }

    /// @inheritdoc IPlanRegistry
    /// @dev Requirements: the caller owns the plan; the plan is approved and not frozen.
    /// Emits a {PlanStatusChanged} event.
    function start(uint256 planId) external notFrozen(planTarget(planId)) {
        Plan storage plan = _ownedPlan(planId);
        if (plan.status != PlanStatus.Approved) revert PlanWrongStatus(planId, plan.status);
        plan.status = PlanStatus.Executing;
        _emitInForce(planId, plan);
    }

    /// @inheritdoc IPlanRegistry
    /// @dev Requirements: the caller owns the plan; the plan is executing and not frozen; no amendment is drafted
    /// or awaits approval; every milestone of the version in force is approved. Emits a {PlanStatusChanged} event.
    function complete(uint256 planId) external notFrozen(planTarget(planId)) {
        Plan storage plan = _ownedPlan(planId);
        if (plan.status != PlanStatus.Executing) revert PlanWrongStatus(planId, plan.status);
        // An amendment decided after completion could bring milestones the plan never carried out.
        _checkNothingPending(planId, plan);
        uint256 count = _versions[planId][plan.currentVersion].milestones.length;
        for (uint256 i = 0; i < count; ++i) {
            if (_milestones[planId][uint8(i)].status != MilestoneStatus.Approved) revert PlanMilestoneOpen(planId, i);
        }
        plan.status = PlanStatus.Completed;
        _emitInForce(planId, plan);
    }

    /// @inheritdoc IPlanRegistry
    /// @dev Requirements: the caller owns the plan; the plan is executing or completed and not frozen; no
    /// milestone report awaits approval. A pending amendment is withdrawn. Emits a {PlanStatusChanged} event.
    function close(uint256 planId, string calldata reasonCid) external notFrozen(planTarget(planId)) {
        Plan storage plan = _ownedPlan(planId);
        if (plan.status != PlanStatus.Executing && plan.status != PlanStatus.Completed) {
            revert PlanWrongStatus(planId, plan.status);
        }
        uint256 count = _versions[planId][plan.currentVersion].milestones.length;
        for (uint256 i = 0; i < count; ++i) {
            MilestoneStatus status = _milestones[planId][uint8(i)].status;
            if (status == MilestoneStatus.Reported) revert PlanMilestoneWrongStatus(planId, i, status);
        }
        _end(planId, plan, PlanStatus.Closed, reasonCid);
    }

    // ---------------------------------------------------------------- execution (handlers)

    /// @inheritdoc IPlanRegistry
    /// @dev Requirements: the caller is a HANDLER over the plan's region; neither the plan nor the milestone is
    /// frozen; the plan is executing; the version in force has milestone `index`, planned or rejected before;
    /// `evidenceCid` is not empty; a version awaiting approval keeps the milestone with its amount. Opens the
    /// report's approval subject (kind Milestone, the plan's type, the tranche). Emits an {IApprovalHub-ApprovalTransition} (Submitted) and a {MilestoneStatusChanged} event.
    function reportMilestone(uint256 planId, uint8 index, string calldata evidenceCid)
        external
        notFrozen(planTarget(planId))
        notFrozen(milestoneTarget(planId, index))
        returns (uint256 subject)
    {
        Plan storage plan = _plans[planId];
        uint32 handler = _official(Roles.HANDLER, plan.region);
        if (plan.status != PlanStatus.Executing) revert PlanWrongStatus(planId, plan.status);
        if (bytes(evidenceCid).length == 0) revert PlanEvidenceRequired();
        (uint64 amount, uint8 attempt) = _nextReport(planId, plan, index);
        // State first, then the hub (which calls nothing back on opening).
        _milestones[planId][index] = MilestoneProgress({
            status: MilestoneStatus.Reported,
            attempts: attempt,
            since: uint32(block.timestamp),
            amount: amount
        });
        plan.committed += amount;
        subject = _openSubject(
            _key(TAG_MILESTONE, planId, (uint16(index) << 8) | attempt),
            plan.region,
            MILESTONE_KIND,
            uint8(plan.supportType),
            amount,
            msg.sender,
            handler
        );
        _emitMilestone(planId, plan, index, MilestoneStatus.Reported, amount, subject, evidenceCid);
    }

    /// @inheritdoc IPlanRegistry
    /// @dev Requirements: the caller is a HANDLER over the plan's region; the plan is executing or completed and
    /// not frozen; one actual per KPI of the version in force; `evidenceCid` is not empty.
    /// Emits an {OutcomeReported} event.
    function reportOutcome(uint256 planId, uint256[] calldata actuals, string calldata evidenceCid)
        external
        notFrozen(planTarget(planId))
    {
        Plan storage plan = _plans[planId];
        _official(Roles.HANDLER, plan.region);
        if (plan.status != PlanStatus.Executing && plan.status != PlanStatus.Completed) {
            revert PlanWrongStatus(planId, plan.status);
        }
        uint256 expected = _versions[planId][plan.currentVersion].kpis.length;
        if (actuals.length != expected) revert PlanKpiCountMismatch(actuals.length, expected);
        if (bytes(evidenceCid).length == 0) revert PlanEvidenceRequired();
        _outcomes[planId] = actuals;
        emit OutcomeReported(planId, plan.region, msg.sender, plan, actuals, evidenceCid);
    }

    // ---------------------------------------------------------------- supervision

    /// @inheritdoc ISupervisedClient
    /// @dev A plan: its version awaiting approval and its milestone reports awaiting approval; a milestone: its
    /// report awaiting approval.
    function supervisedSubjects(uint256 target)
        external
        view
        override
        returns (bool known, uint256[] memory subjects)
    {
        (uint8 tag, uint256 planId, uint16 low) = _decode(target);
        Plan storage plan = _plans[planId];
        known = plan.status != PlanStatus.None && target == _targetOf(target)
            && (tag == TAG_PLAN_TARGET || (tag == TAG_MILESTONE_TARGET && uint8(low) == 0));
        if (!known) return (false, subjects);
        if (tag == TAG_MILESTONE_TARGET) {
            subjects = new uint256[](1);
            uint256 found = _pendingReport(planId, plan, uint8(low >> 8), subjects, 0);
            assembly ("memory-safe") {
                mstore(subjects, found)
            }
        } else if (tag == TAG_PLAN_TARGET) {
            uint256 count = _versions[planId][plan.currentVersion].milestones.length;
            subjects = new uint256[](count + 1);
            uint256 found = 0;
            uint16 pending = plan.pendingVersion;
            if (pending != 0) subjects[found++] = _subjectId(_key(TAG_VERSION, planId, pending), plan.region);
            for (uint256 i = 0; i < count; ++i) {
                found = _pendingReport(planId, plan, uint8(i), subjects, found);
            }
            // Shorten the array to what was found.
            assembly ("memory-safe") {
                mstore(subjects, found)
            }
        }
    }

    /// @dev {CONSEQUENCE_CANCEL} on a plan or one of its milestones cancels the plan (a plan already ended stays
    /// as it is).
    function _applyConsequence(uint256 target, uint8 consequence) internal override {
        (uint8 tag, uint256 planId,) = _decode(target);
        Plan storage plan = _plans[planId];
        if (
            consequence != CONSEQUENCE_CANCEL || (tag != TAG_PLAN_TARGET && tag != TAG_MILESTONE_TARGET)
                || plan.status == PlanStatus.None || target != _targetOf(target)
        ) revert PlanUnknownConsequence(target, consequence);
        PlanStatus status = plan.status;
        if (status == PlanStatus.Rejected || status == PlanStatus.Cancelled || status == PlanStatus.Closed) return;
        _end(planId, plan, PlanStatus.Cancelled, "");
    }

    // ---------------------------------------------------------------- approval hooks

    function _onDecided(uint256 subject, bool approved) internal override {
        if (approved) _versionOrReportApproved(subject);
        else _versionOrReportRejected(subject);
    }

    /// @dev A version approved comes into force (the first approves the plan); a milestone report approved makes
    /// its tranche releasable. Decisions on a version withdrawn meanwhile change nothing.
    function _versionOrReportApproved(uint256 subject) private {
        (uint8 tag, uint256 planId, uint16 low) = _decode(subject);
        Plan storage plan = _plans[planId];
        if (tag == TAG_VERSION) {
            // Only the plan's first slot is read and written: the version reads Approved from now on (see
            // {_versionStatus}).
            if (plan.pendingVersion != low) return;
            (plan.currentVersion, plan.pendingVersion) = (low, 0);
            if (plan.status == PlanStatus.Submitted) plan.status = PlanStatus.Approved;
            _emitStatus(planId, plan, low, VersionStatus.Approved, plan.pendingBudget, "");
        } else {
            _decideReport(planId, plan, low, true);
        }
    }

    /// @dev A version rejected stays readable (the first rejects the plan); a milestone report rejected frees its
    /// committed amount and may be reported again.
    function _versionOrReportRejected(uint256 subject) private {
        (uint8 tag, uint256 planId, uint16 low) = _decode(subject);
        Plan storage plan = _plans[planId];
        if (tag == TAG_VERSION) {
            if (plan.pendingVersion != low) return;
            _versions[planId][low].status = VersionStatus.Rejected;
            plan.pendingVersion = 0;
            if (plan.status == PlanStatus.Submitted) plan.status = PlanStatus.Rejected;
            _emitStatus(planId, plan, low, VersionStatus.Rejected, plan.pendingBudget, "");
        } else {
            _decideReport(planId, plan, low, false);
        }
    }

    /// @dev Versions are submitted by their plan's DEPARTMENT owner, milestone reports by HANDLERs.
    function _submitterRole(uint256 subject) internal pure override returns (bytes32) {
        (uint8 tag,,) = _decode(subject);
        return tag == TAG_VERSION ? Roles.DEPARTMENT : Roles.HANDLER;
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IPlanRegistry
    function planOf(uint256 planId) external view returns (Plan memory) {
        return _plans[planId];
    }

    /// @inheritdoc IPlanRegistry
    function statusOf(uint256 planId) public view returns (PlanStatus) {
        PlanStatus status = _plans[planId].status;
        return status == PlanStatus.Submitted && _withdrawable(planId, 1) ? PlanStatus.Returned : status;
    }

    /// @inheritdoc IPlanRegistry
    function versionOf(uint256 planId, uint16 version) external view returns (Version memory) {
        StoredVersion storage stored = _versions[planId][version];
        return Version({
            status: _versionStatus(planId, version),
            draftedAt: stored.draftedAt,
            terms: PlanTerms({
                budget: stored.budget,
                documentCid: stored.documentCid,
                beneficiaries: Beneficiaries(stored.beneficiaryStatuses, stored.listRoot, stored.listCid),
                kpis: stored.kpis,
                milestones: stored.milestones
            })
        });
    }

    /// @inheritdoc IPlanRegistry
    function milestoneOf(uint256 planId, uint8 index) external view returns (MilestoneProgress memory) {
        return _milestones[planId][index];
    }

    /// @inheritdoc IPlanRegistry
    function trancheApproved(uint256 planId, uint8 index) external view returns (bool approved, uint64 amount) {
        MilestoneProgress storage progress = _milestones[planId][index];
        PlanStatus status = _plans[planId].status;
        approved = progress.status == MilestoneStatus.Approved
            && (status == PlanStatus.Executing || status == PlanStatus.Completed);
        return (approved, approved ? progress.amount : 0);
    }

    /// @inheritdoc IPlanRegistry
    function outcomeOf(uint256 planId) external view returns (uint256[] memory) {
        return _outcomes[planId];
    }

    /// @inheritdoc IPlanRegistry
    function versionSubject(uint256 planId, uint16 version) external view returns (uint256) {
        return _subjectId(_key(TAG_VERSION, planId, version), _plans[planId].region);
    }

    /// @inheritdoc IPlanRegistry
    function milestoneSubject(uint256 planId, uint8 index, uint8 attempt) public view returns (uint256) {
        return _subjectId(_key(TAG_MILESTONE, planId, (uint16(index) << 8) | attempt), _plans[planId].region);
    }

    /// @inheritdoc IPlanRegistry
    function planTarget(uint256 planId) public view returns (uint256) {
        return _subjectId(_key(TAG_PLAN_TARGET, planId, 0), _plans[planId].region);
    }

    /// @inheritdoc IPlanRegistry
    function milestoneTarget(uint256 planId, uint8 index) public view returns (uint256) {
        return _subjectId(_key(TAG_MILESTONE_TARGET, planId, uint16(index) << 8), _plans[planId].region);
    }

    /// @inheritdoc IPlanRegistry
    function planCount() external view returns (uint256) {
        return _planCount;
    }

    // ---------------------------------------------------------------- internals

    /// @dev The caller's official id, after checking it holds `role` over `region`.
    function _official(bytes32 role, uint64 region) private view returns (uint32 official) {
        bool authorized;
        (official, authorized) = roles.officialIn(role, msg.sender, region);
        if (!authorized) revert PlanUnauthorized(msg.sender, role, region);
    }

    /// @dev Plan `planId`, after checking that the caller owns it and still holds DEPARTMENT over its region.
    function _ownedPlan(uint256 planId) private view returns (Plan storage plan) {
        plan = _plans[planId];
        if (plan.status == PlanStatus.None) revert PlanNotFound(planId);
        (uint32 official, bool authorized) = roles.officialIn(Roles.DEPARTMENT, msg.sender, plan.region);
        if (official != plan.owner) revert PlanNotOwner(planId, msg.sender);
        if (!authorized) revert PlanUnauthorized(msg.sender, Roles.DEPARTMENT, plan.region);
    }

    /// @dev Requirements: a document; at most MAX_MILESTONES milestones, each with a due date, adding up to at
    /// most the budget; beneficiary statuses among the three, a list root exactly when a list document; at most
    /// MAX_KPIS KPIs, each naming an indicator.
    function _checkTerms(PlanTerms calldata terms) private pure {
        if (bytes(terms.documentCid).length == 0) revert PlanInvalidTerms(1);
        Milestone[] calldata milestones = terms.milestones;
        if (milestones.length > MAX_MILESTONES) revert PlanInvalidTerms(2);
        uint256 total = 0;
        for (uint256 i = 0; i < milestones.length; ++i) {
            if (milestones[i].dueDate == 0) revert PlanInvalidTerms(3);
            total += milestones[i].amount;
        }
        if (total > terms.budget) revert PlanMilestonesOverBudget(total, terms.budget);
        Beneficiaries calldata beneficiaries = terms.beneficiaries;
        if (
            beneficiaries.statuses == 0 || beneficiaries.statuses > ALL_STATUSES
                || (beneficiaries.listRoot == bytes32(0)) != (bytes(beneficiaries.listCid).length == 0)
        ) revert PlanInvalidTerms(4);
        if (terms.kpis.length > MAX_KPIS) revert PlanInvalidTerms(5);
        for (uint256 i = 0; i < terms.kpis.length; ++i) {
            if (terms.kpis[i].indicator == bytes32(0)) revert PlanInvalidTerms(5);
        }
    }

    function _storeVersion(uint256 planId, uint16 version, PlanTerms calldata terms) private {
        StoredVersion storage stored = _versions[planId][version];
        stored.status = VersionStatus.Draft;
        stored.draftedAt = uint32(block.timestamp);
        stored.budget = terms.budget;
        stored.beneficiaryStatuses = terms.beneficiaries.statuses;
        stored.listRoot = terms.beneficiaries.listRoot;
        stored.documentCid = terms.documentCid;
        stored.listCid = terms.beneficiaries.listCid;
        for (uint256 i = 0; i < terms.kpis.length; ++i) {
            stored.kpis.push(terms.kpis[i]);
        }
        for (uint256 i = 0; i < terms.milestones.length; ++i) {
            stored.milestones.push(terms.milestones[i]);
        }
    }

    /// @dev Reverts with {PlanVersionPending} if the plan's latest version is a draft or awaits approval.
    function _checkNothingPending(uint256 planId, Plan storage plan) private view {
        uint16 latest = plan.latestVersion;
        VersionStatus status = _versionStatus(planId, latest);
        // slither-disable-next-line incorrect-equality (an enum compared, not a balance anyone can change)
        if (status == VersionStatus.Draft || status == VersionStatus.Submitted) {
            revert PlanVersionPending(planId, latest);
        }
    }

    /// @dev The tranche and the attempt number of a new report of milestone `index`, after checking that the
    /// version in force has it, that it is planned or was rejected, and that a pending amendment keeps it (see
    /// {_checkPendingKeeps}).
    function _nextReport(uint256 planId, Plan storage plan, uint8 index)
        private
        view
        returns (uint64 amount, uint8 attempt)
    {
        Milestone[] storage milestones = _versions[planId][plan.currentVersion].milestones;
        if (index >= milestones.length) revert PlanMilestoneNotFound(planId, index);
        MilestoneProgress storage progress = _milestones[planId][index];
        if (progress.status == MilestoneStatus.Reported || progress.status == MilestoneStatus.Approved) {
            revert PlanMilestoneWrongStatus(planId, index, progress.status);
        }
        amount = milestones[index].amount;
        _checkPendingKeeps(planId, plan, index, amount);
        // At most 255 reports of one milestone: each is a subject of its own.
        attempt = progress.attempts + 1;
    }

    /// @dev A milestone reported while an amendment is drafted or awaits approval must stay as it is there (the
    /// rule {amend} checks, kept as both move). The amendment's budget then still covers the committed amount:
    /// every reported milestone is in it with its amount, and its milestones add up to at most its budget.
    function _checkPendingKeeps(uint256 planId, Plan storage plan, uint8 index, uint64 amount) private view {
        uint16 latest = plan.latestVersion;
        if (latest == plan.currentVersion) return;
        StoredVersion storage pending = _versions[planId][latest];
        if (pending.status != VersionStatus.Draft && pending.status != VersionStatus.Submitted) return;
        if (index >= pending.milestones.length || pending.milestones[index].amount != amount) {
            revert PlanMilestoneLocked(planId, index);
        }
    }

    /// @dev Whether version `version` of the plan may be withdrawn: drafted, or submitted and returned for
    /// revision by the hub.
    function _withdrawable(uint256 planId, uint16 version) private view returns (bool) {
        VersionStatus status = _versions[planId][version].status;
        // slither-disable-next-line incorrect-equality (an enum compared, not a balance anyone can change)
        if (status == VersionStatus.Draft) return true;
        if (status != VersionStatus.Submitted) return false;
        // Only the state is needed (slither's unused-return: the other three values are deliberately left).
        // slither-disable-next-line unused-return
        (IApprovalHub.SubjectState state,,,) = IApprovalHub(approvalHub).subjectStatus(
            _subjectId(_key(TAG_VERSION, planId, version), _plans[planId].region)
        );
        return state == IApprovalHub.SubjectState.Returned;
    }

    /// @dev Ends the plan in `status` (Cancelled, Closed), withdrawing a version drafted or awaiting approval (a
    /// decision the hub reaches on it later changes nothing).
    function _end(uint256 planId, Plan storage plan, PlanStatus status, string memory reasonCid) private {
        uint16 latest = plan.latestVersion;
        VersionStatus latestStatus = _versionStatus(planId, latest);
        // slither-disable-next-line incorrect-equality (an enum compared, not a balance anyone can change)
        if (latestStatus == VersionStatus.Draft || latestStatus == VersionStatus.Submitted) {
            _versions[planId][latest].status = VersionStatus.Withdrawn;
            latestStatus = VersionStatus.Withdrawn;
        }
        plan.pendingVersion = 0;
        plan.status = status;
        _emitStatus(planId, plan, latest, latestStatus, _versions[planId][latest].budget, reasonCid);
    }

    /// @dev The hub's decision on report `low` (index << 8 | attempt) of a milestone: only the latest report of a
    /// milestone awaiting approval is decided (earlier attempts were decided already).
    function _decideReport(uint256 planId, Plan storage plan, uint16 low, bool approved) private {
        uint8 index = uint8(low >> 8);
        MilestoneProgress storage progress = _milestones[planId][index];
        if (progress.status != MilestoneStatus.Reported || progress.attempts != uint8(low)) return;
        progress.since = uint32(block.timestamp);
        if (approved) {
            progress.status = MilestoneStatus.Approved;
        } else {
            progress.status = MilestoneStatus.Rejected;
            plan.committed -= progress.amount;
        }
        _emitMilestone(
            planId,
            plan,
            index,
            progress.status,
            progress.amount,
            _subjectId(_key(TAG_MILESTONE, planId, low), plan.region),
            ""
        );
    }

    /// @dev Adds to `subjects` at `found` the subject of milestone `index`'s report awaiting approval, if any.
    function _pendingReport(uint256 planId, Plan storage plan, uint8 index, uint256[] memory subjects, uint256 found)
        private
        view
        returns (uint256)
    {
        MilestoneProgress storage progress = _milestones[planId][index];
        if (progress.status != MilestoneStatus.Reported) return found;
        subjects[found] =
            _subjectId(_key(TAG_MILESTONE, planId, (uint16(index) << 8) | progress.attempts), plan.region);
        return found + 1;
    }

    function _emitStatus(
        uint256 planId,
        Plan storage plan,
        uint16 version,
        VersionStatus versionStatus,
        uint64 budget,
        string memory cid
    ) private {
        emit PlanStatusChanged(
            planId, plan.region, plan.status, version, versionStatus, plan.supportType, plan.category, budget, cid
        );
    }

    /// @dev {_emitStatus} for the version in force.
    function _emitInForce(uint256 planId, Plan storage plan) private {
        uint16 version = plan.currentVersion;
        _emitStatus(planId, plan, version, VersionStatus.Approved, _versions[planId][version].budget, "");
    }

    function _emitMilestone(
        uint256 planId,
        Plan storage plan,
        uint8 index,
        MilestoneStatus status,
        uint64 amount,
        uint256 subject,
        string memory evidenceCid
    ) private {
        emit MilestoneStatusChanged(
            planId,
            index,
            status,
            plan.region,
            plan.currentVersion,
            plan.supportType,
            plan.category,
            amount,
            plan.committed,
            subject,
            evidenceCid
        );
    }

    /// @dev The status of version `version`: as stored, except that a version submitted and no longer above the
    /// version in force was approved (versions are submitted one at a time, in order; a rejected or withdrawn one
    /// is stored so).
    function _versionStatus(uint256 planId, uint16 version) private view returns (VersionStatus status) {
        status = _versions[planId][version].status;
        // slither-disable-next-line incorrect-equality (an enum compared, not a balance anyone can change)
        if (status == VersionStatus.Submitted && version <= _plans[planId].currentVersion) {
            status = VersionStatus.Approved;
        }
    }

    /// @dev The id `target` should have, given its decoded parts (so a target with a wrong region is refused).
    function _targetOf(uint256 target) private view returns (uint256) {
        (uint8 tag, uint256 planId, uint16 low) = _decode(target);
        return _subjectId(_key(tag, planId, low), _plans[planId].region);
    }

    function _key(uint8 tag, uint256 planId, uint16 low) private pure returns (uint56) {
        return uint56((uint256(tag) << 48) | (planId << 16) | low);
    }

    function _decode(uint256 id) private pure returns (uint8 tag, uint256 planId, uint16 low) {
        uint256 key = (id >> SubjectId.REGION_BITS) & type(uint56).max;
        return (uint8(key >> 48), uint32(key >> 16), uint16(key));
    }
}
