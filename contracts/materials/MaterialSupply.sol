// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {Governed} from "../access/Governed.sol";
import {Roles} from "../access/Roles.sol";
import {IApprovalHub} from "../interfaces/IApprovalHub.sol";
import {IFollowUpVisits} from "../interfaces/IFollowUpVisits.sol";
import {IFundLedger} from "../interfaces/IFundLedger.sol";
import {IFundToken} from "../interfaces/IFundToken.sol";
import {IHouseholdRegistry} from "../interfaces/IHouseholdRegistry.sol";
import {IMaterialSupply} from "../interfaces/IMaterialSupply.sol";
import {IPaymentBatches} from "../interfaces/IPaymentBatches.sol";
import {IPlanRegistry} from "../interfaces/IPlanRegistry.sol";
import {IRoleRegistry} from "../interfaces/IRoleRegistry.sol";
import {ApprovalClient} from "../approval/ApprovalClient.sol";
import {SupervisedClient} from "../supervision/SupervisedClient.sol";
import {RegionCode} from "../utils/RegionCode.sol";

/// @title MaterialSupply
/// @notice Materials from procurement to a household's receipt; see {IMaterialSupply}.
/// @dev Gas of a delivery (the hot path): one slot of the dispatch, one of its row bitmap (set non-zero when the
/// dispatch is created, so a delivery never pays for a fresh slot), one of the plan's balance (in transit and
/// delivered share it); the household's village from the household register, its wallet from the payment
/// contract only when a signature is given.
contract MaterialSupply is IMaterialSupply, SupervisedClient, EIP712, Governed {
    /// @notice Subject kind of a procurement on the hub (govchain/deploy.py SUBJECT_KINDS).
    uint8 public constant PROCUREMENT_KIND = 7;
    /// @notice Consequence of an upheld finding on a procurement or a dispatch: it is cancelled and what of it is
    /// still in the warehouse (a procurement) or in transit (a dispatch) is written off as lost, with reason code
    /// {SUPERVISION_LOSS}. The same code cancels a plan in the plan registry.
    uint8 public constant CONSEQUENCE_CANCEL = 1;
    /// @notice Reason code of a loss written off by a supervision finding (the case's CaseResolved event holds
    /// its reason document).
    uint8 public constant SUPERVISION_LOSS = 255;
    bytes32 private constant RECEIPT_TYPEHASH =
        keccak256("MaterialReceipt(uint256 dispatchId,uint8 row,bytes32 household,uint64 quantity)");
    // A dispatch's target key carries this bit, a procurement's does not (both are uint56 keys of this client).
    uint56 private constant DISPATCH_TAG = uint56(1) << 55;
    // The row bitmap's top bit, set when a dispatch is created: rows are 0..254.
    uint256 private constant ROWS_OPEN = uint256(1) << 255;
    uint8 private constant LAST_ROW = 254;

    IPlanRegistry public immutable plans;
    IFundLedger public immutable ledger;
    IFundToken public immutable token;
    IHouseholdRegistry public immutable households;
    IPaymentBatches public immutable payments;
    IFollowUpVisits public immutable visits;

    uint32 private _kindCount;
    uint32 private _procurementCount;
    uint32 private _dispatchCount;
    mapping(uint32 kindId => bytes32 unit) private _units;
    mapping(uint256 procurementId => Procurement) private _procurements;
    mapping(uint256 dispatchId => Dispatch) private _dispatches;
    mapping(uint256 dispatchId => uint256 rows) private _rows;
    mapping(uint256 planId => mapping(uint32 kindId => Balance)) private _balances;
    mapping(uint64 warehouse => mapping(uint32 kindId => uint256)) private _stock;

    constructor(
        IRoleRegistry roleRegistry,
        IApprovalHub hub,
        IPlanRegistry planRegistry,
        IFundLedger fundLedger,
        IHouseholdRegistry householdRegistry,
        IPaymentBatches paymentBatches,
        IFollowUpVisits followUpVisits
    ) Governed(roleRegistry) ApprovalClient(hub) EIP712("GovChain MaterialSupply", "1") {
        plans = planRegistry;
        ledger = fundLedger;
        token = fundLedger.token();
        households = householdRegistry;
        payments = paymentBatches;
        visits = followUpVisits;
    }

    // ---------------------------------------------------------------- kinds and procurement

    /// @inheritdoc IMaterialSupply
    /// @dev Requirements: the caller governs; a non-zero unit (such as "kg", "bag", "head").
    function defineKind(bytes32 unit, string calldata descriptionCid) external onlyGovernance returns (uint32 kindId) {
        if (unit == bytes32(0)) revert MaterialInvalidUnit();
        kindId = ++_kindCount;
        _units[kindId] = unit;
        emit MaterialKindDefined(kindId, unit, descriptionCid);
    }

    /// @inheritdoc IMaterialSupply
    /// @dev Requirements: the plan executing and not frozen; the caller HANDLER over its region; the kind defined;
    /// the warehouse a valid region on the plan's branch (above or under its region); the supplier a SUPPLIER of
    /// the warehouse's region; a quantity, a unit price and an invoice. Opens approval subject
    /// {procurementSubject} (kind {PROCUREMENT_KIND}, support type 0, the total price).
    function propose(
        uint256 planId,
        uint32 kindId,
        uint64 warehouse,
        address supplier,
        uint64 quantity,
        uint88 unitPrice,
        string calldata invoiceCid
    ) external returns (uint256 procurementId) {
        IPlanRegistry.Plan memory plan = _executingPlan(planId);
        uint32 official = _official(Roles.HANDLER, plan.region);
        if (_units[kindId] == bytes32(0)) revert MaterialUnknownKind(kindId);
        if (!RegionCode.isValid(warehouse)
            || !(RegionCode.covers(warehouse, plan.region) || RegionCode.covers(plan.region, warehouse))) {
            revert MaterialInvalidRegion(warehouse);
        }
        if (!roles.hasRoleIn(Roles.SUPPLIER, supplier, warehouse)) revert MaterialNotSupplier(supplier, warehouse);
        if (quantity == 0 || unitPrice == 0) revert MaterialInvalidProcurement(1);
        if (bytes(invoiceCid).length == 0) revert MaterialInvalidProcurement(2);

        procurementId = ++_procurementCount;
        Procurement memory procurement = Procurement(
            uint32(planId), kindId, warehouse, quantity, 0, supplier, unitPrice, ProcurementStatus.Proposed
        );
        _procurements[procurementId] = procurement;
        uint256 subject = _openSubject(
            uint56(procurementId),
            warehouse,
            PROCUREMENT_KIND,
            0, // one procurement route for every plan type (govchain/deploy.py DEFAULT_ROUTES)
            uint256(quantity) * unitPrice,
            msg.sender,
            official
        );
        emit ProcurementProposed(procurementId, planId, warehouse, subject, procurement, invoiceCid, msg.sender);
    }

    /// @inheritdoc IMaterialSupply
    /// @dev Requirements: the procurement approved; neither it nor its plan frozen; the caller DISPATCHER over
    /// the warehouse; the plan's released funds cover the price (else {IFundLedger-FundPlanShort}). Pays the
    /// supplier in the fund token straight from the ledger, and puts the quantity in stock.
    function receiveGoods(uint256 procurementId, string calldata receiptCid) external {
        Procurement storage procurement = _procurements[procurementId];
        (uint32 planId, uint64 warehouse, ProcurementStatus status) =
            (procurement.planId, procurement.warehouse, procurement.status);
        if (status != ProcurementStatus.Approved) revert MaterialWrongStatus(procurementId, status);
        _checkNotFrozen(plans.planTarget(planId));
        _checkNotFrozen(procurementSubject(procurementId));
        _official(Roles.DISPATCHER, warehouse);
        if (bytes(receiptCid).length == 0) revert MaterialEvidenceRequired();

        uint64 quantity = procurement.quantity;
        uint32 kindId = procurement.kindId;
        procurement.status = ProcurementStatus.Received;
        procurement.stock = quantity;
        Balance storage balance = _balances[planId][kindId];
        balance.procured += quantity;
        balance.inStock += quantity;
        _stock[warehouse][kindId] += quantity;
        uint256 amount = uint256(quantity) * procurement.unitPrice;
        address supplier = procurement.supplier;
        emit ProcurementReceived(procurementId, planId, supplier, amount, receiptCid, msg.sender);
        // The ledger moves the price from the plan's released funds to paid (reverting when they fall short);
        // the tokens go from the ledger to the supplier, never beyond what was drawn. `from` is always the ledger,
        // which lets this contract move exactly what it draws (FundLedger.setSpender), to an approved supplier.
        ledger.draw(planId, uint128(amount), 0);
        // slither-disable-next-line arbitrary-send-erc20
        bool paid = token.transferFrom(address(ledger), supplier, amount);
        assert(paid); // OpenZeppelin's ERC-20 reverts rather than return false
    }

    // ---------------------------------------------------------------- dispatch and delivery

    /// @inheritdoc IMaterialSupply
    /// @dev Requirements: the procurement received and not frozen, its plan not frozen; the caller DISPATCHER
    /// over its warehouse; `village` a village under both the warehouse and the plan's region; its stock covers
    /// `quantity`.
    function dispatch(uint256 procurementId, uint64 village, uint64 quantity) external returns (uint256 dispatchId) {
        Procurement storage procurement = _procurements[procurementId];
        (uint32 planId, uint32 kindId, uint64 warehouse, uint64 stock, ProcurementStatus status) = (
            procurement.planId, procurement.kindId, procurement.warehouse, procurement.stock, procurement.status
        );
        if (status != ProcurementStatus.Received) revert MaterialWrongStatus(procurementId, status);
        _checkNotFrozen(plans.planTarget(planId));
        _checkNotFrozen(procurementSubject(procurementId));
        _official(Roles.DISPATCHER, warehouse);
        if (RegionCode.level(village) != 5 || !RegionCode.covers(warehouse, village)
            || !RegionCode.covers(plans.planOf(planId).region, village)) {
            revert MaterialInvalidRegion(village);
        }
        _takeFromStock(procurementId, procurement, quantity, stock);

        dispatchId = ++_dispatchCount;
        _dispatches[dispatchId] = Dispatch(uint32(procurementId), planId, kindId, village, quantity);
        _rows[dispatchId] = ROWS_OPEN;
        _stock[warehouse][kindId] -= quantity;
        Balance storage balance = _balances[planId][kindId];
        balance.inStock -= quantity;
        balance.inTransit += quantity;
        emit MaterialDispatched(dispatchId, planId, village, procurementId, kindId, quantity, msg.sender);
    }

    /// @inheritdoc IMaterialSupply
    /// @dev Requirements: the dispatch exists and is not frozen; the caller GRID_WORKER over its village; a
    /// non-zero quantity within what is in transit; row 0..254 not delivered yet; the household registered in the
    /// dispatch's village; a signature by the household's bound wallet over {receiptDigest}, or none and an
    /// evidence document. Notes the service to the follow-up visits (a plan's visit window opens an obligation).
    function deliver(
        uint256 dispatchId,
        uint8 row,
        bytes32 household,
        uint64 quantity,
        bytes calldata signature,
        string calldata evidenceCid
    ) external {
        Dispatch storage sent = _dispatches[dispatchId];
        uint64 village = sent.village;
        if (village == 0) revert MaterialUnknownDispatch(dispatchId);
        if (!roles.hasRoleIn(Roles.GRID_WORKER, msg.sender, village)) {
            revert MaterialUnauthorized(msg.sender, Roles.GRID_WORKER, village);
        }
        _checkNotFrozen(dispatchTarget(dispatchId));
        // A receipt counts once: the row is marked (and the quantity taken) before anything else is read.
        _markRow(dispatchId, row);
        _takeInTransit(dispatchId, sent, quantity);
        if (households.household(household).region != village) {
            revert MaterialHouseholdOutsideVillage(household, village);
        }
        ReceiptMethod method = _checkReceipt(dispatchId, row, household, quantity, signature, evidenceCid);
        uint32 planId = _recordDelivery(dispatchId, row, household, quantity, method, evidenceCid);
        visits.noteService(planId, household);
    }

    /// @inheritdoc IMaterialSupply
    /// @dev Requirements: the dispatch exists and is not frozen; the caller DISPATCHER over its procurement's
    /// warehouse. The dispatcher pays for what the deliveries would otherwise create: each recipient's visit-duty
    /// record under the plan (a household listed in another village only wastes the dispatcher's gas).
    /// Emits a {RecipientsListed} event.
    function listRecipients(uint256 dispatchId, bytes32[] calldata recipients) external {
        Dispatch storage sent = _dispatches[dispatchId];
        (uint32 procurementId, uint32 planId, uint64 village) = (sent.procurementId, sent.planId, sent.village);
        if (village == 0) revert MaterialUnknownDispatch(dispatchId);
        _checkNotFrozen(dispatchTarget(dispatchId));
        _official(Roles.DISPATCHER, _procurements[procurementId].warehouse);
        emit RecipientsListed(dispatchId, planId, village, recipients.length);
        visits.prepareDuties(planId, recipients);
    }

    // ---------------------------------------------------------------- losses and returns

    /// @inheritdoc IMaterialSupply
    /// @dev Requirements: the procurement received; the caller DISPATCHER over its warehouse; its stock covers
    /// `quantity`; a reason document.
    function loseFromStock(uint256 procurementId, uint64 quantity, uint8 reasonCode, string calldata reasonCid)
        external
    {
        Procurement storage procurement = _procurements[procurementId];
        (uint32 planId, uint32 kindId, uint64 warehouse, ProcurementStatus status) =
            (procurement.planId, procurement.kindId, procurement.warehouse, procurement.status);
        if (status != ProcurementStatus.Received) revert MaterialWrongStatus(procurementId, status);
        _checkNotFrozen(plans.planTarget(planId));
        _checkNotFrozen(procurementSubject(procurementId));
        _official(Roles.DISPATCHER, warehouse);
        if (bytes(reasonCid).length == 0) revert MaterialEvidenceRequired();
        _takeFromStock(procurementId, procurement, quantity, procurement.stock);
        _stock[warehouse][kindId] -= quantity;
        _writeOff(planId, kindId, procurementId, true, quantity, reasonCode, reasonCid);
    }

    /// @inheritdoc IMaterialSupply
    /// @dev Requirements: the dispatch exists; the caller GRID_WORKER over its village or DISPATCHER over its
    /// procurement's warehouse; `quantity` non-zero within what is in transit; a reason document.
    function loseInTransit(uint256 dispatchId, uint64 quantity, uint8 reasonCode, string calldata reasonCid) external {
        Dispatch storage sent = _dispatches[dispatchId];
        (uint32 planId, uint32 kindId, uint64 village) = (sent.planId, sent.kindId, sent.village);
        if (village == 0) revert MaterialUnknownDispatch(dispatchId);
        _checkNotFrozen(dispatchTarget(dispatchId));
        if (!roles.hasRoleIn(Roles.GRID_WORKER, msg.sender, village)) {
            _official(Roles.DISPATCHER, _procurements[sent.procurementId].warehouse);
        }
        if (bytes(reasonCid).length == 0) revert MaterialEvidenceRequired();
        _takeInTransit(dispatchId, sent, quantity);
        _writeOff(planId, kindId, dispatchId, false, quantity, reasonCode, reasonCid);
    }

    /// @inheritdoc IMaterialSupply
    /// @dev Requirements: the dispatch exists; the caller DISPATCHER over its procurement's warehouse; `quantity`
    /// non-zero within what is in transit; a reason document.
    function returnToStock(uint256 dispatchId, uint64 quantity, uint8 reasonCode, string calldata reasonCid)
        external
    {
        Dispatch storage sent = _dispatches[dispatchId];
        (uint32 procurementId, uint32 planId, uint32 kindId) = (sent.procurementId, sent.planId, sent.kindId);
        if (sent.village == 0) revert MaterialUnknownDispatch(dispatchId);
        // Back into its procurement's stock: neither the dispatch nor the procurement may be frozen.
        _checkNotFrozen(dispatchTarget(dispatchId));
        _checkNotFrozen(procurementSubject(procurementId));
        Procurement storage procurement = _procurements[procurementId];
        ProcurementStatus status = procurement.status;
        if (status != ProcurementStatus.Received) revert MaterialWrongStatus(procurementId, status);
        uint64 warehouse = procurement.warehouse;
        _official(Roles.DISPATCHER, warehouse);
        if (bytes(reasonCid).length == 0) revert MaterialEvidenceRequired();
        _takeInTransit(dispatchId, sent, quantity);
        procurement.stock += quantity;
        _stock[warehouse][kindId] += quantity;
        Balance storage balance = _balances[planId][kindId];
        balance.inTransit -= quantity;
        balance.inStock += quantity;
        emit MaterialReturned(dispatchId, planId, quantity, reasonCode, reasonCid, msg.sender);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IMaterialSupply
    function receiptDigest(uint256 dispatchId, uint8 row, bytes32 household, uint64 quantity)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(RECEIPT_TYPEHASH, dispatchId, row, household, quantity)));
    }

    /// @inheritdoc IMaterialSupply
    function procurementOf(uint256 procurementId) external view returns (Procurement memory) {
        return _procurements[procurementId];
    }

    /// @inheritdoc IMaterialSupply
    function dispatchOf(uint256 dispatchId) external view returns (Dispatch memory) {
        return _dispatches[dispatchId];
    }

    /// @inheritdoc IMaterialSupply
    function balanceOf(uint256 planId, uint32 kindId) external view returns (Balance memory) {
        return _balances[planId][kindId];
    }

    /// @inheritdoc IMaterialSupply
    function isConserved(uint256 planId, uint32 kindId) external view returns (bool) {
        Balance storage b = _balances[planId][kindId];
        return uint256(b.procured) == uint256(b.inStock) + b.inTransit + b.delivered + b.lost;
    }

    /// @inheritdoc IMaterialSupply
    function isDelivered(uint256 dispatchId, uint8 row) external view returns (bool) {
        return row <= LAST_ROW && _rows[dispatchId] & (uint256(1) << row) != 0;
    }

    /// @inheritdoc IMaterialSupply
    function stockIn(uint64 warehouse, uint32 kindId) external view returns (uint256) {
        return _stock[warehouse][kindId];
    }

    /// @inheritdoc IMaterialSupply
    function unitOf(uint32 kindId) external view returns (bytes32) {
        return _units[kindId];
    }

    /// @inheritdoc IMaterialSupply
    function procurementSubject(uint256 procurementId) public view returns (uint256) {
        return _subjectId(uint56(procurementId), _procurements[procurementId].warehouse);
    }

    /// @inheritdoc IMaterialSupply
    function dispatchTarget(uint256 dispatchId) public view returns (uint256) {
        return _subjectId(DISPATCH_TAG | uint56(dispatchId), _dispatches[dispatchId].village);
    }

    /// @notice Whether `target` is a procurement or dispatch of this contract, and the hub subject a freeze of it
    /// must freeze too (a procurement awaiting its approval).
    function supervisedSubjects(uint256 target)
        external
        view
        override
        returns (bool known, uint256[] memory subjects)
    {
        uint56 key = uint56(target >> 40);
        if (key & DISPATCH_TAG != 0) {
            uint256 dispatchId = key & ~DISPATCH_TAG;
            return (_dispatches[dispatchId].village != 0 && target == dispatchTarget(dispatchId), subjects);
        }
        Procurement storage procurement = _procurements[key];
        known = procurement.status != ProcurementStatus.None && target == procurementSubject(key);
        if (known && procurement.status == ProcurementStatus.Proposed) {
            subjects = new uint256[](1);
            subjects[0] = target;
        }
    }

    // ---------------------------------------------------------------- internals

    function _submitterRole(uint256) internal pure override returns (bytes32) {
        return Roles.HANDLER;
    }

    /// @dev {CONSEQUENCE_CANCEL} on a procurement: cancelled at any status short of rejected or cancelled; nothing
    /// was paid before the goods were received, and what of them is still in the warehouse is written off as lost
    /// (dispatches already sent stay with their own targets). On a dispatch: what is still in transit is written
    /// off as lost, so nothing more is delivered from it. Conservation holds throughout: stock and transit move to
    /// lost. The supplier's payment is not clawed back here; a recovery is a matter for the finding's follow-up.
    function _applyConsequence(uint256 target, uint8 consequence) internal override {
        uint56 key = uint56(target >> 40);
        bool known = consequence == CONSEQUENCE_CANCEL;
        if (known && key & DISPATCH_TAG != 0) {
            uint256 dispatchId = key & ~DISPATCH_TAG;
            Dispatch storage sent = _dispatches[dispatchId];
            known = sent.village != 0 && target == dispatchTarget(dispatchId);
            if (known) {
                (uint32 planId, uint32 kindId, uint64 inTransit) = (sent.planId, sent.kindId, sent.inTransit);
                sent.inTransit = 0;
                _writeOff(planId, kindId, dispatchId, false, inTransit, SUPERVISION_LOSS, "");
                return;
            }
        } else if (known) {
            Procurement storage procurement = _procurements[key];
            ProcurementStatus status = procurement.status;
            known = status != ProcurementStatus.None && target == procurementSubject(key);
            if (known) {
                if (status == ProcurementStatus.Rejected || status == ProcurementStatus.Cancelled) return;
                (uint32 planId, uint32 kindId, uint64 stock) = (procurement.planId, procurement.kindId, procurement.stock);
                procurement.status = ProcurementStatus.Cancelled;
                procurement.stock = 0;
                emit ProcurementCancelled(key, planId, stock);
                if (stock != 0) {
                    _stock[procurement.warehouse][kindId] -= stock;
                    _writeOff(planId, kindId, key, true, stock, SUPERVISION_LOSS, "");
                }
                return;
            }
        }
        revert SupervisedUnknownConsequence(target, consequence);
    }

    /// @dev A decision on a procurement cancelled meanwhile changes nothing.
    function _onDecided(uint256 subject, bool approved) internal override {
        uint256 procurementId = uint56(subject >> 40);
        Procurement storage procurement = _procurements[procurementId];
        if (procurement.status != ProcurementStatus.Proposed) return;
        procurement.status = approved ? ProcurementStatus.Approved : ProcurementStatus.Rejected;
        emit ProcurementDecided(procurementId, procurement.planId, approved);
    }

    function _takeFromStock(uint256 procurementId, Procurement storage procurement, uint64 quantity, uint64 stock)
        private
    {
        if (quantity == 0) revert MaterialZeroQuantity();
        if (quantity > stock) revert MaterialShortStock(procurementId, quantity, stock);
        procurement.stock = stock - quantity;
    }

    /// @dev Moves `quantity` of plan `planId`'s kind `kindId` to lost in the plan's balance, from stock (`fromStock`:
    /// `source` is a procurement, whose stock and warehouse the caller lowered) or from transit (`source` is a
    /// dispatch, whose in-transit quantity the caller lowered), and emits {MaterialLost}: the one write-off of a
    /// loss recorded by an official and of a supervision finding's cancellation.
    function _writeOff(
        uint32 planId,
        uint32 kindId,
        uint256 source,
        bool fromStock,
        uint64 quantity,
        uint8 reasonCode,
        string memory reasonCid
    ) private {
        Balance storage balance = _balances[planId][kindId];
        if (fromStock) balance.inStock -= quantity;
        else balance.inTransit -= quantity;
        balance.lost += quantity;
        emit MaterialLost(planId, kindId, source, fromStock, quantity, reasonCode, reasonCid, msg.sender);
    }

    /// @dev Moves `quantity` from in transit to delivered in the plan's balance and emits {MaterialDelivered}.
    function _recordDelivery(
        uint256 dispatchId,
        uint8 row,
        bytes32 household,
        uint64 quantity,
        ReceiptMethod method,
        string calldata evidenceCid
    ) private returns (uint32 planId) {
        Dispatch storage sent = _dispatches[dispatchId];
        uint32 kindId;
        (planId, kindId) = (sent.planId, sent.kindId);
        Balance storage balance = _balances[planId][kindId];
        balance.inTransit -= quantity;
        balance.delivered += quantity;
        emit MaterialDelivered(dispatchId, household, planId, row, kindId, quantity, method, evidenceCid, msg.sender);
    }

    function _markRow(uint256 dispatchId, uint8 row) private {
        if (row > LAST_ROW) revert MaterialInvalidRow(dispatchId, row);
        uint256 rows = _rows[dispatchId];
        uint256 bit = uint256(1) << row;
        if (rows & bit != 0) revert MaterialAlreadyReceived(dispatchId, row);
        _rows[dispatchId] = rows | bit;
    }

    function _takeInTransit(uint256 dispatchId, Dispatch storage sent, uint64 quantity) private {
        uint64 inTransit = sent.inTransit;
        if (quantity == 0) revert MaterialZeroQuantity();
        if (quantity > inTransit) revert MaterialBeyondDispatch(dispatchId, quantity, inTransit);
        sent.inTransit = inTransit - quantity;
    }

    /// @dev How the receipt of a delivery is confirmed: a signature by the household's bound wallet, or (no
    /// signature) an attestation with evidence; reverts otherwise.
    function _checkReceipt(
        uint256 dispatchId,
        uint8 row,
        bytes32 household,
        uint64 quantity,
        bytes calldata signature,
        string calldata evidenceCid
    ) private view returns (ReceiptMethod) {
        if (signature.length == 0) {
            if (bytes(evidenceCid).length == 0) revert MaterialEvidenceRequired();
            return ReceiptMethod.Attestation;
        }
        address wallet = payments.bindingOf(household).wallet;
        // tryRecover's third value only details a malformed signature; the error kind is enough to refuse it.
        // slither-disable-next-line unused-return
        (address signer, ECDSA.RecoverError failure,) =
            ECDSA.tryRecover(receiptDigest(dispatchId, row, household, quantity), signature);
        if (wallet == address(0) || failure != ECDSA.RecoverError.NoError || signer != wallet) {
            revert MaterialBadReceipt(household);
        }
        return ReceiptMethod.Signature;
    }

    function _executingPlan(uint256 planId) private view returns (IPlanRegistry.Plan memory plan) {
        plan = plans.planOf(planId);
        if (plan.status != IPlanRegistry.PlanStatus.Executing) {
            revert MaterialPlanNotExecuting(planId, uint8(plan.status));
        }
        _checkNotFrozen(plans.planTarget(planId));
    }

    /// @dev The caller's official id, reverting unless it holds `role` over `region`.
    function _official(bytes32 role, uint64 region) private view returns (uint32 official) {
        bool authorized;
        (official, authorized) = roles.officialIn(role, msg.sender, region);
        if (!authorized) revert MaterialUnauthorized(msg.sender, role, region);
    }
}
