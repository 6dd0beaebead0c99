"""Registers the production Besu network in brownie's network list (`make besu-network`).

brownie takes network hosts from its own ``~/.brownie/network-config.yaml``, not from brownie-config.yaml, so
this adds (or updates) a live network ``besu`` from BESU_RPC_URL and BESU_CHAIN_ID. Afterwards:
``brownie run scripts/deploy.py --network besu``.
"""

from __future__ import annotations

import os
import subprocess
import sys

from govchain.config import PROJECT_ROOT


def main() -> int:
    rpc_url = os.environ.get("BESU_RPC_URL")
    chain_id = os.environ.get("BESU_CHAIN_ID")
    if not rpc_url or not chain_id or not chain_id.isdigit():
        print("Set BESU_RPC_URL (e.g. http://validator1:8545) and BESU_CHAIN_ID (a number) first.", file=sys.stderr)
        return 2
    brownie = [sys.executable, "-m", "brownie", "networks"]
    listed = subprocess.run(brownie + ["list"], capture_output=True, text=True, cwd=PROJECT_ROOT).stdout
    verb = ["modify", "besu"] if "besu" in listed else ["add", "GovChain", "besu"]
    subprocess.run(brownie + verb + [f"host={rpc_url}", f"chainid={chain_id}"], check=True, cwd=PROJECT_ROOT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
