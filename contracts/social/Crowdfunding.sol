// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Governed} from "../access/Governed.sol";
import {Roles} from "../access/Roles.sol";
import {ICrowdfunding} from "../interfaces/ICrowdfunding.sol";
import {IFundToken} from "../interfaces/IFundToken.sol";
import {IHouseholdRegistry} from "../interfaces/IHouseholdRegistry.sol";
import {IPaymentBatches} from "../interfaces/IPaymentBatches.sol";
import {IPlanRegistry} from "../interfaces/IPlanRegistry.sol";
import {IRoleRegistry} from "../interfaces/IRoleRegistry.sol";
import {RegionCode} from "../utils/RegionCode.sol";

/// @title Crowdfunding
/// @notice Crowdfunding campaigns of crowdfunding plans; see {ICrowdfunding}.
/// @dev The token lets this contract mint (the on-ramp) and receive and pay (a platform contract). Gas of a
/// donation: the campaign's deadline and donation counter (one slot), its raised amount (a second slot, made
/// non-zero by the region at opening), the donor's amount, and the token transfer.
contract Crowdfunding is ICrowdfunding, Governed {
    IFundToken public immutable token;
    IPlanRegistry public immutable plans;
    IHouseholdRegistry public immutable households;
    IPaymentBatches public immutable payments;

    uint32 private _campaignCount;
    mapping(uint256 campaignId => Campaign) private _campaigns;
    mapping(uint256 campaignId => mapping(address donor => uint256)) private _donated;

    constructor(
        IRoleRegistry roleRegistry,
        IFundToken fundToken,
        IPlanRegistry planRegistry,
        IHouseholdRegistry householdRegistry,
        IPaymentBatches paymentBatches
    ) Governed(roleRegistry) {
        token = fundToken;
        plans = planRegistry;
        households = householdRegistry;
        payments = paymentBatches;
    }

    /// @inheritdoc ICrowdfunding
    /// @dev Requirements: the caller is a BANK over `region` (a valid region); a non-zero amount. The bank answers
    /// for having received the money: the reference ties the credit to its settlement record.
    function credit(address donor, uint256 amount, uint64 region, bytes32 bankReference) external {
        if (!RegionCode.isValid(region) || !roles.hasRoleIn(Roles.BANK, msg.sender, region)) {
            revert CrowdfundingUnauthorized(msg.sender, Roles.BANK, region);
        }
        if (amount == 0) revert CrowdfundingZeroAmount();
        emit OnRamped(donor, msg.sender, amount, bankReference);
        token.mint(donor, amount);
    }

    /// @inheritdoc ICrowdfunding
    /// @dev Requirements: the plan is a crowdfunding plan, approved or executing; the caller its owner (a
    /// DEPARTMENT officer over its region); a non-zero goal and a deadline in the future.
    function open(uint256 planId, uint96 goal, uint32 deadline) external returns (uint256 campaignId) {
        IPlanRegistry.Plan memory plan = plans.planOf(planId);
        (uint32 official, bool authorized) = roles.officialIn(Roles.DEPARTMENT, msg.sender, plan.region);
        if (
            plan.supportType != IPlanRegistry.SupportType.Crowdfunding || !authorized || official != plan.owner
                || (plan.status != IPlanRegistry.PlanStatus.Approved && plan.status != IPlanRegistry.PlanStatus.Executing)
        ) revert CrowdfundingInvalidPlan(planId, msg.sender);
        if (goal == 0 || deadline <= block.timestamp) revert CrowdfundingInvalidTerms(goal, deadline);
        campaignId = ++_campaignCount;
        Campaign storage campaign = _campaigns[campaignId];
        (campaign.planId, campaign.region, campaign.deadline, campaign.goal) =
            (uint32(planId), plan.region, deadline, goal);
        emit CampaignOpened(campaignId, planId, plan.region, goal, deadline, msg.sender);
    }

    /// @inheritdoc ICrowdfunding
    /// @dev Requirements: the campaign exists and its deadline has not passed; a non-zero amount the caller holds
    /// and approved to this contract.
    function donate(uint256 campaignId, uint256 amount) external {
        Campaign storage campaign = _campaigns[campaignId];
        uint32 deadline = campaign.deadline;
        if (deadline == 0) revert CrowdfundingUnknownCampaign(campaignId);
        if (block.timestamp > deadline) revert CrowdfundingClosed(campaignId, deadline);
        if (amount == 0) revert CrowdfundingZeroAmount();
        uint128 before = campaign.raised;
        campaign.raised = before + uint128(amount);
        uint32 index = ++campaign.donations;
        _donated[campaignId][msg.sender] += amount;
        emit Donated(campaignId, msg.sender, index, amount, before);
        // slither-disable-next-line unused-return
        bool moved = token.transferFrom(msg.sender, address(this), amount);
        assert(moved); // OpenZeppelin's ERC-20 reverts rather than return false
    }

    /// @inheritdoc ICrowdfunding
    /// @dev Requirements: the deadline has passed and the goal was missed; the caller gave something. Pull: each
    /// donor takes their own refund.
    function refund(uint256 campaignId) external {
        Campaign storage campaign = _campaigns[campaignId];
        (uint32 deadline, uint96 goal, uint128 raised) = (campaign.deadline, campaign.goal, campaign.raised);
        if (deadline == 0) revert CrowdfundingUnknownCampaign(campaignId);
        if (raised >= goal) revert CrowdfundingGoalMet(campaignId, raised, goal);
        if (block.timestamp <= deadline) revert CrowdfundingBeforeDeadline(campaignId, deadline);
        uint256 amount = _donated[campaignId][msg.sender];
        if (amount == 0) revert CrowdfundingNothingToRefund(campaignId, msg.sender);
        _donated[campaignId][msg.sender] = 0;
        campaign.refunded += uint128(amount);
        emit Refunded(campaignId, msg.sender, amount);
        // slither-disable-next-line unused-return
        bool moved = token.transfer(msg.sender, amount);
        assert(moved);
    }

    /// @inheritdoc ICrowdfunding
    /// @dev Requirements: the goal met; milestone `index` approved in the plan registry (the plan executing or
    /// completed) and not released from this campaign yet; the campaign holds its amount.
    function releaseTranche(uint256 campaignId, uint8 index) external {
        Campaign storage campaign = _campaigns[campaignId];
        (uint96 goal, uint128 raised) = (campaign.goal, campaign.raised);
        if (campaign.deadline == 0) revert CrowdfundingUnknownCampaign(campaignId);
        if (raised < goal) revert CrowdfundingGoalNotMet(campaignId, raised, goal);
        (bool approved, uint128 amount) = plans.trancheApproved(campaign.planId, index);
        uint64 bit = uint64(1) << index;
        if (!approved || index >= 64 || campaign.releasedTranches & bit != 0) {
            revert CrowdfundingTrancheUnavailable(campaignId, index);
        }
        uint256 held = uint256(raised) - campaign.refunded - campaign.released;
        if (amount > held) revert CrowdfundingShort(campaignId, amount, held);
        campaign.releasedTranches |= bit;
        campaign.released += amount;
        emit TrancheReleased(campaignId, campaign.planId, index, amount);
    }

    /// @inheritdoc ICrowdfunding
    /// @dev Requirements: the caller a HANDLER over the campaign's region; the household registered (any status)
    /// under that region with a bound wallet; the released funds not yet paid cover `amount`.
    function pay(uint256 campaignId, bytes32 household, uint128 amount) external {
        Campaign storage campaign = _campaigns[campaignId];
        uint64 region = campaign.region;
        if (region == 0) revert CrowdfundingUnknownCampaign(campaignId);
        if (!roles.hasRoleIn(Roles.HANDLER, msg.sender, region)) {
            revert CrowdfundingUnauthorized(msg.sender, Roles.HANDLER, region);
        }
        uint64 householdRegion = households.household(household).region;
        address wallet = payments.bindingOf(household).wallet;
        if (householdRegion == 0 || !RegionCode.covers(region, householdRegion) || wallet == address(0)) {
            revert CrowdfundingIneligibleHousehold(household);
        }
        if (amount == 0) revert CrowdfundingZeroAmount();
        uint128 paid = campaign.paid;
        uint256 unpaid = campaign.released - paid;
        if (amount > unpaid) revert CrowdfundingShort(campaignId, amount, unpaid);
        campaign.paid = paid + amount;
        // First in, first out: refunds happen only when the goal is missed, and then nothing is ever paid, so
        // the donations' running total spent so far is what was paid so far.
        emit DonationsPaid(campaignId, household, campaign.planId, amount, paid, msg.sender);
        // slither-disable-next-line unused-return
        bool moved = token.transfer(wallet, amount);
        assert(moved);
    }

    /// @inheritdoc ICrowdfunding
    function campaignOf(uint256 campaignId) external view returns (Campaign memory) {
        return _campaigns[campaignId];
    }

    /// @inheritdoc ICrowdfunding
    function donatedBy(uint256 campaignId, address donor) external view returns (uint256) {
        return _donated[campaignId][donor];
    }

    /// @inheritdoc ICrowdfunding
    function balanceOf(uint256 campaignId)
        external
        view
        returns (uint256 raised, uint256 released, uint256 refunded, uint256 held)
    {
        Campaign storage campaign = _campaigns[campaignId];
        (raised, released, refunded) = (campaign.raised, campaign.released, campaign.refunded);
        held = raised - released - refunded;
    }

    /// @inheritdoc ICrowdfunding
    function campaignCount() external view returns (uint256) {
        return _campaignCount;
    }
}
