"""`make demo`: the platform end to end on a local chain, on a small synthetic county.

1. a synthetic county (2,000 people, fixed seed) in data/demo/sources and the pipeline's results in
   data/demo/results, each made only if missing;
2. a loopback js-ipfs node (repo in data/demo/ipfs) and anvil on loopback (state in data/anvil/state.json);
   scripts/deploy.py through brownie (reusing the deployments recorded for this chain); the demo officials'
   roles granted by the deployer (orchestration.flow.grant_roles, skipping grants that exist);
3. two oracle nodes (k = 2, anvil accounts 1 and 2) commit the county's batch with a demo pseudonymisation key
   made in data/demo (never committed);
4. an admitted household from the batch manifest is filed, approved by village leader, township reviewer and
   county leader, the chain's clock is moved past its public notice, and the procedure completed;
5. a project, a fund and an industry plan of the first village's township approved (orchestration.flow);
6. earmarked funds (orchestration.funding_demo): an appropriation approved and minted, a fund plan of the household's
   village approved, escrowed, its first tranche released, and one payment batch paying the household both
   ways — to the wallet the intake clerk bound, and by a bank instruction the bank confirms;
7. a summary (addresses, batch, root, manifest CID, the household's pseudonymous id, transactions, the funds);
8. execution and assessment on that household (assessment.demo): a procurement paid from a material plan's
   tranche, a delivery with its receipt, a follow-up visit, a crowdfunding round, an enterprise pledge and an
   assessment committed from the chain's events; then IPFS and anvil are stopped by PID (anvil saves its state).

Run it again and the same chain comes back: deployments, grants and the batch are reused, and the next
admitted household is registered. The steps are orchestration.flow's, which the end-to-end test runs too.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings

from govchain.brownie_session import connected, run_script
from govchain.config import PROJECT_ROOT, NetworkConfig, Settings
from govchain.deployments import DeploymentRegistry
from govchain.localnode import LOCAL_CHAIN_ID, AnvilNode, use_project_tools

DATA_DIR = PROJECT_ROOT / "data"


def deploy_with_brownie(rpc_port: int) -> dict:
    """Runs scripts/deploy.py with brownie, attached to the node already listening on ``rpc_port``."""
    import brownie  # imported late: loading brownie takes seconds and prints its banner

    # brownie's own connect() calls its deprecated rpc helpers; the warnings are noise to a demo's reader.
    warnings.filterwarnings("ignore", category=FutureWarning)
    # Attaching to the demo's own chain, which keeps its blocks from run to run, is the point.
    warnings.filterwarnings("ignore", message="Development network has a block height")

    brownie._config.CONFIG.networks["development"]["cmd_settings"]["port"] = rpc_port
    project = brownie.project.load(PROJECT_ROOT, name="GovChain")
    project.load_config()
    # Attaches: brownie only launches a node when none listens, and the demo's node outlives the deploy.
    with connected("development", kill_rpc=False):
        # Not brownie.run: it imports the script by a dotted name made of the checkout's folders, which fails
        # under a folder whose name has a dot (~/src/govchain.v2).
        return run_script(PROJECT_ROOT / "scripts" / "deploy.py", project)


def main(argv: list[str] | None = None) -> int:
    use_project_tools()  # this checkout's anvil and solc wrapper, with no PATH set by hand
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=Settings.from_env().demo_port)
    args = parser.parse_args(argv)

    from orchestration import flow
    from oracle.ipfs import JsIpfsNode

    started = time.perf_counter()
    demo_dir = DATA_DIR / "demo"
    os.environ.setdefault("GOVCHAIN_DEPLOYMENTS", str(DATA_DIR / "deployments.json"))
    print("1. Data: synthetic county and pipeline")
    table = flow.prepare_data(demo_dir / "sources", demo_dir / "results")
    key = flow.PseudonymKeyFile.ensure(demo_dir)

    ipfs = JsIpfsNode(repo_dir=demo_dir / "ipfs" / "repo", log_file=demo_dir / "ipfs.log")
    node = AnvilNode(port=args.port, state_file=DATA_DIR / "anvil" / "state.json", log_file=DATA_DIR / "anvil.log")
    print(f"2. Starting js-ipfs (repo {ipfs.repo_dir}) and anvil on {node.rpc_url} "
          f"(chain id {LOCAL_CHAIN_ID}, state in {node.state_file})")
    with ipfs, node:
        print(f"  IPFS API {ipfs.api_url}")
        deployed = deploy_with_brownie(node.port)
        registry = DeploymentRegistry(Settings.from_env().network.deployments_path)
        network = NetworkConfig(rpc_url=node.rpc_url, chain_id=LOCAL_CHAIN_ID, deployments_path=registry.path)
        print("3. Roles, oracles (k = 2), 4. a household's registration (建档立卡) and 5. support plans (振兴计划)")
        result = flow.run_flow(network, ipfs.api_url, table, demo_dir / "oracle-state", key.env())
        print("6. Earmarked funds (资金发放): a fund plan pays the household to its wallet and by bank")
        from govchain.chain import Chain
        from orchestration.funding_demo import fund_and_pay, funding_lines
        from oracle.merkle import StandardMerkleTree

        registration = result.registration
        funding = fund_and_pay(Chain(network), flow.Actors.anvil_defaults(), registration.household_id,
                               registration.region, result.county, StandardMerkleTree.from_leaf_hashes)
        print(f"\n7. Summary (chain {LOCAL_CHAIN_ID}, deployment registry {registry.path}):")
        for line in flow.summary_lines(result) + funding_lines(funding):
            print(line)
        missing = [name for name in result.addresses if name not in deployed]
        if missing:
            print(f"  (not deployed by this run's script: {', '.join(missing)})")
        from assessment.demo import run_execution

        print("\n8. Materials, a visit, crowdfunding, a pledge and an assessment (物资, 回访, 众筹, 企业帮扶, 考核)")
        run_execution(Chain(network), registration.household_id, registration.region, result.county)
    print(f"\nIPFS and anvil stopped; anvil's state is saved for the next `make demo` "
          f"({time.perf_counter() - started:.0f} s in all).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
