// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IPaymentBatches
/// @notice Payments of earmarked funds to households (资金发放, 实际发放管理). A HANDLER of a plan's region opens a
/// batch as an approval subject of its own (kind PaymentBatch): the Merkle root of its entries (index, household,
/// amount, method), their count and total, paid from one released tranche of the plan. Once approved, a HANDLER
/// settles entries in calls of any size: the entries are proven against the root by one multiproof, each marked in the batch's bitmap
/// (Uniswap merkle-distributor style: no slot per payment), checked against the plan's beneficiary rules (the
/// household registry's status and region, the transition period or monitoring where the plan allows it, its
/// explicit list where it has one) and the plan's per-household cap (in all, over every batch), then either paid
/// to the household's bound wallet or instructed to the bank (for a household whose bank channel an
/// INTAKE_CLERK enrolled). A BANK account of the region confirms instructed
/// entries with the reference hash of its settlement, or reports them failed (the funds return to the plan's
/// released funds). An INTAKE_CLERK binds a household's wallet with an evidence document, and may revoke it.
/// A TREASURY official recovers (claws back) a wrong wallet payment after a supervisor's upheld finding on the
/// batch or its plan. A frozen plan, tranche or batch pays, instructs, settles and recovers nothing.
/// No personal data: households are pseudonymous ids; bank accounts stay with the bank.
interface IPaymentBatches {
    /// @notice A batch's state, following its approval subject.
    enum BatchStatus {
        None,
        Pending,
        Approved,
        Rejected
    }

    /// @notice How an entry is paid.
    enum Method {
        Wallet,
        Bank
    }

    /// @notice What happened to an entry (the disclosure's money movements; IATI types in the README).
    enum PaymentKind {
        PaidToWallet,
        BankInstructed,
        BankConfirmed,
        BankFailed,
        Recovered
    }

    /// @notice A batch: plan, the tranche (milestone index) it pays from, state, entry count, region (the
    /// plan's), total and what was settled so far, and the root of its entries.
    struct Batch {
        uint32 planId;
        uint8 tranche;
        BatchStatus status;
        uint32 count;
        uint64 region;
        uint128 total;
        uint128 spent;
        bytes32 root;
    }

    /// @notice One entry: its `index` in the batch, `household`, `amount` (fen) and `method`.
    struct Entry {
        uint32 index;
        bytes32 household;
        uint128 amount;
        Method method;
    }

    /// @notice A multiproof (OpenZeppelin MerkleProof.multiProofVerify) of entries in the batch's tree: the
    /// entries are given in the order the proof takes its leaves (govchain/funds.py `multiproof`).
    struct Proof {
        bytes32[] nodes;
        bool[] flags;
    }

    /// @notice A household's payment record: its bound wallet (0: none), what plan `planId` (the last to pay it)
    /// paid it so far (other plans' totals are kept apart, see {paidBy}), and whether its bank channel (一卡通,
    /// the account itself kept by the bank) is enrolled for bank instructions.
    struct Binding {
        address wallet;
        uint32 planId;
        uint56 paid;
        bool bank;
    }

    /// @notice `clerk` bound `wallet` to `household` (of `region`), with evidence `evidenceCid`.
    event WalletBound(
        bytes32 indexed household, address indexed wallet, uint64 indexed region, string evidenceCid, address clerk
    );

    /// @notice `clerk` revoked the binding of `wallet` to `household`, reasoned in `reasonCid`.
    event WalletRevoked(
        bytes32 indexed household, address indexed wallet, uint64 indexed region, string reasonCid, address clerk
    );

    /// @notice `clerk` enrolled `household`'s bank channel (or withdrew it), with document `cid`.
    event BankEnrolment(bytes32 indexed household, uint64 indexed region, bool enrolled, string cid, address clerk);

    /// @notice `handler` opened batch `batchId` of plan `planId` as approval subject `subject`.
    event BatchOpened(
        uint256 indexed batchId,
        uint256 indexed planId,
        uint64 indexed region,
        uint8 tranche,
        bytes32 root,
        uint32 count,
        uint128 total,
        uint256 subject,
        string manifestCid,
        address handler
    );

    /// @notice Batch `batchId` was approved or rejected on the hub.
    event BatchDecided(uint256 indexed batchId, uint256 indexed planId, bool approved);

    /// @notice A money movement to or from `household`: `kind` of `amount` fen, entry `index` of batch
    /// `batchId` of plan `planId` in `region`.
    event Payment(
        uint256 indexed batchId,
        bytes32 indexed household,
        PaymentKind indexed kind,
        uint256 planId,
        uint64 region,
        uint256 amount,
        uint256 index
    );

    /// @notice `bank` confirmed (or reported failed) `count` entries of batch `batchId` worth `amount`, with
    /// the `referenceHash` of its settlement (or failure report).
    event BankReported(
        uint256 indexed batchId, address indexed bank, bool confirmed, bytes32 referenceHash, uint256 count, uint256 amount
    );

    /// @notice Entry `index` of batch `batchId` was recovered in part or whole under upheld case `caseId`.
    event PaymentRecovered(uint256 indexed batchId, uint256 indexed caseId, uint256 index, uint256 amount, string reasonCid);

    /// @notice `account` lacks `role` over `region`.
    error PaymentUnauthorized(address account, bytes32 role, uint64 region);

    /// @notice Household `household` is unknown to the household registry.
    error PaymentUnknownHousehold(bytes32 household);

    /// @notice `wallet` cannot be bound (zero, a platform contract, or bound to another household).
    error PaymentInvalidWallet(address wallet);

    /// @notice `household` has no bound wallet.
    error PaymentNoWallet(bytes32 household);

    /// @notice Plan `planId` has no funds linked in the ledger.
    error PaymentPlanNotFunded(uint256 planId);

    /// @notice A wallet binding or a bank enrolment needs its evidence (or reason) document.
    error PaymentEvidenceRequired();

    /// @notice A batch needs a root, entries and a total.
    error PaymentInvalidBatch();

    /// @notice Batch `batchId` is `status`; the action needs it approved.
    error PaymentBatchNotApproved(uint256 batchId, BatchStatus status);

    /// @notice The tranche `tranche` of plan `planId` is not released.
    error PaymentTrancheNotReleased(uint256 planId, uint8 tranche);

    /// @notice The entries given are not in batch `batchId` (or not in the proof's order), or there are none.
    error PaymentInvalidProof(uint256 batchId);

    /// @notice `household` has no bank channel enrolled for bank instructions.
    error PaymentNotEnrolled(bytes32 household);

    /// @notice Entry `index` of batch `batchId` was paid or instructed already.
    error PaymentAlreadySettled(uint256 batchId, uint256 index);

    /// @notice Entry `index` of batch `batchId` is not a bank instruction of this batch.
    error PaymentNotInstructed(uint256 batchId, uint256 index);

    /// @notice Bank entry `index` of batch `batchId` was confirmed or reported failed already.
    error PaymentAlreadyResolved(uint256 batchId, uint256 index);

    /// @notice `household` has status `status` (`transitionEndsAt` for an exited one), which plan `planId`
    /// does not admit.
    error PaymentNotBeneficiary(uint256 planId, bytes32 household, uint8 status, uint256 transitionEndsAt);

    /// @notice `household` lives in `region`, outside plan `planId`'s region.
    error PaymentOutsideRegion(uint256 planId, bytes32 household, uint64 region);

    /// @notice `household` is not on plan `planId`'s explicit list.
    error PaymentNotListed(uint256 planId, bytes32 household);

    /// @notice Paying `household` would bring its total from plan `planId` to `total`, above the cap `cap`.
    error PaymentAboveCap(uint256 planId, bytes32 household, uint256 total, uint256 cap);

    /// @notice Settling would bring batch `batchId` to `spent`, above its total `total`.
    error PaymentBatchExceeded(uint256 batchId, uint256 spent, uint256 total);

    /// @notice Case `caseId` is not a finding upheld on batch `batchId` or its plan.
    error PaymentNoUpheldFinding(uint256 batchId, uint256 caseId);

    /// @notice Recovering `amount` from entry `index` of batch `batchId` exceeds what it paid to the wallet
    /// less what was recovered (`recoverable`).
    error PaymentRecoveryExceeds(uint256 batchId, uint256 index, uint256 amount, uint256 recoverable);

    /// @notice Binds `wallet` to `household`, with an evidence document (INTAKE_CLERK of its region).
    function bindWallet(bytes32 household, address wallet, string calldata evidenceCid) external;

    /// @notice Revokes `household`'s wallet binding, with a reason document (INTAKE_CLERK of its region).
    function revokeWallet(bytes32 household, string calldata reasonCid) external;

    /// @notice Enrols `household`'s bank channel for bank instructions, with an evidence document (INTAKE_CLERK).
    function enrolBank(bytes32 household, string calldata evidenceCid) external;

    /// @notice Withdraws `household`'s bank channel, with a reason document (INTAKE_CLERK of its region).
    function withdrawBank(bytes32 household, string calldata reasonCid) external;

    /// @notice Opens a payment batch of plan `planId`, paid from tranche `tranche`; returns its id.
    function openBatch(
        uint256 planId,
        uint8 tranche,
        bytes32 root,
        uint32 count,
        uint128 total,
        string calldata manifestCid
    ) external returns (uint256 batchId);

    /// @notice Pays or instructs `entries` of approved batch `batchId` (HANDLER of its region).
    /// @dev `listProofs[i]` proves entry i's household on the plan's explicit list (none when it has no list).
    function settle(uint256 batchId, Entry[] calldata entries, Proof calldata proof, bytes32[][] calldata listProofs)
        external;

    /// @notice Confirms bank `entries` of batch `batchId` with the bank's settlement `referenceHash` (BANK).
    function confirmBank(uint256 batchId, Entry[] calldata entries, Proof calldata proof, bytes32 referenceHash)
        external;

    /// @notice Reports bank `entries` of batch `batchId` failed, with the failure report's hash (BANK).
    function failBank(uint256 batchId, Entry[] calldata entries, Proof calldata proof, bytes32 referenceHash)
        external;

    /// @notice Recovers `amount` of wallet `entry` of batch `batchId` under upheld case `caseId` (TREASURY).
    function recover(
        uint256 batchId,
        Entry calldata entry,
        bytes32[] calldata proof,
        uint128 amount,
        uint256 caseId,
        string calldata reasonCid
    ) external;

    /// @notice Batch `batchId`.
    function batchOf(uint256 batchId) external view returns (Batch memory);

    /// @notice `household`'s binding.
    function bindingOf(bytes32 household) external view returns (Binding memory);

    /// @notice What plan `planId` paid `household` so far (bank instructions included, failures excluded).
    function paidBy(uint256 planId, bytes32 household) external view returns (uint256);

    /// @notice Whether entry `index` of batch `batchId` was paid or instructed, and (bank) confirmed or failed.
    function entryState(uint256 batchId, uint256 index) external view returns (bool settled, bool resolved);

    /// @notice The approval subject (and supervision target) of batch `batchId`.
    function batchSubject(uint256 batchId) external view returns (uint256);

    /// @notice The hash an entry's leaf has in its batch's tree.
    function entryLeaf(uint32 index, bytes32 household, uint128 amount, Method method) external pure returns (bytes32);

    /// @notice The number of batches opened.
    function batchCount() external view returns (uint256);
}
