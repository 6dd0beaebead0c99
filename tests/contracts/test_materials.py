"""Materials (物资): procurement approved on the hub and paid from the plan's released tranche, stock, dispatch to
a village, delivery to a household with its receipt, losses and returns; conservation per plan and kind."""

import brownie
import pytest

from .conftest import (
    INVOICE_CID,
    OTHER_TOWNSHIP,
    OTHER_VILLAGE_SAME_TOWNSHIP,
    TOWNSHIP,
    UNIT_PRICE,
    VILLAGE,
    approved_procurement,
    err,
    household_id,
    plain,
    receipt_signature,
    walk_route,
)

HOUSEHOLD = household_id("admitted")  # registered in VILLAGE, wallet bound to fund_officials.wallets[0]
UNBOUND = household_id("watched")  # under monitoring in VILLAGE, no wallet
KIND = 1
PROPOSED, APPROVED, REJECTED, RECEIVED, CANCELLED = 1, 2, 3, 4, 5
CONSEQUENCE_CANCEL = 1  # MaterialSupply.CONSEQUENCE_CANCEL
SUPERVISION_LOSS = 255  # MaterialSupply.SUPERVISION_LOSS
SIGNATURE, ATTESTATION = 0, 1


@pytest.fixture(scope="module")
def people(material_officials, fund_officials):
    material_officials.handler = fund_officials.handler
    material_officials.wallet = fund_officials.wallets[0]
    return material_officials


@pytest.fixture(scope="module")
def plan_id(funded):
    return funded.plan


@pytest.fixture(scope="module")
def procured(material_supply, approval_hub, people, route_approvers, plan_id):
    """An approved procurement of 1000 bags at 50 yuan, received into the township warehouse."""
    procurement = approved_procurement(material_supply, approval_hub, people.handler, people.supplier,
                                       route_approvers, plan_id)
    material_supply.receiveGoods(procurement, "bafkreigoodsreceipt", {"from": people.dispatcher})
    return procurement


@pytest.fixture(scope="module")
def dispatched(material_supply, procured, people):
    """Dispatch of 100 bags of `procured` to VILLAGE."""
    return material_supply.dispatch(procured, VILLAGE, 100, {"from": people.dispatcher}).return_value


@pytest.fixture(scope="module", autouse=True)
def stocked(dispatched):
    """Every test starts with 1000 bags procured, 100 of them dispatched to VILLAGE, 900 in the warehouse."""


def balance(supply, plan_id):
    b = supply.balanceOf(plan_id, KIND)
    return dict(inTransit=b[0], delivered=b[1], inStock=b[2], procured=b[3], lost=b[4])


def test_governance_defines_a_kind_with_its_unit(material_supply, admin):
    tx = material_supply.defineKind(b"kg".ljust(32, b"\0"), "bafkreirice", {"from": admin})
    assert tx.events["MaterialKindDefined"]["kindId"] == 2
    assert material_supply.unitOf(2) == "0x" + b"kg".ljust(32, b"\0").hex()


def test_handler_proposes_a_procurement_as_an_approval_subject(material_supply, approval_hub, people, plan_id):
    tx = material_supply.propose(plan_id, KIND, TOWNSHIP, people.supplier, 1000, UNIT_PRICE, INVOICE_CID,
                                 {"from": people.handler})
    procurement = tx.return_value
    subject = material_supply.procurementSubject(procurement)
    assert tx.events["ProcurementProposed"]["subject"] == subject
    assert approval_hub.subjectOf(subject)["state"] == 1  # pending
    assert material_supply.procurementOf(procurement)["status"] == PROPOSED


def test_procurement_from_a_supplier_of_another_region_is_refused(material_supply, people, plan_id):
    with brownie.reverts(err("MaterialNotSupplier", people.other_supplier, TOWNSHIP)):
        material_supply.propose(plan_id, KIND, TOWNSHIP, people.other_supplier, 10, UNIT_PRICE, INVOICE_CID,
                                {"from": people.handler})


def test_procurement_of_an_undefined_kind_is_refused(material_supply, people, plan_id):
    with brownie.reverts(err("MaterialUnknownKind", 9)):
        material_supply.propose(plan_id, 9, TOWNSHIP, people.supplier, 10, UNIT_PRICE, INVOICE_CID,
                                {"from": people.handler})


def test_procurement_without_invoice_is_refused(material_supply, people, plan_id):
    with brownie.reverts(err("MaterialInvalidProcurement", 2)):
        material_supply.propose(plan_id, KIND, TOWNSHIP, people.supplier, 10, UNIT_PRICE, "", {"from": people.handler})


def test_procurement_by_a_non_handler_is_refused(material_supply, people, plan_id, role):
    with brownie.reverts(err("MaterialUnauthorized", people.dispatcher, role["HANDLER"], VILLAGE)):
        material_supply.propose(plan_id, KIND, TOWNSHIP, people.supplier, 10, UNIT_PRICE, INVOICE_CID,
                                {"from": people.dispatcher})


def test_receiving_goods_pays_the_supplier_from_the_released_tranche(material_supply, approval_hub, fund_ledger,
                                                                    fund_token, people, route_approvers, plan_id):
    procurement = approved_procurement(material_supply, approval_hub, people.handler, people.supplier,
                                       route_approvers, plan_id)
    released = fund_ledger.planFunds(plan_id)["released"]
    held = fund_token.balanceOf(people.supplier)
    tx = material_supply.receiveGoods(procurement, "bafkreigoodsreceipt", {"from": people.dispatcher})
    price = 1000 * UNIT_PRICE
    assert tx.events["ProcurementReceived"]["amount"] == price
    assert fund_token.balanceOf(people.supplier) == held + price
    assert fund_ledger.planFunds(plan_id)["released"] == released - price
    assert fund_ledger.isConserved(plan_id)
    assert material_supply.stockIn(TOWNSHIP, KIND) == 1900
    assert balance(material_supply, plan_id) == dict(inTransit=100, delivered=0, inStock=1900, procured=2000, lost=0)


def test_procurement_beyond_the_released_tranche_is_not_paid(material_supply, approval_hub, fund_ledger, people,
                                                             route_approvers, plan_id):
    released = fund_ledger.planFunds(plan_id)["released"]
    quantity = released // UNIT_PRICE + 1
    procurement = approved_procurement(material_supply, approval_hub, people.handler, people.supplier,
                                       route_approvers, plan_id, quantity=quantity)
    with brownie.reverts(err("FundPlanShort", plan_id, quantity * UNIT_PRICE, released)):
        material_supply.receiveGoods(procurement, "bafkreigoodsreceipt", {"from": people.dispatcher})


def test_procurement_paid_from_a_frozen_plan_is_refused(material_supply, approval_hub, plan_registry, supervision,
                                                        plan_officials, people, route_approvers, plan_id):
    procurement = approved_procurement(material_supply, approval_hub, people.handler, people.supplier,
                                       route_approvers, plan_id)
    target = plan_registry.planTarget(plan_id)
    supervision.freeze(target, TOWNSHIP, "bafkreicase", {"from": plan_officials.township_supervisor})
    with brownie.reverts(err("SupervisionTargetFrozen", target)):
        material_supply.receiveGoods(procurement, "bafkreigoodsreceipt", {"from": people.dispatcher})


def test_frozen_procurement_is_neither_approved_nor_received(material_supply, approval_hub, supervision,
                                                             plan_officials, people, route_approvers, plan_id):
    procurement = material_supply.propose(plan_id, KIND, TOWNSHIP, people.supplier, 10, UNIT_PRICE, INVOICE_CID,
                                          {"from": people.handler}).return_value
    subject = material_supply.procurementSubject(procurement)
    supervision.freeze(subject, TOWNSHIP, "bafkreicase", {"from": plan_officials.township_supervisor})
    with brownie.reverts(err("ApprovalSubjectFrozen", subject)):
        walk_route(approval_hub, subject, route_approvers)


def test_rejected_procurement_cannot_be_received(material_supply, approval_hub, people, plan_officials, plan_id):
    procurement = material_supply.propose(plan_id, KIND, TOWNSHIP, people.supplier, 10, UNIT_PRICE, INVOICE_CID,
                                          {"from": people.handler}).return_value
    approval_hub.reject(material_supply.procurementSubject(procurement), "bafkreiwhy",
                        {"from": plan_officials.county_department})
    with brownie.reverts(err("MaterialWrongStatus", procurement, REJECTED)):
        material_supply.receiveGoods(procurement, "bafkreigoodsreceipt", {"from": people.dispatcher})


def test_dispatch_moves_stock_into_transit(material_supply, procured, people, plan_id):
    tx = material_supply.dispatch(procured, VILLAGE, 50, {"from": people.dispatcher})
    assert plain(material_supply.dispatchOf(tx.return_value)) == (procured, plan_id, KIND, VILLAGE, 50)
    assert material_supply.stockIn(TOWNSHIP, KIND) == 850
    assert balance(material_supply, plan_id) == dict(inTransit=150, delivered=0, inStock=850, procured=1000, lost=0)


def test_dispatch_beyond_the_stock_is_refused(material_supply, procured, people):
    with brownie.reverts(err("MaterialShortStock", procured, 901, 900)):
        material_supply.dispatch(procured, VILLAGE, 901, {"from": people.dispatcher})


def test_dispatch_to_a_village_outside_the_plan_is_refused(material_supply, procured, people):
    with brownie.reverts(err("MaterialInvalidRegion", OTHER_VILLAGE_SAME_TOWNSHIP)):
        material_supply.dispatch(procured, OTHER_VILLAGE_SAME_TOWNSHIP, 10, {"from": people.dispatcher})


def test_delivery_with_the_households_signed_receipt(material_supply, dispatched, people, plan_id):
    signature = receipt_signature(people.wallet, material_supply, dispatched, 0, HOUSEHOLD, 2)
    tx = material_supply.deliver(dispatched, 0, HOUSEHOLD, 2, signature, "", {"from": people.grid_worker})
    event = tx.events["MaterialDelivered"]
    assert (event["household"], event["quantity"], event["method"]) == ("0x" + HOUSEHOLD.hex(), 2, SIGNATURE)
    assert material_supply.isDelivered(dispatched, 0)
    assert balance(material_supply, plan_id) == dict(inTransit=98, delivered=2, inStock=900, procured=1000, lost=0)


def test_delivery_attested_by_the_grid_worker_with_evidence(material_supply, dispatched, people):
    tx = material_supply.deliver(dispatched, 1, UNBOUND, 3, b"", "bafkreisignedform", {"from": people.grid_worker})
    assert tx.events["MaterialDelivered"]["method"] == ATTESTATION


def test_double_receipt_is_refused(material_supply, dispatched, people):
    signature = receipt_signature(people.wallet, material_supply, dispatched, 0, HOUSEHOLD, 2)
    material_supply.deliver(dispatched, 0, HOUSEHOLD, 2, signature, "", {"from": people.grid_worker})
    with brownie.reverts(err("MaterialAlreadyReceived", dispatched, 0)):
        material_supply.deliver(dispatched, 0, HOUSEHOLD, 2, signature, "", {"from": people.grid_worker})


def test_delivery_beyond_the_dispatched_stock_is_refused(material_supply, dispatched, people):
    with brownie.reverts(err("MaterialBeyondDispatch", dispatched, 101, 100)):
        material_supply.deliver(dispatched, 0, UNBOUND, 101, b"", "bafkreisignedform", {"from": people.grid_worker})


def test_delivery_by_a_grid_worker_of_another_village_is_refused(material_supply, dispatched, people, role):
    worker = people.other_grid_worker
    with brownie.reverts(err("MaterialUnauthorized", worker, role["GRID_WORKER"], VILLAGE)):
        material_supply.deliver(dispatched, 0, UNBOUND, 1, b"", "bafkreisignedform", {"from": worker})


def test_receipt_signed_by_another_wallet_is_refused(material_supply, dispatched, people, fund_officials):
    signature = receipt_signature(fund_officials.wallets[1], material_supply, dispatched, 0, HOUSEHOLD, 2)
    with brownie.reverts(err("MaterialBadReceipt", HOUSEHOLD)):
        material_supply.deliver(dispatched, 0, HOUSEHOLD, 2, signature, "", {"from": people.grid_worker})


def test_signature_for_another_quantity_is_refused(material_supply, dispatched, people):
    signature = receipt_signature(people.wallet, material_supply, dispatched, 0, HOUSEHOLD, 1)
    with brownie.reverts(err("MaterialBadReceipt", HOUSEHOLD)):
        material_supply.deliver(dispatched, 0, HOUSEHOLD, 5, signature, "", {"from": people.grid_worker})


def test_attestation_without_evidence_is_refused(material_supply, dispatched, people):
    with brownie.reverts(err("MaterialEvidenceRequired")):
        material_supply.deliver(dispatched, 0, UNBOUND, 1, b"", "", {"from": people.grid_worker})


def test_delivery_to_a_household_of_another_village_is_refused(material_supply, dispatched, people):
    neighbour = household_id("unchanged")  # never registered: no village
    with brownie.reverts(err("MaterialHouseholdOutsideVillage", neighbour, VILLAGE)):
        material_supply.deliver(dispatched, 0, neighbour, 1, b"", "bafkreisignedform", {"from": people.grid_worker})


def test_frozen_dispatch_delivers_nothing(material_supply, supervision, plan_officials, dispatched, people):
    target = material_supply.dispatchTarget(dispatched)
    supervision.freeze(target, VILLAGE, "bafkreicase", {"from": plan_officials.village_supervisor})
    with brownie.reverts(err("SupervisionTargetFrozen", target)):
        material_supply.deliver(dispatched, 0, UNBOUND, 1, b"", "bafkreisignedform", {"from": people.grid_worker})


def test_delivery_under_a_plan_with_a_visit_window_requires_a_visit(material_supply, follow_up_visits,
                                                                    plan_officials, dispatched, people, plan_id):
    follow_up_visits.setVisitWindow(plan_id, 14, {"from": plan_officials.department})
    tx = material_supply.deliver(dispatched, 1, UNBOUND, 3, b"", "bafkreisignedform", {"from": people.grid_worker})
    assert follow_up_visits.obligationOf(plan_id, UNBOUND)["dueBy"] == tx.timestamp + 14 * 86400


def test_loss_in_transit_is_recorded_with_its_reason(material_supply, dispatched, people, plan_id):
    tx = material_supply.loseInTransit(dispatched, 5, 2, "bafkreidamaged", {"from": people.grid_worker})
    assert tx.events["MaterialLost"]["reasonCode"] == 2
    assert balance(material_supply, plan_id) == dict(inTransit=95, delivered=0, inStock=900, procured=1000, lost=5)
    assert material_supply.isConserved(plan_id, KIND)


def test_loss_from_stock_is_recorded_with_its_reason(material_supply, procured, people, plan_id):
    material_supply.loseFromStock(procured, 7, 1, "bafkreiflood", {"from": people.dispatcher})
    assert material_supply.stockIn(TOWNSHIP, KIND) == 893
    assert balance(material_supply, plan_id) == dict(inTransit=100, delivered=0, inStock=893, procured=1000, lost=7)


def test_loss_without_a_reason_document_is_refused(material_supply, procured, people):
    with brownie.reverts(err("MaterialEvidenceRequired")):
        material_supply.loseFromStock(procured, 7, 1, "", {"from": people.dispatcher})


def test_return_puts_undelivered_goods_back_in_stock(material_supply, dispatched, procured, people, plan_id):
    material_supply.returnToStock(dispatched, 40, 3, "bafkreireturn", {"from": people.dispatcher})
    assert material_supply.procurementOf(procured)["stock"] == 940
    assert balance(material_supply, plan_id) == dict(inTransit=60, delivered=0, inStock=940, procured=1000, lost=0)


def test_return_beyond_what_is_in_transit_is_refused(material_supply, dispatched, people):
    with brownie.reverts(err("MaterialBeyondDispatch", dispatched, 101, 100)):
        material_supply.returnToStock(dispatched, 101, 3, "bafkreireturn", {"from": people.dispatcher})


def test_kind_without_a_unit_is_refused(material_supply, admin):
    with brownie.reverts(err("MaterialInvalidUnit")):
        material_supply.defineKind(b"\0" * 32, "bafkreinothing", {"from": admin})


def test_procurement_for_a_plan_not_executing_is_refused(material_supply, plan_registry, plan_officials, people):
    from .conftest import plan_terms

    draft = plan_registry.create(VILLAGE, 4, 101, plan_terms(), {"from": plan_officials.department}).return_value
    with brownie.reverts(err("MaterialPlanNotExecuting", draft, 1)):
        material_supply.propose(draft, KIND, TOWNSHIP, people.supplier, 10, UNIT_PRICE, INVOICE_CID,
                                {"from": people.handler})


def test_warehouse_on_another_branch_is_refused(material_supply, people, plan_id):
    with brownie.reverts(err("MaterialInvalidRegion", OTHER_TOWNSHIP)):
        material_supply.propose(plan_id, KIND, OTHER_TOWNSHIP, people.other_supplier, 10, UNIT_PRICE, INVOICE_CID,
                                {"from": people.handler})


def test_procurement_without_quantity_is_refused(material_supply, people, plan_id):
    with brownie.reverts(err("MaterialInvalidProcurement", 1)):
        material_supply.propose(plan_id, KIND, TOWNSHIP, people.supplier, 0, UNIT_PRICE, INVOICE_CID,
                                {"from": people.handler})


def test_goods_received_only_by_a_dispatcher_of_the_warehouse(material_supply, approval_hub, people,
                                                              route_approvers, plan_id, role):
    procurement = approved_procurement(material_supply, approval_hub, people.handler, people.supplier,
                                       route_approvers, plan_id, quantity=10)
    with brownie.reverts(err("MaterialUnauthorized", people.handler, role["DISPATCHER"], TOWNSHIP)):
        material_supply.receiveGoods(procurement, "bafkreigoodsreceipt", {"from": people.handler})


def test_procurement_is_received_once(material_supply, procured, people):
    with brownie.reverts(err("MaterialWrongStatus", procured, RECEIVED)):
        material_supply.receiveGoods(procured, "bafkreigoodsreceipt", {"from": people.dispatcher})


def test_goods_not_received_cannot_be_dispatched(material_supply, people, plan_id):
    procurement = material_supply.propose(plan_id, KIND, TOWNSHIP, people.supplier, 10, UNIT_PRICE, INVOICE_CID,
                                          {"from": people.handler}).return_value
    with brownie.reverts(err("MaterialWrongStatus", procurement, PROPOSED)):
        material_supply.dispatch(procurement, VILLAGE, 1, {"from": people.dispatcher})


def test_delivery_of_an_unknown_dispatch_is_refused(material_supply, people):
    with brownie.reverts(err("MaterialUnknownDispatch", 99)):
        material_supply.deliver(99, 0, UNBOUND, 1, b"", "bafkreisignedform", {"from": people.grid_worker})


def test_delivery_row_beyond_the_list_is_refused(material_supply, dispatched, people):
    with brownie.reverts(err("MaterialInvalidRow", dispatched, 255)):
        material_supply.deliver(dispatched, 255, UNBOUND, 1, b"", "bafkreisignedform", {"from": people.grid_worker})


def test_delivery_of_nothing_is_refused(material_supply, dispatched, people):
    with brownie.reverts(err("MaterialZeroQuantity")):
        material_supply.deliver(dispatched, 0, UNBOUND, 0, b"", "bafkreisignedform", {"from": people.grid_worker})


def test_only_supervision_applies_a_consequence_to_materials(material_supply, dispatched, accounts):
    with brownie.reverts(err("SupervisedNotSupervision", accounts[9])):
        material_supply.applyConsequence(material_supply.dispatchTarget(dispatched), 1, {"from": accounts[9]})


def test_only_the_hub_decides_a_procurement(material_supply, procured, accounts):
    subject = material_supply.procurementSubject(procured)
    with brownie.reverts(err("ApprovalClientNotHub", accounts[9])):
        material_supply.onApprovalDecided(subject, True, {"from": accounts[9]})


# ---------------------------------------------------------------- supervision: every state change, consequences


def freeze(supervision, target, plan_officials):
    return supervision.freeze(
        target, TOWNSHIP, "bafkreicase", {"from": plan_officials.township_supervisor}
    ).return_value


def uphold(supervision, case, plan_officials, consequence=CONSEQUENCE_CANCEL):
    return supervision.resolve(case, TOWNSHIP, True, consequence, "bafkreifinding",
                               {"from": plan_officials.township_supervisor})


def test_procurement_under_a_frozen_plan_is_not_proposed(material_supply, plan_registry, supervision, plan_officials,
                                                         people, plan_id):
    target = plan_registry.planTarget(plan_id)
    freeze(supervision, target, plan_officials)
    with brownie.reverts(err("SupervisionTargetFrozen", target)):
        material_supply.propose(plan_id, KIND, TOWNSHIP, people.supplier, 10, UNIT_PRICE, INVOICE_CID,
                                {"from": people.handler})


def test_frozen_approved_procurement_is_not_received(material_supply, approval_hub, supervision, plan_officials,
                                                     people, route_approvers, plan_id):
    procurement = approved_procurement(material_supply, approval_hub, people.handler, people.supplier,
                                       route_approvers, plan_id)
    target = material_supply.procurementSubject(procurement)
    freeze(supervision, target, plan_officials)
    with brownie.reverts(err("SupervisionTargetFrozen", target)):
        material_supply.receiveGoods(procurement, "bafkreigoodsreceipt", {"from": people.dispatcher})


@pytest.mark.parametrize("frozen", ["plan", "procurement"])
def test_nothing_is_dispatched_from_a_frozen_procurement_or_plan(material_supply, plan_registry, supervision,
                                                                 plan_officials, procured, people, plan_id, frozen):
    target = plan_registry.planTarget(plan_id) if frozen == "plan" else material_supply.procurementSubject(procured)
    freeze(supervision, target, plan_officials)
    with brownie.reverts(err("SupervisionTargetFrozen", target)):
        material_supply.dispatch(procured, VILLAGE, 10, {"from": people.dispatcher})


@pytest.mark.parametrize("frozen", ["plan", "procurement"])
def test_no_loss_is_recorded_from_the_stock_of_a_frozen_procurement_or_plan(material_supply, plan_registry,
                                                                            supervision, plan_officials, procured,
                                                                            people, plan_id, frozen):
    target = plan_registry.planTarget(plan_id) if frozen == "plan" else material_supply.procurementSubject(procured)
    freeze(supervision, target, plan_officials)
    with brownie.reverts(err("SupervisionTargetFrozen", target)):
        material_supply.loseFromStock(procured, 7, 1, "bafkreiflood", {"from": people.dispatcher})


def test_no_loss_in_transit_is_recorded_on_a_frozen_dispatch(material_supply, supervision, plan_officials,
                                                              dispatched, people):
    target = material_supply.dispatchTarget(dispatched)
    freeze(supervision, target, plan_officials)
    with brownie.reverts(err("SupervisionTargetFrozen", target)):
        material_supply.loseInTransit(dispatched, 5, 2, "bafkreidamaged", {"from": people.grid_worker})


@pytest.mark.parametrize("frozen", ["dispatch", "procurement"])
def test_nothing_returns_to_stock_while_the_dispatch_or_its_procurement_is_frozen(material_supply, supervision,
                                                                                  plan_officials, procured,
                                                                                  dispatched, people, frozen):
    target = (material_supply.dispatchTarget(dispatched) if frozen == "dispatch"
              else material_supply.procurementSubject(procured))
    freeze(supervision, target, plan_officials)
    with brownie.reverts(err("SupervisionTargetFrozen", target)):
        material_supply.returnToStock(dispatched, 40, 3, "bafkreireturn", {"from": people.dispatcher})


def test_no_recipients_are_listed_on_a_frozen_dispatch(material_supply, supervision, plan_officials, dispatched,
                                                        people):
    target = material_supply.dispatchTarget(dispatched)
    freeze(supervision, target, plan_officials)
    with brownie.reverts(err("SupervisionTargetFrozen", target)):
        material_supply.listRecipients(dispatched, [UNBOUND], {"from": people.dispatcher})


def test_an_upheld_finding_cancels_a_received_procurement_and_writes_off_its_stock(material_supply, supervision,
                                                                                   plan_officials, procured,
                                                                                   people, plan_id):
    case = freeze(supervision, material_supply.procurementSubject(procured), plan_officials)
    tx = uphold(supervision, case, plan_officials)
    assert tx.events["ProcurementCancelled"]["writtenOff"] == 900
    assert tx.events["MaterialLost"]["reasonCode"] == SUPERVISION_LOSS
    assert material_supply.procurementOf(procured)["status"] == CANCELLED
    assert material_supply.stockIn(TOWNSHIP, KIND) == 0
    assert balance(material_supply, plan_id) == dict(inTransit=100, delivered=0, inStock=0, procured=1000, lost=900)
    assert material_supply.isConserved(plan_id, KIND)
    with brownie.reverts(err("MaterialWrongStatus", procured, CANCELLED)):
        material_supply.dispatch(procured, VILLAGE, 10, {"from": people.dispatcher})


def test_a_procurement_cancelled_before_its_approval_stays_cancelled(material_supply, approval_hub, supervision,
                                                                     plan_officials, people, route_approvers,
                                                                     plan_id):
    procurement = material_supply.propose(plan_id, KIND, TOWNSHIP, people.supplier, 10, UNIT_PRICE, INVOICE_CID,
                                          {"from": people.handler}).return_value
    subject = material_supply.procurementSubject(procurement)
    uphold(supervision, freeze(supervision, subject, plan_officials), plan_officials)
    walk_route(approval_hub, subject, route_approvers)
    assert material_supply.procurementOf(procurement)["status"] == CANCELLED
    with brownie.reverts(err("MaterialWrongStatus", procurement, CANCELLED)):
        material_supply.receiveGoods(procurement, "bafkreigoodsreceipt", {"from": people.dispatcher})


def test_an_upheld_finding_on_a_dispatch_writes_off_what_is_in_transit(material_supply, supervision, plan_officials,
                                                                       dispatched, people, plan_id):
    material_supply.deliver(dispatched, 0, UNBOUND, 10, b"", "bafkreisignedform", {"from": people.grid_worker})
    uphold(supervision, freeze(supervision, material_supply.dispatchTarget(dispatched), plan_officials),
           plan_officials)
    assert balance(material_supply, plan_id) == dict(inTransit=0, delivered=10, inStock=900, procured=1000, lost=90)
    assert material_supply.isConserved(plan_id, KIND)
    with brownie.reverts(err("MaterialBeyondDispatch", dispatched, 1, 0)):
        material_supply.deliver(dispatched, 1, UNBOUND, 1, b"", "bafkreisignedform", {"from": people.grid_worker})


def test_an_unknown_consequence_on_materials_is_refused(material_supply, supervision, plan_officials, dispatched):
    target = material_supply.dispatchTarget(dispatched)
    case = freeze(supervision, target, plan_officials)
    with brownie.reverts(err("SupervisedUnknownConsequence", target, 9)):
        uphold(supervision, case, plan_officials, consequence=9)


# ---------------------------------------------------------------- recipients and visit duties


def test_listing_recipients_prepares_their_visit_duties(material_supply, follow_up_visits, dispatched, people,
                                                        plan_id):
    tx = material_supply.listRecipients(dispatched, [UNBOUND, HOUSEHOLD], {"from": people.dispatcher})
    assert tx.events["RecipientsListed"]["count"] == 2
    assert plain(follow_up_visits.obligationOf(plan_id, UNBOUND)) == (0, 0, 0, False, True)
    assert not follow_up_visits.isOverdue(plan_id, UNBOUND)


def test_a_listed_recipients_delivery_opens_its_duty_in_the_prepared_record(material_supply, follow_up_visits,
                                                                            plan_officials, dispatched, people,
                                                                            plan_id):
    follow_up_visits.setVisitWindow(plan_id, 14, {"from": plan_officials.department})
    material_supply.listRecipients(dispatched, [UNBOUND], {"from": people.dispatcher})
    tx = material_supply.deliver(dispatched, 1, UNBOUND, 3, b"", "bafkreisignedform", {"from": people.grid_worker})
    assert plain(follow_up_visits.obligationOf(plan_id, UNBOUND)) == (
        tx.timestamp, tx.timestamp + 14 * 86400, 0, False, True)


def test_recipients_are_listed_only_by_a_dispatcher_of_the_warehouse(material_supply, dispatched, people, role):
    with brownie.reverts(err("MaterialUnauthorized", people.grid_worker, role["DISPATCHER"], TOWNSHIP)):
        material_supply.listRecipients(dispatched, [UNBOUND], {"from": people.grid_worker})


def test_only_a_service_recorder_prepares_visit_duties(follow_up_visits, people, plan_id):
    with brownie.reverts(err("VisitNotRecorder", people.dispatcher)):
        follow_up_visits.prepareDuties(plan_id, [UNBOUND], {"from": people.dispatcher})
