"""Revert data turned into what an operator can read: ``PlanSubmitterCannotApprove(planId=5, account=0xAb..)``.

Every contract states its failures as custom errors carrying data (see STYLE.md). A node answers a reverted call
with the 4-byte selector and the ABI-encoded arguments only; :class:`RevertDecoder` finds the error by selector
among the ABIs of every contract of the build (not just the one called: a registry's call into the approval hub
reverts with the hub's error) and decodes its arguments. Solidity's own ``Error(string)`` (``require`` messages,
OpenZeppelin's older contracts) and ``Panic(uint256)`` (overflow, assert) are decoded too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any

from eth_abi import decode as abi_decode
from eth_utils import function_abi_to_4byte_selector, to_checksum_address
from hexbytes import HexBytes

from govchain.enums import enum_of

_BUILTIN_ERRORS: tuple[dict, ...] = (
    {"type": "error", "name": "Error", "inputs": [{"name": "message", "type": "string"}]},
    {"type": "error", "name": "Panic", "inputs": [{"name": "code", "type": "uint256"}]},
)
_HEX = re.compile(r"0x[0-9a-fA-F]{8,}")


def _abi_type(component: dict) -> str:
    kind = component["type"]
    if kind.startswith("tuple"):
        return "(" + ",".join(_abi_type(c) for c in component["components"]) + ")" + kind[len("tuple"):]
    return kind


def _readable(component: dict, value: Any) -> Any:
    """A decoded argument as a reader wants it: checksummed addresses, 0x-hex bytes, enum members by name."""
    kind = component["type"]
    if kind.endswith("]"):
        inner = dict(component, type=kind[: kind.rindex("[")], internalType="")
        return [_readable(inner, v) for v in value]
    if kind == "tuple":
        return {
            c.get("name") or str(i): _readable(c, v) for i, (c, v) in enumerate(zip(component["components"], value))
        }
    if kind == "address":
        return to_checksum_address(value)
    if kind.startswith("bytes"):
        return "0x" + bytes(value).hex()
    enum = enum_of(component.get("internalType", ""))
    if enum is not None and value in enum._value2member_map_:
        return enum(value)
    return value


def _shown(value: Any) -> str:
    if isinstance(value, IntEnum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, str) and not value.startswith("0x"):
        return repr(value)
    return str(value)


@dataclass(frozen=True)
class DecodedRevert:
    """A custom error (or ``Error``/``Panic``) with its arguments by name, in declaration order."""

    name: str
    args: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.name}({', '.join(f'{key}={_shown(value)}' for key, value in self.args.items())})"


def revert_data(error: BaseException) -> bytes | None:
    """The raw revert data an exception from web3.py (or a JSON-RPC error) carries, if any.

    web3's ``ContractCustomError``/``ContractLogicError`` keep it in ``data`` as hex; a ``Web3RPCError`` has it in
    the node's JSON-RPC error object (``rpc_response['error']['data']``); some nodes put it in the message only.
    """
    candidates: list[Any] = [getattr(error, "data", None)]
    response = getattr(error, "rpc_response", None)
    if isinstance(response, dict) and isinstance(response.get("error"), dict):
        candidates.append(response["error"].get("data"))
    candidates += [arg.get("data") for arg in getattr(error, "args", ()) if isinstance(arg, dict)]
    candidates.append(next(iter(_HEX.findall(str(error))), None))
    for candidate in candidates:
        if isinstance(candidate, dict):
            candidate = candidate.get("data")
        if isinstance(candidate, (bytes, bytearray)) and len(candidate) >= 4:
            return bytes(candidate)
        if isinstance(candidate, str) and _HEX.fullmatch(candidate):
            return bytes(HexBytes(candidate))
    return None


class RevertDecoder:
    """Decodes revert data by the custom errors of a set of ABIs."""

    def __init__(self, abis: Iterable[list[dict]]):
        self._errors: dict[bytes, dict] = {}
        for abi in [list(_BUILTIN_ERRORS), *abis]:
            for entry in abi:
                if entry.get("type") == "error":
                    self._errors.setdefault(bytes(function_abi_to_4byte_selector(entry)), entry)

    @classmethod
    def from_build(cls, build_dir: Path | None = None) -> "RevertDecoder":
        """A decoder knowing every error of brownie's build artifacts (``build/contracts/*.json``)."""
        if build_dir is None:
            from govchain.config import NetworkConfig

            build_dir = NetworkConfig.from_env().build_dir
        paths = sorted((Path(build_dir) / "contracts").glob("*.json"))
        return cls(json.loads(path.read_text(encoding="utf-8")).get("abi", []) for path in paths)

    def decode(self, data: bytes | str | None) -> DecodedRevert | None:
        """The error ``data`` encodes, or None when it is empty or no known error has its selector."""
        if data is None:
            return None
        raw = bytes(HexBytes(data))
        entry = self._errors.get(raw[:4]) if len(raw) >= 4 else None
        if entry is None:
            return None
        inputs = entry.get("inputs", [])
        try:
            values = abi_decode([_abi_type(i) for i in inputs], raw[4:])
        except Exception:  # eth_abi raises several unrelated types for short or malformed data
            return DecodedRevert(entry["name"], {"undecodable": "0x" + raw[4:].hex()})
        return DecodedRevert(
            entry["name"],
            {(i.get("name") or f"arg{n}"): _readable(i, v) for n, (i, v) in enumerate(zip(inputs, values))},
        )

    def explain(self, error: BaseException) -> str:
        """What a failed call or transaction ran into: the decoded error, else the exception's own message."""
        decoded = self.decode(revert_data(error))
        return str(decoded) if decoded is not None else str(error)
