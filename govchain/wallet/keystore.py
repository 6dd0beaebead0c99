"""Encrypted keystores: one V3 JSON file (scrypt, eth-account) per account in one folder.

A file is named ``<name>.json`` (the name defaults to the account's address) and found by its name or by the
address inside it, so files made by other tools (the demo's, geth's, brownie's exported ones) work as they are.
Nothing is ever overwritten: a second file for an address already present, or a name already taken, is refused.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import is_address, to_checksum_address

from govchain.errors import GovchainError

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class KeystoreError(GovchainError):
    """Raised when a keystore cannot be created, found or unlocked; the message says what to do."""


class WrongPasswordError(KeystoreError):
    """Raised when the password does not decrypt the keystore."""


@dataclass(frozen=True)
class KeystoreEntry:
    name: str
    address: str
    path: Path


class KeystoreFolder:
    """The keystores of one folder."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def entries(self) -> list[KeystoreEntry]:
        """Every readable V3 keystore in the folder, by name."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                address = to_checksum_address("0x" + str(data["address"]).removeprefix("0x"))
            except (OSError, ValueError, KeyError, TypeError):
                continue  # not a keystore: signature files and notes may share the folder
            found.append(KeystoreEntry(path.stem, address, path))
        return found

    def find(self, which: str | None) -> KeystoreEntry:
        """The keystore named ``which`` or holding address ``which``; with ``which`` None, the only one there is."""
        entries = self.entries()
        if which is None:
            if len(entries) == 1:
                return entries[0]
            if not entries:
                raise KeystoreError(
                    f"No keystore in {self.folder}. Create one with `govchain-wallet create` or import one with "
                    f"`govchain-wallet import`, or point --keystore-dir (GOVCHAIN_WALLET_KEYSTORE_DIR) at yours."
                )
            raise KeystoreError(
                f"{len(entries)} keystores in {self.folder}: choose one with --account (GOVCHAIN_WALLET_ACCOUNT): "
                + ", ".join(f"{e.name} ({e.address})" for e in entries)
            )
        for entry in entries:
            if entry.name == which or (is_address(which) and entry.address.lower() == which.lower()):
                return entry
        raise KeystoreError(
            f"No keystore named or holding {which!r} in {self.folder}; `govchain-wallet list` shows them."
        )

    def unlock(self, entry: KeystoreEntry, password: str) -> LocalAccount:
        """The account of ``entry``, decrypted with ``password``."""
        try:
            data = json.loads(entry.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise KeystoreError(f"The keystore {entry.path} cannot be read ({exc}).") from None
        try:
            key = Account.decrypt(data, password)
        except ValueError as exc:
            if "MAC mismatch" in str(exc):
                raise WrongPasswordError(
                    f"Wrong password for keystore {entry.name} ({entry.address}). Nothing was signed or sent."
                ) from None
            raise KeystoreError(f"The keystore {entry.path} cannot be decrypted ({exc}).") from None
        return Account.from_key(key)

    def store(self, private_key, password: str, name: str | None = None) -> KeystoreEntry:
        """Encrypts ``private_key`` with ``password`` (scrypt) into a new file; refuses to replace anything."""
        if not password:
            raise KeystoreError("An empty password protects nothing; choose a password.")
        account = Account.from_key(private_key)
        name = name or account.address
        if not _NAME.match(name):
            raise KeystoreError(f"Keystore name {name!r}: use letters, digits, '.', '_' or '-' (at most 64).")
        for entry in self.entries():
            if entry.address == account.address:
                raise KeystoreError(
                    f"{account.address} is in this folder already as {entry.path}; nothing was written."
                )
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{name}.json"
        keystore = Account.encrypt(account.key, password)
        try:
            # O_EXCL: a file that appeared meanwhile is never replaced; 0600: the file is the key's last defence.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise KeystoreError(f"{path} exists already; choose another --name (nothing was overwritten).") from None
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(keystore, handle)
            handle.write("\n")
        return KeystoreEntry(name, account.address, path)

    def create(self, password: str, name: str | None = None) -> KeystoreEntry:
        """A new random account, stored encrypted."""
        return self.store(Account.create().key, password, name)

    def import_keystore(self, source: Path, password: str, name: str | None = None) -> KeystoreEntry:
        """Copies in the account of an existing V3 keystore file (checked by decrypting it with ``password``)."""
        outside = KeystoreFolder(Path(source).parent)
        entry = next((e for e in outside.entries() if e.path == Path(source)), None)
        if entry is None:
            raise KeystoreError(f"{source} is not a V3 keystore file.")
        account = outside.unlock(entry, password)
        return self.store(account.key, password, name)
