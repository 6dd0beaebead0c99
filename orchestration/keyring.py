"""The demo officials' encrypted keystores: the keys their EIP-712 approvals are signed with.

One Web3 Secret Storage (V3, scrypt) JSON file per account in a folder (``data/demo/keystores`` for ``make demo``),
named after the checksummed address, the format ``python -m govchain.wallet`` and every Ethereum wallet read. All
demo keystores share one password, generated on first run into a file beside the folder (``data/`` is ignored
by git; a real official types their own password into the wallet CLI instead).

The keys put into the demo's keystores are anvil's development keys of the demo officials (public, local chains
only): the officials' other acts in the demo (filing, completing, paying) still go through the node's unlocked
accounts, while every approval is signed with the key the keystore holds and relayed by someone else.
"""

from __future__ import annotations

import functools
import json
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from eth_account import Account
from eth_account.signers.local import LocalAccount
from web3 import Web3

from govchain.errors import GovchainError

# geth's --lightkdf work factor (n = 2^12; about 5 ms and 4 MB a decrypt instead of about 1 s and 256 MB), for
# keystores of keys that are public anyway: anvil's development keys in the demo, where the default cost the
# first run 6 s of encrypting and every later run 5 s of decrypting, and protected nothing.
LIGHT_SCRYPT_N = 2**12


class KeyringError(GovchainError):
    """Raised when a keystore is missing, unreadable, or its password does not open it."""


class Keyring:
    """Signers by address: keystores decrypted on first use, or keys given in memory (tests, anvil's dev keys)."""

    def __init__(self, folder: Path | None = None, password: str | None = None,
                 accounts: Iterable[LocalAccount] = (), scrypt_n: int | None = None):
        self.folder = Path(folder) if folder else None
        self._password = password
        self._scrypt_n = scrypt_n  # scrypt's work factor for keystores written here; None: eth-account's (2^18)
        self._signers: dict[str, LocalAccount] = {a.address: a for a in accounts}

    @classmethod
    def in_memory(cls, accounts: Iterable[LocalAccount]) -> Keyring:
        return cls(accounts=accounts)

    @classmethod
    def ensure(cls, folder: Path, accounts: Iterable[LocalAccount], password_file: Path | None = None,
               scrypt_n: int | None = None) -> Keyring:
        """The keyring of ``folder``, with a keystore written for each of ``accounts`` that has none yet.

        The password comes from ``password_file`` (default: ``<folder>.password`` beside the folder), made with
        a random value on first use and readable by its owner only. ``scrypt_n``: scrypt's work factor for the
        keystores written (default eth-account's 2^18; :data:`LIGHT_SCRYPT_N` for public development keys).
        """
        folder = Path(folder)
        password_file = Path(password_file) if password_file else folder.with_name(folder.name + ".password")
        if not password_file.exists():
            password_file.parent.mkdir(parents=True, exist_ok=True)
            _write_private(password_file, secrets.token_urlsafe(24) + "\n")
        keyring = cls(folder, password_file.read_text(encoding="utf-8").strip(), scrypt_n=scrypt_n)
        for account in accounts:
            if not keyring.path_of(account.address).exists():
                keyring.store(account)
        return keyring

    def path_of(self, address: str) -> Path:
        if self.folder is None:
            raise KeyringError("This keyring holds its keys in memory; it has no keystore folder.")
        return self.folder / f"{Web3.to_checksum_address(address)}.json"

    def store(self, account: LocalAccount) -> Path:
        """Writes ``account``'s keystore (never over an existing one: a keystore may be an official's only copy)."""
        path = self.path_of(account.address)
        if path.exists():
            raise KeyringError(f"{path} exists already; move it away before writing another key for that address.")
        self.folder.mkdir(parents=True, exist_ok=True)
        _write_private(path, json.dumps(Account.encrypt(account.key, self._password, iterations=self._scrypt_n)))
        self._signers[account.address] = account
        return path

    def addresses(self) -> list[str]:
        """Every address this keyring can sign for."""
        files = sorted(self.folder.glob("0x*.json")) if self.folder else []
        on_disk = [Web3.to_checksum_address(p.stem) for p in files]
        return sorted(set(on_disk) | set(self._signers))

    def has(self, address: str) -> bool:
        address = Web3.to_checksum_address(address)
        return address in self._signers or (self.folder is not None and self.path_of(address).exists())

    def signer(self, address: str) -> LocalAccount:
        """The account of ``address``, its keystore decrypted once (scrypt takes most of a second)."""
        address = Web3.to_checksum_address(address)
        if address not in self._signers:
            if not self.has(address):
                where = self.folder or "memory"
                raise KeyringError(f"No keystore for {address} in {where}; an official creates one with "
                                   f"`python -m govchain.wallet create`.")
            path = self.path_of(address)
            try:
                key = Account.decrypt(json.loads(path.read_text(encoding="utf-8")), self._password or "")
            except ValueError as exc:
                raise KeyringError(f"The password does not open {path} ({exc}).") from None
            account = Account.from_key(key)
            if account.address != address:
                raise KeyringError(f"{path} holds the key of {account.address}, not of {address}.")
            self._signers[address] = account
        return self._signers[address]


def _write_private(path: Path, text: str) -> None:
    """Writes ``text`` to a new file readable by its owner only (created so, never chmod-ed after the fact)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


@functools.cache
def anvil_dev_keyring(count: int = 10) -> Keyring:
    """anvil's first ``count`` development keys in memory: the signers when a caller brings no keystores (tests,
    the benchmarks). Public keys of a local chain, never a real official's."""
    from orchestration.flow import (
        anvil_account,  # the flow module owns anvil's development mnemonic
    )

    return Keyring.in_memory(anvil_account(i) for i in range(count))
