"""EIP-712 approval signatures of brownie accounts, through govchain.approvals (the one definition)."""

from govchain.approvals import Approval, compact, hub_domain, sign_approval

__all__ = ["approval_signature", "compact"]


def approval_signature(signer, contract, subject: int, level: int, nonce: int, deadline: int, chain_id: int,
                       name: str, verifying_contract: str | None = None) -> bytes:
    """The EIP-712 `Approval` signature of a brownie LocalAccount `signer`."""
    domain = hub_domain(chain_id, verifying_contract or contract.address, name)
    return sign_approval(signer.private_key, Approval(subject, level, nonce, deadline), domain)
