"""MaterialSupply's EIP-712 `MaterialReceipt`: what a household's bound wallet signs to confirm a delivery.

One definition for the demo, the tests and the benchmarks. MaterialSupply (contracts/materials/MaterialSupply.sol)
hashes ``MaterialReceipt(uint256 dispatchId,uint8 row,bytes32 household,uint64 quantity)`` under the domain
("GovChain MaterialSupply", "1", chain id, contract address) and checks the signer against the household's bound
wallet.
"""

from __future__ import annotations

from eth_account import Account

SUPPLY_DOMAIN_NAME = "GovChain MaterialSupply"
SUPPLY_DOMAIN_VERSION = "1"
RECEIPT_TYPES = {
    "MaterialReceipt": [
        {"name": "dispatchId", "type": "uint256"},
        {"name": "row", "type": "uint8"},
        {"name": "household", "type": "bytes32"},
        {"name": "quantity", "type": "uint64"},
    ]
}


def supply_domain(chain_id: int, supply_address: str) -> dict:
    """The EIP-712 domain of the MaterialSupply deployed at ``supply_address`` on ``chain_id``."""
    return {
        "name": SUPPLY_DOMAIN_NAME,
        "version": SUPPLY_DOMAIN_VERSION,
        "chainId": chain_id,
        "verifyingContract": supply_address,
    }


def sign_receipt(private_key, domain: dict, dispatch_id: int, row: int, household: bytes, quantity: int) -> bytes:
    """The 65-byte signature by the holder of ``private_key`` (the household's bound wallet) confirming that
    ``household`` received ``quantity`` from row ``row`` of dispatch ``dispatch_id``."""
    message = {"dispatchId": dispatch_id, "row": row, "household": household, "quantity": quantity}
    return bytes(Account.sign_typed_data(private_key, domain, RECEIPT_TYPES, message).signature)
