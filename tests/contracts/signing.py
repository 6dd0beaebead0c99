"""EIP-712 approval signatures as officials' wallets make them, for the tests and benchmarks/gas_registration.py."""

from eth_account import Account


def approval_signature(signer, contract, subject: int, level: int, nonce: int, deadline: int, chain_id: int,
                       name: str, verifying_contract: str | None = None) -> bytes:
    """The EIP-712 `Approval` signature of a brownie LocalAccount `signer`."""
    signed = Account.sign_typed_data(
        signer.private_key,
        {"name": name, "version": "1", "chainId": chain_id,
         "verifyingContract": verifying_contract or contract.address},
        {"Approval": [{"name": "subject", "type": "uint256"}, {"name": "level", "type": "uint8"},
                      {"name": "nonce", "type": "uint256"}, {"name": "deadline", "type": "uint256"}]},
        {"subject": subject, "level": level, "nonce": nonce, "deadline": deadline},
    )
    return bytes(signed.signature)


def compact(signature: bytes) -> tuple[bytes, bytes]:
    """The EIP-2098 form (r, vs) of a 65-byte signature: the parity of v rides in the top bit of s."""
    r, s, v = signature[:32], int.from_bytes(signature[32:64], "big"), signature[64]
    return r, ((v - 27) << 255 | s).to_bytes(32, "big")
