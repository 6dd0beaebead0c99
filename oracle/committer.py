"""Commits eligibility batches to the EligibilityRegistry contract, signed by this oracle node's own key.

Each oracle node holds its own account. A batch becomes final on chain once k distinct ORACLE accounts commit
the same tuple (batch id, scope, root, manifest CID, model version, snapshot hash, as-of time, leaf count); a different
tuple for the same batch id is recorded by the contract and emitted as ``BatchConflict`` (the alarm).

Transactions are signed locally (legacy gas price, which Besu's free-gas networks and anvil both accept) and
sent raw, so the service can write the signed transaction to its checkpoint *before* sending it: after a crash
it re-sends the very same bytes (same nonce, same hash) instead of making a second transaction.

The account comes from ``GOVCHAIN_ORACLE_KEYSTORE`` (an encrypted eth-account keystore JSON) with
``GOVCHAIN_ORACLE_KEYSTORE_PASSWORD``, or, for local development only, ``GOVCHAIN_ORACLE_PRIVATE_KEY``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from eth_account import Account
from eth_account.signers.local import LocalAccount
from hexbytes import HexBytes
from web3.exceptions import ContractCustomError, ContractLogicError, TransactionNotFound, Web3RPCError

from govchain.chain import Chain, load_artifact
from govchain.config import environment
from govchain.events import event_logs
from govchain.reverts import RevertDecoder
from govchain.roles import role_id
from oracle.errors import OracleError
from oracle.manifest import Manifest

REGISTRY_NAME = "EligibilityRegistry"
ORACLE_ROLE = role_id("ORACLE")
# The estimate is made against the state of the moment; by the time the commit is mined, other oracles' commits
# may have made it the one that finalizes the batch, which writes the batch record too. Unused gas costs nothing.
GAS_MARGIN = 1.25
GAS_HEADROOM = 120_000
FILLER_GAS = 21_000  # a plain transfer


class OracleAccountError(OracleError):
    """Raised when the oracle node's signing account is not configured or cannot be unlocked."""


class OracleRoleMissingError(OracleError):
    """Raised when this oracle's account does not hold the ORACLE role over a batch's region."""

    def __init__(self, account: str, scope: int, role_registry: str):
        super().__init__(
            f"Account {account} does not hold the ORACLE role over region {scope}. An administrator must grant it: "
            f"RoleRegistry({role_registry}).grantRoleIn(keccak256('ORACLE'), {account}, {scope})."
        )
        self.account = account
        self.scope = scope


class UnfundedAccountError(OracleError):
    """Raised when the oracle's account cannot pay for a commit transaction."""

    def __init__(self, account: str, balance: int, needed: int):
        super().__init__(
            f"Account {account} holds {balance} wei but a commit needs up to {needed} wei of gas. Fund it (or run "
            f"the network with free gas, as the production Besu network does)."
        )
        self.account = account


class CommitRejectedError(OracleError):
    """Raised when the registry rejects a commit for a reason the oracle cannot fix by retrying."""


class NonceTakenError(OracleError):
    """Raised when the nonce of a pending commit was used by another transaction of the same account."""


def load_oracle_account(environ: Mapping[str, str] | None = None) -> LocalAccount:
    """This node's signing account from the environment (see the module docstring)."""
    env = environment(environ)
    keystore = env.get("GOVCHAIN_ORACLE_KEYSTORE")
    if keystore:
        password = env.get("GOVCHAIN_ORACLE_KEYSTORE_PASSWORD")
        if password is None:
            raise OracleAccountError(
                "GOVCHAIN_ORACLE_KEYSTORE is set but GOVCHAIN_ORACLE_KEYSTORE_PASSWORD is not; "
                "set the keystore's password."
            )
        try:
            encrypted = json.loads(Path(keystore).read_text(encoding="utf-8"))
            return Account.from_key(Account.decrypt(encrypted, password))
        except FileNotFoundError:
            raise OracleAccountError(
                f"The oracle keystore {keystore} does not exist; check GOVCHAIN_ORACLE_KEYSTORE."
            ) from None
        except (ValueError, KeyError, json.JSONDecodeError) as exc:
            raise OracleAccountError(
                f"Cannot unlock the oracle keystore {keystore} ({exc}); check the password."
            ) from exc
    if env.get("GOVCHAIN_ORACLE_PRIVATE_KEY"):
        try:
            return Account.from_key(env["GOVCHAIN_ORACLE_PRIVATE_KEY"].strip())
        except (ValueError, TypeError) as exc:
            raise OracleAccountError(f"GOVCHAIN_ORACLE_PRIVATE_KEY is not a private key ({exc}).") from exc
    raise OracleAccountError(
        "No oracle account: set GOVCHAIN_ORACLE_KEYSTORE and GOVCHAIN_ORACLE_KEYSTORE_PASSWORD (an encrypted keystore "
        "of this node's own key), or GOVCHAIN_ORACLE_PRIVATE_KEY for local development."
    )


@dataclass(frozen=True)
class SignedCommit:
    """A signed transaction (a commit, or the filler of a commit's nonce), as kept in the checkpoint before it is
    sent."""

    tx_hash: str
    raw: str
    nonce: int


class Committer:
    """One oracle node's access to the EligibilityRegistry."""

    def __init__(self, chain: Chain, account: LocalAccount):
        self.chain = chain
        self.web3 = chain.web3
        self.account = account
        self.chain_id = chain.chain_id  # raises WrongChainError / NodeUnreachableError first
        self.registry = chain.contract(REGISTRY_NAME)
        role_registry_address = self.registry.functions.roles().call()
        self.roles = self.web3.eth.contract(
            address=role_registry_address, abi=load_artifact(chain.config.build_dir, "RoleRegistry")["abi"]
        )
        # The registry's errors and those of the contracts it calls (a revert from the role registry bubbles up).
        self._reverts = RevertDecoder.from_build(chain.config.build_dir)

    @property
    def address(self) -> str:
        return self.account.address

    def _commit_call(self, manifest: Manifest, cid: str):
        h = manifest.header
        return self.registry.functions.commitBatch(
            h.batch_id, h.scope, manifest.root, cid, h.model_version, h.snapshot_hash, h.as_of, manifest.leaf_count
        )

    def commitment_of(self, batch_id: bytes) -> bytes | None:
        """This oracle's commitment for ``batch_id`` on chain, or None if it has not committed."""
        value = self.registry.functions.commitmentOf(batch_id, self.address).call()
        return None if bytes(value) == b"\x00" * 32 else bytes(value)

    def check_role(self, scope: int) -> None:
        if not self.roles.functions.hasRoleIn(ORACLE_ROLE, self.address, scope).call():
            raise OracleRoleMissingError(self.address, scope, self.roles.address)

    def _explain(self, exc: Exception) -> str:
        return self._reverts.explain(exc)

    def sign_commit(self, manifest: Manifest, cid: str, nonce: int) -> SignedCommit:
        """Checks the role and the funds, then signs the commit with ``nonce``.

        Raises:
            OracleRoleMissingError, UnfundedAccountError, CommitRejectedError.
        """
        self.check_role(manifest.header.scope)
        call = self._commit_call(manifest, cid)
        try:
            gas_estimate = call.estimate_gas({"from": self.address})
        except (ContractCustomError, ContractLogicError, Web3RPCError) as exc:
            raise CommitRejectedError(
                f"The registry rejects the commit of batch 0x{manifest.header.batch_id.hex()}: {self._explain(exc)}."
            ) from exc
        gas = int(gas_estimate * GAS_MARGIN) + GAS_HEADROOM
        return self._sign(nonce, gas, lambda fields: call.build_transaction({"from": self.address, **fields}))

    def sign_filler(self, nonce: int) -> SignedCommit:
        """A 0-value transfer to this account with ``nonce``: it changes nothing but uses the nonce of a commit
        that must not be sent any more, so the transactions after it can be mined."""
        return self._sign(nonce, FILLER_GAS, lambda fields: {"to": self.address, "value": 0, **fields})

    def _sign(self, nonce: int, gas: int, build) -> SignedCommit:
        """Signs ``build(fields)`` at this node's gas price, after checking the account can pay for ``gas``.

        Raises:
            UnfundedAccountError: the balance is below gas x gas price.
        """
        gas_price = self.web3.eth.gas_price
        balance = self.web3.eth.get_balance(self.address)
        if gas * gas_price > balance:
            raise UnfundedAccountError(self.address, balance, gas * gas_price)
        tx = build({"nonce": nonce, "gas": gas, "gasPrice": gas_price, "chainId": self.chain_id})
        signed = self.account.sign_transaction(tx)
        return SignedCommit(
            tx_hash="0x" + bytes(signed.hash).hex(), raw="0x" + bytes(signed.raw_transaction).hex(), nonce=nonce
        )

    def next_nonce(self) -> int:
        return self.web3.eth.get_transaction_count(self.address, "pending")

    def send(self, signed: SignedCommit) -> None:
        """Sends (or re-sends) a signed commit; a node that already knows it is fine."""
        try:
            self.web3.eth.send_raw_transaction(HexBytes(signed.raw))
        except (Web3RPCError, ValueError) as exc:  # the node's JSON-RPC error, with its message
            message = str(exc).lower()
            if "already known" in message or "already imported" in message or "known transaction" in message:
                return
            if "underpriced" in message:
                # The node holds another transaction of this account with the same nonce (e.g. a commit sent
                # just before a crash, which the service now wants to replace with a filler).
                raise NonceTakenError(
                    f"The node already holds another transaction of {self.address} with nonce {signed.nonce}; "
                    f"{signed.tx_hash} cannot replace it at the same gas price."
                ) from exc
            if "nonce too low" in message:
                # Either this very transaction was mined already, or another one took the nonce.
                if self.receipt(signed.tx_hash) is not None:
                    return
                raise NonceTakenError(
                    f"Nonce {signed.nonce} of {self.address} was used by another transaction, so commit "
                    f"{signed.tx_hash} can never be mined. Only one oracle service may use this account; stop the "
                    f"other sender, then remove the pending entry from the checkpoint to re-sign."
                ) from exc
            raise

    def receipt(self, tx_hash: str):
        try:
            return self.web3.eth.get_transaction_receipt(tx_hash)
        except TransactionNotFound:
            return None

    def wait_for_receipt(self, signed: SignedCommit, timeout: float = 120.0, poll: float = 0.2):
        """The receipt of ``signed``, re-sending it if the node forgot it; None after ``timeout``."""
        deadline = time.monotonic() + timeout
        resent_at = time.monotonic()
        while time.monotonic() < deadline:
            receipt = self.receipt(signed.tx_hash)
            if receipt is not None:
                return receipt
            if time.monotonic() - resent_at > 10:
                self.send(signed)
                resent_at = time.monotonic()
            time.sleep(poll)
        return None

    def conflicts_since(self, from_block: int, to_block: int) -> list[dict]:
        """BatchConflict events (the alarm) of every batch in a block range."""
        if to_block < from_block:
            return []
        events = event_logs(self.registry.events.BatchConflict, from_block, to_block)
        return [
            {
                "batchId": "0x" + bytes(e["args"]["batchId"]).hex(),
                "oracle": e["args"]["oracle"],
                "commitment": "0x" + bytes(e["args"]["commitment"]).hex(),
                "expected": "0x" + bytes(e["args"]["expected"]).hex(),
                "tx": "0x" + bytes(e["transactionHash"]).hex(),
                "logIndex": e["logIndex"],
                "block": e["blockNumber"],
            }
            for e in events
        ]
