"""govchain/enums.py agrees with the contracts as solc compiled them: the EnumDefinition nodes of the AST in
brownie's build artifacts (names and order), the constants of EligibilityDecision, and the ABI's internal types."""

import json
import re
from collections.abc import Iterator

import pytest

from govchain.config import NetworkConfig
from govchain.enums import SOLIDITY_ENUMS, Decision, PlanStatus, enum_of

ARTIFACTS = NetworkConfig().build_dir / "contracts"


def project_artifacts() -> list[dict]:
    """The build artifacts of the project's own sources (not OpenZeppelin's, not test-only contracts)."""
    artifacts = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(ARTIFACTS.glob("*.json"))]
    own = [a for a in artifacts if a["sourcePath"].startswith("contracts/") and
           not a["sourcePath"].startswith("contracts/test/")]
    assert own, f"no build artifacts in {ARTIFACTS}: run `brownie compile` first"
    return own


def nodes(node, node_type: str) -> Iterator[dict]:
    if isinstance(node, dict):
        if node.get("nodeType") == node_type:
            yield node
        for value in node.values():
            yield from nodes(value, node_type)
    elif isinstance(node, list):
        for value in node:
            yield from nodes(value, node_type)


def compiled_enums() -> dict[str, list[str]]:
    """Every enum the project's sources declare: canonical name -> member names in order."""
    return {e["canonicalName"]: [m["name"] for m in e["members"]]
            for a in project_artifacts() for e in nodes(a["ast"], "EnumDefinition")}


def upper_snake(camel: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", camel).upper()


COMPILED = compiled_enums()


def test_every_enum_the_contracts_declare_has_a_python_mirror():
    assert sorted(COMPILED) == sorted(SOLIDITY_ENUMS)


@pytest.mark.parametrize("name", sorted(SOLIDITY_ENUMS))
def test_each_python_enum_lists_the_solidity_members_in_order(name):
    python = SOLIDITY_ENUMS[name]
    assert [(m.name, m.value) for m in python] == [(upper_snake(s), i) for i, s in enumerate(COMPILED[name])]


def test_every_enum_an_abi_names_has_a_python_mirror():
    named = {
        i["internalType"] for a in project_artifacts() for item in a["abi"]
        for i in item.get("inputs", []) + item.get("outputs", []) if i.get("internalType", "").startswith("enum ")
    }
    assert named and all(enum_of(internal_type) is not None for internal_type in named)


def test_enum_of_reads_an_abi_internal_type():
    assert enum_of("enum IPlanRegistry.PlanStatus") is PlanStatus
    assert enum_of("uint8") is None


def test_decision_matches_the_eligibility_decision_constants():
    (artifact,) = [a for a in project_artifacts() if a["contractName"] == "EligibilityLeafHash"]
    (library,) = [c for c in nodes(artifact["ast"], "ContractDefinition") if c["name"] == "EligibilityDecision"]
    constants = {v["name"]: int(v["value"]["value"]) for v in nodes(library, "VariableDeclaration") if v["constant"]}
    assert constants == {member.name: member.value for member in Decision}
