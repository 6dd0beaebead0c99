"""govchain.reverts: revert data decoded into the custom error and its arguments, from the build's ABIs."""

import pytest
from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector
from web3.exceptions import ContractCustomError

from govchain.enums import SubjectState
from govchain.reverts import DecodedRevert, RevertDecoder, revert_data


@pytest.fixture(scope="module")
def decoder():
    return RevertDecoder.from_build()


def test_a_reverted_transaction_is_explained_by_its_error_and_arguments(hub_chain, decoder):
    web3, _, hub = hub_chain
    with pytest.raises(ContractCustomError) as raised:
        hub.functions.approve(123, 0).transact({"from": web3.eth.accounts[1]})
    assert decoder.explain(raised.value) == "ApprovalWrongState(subject=123, state=SubjectState.NONE)"


def test_decoded_arguments_keep_their_names_and_types(hub_chain, decoder):
    web3, _, hub = hub_chain
    with pytest.raises(ContractCustomError) as raised:
        hub.functions.approve(7, 2).call({"from": web3.eth.accounts[2]})
    decoded = decoder.decode(revert_data(raised.value))
    assert decoded == DecodedRevert("ApprovalWrongState", {"subject": 7, "state": SubjectState.NONE})
    assert decoded.args["state"] is SubjectState.NONE


def test_addresses_and_bytes_are_shown_checksummed_and_as_hex(decoder):
    account, role = "0x" + "ab" * 20, b"\x01" * 32
    data = function_signature_to_4byte_selector("AccessControlUnauthorizedAccount(address,bytes32)") + encode(
        ["address", "bytes32"], [account, role])
    assert str(decoder.decode(data)) == (
        "AccessControlUnauthorizedAccount(account=0xABaBaBaBABabABabAbAbABAbABabababaBaBABaB, "
        f"neededRole=0x{'01' * 32})")


def test_a_require_message_and_a_panic_are_decoded():
    decoder = RevertDecoder([])
    message = function_signature_to_4byte_selector("Error(string)") + encode(["string"], ["too late"])
    panic = function_signature_to_4byte_selector("Panic(uint256)") + encode(["uint256"], [0x11])
    assert str(decoder.decode(message)) == "Error(message='too late')"
    assert str(decoder.decode("0x" + panic.hex())) == "Panic(code=17)"


def test_unknown_or_missing_data_decodes_to_nothing_and_explain_falls_back_to_the_message(decoder):
    assert decoder.decode(b"\xde\xad\xbe\xef") is None
    assert decoder.decode(None) is None
    assert decoder.explain(RuntimeError("connection refused")) == "connection refused"
