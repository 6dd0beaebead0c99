"""The approval hub's EIP-712 `Approval` signature: what an official's wallet signs and a relayer submits.

One definition for the wallet CLI, the demo, the tests and the benchmarks. The hub (contracts/approval/
ApprovalHub.sol) hashes ``Approval(uint256 subject,uint8 level,uint256 nonce,uint256 deadline)`` under the domain
("GovChain ApprovalHub", "1", chain id, hub address); `approveBySig` takes each signature in its EIP-2098 compact
form (r, vs) beside the signer's address.
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_account import Account
from eth_account.messages import encode_typed_data

HUB_DOMAIN_NAME = "GovChain ApprovalHub"
HUB_DOMAIN_VERSION = "1"
APPROVAL_TYPES = {
    "Approval": [
        {"name": "subject", "type": "uint256"},
        {"name": "level", "type": "uint8"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
}


@dataclass(frozen=True)
class Approval:
    """One official's approval of one level of one subject, valid until ``deadline`` (unix seconds)."""

    subject: int
    level: int
    nonce: int
    deadline: int

    def message(self) -> dict[str, int]:
        return {"subject": self.subject, "level": self.level, "nonce": self.nonce, "deadline": self.deadline}


def hub_domain(chain_id: int, hub_address: str, name: str = HUB_DOMAIN_NAME) -> dict:
    """The EIP-712 domain of the hub deployed at ``hub_address`` on ``chain_id``."""
    return {"name": name, "version": HUB_DOMAIN_VERSION, "chainId": chain_id, "verifyingContract": hub_address}


def sign_approval(private_key, approval: Approval, domain: dict) -> bytes:
    """The 65-byte signature (r, s, v) of ``approval`` by the holder of ``private_key``."""
    signed = Account.sign_typed_data(private_key, domain, APPROVAL_TYPES, approval.message())
    return bytes(signed.signature)


def recover_signer(approval: Approval, domain: dict, signature: bytes) -> str:
    """The address that made ``signature`` over ``approval`` (checksummed)."""
    return Account.recover_message(encode_typed_data(domain, APPROVAL_TYPES, approval.message()), signature=signature)


def compact(signature: bytes) -> tuple[bytes, bytes]:
    """The EIP-2098 form (r, vs) of a 65-byte signature: the parity of v rides in the top bit of s."""
    r, s, v = signature[:32], int.from_bytes(signature[32:64], "big"), signature[64]
    return r, ((v - 27) << 255 | s).to_bytes(32, "big")


def signed_approval(signer: str, approval: Approval, signature: bytes) -> tuple:
    """The `SignedApproval` tuple `approveBySig` takes: (subject, level, signer, nonce, deadline, r, vs)."""
    return (approval.subject, approval.level, signer, approval.nonce, approval.deadline, *compact(signature))
