"""The oracle's command line.

    python -m oracle run --results DIR --state DIR [--once]      watch results and commit batches
    python -m oracle key new --out FILE                          make an encrypted pseudonymisation key file
    python -m oracle card --out card.png                         a household card (needs the key)
    python -m oracle proof --cid CID [--card 0x..]               filing arguments for an intake clerk
    python -m oracle opening --cid CID --results FILE [--bit N]   a household's reasons, score and salt (offices)

The card and opening commands, and the proof command without --card, read the head's ID number from a hidden
prompt (on a terminal) or from the first line of standard input, never from the command line, where ``ps`` and the shell
history would show it.

Configuration comes from the environment (command-line options override): GOVCHAIN_RPC_URL,
GOVCHAIN_CHAIN_ID, GOVCHAIN_DEPLOYMENTS (govchain.config); GOVCHAIN_IPFS_API (default http://127.0.0.1:5001);
the data authority's key (oracle.pseudonym) and this node's signing account (oracle.committer).
Exit code 2 means a configuration problem; the message says what to fix.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
import time
from pathlib import Path

from govchain.config import DEFAULT_IPFS_API, NetworkConfig, Settings, environment
from govchain.errors import GovchainError, NodeUnreachableError
from govchain.localnode import use_project_tools


def _ipfs_api(args) -> str:
    return args.ipfs_api or Settings.from_env().ipfs_api


def cmd_run(args) -> None:
    from govchain.chain import Chain
    from oracle.committer import Committer, load_oracle_account
    from oracle.ipfs import IpfsClient
    from oracle.pseudonym import load_key
    from oracle.service import OracleService, ServiceConfig

    key = load_key()
    account = load_oracle_account()
    network = NetworkConfig.from_args(args)
    delay = 0.5
    while True:  # the node may be down at start; anything else (wrong chain id, no deployment) is fatal
        try:
            committer = Committer(Chain(network), account)
            break
        except NodeUnreachableError as exc:
            logging.getLogger("oracle").warning("%s Retrying in %.1f s.", exc, delay)
            time.sleep(delay)
            delay = min(delay * 2, args.max_backoff)
    config = ServiceConfig(
        results_dir=args.results, state_dir=args.state, poll_interval=args.poll, max_backoff=args.max_backoff
    )
    OracleService(config, committer, IpfsClient(_ipfs_api(args)), key).run(once=args.once)


def cmd_key_new(args) -> None:
    from oracle.pseudonym import PseudonymKey, write_key_file

    env = environment()
    passphrase_file = env.get("GOVCHAIN_PSEUDONYM_KEY_PASSPHRASE_FILE")
    passphrase = (
        Path(passphrase_file).read_text(encoding="utf-8").strip() if passphrase_file
        else env.get("GOVCHAIN_PSEUDONYM_KEY_PASSPHRASE") or getpass.getpass("New key file passphrase: ")
    )
    key = PseudonymKey.generate()
    write_key_file(args.out, key, passphrase)
    print(f"wrote {args.out} (key id {key.key_id}); keep it and its passphrase with the data authority only")


def read_id_number() -> str:
    """The household head's ID number from a hidden prompt on a terminal, else the first line of stdin."""
    from oracle.pseudonym import IdNumberError

    if sys.stdin.isatty():
        text = getpass.getpass("ID number of the household head (not shown): ")
    else:
        text = sys.stdin.readline()
    if not text.strip():
        raise IdNumberError("No ID number given: type it at the prompt or pipe it on standard input.")
    return text.strip()


def cmd_card(args) -> None:
    from oracle.pseudonym import card_text, load_key, write_card_png

    key = load_key(prompt=True)
    household_id = key.household_id(read_id_number())
    write_card_png(args.out, household_id, args.region)
    print(card_text(household_id))


def cmd_proof(args) -> None:
    from oracle.ipfs import IpfsClient
    from oracle.manifest import fetch_manifest, filing_arguments
    from oracle.pseudonym import load_key, parse_card

    household_id = parse_card(args.card) if args.card else load_key(prompt=True).household_id(read_id_number())
    manifest = fetch_manifest(IpfsClient(_ipfs_api(args)), args.cid)
    print(json.dumps(filing_arguments(manifest, household_id).to_json(), indent=2))


def cmd_opening(args) -> None:
    from oracle.batches import read_results
    from oracle.details import opening_for
    from oracle.ipfs import IpfsClient
    from oracle.manifest import ManifestError, fetch_manifest
    from oracle.pseudonym import load_key, normalize_id_number

    key = load_key(prompt=True)
    id_number = normalize_id_number(read_id_number())
    manifest = fetch_manifest(IpfsClient(_ipfs_api(args)), args.cid)
    household_id = key.household_id(id_number)
    leaf, _ = manifest.proof_for(household_id)
    table = read_results(args.results)
    rows = table[table["household_key"].astype(str).str.upper() == id_number]
    if len(rows) != 1:
        raise ManifestError(
            f"The results file {args.results} holds {len(rows)} rows for this household; give the file the batch "
            f"was built from."
        )
    row = rows.iloc[0]
    details = opening_for(key, manifest.header.batch_id, household_id, int(row["reasons"]), int(row["score"]))
    if details.commitment() != leaf.details:
        raise ManifestError(
            f"The household's row in {args.results} does not open its leaf in this batch; give the file the batch "
            f"was built from."
        )
    out = {"batchId": "0x" + manifest.header.batch_id.hex(), "householdId": "0x" + household_id.hex(),
           "reasons": details.reasons, "score": details.score, "salt": "0x" + details.salt.hex()}
    if args.bit is not None:
        bit = details.reason_bit_opening(args.bit)
        out["reasonBit"] = {
            "index": bit.index, "isSet": bit.is_set, "salt": "0x" + bit.salt.hex(),
            "path": ["0x" + node.hex() for node in bit.path], "scoreCommitment": "0x" + bit.score_commitment.hex(),
        }
    print(json.dumps(out, indent=2))


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m oracle", description="GovChain eligibility oracle")
    sub = top.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="watch the results folder and commit every batch")
    run.add_argument("--results", type=Path, required=True, help="folder the pipeline writes results Parquet files to")
    run.add_argument("--state", type=Path, required=True, help="folder for this node's checkpoint and alarms")
    run.add_argument("--ipfs-api", help=f"IPFS HTTP API (env GOVCHAIN_IPFS_API, default {DEFAULT_IPFS_API})")
    run.add_argument("--poll", type=float, default=2.0, help="seconds between scans of the results folder")
    run.add_argument("--max-backoff", type=float, default=30.0, help="longest wait between retries, seconds")
    run.add_argument("--once", action="store_true", help="process what is there, then exit")
    NetworkConfig.add_arguments(run)
    run.set_defaults(handler=cmd_run)

    key = sub.add_parser("key", help="pseudonymisation key files").add_subparsers(dest="key_command", required=True)
    new = key.add_parser("new", help="make a new encrypted key file")
    new.add_argument("--out", type=Path, required=True)
    new.set_defaults(handler=cmd_key_new)

    card = sub.add_parser(
        "card", help="write a household card PNG and print its id (ID number read from the prompt or stdin)"
    )
    card.add_argument("--region", type=int)
    card.add_argument("--out", type=Path, required=True)
    card.set_defaults(handler=cmd_card)

    proof = sub.add_parser("proof", help="print the filing arguments (batch id, leaf, proof) of a household")
    proof.add_argument("--cid", required=True, help="the batch manifest's CID (committed on chain)")
    proof.add_argument(
        "--card", help="the 0x id printed on the household card (else the ID number is read from the prompt or stdin)"
    )
    proof.add_argument("--ipfs-api")
    proof.set_defaults(handler=cmd_proof)

    opening = sub.add_parser(
        "opening", help="print a household's reasons, score and salt in a batch, for the household and its offices "
        "(ID number read from the prompt or stdin)")
    opening.add_argument("--cid", required=True, help="the batch manifest's CID")
    opening.add_argument("--results", type=Path, required=True, help="the results file the batch was built from")
    opening.add_argument("--bit", type=int, help="also print the opening of this reason bit alone, for a contract")
    opening.add_argument("--ipfs-api")
    opening.set_defaults(handler=cmd_opening)
    return top


def main(argv: list[str] | None = None) -> int:
    use_project_tools()  # this checkout's anvil and solc wrapper, with no PATH set by hand
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    args = parser().parse_args(argv)
    try:
        args.handler(args)
    except GovchainError as exc:
        logging.getLogger("oracle").error("%s", exc)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
