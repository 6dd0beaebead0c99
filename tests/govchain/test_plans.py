"""govchain/plans.py agrees with contracts/plans/PlanRegistry.sol: the kinds and the consequence (the enums are
checked in test_enums.py); and the deploy module's routes cover every plan type."""

import re

import pytest

from govchain.config import PROJECT_ROOT
from govchain.deploy import DEFAULT_BANDED_ROUTES, MILESTONE, PLAN, SUBJECT_KINDS
from govchain.plans import (
    CONSEQUENCE_CANCEL,
    MILESTONE_KIND,
    PLAN_KIND,
    SupportType,
    milestone_subject,
    plan_target,
    version_subject,
)

REGISTRY = PROJECT_ROOT / "contracts" / "plans" / "PlanRegistry.sol"


@pytest.mark.parametrize("constant, value", [("PLAN_KIND", PLAN_KIND), ("MILESTONE_KIND", MILESTONE_KIND),
                                             ("CONSEQUENCE_CANCEL", CONSEQUENCE_CANCEL)])
def test_the_registry_constants_match(constant, value):
    source = REGISTRY.read_text(encoding="utf-8")
    assert re.search(rf"uint8 public constant {constant} = (\d+);", source).group(1) == str(value)


def test_the_plan_kinds_are_named_in_the_hubs_one_namespace():
    assert (PLAN, MILESTONE) == (PLAN_KIND, MILESTONE_KIND)
    assert {PLAN, MILESTONE} <= set(SUBJECT_KINDS)


def test_every_support_type_has_plan_and_milestone_routes_for_every_amount():
    for kind in (PLAN, MILESTONE):
        for support_type in SupportType:
            if support_type is SupportType.NONE:
                continue
            bands = DEFAULT_BANDED_ROUTES[(kind, int(support_type))]
            assert [amount for amount, _ in bands] == sorted(amount for amount, _ in bands)
            assert bands[-1][0] == 2**128 - 1


def test_ids_name_the_registry_and_carry_the_region():
    registry = "0x" + "ab" * 20
    ids = [version_subject(registry, 5, 2, 530102001000), milestone_subject(registry, 5, 1, 3, 530102001000),
           plan_target(registry, 5, 530102001000)]
    assert all(value >> 96 == int(registry, 16) and value & (2**40 - 1) == 530102001000 for value in ids)
    assert len(set(ids)) == 3
