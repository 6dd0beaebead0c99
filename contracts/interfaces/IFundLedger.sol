// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IFundToken} from "./IFundToken.sol";

/// @title IFundLedger
/// @notice Where every fen of earmarked funds stands, from the budget to the plan (资金扶持, 资金监管).
/// A TREASURY official proposes an appropriation (region, year, budget line, cap); once approved on the hub
/// (kind Appropriation) TREASURY mints against it, never beyond its cap. TREASURY links an approved plan of the
/// appropriation's region to it, with the plan's per-household cap; the plan's budget then moves into the plan's
/// escrow ({escrow}); a milestone approved in the plan registry releases its tranche ({releaseTranche}); the
/// payment contract spends released funds ({draw}) and settles bank instructions ({settleBank}); a closed or
/// cancelled plan's unspent funds return to the appropriation ({settle}).
/// Conservation, per plan: funded = escrowed + released + instructed + paid + returned; in total: minted =
/// available + escrowed + released + instructed + paid ({totals}, {isConserved}). Recovered funds return to
/// the plan's released funds (to the appropriation once the plan is settled).
interface IFundLedger {
    /// @notice An appropriation's state, following its approval subject.
    enum AppropriationStatus {
        None,
        Proposed,
        Approved,
        Rejected
    }

    /// @notice An appropriation (预算指标): region, year, budget line code, cap; `minted` so far and `available`
    /// (minted, not escrowed into a plan, or returned).
    struct Appropriation {
        uint64 region;
        uint16 year;
        AppropriationStatus status;
        uint32 proposer;
        bytes32 budgetLine;
        uint128 cap;
        uint128 minted;
        uint128 available;
    }

    /// @notice A plan's funds: its appropriation, per-household cap, whether settled, the tranches released
    /// (bit i: milestone i) and its buckets.
    struct PlanFunds {
        uint32 appropriationId;
        bool settled;
        uint64 releasedTranches;
        uint128 householdCap;
        uint128 funded;
        uint128 escrowed;
        uint128 released;
        uint128 instructed;
        uint128 paid;
        uint128 returned;
        uint128 recovered;
    }

    /// @notice Ledger-wide totals (see the conservation above); `paid` includes bank payments, whose tokens were
    /// burnt on confirmation; `returned` and `recovered` count flows back (already inside the other buckets).
    struct Totals {
        uint128 minted;
        uint128 available;
        uint128 escrowed;
        uint128 released;
        uint128 instructed;
        uint128 paid;
        uint128 returned;
        uint128 recovered;
    }

    /// @notice The kinds of money movement (IATI transaction types in contracts/funds/README.md).
    enum Movement {
        Minted,
        Escrowed,
        Released,
        PaidToWallet,
        BankInstructed,
        BankConfirmed,
        BankFailed,
        Returned,
        Recovered
    }

    /// @notice `proposer` proposed appropriation `id` as approval subject `subject`.
    event AppropriationProposed(
        uint256 indexed id,
        uint64 indexed region,
        uint16 indexed year,
        bytes32 budgetLine,
        uint128 cap,
        uint256 subject,
        string documentCid,
        address proposer
    );

    /// @notice Appropriation `id` was approved or rejected on the hub.
    event AppropriationDecided(uint256 indexed id, uint64 indexed region, bool approved);

    /// @notice Plan `planId` was linked to appropriation `appropriationId` with per-household cap `householdCap`.
    event PlanLinked(uint256 indexed planId, uint256 indexed appropriationId, uint64 indexed region, uint128 householdCap);

    /// @notice Money moved: `kind` of `amount` fen for plan `planId` (0: the appropriation itself) of
    /// appropriation `appropriationId` in `region`; `index` is the tranche for a release.
    event FundsMoved(
        uint256 indexed planId,
        uint256 indexed appropriationId,
        Movement indexed kind,
        uint64 region,
        uint256 amount,
        uint256 index
    );

    /// @notice `account` lacks `role` over `region`.
    error FundUnauthorized(address account, bytes32 role, uint64 region);

    /// @notice `region` is not a valid region code, or a year or cap is zero.
    error FundInvalidAppropriation(uint64 region, uint16 year, uint128 cap);

    /// @notice Appropriation `id` is `status`, the action needs it approved.
    error FundAppropriationNotApproved(uint256 id, AppropriationStatus status);

    /// @notice Minting `amount` would exceed appropriation `id`'s cap: only `room` is left.
    error FundOverAppropriation(uint256 id, uint256 amount, uint256 room);

    /// @notice Appropriation `id` has `available` left, `needed` is asked for.
    error FundAppropriationShort(uint256 id, uint256 needed, uint256 available);

    /// @notice Plan `planId` (in `planRegion`) is not under appropriation region `region`.
    error FundPlanOutsideRegion(uint256 planId, uint64 planRegion, uint64 region);

    /// @notice Plan `planId` is linked already, or not linked yet (`linked`).
    error FundPlanLink(uint256 planId, bool linked);

    /// @notice Plan `planId` is in status `status`, which the action does not allow.
    error FundPlanWrongStatus(uint256 planId, uint8 status);

    /// @notice The tranche of milestone `index` of plan `planId` is not approved in the plan registry.
    error FundTrancheNotApproved(uint256 planId, uint256 index);

    /// @notice The tranche of milestone `index` of plan `planId` was released already.
    error FundTrancheAlreadyReleased(uint256 planId, uint256 index);

    /// @notice Plan `planId` has `available` in the bucket, `needed` is asked for (escrow for a release,
    /// released funds for a payment: never beyond the released tranches).
    error FundPlanShort(uint256 planId, uint256 needed, uint256 available);

    /// @notice Plan `planId` has bank instructions open (`instructed`): settle them first.
    error FundInstructionsOpen(uint256 planId, uint256 instructed);

    /// @notice Plan `planId` was settled: its funds went back to the appropriation.
    error FundPlanSettled(uint256 planId);

    /// @notice Only the payment contract may do this; `account` is not it.
    error FundNotPayments(address account);

    /// @notice Proposes an appropriation; opens its approval subject.
    function propose(uint64 region, uint16 year, bytes32 budgetLine, uint128 cap, string calldata documentCid)
        external
        returns (uint256 id);

    /// @notice Mints `amount` fen against approved appropriation `id` into the ledger.
    function mint(uint256 id, uint256 amount) external;

    /// @notice Links plan `planId` to appropriation `id` with its per-household cap.
    function linkPlan(uint256 planId, uint256 id, uint128 householdCap) external;

    /// @notice Moves the budget of the plan's version in force (what it lacks) from its appropriation into its
    /// escrow; anyone may call once the plan is approved.
    function escrow(uint256 planId) external;

    /// @notice Releases the tranche of approved milestone `index` from escrow; anyone may call.
    function releaseTranche(uint256 planId, uint8 index) external;

    /// @notice Returns a closed, cancelled or rejected plan's unspent funds to its appropriation; anyone may call.
    function settle(uint256 planId) external;

    /// @notice Spends released funds of `planId`: `toWallets` paid out by the payment contract (which the
    /// ledger lets move them), `toBank` set aside for bank instructions. Payment contract only.
    function draw(uint256 planId, uint128 toWallets, uint128 toBank) external;

    /// @notice Bank instructions of `planId` confirmed (`confirmed`: burnt, paid) or failed (`failed`: back to
    /// released funds). Payment contract only.
    function settleBank(uint256 planId, uint128 confirmed, uint128 failed) external;

    /// @notice `amount` recovered from a household's wallet into the ledger for plan `planId`. Payment contract
    /// only.
    function recovered(uint256 planId, uint128 amount) external;

    /// @notice Sets the payment contract (governance, once wired).
    function setPayments(address payments) external;

    /// @notice Appropriation `id`.
    function appropriationOf(uint256 id) external view returns (Appropriation memory);

    /// @notice The funds of plan `planId`.
    function planFunds(uint256 planId) external view returns (PlanFunds memory);

    /// @notice The ledger-wide totals.
    function totals() external view returns (Totals memory);

    /// @notice Whether plan `planId` (0: the whole ledger) conserves its funds (see the notice).
    function isConserved(uint256 planId) external view returns (bool);

    /// @notice The approval subject of appropriation `id`.
    function appropriationSubject(uint256 id) external view returns (uint256);

    /// @notice The fund token the ledger mints and holds.
    function token() external view returns (IFundToken);

    /// @notice The number of appropriations proposed.
    function appropriationCount() external view returns (uint256);
}
