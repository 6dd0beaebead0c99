// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

import {Governed} from "../access/Governed.sol";
import {Roles} from "../access/Roles.sol";
import {ApprovalClient} from "../approval/ApprovalClient.sol";
import {SubjectId} from "../approval/SubjectId.sol";
import {EligibilityDecision, EligibilityLeaf, EligibilityLeafHash} from "../eligibility/EligibilityLeaf.sol";
import {IApprovalHub} from "../interfaces/IApprovalHub.sol";
import {IEligibilityRegistry} from "../interfaces/IEligibilityRegistry.sol";
import {IHouseholdRegistry} from "../interfaces/IHouseholdRegistry.sol";
import {IRoleRegistry} from "../interfaces/IRoleRegistry.sol";
import {RegionCode} from "../utils/RegionCode.sol";

/// @title HouseholdRegistry
/// @notice The household register (建档立卡) with public notice (公示) and objections (异议), exit with a
/// transition period (脱贫不脱政策) and return-to-poverty monitoring (防返贫). Approvals run on the
/// {ApprovalHub}, of which this registry is a client: governance registers it for kinds Registration (1) and
/// Exit (2) and defines their routes with support type 0 and amount 0.
/// @dev A procedure's subject key is the low 56 bits of keccak256(householdId, household.procedures), in its
/// region, so a first filing writes nothing here but opens the subject on the hub; the household record is
/// written when a procedure completes.
/// Stores no personal data: the pseudonymous id, the village code, the status and timestamps.
contract HouseholdRegistry is IHouseholdRegistry, Governed, ApprovalClient {
    using EligibilityLeafHash for EligibilityLeaf;
    using Checkpoints for Checkpoints.Trace224;

    uint32 private constant MIN_NOTICE_PERIOD = 5 days;
    // A notice longer than a quarter only delays households; a transition period longer than ten years would
    // also bring a transition's end (a uint32 timestamp) near its limit.
    uint32 private constant MAX_NOTICE_PERIOD = 90 days;
    uint32 private constant MAX_TRANSITION_PERIOD = 3650 days;

    struct Notice {
        uint16 openObjections;
        bool stopped;
    }

    /// @notice Where eligibility proofs are checked.
    IEligibilityRegistry public immutable eligibility;

    /// @inheritdoc IHouseholdRegistry
    uint32 public noticePeriod;
    /// @inheritdoc IHouseholdRegistry
    uint32 public transitionPeriod;
    // When `noticePeriod` took effect, and the period before it with its own start. Beside the two periods in one
    // slot, they give the period of any notice of the last two periods (the callback's, always) with one read;
    // `_noticePeriods` holds the whole history for older notices.
    uint32 private _noticePeriodFrom;
    uint32 private _previousNoticePeriod;
    uint32 private _previousNoticePeriodFrom;

    uint256 private _objectionCount;
    mapping(bytes32 householdId => Household) private _households;
    mapping(uint256 subject => Notice) private _notices;
    mapping(uint256 objectionId => Objection) private _objections;
    mapping(bytes32 policy => bool) private _designated;
    // The notice period in force for notices starting at or after each key (a timestamp): a notice keeps the
    // period it started with, whatever governance sets later.
    Checkpoints.Trace224 private _noticePeriods;
    // subject => objector => their open objection (one at a time per account and procedure).
    mapping(uint256 subject => mapping(address objector => uint256 objectionId)) private _openObjectionOf;

    /// @param roleRegistry regional roles (INTAKE_CLERK, REVIEWER, the routes' roles) and governance
    /// @param eligibilityRegistry final eligibility batches the proofs are checked against
    /// @param hub the approval hub the procedures are approved on
    /// @param initialNoticePeriod public notice in seconds, at least 5 days
    /// @param initialTransitionPeriod how long designated policies last after an exit, in seconds
    constructor(
        IRoleRegistry roleRegistry,
        IEligibilityRegistry eligibilityRegistry,
        IApprovalHub hub,
        uint32 initialNoticePeriod,
        uint32 initialTransitionPeriod
    ) Governed(roleRegistry) ApprovalClient(hub) {
        eligibility = eligibilityRegistry;
        _setNoticePeriod(initialNoticePeriod, 0);
        _setTransitionPeriod(initialTransitionPeriod);
    }

    // ---------------------------------------------------------------- filing

    /// @inheritdoc IHouseholdRegistry
    /// @dev Requirements: see {_file}; the household is not registered (none, exited or monitored).
    /// Emits an {ApprovalTransition} (Submitted) and a {RegistrationFiled} event.
    function fileRegistration(bytes32 batchId, EligibilityLeaf calldata leaf, bytes32[] calldata proof)
        external
        returns (uint256 subject)
    {
        return _file(batchId, leaf, proof, ProcedureKind.Registration);
    }

    /// @inheritdoc IHouseholdRegistry
    /// @dev Requirements: see {_file}; the household is registered, in the leaf's region.
    /// Emits an {ApprovalTransition} (Submitted) and an {ExitFiled} event.
    function fileExit(bytes32 batchId, EligibilityLeaf calldata leaf, bytes32[] calldata proof)
        external
        returns (uint256 subject)
    {
        return _file(batchId, leaf, proof, ProcedureKind.Exit);
    }

    /// @inheritdoc IHouseholdRegistry
    /// @dev Requirements: the caller is an INTAKE_CLERK over the leaf's village; the leaf is a `monitor` leaf
    /// proven in a current final batch; the household is new or exited (in the leaf's region).
    /// Emits a {HouseholdMonitored} event.
    function enterMonitoring(bytes32 batchId, EligibilityLeaf calldata leaf, bytes32[] calldata proof) external {
        (Household memory record,) = _checkFiling(batchId, leaf, proof, EligibilityDecision.MONITOR);
        if (record.status != Status.None && record.status != Status.Exited) {
            revert HouseholdWrongStatus(leaf.householdId, record.status);
        }
        record.region = leaf.region;
        record.status = Status.Monitoring;
        record.since = uint32(block.timestamp);
        _households[leaf.householdId] = record;
        emit HouseholdMonitored(leaf.householdId, leaf.region, batchId, msg.sender);
    }

    // ---------------------------------------------------------------- public notice

    /// @inheritdoc IHouseholdRegistry
    /// @dev Requirements: `subject` passed its approvals, was not stopped, and its notice has not ended;
    /// `evidenceCid` is not empty; the caller has no open objection against it; fewer than 65,535 are open.
    /// Anyone may object. Emits an {ObjectionRaised} event.
    function raiseObjection(uint256 subject, string calldata evidenceCid) external returns (uint256 objectionId) {
        (uint256 endsAt,) = _notice(subject);
        if (block.timestamp >= endsAt) revert HouseholdNoticeClosed(subject, endsAt);
        Notice storage notice = _notices[subject];
        if (notice.stopped) revert HouseholdProcedureStopped(subject);
        if (bytes(evidenceCid).length == 0) revert HouseholdEvidenceRequired();
        // One open objection per account: more would only add to the reviewers' queue.
        uint256 open = _openObjectionOf[subject][msg.sender];
        if (open != 0) revert HouseholdObjectionAlreadyOpen(subject, msg.sender, open);
        if (notice.openObjections == type(uint16).max) revert HouseholdTooManyObjections(subject, type(uint16).max);
        objectionId = ++_objectionCount;
        _objections[objectionId] = Objection({subject: subject, state: ObjectionState.Open, objector: msg.sender});
        _openObjectionOf[subject][msg.sender] = objectionId;
        ++notice.openObjections;
        emit ObjectionRaised(objectionId, subject, msg.sender, evidenceCid);
    }

    /// @inheritdoc IHouseholdRegistry
    /// @dev Requirements: the objection is open; the caller is a REVIEWER over the procedure's region and neither
    /// filed nor approved it. Upholding stops the procedure for good. Emits an {ObjectionResolved} event, and a
    /// {ProcedureStopped} event when upheld.
    function resolveObjection(uint256 objectionId, bool upheld, string calldata reasonCid) external {
        Objection storage raised = _objections[objectionId];
        if (raised.state != ObjectionState.Open) revert HouseholdObjectionNotOpen(objectionId);
        uint256 subject = raised.subject;
        uint64 region = SubjectId.region(subject);
        (uint32 reviewer, bool authorized) = roles.officialIn(Roles.REVIEWER, msg.sender, region);
        if (!authorized) revert HouseholdUnauthorized(msg.sender, Roles.REVIEWER, region);
        // Only the submitter's official id matters here.
        // slither-disable-next-line unused-return
        (,, uint32 submitter,) = IApprovalHub(approvalHub).subjectStatus(subject);
        // Whoever filed or approved a procedure does not judge objections against it.
        if (reviewer == submitter) revert HouseholdReviewerIsSubmitter(subject, msg.sender);
        if (IApprovalHub(approvalHub).hasApproved(subject, msg.sender)) {
            revert HouseholdReviewerIsApprover(subject, msg.sender);
        }

        raised.state = upheld ? ObjectionState.Upheld : ObjectionState.Dismissed;
        delete _openObjectionOf[subject][raised.objector];
        Notice storage notice = _notices[subject];
        --notice.openObjections;
        emit ObjectionResolved(objectionId, subject, msg.sender, upheld, reasonCid);
        if (upheld && !notice.stopped) {
            notice.stopped = true;
            emit ProcedureStopped(subject, objectionId);
        }
    }

    /// @inheritdoc IHouseholdRegistry
    /// @dev Eligibility is proven at filing; this stops a procedure whose household a newer batch no longer
    /// supports, before it completes. Requirements: the household's current procedure in the leaf's region is open
    /// (filed, not rejected, stopped or completed); the leaf is proven in `batchId`, the newest final batch
    /// covering the village; its decision is not the one the procedure needs (admit for a registration, exit for
    /// an exit). Anyone may. Emits a {ProcedureLapsed} event.
    function lapseProcedure(bytes32 batchId, EligibilityLeaf calldata leaf, bytes32[] calldata proof) external {
        bytes32 householdId = leaf.householdId;
        Household memory record = _households[householdId];
        uint256 subject = _procedureId(householdId, record.procedures, leaf.region);
        // Only the subject's state matters here.
        // slither-disable-next-line unused-return
        (IApprovalHub.SubjectState state,,,) = IApprovalHub(approvalHub).subjectStatus(subject);
        // States compared with their enum values, not balances or times.
        // slither-disable-next-line incorrect-equality
        if (state == IApprovalHub.SubjectState.None || state == IApprovalHub.SubjectState.Rejected || _notices[subject].stopped) {
            revert HouseholdNoOpenProcedure(householdId, subject);
        }
        if (!_lapsesOnNewestBatch(batchId, leaf, proof, record.status, subject)) {
            revert HouseholdStillEligible(householdId, batchId, leaf.decision);
        }
    }

    /// @inheritdoc IHouseholdRegistry
    /// @dev Requirements: the household's current procedure in the leaf's region passed its approvals; its notice
    /// has ended; supervision has not frozen it; no objection is open and none was upheld; the leaf is proven in
    /// `batchId`, the newest final batch covering the village now (not only at filing: a batch finalized since,
    /// of any scope, decides). Anyone may complete. Emits a {HouseholdRegistered} or {HouseholdExited} event, or a
    /// {ProcedureLapsed} event (and completes nothing) when the leaf no longer supports the procedure.
    function completeProcedure(bytes32 batchId, EligibilityLeaf calldata leaf, bytes32[] calldata proof) external {
        bytes32 householdId = leaf.householdId;
        uint64 region = leaf.region;
        Household memory record = _households[householdId];
        uint256 subject = _procedureId(householdId, record.procedures, region);
        (uint256 endsAt, bool frozen) = _notice(subject);
        if (block.timestamp < endsAt) revert HouseholdNoticeRunning(subject, endsAt);
        // A procedure frozen by supervision does not complete until it is unfrozen.
        if (frozen) revert IApprovalHub.ApprovalSubjectFrozen(subject);
        Notice memory notice = _notices[subject];
        if (notice.stopped) revert HouseholdProcedureStopped(subject);
        if (notice.openObjections != 0) revert HouseholdObjectionsOpen(subject, notice.openObjections);
        // Eligibility is proven again at completion: a household a newer batch no longer supports lapses here,
        // and one it leaves out cannot be proven at all.
        if (_lapsesOnNewestBatch(batchId, leaf, proof, record.status, subject)) return;

        record.region = region;
        record.since = uint32(block.timestamp);
        // The status tells the procedure's kind: a registration is filed only for a household not registered,
        // an exit only for a registered one, and nothing else changes a status while a procedure is open.
        bool registration = record.status != Status.Registered;
        record.procedures += 1;
        if (registration) {
            record.status = Status.Registered;
            record.transitionEndsAt = 0;
            _households[householdId] = record;
            emit HouseholdRegistered(householdId, region, subject);
        } else {
            record.status = Status.Exited;
            record.transitionEndsAt = uint32(block.timestamp) + transitionPeriod;
            _households[householdId] = record;
            emit HouseholdExited(householdId, region, subject, record.transitionEndsAt);
        }
    }

    // ---------------------------------------------------------------- governance

    /// @inheritdoc IHouseholdRegistry
    /// @dev Requirements: the caller governs; `period` is 5 to 90 days. Applies to notices starting after this
    /// block; a notice keeps the period it started with. Emits a {NoticePeriodChanged} event.
    function setNoticePeriod(uint32 period) external onlyGovernance {
        // From the next second on: a notice starting in this very second, before or after this call, keeps the
        // period it was announced with.
        _setNoticePeriod(period, uint32(block.timestamp) + 1);
    }

    /// @inheritdoc IHouseholdRegistry
    /// @dev Requirements: the caller governs; `period` is at most ten years. Applies to exits completed from now
    /// on. Emits a {TransitionPeriodChanged} event.
    function setTransitionPeriod(uint32 period) external onlyGovernance {
        _setTransitionPeriod(period);
    }

    /// @inheritdoc IHouseholdRegistry
    /// @dev Requirements: the caller governs. Emits a {PolicyDesignated} event.
    function setPolicyDesignated(bytes32 policy, bool designated) external onlyGovernance {
        _designated[policy] = designated;
        emit PolicyDesignated(policy, designated);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IHouseholdRegistry
    function household(bytes32 householdId) external view returns (Household memory) {
        return _households[householdId];
    }

    /// @inheritdoc IHouseholdRegistry
    function procedureOf(bytes32 householdId, uint64 region) external view returns (uint256) {
        return _procedureId(householdId, _households[householdId].procedures, region);
    }

    /// @inheritdoc IHouseholdRegistry
    function noticeEndsAt(uint256 subject) external view returns (uint256) {
        // Only the state and when it began matter here.
        // slither-disable-next-line unused-return
        (IApprovalHub.SubjectState state, uint32 since,,) = IApprovalHub(approvalHub).subjectStatus(subject);
        return state == IApprovalHub.SubjectState.Approved ? uint256(since) + _noticePeriodAt(since) : 0;
    }

    /// @inheritdoc IHouseholdRegistry
    function noticeOf(uint256 subject) external view returns (uint16 openObjections, bool stopped) {
        Notice storage notice = _notices[subject];
        return (notice.openObjections, notice.stopped);
    }

    /// @inheritdoc IHouseholdRegistry
    function objection(uint256 objectionId) external view returns (Objection memory) {
        return _objections[objectionId];
    }

    /// @inheritdoc IHouseholdRegistry
    function isCovered(bytes32 householdId, bytes32 policy) external view returns (bool) {
        Household storage record = _households[householdId];
        if (record.status == Status.Registered) return true;
        return (record.status == Status.Exited || record.status == Status.Monitoring)
            && block.timestamp < record.transitionEndsAt && _designated[policy];
    }

    // ---------------------------------------------------------------- approval hooks

    /// @dev The public notice starts when the last level approves: now, with the period in force now. A rejected
    /// procedure simply ends; the next filing opens a fresh one (see {_file}).
    function _onDecided(uint256 subject, bool approved) internal override {
        if (approved) emit NoticeStarted(subject, block.timestamp + _noticePeriodAt(block.timestamp));
    }

    /// @dev Procedures are filed by intake clerks of their village.
    function _submitterRole(uint256) internal pure override returns (bytes32) {
        return Roles.INTAKE_CLERK;
    }

    // ---------------------------------------------------------------- internals

    /// @dev Requirements: as {_checkFiling} for `kind`'s decision; the household's status allows `kind`; no
    /// procedure of the household is open in this region (a rejected or stopped one is closed: the filing
    /// moves on to the next procedure key).
    function _file(bytes32 batchId, EligibilityLeaf calldata leaf, bytes32[] calldata proof, ProcedureKind kind)
        private
        returns (uint256 subject)
    {
        bool registration = kind == ProcedureKind.Registration;
        (Household memory record, uint32 clerk) =
            _checkFiling(batchId, leaf, proof, registration ? EligibilityDecision.ADMIT : EligibilityDecision.EXIT);
        bytes32 householdId = leaf.householdId;
        uint64 region = leaf.region;
        if (registration ? record.status == Status.Registered : record.status != Status.Registered) {
            revert HouseholdWrongStatus(householdId, record.status);
        }
        bool opened;
        // The hub is the platform's own immutable contract and its open() calls no one back, so the writes
        // after it cannot be re-entered.
        // slither-disable-next-line reentrancy-no-eth
        (opened, subject) =
            _tryOpenSubject(_procedureKey(householdId, record.procedures), region, uint8(kind), 0, 0, msg.sender, clerk);
        if (!opened) {
            // The household's current procedure exists: only a closed one (rejected, or stopped by an upheld
            // objection) makes way for the next.
            // Only the earlier procedure's state matters here.
            // slither-disable-next-line unused-return
            (IApprovalHub.SubjectState previous,,,) = IApprovalHub(approvalHub).subjectStatus(subject);
            if (previous != IApprovalHub.SubjectState.Rejected && !_notices[subject].stopped) {
                revert HouseholdProcedureOpen(householdId, subject);
            }
            record.procedures += 1;
            _households[householdId].procedures = record.procedures;
            subject = _openSubject(
                _procedureKey(householdId, record.procedures), region, uint8(kind), 0, 0, msg.sender, clerk
            );
        }
        if (registration) emit RegistrationFiled(householdId, subject, batchId);
        else emit ExitFiled(householdId, subject, batchId);
    }

    /// @dev Requirements: the leaf carries `decision`; its region is a village over which the caller is an
    /// INTAKE_CLERK; it is proven in `batchId`, a current final batch covering that village; a household already
    /// on record stays in its region. Returns the household's record and the clerk's official id.
    function _checkFiling(bytes32 batchId, EligibilityLeaf calldata leaf, bytes32[] calldata proof, uint8 decision)
        private
        view
        returns (Household memory record, uint32 clerk)
    {
        bytes32 householdId = leaf.householdId;
        uint64 region = leaf.region;
        if (leaf.decision != decision) revert HouseholdWrongDecision(householdId, decision, leaf.decision);
        if (!RegionCode.isValid(region) || RegionCode.level(region) != RegionCode.VILLAGE) {
            revert HouseholdNotVillage(region);
        }
        bool authorized;
        (clerk, authorized) = roles.officialIn(Roles.INTAKE_CLERK, msg.sender, region);
        if (!authorized) revert HouseholdUnauthorized(msg.sender, Roles.INTAKE_CLERK, region);
        bytes32 root = eligibility.provenRoot(batchId, region);
        bytes32 hashed = leaf.hash();
        if (_processProof(proof, hashed) != root) {
            revert HouseholdInvalidProof(batchId, hashed);
        }
        record = _households[householdId];
        if (record.status != Status.None && record.region != region) {
            revert HouseholdRegionMismatch(householdId, record.region, region);
        }
    }

    /// @dev Whether the household's procedure `subject` lapsed on `leaf`, proven in `batchId`, the newest final batch
    /// covering its village (reverting otherwise): it lapses when the leaf's decision is not the one the procedure
    /// needs, which `status` tells (an exit for a registered household, an admission otherwise). Emits a
    /// {ProcedureLapsed} event when it lapses.
    function _lapsesOnNewestBatch(
        bytes32 batchId,
        EligibilityLeaf calldata leaf,
        bytes32[] calldata proof,
        Status status,
        uint256 subject
    ) private returns (bool lapsed) {
        bytes32 root = eligibility.provenRoot(batchId, leaf.region);
        bytes32 hashed = leaf.hash();
        if (_processProof(proof, hashed) != root) revert HouseholdInvalidProof(batchId, hashed);
        // A status compared with its enum value, not a balance or a time.
        // slither-disable-next-line incorrect-equality
        uint8 needed = status == Status.Registered ? EligibilityDecision.EXIT : EligibilityDecision.ADMIT;
        if (leaf.decision == needed) return false;
        _notices[subject].stopped = true;
        emit ProcedureLapsed(subject, batchId, leaf.decision);
        return true;
    }

    /// @dev When the public notice of `subject` ends and whether supervision froze it; reverts unless its approvals
    /// passed.
    function _notice(uint256 subject) private view returns (uint256 endsAt, bool frozen) {
        // The submitter's id does not matter for the notice.
        // slither-disable-next-line unused-return
        (IApprovalHub.SubjectState state, uint32 since,, bool isFrozen) =
            IApprovalHub(approvalHub).subjectStatus(subject);
        if (state != IApprovalHub.SubjectState.Approved) revert HouseholdNotApproved(subject);
        return (uint256(since) + _noticePeriodAt(since), isFrozen);
    }

    /// @dev The root that `proof` leads to from `leaf`: OpenZeppelin's `MerkleProof.processProofCalldata` (each
    /// pair hashed in sorted order, as `Hashes.commutativeKeccak256`), written as one loop over the calldata so a
    /// 20-node proof costs about 2,000 gas less. The ABI decoder has already checked that the whole array lies
    /// within the calldata.
    function _processProof(bytes32[] calldata proof, bytes32 leaf) private pure returns (bytes32 computed) {
        computed = leaf;
        assembly ("memory-safe") {
            for {
                let p := proof.offset
                let end := add(p, shl(5, proof.length))
            } lt(p, end) { p := add(p, 0x20) } {
                let sibling := calldataload(p)
                // keccak256(smaller, greater) in the scratch space: `computed` goes to 0x00 unless it is the
                // greater, then to 0x20; `sibling` takes the other word.
                let at := shl(5, gt(computed, sibling))
                mstore(at, computed)
                mstore(xor(at, 0x20), sibling)
                computed := keccak256(0x00, 0x40)
            }
        }
    }

    function _procedureId(bytes32 householdId, uint16 procedures, uint64 region) private view returns (uint256) {
        return _subjectId(_procedureKey(householdId, procedures), region);
    }

    /// @dev 56 bits of a hash: a clash needs two procedures of one village among some 2^28 (the hub then refuses
    /// the second filing with {IApprovalHub-ApprovalSubjectExists}).
    function _procedureKey(bytes32 householdId, uint16 procedures) private pure returns (uint56) {
        return uint56(uint256(keccak256(abi.encode(householdId, procedures))));
    }

    /// @dev Sets the notice period of notices starting at `from` or later.
    function _setNoticePeriod(uint32 period, uint32 from) private {
        // The public must get at least five days to object.
        if (period < MIN_NOTICE_PERIOD) revert HouseholdNoticeTooShort(period, MIN_NOTICE_PERIOD);
        if (period > MAX_NOTICE_PERIOD) revert HouseholdNoticeTooLong(period, MAX_NOTICE_PERIOD);
        (_previousNoticePeriod, _previousNoticePeriodFrom) = (noticePeriod, _noticePeriodFrom);
        (noticePeriod, _noticePeriodFrom) = (period, from);
        // The checkpoint's return values are the previous and new period, both known here.
        // slither-disable-next-line unused-return
        _noticePeriods.push(from, period);
        emit NoticePeriodChanged(period);
    }

    function _setTransitionPeriod(uint32 period) private {
        if (period > MAX_TRANSITION_PERIOD) revert HouseholdTransitionTooLong(period, MAX_TRANSITION_PERIOD);
        transitionPeriod = period;
        emit TransitionPeriodChanged(period);
    }

    /// @dev The notice period of a notice that started at `start`.
    function _noticePeriodAt(uint256 start) private view returns (uint256) {
        if (start >= _noticePeriodFrom) return noticePeriod;
        if (start >= _previousNoticePeriodFrom) return _previousNoticePeriod;
        return _noticePeriods.upperLookupRecent(uint32(start));
    }
}
