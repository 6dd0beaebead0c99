"""Generic event decoding by ABI (govchain/events.py), on logs encoded here with eth_abi."""

from __future__ import annotations

import pytest
from eth_abi import encode
from eth_utils import event_abi_to_log_topic, keccak

from govchain.events import UNKNOWN_EVENT, EventDecoder


@pytest.fixture(autouse=True)
def isolation():
    """Pure decoding, no chain: overrides the root conftest's snapshot fixture."""
    yield


ADDRESS = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
LEVEL = {"type": "tuple[]", "name": "levels", "indexed": False, "components": [
    {"type": "bytes32", "name": "role"}, {"type": "uint8", "name": "regionLevel"},
    {"type": "uint8", "name": "threshold"}, {"type": "uint32", "name": "timeout"}]}
ROUTE_DEFINED = {"type": "event", "name": "RouteDefined", "anonymous": False, "inputs": [
    {"type": "uint16", "name": "routeId", "indexed": True}, {"type": "uint8", "name": "kind", "indexed": True}, LEVEL]}
OBJECTION = {
    "type": "event",
    "name": "ObjectionRaised",
    "anonymous": False,
    "inputs": [
        {"type": "uint256", "name": "subject", "indexed": True},
        {"type": "string", "name": "tag", "indexed": True},
        {"type": "address", "name": "objector", "indexed": False},
        {"type": "string", "name": "evidenceCid", "indexed": False},
    ],
}


def log(topics: list[bytes], data: bytes, index: int = 0) -> dict:
    return {"address": ADDRESS.lower(), "topics": topics, "data": data, "blockNumber": 7, "blockHash": b"\x01" * 32,
            "transactionHash": b"\x02" * 32, "logIndex": index}


def decoder() -> EventDecoder:
    return EventDecoder({"HouseholdRegistry": (ADDRESS, [ROUTE_DEFINED, OBJECTION])})


def test_tuple_arrays_decode_to_lists_of_named_objects():
    role = keccak(text="LEADER")
    data = encode(["(bytes32,uint8,uint8,uint32)[]"], [[(role, 5, 1, 259200)]])
    topics = [event_abi_to_log_topic(ROUTE_DEFINED), (3).to_bytes(32, "big"), (1).to_bytes(32, "big")]
    decoded = decoder().decode(log(topics, data))
    assert decoded.contract == "HouseholdRegistry" and decoded.event == "RouteDefined"
    assert decoded.args == {"routeId": 3, "kind": 1, "levels": [
        {"role": "0x" + role.hex(), "regionLevel": 5, "threshold": 1, "timeout": 259200}]}
    assert decoded.tx_hash == "0x" + "02" * 32 and decoded.block_number == 7


def test_big_integers_become_decimal_strings_and_indexed_strings_stay_hashes():
    subject = 2**200 + 5
    data = encode(["address", "string"], ["0x" + "ab" * 20, "<b>cid</b>"])
    tag_hash = keccak(text="tag")
    topics = [event_abi_to_log_topic(OBJECTION), subject.to_bytes(32, "big"), tag_hash]
    args = decoder().decode(log(topics, data)).args
    assert args["subject"] == str(subject)
    assert args["tag"] == "0x" + tag_hash.hex()
    assert args["objector"] == "0xABaBaBaBABabABabAbAbABAbABabababaBaBABaB"
    assert args["evidenceCid"] == "<b>cid</b>"


def test_a_log_no_abi_event_matches_is_kept_raw():
    decoded = decoder().decode(log([b"\x09" * 32], b"\x00\x01"))
    assert decoded.event == UNKNOWN_EVENT
    assert decoded.args == {"topics": ["0x" + "09" * 32], "data": "0x0001"}


# --- event_logs: one event's logs in ranges, filtered by indexed arguments (against a real anvil) ---------------


def test_event_logs_reads_one_event_in_ranges_filtered_by_its_indexed_arguments(hub_chain):
    from govchain.events import event_logs
    from govchain.roles import role_id

    web3, roles, _ = hub_chain
    admin, official, other = web3.eth.accounts[0], web3.eth.accounts[5], web3.eth.accounts[6]
    first = web3.eth.block_number + 1
    for account, region in ((official, 530102001001), (other, 530102001002), (official, 530102001003)):
        web3.eth.wait_for_transaction_receipt(
            roles.functions.grantRoleIn(role_id("LEADER"), account, region).transact({"from": admin}))
    # One block per range: the reading spans several eth_getLogs calls, as on a node that limits ranges.
    granted = event_logs(roles.events.RegionalRoleGranted, first, "latest", {"account": official}, max_range=1)
    assert [(e["args"]["account"], e["args"]["region"]) for e in granted] == [
        (official, 530102001001), (official, 530102001003)]


def test_event_logs_refuses_a_filter_on_an_argument_that_is_not_indexed(hub_chain):
    from govchain.events import event_logs

    _, roles, _ = hub_chain
    with pytest.raises(ValueError, match="no indexed argument sender"):
        event_logs(roles.events.RegionalRoleGranted, 0, "latest", {"sender": "0x" + "00" * 20})
