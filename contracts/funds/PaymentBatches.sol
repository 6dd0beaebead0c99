// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

import {Governed} from "../access/Governed.sol";
import {Roles} from "../access/Roles.sol";
import {ApprovalClient} from "../approval/ApprovalClient.sol";
import {SubjectId} from "../approval/SubjectId.sol";
import {IApprovalHub} from "../interfaces/IApprovalHub.sol";
import {IFundLedger} from "../interfaces/IFundLedger.sol";
import {IFollowUpVisits} from "../interfaces/IFollowUpVisits.sol";
import {IFundToken} from "../interfaces/IFundToken.sol";
import {IHouseholdRegistry} from "../interfaces/IHouseholdRegistry.sol";
import {IPaymentBatches} from "../interfaces/IPaymentBatches.sol";
import {IPlanRegistry} from "../interfaces/IPlanRegistry.sol";
import {IRoleRegistry} from "../interfaces/IRoleRegistry.sol";
import {ISupervision} from "../interfaces/ISupervision.sol";
import {SupervisedClient} from "../supervision/SupervisedClient.sol";
import {RegionCode} from "../utils/RegionCode.sol";
import {PaymentEntryLeaf} from "./PaymentEntryLeaf.sol";

/// @title PaymentBatches
/// @notice Payment batches to households (see {IPaymentBatches}); a client of the approval hub for kind
/// PaymentBatch (6). Funds stay in the {FundLedger} until paid: a wallet payment moves them from the ledger to the
/// wallet (the ledger lets this contract move its tokens), a bank instruction sets them aside in the ledger until
/// the bank confirms (burnt) or reports failure (released again).
/// @dev Per entry the cost is kept to what cannot be shared: the household's record (its wallet or bank channel
/// and what the plan paid it, in one slot the clerk wrote already), the registry read, the token balance of a
/// fresh wallet and one bit of the batch's bitmap; the entries of a call share one multiproof. Entry leaf: `keccak256(bytes.concat(keccak256(abi.encode(uint32 index,
/// bytes32 household, uint128 amount, uint8 method))))` (OpenZeppelin StandardMerkleTree; govchain/funds.py);
/// explicit-list leaf: the same over `abi.encode(bytes32 household)`.
contract PaymentBatches is IPaymentBatches, Governed, SupervisedClient {
    /// @notice Subject kind of a payment batch on the hub (govchain/deploy.py SUBJECT_KINDS).
    uint8 public constant PAYMENT_BATCH_KIND = 6;

    uint8 private constant REGISTERED = 1;
    uint8 private constant IN_TRANSITION = 2;
    uint8 private constant UNDER_MONITORING = 4;

    IFundLedger public immutable ledger;
    IFundToken public immutable token;
    IPlanRegistry public immutable plans;
    IHouseholdRegistry public immutable households;
    /// @notice Where each batch's visit duty is noted (issue 11: a plan may require visits after payments).
    IFollowUpVisits public immutable visits;

    /// @dev What one call works with, read once.
    struct Context {
        uint256 batchId;
        uint256 planId;
        uint64 region;
        uint8 statuses;
        uint128 cap;
        bytes32 root;
        bytes32 listRoot;
    }

    uint32 private _batchCount;
    mapping(uint256 batchId => Batch) private _batches;
    // Packed arrays of booleans, per batch: entries paid or instructed; bank entries confirmed or failed.
    mapping(uint256 batchId => mapping(uint256 word => uint256 bits)) private _settled;
    mapping(uint256 batchId => mapping(uint256 word => uint256 bits)) private _resolved;
    mapping(bytes32 household => Binding) private _bindings;
    mapping(address wallet => bytes32 household) private _walletHouseholds;
    // What a plan paid a household while another plan was the last to pay it (see {Binding}).
    mapping(uint256 planId => mapping(bytes32 household => uint256 paid)) private _paidElsewhere;
    mapping(uint256 batchId => mapping(uint256 index => uint256 amount)) private _recovered;

    constructor(
        IRoleRegistry roleRegistry,
        IApprovalHub hub,
        IFundLedger fundLedger,
        IPlanRegistry planRegistry,
        IHouseholdRegistry householdRegistry,
        IFollowUpVisits followUpVisits
    ) Governed(roleRegistry) ApprovalClient(hub) {
        ledger = fundLedger;
        token = fundLedger.token();
        plans = planRegistry;
        households = householdRegistry;
        visits = followUpVisits;
    }

    // ---------------------------------------------------------------- wallets (INTAKE_CLERK)

    /// @inheritdoc IPaymentBatches
    /// @dev Requirements: the household is known to the registry; the caller is INTAKE_CLERK over its region;
    /// `wallet` is not zero, not a platform contract and not bound to another household; an evidence document.
    /// A wallet bound before is replaced. Emits a {WalletBound} event.
    function bindWallet(bytes32 household, address wallet, string calldata evidenceCid) external {
        uint64 region = _clerkOf(household);
        if (bytes(evidenceCid).length == 0) revert PaymentEvidenceRequired();
        bytes32 holder = _walletHouseholds[wallet];
        if (wallet == address(0) || token.accessOf(wallet) != 0 || (holder != 0 && holder != household)) {
            revert PaymentInvalidWallet(wallet);
        }
        Binding storage binding = _bindings[household];
        if (binding.wallet != address(0)) delete _walletHouseholds[binding.wallet];
        binding.wallet = wallet;
        _walletHouseholds[wallet] = household;
        emit WalletBound(household, wallet, region, evidenceCid, msg.sender);
    }

    /// @inheritdoc IPaymentBatches
    /// @dev Requirements: the household is known to the registry; the caller is INTAKE_CLERK over its region; an
    /// evidence document (the bank account stays with the bank). Emits a {BankEnrolment} event.
    function enrolBank(bytes32 household, string calldata evidenceCid) external {
        _setBank(household, true, evidenceCid);
    }

    /// @inheritdoc IPaymentBatches
    /// @dev Requirements: the household is known to the registry; the caller is INTAKE_CLERK over its region.
    /// Emits a {BankEnrolment} event.
    function withdrawBank(bytes32 household, string calldata reasonCid) external {
        _setBank(household, false, reasonCid);
    }

    /// @inheritdoc IPaymentBatches
    /// @dev Requirements: the household has a wallet bound; the caller is INTAKE_CLERK over its region.
    /// Emits a {WalletRevoked} event.
    function revokeWallet(bytes32 household, string calldata reasonCid) external {
        uint64 region = _clerkOf(household);
        Binding storage binding = _bindings[household];
        address wallet = binding.wallet;
        if (wallet == address(0)) revert PaymentNoWallet(household);
        binding.wallet = address(0);
        delete _walletHouseholds[wallet];
        emit WalletRevoked(household, wallet, region, reasonCid, msg.sender);
    }

    // ---------------------------------------------------------------- batches

    /// @inheritdoc IPaymentBatches
    /// @dev Requirements: the caller is HANDLER over the plan's region; the plan's funds are linked in the
    /// ledger; a root, entries and a total. Opens the batch's approval subject (kind PaymentBatch, support type 0,
    /// amount `total`). Emits a {BatchOpened} event.
    function openBatch(
        uint256 planId,
        uint8 tranche,
        bytes32 root,
        uint32 count,
        uint128 total,
        string calldata manifestCid
    ) external returns (uint256 batchId) {
        uint64 region = plans.planOf(planId).region;
        uint32 handler = _official(Roles.HANDLER, region);
        if (ledger.planFunds(planId).appropriationId == 0) revert PaymentPlanNotFunded(planId);
        if (root == 0 || count == 0 || total == 0) revert PaymentInvalidBatch();
        batchId = ++_batchCount;
        _batches[batchId] = Batch({
            planId: uint32(planId),
            tranche: tranche,
            status: BatchStatus.Pending,
            count: count,
            region: region,
            total: total,
            spent: 0,
            root: root
        });
        uint256 subject = _openSubject(uint56(batchId), region, PAYMENT_BATCH_KIND, 0, total, msg.sender, handler);
        emit BatchOpened(batchId, planId, region, tranche, root, count, total, subject, manifestCid, msg.sender);
    }

    /// @inheritdoc IPaymentBatches
    /// @dev Requirements: the batch is approved; the caller is HANDLER over its region; neither the batch, its
    /// plan nor its tranche is frozen; the tranche is released; each entry is in the batch, not settled before, of
    /// a household the plan admits, within the plan's per-household cap and (wallet) bound to a wallet; the batch
    /// total and the plan's released funds cover the entries. Notes the batch's visit duty to the follow-up visits.
    /// Emits a {Payment} event per entry.
    function settle(uint256 batchId, Entry[] calldata entries, Proof calldata proof, bytes32[][] calldata listProofs)
        external
    {
        (Batch storage batch, Context memory ctx) = _context(batchId, Roles.HANDLER);
        _prove(ctx, entries, proof);
        IPlanRegistry.Beneficiaries memory rules =
            plans.versionOf(ctx.planId, plans.planOf(ctx.planId).currentVersion).terms.beneficiaries;
        (ctx.statuses, ctx.listRoot) = (rules.statuses, rules.listRoot);
        uint128 toWallets = 0;
        uint128 toBank = 0;
        for (uint256 i = 0; i < entries.length; ++i) {
            Entry calldata entry = entries[i];
            _checkBeneficiary(ctx, entry.household, listProofs, i);
            if (_settleEntry(ctx, entry)) toWallets += entry.amount;
            else toBank += entry.amount;
        }
        _spend(batch, batchId, toWallets + toBank);
        ledger.draw(ctx.planId, toWallets, toBank);
        // One duty a batch, not one a household: a plan that requires visits after payments gets a visit duty for
        // every household of the batch, due by one date (FollowUpVisits.noteBatchService; nothing without a window).
        visits.noteBatchService(ctx.planId, batchId, ctx.root, batch.count);
    }

    /// @inheritdoc IPaymentBatches
    /// @dev Requirements: see {_bankReport}. Emits a {Payment} (BankConfirmed) event per entry and a
    /// {BankReported} event.
    function confirmBank(uint256 batchId, Entry[] calldata entries, Proof calldata proof, bytes32 referenceHash)
        external
    {
        (uint256 planId, uint128 amount) = _bankReport(batchId, entries, proof, referenceHash, true);
        ledger.settleBank(planId, amount, 0);
    }

    /// @inheritdoc IPaymentBatches
    /// @dev Requirements: see {_bankReport}. The entries' amounts no longer count against the households' cap.
    /// Emits a {Payment} (BankFailed) event per entry and a {BankReported} event.
    function failBank(uint256 batchId, Entry[] calldata entries, Proof calldata proof, bytes32 referenceHash)
        external
    {
        (uint256 planId, uint128 amount) = _bankReport(batchId, entries, proof, referenceHash, false);
        ledger.settleBank(planId, 0, amount);
    }

    /// @inheritdoc IPaymentBatches
    /// @dev Requirements: the batch is approved; the caller is TREASURY over its region; nothing of it is frozen;
    /// `caseId` is a supervision case upheld on the batch or its plan; the entry is a wallet payment of the batch,
    /// settled, with at least `amount` not recovered yet; the household's bound wallet holds `amount`.
    /// Emits {Payment} (Recovered) and {PaymentRecovered} events.
    function recover(
        uint256 batchId,
        Entry calldata entry,
        bytes32[] calldata proof,
        uint128 amount,
        uint256 caseId,
        string calldata reasonCid
    ) external {
        (, Context memory ctx) = _context(batchId, Roles.TREASURY);
        _checkFinding(batchId, ctx.planId, caseId);
        if (!MerkleProof.verifyCalldata(proof, ctx.root, entryLeaf(entry.index, entry.household, entry.amount, entry.method))) {
            revert PaymentInvalidProof(batchId);
        }
        address wallet = _takeRecovery(ctx, entry, amount);
        emit PaymentRecovered(batchId, caseId, entry.index, amount, reasonCid);
        token.clawback(wallet, address(ledger), amount);
        ledger.recovered(ctx.planId, amount);
    }

    // ---------------------------------------------------------------- supervision and the hub

    // Supervision: a batch's target is its hub subject ({SupervisedClient-supervisedSubjects}); payments apply no
    // consequence of their own: recovery is an act of TREASURY citing the finding ({recover}).

    function _submitterRole(uint256) internal pure override returns (bytes32) {
        return Roles.HANDLER;
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IPaymentBatches
    function batchOf(uint256 batchId) external view returns (Batch memory) {
        return _batches[batchId];
    }

    /// @inheritdoc IPaymentBatches
    function bindingOf(bytes32 household) external view returns (Binding memory) {
        return _bindings[household];
    }

    /// @inheritdoc IPaymentBatches
    function paidBy(uint256 planId, bytes32 household) public view returns (uint256) {
        Binding storage binding = _bindings[household];
        return binding.planId == planId ? binding.paid : _paidElsewhere[planId][household];
    }

    /// @inheritdoc IPaymentBatches
    function entryState(uint256 batchId, uint256 index) public view returns (bool settled, bool resolved) {
        uint256 bit = 1 << (index & 255);
        return (_settled[batchId][index >> 8] & bit != 0, _resolved[batchId][index >> 8] & bit != 0);
    }

    /// @inheritdoc IPaymentBatches
    function batchSubject(uint256 batchId) public view returns (uint256) {
        return _subjectId(uint56(batchId), _batches[batchId].region);
    }

    /// @inheritdoc IPaymentBatches
    function entryLeaf(uint32 index, bytes32 household, uint128 amount, Method method) public pure returns (bytes32) {
        return PaymentEntryLeaf.hash(index, household, amount, uint8(method));
    }

    /// @inheritdoc IPaymentBatches
    function batchCount() external view returns (uint256) {
        return _batchCount;
    }

    // ---------------------------------------------------------------- internals

    /// @dev The approved batch `batchId` and its context, after checking the caller holds `role` over its region
    /// and that neither the batch, its plan nor its tranche is frozen, and the tranche is released.
    function _context(uint256 batchId, bytes32 role) private view returns (Batch storage batch, Context memory ctx) {
        batch = _batches[batchId];
        if (batch.status != BatchStatus.Approved) revert PaymentBatchNotApproved(batchId, batch.status);
        _official(role, batch.region);
        uint256 planId = batch.planId;
        _checkNotFrozen(batchSubject(batchId));
        _checkNotFrozen(plans.planTarget(planId));
        _checkNotFrozen(plans.milestoneTarget(planId, batch.tranche));
        IFundLedger.PlanFunds memory funds = ledger.planFunds(planId);
        if (funds.releasedTranches & (uint64(1) << batch.tranche) == 0) {
            revert PaymentTrancheNotReleased(planId, batch.tranche);
        }
        ctx = Context({
            batchId: batchId,
            planId: planId,
            region: batch.region,
            statuses: 0,
            cap: funds.householdCap,
            root: batch.root,
            listRoot: 0
        });
    }

    /// @dev Marks `entry` settled, counts it against the household's cap and pays it to the bound wallet (true)
    /// or instructs it to the bank (false).
    function _settleEntry(Context memory ctx, Entry calldata entry) private returns (bool toWallet) {
        uint256 batchId = ctx.batchId;
        _mark(_settled[batchId], batchId, entry.index, false);
        Binding storage binding = _addPaid(ctx, entry.household, entry.amount);
        toWallet = entry.method == Method.Wallet;
        if (toWallet) {
            address wallet = binding.wallet;
            if (wallet == address(0)) revert PaymentNoWallet(entry.household);
            emit Payment(batchId, entry.household, PaymentKind.PaidToWallet, ctx.planId, ctx.region, entry.amount, entry.index);
            // `from` is the fund ledger (immutable), which lets this contract move its funds: paying a wallet
            // straight from it saves a balance write per household. The token is the platform's own ERC-20, whose
            // transferFrom returns true or reverts.
            // slither-disable-next-line arbitrary-send-erc20,unchecked-transfer
            token.transferFrom(address(ledger), wallet, entry.amount);
        } else {
            if (!binding.bank) revert PaymentNotEnrolled(entry.household);
            emit Payment(batchId, entry.household, PaymentKind.BankInstructed, ctx.planId, ctx.region, entry.amount, entry.index);
        }
    }

    /// @dev Confirms or fails bank `entries`. Requirements: the batch is approved; the caller is BANK over its
    /// region; nothing of it is frozen; each entry is a bank instruction of this batch, not resolved before.
    function _bankReport(
        uint256 batchId,
        Entry[] calldata entries,
        Proof calldata proof,
        bytes32 referenceHash,
        bool confirmed
    ) private returns (uint256 planId, uint128 amount) {
        (, Context memory ctx) = _context(batchId, Roles.BANK);
        _prove(ctx, entries, proof);
        PaymentKind kind = confirmed ? PaymentKind.BankConfirmed : PaymentKind.BankFailed;
        for (uint256 i = 0; i < entries.length; ++i) {
            Entry calldata entry = entries[i];
            (bool settled,) = entryState(batchId, entry.index);
            if (!settled || entry.method != Method.Bank) revert PaymentNotInstructed(batchId, entry.index);
            _mark(_resolved[batchId], batchId, entry.index, true);
            if (!confirmed) _subPaid(ctx.planId, entry.household, entry.amount);
            amount += entry.amount;
            emit Payment(batchId, entry.household, kind, ctx.planId, ctx.region, entry.amount, entry.index);
        }
        emit BankReported(batchId, msg.sender, confirmed, referenceHash, entries.length, amount);
        return (ctx.planId, amount);
    }

    /// @dev Reverts unless `caseId` is a supervision finding upheld on batch `batchId` or its plan `planId`.
    function _checkFinding(uint256 batchId, uint256 planId, uint256 caseId) private view {
        ISupervision.Case memory found = _supervision().caseOf(caseId);
        if (
            found.state != ISupervision.CaseState.Upheld
                || (found.target != batchSubject(batchId) && found.target != plans.planTarget(planId))
        ) revert PaymentNoUpheldFinding(batchId, caseId);
    }

    /// @dev Records `amount` recovered from wallet `entry` (settled, with that much not recovered yet); returns
    /// the household's bound wallet to take it from.
    function _takeRecovery(Context memory ctx, Entry calldata entry, uint128 amount) private returns (address wallet) {
        uint256 batchId = ctx.batchId;
        (bool settled,) = entryState(batchId, entry.index);
        uint256 already = _recovered[batchId][entry.index];
        uint256 recoverable = settled && entry.method == Method.Wallet ? entry.amount - already : 0;
        if (amount == 0 || amount > recoverable) {
            revert PaymentRecoveryExceeds(batchId, entry.index, amount, recoverable);
        }
        wallet = _bindings[entry.household].wallet;
        if (wallet == address(0)) revert PaymentNoWallet(entry.household);
        _recovered[batchId][entry.index] = already + amount;
        _subPaid(ctx.planId, entry.household, amount);
        emit Payment(batchId, entry.household, PaymentKind.Recovered, ctx.planId, ctx.region, amount, entry.index);
    }

    /// @dev Sets the bit of `index` in `bitmap`; reverts if it was set.
    function _mark(mapping(uint256 => uint256) storage bitmap, uint256 batchId, uint256 index, bool resolving)
        private
    {
        uint256 bit = 1 << (index & 255);
        uint256 word = bitmap[index >> 8];
        if (word & bit != 0) {
            if (resolving) revert PaymentAlreadyResolved(batchId, index);
            revert PaymentAlreadySettled(batchId, index);
        }
        bitmap[index >> 8] = word | bit;
    }

    /// @dev Reverts unless `entries` (at least one) are leaves of the batch's tree, by `proof`: one multiproof
    /// for all, so a batch of hundreds costs a few proof nodes per entry instead of a path each.
    function _prove(Context memory ctx, Entry[] calldata entries, Proof calldata proof) private pure {
        bytes32[] memory leaves = new bytes32[](entries.length);
        for (uint256 i = 0; i < entries.length; ++i) {
            Entry calldata entry = entries[i];
            leaves[i] = entryLeaf(entry.index, entry.household, entry.amount, entry.method);
        }
        if (entries.length == 0 || !MerkleProof.multiProofVerifyCalldata(proof.nodes, proof.flags, ctx.root, leaves)) {
            revert PaymentInvalidProof(ctx.batchId);
        }
    }

    /// @dev The plan admits `household`: in its region, of a status it names (an exited household only within
    /// its transition period), on its explicit list when it has one.
    function _checkBeneficiary(Context memory ctx, bytes32 household, bytes32[][] calldata listProofs, uint256 i)
        private
        view
    {
        IHouseholdRegistry.Household memory record = households.household(household);
        if (record.status == IHouseholdRegistry.Status.None) revert PaymentUnknownHousehold(household);
        if (!RegionCode.covers(ctx.region, record.region)) revert PaymentOutsideRegion(ctx.planId, household, record.region);
        uint8 admitted = 0;
        if (record.status == IHouseholdRegistry.Status.Registered) admitted = REGISTERED;
        else if (record.status == IHouseholdRegistry.Status.Monitoring) admitted = UNDER_MONITORING;
        // slither-disable-next-line timestamp
        else if (block.timestamp < record.transitionEndsAt) admitted = IN_TRANSITION;
        if (ctx.statuses & admitted == 0) {
            revert PaymentNotBeneficiary(ctx.planId, household, uint8(record.status), record.transitionEndsAt);
        }
        if (
            ctx.listRoot != 0
                && (
                    i >= listProofs.length
                        || !MerkleProof.verifyCalldata(
                            listProofs[i], ctx.listRoot, keccak256(bytes.concat(keccak256(abi.encode(household))))
                        )
                )
        ) revert PaymentNotListed(ctx.planId, household);
    }

    /// @dev Adds `amount` to what the plan paid `household`, within the cap; returns the household's record.
    function _addPaid(Context memory ctx, bytes32 household, uint128 amount) private returns (Binding storage binding) {
        binding = _bindings[household];
        uint256 paid;
        if (binding.planId == ctx.planId) {
            paid = binding.paid;
        } else {
            // Another plan paid last: keep its total apart and take this plan's (none for a first payment).
            if (binding.planId != 0) _paidElsewhere[binding.planId][household] = binding.paid;
            paid = binding.planId == 0 ? 0 : _paidElsewhere[ctx.planId][household];
            binding.planId = uint32(ctx.planId);
        }
        uint256 total = paid + amount;
        if (total > ctx.cap || total > type(uint56).max) revert PaymentAboveCap(ctx.planId, household, total, ctx.cap);
        // Cannot truncate: checked just above.
        binding.paid = uint56(total);
    }

    function _subPaid(uint256 planId, bytes32 household, uint256 amount) private {
        Binding storage binding = _bindings[household];
        // Cannot truncate: what was added fitted in 56 bits.
        if (binding.planId == planId) binding.paid -= uint56(amount);
        else _paidElsewhere[planId][household] -= amount;
    }

    function _spend(Batch storage batch, uint256 batchId, uint128 amount) private {
        uint256 spent = uint256(batch.spent) + amount;
        if (spent > batch.total) revert PaymentBatchExceeded(batchId, spent, batch.total);
        batch.spent = uint128(spent);
    }

    function _onDecided(uint256 subject, bool approved) internal override {
        // The key of a batch subject is its id.
        uint256 batchId = uint56(subject >> SubjectId.REGION_BITS);
        Batch storage batch = _batches[batchId];
        if (batch.status != BatchStatus.Pending) return;
        batch.status = approved ? BatchStatus.Approved : BatchStatus.Rejected;
        emit BatchDecided(batchId, batch.planId, approved);
    }

    function _setBank(bytes32 household, bool enrolled, string calldata cid) private {
        uint64 region = _clerkOf(household);
        if (bytes(cid).length == 0) revert PaymentEvidenceRequired();
        _bindings[household].bank = enrolled;
        emit BankEnrolment(household, region, enrolled, cid, msg.sender);
    }

    /// @dev The region of `household` after checking the caller is INTAKE_CLERK over it.
    function _clerkOf(bytes32 household) private view returns (uint64 region) {
        IHouseholdRegistry.Household memory record = households.household(household);
        if (record.status == IHouseholdRegistry.Status.None) revert PaymentUnknownHousehold(household);
        region = record.region;
        _official(Roles.INTAKE_CLERK, region);
    }

    function _official(bytes32 role, uint64 region) private view returns (uint32 official) {
        bool authorized;
        (official, authorized) = roles.officialIn(role, msg.sender, region);
        if (!authorized) revert PaymentUnauthorized(msg.sender, role, region);
    }
}
