"""Reading contract events from any JSON-RPC node: ``eth_getLogs`` in block ranges that halve when the node
refuses, and decoding of every log by its contract's ABI.

Nodes bound what one ``eth_getLogs`` may cover (Besu ``--rpc-max-logs-range``, hosted nodes by result count or
time): :func:`fetch_logs` asks for a range, halves it on refusal down to one block, and grows it again after
successes, so a long chain is read in as few calls as the node allows.

Decoding is generic (:class:`EventDecoder`): each log is matched by its emitting address and first topic to an
event of that contract's ABI, so a contract deployed tomorrow is decoded without code changes. Arguments become
JSON-safe values: addresses checksummed, bytes as 0x-hex, integers beyond 2**53 as decimal strings (JavaScript
and SQLite's JSON would round them), tuples as objects. Indexed arguments of dynamic types are only their
keccak hash on chain and are kept as that hash.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_utils import event_abi_to_log_topic, to_checksum_address
from hexbytes import HexBytes
from web3 import Web3

from govchain.errors import GovchainError

MAX_SAFE_INTEGER = 2**53 - 1
UNKNOWN_EVENT = "(unknown)"


class LogRangeError(GovchainError):
    """Raised when the node refuses ``eth_getLogs`` even for a single block."""

    def __init__(self, block: int, cause: object):
        super().__init__(
            f"The node refuses eth_getLogs even for block {block} alone ({cause}). Check the node's log limits "
            f"(Besu: --rpc-max-logs-range, --rpc-http-max-batch-size) and that it is synced to that block."
        )
        self.block = block


def _hex(value: Any) -> str:
    return "0x" + bytes(HexBytes(value)).hex()


def _abi_type(component: dict) -> str:
    """The canonical ABI type of an input, tuples spelled out: ``(bytes32,uint8,uint8,uint32)[]``."""
    kind = component["type"]
    if kind.startswith("tuple"):
        return "(" + ",".join(_abi_type(c) for c in component["components"]) + ")" + kind[len("tuple"):]
    return kind


def _json_value(component: dict, value: Any) -> Any:
    """A decoded ABI value as JSON: see the module docstring."""
    kind = component["type"]
    if kind.endswith("]"):
        inner = dict(component, type=kind[: kind.rindex("[")])
        return [_json_value(inner, v) for v in value]
    if kind == "tuple":
        return {c["name"] or str(i): _json_value(c, v) for i, (c, v) in enumerate(zip(component["components"], value))}
    if kind == "address":
        return to_checksum_address(value)
    if kind.startswith("bytes"):
        return _hex(value)
    if kind.startswith(("uint", "int")):
        return int(value) if abs(int(value)) <= MAX_SAFE_INTEGER else str(int(value))
    return value  # bool, string


def _is_dynamic(kind: str) -> bool:
    return kind in ("string", "bytes") or kind.endswith("]") or kind.startswith("tuple")


@dataclass(frozen=True)
class DecodedLog:
    """One log with its place on chain and its decoded event (``UNKNOWN_EVENT`` when no ABI event matches)."""

    contract: str
    address: str
    event: str
    args: dict
    block_number: int
    block_hash: str
    tx_hash: str
    log_index: int


@dataclass(frozen=True)
class _EventSpec:
    name: str
    indexed: tuple[dict, ...]
    data: tuple[dict, ...]
    order: tuple[str, ...]


class EventDecoder:
    """Decodes the logs of a set of contracts, each known by name, address and ABI."""

    def __init__(self, contracts: Mapping[str, tuple[str, list[dict]]]):
        """``contracts`` maps a contract name to (address, ABI)."""
        self.names: dict[str, str] = {}
        self._specs: dict[tuple[str, bytes], _EventSpec] = {}
        for name, (address, abi) in contracts.items():
            address = to_checksum_address(address)
            self.names[address] = name
            for entry in abi:
                if entry.get("type") != "event" or entry.get("anonymous"):
                    continue
                topic = bytes(event_abi_to_log_topic(entry))
                inputs = [dict(i, name=i["name"] or f"arg{n}") for n, i in enumerate(entry["inputs"])]
                self._specs[(address, topic)] = _EventSpec(
                    entry["name"],
                    tuple(i for i in inputs if i.get("indexed")),
                    tuple(i for i in inputs if not i.get("indexed")),
                    tuple(i["name"] for i in inputs),
                )

    @property
    def addresses(self) -> list[str]:
        return sorted(self.names)

    def decode(self, log: Mapping[str, Any]) -> DecodedLog:
        """The decoded form of one raw log (as web3.py returns it from ``eth_getLogs`` or a receipt)."""
        address = to_checksum_address(log["address"])
        topics = [bytes(HexBytes(t)) for t in log["topics"]]
        data = bytes(HexBytes(log["data"]))
        spec = self._specs.get((address, topics[0])) if topics else None
        if spec is None or len(topics) != len(spec.indexed) + 1:
            event, args = UNKNOWN_EVENT, {"topics": [_hex(t) for t in topics], "data": _hex(data)}
        else:
            event, args = spec.name, self._decode_args(spec, topics[1:], data)
        return DecodedLog(
            contract=self.names.get(address, UNKNOWN_EVENT),
            address=address,
            event=event,
            args=args,
            block_number=int(log["blockNumber"]),
            block_hash=_hex(log["blockHash"]),
            tx_hash=_hex(log["transactionHash"]),
            log_index=int(log["logIndex"]),
        )

    @staticmethod
    def _decode_args(spec: _EventSpec, topics: list[bytes], data: bytes) -> dict:
        values: dict[str, Any] = {}
        for component, topic in zip(spec.indexed, topics):
            if _is_dynamic(component["type"]):
                values[component["name"]] = _hex(topic)  # only the hash of the value is on chain
            else:
                (value,) = abi_decode([_abi_type(component)], topic)
                values[component["name"]] = _json_value(component, value)
        decoded = abi_decode([_abi_type(c) for c in spec.data], data) if spec.data else ()
        for component, value in zip(spec.data, decoded):
            values[component["name"]] = _json_value(component, value)
        return {name: values[name] for name in spec.order}


@dataclass(frozen=True)
class LogRange:
    """The logs of blocks ``first..last``, and the hash block ``last`` had just before they were asked for: if
    it still has it afterwards, the logs came from that chain (a reorg in between changes the hash)."""

    first: int
    last: int
    logs: list
    last_hash: str


def fetch_logs(
    web3: Web3,
    addresses: list[str],
    from_block: int,
    to_block: int,
    max_range: int = 5_000,
    initial_range: int | None = None,
    topics: list | None = None,
) -> Iterator[LogRange]:
    """Yields a :class:`LogRange` for each of the consecutive block ranges covering ``from_block..to_block``.

    A range the node refuses (an RPC error, a timeout, a dropped connection) is halved and asked again; after
    each success the range doubles again up to ``max_range``. A single block still refused raises
    :class:`LogRangeError`. The caller stores each range before asking for the next (the generator is lazy),
    so a crash loses at most the range in hand. ``topics`` narrows the logs as ``eth_getLogs`` does.
    """
    span = max(1, min(initial_range or max_range, max_range))
    first = from_block
    while first <= to_block:
        last = min(to_block, first + span - 1)
        try:
            last_hash = _hex(web3.eth.get_block(last)["hash"])
            query = {"address": addresses, "fromBlock": first, "toBlock": last}
            logs = web3.eth.get_logs(dict(query, topics=topics) if topics else query)
        except Exception as exc:  # nodes refuse with RPC errors, timeouts or closed connections alike
            if last == first:
                raise LogRangeError(first, exc) from exc
            span = max(1, (last - first + 1) // 2)
            time.sleep(0.05)
            continue
        yield LogRange(first, last, list(logs), last_hash)
        first = last + 1
        span = min(max_range, span * 2)


def event_logs(event, from_block: int = 0, to_block: int | str = "latest", argument_filters: Mapping | None = None,
               max_range: int = 5_000) -> list:
    """The logs of one event of one web3 contract (``registry.events.BatchCommitted``), decoded by web3, read in
    ranges that halve when the node refuses (:func:`fetch_logs`) rather than in one ``eth_getLogs`` over the
    whole chain, which Besu (``--rpc-max-logs-range``) and hosted nodes refuse.

    ``argument_filters`` keeps the logs whose indexed arguments equal the values given (static types only: a
    dynamic indexed value is only a hash on chain).
    """
    abi = event.abi
    filters = dict(argument_filters or {})
    topics: list = [bytes(event_abi_to_log_topic(abi))]
    for component in (i for i in abi["inputs"] if i.get("indexed")):
        value = filters.pop(component["name"], None)
        if value is not None and _is_dynamic(component["type"]):
            raise ValueError(f"{abi['name']}.{component['name']} is a dynamic indexed value: filter on its hash")
        topics.append(None if value is None else abi_encode([component["type"]], [value]))
    if filters:
        raise ValueError(f"{abi['name']} has no indexed argument {', '.join(filters)}")
    while topics and topics[-1] is None:
        topics.pop()
    web3 = event.w3
    last = web3.eth.block_number if to_block == "latest" else int(to_block)
    topic_hex = [None if t is None else "0x" + t.hex() for t in topics]
    return [event().process_log(log) for part in fetch_logs(web3, [event.address], from_block, last, max_range,
                                                              topics=topic_hex) for log in part.logs]
