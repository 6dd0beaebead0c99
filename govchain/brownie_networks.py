"""Registers the production Besu network in brownie's network list (`make besu-network`).

brownie takes network hosts from its own ``~/.brownie/network-config.yaml``, not from brownie-config.yaml, so
this adds (or updates) a live network ``besu`` from BESU_RPC_URL and BESU_CHAIN_ID. Afterwards:
``brownie run scripts/deploy.py --network besu``.
"""

from __future__ import annotations

import subprocess
import sys

from govchain.config import PROJECT_ROOT, Settings
from govchain.errors import ConfigError
from govchain.localnode import use_project_tools


def main() -> int:
    use_project_tools()  # this checkout's anvil and solc wrapper, with no PATH set by hand
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    rpc_url, chain_id = settings.besu_rpc_url, settings.besu_chain_id
    if not rpc_url or chain_id is None:
        print("Set BESU_RPC_URL (e.g. http://validator1:8545) and BESU_CHAIN_ID (a number) first.", file=sys.stderr)
        return 2
    brownie = [sys.executable, "-m", "brownie", "networks"]
    listed = subprocess.run(brownie + ["list"], capture_output=True, text=True, cwd=PROJECT_ROOT).stdout
    verb = ["modify", "besu"] if "besu" in listed else ["add", "GovChain", "besu"]
    subprocess.run(brownie + verb + [f"host={rpc_url}", f"chainid={chain_id}"], check=True, cwd=PROJECT_ROOT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
