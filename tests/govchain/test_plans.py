"""govchain/plans.py agrees with contracts/interfaces/IPlanRegistry.sol and contracts/plans/PlanRegistry.sol: the
enums member by member, the kinds and the consequence; and the deploy module's routes cover every plan type."""

import re

import pytest

from govchain.config import PROJECT_ROOT
from govchain.deploy import DEFAULT_BANDED_ROUTES, MILESTONE, PLAN, SUBJECT_KINDS
from govchain.plans import (
    CONSEQUENCE_CANCEL,
    ENUMS,
    MILESTONE_KIND,
    PLAN_KIND,
    SupportType,
    milestone_subject,
    plan_target,
    version_subject,
)

INTERFACE = PROJECT_ROOT / "contracts" / "interfaces" / "IPlanRegistry.sol"
REGISTRY = PROJECT_ROOT / "contracts" / "plans" / "PlanRegistry.sol"


def solidity_enum(name: str) -> list[str]:
    source = INTERFACE.read_text(encoding="utf-8")
    body = re.search(rf"enum {name} \{{(.*?)\}}", source, re.S).group(1)
    body = re.sub(r"//[^\n]*", "", body)
    return [member.strip() for member in body.split(",") if member.strip()]


def snake_upper(camel: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", camel).upper()


@pytest.mark.parametrize("name", sorted(ENUMS))
def test_each_python_enum_lists_the_solidity_members_in_order(name):
    assert [snake_upper(member) for member in solidity_enum(name)] == [member.name for member in ENUMS[name]]


def test_every_enum_of_the_interface_has_a_python_mirror():
    declared = re.findall(r"enum (\w+) \{", INTERFACE.read_text(encoding="utf-8"))
    assert sorted(declared) == sorted(ENUMS)


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
