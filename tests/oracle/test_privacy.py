"""What a member of the public can learn from what the oracle publishes: attempts to read a household's
circumstances, to follow them from batch to batch, or to single a household out, and a scan of everything a
20,000-person county puts on chain and on IPFS for personal data. Each attempt must fail."""

from __future__ import annotations

import hashlib
import json
from types import SimpleNamespace

import pandas as pd
import pytest
from eth_utils import keccak

from data_pipeline.synth.generate import TRUTH_FOLDER
from govchain.eligibility import LeafDetails
from govchain.localnode import AnvilNode
from oracle.batches import build_batches
from oracle.details import opening_for
from oracle.ipfs import IpfsClient, JsIpfsNode
from oracle.pseudonym import PseudonymKey, read_key_file
from orchestration import flow
from tests.oracle.chain import LocalChain
from tests.oracle.conftest import save_results, write_results

KEY = PseudonymKey(b"\x11" * 32)
COUNTY_PEOPLE = 20_000


def leaf_records(manifest_json: dict) -> list[list]:
    """Every leaf's published values, as anyone reads them from a manifest."""
    return [v["value"] for v in manifest_json["tree"]["values"]]


def candidates(manifest_json: dict, village: int, score: int, reasons: int) -> list[list]:
    """An attacker who knows a household's village, exact score and reason codes (a neighbour, a leaked
    file) and looks for its leaf: a leaf stays a candidate unless a published value contradicts what is known.
    Values after (id, village, decision) that are integers are read as circumstances and must match one of the
    known values; 32-byte values are searched for the known values as 4-byte or 32-byte big-endian numbers."""
    known = {int(score), int(reasons)}
    found = []
    for values in leaf_records(manifest_json):
        if int(values[1]) != village:
            continue
        extra = values[3:]
        numbers = [int(v) for v in extra if not (isinstance(v, str) and v.startswith("0x"))]
        hexes = [v[2:] for v in extra if isinstance(v, str) and v.startswith("0x")]
        if numbers and not all(n in known for n in numbers):
            continue
        carried = any(n.to_bytes(4, "big").hex() in h or n.to_bytes(32, "big").hex() == h for n in known for h in hexes)
        found.append((values, bool(numbers) or carried))
    # Leaves that carry the known values single the household out; otherwise every leaf of the village remains.
    matching = [values for values, carries in found if carries]
    return matching or [values for values, _ in found]


def test_a_small_village_household_is_not_singled_out_by_its_village_score_and_reasons(tmp_path):
    # Five households of one village, all admitted, with distinct scores and reasons: the attacker knows all of
    # one household's circumstances and still has the five leaves of the village to choose from.
    scores = iter([4100, 5200, 6300, 7400, 8500])
    write_results(tmp_path / "results.parquet", 5, seed=1, villages=(530102001001,), decisions=(1,),
                  reasons=lambda rng: rng.randrange(1, 2**24), score=lambda rng: next(scores))
    table = pd.read_parquet(tmp_path / "results.parquet")
    manifest = build_batches(tmp_path / "results.parquet", KEY)[0].to_json()
    for row in table.itertuples():
        assert len(candidates(manifest, row.region, row.score, row.reasons)) == 5


def test_the_same_circumstances_give_unrelated_commitments_in_two_batches(tmp_path):
    write_results(tmp_path / "a.parquet", 30, seed=2, villages=(530102001001,), decisions=(1, 3))
    table = pd.read_parquet(tmp_path / "a.parquet")
    table.loc[0, "score"] += 1  # the next month's results: one other household changed
    save_results(table, tmp_path / "b.parquet")
    first, second = (build_batches(tmp_path / f"{name}.parquet", KEY)[0] for name in ("a", "b"))
    details = [
        {m.tree.leaf(v).household_id: m.tree.leaf(v).details for v in range(len(m.tree))} for m in (first, second)
    ]
    assert details[0].keys() == details[1].keys() and not set(details[0].values()) & set(details[1].values())


def test_households_with_the_same_reasons_and_score_have_different_commitments(tmp_path):
    write_results(tmp_path / "results.parquet", 40, seed=3, villages=(530102001001,), decisions=(1,),
                  reasons=lambda rng: 0b1_0000_0000_0001_0001, score=lambda rng: 4200)
    manifest = build_batches(tmp_path / "results.parquet", KEY)[0]
    assert len({manifest.tree.leaf(v).details for v in range(len(manifest.tree))}) == 40


def keyless_salts(household_id: bytes, manifest_json: dict) -> list[bytes]:
    """Salts an attacker without the data authority's key could try: everything public about the leaf."""
    batch_id = bytes.fromhex(manifest_json["batchId"][2:])
    public = [
        bytes(32),
        household_id,
        batch_id,
        bytes.fromhex(manifest_json["root"][2:]),
        bytes.fromhex(manifest_json["snapshotHash"][2:]),
        bytes.fromhex(manifest_json["pseudonymKeyId"]).rjust(32, b"\0"),
    ]
    return public + [keccak(batch_id + household_id), keccak(household_id + batch_id),
                     hashlib.sha256(batch_id + household_id).digest()]


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """A synthetic county of 20,000 people through the pipeline, two oracle processes (k = 2) and one household
    registered through its route, as `make demo` runs it, on an anvil and a js-ipfs node of its own; then
    everything published: every transaction's calldata, every event log, every committed manifest, and what
    the oracle processes wrote to their logs."""
    work = tmp_path_factory.mktemp("county")
    node = AnvilNode(log_file=work / "anvil.log")
    ipfs_node = JsIpfsNode(repo_dir=work / "ipfs" / "repo")
    with node, ipfs_node:
        chain = LocalChain(node, work)
        chain.deploy_platform(quorum=2)
        table = flow.prepare_data(
            work / "sources", work / "results", people=COUNTY_PEOPLE, seed=11, log=lambda *_: None
        )
        key_file = flow.PseudonymKeyFile.ensure(work / "key")
        oracle_log = []
        result = flow.run_flow(chain.network_config(), ipfs_node.api_url, table, work / "oracle-state", key_file.env(),
                               log=oracle_log.append)
        web3, ipfs = chain.web3, IpfsClient(ipfs_node.api_url)
        calldata = [bytes(tx["input"]) for n in range(web3.eth.block_number + 1)
                    for tx in web3.eth.get_block(n, full_transactions=True)["transactions"]]
        logs = [b"".join(bytes(t) for t in log["topics"]) + bytes(log["data"])
                for log in web3.eth.get_logs({"fromBlock": 0, "toBlock": "latest"})]
        cids = {e["args"]["manifestCid"] for e in chain.registry.events.BatchCommitted().get_logs(from_block=0)}
        manifests = [ipfs.cat(cid) for cid in sorted(cids)]
    key = read_key_file(key_file.path, key_file.passphrase_file.read_text(encoding="utf-8").strip())
    service_logs = "\n".join(str(line) for line in oracle_log) + "".join(
        p.read_text(errors="replace") for p in (work / "oracle-state").rglob("*.log"))
    return SimpleNamespace(table=pd.read_parquet(table), sources=work / "sources", key=key, result=result,
                           calldata=calldata, logs=logs, manifests=manifests, service_logs=service_logs)


def personal_data(sources) -> dict[str, set[str]]:
    """Every ID number, name and household number the synthetic county's source files hold."""
    truth = pd.read_parquet(sources / TRUTH_FOLDER / "persons.parquet")
    registration = pd.read_csv(sources / "household_registration.csv", dtype=str, encoding_errors="replace")
    return {
        "id_number": set(truth["id_number"]),
        "name": set(truth["name"]),
        "household_no": set(registration["household_no"].dropna()),
    }


def test_a_20000_person_county_publishes_no_id_number_name_or_household_number(county):
    published = b"".join(county.calldata + county.logs + county.manifests)
    text = county.service_logs.encode("utf-8")
    people = personal_data(county.sources)
    hits = []
    for number in people["id_number"]:
        forms = [number.encode(), number[:17].encode(), int(number[:17]).to_bytes(32, "big"),
                 hashlib.sha256(number.encode()).digest(), keccak(text=number)]
        hits += [number for form in forms if form in published or form in text]
    for name in people["name"]:
        forms = [name.encode("utf-8"), json.dumps(name).strip('"').encode("ascii")]  # raw, and as JSON escapes it
        hits += [name for form in forms if form in published or form in text]
    hits += [n for n in people["household_no"] if n.encode() in published or n.encode() in text]
    assert len(people["id_number"]) >= COUNTY_PEOPLE * 0.9 and len(county.manifests) >= 1 and len(county.calldata) > 10
    assert hits == []


def test_the_county_publishes_a_leaf_only_for_decisions_1_2_and_3(county):
    leaves = sum(len(leaf_records(json.loads(m))) for m in county.manifests)
    assert leaves == county.table["decision"].isin([1, 2, 3]).sum() < len(county.table)


def test_no_leaf_of_the_county_singles_out_a_household_by_its_village_score_and_reasons(county):
    manifest = json.loads(county.manifests[0])
    decided = county.table[county.table["decision"].isin([1, 2, 3])]
    village_sizes = decided.groupby("region").size()
    found = [
        len(candidates(manifest, int(row.region), int(row.score), int(row.reasons))) for row in decided.itertuples()
    ]
    assert found == [village_sizes[row.region] for row in decided.itertuples()]


def test_no_guess_of_reasons_and_score_is_confirmed_against_a_leaf_without_the_key(county):
    # The strongest outsider: knows a household's true reasons and score and tries every salt it could derive
    # from public data. With the key (the offices) the same check succeeds, which shows the search is right.
    manifest = json.loads(county.manifests[0])
    table = county.table.assign(household_id=[county.key.household_id(k) for k in county.table["household_key"]])
    by_id = table.set_index(table["household_id"].map(bytes.hex))
    confirmed_without_key = confirmed_with_key = 0
    for values in leaf_records(manifest)[:200]:
        household_id, details = bytes.fromhex(values[0][2:]), bytes.fromhex(values[3][2:])
        row = by_id.loc[household_id.hex()]
        for salt in keyless_salts(household_id, manifest):
            confirmed_without_key += LeafDetails(int(row["reasons"]), int(row["score"]), salt).commitment() == details
        opening = opening_for(
            county.key, bytes.fromhex(manifest["batchId"][2:]), household_id, row["reasons"], row["score"]
        )
        confirmed_with_key += opening.commitment() == details
    assert (confirmed_without_key, confirmed_with_key) == (0, min(200, len(leaf_records(manifest))))
