// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IMaterialSupply
/// @notice Materials (物资扶持, 商品采购, 物资发放, 物资监管), from procurement to a household's receipt.
/// Governance defines material kinds with their units. A HANDLER of a plan's region proposes a procurement from a
/// SUPPLIER (of the warehouse's region): kind, quantity, unit price, warehouse, invoice document; it is an
/// approval subject on the hub (kind Procurement). Once approved, a DISPATCHER of the warehouse receives the goods
/// into stock, which pays the supplier from the plan's released tranche in the fund token. A DISPATCHER sends
/// stock to a village (a dispatch); a GRID_WORKER of that village records each delivery to a household of the
/// village, on a row of the dispatch's distribution list, with the household's receipt: an EIP-712 signature of
/// its bound wallet, or the grid worker's attestation with an evidence document (photo, signed form). Losses (in
/// the warehouse or in transit) and returns to stock are recorded with a reason.
/// Conservation, per plan and kind, at every moment: procured = inStock + inTransit + delivered + lost
/// ({balanceOf}). Supervision (合规监管, 物资监管): a procurement moves (approval, receipt, dispatch, loss from
/// stock) only while neither it nor its plan is frozen; a dispatch moves (delivery, loss in transit) only while it
/// is not frozen, and returns to stock only while neither it nor its procurement is. An upheld finding may cancel
/// a procurement or a dispatch, writing off what of it is left as lost (see MaterialSupply.CONSEQUENCE_CANCEL).
interface IMaterialSupply {
    /// @notice A procurement's progress.
    enum ProcurementStatus {
        None,
        Proposed,
        Approved,
        Rejected,
        Received,
        Cancelled
    }

    /// @notice How a delivery's receipt was confirmed.
    enum ReceiptMethod {
        Signature,
        Attestation
    }

    /// @notice A procurement: plan, kind, warehouse region, quantity and what of it is still in the warehouse,
    /// status, supplier and unit price (fen per unit).
    struct Procurement {
        uint32 planId;
        uint32 kindId;
        uint64 warehouse;
        uint64 quantity;
        uint64 stock;
        address supplier;
        uint88 unitPrice;
        ProcurementStatus status;
    }

    /// @notice A dispatch: from procurement `procurementId` (plan, kind) to `village`; `inTransit` is what is
    /// neither delivered, lost nor returned yet (the quantity sent is in {MaterialDispatched}).
    struct Dispatch {
        uint32 procurementId;
        uint32 planId;
        uint32 kindId;
        uint64 village;
        uint64 inTransit;
    }

    /// @notice Where the materials of a plan and kind stand (see the conservation above).
    struct Balance {
        uint64 inTransit;
        uint64 delivered;
        uint64 inStock;
        uint64 procured;
        uint64 lost;
    }

    /// @notice Governance defined material kind `kindId` counted in `unit`, described in `descriptionCid`.
    event MaterialKindDefined(uint32 indexed kindId, bytes32 unit, string descriptionCid);

    /// @notice `handler` proposed procurement `procurementId` as approval subject `subject`.
    event ProcurementProposed(
        uint256 indexed procurementId,
        uint256 indexed planId,
        uint64 indexed warehouse,
        uint256 subject,
        Procurement procurement,
        string invoiceCid,
        address handler
    );

    /// @notice Procurement `procurementId` was approved or rejected on the hub.
    event ProcurementDecided(uint256 indexed procurementId, uint256 indexed planId, bool approved);

    /// @notice `dispatcher` received procurement `procurementId` into stock and paid `supplier` `amount` fen
    /// from plan `planId`'s released funds; `receiptCid` is the goods receipt (入库单).
    event ProcurementReceived(
        uint256 indexed procurementId,
        uint256 indexed planId,
        address indexed supplier,
        uint256 amount,
        string receiptCid,
        address dispatcher
    );

    /// @notice An upheld supervision finding cancelled procurement `procurementId`; `writtenOff` of it was still in
    /// the warehouse and is recorded lost ({MaterialLost}).
    event ProcurementCancelled(uint256 indexed procurementId, uint256 indexed planId, uint64 writtenOff);

    /// @notice `dispatcher` sent `quantity` of procurement `procurementId` to `village` as dispatch `dispatchId`.
    event MaterialDispatched(
        uint256 indexed dispatchId,
        uint256 indexed planId,
        uint64 indexed village,
        uint256 procurementId,
        uint32 kindId,
        uint64 quantity,
        address dispatcher
    );

    /// @notice `dispatcher` listed `count` recipient households of dispatch `dispatchId` (plan `planId`, `village`),
    /// writing their visit-duty records ahead of the deliveries.
    event RecipientsListed(uint256 indexed dispatchId, uint256 indexed planId, uint64 indexed village, uint256 count);

    /// @notice `worker` delivered `quantity` of dispatch `dispatchId` (row `row`) to `household` of plan
    /// `planId`, its receipt confirmed by `method` (`evidenceCid`: the attestation's evidence, or empty).
    event MaterialDelivered(
        uint256 indexed dispatchId,
        bytes32 indexed household,
        uint256 indexed planId,
        uint8 row,
        uint32 kindId,
        uint64 quantity,
        ReceiptMethod method,
        string evidenceCid,
        address worker
    );

    /// @notice `quantity` of plan `planId`, kind `kindId`, was lost (`fromStock`: in the warehouse of procurement
    /// `source`; else in transit on dispatch `source`) for `reasonCode`, reasoned in `reasonCid`.
    event MaterialLost(
        uint256 indexed planId,
        uint32 indexed kindId,
        uint256 indexed source,
        bool fromStock,
        uint64 quantity,
        uint8 reasonCode,
        string reasonCid,
        address reporter
    );

    /// @notice `quantity` of dispatch `dispatchId` came back to the warehouse stock of its procurement.
    event MaterialReturned(
        uint256 indexed dispatchId,
        uint256 indexed planId,
        uint64 quantity,
        uint8 reasonCode,
        string reasonCid,
        address dispatcher
    );

    /// @notice `account` lacks `role` over `region`.
    error MaterialUnauthorized(address account, bytes32 role, uint64 region);

    /// @notice Material kind `kindId` is not defined.
    error MaterialUnknownKind(uint256 kindId);

    /// @notice A kind needs a unit.
    error MaterialInvalidUnit();

    /// @notice Plan `planId` is not executing (`status`).
    error MaterialPlanNotExecuting(uint256 planId, uint8 status);

    /// @notice `region` is not a valid region (a warehouse under or above the plan's region; a village under both
    /// the warehouse and the plan).
    error MaterialInvalidRegion(uint64 region);

    /// @notice A procurement needs a quantity, a unit price and an invoice; `reason` 1 quantity or price, 2 invoice.
    error MaterialInvalidProcurement(uint8 reason);

    /// @notice `supplier` is not a SUPPLIER of `region`.
    error MaterialNotSupplier(address supplier, uint64 region);

    /// @notice Procurement `procurementId` does not exist.
    error MaterialUnknownProcurement(uint256 procurementId);

    /// @notice Procurement `procurementId` is `status`, which the action does not allow.
    error MaterialWrongStatus(uint256 procurementId, ProcurementStatus status);

    /// @notice `quantity` asked from the stock of procurement `procurementId`, which holds `stock`.
    error MaterialShortStock(uint256 procurementId, uint256 quantity, uint256 stock);

    /// @notice Dispatch `dispatchId` does not exist.
    error MaterialUnknownDispatch(uint256 dispatchId);

    /// @notice `quantity` asked from dispatch `dispatchId`, which has `inTransit` left.
    error MaterialBeyondDispatch(uint256 dispatchId, uint256 quantity, uint256 inTransit);

    /// @notice A quantity must be non-zero.
    error MaterialZeroQuantity();

    /// @notice Row `row` of dispatch `dispatchId` is beyond its list (rows 0..254).
    error MaterialInvalidRow(uint256 dispatchId, uint256 row);

    /// @notice Row `row` of dispatch `dispatchId` already has its delivery and receipt: a receipt counts once.
    error MaterialAlreadyReceived(uint256 dispatchId, uint256 row);

    /// @notice `household` is not registered in `village`, the dispatch's village.
    error MaterialHouseholdOutsideVillage(bytes32 household, uint64 village);

    /// @notice The receipt signature is not by `household`'s bound wallet, or the household has none.
    error MaterialBadReceipt(bytes32 household);

    /// @notice An attestation (no signature) needs an evidence document; a reason needs its document.
    error MaterialEvidenceRequired();

    /// @notice Defines material kind counted in `unit` (governance); returns its id.
    function defineKind(bytes32 unit, string calldata descriptionCid) external returns (uint32 kindId);

    /// @notice Proposes a procurement for plan `planId`; opens its approval subject.
    function propose(
        uint256 planId,
        uint32 kindId,
        uint64 warehouse,
        address supplier,
        uint64 quantity,
        uint88 unitPrice,
        string calldata invoiceCid
    ) external returns (uint256 procurementId);

    /// @notice Receives approved procurement `procurementId` into stock and pays its supplier (DISPATCHER).
    function receiveGoods(uint256 procurementId, string calldata receiptCid) external;

    /// @notice Sends `quantity` of procurement `procurementId`'s stock to `village` (DISPATCHER).
    function dispatch(uint256 procurementId, uint64 village, uint64 quantity) external returns (uint256 dispatchId);

    /// @notice Lists the recipient households of dispatch `dispatchId` (DISPATCHER of its warehouse): their visit
    /// duties under its plan are prepared at the dispatcher's cost, so a delivery opening a household's first duty
    /// stays within its gas budget.
    function listRecipients(uint256 dispatchId, bytes32[] calldata recipients) external;

    /// @notice Records the delivery of `quantity` of dispatch `dispatchId`, row `row`, to `household` with its
    /// receipt: `signature` of its bound wallet, or (empty signature) the caller's attestation with `evidenceCid`.
    function deliver(
        uint256 dispatchId,
        uint8 row,
        bytes32 household,
        uint64 quantity,
        bytes calldata signature,
        string calldata evidenceCid
    ) external;

    /// @notice Records `quantity` of procurement `procurementId` lost in the warehouse (DISPATCHER).
    function loseFromStock(uint256 procurementId, uint64 quantity, uint8 reasonCode, string calldata reasonCid)
        external;

    /// @notice Records `quantity` of dispatch `dispatchId` lost in transit (DISPATCHER of the warehouse or
    /// GRID_WORKER of the village).
    function loseInTransit(uint256 dispatchId, uint64 quantity, uint8 reasonCode, string calldata reasonCid) external;

    /// @notice Returns `quantity` of dispatch `dispatchId` to the warehouse stock (DISPATCHER of the warehouse).
    function returnToStock(uint256 dispatchId, uint64 quantity, uint8 reasonCode, string calldata reasonCid)
        external;

    /// @notice The EIP-712 digest a household's wallet signs to confirm a delivery.
    function receiptDigest(uint256 dispatchId, uint8 row, bytes32 household, uint64 quantity)
        external
        view
        returns (bytes32);

    /// @notice Procurement `procurementId`.
    function procurementOf(uint256 procurementId) external view returns (Procurement memory);

    /// @notice Dispatch `dispatchId`.
    function dispatchOf(uint256 dispatchId) external view returns (Dispatch memory);

    /// @notice Where plan `planId`'s materials of kind `kindId` stand.
    function balanceOf(uint256 planId, uint32 kindId) external view returns (Balance memory);

    /// @notice Whether procured = inStock + inTransit + delivered + lost for plan `planId` and kind `kindId`.
    function isConserved(uint256 planId, uint32 kindId) external view returns (bool);

    /// @notice Whether row `row` of dispatch `dispatchId` has its delivery.
    function isDelivered(uint256 dispatchId, uint8 row) external view returns (bool);

    /// @notice What warehouse `warehouse` holds of kind `kindId`.
    function stockIn(uint64 warehouse, uint32 kindId) external view returns (uint256);

    /// @notice The unit of material kind `kindId` (0: not defined).
    function unitOf(uint32 kindId) external view returns (bytes32);

    /// @notice The approval subject (and supervision target) of procurement `procurementId`.
    function procurementSubject(uint256 procurementId) external view returns (uint256);

    /// @notice The supervision target of dispatch `dispatchId`.
    function dispatchTarget(uint256 dispatchId) external view returns (uint256);
}
