// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title ICrowdfunding
/// @notice Crowdfunding support (众筹帮扶). The owner of an approved crowdfunding plan opens a campaign with a goal
/// and a deadline. Donors give fund tokens, bought through an on-ramp the platform trusts (a BANK credits what it
/// received, {credit}), and get a receipt event ({Donated}) numbering the donation and placing it in the campaign's
/// running total. If the goal is not met by the deadline, every donor takes their refund ({refund}, pull). Once
/// the goal is met the funds are released milestone by milestone, against the milestones approved in the plan
/// registry, as for any plan; a HANDLER pays released funds to households' bound wallets. Donations are spent in
/// the order they came (first in, first out): each payment's event names the running-total range it spent, so a
/// donor follows their money to the (pseudonymous) households it reached.
/// Balance, per campaign, at every moment: raised = released + refunded + held ({balanceOf}); the contract holds
/// held + (released - paid) of every campaign.
interface ICrowdfunding {
    /// @notice A campaign: plan, deadline, the number of donations, goal, the tranches released (bit i: milestone
    /// i); raised and region; refunded, released and paid so far.
    /// @dev Packed so that a donation writes only slots the campaign's opening made non-zero (the first with the
    /// deadline and donation counter, the second with the region and raised amount).
    struct Campaign {
        uint32 planId;
        uint32 deadline;
        uint32 donations;
        uint96 goal;
        uint64 releasedTranches;
        uint128 raised;
        uint64 region;
        uint128 refunded;
        uint128 released;
        uint128 paid;
    }

    /// @notice `owner` opened campaign `campaignId` for plan `planId` with `goal` fen by `deadline`.
    event CampaignOpened(
        uint256 indexed campaignId, uint256 indexed planId, uint64 indexed region, uint96 goal, uint32 deadline,
        address owner
    );

    /// @notice `bank` credited `donor` with `amount` fen it received (its settlement reference `bankReference`).
    event OnRamped(address indexed donor, address indexed bank, uint256 amount, bytes32 bankReference);

    /// @notice Receipt: `donor` gave `amount` fen to campaign `campaignId` as its donation number `index`
    /// (from 1), covering the campaign's running total from `cumulativeBefore` to `cumulativeBefore + amount`.
    event Donated(
        uint256 indexed campaignId, address indexed donor, uint32 indexed index, uint256 amount, uint256 cumulativeBefore
    );

    /// @notice `donor` took back `amount` fen from campaign `campaignId`, which missed its goal.
    event Refunded(uint256 indexed campaignId, address indexed donor, uint256 amount);

    /// @notice The tranche of milestone `index` (`amount` fen) of campaign `campaignId` was released.
    event TrancheReleased(uint256 indexed campaignId, uint256 indexed planId, uint8 indexed index, uint256 amount);

    /// @notice `handler` paid `amount` fen of campaign `campaignId` to `household`'s bound wallet; it spent the
    /// donations' running total from `fromCumulative` to `fromCumulative + amount` (first in, first out).
    event DonationsPaid(
        uint256 indexed campaignId,
        bytes32 indexed household,
        uint256 indexed planId,
        uint256 amount,
        uint256 fromCumulative,
        address handler
    );

    /// @notice `account` lacks `role` over `region`.
    error CrowdfundingUnauthorized(address account, bytes32 role, uint64 region);

    /// @notice Plan `planId` is not an approved or executing crowdfunding plan, or `account` does not own it.
    error CrowdfundingInvalidPlan(uint256 planId, address account);

    /// @notice A campaign needs a goal and a deadline in the future.
    error CrowdfundingInvalidTerms(uint96 goal, uint32 deadline);

    /// @notice Campaign `campaignId` does not exist.
    error CrowdfundingUnknownCampaign(uint256 campaignId);

    /// @notice Campaign `campaignId` closed at `deadline`: no more donations.
    error CrowdfundingClosed(uint256 campaignId, uint32 deadline);

    /// @notice A donation must be non-zero.
    error CrowdfundingZeroAmount();

    /// @notice Campaign `campaignId` met its goal: no refunds.
    error CrowdfundingGoalMet(uint256 campaignId, uint256 raised, uint256 goal);

    /// @notice Campaign `campaignId` runs until `deadline`: refunds come only after it, if the goal is missed.
    error CrowdfundingBeforeDeadline(uint256 campaignId, uint32 deadline);

    /// @notice `donor` has nothing to take back from campaign `campaignId`.
    error CrowdfundingNothingToRefund(uint256 campaignId, address donor);

    /// @notice Campaign `campaignId` has not met its goal (`raised` of `goal`): nothing is released.
    error CrowdfundingGoalNotMet(uint256 campaignId, uint256 raised, uint256 goal);

    /// @notice The tranche of milestone `index` is not approved in the plan registry, or was released already.
    error CrowdfundingTrancheUnavailable(uint256 campaignId, uint256 index);

    /// @notice Campaign `campaignId` holds `available` for the action, `needed` is asked for.
    error CrowdfundingShort(uint256 campaignId, uint256 needed, uint256 available);

    /// @notice `household` is not registered under the campaign's region, or has no bound wallet.
    error CrowdfundingIneligibleHousehold(bytes32 household);

    /// @notice Credits `donor` with `amount` fen of fund tokens the caller (a BANK over `region`) received.
    function credit(address donor, uint256 amount, uint64 region, bytes32 bankReference) external;

    /// @notice Opens a campaign for crowdfunding plan `planId` (its owner).
    function open(uint256 planId, uint96 goal, uint32 deadline) external returns (uint256 campaignId);

    /// @notice Gives `amount` fen (approved to this contract) to campaign `campaignId`.
    function donate(uint256 campaignId, uint256 amount) external;

    /// @notice Takes the caller's donations back from campaign `campaignId`, which missed its goal.
    function refund(uint256 campaignId) external;

    /// @notice Releases the tranche of approved milestone `index` of the campaign's plan; anyone may call.
    function releaseTranche(uint256 campaignId, uint8 index) external;

    /// @notice Pays `amount` of released funds to `household`'s bound wallet (HANDLER over the campaign's region).
    function pay(uint256 campaignId, bytes32 household, uint128 amount) external;

    /// @notice Campaign `campaignId`.
    function campaignOf(uint256 campaignId) external view returns (Campaign memory);

    /// @notice What `donor` gave campaign `campaignId` and has not taken back.
    function donatedBy(uint256 campaignId, address donor) external view returns (uint256);

    /// @notice (raised, released, refunded, held) of campaign `campaignId`.
    function balanceOf(uint256 campaignId)
        external
        view
        returns (uint256 raised, uint256 released, uint256 refunded, uint256 held);

    /// @notice The number of campaigns opened.
    function campaignCount() external view returns (uint256);
}
