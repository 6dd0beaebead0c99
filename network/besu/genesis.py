"""The QBFT genesis of the platform's network: validators in ``extraData``, free gas, the deployer's account.

Besu's QBFT (block header validator selection) reads the initial validators from the genesis ``extraData``:
``RLP([32 bytes vanity, [validator addresses], no vote, round 0, no seals])``, where "no vote" is an empty list,
round 0 the integer 0 (RLP ``0x80``) and "no seals" an empty list — the encoding of Besu's
``QbftExtraDataCodec`` and of the example in Besu's QBFT guide, which tests/network checks byte for byte.

Free gas takes two settings: ``zeroBaseFee`` in the genesis (from London on, EIP-1559 would otherwise raise the
base fee above zero) and ``min-gas-price=0`` on every node (node_config.py). The contract size limit stays
Besu's default (24,576 bytes): the platform's contracts are kept under 20,480 bytes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import rlp
from eth_utils import is_hex_address, to_canonical_address, to_checksum_address

from govchain.errors import GovchainError

# The platform network's chain id, in one place: the generator's default, the anvil that tests the platform
# configured like this network (tests/e2e/test_besu_like_chain.py), and the example in network/deploy.env.
CHAIN_ID = 1337_2026
# The EVM fork the genesis activates at block 0. The contracts are compiled for paris (brownie-config.yaml), whose
# only difference from London (DIFFICULTY read as PREVRANDAO) none of them uses.
HARDFORK = "london"

# QBFT's fixed header values (Besu's QBFT guide): mixHash identifies an Istanbul-family BFT block.
QBFT_MIX_HASH = "0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365"
QBFT_DIFFICULTY = "0x1"
VANITY = bytes(32)
# A block gas limit well above the largest deployment (about 5 million gas): gas is free, but a block must still
# be processed within the block period.
DEFAULT_GAS_LIMIT = 50_000_000
# Gas is free, so the deployer needs no ether; a balance is still allocated because some pre-crafted transactions
# (Besu's free-gas guide names EIP-1820's) check the sender's balance.
DEPLOYER_BALANCE_WEI = 1_000 * 10**18
# QBFT tolerates f faulty validators out of 3f + 1: four is the smallest network that survives one.
BFT_MINIMUM = 4


class NetworkConfigError(GovchainError):
    """Raised when the network's parameters are unusable (no validator, a duplicate, a malformed address)."""


@dataclass(frozen=True)
class QbftTiming:
    """``config.qbft``: seconds between blocks, seconds before a round change, blocks between vote resets."""

    block_period_seconds: int = 2
    request_timeout_seconds: int = 4
    epoch_length: int = 30_000

    def __post_init__(self):
        for name, value in (("block period", self.block_period_seconds),
                            ("request timeout", self.request_timeout_seconds), ("epoch length", self.epoch_length)):
            if not isinstance(value, int) or value < 1:
                raise NetworkConfigError(f"The QBFT {name} must be a whole number of at least 1, not {value!r}.")
        if self.request_timeout_seconds < self.block_period_seconds:
            raise NetworkConfigError(
                f"The QBFT request timeout ({self.request_timeout_seconds} s) is shorter than the block period "
                f"({self.block_period_seconds} s): every round would time out. Besu's guide starts at twice the "
                f"block period."
            )


def checked_address(text: str, what: str) -> str:
    """``text`` as a checksummed address; raises :class:`NetworkConfigError` naming ``what`` otherwise."""
    if not isinstance(text, str) or not is_hex_address(text.strip()):
        raise NetworkConfigError(f"The {what} {text!r} is not an account address (0x and 40 hex digits).")
    return to_checksum_address(text.strip())


def ordered_validators(addresses: Sequence[str]) -> list[str]:
    """The validators checked (at least one, each an address, none twice) and in ascending order, the order
    Besu's guide asks ``extraData`` to list them in."""
    if not addresses:
        raise NetworkConfigError("A QBFT network needs at least one validator (four to tolerate a faulty one).")
    checked = [checked_address(a, "validator") for a in addresses]
    seen: set[str] = set()
    for address in checked:
        if address in seen:
            raise NetworkConfigError(
                f"Validator {address} is listed twice: each validator is a distinct node with its own key."
            )
        seen.add(address)
    return sorted(checked, key=lambda a: to_canonical_address(a))


def qbft_extra_data(validators: Sequence[str]) -> bytes:
    """The genesis ``extraData`` of a QBFT network with ``validators``, in the order given."""
    return rlp.encode([VANITY, [to_canonical_address(v) for v in validators], [], 0, []])


def validators_in_extra_data(extra_data: bytes | str) -> list[str]:
    """The validator addresses a QBFT genesis ``extraData`` lists, in its order (checksummed)."""
    raw = bytes.fromhex(extra_data.removeprefix("0x")) if isinstance(extra_data, str) else extra_data
    vanity, validators, vote, round_number, seals = rlp.decode(raw)
    if len(vanity) != 32 or vote != [] or round_number != b"" or seals != []:
        raise NetworkConfigError("This extraData is not a QBFT genesis extraData (vanity, validators, no vote, "
                                 "round 0, no seals).")
    return [to_checksum_address(v) for v in validators]


def qbft_genesis(
    chain_id: int,
    validators: Sequence[str],
    deployer: str,
    *,
    timing: QbftTiming = QbftTiming(),
    gas_limit: int = DEFAULT_GAS_LIMIT,
    timestamp: int | None = None,
) -> dict:
    """The genesis file's content: QBFT with ``validators`` (sorted), London with a zero base fee, and the
    deployer's account allocated.

    Raises:
        NetworkConfigError: no validator, a duplicate or malformed address, a chain id or gas limit out of range.
    """
    if not isinstance(chain_id, int) or isinstance(chain_id, bool) or not 0 < chain_id < 2**53:
        raise NetworkConfigError(f"The chain id must be a whole number between 1 and 2**53, not {chain_id!r}.")
    if chain_id in (1, 31337):
        raise NetworkConfigError(
            f"Chain id {chain_id} is {'Ethereum mainnet' if chain_id == 1 else 'the local anvil'}'s: give the "
            f"network its own (default {CHAIN_ID}), so a signature or transaction for one never counts on the other."
        )
    if gas_limit < 10_000_000:
        raise NetworkConfigError(f"A block gas limit of {gas_limit:,} is too small to deploy the platform's "
                                 f"contracts (the largest takes about 5 million gas); give at least 10,000,000.")
    ordered = ordered_validators(validators)
    deployer = checked_address(deployer, "deployer")
    return {
        "config": {
            "chainId": chain_id,
            "berlinBlock": 0,
            "londonBlock": 0,
            "zeroBaseFee": True,
            "qbft": {
                "blockperiodseconds": timing.block_period_seconds,
                "epochlength": timing.epoch_length,
                "requesttimeoutseconds": timing.request_timeout_seconds,
            },
        },
        "nonce": "0x0",
        "timestamp": hex(int(time.time()) if timestamp is None else timestamp),
        "extraData": "0x" + qbft_extra_data(ordered).hex(),
        "gasLimit": hex(gas_limit),
        "difficulty": QBFT_DIFFICULTY,
        "mixHash": QBFT_MIX_HASH,
        "coinbase": "0x" + "00" * 20,
        "alloc": {deployer.lower(): {"balance": hex(DEPLOYER_BALANCE_WEI)}},
        "number": "0x0",
        "gasUsed": "0x0",
        "parentHash": "0x" + "00" * 32,
    }
