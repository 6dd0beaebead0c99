"""Stateful property of materials (brownie + hypothesis): over random sequences of dispatches, deliveries (on
fresh or used rows, within or beyond what is in transit), losses in the warehouse and in transit, and returns to
stock, with quantities that fit or do not,

- per plan and kind, procured = in stock + in transit + delivered + lost at every step;
- the contract's balance, each dispatch's quantity in transit and the warehouse stock equal a plain model of the
  rules, and every action succeeds exactly when the model says it may.
"""

import pytest
from brownie.exceptions import VirtualMachineError
from hypothesis import HealthCheck
from hypothesis import strategies as st

from tests.contracts.conftest import TOWNSHIP, VILLAGE, approved_procurement, household_id

SETTINGS = {"max_examples": 20, "stateful_step_count": 15, "deadline": None,
            "suppress_health_check": list(HealthCheck), "database": None}
KIND = 1
RECEIVED = 1000
HOUSEHOLD = household_id("watched")  # VILLAGE, attested receipts


class MaterialFlows:
    st_quantity = st.integers(0, 400)
    st_dispatch = st.integers(0, 3)
    st_row = st.integers(0, 3)

    def __init__(cls, supply, procurement, plan_id, people):
        cls.supply, cls.procurement, cls.plan_id, cls.people = supply, procurement, plan_id, people

    def setup(self):
        self.stock = RECEIVED
        self.in_transit = {}  # dispatch id -> quantity
        self.rows = set()  # (dispatch id, row) delivered
        self.delivered = self.lost = 0

    def _send(self, allowed, function, *args):
        try:
            tx = function(*args)
        except VirtualMachineError:
            assert not allowed, f"{function.abi['name']}{args[:-1]} reverted although the rules allow it"
            return None
        assert allowed, f"{function.abi['name']}{args[:-1]} succeeded although the rules refuse it"
        return tx

    def _dispatch_id(self, index):
        ids = sorted(self.in_transit)
        return ids[index % len(ids)] if ids else 999

    def rule_dispatch(self, st_quantity):
        allowed = 0 < st_quantity <= self.stock
        tx = self._send(allowed, self.supply.dispatch, self.procurement, VILLAGE, st_quantity,
                        {"from": self.people.dispatcher})
        if tx:
            self.stock -= st_quantity
            self.in_transit[tx.return_value] = st_quantity

    def rule_deliver(self, st_dispatch, st_row, st_quantity):
        dispatch = self._dispatch_id(st_dispatch)
        allowed = (dispatch in self.in_transit and 0 < st_quantity <= self.in_transit[dispatch]
                   and (dispatch, st_row) not in self.rows)
        if self._send(allowed, self.supply.deliver, dispatch, st_row, HOUSEHOLD, st_quantity, b"", "bafkreiform",
                      {"from": self.people.grid_worker}):
            self.in_transit[dispatch] -= st_quantity
            self.rows.add((dispatch, st_row))
            self.delivered += st_quantity

    def rule_lose_in_transit(self, st_dispatch, st_quantity):
        dispatch = self._dispatch_id(st_dispatch)
        allowed = dispatch in self.in_transit and 0 < st_quantity <= self.in_transit[dispatch]
        if self._send(allowed, self.supply.loseInTransit, dispatch, st_quantity, 2, "bafkreidamaged",
                      {"from": self.people.grid_worker}):
            self.in_transit[dispatch] -= st_quantity
            self.lost += st_quantity

    def rule_lose_from_stock(self, st_quantity):
        allowed = 0 < st_quantity <= self.stock
        if self._send(allowed, self.supply.loseFromStock, self.procurement, st_quantity, 1, "bafkreiflood",
                      {"from": self.people.dispatcher}):
            self.stock -= st_quantity
            self.lost += st_quantity

    def rule_return(self, st_dispatch, st_quantity):
        dispatch = self._dispatch_id(st_dispatch)
        allowed = dispatch in self.in_transit and 0 < st_quantity <= self.in_transit[dispatch]
        if self._send(allowed, self.supply.returnToStock, dispatch, st_quantity, 3, "bafkreireturn",
                      {"from": self.people.dispatcher}):
            self.in_transit[dispatch] -= st_quantity
            self.stock += st_quantity

    def invariant_conservation(self):
        in_transit, delivered, in_stock, procured, lost = self.supply.balanceOf(self.plan_id, KIND)
        assert procured == in_stock + in_transit + delivered + lost
        assert self.supply.isConserved(self.plan_id, KIND)

    def invariant_matches_the_model(self):
        in_transit, delivered, in_stock, procured, lost = self.supply.balanceOf(self.plan_id, KIND)
        assert (procured, in_stock, in_transit, delivered, lost) == (
            RECEIVED, self.stock, sum(self.in_transit.values()), self.delivered, self.lost)
        assert self.supply.stockIn(TOWNSHIP, KIND) == self.stock
        for dispatch, quantity in self.in_transit.items():
            assert self.supply.dispatchOf(dispatch)["inTransit"] == quantity


@pytest.fixture(scope="module")
def received(material_supply, approval_hub, material_officials, fund_officials, route_approvers, funded):
    procurement = approved_procurement(material_supply, approval_hub, fund_officials.handler,
                                       material_officials.supplier, route_approvers, funded.plan, quantity=RECEIVED)
    material_supply.receiveGoods(procurement, "bafkreigoodsreceipt", {"from": material_officials.dispatcher})
    return procurement


def test_materials_are_conserved_over_random_flows(state_machine, material_supply, received, funded,
                                                   material_officials):
    state_machine(MaterialFlows, material_supply, received, funded.plan, material_officials, settings=SETTINGS)
