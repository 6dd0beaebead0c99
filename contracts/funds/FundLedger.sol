// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Governed} from "../access/Governed.sol";
import {Roles} from "../access/Roles.sol";
import {ApprovalClient} from "../approval/ApprovalClient.sol";
import {SubjectId} from "../approval/SubjectId.sol";
import {IApprovalHub} from "../interfaces/IApprovalHub.sol";
import {IFundLedger} from "../interfaces/IFundLedger.sol";
import {IFundToken} from "../interfaces/IFundToken.sol";
import {IPlanRegistry} from "../interfaces/IPlanRegistry.sol";
import {IRoleRegistry} from "../interfaces/IRoleRegistry.sol";
import {SupervisedClient} from "../supervision/SupervisedClient.sol";
import {RegionCode} from "../utils/RegionCode.sol";

/// @title FundLedger
/// @notice Appropriations, plan escrow and tranches of the earmarked funds (see {IFundLedger}); a client of the
/// approval hub for kind Appropriation (5). It holds every token not yet paid out.
/// @dev Every bucket change keeps the plan's and the ledger's conservation (checked by {isConserved}); tokens
/// held by the ledger = available + escrowed + released + instructed, summed over appropriations and plans.
contract FundLedger is IFundLedger, Governed, SupervisedClient {
    /// @notice Subject kind of an appropriation on the hub (govchain/deploy.py SUBJECT_KINDS).
    uint8 public constant APPROPRIATION_KIND = 5;

    IFundToken public immutable token;
    IPlanRegistry public immutable plans;
    /// @notice The payment contract (set once by governance): it spends released funds.
    address public payments;

    uint32 private _appropriationCount;
    mapping(uint256 id => Appropriation) private _appropriations;
    mapping(uint256 planId => PlanFunds) private _plans;
    Totals private _totals;
    // Issue 11 hook (materials), the smallest change that lets a procurement be paid from a plan's released
    // tranche: contracts besides the payment contract that pay a plan's suppliers (MaterialSupply) may {draw}
    // released funds (nothing to the bank) and move what they drew. Appended last: the layout above is unchanged.
    mapping(address spender => bool) public spenders;

    constructor(IRoleRegistry roleRegistry, IApprovalHub hub, IFundToken fundToken, IPlanRegistry planRegistry)
        Governed(roleRegistry)
        ApprovalClient(hub)
    {
        token = fundToken;
        plans = planRegistry;
    }

    /// @dev The payment contract, or (issue 11 hook) a spender drawing for wallets only. The payment contract's
    /// own calls are decided by the first comparison, so their gas is unchanged.
    modifier onlyPaymentsOrSpender(uint128 toBank) {
        if ((msg.sender != payments || msg.sender == address(0)) && !(toBank == 0 && spenders[msg.sender])) {
            revert FundNotPayments(msg.sender);
        }
        _;
    }

    modifier onlyPayments() {
        if (msg.sender != payments || msg.sender == address(0)) revert FundNotPayments(msg.sender);
        _;
    }

    /// @notice Issue 11 hook: lets `spender` (the materials contract) draw a plan's released funds and move them
    /// to the plan's suppliers, or stops it (governance).
    function setSpender(address spender, bool allowed) external onlyGovernance {
        spenders[spender] = allowed;
        // OpenZeppelin's approve returns true or reverts: nothing to check.
        // slither-disable-next-line unused-return
        token.approve(spender, allowed ? type(uint256).max : 0);
    }

    /// @inheritdoc IFundLedger
    /// @dev Requirements: the caller governs. The ledger lets the payment contract move its tokens (to pay
    /// wallets straight from the ledger, one balance write per household).
    function setPayments(address paymentContract) external onlyGovernance {
        address previous = payments;
        payments = paymentContract;
        // The token is the platform's own ERC-20: approve returns true or reverts.
        if (previous != address(0)) {
            // The allowance of an earlier payment contract ends with it.
            // slither-disable-next-line unused-return
            token.approve(previous, 0);
        }
        // The token is the platform's own ERC-20: approve returns true or reverts.
        // slither-disable-next-line unused-return
        token.approve(paymentContract, type(uint256).max);
    }

    // ---------------------------------------------------------------- appropriations (TREASURY)

    /// @inheritdoc IFundLedger
    /// @dev Requirements: `region` valid, `year` and `cap` not zero; the caller is TREASURY over `region`. Opens
    /// the approval subject (kind Appropriation, support type 0, amount `cap`).
    /// Emits an {AppropriationProposed} event.
    function propose(uint64 region, uint16 year, bytes32 budgetLine, uint128 cap, string calldata documentCid)
        external
        returns (uint256 id)
    {
        if (!RegionCode.isValid(region) || year == 0 || cap == 0) revert FundInvalidAppropriation(region, year, cap);
        uint32 official = _official(Roles.TREASURY, region);
        id = ++_appropriationCount;
        _appropriations[id] = Appropriation({
            region: region,
            year: year,
            status: AppropriationStatus.Proposed,
            proposer: official,
            budgetLine: budgetLine,
            cap: cap,
            minted: 0,
            available: 0
        });
        uint256 subject = _openSubject(uint56(id), region, APPROPRIATION_KIND, 0, cap, msg.sender, official);
        emit AppropriationProposed(id, region, year, budgetLine, cap, subject, documentCid, msg.sender);
    }

    /// @inheritdoc IFundLedger
    /// @dev Requirements: the appropriation is approved and not frozen; the caller is TREASURY over its region;
    /// the cap is not exceeded. Emits a {FundsMoved} (Minted) event.
    function mint(uint256 id, uint256 amount) external notFrozen(appropriationSubject(id)) {
        Appropriation storage appropriation = _approved(id);
        _official(Roles.TREASURY, appropriation.region);
        uint256 room = appropriation.cap - appropriation.minted;
        if (amount > room) revert FundOverAppropriation(id, amount, room);
        // Cannot truncate: amount <= room < 2^128.
        uint128 minted = uint128(amount);
        appropriation.minted += minted;
        appropriation.available += minted;
        _totals.minted += minted;
        _totals.available += minted;
        emit FundsMoved(0, id, Movement.Minted, appropriation.region, amount, 0);
        token.mint(address(this), amount);
    }

    // ---------------------------------------------------------------- plans

    /// @inheritdoc IFundLedger
    /// @dev Requirements: the appropriation is approved; the caller is TREASURY over its region; the plan exists in
    /// a region under it and is not linked yet. Emits a {PlanLinked} event.
    function linkPlan(uint256 planId, uint256 id, uint128 householdCap) external {
        Appropriation storage appropriation = _approved(id);
        _official(Roles.TREASURY, appropriation.region);
        uint64 planRegion = plans.planOf(planId).region;
        if (planRegion == 0 || !RegionCode.covers(appropriation.region, planRegion)) {
            revert FundPlanOutsideRegion(planId, planRegion, appropriation.region);
        }
        PlanFunds storage funds = _plans[planId];
        if (funds.appropriationId != 0) revert FundPlanLink(planId, true);
        // Cannot truncate: ids come from a uint32 counter.
        funds.appropriationId = uint32(id);
        funds.householdCap = householdCap;
        emit PlanLinked(planId, id, planRegion, householdCap);
    }

    /// @inheritdoc IFundLedger
    /// @dev Requirements: the plan is linked, not settled, not frozen, approved, executing or completed; its
    /// appropriation has what the plan lacks. An amendment that raised the budget is escrowed by calling again.
    /// Emits a {FundsMoved} (Escrowed) event when something moved.
    function escrow(uint256 planId) external {
        (PlanFunds storage funds, IPlanRegistry.Plan memory plan) = _livePlan(planId);
        IPlanRegistry.PlanStatus status = plan.status;
        if (
            status != IPlanRegistry.PlanStatus.Approved && status != IPlanRegistry.PlanStatus.Executing
                && status != IPlanRegistry.PlanStatus.Completed
        ) revert FundPlanWrongStatus(planId, uint8(status));
        uint128 budget = plans.versionOf(planId, plan.currentVersion).terms.budget;
        if (budget <= funds.funded) return;
        uint128 needed = budget - funds.funded;
        Appropriation storage appropriation = _appropriations[funds.appropriationId];
        if (needed > appropriation.available) {
            revert FundAppropriationShort(funds.appropriationId, needed, appropriation.available);
        }
        appropriation.available -= needed;
        funds.funded += needed;
        funds.escrowed += needed;
        _totals.available -= needed;
        _totals.escrowed += needed;
        emit FundsMoved(planId, funds.appropriationId, Movement.Escrowed, plan.region, needed, 0);
    }

    /// @inheritdoc IFundLedger
    /// @dev Requirements: the plan is linked and not settled; neither the plan nor the milestone is frozen; the
    /// milestone is approved in the plan registry (the plan executing or completed); the tranche was not released
    /// yet and the escrow holds it. Emits a {FundsMoved} (Released) event.
    function releaseTranche(uint256 planId, uint8 index) external {
        (PlanFunds storage funds, IPlanRegistry.Plan memory plan) = _livePlan(planId);
        _checkNotFrozen(plans.milestoneTarget(planId, index));
        (bool approved, uint128 amount) = plans.trancheApproved(planId, index);
        if (!approved) revert FundTrancheNotApproved(planId, index);
        uint64 bit = uint64(1) << index;
        if (funds.releasedTranches & bit != 0) revert FundTrancheAlreadyReleased(planId, index);
        if (amount > funds.escrowed) revert FundPlanShort(planId, amount, funds.escrowed);
        funds.releasedTranches |= bit;
        funds.escrowed -= amount;
        funds.released += amount;
        _totals.escrowed -= amount;
        _totals.released += amount;
        emit FundsMoved(planId, funds.appropriationId, Movement.Released, plan.region, amount, index);
    }

    /// @inheritdoc IFundLedger
    /// @dev Requirements: the plan is linked, not settled, not frozen, and closed, cancelled or rejected; no bank
    /// instruction is open. Emits a {FundsMoved} (Returned) event.
    function settle(uint256 planId) external {
        (PlanFunds storage funds, IPlanRegistry.Plan memory plan) = _livePlan(planId);
        IPlanRegistry.PlanStatus status = plan.status;
        if (
            status != IPlanRegistry.PlanStatus.Closed && status != IPlanRegistry.PlanStatus.Cancelled
                && status != IPlanRegistry.PlanStatus.Rejected
        ) revert FundPlanWrongStatus(planId, uint8(status));
        if (funds.instructed != 0) revert FundInstructionsOpen(planId, funds.instructed);
        uint128 escrowed = funds.escrowed;
        uint128 released = funds.released;
        uint128 amount = escrowed + released;
        funds.settled = true;
        (funds.escrowed, funds.released) = (0, 0);
        funds.returned += amount;
        _appropriations[funds.appropriationId].available += amount;
        _totals.escrowed -= escrowed;
        _totals.released -= released;
        _totals.returned += amount;
        _totals.available += amount;
        emit FundsMoved(planId, funds.appropriationId, Movement.Returned, plan.region, amount, 0);
    }

    // ---------------------------------------------------------------- the payment contract

    /// @inheritdoc IFundLedger
    /// @dev Requirements: the caller is the payment contract; the plan is not settled; its released funds cover
    /// both amounts (the payment contract checks freezes and emits the per-household events).
    function draw(uint256 planId, uint128 toWallets, uint128 toBank) external onlyPaymentsOrSpender(toBank) {
        PlanFunds storage funds = _plans[planId];
        if (funds.settled) revert FundPlanSettled(planId);
        uint128 needed = toWallets + toBank;
        if (needed > funds.released) revert FundPlanShort(planId, needed, funds.released);
        funds.released -= needed;
        funds.paid += toWallets;
        funds.instructed += toBank;
        _totals.released -= needed;
        _totals.paid += toWallets;
        _totals.instructed += toBank;
    }

    /// @inheritdoc IFundLedger
    /// @dev Requirements: the caller is the payment contract; the plan's bank instructions cover both amounts.
    /// Confirmed funds are burnt: they left the token as the bank's payment.
    function settleBank(uint256 planId, uint128 confirmed, uint128 failed) external onlyPayments {
        PlanFunds storage funds = _plans[planId];
        // The payment contract settles only what it instructed, so this cannot underflow unless it errs.
        funds.instructed -= confirmed + failed;
        funds.paid += confirmed;
        funds.released += failed;
        _totals.instructed -= confirmed + failed;
        _totals.paid += confirmed;
        _totals.released += failed;
        if (confirmed != 0) token.burn(confirmed);
    }

    /// @inheritdoc IFundLedger
    /// @dev Requirements: the caller is the payment contract (which clawed `amount` back into the ledger).
    /// Recovered funds return to the plan's released funds, or to the appropriation once the plan is settled.
    /// Emits a {FundsMoved} (Returned) event in the latter case.
    function recovered(uint256 planId, uint128 amount) external onlyPayments {
        PlanFunds storage funds = _plans[planId];
        funds.paid -= amount;
        funds.recovered += amount;
        _totals.paid -= amount;
        _totals.recovered += amount;
        if (funds.settled) {
            funds.returned += amount;
            Appropriation storage appropriation = _appropriations[funds.appropriationId];
            appropriation.available += amount;
            _totals.returned += amount;
            _totals.available += amount;
            emit FundsMoved(planId, funds.appropriationId, Movement.Returned, appropriation.region, amount, 0);
        } else {
            funds.released += amount;
            _totals.released += amount;
        }
    }

    // ---------------------------------------------------------------- supervision and the hub

    // Supervision: the ledger's targets are its appropriations' hub subjects ({SupervisedClient-supervisedSubjects});
    // it applies no consequence of its own: a wrong appropriation stays frozen until resolved.

    function _submitterRole(uint256) internal pure override returns (bytes32) {
        return Roles.TREASURY;
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IFundLedger
    function appropriationOf(uint256 id) external view returns (Appropriation memory) {
        return _appropriations[id];
    }

    /// @inheritdoc IFundLedger
    function planFunds(uint256 planId) external view returns (PlanFunds memory) {
        return _plans[planId];
    }

    /// @inheritdoc IFundLedger
    function totals() external view returns (Totals memory) {
        return _totals;
    }

    /// @inheritdoc IFundLedger
    function isConserved(uint256 planId) external view returns (bool) {
        if (planId == 0) {
            Totals memory t = _totals;
            return t.minted == uint256(t.available) + t.escrowed + t.released + t.instructed + t.paid;
        }
        PlanFunds memory f = _plans[planId];
        return f.funded == uint256(f.escrowed) + f.released + f.instructed + f.paid + f.returned;
    }

    /// @inheritdoc IFundLedger
    function appropriationSubject(uint256 id) public view returns (uint256) {
        return _subjectId(uint56(id), _appropriations[id].region);
    }

    /// @inheritdoc IFundLedger
    function appropriationCount() external view returns (uint256) {
        return _appropriationCount;
    }

    // ---------------------------------------------------------------- internals

    function _onDecided(uint256 subject, bool approved) internal override {
        // The key of an appropriation subject is its id.
        uint256 id = uint56(subject >> SubjectId.REGION_BITS);
        Appropriation storage appropriation = _appropriations[id];
        if (appropriation.status != AppropriationStatus.Proposed) return;
        appropriation.status = approved ? AppropriationStatus.Approved : AppropriationStatus.Rejected;
        emit AppropriationDecided(id, appropriation.region, approved);
    }

    function _approved(uint256 id) private view returns (Appropriation storage appropriation) {
        appropriation = _appropriations[id];
        if (appropriation.status != AppropriationStatus.Approved) {
            revert FundAppropriationNotApproved(id, appropriation.status);
        }
    }

    /// @dev A linked plan not settled nor frozen, and its record in the plan registry.
    function _livePlan(uint256 planId) private view returns (PlanFunds storage funds, IPlanRegistry.Plan memory plan) {
        funds = _plans[planId];
        if (funds.appropriationId == 0) revert FundPlanLink(planId, false);
        if (funds.settled) revert FundPlanSettled(planId);
        _checkNotFrozen(plans.planTarget(planId));
        plan = plans.planOf(planId);
    }

    function _official(bytes32 role, uint64 region) private view returns (uint32 official) {
        bool authorized;
        (official, authorized) = roles.officialIn(role, msg.sender, region);
        if (!authorized) revert FundUnauthorized(msg.sender, role, region);
    }
}
