"""PaymentBatches: wallets bound by intake clerks, payment batches approved on the hub and settled against their
Merkle root and bitmap, the plan's beneficiary rules and per-household cap, bank instructions confirmed or failed
by the bank, recovery after an upheld finding, and freezes; every revert with its custom error."""

import brownie
import pytest

from govchain.deploy import YUAN
from govchain.funds import Method, PaymentKind, entry_leaf_hash
from govchain.plans import REGISTERED
from tests.contracts.conftest import (
    ALL_STATUSES,
    COUNTY,
    HOUSEHOLD_CAP,
    OTHER_VILLAGE_SAME_TOWNSHIP,
    TRANSITION_PERIOD,
    VILLAGE,
    ExplicitList,
    PaymentBatchTree,
    approve_milestone,
    err,
    executing_plan,
    household_id,
    open_approved_batch,
)

WALLET, BANK = Method.WALLET, Method.BANK
H_REGISTERED, H_EXITED = 1, 2
REFERENCE = b"\x42" * 32


@pytest.fixture(scope="module")
def people(fund_officials):
    return fund_officials


@pytest.fixture
def pay(payment_batches, approval_hub, people, route_approvers, funded):
    """pay(payments, plan=funded plan) opens and approves a batch of (name, amount, method) and settles it all;
    returns (batch id, tree, transaction)."""

    def _pay(payments, plan_id=None, list_tree=None):
        tree = PaymentBatchTree.of(payments)
        batch = open_approved_batch(payment_batches, approval_hub, people.handler, route_approvers,
                                    plan_id or funded.plan, tree)
        return (
            batch,
            tree,
            payment_batches.settle(batch, *tree.settle_args(list_tree=list_tree), {"from": people.handler}),
        )

    return _pay


@pytest.fixture
def ready_plan(fund_ledger, plan_registry, approval_hub, plan_officials, people, route_approvers, funded):
    """ready_plan(region, statuses, cap, list) makes a fund plan of the funded appropriation with its first
    tranche released; returns its id."""

    def _ready(region=VILLAGE, statuses=REGISTERED, cap=HOUSEHOLD_CAP, explicit=None):
        extra = {"list_root": explicit.root, "list_cid": "bafkreilist"} if explicit else {}
        plan_id = executing_plan(plan_registry, approval_hub, plan_officials.department, route_approvers,
                                 region=region, statuses=statuses, budget=300_000 * YUAN, **extra)
        fund_ledger.linkPlan(plan_id, funded.appropriation, cap, {"from": people.treasury})
        fund_ledger.escrow(plan_id, {"from": people.handler})
        approve_milestone(plan_registry, approval_hub, people.handler, route_approvers, plan_id)
        fund_ledger.releaseTranche(plan_id, 0, {"from": people.handler})
        return plan_id

    return _ready


# --- wallets ---------------------------------------------------------------------------------------------------


def test_an_intake_clerk_binds_a_wallet_with_evidence(payment_batches, people, funded):
    tx = payment_batches.bindWallet(household_id("watched"), people.wallets[2], "bafkreievidence",
                                    {"from": people.clerk})
    assert tx.events["WalletBound"]["region"] == VILLAGE
    assert payment_batches.bindingOf(household_id("watched"))["wallet"] == people.wallets[2]


def test_a_wallet_is_bound_only_with_evidence(payment_batches, people, funded):
    with brownie.reverts(err("PaymentEvidenceRequired")):
        payment_batches.bindWallet(household_id("watched"), people.wallets[2], "", {"from": people.clerk})


def test_an_intake_clerk_enrols_and_withdraws_a_bank_channel(payment_batches, people, funded):
    household = household_id("admitted")
    tx = payment_batches.enrolBank(household, "bafkreibankevidence", {"from": people.clerk})
    assert (tx.events["BankEnrolment"]["enrolled"], payment_batches.bindingOf(household)["bank"]) == (True, True)
    payment_batches.withdrawBank(household, "bafkreireason", {"from": people.clerk})
    assert not payment_batches.bindingOf(household)["bank"]


def test_only_an_intake_clerk_of_the_households_village_binds_a_wallet(payment_batches, people, role, officials,
                                                                        funded):
    with brownie.reverts(err("PaymentUnauthorized", officials.other_clerk, role["INTAKE_CLERK"], VILLAGE)):
        payment_batches.bindWallet(household_id("watched"), people.wallets[2], "bafkreievidence",
                                   {"from": officials.other_clerk})


def test_a_wallet_serves_one_household(payment_batches, people, funded):
    with brownie.reverts(err("PaymentInvalidWallet", people.wallets[0])):
        payment_batches.bindWallet(household_id("watched"), people.wallets[0], "bafkreievidence",
                                   {"from": people.clerk})


def test_a_platform_contract_is_no_households_wallet(payment_batches, fund_ledger, people, funded):
    with brownie.reverts(err("PaymentInvalidWallet", fund_ledger)):
        payment_batches.bindWallet(household_id("watched"), fund_ledger, "bafkreievidence", {"from": people.clerk})


def test_an_unregistered_household_gets_no_wallet(payment_batches, people, funded):
    with brownie.reverts(err("PaymentUnknownHousehold", household_id("unchanged"))):
        payment_batches.bindWallet(household_id("unchanged"), people.wallets[2], "bafkreievidence",
                                   {"from": people.clerk})


def test_a_revoked_wallet_is_paid_nothing(payment_batches, approval_hub, people, route_approvers, funded):
    payment_batches.revokeWallet(household_id("admitted"), "bafkreireason", {"from": people.clerk})
    tree = PaymentBatchTree.of([("admitted", 100 * YUAN, WALLET)])
    batch = open_approved_batch(payment_batches, approval_hub, people.handler, route_approvers, funded.plan, tree)
    with brownie.reverts(err("PaymentNoWallet", household_id("admitted"))):
        payment_batches.settle(batch, *tree.settle_args(), {"from": people.handler})


# --- batches ---------------------------------------------------------------------------------------------------


def test_the_contract_and_govchain_encode_an_entry_alike(payment_batches):
    household = household_id("admitted")
    assert (
        payment_batches.entryLeaf(7, household, 12_345, BANK)
        == "0x" + entry_leaf_hash(7, household, 12_345, BANK).hex()
    )


def test_a_handler_opens_a_batch_as_an_approval_subject(payment_batches, approval_hub, people, funded, fund_routes):
    tree = PaymentBatchTree.of([("admitted", 100 * YUAN, WALLET)])
    tx = payment_batches.openBatch(
        funded.plan, 0, tree.root, 1, tree.total, "bafkreimanifest", {"from": people.handler}
    )
    event = tx.events["BatchOpened"]
    assert (event["planId"], event["total"], event["count"]) == (funded.plan, tree.total, 1)
    assert approval_hub.subjectOf(event["subject"])["routeId"] == fund_routes[6]


def test_only_a_handler_of_the_plans_region_opens_a_batch(payment_batches, people, funded, role):
    with brownie.reverts(err("PaymentUnauthorized", people.treasury, role["HANDLER"], VILLAGE)):
        payment_batches.openBatch(funded.plan, 0, b"\x01" * 32, 1, 1, "bafkreimanifest", {"from": people.treasury})


def test_a_batch_not_approved_pays_nothing(payment_batches, people, funded):
    tree = PaymentBatchTree.of([("admitted", 100 * YUAN, WALLET)])
    batch = payment_batches.openBatch(funded.plan, 0, tree.root, 1, tree.total, "bafkreimanifest",
                                      {"from": people.handler}).return_value
    with brownie.reverts(err("PaymentBatchNotApproved", batch, 1)):
        payment_batches.settle(batch, *tree.settle_args(), {"from": people.handler})


def test_a_wallet_payment_moves_the_tokens_to_the_households_wallet(payment_batches, fund_token, fund_ledger, pay,
                                                                    people, funded):
    batch, tree, tx = pay([("admitted", 300 * YUAN, WALLET), ("admitted-2", 200 * YUAN, WALLET)])
    assert fund_token.balanceOf(people.wallets[0]) == 300 * YUAN
    assert fund_token.balanceOf(people.wallets[1]) == 200 * YUAN
    event = next(e for e in tx.events["Payment"] if e["household"] == "0x" + household_id("admitted").hex())
    assert (event["kind"], event["household"], event["planId"], event["region"], event["amount"]) == (
        PaymentKind.PAID_TO_WALLET, "0x" + household_id("admitted").hex(), funded.plan, VILLAGE, 300 * YUAN)
    assert fund_ledger.planFunds(funded.plan)["paid"] == 500 * YUAN
    assert payment_batches.entryState(batch, 1) == (True, False)
    assert fund_ledger.isConserved(funded.plan) and fund_ledger.isConserved(0)


def test_an_entry_is_paid_once(payment_batches, pay, people):
    batch, tree, _ = pay([("admitted", 300 * YUAN, WALLET)])
    with brownie.reverts(err("PaymentAlreadySettled", batch, 0)):
        payment_batches.settle(batch, *tree.settle_args(), {"from": people.handler})


def test_an_entry_not_in_the_batch_is_refused(payment_batches, approval_hub, people, route_approvers, funded):
    tree = PaymentBatchTree.of([("admitted", 300 * YUAN, WALLET), ("admitted-2", 1, WALLET)])
    batch = open_approved_batch(payment_batches, approval_hub, people.handler, route_approvers, funded.plan, tree)
    entries, proof, lists = tree.settle_args([0])
    forged = list(entries[0])
    forged[2] = 400 * YUAN
    with brownie.reverts(err("PaymentInvalidProof", batch)):
        payment_batches.settle(batch, [forged], proof, lists, {"from": people.handler})


def test_a_household_in_its_transition_period_is_paid_where_the_plan_says_so(pay, fund_token, people):
    pay([("admitted-2", 100 * YUAN, WALLET)])
    assert fund_token.balanceOf(people.wallets[1]) == 100 * YUAN


def test_a_household_under_monitoring_is_paid_where_the_plan_says_so(pay, fund_ledger, funded):
    pay([("watched", 100 * YUAN, BANK)])
    assert fund_ledger.planFunds(funded.plan)["instructed"] == 100 * YUAN


def test_a_payment_to_an_unregistered_household_reverts(pay):
    with brownie.reverts(err("PaymentUnknownHousehold", household_id("unchanged"))):
        pay([("unchanged", 100 * YUAN, BANK)])


def test_a_payment_to_an_exited_household_past_its_transition_reverts(pay, chain, fund_households, funded):
    chain.sleep(TRANSITION_PERIOD + 1)
    ends = fund_households.household(household_id("admitted-2"))["transitionEndsAt"]
    with brownie.reverts(err("PaymentNotBeneficiary", funded.plan, household_id("admitted-2"), H_EXITED, ends)):
        pay([("admitted-2", 100 * YUAN, WALLET)])


def test_a_payment_to_a_household_of_a_status_the_plan_excludes_reverts(pay, ready_plan, fund_households):
    plan_id = ready_plan(statuses=REGISTERED)
    ends = fund_households.household(household_id("admitted-2"))["transitionEndsAt"]
    with brownie.reverts(err("PaymentNotBeneficiary", plan_id, household_id("admitted-2"), H_EXITED, ends)):
        pay([("admitted-2", 100 * YUAN, WALLET)], plan_id)


def test_a_payment_to_a_household_of_another_region_reverts(pay, ready_plan):
    plan_id = ready_plan(region=OTHER_VILLAGE_SAME_TOWNSHIP)
    with brownie.reverts(err("PaymentOutsideRegion", plan_id, household_id("admitted"), VILLAGE)):
        pay([("admitted", 100 * YUAN, WALLET)], plan_id)


def test_a_payment_to_a_household_off_the_plans_list_reverts(pay, ready_plan):
    explicit = ExplicitList(["admitted"])
    plan_id = ready_plan(statuses=ALL_STATUSES, explicit=explicit)
    with brownie.reverts(err("PaymentNotListed", plan_id, household_id("admitted-2"))):
        pay([("admitted", 100 * YUAN, WALLET), ("admitted-2", 100 * YUAN, WALLET)], plan_id, explicit)


def test_a_household_on_the_plans_list_is_paid(pay, ready_plan, fund_token, people):
    explicit = ExplicitList(["admitted", "watched"])
    plan_id = ready_plan(explicit=explicit)
    pay([("admitted", 100 * YUAN, WALLET)], plan_id, explicit)
    assert fund_token.balanceOf(people.wallets[0]) == 100 * YUAN


def test_a_payment_above_the_household_cap_reverts(pay, funded):
    pay([("admitted", HOUSEHOLD_CAP - 1, WALLET)])
    with brownie.reverts(err("PaymentAboveCap", funded.plan, household_id("admitted"), HOUSEHOLD_CAP + 1,
                             HOUSEHOLD_CAP)):
        pay([("admitted", 2, WALLET)])


def test_the_cap_counts_each_plan_apart(pay, ready_plan, payment_batches, funded):
    pay([("admitted", HOUSEHOLD_CAP, WALLET)])
    other = ready_plan()
    pay([("admitted", HOUSEHOLD_CAP, WALLET)], other)
    assert payment_batches.paidBy(funded.plan, household_id("admitted")) == HOUSEHOLD_CAP
    assert payment_batches.paidBy(other, household_id("admitted")) == HOUSEHOLD_CAP
    with brownie.reverts(err("PaymentAboveCap", funded.plan, household_id("admitted"), HOUSEHOLD_CAP + 1,
                             HOUSEHOLD_CAP)):
        pay([("admitted", 1, WALLET)])


def test_a_payment_beyond_the_released_tranche_reverts(pay, ready_plan):
    plan_id = ready_plan(cap=10**12)
    released = 100_000 * YUAN
    with brownie.reverts(err("FundPlanShort", plan_id, released + 1, released)):
        pay([("admitted", released + 1, WALLET)], plan_id)


def test_a_batch_of_a_tranche_not_released_pays_nothing(payment_batches, approval_hub, people, route_approvers,
                                                       funded):
    tree = PaymentBatchTree.of([("admitted", 100 * YUAN, WALLET)])
    batch = open_approved_batch(payment_batches, approval_hub, people.handler, route_approvers, funded.plan, tree,
                                tranche=1)
    with brownie.reverts(err("PaymentTrancheNotReleased", funded.plan, 1)):
        payment_batches.settle(batch, *tree.settle_args(), {"from": people.handler})


@pytest.mark.parametrize("what", ["plan", "tranche", "batch"])
def test_a_frozen_plan_tranche_or_batch_pays_nothing(payment_batches, plan_registry, supervision, approval_hub,
                                                      people, plan_officials, route_approvers, funded, what):
    tree = PaymentBatchTree.of([("admitted", 100 * YUAN, WALLET)])
    batch = open_approved_batch(payment_batches, approval_hub, people.handler, route_approvers, funded.plan, tree)
    target = {"plan": plan_registry.planTarget(funded.plan), "tranche": plan_registry.milestoneTarget(funded.plan, 0),
              "batch": payment_batches.batchSubject(batch)}[what]
    supervision.freeze(target, COUNTY, "bafkreireason", {"from": plan_officials.county_supervisor})
    with brownie.reverts(err("SupervisionTargetFrozen", target)):
        payment_batches.settle(batch, *tree.settle_args(), {"from": people.handler})


# --- bank instructions ------------------------------------------------------------------------------------------


def test_a_bank_instruction_sets_the_funds_aside_until_the_bank_confirms(pay, fund_ledger, funded):
    _, _, tx = pay([("watched", 150 * YUAN, BANK)])
    assert tx.events["Payment"]["kind"] == PaymentKind.BANK_INSTRUCTED
    funds = fund_ledger.planFunds(funded.plan)
    assert (funds["instructed"], funds["paid"]) == (150 * YUAN, 0)


def test_the_bank_confirms_an_instruction_with_its_reference(pay, payment_batches, fund_ledger, fund_token, people,
                                                              funded):
    batch, tree, _ = pay([("watched", 150 * YUAN, BANK)])
    supply = fund_token.totalSupply()
    tx = payment_batches.confirmBank(batch, *tree.bank_args(), REFERENCE, {"from": people.bank})
    assert tx.events["BankReported"]["referenceHash"] == "0x" + REFERENCE.hex()
    assert tx.events["Payment"]["kind"] == PaymentKind.BANK_CONFIRMED
    funds = fund_ledger.planFunds(funded.plan)
    assert (funds["instructed"], funds["paid"]) == (0, 150 * YUAN)
    assert fund_token.totalSupply() == supply - 150 * YUAN
    assert payment_batches.entryState(batch, 0) == (True, True)
    assert fund_ledger.isConserved(funded.plan) and fund_ledger.isConserved(0)


def test_a_bank_confirmation_by_a_non_bank_account_reverts(pay, payment_batches, people, role):
    batch, tree, _ = pay([("watched", 150 * YUAN, BANK)])
    with brownie.reverts(err("PaymentUnauthorized", people.handler, role["BANK"], VILLAGE)):
        payment_batches.confirmBank(batch, *tree.bank_args(), REFERENCE, {"from": people.handler})


def test_a_bank_of_another_region_confirms_nothing(pay, payment_batches, people, role):
    batch, tree, _ = pay([("watched", 150 * YUAN, BANK)])
    with brownie.reverts(err("PaymentUnauthorized", people.other_bank, role["BANK"], VILLAGE)):
        payment_batches.confirmBank(batch, *tree.bank_args(), REFERENCE, {"from": people.other_bank})


def test_a_bank_confirmation_twice_reverts(pay, payment_batches, people):
    batch, tree, _ = pay([("watched", 150 * YUAN, BANK)])
    payment_batches.confirmBank(batch, *tree.bank_args(), REFERENCE, {"from": people.bank})
    with brownie.reverts(err("PaymentAlreadyResolved", batch, 0)):
        payment_batches.confirmBank(batch, *tree.bank_args(), REFERENCE, {"from": people.bank})


def test_a_bank_confirmation_for_another_batch_reverts(pay, payment_batches, people):
    first, _, _ = pay([("watched", 150 * YUAN, BANK)])
    _, other_tree, _ = pay([("watched", 120 * YUAN, BANK)])
    with brownie.reverts(err("PaymentInvalidProof", first)):
        payment_batches.confirmBank(first, *other_tree.bank_args(), REFERENCE, {"from": people.bank})


def test_a_household_without_an_enrolled_bank_channel_gets_no_bank_instruction(pay):
    with brownie.reverts(err("PaymentNotEnrolled", household_id("admitted"))):
        pay([("admitted", 150 * YUAN, BANK)])


def test_part_of_a_batch_is_settled_with_its_own_multiproof(payment_batches, approval_hub, people, route_approvers,
                                                           fund_token, funded):
    tree = PaymentBatchTree.of([("admitted", 100 * YUAN, WALLET), ("watched", 50 * YUAN, BANK),
                                ("admitted-2", 70 * YUAN, WALLET)])
    batch = open_approved_batch(payment_batches, approval_hub, people.handler, route_approvers, funded.plan, tree)
    payment_batches.settle(batch, *tree.settle_args([2]), {"from": people.handler})
    payment_batches.settle(batch, *tree.settle_args([0, 1]), {"from": people.handler})
    assert fund_token.balanceOf(people.wallets[1]) == 70 * YUAN
    assert [payment_batches.entryState(batch, i)[0] for i in range(3)] == [True, True, True]


def test_a_wallet_payment_is_no_bank_instruction_to_confirm(pay, payment_batches, people):
    batch, tree, _ = pay([("admitted", 150 * YUAN, WALLET)])
    with brownie.reverts(err("PaymentNotInstructed", batch, 0)):
        payment_batches.confirmBank(batch, *tree.bank_args(), REFERENCE, {"from": people.bank})


def test_a_failed_bank_instruction_returns_the_funds_to_the_tranche_and_the_cap(pay, payment_batches, fund_ledger,
                                                                                people, funded):
    released = fund_ledger.planFunds(funded.plan)["released"]
    batch, tree, _ = pay([("watched", 150 * YUAN, BANK)])
    tx = payment_batches.failBank(batch, *tree.bank_args(), REFERENCE, {"from": people.bank})
    assert tx.events["Payment"]["kind"] == PaymentKind.BANK_FAILED
    funds = fund_ledger.planFunds(funded.plan)
    assert (funds["instructed"], funds["released"]) == (0, released)
    assert payment_batches.paidBy(funded.plan, household_id("watched")) == 0


def test_a_plan_with_open_bank_instructions_is_not_settled(pay, fund_ledger, plan_registry, people, plan_officials,
                                                           funded):
    pay([("watched", 150 * YUAN, BANK)])
    plan_registry.close(funded.plan, "bafkreiclosed", {"from": plan_officials.department})
    with brownie.reverts(err("FundInstructionsOpen", funded.plan, 150 * YUAN)):
        fund_ledger.settle(funded.plan, {"from": people.handler})


# --- recovery ---------------------------------------------------------------------------------------------------


@pytest.fixture
def upheld(supervision, plan_registry, plan_officials, funded):
    """upheld(target) opens and upholds a flag case on `target` (the funded plan by default); returns its id."""

    def _upheld(target=None):
        target = target or plan_registry.planTarget(funded.plan)
        case = supervision.flag(
            target, COUNTY, "bafkreireason", {"from": plan_officials.county_supervisor}
        ).return_value
        supervision.resolve(case, COUNTY, True, 0, "bafkreifinding", {"from": plan_officials.county_supervisor})
        return case

    return _upheld


def test_a_wrong_payment_is_recovered_after_an_upheld_finding(pay, payment_batches, fund_ledger, fund_token, people,
                                                               funded, upheld):
    batch, tree, _ = pay([("admitted", 300 * YUAN, WALLET)])
    released = fund_ledger.planFunds(funded.plan)["released"]
    case = upheld()
    tx = payment_batches.recover(
        batch, tree.entry(0), tree.proof(0), 300 * YUAN, case, "bafkreirecovery", {"from": people.treasury}
    )
    assert tx.events["Payment"]["kind"] == PaymentKind.RECOVERED
    assert fund_token.balanceOf(people.wallets[0]) == 0
    funds = fund_ledger.planFunds(funded.plan)
    assert (funds["paid"], funds["recovered"], funds["released"]) == (0, 300 * YUAN, released + 300 * YUAN)
    assert fund_ledger.isConserved(funded.plan) and fund_ledger.isConserved(0)


def test_a_recovery_without_an_upheld_finding_reverts(pay, payment_batches, supervision, plan_registry, people,
                                                      plan_officials, funded):
    batch, tree, _ = pay([("admitted", 300 * YUAN, WALLET)])
    case = supervision.flag(plan_registry.planTarget(funded.plan), COUNTY, "bafkreireason",
                            {"from": plan_officials.county_supervisor}).return_value
    with brownie.reverts(err("PaymentNoUpheldFinding", batch, case)):
        payment_batches.recover(
            batch, tree.entry(0), tree.proof(0), 300 * YUAN, case, "bafkreirecovery", {"from": people.treasury}
        )


def test_a_finding_upheld_on_another_target_recovers_nothing(pay, payment_batches, plan_registry, people, funded,
                                                             upheld):
    batch, tree, _ = pay([("admitted", 300 * YUAN, WALLET)])
    case = upheld(plan_registry.milestoneTarget(funded.plan, 2))
    with brownie.reverts(err("PaymentNoUpheldFinding", batch, case)):
        payment_batches.recover(
            batch, tree.entry(0), tree.proof(0), 300 * YUAN, case, "bafkreirecovery", {"from": people.treasury}
        )


def test_no_more_is_recovered_than_was_paid(pay, payment_batches, people, upheld):
    batch, tree, _ = pay([("admitted", 300 * YUAN, WALLET)])
    case = upheld()
    payment_batches.recover(
        batch, tree.entry(0), tree.proof(0), 200 * YUAN, case, "bafkreirecovery", {"from": people.treasury}
    )
    with brownie.reverts(err("PaymentRecoveryExceeds", batch, 0, 101 * YUAN, 100 * YUAN)):
        payment_batches.recover(
            batch, tree.entry(0), tree.proof(0), 101 * YUAN, case, "bafkreirecovery", {"from": people.treasury}
        )


# --- visit duties after payments (issue 11: a plan may require a visit within N days of a payment) -------------

WINDOW_DAYS = 14
DAY = 86_400


@pytest.fixture
def visited_plan(follow_up_visits, plan_officials, funded):
    """The funded plan, requiring a visit within WINDOW_DAYS days of each payment."""
    follow_up_visits.setVisitWindow(funded.plan, WINDOW_DAYS, {"from": plan_officials.department})
    return funded.plan


def test_a_paid_batch_opens_a_visit_duty_for_its_households(pay, payment_batches, follow_up_visits, visited_plan):
    batch, tree, tx = pay([("admitted", 100 * YUAN, WALLET), ("admitted-2", 50 * YUAN, WALLET)])
    event = tx.events["BatchVisitsRequired"]
    assert (event["recorder"], event["batchId"], event["planId"], event["root"], event["count"], event["dueBy"]) == (
        payment_batches, batch, visited_plan, "0x" + tree.root.hex(), 2, tx.timestamp + WINDOW_DAYS * DAY)
    assert tuple(follow_up_visits.batchDutyOf(payment_batches, batch)) == (
        "0x" + tree.root.hex(), visited_plan, tx.timestamp, tx.timestamp + WINDOW_DAYS * DAY)


def test_a_batch_under_a_plan_without_visit_window_opens_no_duty(pay, payment_batches, follow_up_visits, funded):
    batch, _, tx = pay([("admitted", 100 * YUAN, WALLET)])
    assert "BatchVisitsRequired" not in tx.events
    assert follow_up_visits.batchDutyOf(payment_batches, batch)["servedAt"] == 0


def test_a_visit_proving_its_entry_fulfils_the_households_part(pay, payment_batches, follow_up_visits,
                                                               followup_officials, visited_plan, chain):
    batch, tree, tx = pay([("admitted", 100 * YUAN, WALLET), ("admitted-2", 50 * YUAN, WALLET)])
    chain.sleep(60)
    visit = follow_up_visits.recordPaymentVisit(payment_batches, batch, tree.entry(1), tree.proof(1), chain.time() - 10,
                                                4, 0, "bafkreivisitphoto", {"from": followup_officials.grid_worker})
    assert visit.events["VisitRecorded"]["fulfilled"] is True
    assert visit.events["VisitRecorded"]["household"] == "0x" + household_id("admitted-2").hex()
    assert tuple(follow_up_visits.paymentVisitState(payment_batches, batch, 1)) == (True, False)
    assert tuple(follow_up_visits.paymentVisitState(payment_batches, batch, 0)) == (False, False)


def test_a_visit_naming_another_households_entry_is_refused(pay, payment_batches, follow_up_visits,
                                                            followup_officials, visited_plan, chain):
    batch, tree, _ = pay([("admitted", 100 * YUAN, WALLET), ("admitted-2", 50 * YUAN, WALLET)])
    forged = (1, household_id("admitted"), 50 * YUAN, int(WALLET))  # entry 1 is admitted-2's
    with brownie.reverts(err("VisitNotInBatchDuty", batch, 1, False)):
        follow_up_visits.recordPaymentVisit(payment_batches, batch, forged, tree.proof(1), chain.time() - 1, 4, 0,
                                            "bafkreivisitphoto", {"from": followup_officials.grid_worker})


def test_an_unvisited_paid_household_is_marked_overdue_after_the_due_date(pay, payment_batches, follow_up_visits,
                                                                         people, visited_plan, chain):
    batch, tree, tx = pay([("admitted", 100 * YUAN, WALLET)])
    due = tx.timestamp + WINDOW_DAYS * DAY
    with brownie.reverts(err("VisitBatchEntryNotOverdue", batch, 0, due)):
        follow_up_visits.markPaymentOverdue(payment_batches, batch, tree.entry(0), tree.proof(0), {"from": people.bank})
    chain.sleep(WINDOW_DAYS * DAY + 1)
    marked = follow_up_visits.markPaymentOverdue(payment_batches, batch, tree.entry(0), tree.proof(0),
                                                 {"from": people.bank})
    event = marked.events["VisitOverdue"]
    assert (event["planId"], event["household"], event["dueBy"]) == (
        visited_plan,
        "0x" + household_id("admitted").hex(),
        due,
    )
    with brownie.reverts(err("VisitBatchEntryNotOverdue", batch, 0, due)):
        follow_up_visits.markPaymentOverdue(payment_batches, batch, tree.entry(0), tree.proof(0), {"from": people.bank})


def test_a_visited_household_is_not_overdue(pay, payment_batches, follow_up_visits, followup_officials, people,
                                            visited_plan, chain):
    batch, tree, tx = pay([("admitted", 100 * YUAN, WALLET)])
    chain.sleep(60)
    follow_up_visits.recordPaymentVisit(payment_batches, batch, tree.entry(0), tree.proof(0), chain.time() - 10, 5, 0,
                                        "bafkreivisitphoto", {"from": followup_officials.grid_worker})
    chain.sleep(WINDOW_DAYS * DAY + 1)
    with brownie.reverts(err("VisitBatchEntryNotOverdue", batch, 0, tx.timestamp + WINDOW_DAYS * DAY)):
        follow_up_visits.markPaymentOverdue(payment_batches, batch, tree.entry(0), tree.proof(0), {"from": people.bank})


def test_an_entry_never_paid_owes_no_visit(payment_batches, approval_hub, follow_up_visits, people, route_approvers,
                                          visited_plan, chain):
    tree = PaymentBatchTree.of([("admitted", 100 * YUAN, WALLET), ("admitted-2", 50 * YUAN, WALLET)])
    batch = open_approved_batch(payment_batches, approval_hub, people.handler, route_approvers, visited_plan, tree)
    payment_batches.settle(batch, *tree.settle_args(indices=[0]), {"from": people.handler})
    chain.sleep(WINDOW_DAYS * DAY + 1)
    with brownie.reverts(err("VisitNotInBatchDuty", batch, 1, False)):
        follow_up_visits.markPaymentOverdue(payment_batches, batch, tree.entry(1), tree.proof(1), {"from": people.bank})
