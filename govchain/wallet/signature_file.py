"""Signature files: one official's EIP-712 approval of one level of one subject, written by ``sign`` and relayed
by anyone with ``relay``.

A file is JSON::

    {"format": "govchain-approval-signature/1", "chain_id": 31337, "hub": "0x..", "subject": "0x..",
     "level": 0, "signer": "0x..", "nonce": 0, "deadline": 1764620000, "signature": "0x<65 bytes>"}

``subject`` is 0x-hex (its decimal form exceeds what JSON readers keep exactly). Reading a file checks its shape
and that the signature is the signer's over those values, chain and hub (govchain.approvals), so a damaged or
forged file is refused before anything is sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from eth_utils import is_address, to_checksum_address

from govchain.approvals import Approval, hub_domain, recover_signer, sign_approval, signed_approval
from govchain.errors import GovchainError

FORMAT = "govchain-approval-signature/1"


class SignatureFileError(GovchainError):
    """Raised when a signature file is unreadable, malformed or not signed by the signer it names."""


@dataclass(frozen=True)
class SignatureFile:
    """The contents of one signature file."""

    chain_id: int
    hub: str
    signer: str
    approval: Approval
    signature: bytes

    @classmethod
    def sign(cls, private_key, chain_id: int, hub: str, approval: Approval) -> "SignatureFile":
        """Signs ``approval`` for the hub at ``hub`` on ``chain_id`` with ``private_key``."""
        from eth_account import Account

        signature = sign_approval(private_key, approval, hub_domain(chain_id, to_checksum_address(hub)))
        return cls(chain_id, to_checksum_address(hub), Account.from_key(private_key).address, approval, signature)

    def to_json(self) -> dict:
        a = self.approval
        return {"format": FORMAT, "chain_id": self.chain_id, "hub": self.hub, "subject": hex(a.subject),
                "level": a.level, "signer": self.signer, "nonce": a.nonce, "deadline": a.deadline,
                "signature": "0x" + self.signature.hex()}

    @classmethod
    def from_json(cls, data: dict, source: str = "the signature") -> "SignatureFile":
        """Checks and reads a file's JSON; raises :class:`SignatureFileError` saying what is wrong."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise SignatureFileError(f"{source} is not a GovChain approval signature file (format {FORMAT}).")
        try:
            hub, signer = data["hub"], data["signer"]
            if not (is_address(hub) and is_address(signer)):
                raise ValueError("hub and signer must be addresses")
            signature = bytes.fromhex(str(data["signature"]).removeprefix("0x"))
            if len(signature) != 65:
                raise ValueError("the signature must be 65 bytes")
            approval = Approval(int(str(data["subject"]), 0), int(data["level"]), int(data["nonce"]),
                                int(data["deadline"]))
            chain_id = int(data["chain_id"])
        except (KeyError, TypeError, ValueError) as exc:
            raise SignatureFileError(f"{source} is damaged ({exc}); sign the approval again.") from None
        found = cls(chain_id, to_checksum_address(hub), to_checksum_address(signer), approval, signature)
        if found.recovered_signer() != found.signer:
            raise SignatureFileError(
                f"{source} was not signed by {found.signer} for these values on chain {chain_id} and hub {hub} "
                f"(altered, or signed for another network); sign the approval again."
            )
        return found

    def recovered_signer(self) -> str:
        try:
            return recover_signer(self.approval, hub_domain(self.chain_id, self.hub), self.signature)
        except Exception:  # eth-keys refuses an invalid (r, s, v): no signer at all
            return ""

    def relayed(self) -> tuple:
        """The `SignedApproval` tuple ``approveBySig`` takes."""
        return signed_approval(self.signer, self.approval, self.signature)

    def write(self, path: Path) -> Path:
        """Writes the file; never replaces an existing one (a signature is not to be lost silently)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "x", encoding="utf-8") as handle:
                json.dump(self.to_json(), handle, indent=2)
                handle.write("\n")
        except FileExistsError:
            raise SignatureFileError(
                f"{path} exists already; choose another --out (nothing was overwritten)."
            ) from None
        return path

    @classmethod
    def read(cls, path: Path) -> "SignatureFile":
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SignatureFileError(f"{path} cannot be read as a signature file ({exc}).") from None
        return cls.from_json(data, source=str(path))


def signature_files(folder: Path) -> list[Path]:
    """The ``*.json`` files of ``folder``, sorted by name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SignatureFileError(f"{folder} is not a folder of signature files.")
    return sorted(p for p in folder.iterdir() if p.suffix == ".json" and p.is_file() and not p.name.startswith("."))

