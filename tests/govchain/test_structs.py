"""govchain.structs: a view's struct results read by field name, enums as govchain.enums members."""

from govchain.chain import load_artifact
from govchain.config import NetworkConfig
from govchain.enums import SubjectState
from govchain.structs import decode_result, read


def abi_function(contract: str, name: str) -> dict:
    abi = load_artifact(NetworkConfig().build_dir, contract)["abi"]
    return next(entry for entry in abi if entry.get("name") == name and entry["type"] == "function")


def test_a_struct_result_is_read_by_field_name_with_its_enum(hub_chain):
    _, _, hub = hub_chain
    subject = read(hub.functions.subjectOf(123))
    assert type(subject).__name__ == "Subject"
    assert subject.state is SubjectState.NONE and subject.routeId == 0 and subject.frozen is False


def test_positions_still_read_the_same_values(hub_chain):
    _, _, hub = hub_chain
    named, raw = read(hub.functions.subjectOf(5)), hub.functions.subjectOf(5).call()
    assert tuple(named) == tuple(raw)


def test_several_outputs_and_arrays_of_structs_are_named():
    route = decode_result(abi_function("ApprovalHub", "route"), [2, [(b"\x01" * 32, 4, 1, 86400)]])
    kind, levels = route
    assert kind == route.kind == 2
    assert levels[0].regionLevel == 4 and levels[0].threshold == 1 and type(levels[0]).__name__ == "Level"


def test_a_plan_is_read_by_name():
    fields = ("region", "category", "owner", "supportType", "status", "currentVersion", "latestVersion",
              "pendingVersion", "pendingBudget", "committed")
    plan = decode_result(abi_function("PlanRegistry", "planOf"), (530102001000, 101, 7, 3, 5, 1, 2, 0, 0, 0))
    assert plan._fields == fields
    assert plan.supportType.name == "FUND" and plan.status.name == "EXECUTING" and plan.latestVersion == 2
