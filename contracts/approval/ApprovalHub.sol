// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {Governed} from "../access/Governed.sol";
import {IApprovalClient} from "../interfaces/IApprovalClient.sol";
import {IApprovalHub} from "../interfaces/IApprovalHub.sol";
import {IRoleRegistry} from "../interfaces/IRoleRegistry.sol";
import {RegionCode} from "../utils/RegionCode.sol";
import {SubjectId} from "./SubjectId.sol";

/// @title ApprovalHub
/// @notice The approval flow of the whole platform, deployed once (see {IApprovalHub}). Contracts that own
/// subjects needing approval (households, plans, milestones, payment batches, procurements) are its clients:
/// governance registers each with the kinds it may open; a client opens a subject with {open}; approvers act
/// here; the client hears of the final decision through {IApprovalClient-onApprovalDecided}, called last.
/// @dev Rules, in the order they are checked (after "the subject is not frozen"):
/// - the submitter never decides on their own subject;
/// - one account approves a subject at most once, across all levels and revisions;
/// - an approver holds the level's role over the subject's region at the level's region level.
/// A revision resumes at the level that returned the subject: approvals already given stand.
/// Gas: a subject is one storage slot and its region rides in its id. Officials are recorded by their role
/// registry id (see {IRoleRegistry-officialOf}), so the submitter and the first four approvers fit in that slot:
/// an approval reads the subject, the level (two slots) and one grant in the role registry, and writes only the
/// subject's slot. Approvers after the fourth, on routes needing more, cost one new slot each. Signers' nonces are
/// kept by official id too, eight to a slot, so a new official's first relayed approval rarely opens a new slot.
/// A freeze is a flag in the same slot: checking it costs an approval no read.
contract ApprovalHub is IApprovalHub, Governed, EIP712 {
    bytes32 private constant APPROVAL_TYPEHASH =
        keccak256("Approval(uint256 subject,uint8 level,uint256 nonce,uint256 deadline)");
    uint256 private constant MAX_LEVELS = 8;
    uint32 private constant MIN_RETURN_TIMEOUT = 1 days;
    uint32 private constant MAX_RETURN_TIMEOUT = 365 days;
    uint256 private constant MAX_REGION = (1 << SubjectId.REGION_BITS) - 1;
    uint256 private constant INLINE_APPROVERS = 4;
    uint256 private constant OFFICIAL_BITS = 32;
    uint256 private constant NONCES_PER_SLOT = 8;
    uint256 private constant NONCE_BITS = 32;
    // The nonce argument of a direct approval: no counter ever reaches it.
    uint256 private constant NOT_RELAYED = type(uint256).max;

    struct RouteHeader {
        uint8 kind;
        uint8 levelCount;
    }

    /// @dev A {Level} as stored: knowing whether it is the last saves a read when a level clears.
    struct StoredLevel {
        bytes32 role;
        uint8 regionLevel;
        uint8 threshold;
        uint32 timeout;
        bool last;
    }

    /// @dev A {Subject} as stored, in one slot; officials by their role registry ids.
    struct StoredSubject {
        uint32 submitter;
        uint32 since;
        uint16 routeId;
        uint8 level;
        uint8 approvals; // at the current level
        SubjectState state;
        uint8 approverCount; // at all levels; a route's thresholds add up to at most 255
        uint128 approvers; // the first four approvers' ids, 32 bits each, the first in the lowest bits
        bool frozen; // by supervision
        uint8 escalations; // region levels the current level's decision was handed up (see {escalate})
    }

    /// @dev The last role check passed in a call, so a batch of one official's signatures asks the role registry
    /// once per role and region.
    struct CheckedRole {
        address account;
        bytes32 role;
        uint64 region;
        uint32 official;
    }

    /// @inheritdoc IApprovalHub
    address public supervision;
    uint16 private _routeCount;
    /// @inheritdoc IApprovalHub
    uint32 public returnTimeout;
    // client => bitmap of the kinds it may open (bit `kind`).
    mapping(address client => uint256 kinds) private _clientKinds;
    mapping(uint16 routeId => RouteHeader) private _routes;
    mapping(uint16 routeId => mapping(uint256 index => StoredLevel)) private _levels;
    // (kind << 8 | supportType) => bands in ascending maxAmount; the list ends at the first band of route 0,
    // so choosing a route reads no length.
    mapping(uint16 selector => mapping(uint256 index => Band)) private _bands;
    mapping(uint256 subject => StoredSubject) private _subjects;
    // Approvers of a subject after its first four (see {StoredSubject}).
    mapping(uint256 subject => mapping(uint32 official => bool)) private _laterApprovers;
    // Signers' EIP-712 nonces: official id => 32-bit counter, eight to a slot (see {_useNonce}).
    mapping(uint256 slot => uint256 counters) private _nonceSlots;

    /// @param roleRegistry regional roles of the routes' levels, official ids and governance
    constructor(IRoleRegistry roleRegistry) Governed(roleRegistry) EIP712("GovChain ApprovalHub", "1") {
        _setReturnTimeout(30 days);
    }

    // ---------------------------------------------------------------- clients and supervision (governance)

    /// @inheritdoc IApprovalHub
    /// @dev Requirements: the caller governs; `client` is a contract. Emits a {ClientRegistered} event.
    function registerClient(address client, uint8[] calldata kinds) external onlyGovernance {
        if (client.code.length == 0) revert ApprovalInvalidClient(client);
        uint256 bitmap = 0;
        for (uint256 i = 0; i < kinds.length; ++i) {
            bitmap |= 1 << kinds[i];
        }
        _clientKinds[client] = bitmap;
        emit ClientRegistered(client, kinds);
    }

    /// @inheritdoc IApprovalHub
    /// @dev Requirements: the caller governs. Emits a {SupervisionSet} event.
    function setSupervision(address newSupervision) external onlyGovernance {
        supervision = newSupervision;
        emit SupervisionSet(newSupervision);
    }

    /// @inheritdoc IApprovalHub
    /// @dev Requirements: the caller governs; `timeout` is 1 to 365 days. Applies to subjects returned already.
    /// Emits a {ReturnTimeoutSet} event.
    function setReturnTimeout(uint32 timeout) external onlyGovernance {
        _setReturnTimeout(timeout);
    }

    /// @inheritdoc IApprovalHub
    /// @dev Requirements: the caller is the supervision contract; `subject` exists. Emits a {SubjectFrozen}
    /// event.
    function setSubjectFrozen(uint256 subject, bool frozen) external {
        if (msg.sender != supervision || msg.sender == address(0)) revert ApprovalNotSupervision(msg.sender);
        StoredSubject storage stored = _subjects[subject];
        if (stored.state == SubjectState.None) revert ApprovalWrongState(subject, SubjectState.None);
        stored.frozen = frozen;
        emit SubjectFrozen(subject, frozen);
    }

    // ---------------------------------------------------------------- opening (clients)

    /// @inheritdoc IApprovalHub
    /// @dev Requirements: the caller is registered for `kind`; `region` fits in 40 bits; `submitterOfficial` is
    /// not 0 (the client vouches that it is `submitter`'s id, as its own role check returned it); a band of
    /// (`kind`, `supportType`) covers `amount`; the subject does not exist yet.
    /// Emits an {ApprovalTransition} event with outcome Submitted.
    function open(
        uint56 key,
        uint64 region,
        uint8 kind,
        uint8 supportType,
        uint256 amount,
        address submitter,
        uint32 submitterOfficial
    ) external returns (uint256 subject) {
        // A client opens only the kinds governance registered it for.
        if ((_clientKinds[msg.sender] >> kind) & 1 == 0) revert ApprovalKindNotAllowed(msg.sender, kind);
        // A wider region would spill into the key's bits.
        if (region > MAX_REGION) revert ApprovalInvalidRegion(region);
        // Separation of duties compares ids: a submitter without one could approve their own subject.
        if (submitterOfficial == 0) revert ApprovalSubmitterNotOfficial(submitter);
        uint16 routeId = routeFor(kind, supportType, amount);
        // The id names the caller: a client can only ever open (and hear about) its own subjects.
        subject = SubjectId.compose(msg.sender, key, region);
        StoredSubject storage stored = _subjects[subject];
        if (stored.state != SubjectState.None) revert ApprovalSubjectExists(subject);
        // A subject never returns to None, so its slot is still empty: level, the approval fields and the freeze
        // are already 0, and the four fields set here are written with one SSTORE.
        stored.submitter = submitterOfficial;
        stored.since = uint32(block.timestamp);
        stored.routeId = routeId;
        stored.state = SubjectState.Pending;
        emit ApprovalTransition(subject, 0, submitter, Outcome.Submitted);
    }

    // ---------------------------------------------------------------- routes (governance)

    /// @inheritdoc IApprovalHub
    /// @dev Requirements: the caller governs; 1 to 8 levels; each level names a regional role, a region level
    /// from 1 (province) to 5 (village) and a threshold of at least 1; the thresholds add up to at most 255 (a
    /// subject records how many approvals it has had in all). Routes never change once defined, so a
    /// subject keeps the route it started on; governance re-points bands to new routes instead.
    /// Emits a {RouteDefined} event.
    function defineRoute(uint8 kind, Level[] calldata levels) external onlyGovernance returns (uint16 routeId) {
        if (levels.length == 0 || levels.length > MAX_LEVELS) revert ApprovalInvalidRoute(levels.length);
        routeId = ++_routeCount;
        uint256 approvalsInAll = 0;
        for (uint256 i = 0; i < levels.length; ++i) {
            Level calldata level = levels[i];
            approvalsInAll += level.threshold;
            if (
                !roles.isRegionalRole(level.role) || level.regionLevel < RegionCode.PROVINCE
                    || level.regionLevel > RegionCode.VILLAGE || level.threshold == 0
                    || approvalsInAll > type(uint8).max
            ) revert ApprovalInvalidLevel(i);
            _levels[routeId][i] = StoredLevel({
                role: level.role,
                regionLevel: level.regionLevel,
                threshold: level.threshold,
                timeout: level.timeout,
                last: i + 1 == levels.length
            });
        }
        _routes[routeId] = RouteHeader({kind: kind, levelCount: uint8(levels.length)});
        emit RouteDefined(routeId, kind, levels);
    }

    /// @inheritdoc IApprovalHub
    /// @dev Requirements: the caller governs; every band names a defined route of `kind`, with a `maxAmount`
    /// strictly above the band before. An empty list removes the routing. Emits a {RouteBandsSet} event.
    function setRouteBands(uint8 kind, uint8 supportType, Band[] calldata bands) external onlyGovernance {
        mapping(uint256 => Band) storage stored = _bands[_selector(kind, supportType)];
        for (uint256 i = 0; i < bands.length; ++i) {
            Band calldata band = bands[i];
            RouteHeader storage header = _routes[band.routeId];
            if (header.levelCount == 0 || header.kind != kind || (i > 0 && band.maxAmount <= bands[i - 1].maxAmount))
            {
                revert ApprovalInvalidBand(i);
            }
            stored[i] = band;
        }
        for (uint256 i = bands.length; stored[i].routeId != 0; ++i) {
            delete stored[i];
        }
        emit RouteBandsSet(kind, supportType, bands);
    }

    // ---------------------------------------------------------------- decisions

    /// @inheritdoc IApprovalHub
    /// @dev Requirements: see {_approve}. Emits an {ApprovalTransition} event: Approved, Advanced when the
    /// approval reaches the level's threshold, Completed when it does so at the last level.
    function approve(uint256 subject, uint8 level) external {
        // Empty on purpose: a direct approval has no earlier role check to reuse.
        // slither-disable-next-line uninitialized-local
        CheckedRole memory nothingChecked;
        _approve(subject, level, msg.sender, NOT_RELAYED, nothingChecked);
    }

    /// @inheritdoc IApprovalHub
    /// @dev Requirements, for each approval: the deadline has not passed; the signature is the signer's EIP-712
    /// signature over (subject, level, nonce, deadline) for this chain and this contract (EOA signers, EIP-2098
    /// compact signatures); then as {approve} for the signer, whose next nonce the signature must carry (checked
    /// once the subject is found pending at that level, as the nonce is kept by the official id that the role
    /// check returns). Emits the event of {approve} for each.
    function approveBySig(SignedApproval[] calldata approvals) external {
        // Starts empty on purpose: the first signature's role check fills it (see CheckedRole).
        // slither-disable-next-line uninitialized-local
        CheckedRole memory checked;
        for (uint256 i = 0; i < approvals.length; ++i) {
            SignedApproval calldata signed = approvals[i];
            bytes32 digest = _hashTypedDataV4(
                keccak256(abi.encode(APPROVAL_TYPEHASH, signed.subject, signed.level, signed.nonce, signed.deadline))
            );
            // The third value (the raw error argument) only details a failure the first two already refuse.
            // slither-disable-next-line unused-return
            (address recovered, ECDSA.RecoverError recoverError,) = ECDSA.tryRecover(digest, signed.r, signed.vs);
            if (recoverError != ECDSA.RecoverError.NoError || recovered != signed.signer) {
                revert ApprovalInvalidSignature(signed.signer);
            }
            // A stale signature (expired, or its nonce used up: relayed already, front-run, or cancelled) is
            // skipped and reported, so one of them never holds back the rest of the batch.
            if (block.timestamp > signed.deadline) {
                emit ApprovalSignatureSkipped(signed.subject, signed.signer, signed.nonce, SkipReason.Expired);
            } else if (!_approve(signed.subject, signed.level, signed.signer, signed.nonce, checked)) {
                emit ApprovalSignatureSkipped(signed.subject, signed.signer, signed.nonce, SkipReason.NonceUsed);
            }
        }
    }

    /// @inheritdoc IApprovalHub
    /// @dev Requirements: `nonce` is the caller's next nonce. Emits an {ApprovalSignatureCancelled} event.
    function cancelSignature(uint256 nonce) external {
        uint32 official = roles.officialOf(msg.sender);
        // An account without an official id has no nonce to use up.
        if (official == 0 || !_useNonce(msg.sender, official, nonce)) {
            revert ApprovalInvalidNonce(msg.sender, nonce, _nonceOf(official));
        }
        emit ApprovalSignatureCancelled(msg.sender, nonce);
    }

    /// @inheritdoc IApprovalHub
    /// @dev Requirements: `subject` is pending; the caller is not its submitter and may approve its current
    /// level. Emits an {ApprovalTransition} event with outcome Rejected and an {ApprovalComment} event; then calls
    /// back the subject's client.
    function reject(uint256 subject, string calldata commentCid) external {
        StoredSubject memory current = _decidable(subject, msg.sender, SubjectState.Pending);
        _subjects[subject].state = SubjectState.Rejected;
        _subjects[subject].since = uint32(block.timestamp);
        emit ApprovalTransition(subject, current.level, msg.sender, Outcome.Rejected);
        emit ApprovalComment(subject, msg.sender, Outcome.Rejected, commentCid);
        _callBack(subject, false);
    }

    /// @inheritdoc IApprovalHub
    /// @dev Requirements: as {reject}. Emits an {ApprovalTransition} event with outcome Returned and an
    /// {ApprovalComment} event.
    function returnForRevision(uint256 subject, string calldata commentCid) external {
        StoredSubject memory current = _decidable(subject, msg.sender, SubjectState.Pending);
        _subjects[subject].state = SubjectState.Returned;
        _subjects[subject].since = uint32(block.timestamp);
        emit ApprovalTransition(subject, current.level, msg.sender, Outcome.Returned);
        emit ApprovalComment(subject, msg.sender, Outcome.Returned, commentCid);
    }

    /// @inheritdoc IApprovalHub
    /// @dev The way out of a returned subject its submitter never revises (the client may refuse a new one while
    /// it is open). Requirements: `subject` is not frozen and has been returned for longer than the return
    /// timeout; the caller is not its submitter and may decide its current level (as for {reject}).
    /// Emits an {ApprovalTransition} event with outcome Closed and an {ApprovalComment} event; then calls back
    /// the subject's client (rejected).
    function closeReturned(uint256 subject, string calldata commentCid) external {
        StoredSubject memory current = _decidable(subject, msg.sender, SubjectState.Returned);
        uint256 closableAt = uint256(current.since) + returnTimeout;
        if (block.timestamp <= closableAt) revert ApprovalReturnNotStale(subject, closableAt + 1);
        _subjects[subject].state = SubjectState.Rejected;
        _subjects[subject].since = uint32(block.timestamp);
        emit ApprovalTransition(subject, current.level, msg.sender, Outcome.Closed);
        emit ApprovalComment(subject, msg.sender, Outcome.Closed, commentCid);
        _callBack(subject, false);
    }

    /// @inheritdoc IApprovalHub
    /// @dev Requirements: `subject` was returned; the caller submitted it. The subject resumes at the level that
    /// returned it, whose deadline starts again. Emits an {ApprovalTransition} event with outcome Resubmitted and
    /// an {ApprovalComment} event.
    function resubmit(uint256 subject, string calldata revisionCid) external {
        StoredSubject storage stored = _subjects[subject];
        if (stored.frozen) revert ApprovalSubjectFrozen(subject);
        if (stored.state != SubjectState.Returned) revert ApprovalWrongState(subject, stored.state);
        _requireSubmitter(subject, msg.sender, stored.submitter);
        stored.state = SubjectState.Pending;
        stored.since = uint32(block.timestamp);
        emit ApprovalTransition(subject, stored.level, msg.sender, Outcome.Resubmitted);
        emit ApprovalComment(subject, msg.sender, Outcome.Resubmitted, revisionCid);
    }

    /// @inheritdoc IApprovalHub
    /// @dev Requirements: `subject` is pending and not frozen; its level has a timeout that has passed; a region
    /// level above the one now deciding exists; the caller is the submitter (still holding the role they submitted
    /// with) or holds the level's role one region level above the one now deciding. The level stays: its
    /// approvals so far count, its threshold still applies, and from now on only officials one region level
    /// higher decide it (recorded by {ApprovalStandingIn} as they approve), so escalating never lowers the number
    /// of distinct approvals a route requires. The level's deadline starts again.
    /// Emits an {ApprovalTransition} event with outcome Escalated.
    function escalate(uint256 subject) external {
        StoredSubject memory current = _subjects[subject];
        if (current.frozen) revert ApprovalSubjectFrozen(subject);
        if (current.state != SubjectState.Pending) revert ApprovalWrongState(subject, current.state);
        uint256 deadline = _deadline(current);
        // A deadline of 0 is the "never times out" sentinel, compared exactly on purpose.
        // slither-disable-next-line incorrect-equality
        if (deadline == 0 || block.timestamp <= deadline) revert ApprovalNotOverdue(subject, deadline);
        StoredLevel storage rule = _levels[current.routeId][current.level];
        // Handing up stops at the province.
        if (rule.regionLevel - current.escalations <= RegionCode.PROVINCE) {
            revert ApprovalNoHigherLevel(subject, current.level);
        }
        uint8 escalations = current.escalations + 1;
        (bytes32 role, uint64 region) = _levelRole(subject, rule, escalations);
        (uint32 official, bool authorized) = roles.officialIn(role, msg.sender, region);
        if (!authorized) {
            if (official != current.submitter) revert ApprovalUnauthorized(subject, current.level, msg.sender, role, region);
            _requireSubmitter(subject, msg.sender, official);
        }
        current.since = uint32(block.timestamp);
        current.escalations = escalations;
        _subjects[subject] = current;
        emit ApprovalTransition(subject, current.level, msg.sender, Outcome.Escalated);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IApprovalHub
    function nonces(address signer) external view returns (uint256) {
        return _nonceOf(roles.officialOf(signer));
    }

    /// @inheritdoc IApprovalHub
    function subjectOf(uint256 subject) external view returns (Subject memory) {
        StoredSubject memory stored = _subjects[subject];
        return Subject({
            submitter: roles.accountOf(stored.submitter),
            since: stored.since,
            routeId: stored.routeId,
            level: stored.level,
            approvals: stored.approvals,
            state: stored.state,
            frozen: stored.frozen,
            escalations: stored.escalations
        });
    }

    /// @inheritdoc IApprovalHub
    function subjectStatus(uint256 subject)
        external
        view
        returns (SubjectState state, uint32 since, uint32 submitter, bool frozen)
    {
        StoredSubject storage stored = _subjects[subject];
        return (stored.state, stored.since, stored.submitter, stored.frozen);
    }

    /// @inheritdoc IApprovalHub
    function clientKinds(address client) external view returns (uint256) {
        return _clientKinds[client];
    }

    /// @inheritdoc IApprovalHub
    function hasApproved(uint256 subject, address account) external view returns (bool) {
        uint32 official = roles.officialOf(account);
        return official != 0 && _hasApproved(subject, _subjects[subject], official);
    }

    /// @inheritdoc IApprovalHub
    function levelDeadline(uint256 subject) external view returns (uint256) {
        StoredSubject memory current = _subjects[subject];
        // A state compared with its enum value, not a balance or a time.
        // slither-disable-next-line incorrect-equality
        return current.state == SubjectState.Pending ? _deadline(current) : 0;
    }

    /// @inheritdoc IApprovalHub
    function routeFor(uint8 kind, uint8 supportType, uint256 amount) public view returns (uint16) {
        mapping(uint256 => Band) storage bands = _bands[_selector(kind, supportType)];
        for (uint256 i = 0;; ++i) {
            // One read of the band's slot (maxAmount and routeId share it).
            Band storage band = bands[i];
            (uint128 maxAmount, uint16 routeId) = (band.maxAmount, band.routeId);
            if (routeId == 0) break;
            if (amount <= maxAmount) return routeId;
        }
        revert ApprovalNoRoute(kind, supportType, amount);
    }

    /// @inheritdoc IApprovalHub
    function route(uint16 routeId) external view returns (uint8 kind, Level[] memory levels) {
        RouteHeader storage header = _routes[routeId];
        levels = new Level[](header.levelCount);
        for (uint256 i = 0; i < levels.length; ++i) {
            StoredLevel storage stored = _levels[routeId][i];
            levels[i] = Level(stored.role, stored.regionLevel, stored.threshold, stored.timeout);
        }
        return (header.kind, levels);
    }

    /// @inheritdoc IApprovalHub
    function routeBands(uint8 kind, uint8 supportType) external view returns (Band[] memory bands) {
        mapping(uint256 => Band) storage stored = _bands[_selector(kind, supportType)];
        uint256 count = 0;
        while (stored[count].routeId != 0) ++count;
        bands = new Band[](count);
        for (uint256 i = 0; i < count; ++i) {
            bands[i] = stored[i];
        }
    }

    /// @inheritdoc IApprovalHub
    function subjectRegion(uint256 subject) public pure returns (uint64) {
        return SubjectId.region(subject);
    }

    /// @inheritdoc IApprovalHub
    function subjectClient(uint256 subject) external pure returns (address) {
        return SubjectId.client(subject);
    }



    /// @inheritdoc IApprovalHub
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ---------------------------------------------------------------- internals

    /// @dev Requirements: `subject` is not frozen and is pending at `level`; a relayed approval carries the
    /// approver's next `nonce` (NOT_RELAYED for a direct one); `approver` is not the submitter, has not approved
    /// the subject before and holds the level's role over the subject's region at the level's region level (or
    /// higher after escalation). Returns false, changing nothing, for a relayed approval whose nonce is used up.
    function _approve(uint256 subject, uint8 level, address approver, uint256 nonce, CheckedRole memory checked)
        private
        returns (bool applied)
    {
        StoredSubject memory current = _subjects[subject];
        if (current.frozen) revert ApprovalSubjectFrozen(subject);
        if (current.state != SubjectState.Pending || level != current.level) {
            // A signature relayed before moved the subject on: report it as used rather than revert.
            if (nonce != NOT_RELAYED && nonce < _nonceOf(roles.officialOf(approver))) return false;
        }
        if (current.state != SubjectState.Pending) revert ApprovalWrongState(subject, current.state);
        if (level != current.level) revert ApprovalLevelMismatch(subject, level, current.level);
        StoredLevel storage rule = _levels[current.routeId][level];
        (uint32 official, bool fresh) = _checkApprover(subject, current, level, rule, approver, nonce, checked);
        if (!fresh) return false;
        uint8 escalations = current.escalations;

        if (current.approverCount < INLINE_APPROVERS) {
            current.approvers |= uint128(official) << uint128(OFFICIAL_BITS * current.approverCount);
        } else {
            _laterApprovers[subject][official] = true;
        }
        ++current.approverCount;
        Outcome outcome;
        if (current.approvals + 1 < rule.threshold) {
            ++current.approvals;
            outcome = Outcome.Approved;
        } else if (!rule.last) {
            current.since = uint32(block.timestamp);
            current.level = level + 1;
            current.approvals = 0;
            current.escalations = 0;
            outcome = Outcome.Advanced;
        } else {
            current.since = uint32(block.timestamp);
            ++current.approvals;
            current.state = SubjectState.Approved;
            outcome = Outcome.Completed;
        }
        _subjects[subject] = current;
        emit ApprovalTransition(subject, level, approver, outcome);
        if (escalations != 0) emit ApprovalStandingIn(subject, level, approver, rule.regionLevel - escalations);
        if (outcome == Outcome.Completed) _callBack(subject, true);
        return true;
    }

    /// @dev Tells the client `subject` names of its final decision. Called last, after this contract's state is
    /// written and its events emitted, so a client that calls back into the hub sees the decision done.
    function _callBack(uint256 subject, bool approved) private {
        IApprovalClient(SubjectId.client(subject)).onApprovalDecided(subject, approved);
    }

    /// @dev The official id of `approver`, after using up its relayed `nonce` (see {_approve}) and checking that
    /// it is not the submitter of `subject` (stored as `current`), has not approved it and holds `rule`'s role
    /// over the subject's region at `rule`'s region level. `checked` remembers the last check passed, so a batch
    /// by one official asks the role registry once.
    function _checkApprover(
        uint256 subject,
        StoredSubject memory current,
        uint8 level,
        StoredLevel storage rule,
        address approver,
        uint256 nonce,
        CheckedRole memory checked
    ) private returns (uint32 official, bool fresh) {
        (bytes32 role, uint64 region) = _levelRole(subject, rule, current.escalations);
        official = checked.official;
        bool authorized = true;
        if (checked.account != approver || checked.role != role || checked.region != region) {
            (official, authorized) = roles.officialIn(role, approver, region);
        }
        // A signature is good for one use: it carries the signer's next nonce, which this uses up.
        if (nonce != NOT_RELAYED && !_useNonce(approver, official, nonce)) return (official, false);
        // The submitter never approves their own subject.
        // Official ids are identities: only an exact match means the same official.
        // slither-disable-next-line incorrect-equality
        if (official == current.submitter) revert ApprovalBySubmitter(subject, approver);
        // One account approves a subject at most once, across all levels.
        if (_hasApproved(subject, current, official)) revert ApprovalAlreadyApproved(subject, approver);
        if (!authorized) revert ApprovalUnauthorized(subject, level, approver, role, region);
        (checked.account, checked.role, checked.region, checked.official) = (approver, role, region, official);
        return (official, true);
    }

    /// @dev Whether official `official` (not 0) approved `subject`, whose stored record is `current`.
    function _hasApproved(uint256 subject, StoredSubject memory current, uint32 official)
        private
        view
        returns (bool)
    {
        uint256 count = current.approverCount;
        uint256 inSlot = count < INLINE_APPROVERS ? count : INLINE_APPROVERS;
        for (uint256 i = 0; i < inSlot; ++i) {
            // Official ids are identities: only an exact match means the same official.
            // slither-disable-next-line incorrect-equality
            if (uint32(current.approvers >> (OFFICIAL_BITS * i)) == official) return true;
        }
        return count > INLINE_APPROVERS && _laterApprovers[subject][official];
    }

    /// @dev `subject`, in `state`, after checking that `account` may decide its current level (reject, return,
    /// close it).
    function _decidable(uint256 subject, address account, SubjectState state)
        private
        view
        returns (StoredSubject memory current)
    {
        current = _subjects[subject];
        if (current.frozen) revert ApprovalSubjectFrozen(subject);
        if (current.state != state) revert ApprovalWrongState(subject, current.state);
        (bytes32 role, uint64 region) =
            _levelRole(subject, _levels[current.routeId][current.level], current.escalations);
        (uint32 official, bool authorized) = roles.officialIn(role, account, region);
        // Official ids are identities: only an exact match means the same official.
        // slither-disable-next-line incorrect-equality
        if (official == current.submitter) revert ApprovalBySubmitter(subject, account);
        if (!authorized) revert ApprovalUnauthorized(subject, current.level, account, role, region);
    }

    /// @dev The role a level of `subject`'s route needs (`rule`), and the region over which it must be held: at
    /// the level's region level, or `escalations` region levels above it after escalation.
    function _levelRole(uint256 subject, StoredLevel storage rule, uint8 escalations)
        private
        view
        returns (bytes32 role, uint64 region)
    {
        return (rule.role, RegionCode.ancestorAt(subjectRegion(subject), rule.regionLevel - escalations));
    }

    /// @dev Reverts unless `account` is the submitter of `subject` (official id `submitter`) and holds, now, the
    /// role its client requires of a submitter ({IApprovalClient-submitterRole}) over the subject's region: a
    /// submitter acts only while still holding the role they submitted with.
    function _requireSubmitter(uint256 subject, address account, uint32 submitter) private view {
        bytes32 role = IApprovalClient(SubjectId.client(subject)).submitterRole(subject);
        uint64 region = subjectRegion(subject);
        (uint32 official, bool holdsRole) = roles.officialIn(role, account, region);
        if (official != submitter) revert ApprovalNotSubmitter(subject, account);
        if (!holdsRole) revert ApprovalSubmitterLacksRole(subject, account, role, region);
    }

    /// @dev Uses up the next nonce of `signer` (official id `official`) if `nonce` is it; false for a nonce used
    /// up already; reverts for a later one. Counters sit eight to a slot by official id: ids are given in order,
    /// so a new official's first signature mostly lands in a slot already written (5,000 gas rather than 22,100).
    /// An account without an id keeps nonce 0 and writes nothing: holding no role, its approval fails the role
    /// check.
    function _useNonce(address signer, uint32 official, uint256 nonce) private returns (bool) {
        uint256 slot = official / NONCES_PER_SLOT;
        uint256 shift = _nonceShift(official);
        uint256 counters = _nonceSlots[slot];
        uint32 expected = uint32(counters >> shift);
        if (nonce < expected) return false;
        if (nonce != expected) revert ApprovalInvalidNonce(signer, nonce, expected);
        // Id 0's counter stays 0: it is not an official's.
        // Id 0 is "no official", compared exactly on purpose.
        // slither-disable-next-line incorrect-equality
        if (official == 0) return true;
        // `expected + 1` is checked: after 2^32 - 1 signatures the counter panics rather than spill into the next.
        _nonceSlots[slot] = counters - (uint256(expected) << shift) + (uint256(expected + 1) << shift);
        return true;
    }

    /// @dev The next nonce of official `official`.
    function _nonceOf(uint32 official) private view returns (uint256) {
        return uint32(_nonceSlots[official / NONCES_PER_SLOT] >> _nonceShift(official));
    }

    function _nonceShift(uint32 official) private pure returns (uint256) {
        // Not randomness: the official id picks its 32-bit counter among the eight in a nonce slot.
        // slither-disable-next-line weak-prng
        return (official % NONCES_PER_SLOT) * NONCE_BITS;
    }

    function _setReturnTimeout(uint32 timeout) private {
        if (timeout < MIN_RETURN_TIMEOUT || timeout > MAX_RETURN_TIMEOUT) revert ApprovalInvalidReturnTimeout(timeout);
        returnTimeout = timeout;
        emit ReturnTimeoutSet(timeout);
    }

    function _deadline(StoredSubject memory current) private view returns (uint256) {
        uint32 timeout = _levels[current.routeId][current.level].timeout;
        return timeout == 0 ? 0 : uint256(current.since) + timeout;
    }

    function _selector(uint8 kind, uint8 supportType) private pure returns (uint16) {
        return (uint16(kind) << 8) | supportType;
    }
}
