"""Results of contract views read by name, not by position.

web3.py returns a struct as a plain tuple, so callers wrote ``hub.functions.subjectOf(s).call()[5]`` and broke
silently whenever a field was added in the middle. :func:`read` calls a view and decodes its result from the
function's ABI (its ``components``): every struct becomes a named tuple (``subject.state``; positions still
work), typed by the struct's Solidity name (``Subject``), and every value the ABI marks as an enum becomes its
:mod:`govchain.enums` member (``subject.state is SubjectState.PENDING``). Arrays of structs become lists of named
tuples.
"""

from __future__ import annotations

from collections import namedtuple
from functools import lru_cache
from typing import Any

from govchain.enums import enum_of


@lru_cache(maxsize=None)
def _record_type(internal_type: str, fields: tuple[str, ...]) -> type:
    # "struct IApprovalHub.Subject" -> Subject; a struct without a name in the ABI gets a neutral one.
    name = internal_type.split(".")[-1].split(" ")[-1].rstrip("[]") or "Struct"
    return namedtuple(name if name.isidentifier() else "Struct", fields, rename=True)


def decode_value(component: dict, value: Any) -> Any:
    """One ABI value (an input or output entry of the ABI and what web3 decoded for it), named and typed."""
    kind = component["type"]
    if kind.endswith("]"):
        inner = dict(component, type=kind[: kind.rindex("[")],
                     internalType=component.get("internalType", "").rsplit("[", 1)[0])
        return [decode_value(inner, item) for item in value]
    if kind == "tuple":
        components = component["components"]
        fields = tuple(c.get("name") or f"field{i}" for i, c in enumerate(components))
        record = _record_type(component.get("internalType", ""), fields)
        return record(*(decode_value(c, v) for c, v in zip(components, value)))
    enum = enum_of(component.get("internalType", ""))
    return enum(value) if enum is not None else value


def decode_result(function_abi: dict, result: Any) -> Any:
    """A view's result as web3 returns it (the value itself for one output, a list for several), named and typed.

    Several outputs come back as one named tuple of the outputs (``kind, levels = hub.route(id)`` still works).
    """
    outputs = function_abi.get("outputs", [])
    if len(outputs) == 1:
        return decode_value(outputs[0], result)
    return decode_value({"type": "tuple", "internalType": function_abi.get("name", ""), "components": outputs}, result)


def read(function, **call_kwargs: Any) -> Any:
    """Calls a bound web3 contract function (``contract.functions.subjectOf(subject)``) and decodes its result.

    ``call_kwargs`` go to web3's ``call`` (``block_identifier=...``, ``transaction={...}``).
    """
    return decode_result(function.abi, function.call(**call_kwargs))
