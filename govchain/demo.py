"""`make demo`: the platform on a local chain.

Starts anvil on loopback with its state kept in data/anvil/state.json, deploys the contracts with
scripts/deploy.py (reusing the deployments recorded for this chain if they are still there), prints the
addresses, and stops the node (which saves its state for the next run).
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings

from govchain.config import PROJECT_ROOT
from govchain.deployments import DeploymentRegistry
from govchain.localnode import LOCAL_CHAIN_ID, AnvilNode

DATA_DIR = PROJECT_ROOT / "data"


def deploy_with_brownie(rpc_port: int) -> dict:
    """Runs scripts/deploy.py through brownie, attached to the node already listening on ``rpc_port``."""
    import brownie  # imported late: loading brownie takes seconds and prints its banner

    # brownie's own connect() calls its deprecated rpc helpers; the warnings are noise to a demo's reader.
    warnings.filterwarnings("ignore", category=FutureWarning)

    brownie._config.CONFIG.networks["development"]["cmd_settings"]["port"] = rpc_port
    project = brownie.project.load(PROJECT_ROOT, name="GovChain")
    project.load_config()
    brownie.network.connect("development")  # attaches: brownie only launches a node when none listens
    try:
        return brownie.run("scripts/deploy.py", project=project)
    finally:
        brownie.network.disconnect(kill_rpc=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=int(os.environ.get("GOVCHAIN_DEMO_PORT", 8545)))
    args = parser.parse_args(argv)

    os.environ.setdefault("GOVCHAIN_DEPLOYMENTS", str(DATA_DIR / "deployments.json"))
    node = AnvilNode(port=args.port, state_file=DATA_DIR / "anvil" / "state.json", log_file=DATA_DIR / "anvil.log")
    print(f"Starting anvil on {node.rpc_url} (chain id {LOCAL_CHAIN_ID}, state in {node.state_file})")
    with node:
        deployed = deploy_with_brownie(node.port)
        registry = DeploymentRegistry(os.environ["GOVCHAIN_DEPLOYMENTS"])
        print(f"\nDeployed contracts on chain {LOCAL_CHAIN_ID} (registry: {registry.path}):")
        for name, deployment in registry.all(LOCAL_CHAIN_ID).items():
            marker = "" if name in deployed else "  (not deployed by this run's script)"
            print(f"  {name:<24} {deployment.address}  block {deployment.block}{marker}")
    print("anvil stopped; its state is saved for the next `make demo`.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
