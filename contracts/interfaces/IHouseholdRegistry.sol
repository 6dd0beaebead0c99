// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EligibilityLeaf} from "../eligibility/EligibilityLeaf.sol";

/// @title IHouseholdRegistry
/// @notice The household register (建档立卡). A household is known only by its pseudonymous id, its village
/// code and its status: no personal data. Registration and exit are procedures: filed with a proof from a
/// current final eligibility batch, approved along their route, then shown in public notice (公示) during
/// which anyone may object with evidence; a REVIEWER upholds (the procedure stops) or dismisses each
/// objection; after the notice, anyone completes the procedure. Monitoring (防返贫) is entered directly
/// with a monitor proof; a monitored or exited household can be re-admitted by a new registration.
interface IHouseholdRegistry {
    /// @notice A household's standing. None: never registered.
    enum Status {
        None,
        Registered,
        Exited,
        Monitoring
    }

    /// @notice The procedure kinds, used as this registry's subject kinds on the approval hub.
    enum ProcedureKind {
        None,
        Registration,
        Exit
    }

    /// @notice One household. `procedures` counts completed (or abandoned) procedures and keys the next one;
    /// `transitionEndsAt` is when designated policies stop after an exit.
    struct Household {
        uint64 region;
        Status status;
        uint32 since;
        uint32 transitionEndsAt;
        uint16 procedures;
    }

    /// @notice Objection states.
    enum ObjectionState {
        None,
        Open,
        Upheld,
        Dismissed
    }

    /// @notice An objection against the procedure `subject`, raised by `objector`.
    struct Objection {
        uint256 subject;
        ObjectionState state;
        address objector;
    }

    /// @notice An intake clerk (the actor of the subject's Submitted transition) filed the registration
    /// `subject` of `householdId`, proven by an admit leaf in `batchId`.
    event RegistrationFiled(bytes32 indexed householdId, uint256 indexed subject, bytes32 batchId);

    /// @notice An intake clerk filed the exit `subject` of `householdId`, proven by an exit leaf in `batchId`.
    event ExitFiled(bytes32 indexed householdId, uint256 indexed subject, bytes32 batchId);

    /// @notice Procedure `subject` passed its approvals; its public notice ends at `endsAt`.
    event NoticeStarted(uint256 indexed subject, uint256 endsAt);

    /// @notice `objector` raised objection `objectionId` against `subject` with evidence `evidenceCid`.
    event ObjectionRaised(
        uint256 indexed objectionId, uint256 indexed subject, address indexed objector, string evidenceCid
    );

    /// @notice `reviewer` upheld or dismissed objection `objectionId`, reasoned in `reasonCid`.
    event ObjectionResolved(
        uint256 indexed objectionId, uint256 indexed subject, address indexed reviewer, bool upheld, string reasonCid
    );

    /// @notice Procedure `subject` stopped because `batchId`, the newest final batch covering its village, gives
    /// its household `decision`, which no longer supports it.
    event ProcedureLapsed(uint256 indexed subject, bytes32 batchId, uint8 decision);

    /// @notice Procedure `subject` stopped because objection `objectionId` was upheld.
    event ProcedureStopped(uint256 indexed subject, uint256 objectionId);

    /// @notice `householdId` became registered in `region` through procedure `subject`.
    event HouseholdRegistered(bytes32 indexed householdId, uint64 indexed region, uint256 subject);

    /// @notice `householdId` exited through procedure `subject`; designated policies last until `transitionEndsAt`.
    event HouseholdExited(bytes32 indexed householdId, uint64 indexed region, uint256 subject, uint256 transitionEndsAt);

    /// @notice `householdId` entered monitoring on a monitor proof in `batchId`, filed by `clerk`.
    event HouseholdMonitored(bytes32 indexed householdId, uint64 indexed region, bytes32 batchId, address clerk);

    /// @notice Governance set the public notice period.
    event NoticePeriodChanged(uint32 period);

    /// @notice Governance set the post-exit transition period.
    event TransitionPeriodChanged(uint32 period);

    /// @notice Governance designated (or undesignated) `policy` as kept during the transition period.
    event PolicyDesignated(bytes32 indexed policy, bool designated);

    /// @notice The proof does not lead from `leafHash` to the root of `batchId`.
    error HouseholdInvalidProof(bytes32 batchId, bytes32 leafHash);

    /// @notice `account` lacks `role` over `region`.
    error HouseholdUnauthorized(address account, bytes32 role, uint64 region);

    /// @notice The leaf carries `decision`, the action needs `expected`.
    error HouseholdWrongDecision(bytes32 householdId, uint8 expected, uint8 decision);

    /// @notice A household's region must be a village code; `region` is not.
    error HouseholdNotVillage(uint64 region);

    /// @notice `householdId` is `status`, which the action does not allow.
    error HouseholdWrongStatus(bytes32 householdId, Status status);

    /// @notice `householdId` is registered in `registered`, the proof is for `region`.
    error HouseholdRegionMismatch(bytes32 householdId, uint64 registered, uint64 region);

    /// @notice `householdId` already has an open procedure `subject`.
    error HouseholdProcedureOpen(bytes32 householdId, uint256 subject);

    /// @notice Procedure `subject` has not passed its approvals.
    error HouseholdNotApproved(uint256 subject);

    /// @notice The public notice of `subject` ended at `endsAt`.
    error HouseholdNoticeClosed(uint256 subject, uint256 endsAt);

    /// @notice The public notice of `subject` runs until `endsAt`.
    error HouseholdNoticeRunning(uint256 subject, uint256 endsAt);

    /// @notice Procedure `subject` was stopped by an upheld objection.
    error HouseholdProcedureStopped(uint256 subject);

    /// @notice `count` objections against `subject` are still open.
    error HouseholdObjectionsOpen(uint256 subject, uint256 count);

    /// @notice An objection needs an evidence document.
    error HouseholdEvidenceRequired();

    /// @notice Objection `objectionId` is not open.
    error HouseholdObjectionNotOpen(uint256 objectionId);

    /// @notice `account` filed `subject` and may not judge objections against it.
    error HouseholdReviewerIsSubmitter(uint256 subject, address account);

    /// @notice The notice period `period` is below the minimum `minimum` (5 days).
    error HouseholdNoticeTooShort(uint32 period, uint32 minimum);

    /// @notice `householdId` has no open procedure (its current one, `subject`, is not filed, rejected, stopped or
    /// completed).
    error HouseholdNoOpenProcedure(bytes32 householdId, uint256 subject);

    /// @notice `batchId` still gives `householdId` the decision `decision` its procedure needs.
    error HouseholdStillEligible(bytes32 householdId, bytes32 batchId, uint8 decision);

    /// @notice The notice period `period` is above the maximum `maximum` (90 days).
    error HouseholdNoticeTooLong(uint32 period, uint32 maximum);

    /// @notice The transition period `period` is above the maximum `maximum` (ten years).
    error HouseholdTransitionTooLong(uint32 period, uint32 maximum);

    /// @notice `account` approved `subject` and may not judge objections against it.
    error HouseholdReviewerIsApprover(uint256 subject, address account);

    /// @notice `account` already has objection `objectionId` open against `subject`.
    error HouseholdObjectionAlreadyOpen(uint256 subject, address account, uint256 objectionId);

    /// @notice `subject` has `limit` objections open, the most it can hold.
    error HouseholdTooManyObjections(uint256 subject, uint256 limit);

    /// @notice Files a registration (or re-admission) on an `admit` leaf proven in `batchId`.
    function fileRegistration(bytes32 batchId, EligibilityLeaf calldata leaf, bytes32[] calldata proof)
        external
        returns (uint256 subject);

    /// @notice Files the exit of a registered household on an `exit` leaf proven in `batchId`.
    function fileExit(bytes32 batchId, EligibilityLeaf calldata leaf, bytes32[] calldata proof)
        external
        returns (uint256 subject);

    /// @notice Moves a household into monitoring on a `monitor` leaf proven in `batchId`.
    function enterMonitoring(bytes32 batchId, EligibilityLeaf calldata leaf, bytes32[] calldata proof) external;

    /// @notice Raises an objection against a procedure in public notice.
    function raiseObjection(uint256 subject, string calldata evidenceCid) external returns (uint256 objectionId);

    /// @notice Upholds or dismisses an open objection.
    function resolveObjection(uint256 objectionId, bool upheld, string calldata reasonCid) external;

    /// @notice Stops the open procedure of the leaf's household when the newest final batch covering its village
    /// (`batchId`, proven by `proof`) no longer gives the decision the procedure needs.
    function lapseProcedure(bytes32 batchId, EligibilityLeaf calldata leaf, bytes32[] calldata proof) external;

    /// @notice Completes the open procedure of the leaf's household after a clean public notice, on eligibility
    /// proven again now: the leaf proven by `proof` in `batchId`, the newest final batch covering its village.
    /// When that leaf no longer gives the decision the procedure needs, the procedure lapses instead
    /// ({ProcedureLapsed}); a household the newest batch leaves out has no leaf, so its procedure cannot complete.
    function completeProcedure(bytes32 batchId, EligibilityLeaf calldata leaf, bytes32[] calldata proof) external;

    /// @notice Sets the public notice period (5 to 90 days) for notices starting from the next block on.
    function setNoticePeriod(uint32 period) external;

    /// @notice Sets the post-exit transition period.
    function setTransitionPeriod(uint32 period) external;

    /// @notice Designates `policy` as kept by exited households during their transition period.
    function setPolicyDesignated(bytes32 policy, bool designated) external;

    /// @notice The record of `householdId`.
    function household(bytes32 householdId) external view returns (Household memory);

    /// @notice The id of the current (or next) procedure of `householdId` in `region`.
    function procedureOf(bytes32 householdId, uint64 region) external view returns (uint256);

    /// @notice When the public notice of `subject` ends (0 before its approvals pass).
    function noticeEndsAt(uint256 subject) external view returns (uint256);

    /// @notice Open objections against `subject` and whether one was upheld.
    function noticeOf(uint256 subject) external view returns (uint16 openObjections, bool stopped);

    /// @notice Objection `objectionId`.
    function objection(uint256 objectionId) external view returns (Objection memory);

    /// @notice Whether `householdId` receives `policy` now: registered, or exited or monitored within its
    /// transition period for a designated policy.
    function isCovered(bytes32 householdId, bytes32 policy) external view returns (bool);

    /// @notice The public notice period in seconds, for notices starting from the next block on.
    function noticePeriod() external view returns (uint32);

    /// @notice The post-exit transition period in seconds.
    function transitionPeriod() external view returns (uint32);
}
