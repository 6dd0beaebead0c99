"""IPFS client and manifests against a real js-ipfs node."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import psutil
import pytest
from multiformats import CID, multihash

from govchain.localnode import free_port
from oracle.batches import ResultsError, ResultsNotPublishableError, build_batches
from oracle.ipfs import IpfsClient, IpfsUnavailableError, api_multiaddr
from oracle.manifest import Manifest, ManifestError, fetch_manifest, filing_arguments
from oracle.merkle import verify_proof
from oracle.pseudonym import PseudonymKey
from tests.oracle.conftest import save_results, write_results

KEY = PseudonymKey(b"\x11" * 32)


def local_raw_cid(content: bytes) -> str:
    return CID("base32", 1, "raw", multihash.wrap(hashlib.sha256(content).digest(), "sha2-256")).encode()


def test_the_node_returns_the_cid_computed_locally_for_small_content(ipfs):
    content = b"eligibility manifest placeholder"
    assert ipfs.add(content) == local_raw_cid(content)


def test_added_content_is_pinned_and_reads_back(ipfs):
    content = b"x" * 1000
    cid = ipfs.add(content)
    assert ipfs.is_pinned(cid) and ipfs.cat(cid) == content


def test_content_larger_than_one_chunk_reads_back(ipfs):
    content = bytes(range(256)) * 3000  # 768 KiB: a dag-pb root over raw leaves
    assert ipfs.cat(ipfs.add(content)) == content


def test_the_node_listens_on_loopback_only(ipfs_node):
    listening = [
        c.laddr.ip for c in psutil.Process(ipfs_node.process.pid).connections() if c.status == psutil.CONN_LISTEN
    ]
    assert listening and all(ip == "127.0.0.1" for ip in listening)


def test_a_client_of_a_node_that_is_not_running_raises_unavailable_with_what_to_do():
    with pytest.raises(IpfsUnavailableError, match="GOVCHAIN_IPFS_API"):
        IpfsClient(f"http://127.0.0.1:{free_port()}", timeout=2).add(b"anything")


def test_one_batch_per_county_is_built_from_a_results_file(tmp_path):
    write_results(tmp_path / "results.parquet", 60, seed=1)
    assert [m.header.scope for m in build_batches(tmp_path / "results.parquet", KEY)] == [530102000000, 530103000000]


def test_two_builds_of_the_same_results_give_identical_manifest_bytes(tmp_path):
    write_results(tmp_path / "results.parquet", 40, seed=2)
    first = [m.to_bytes() for m in build_batches(tmp_path / "results.parquet", KEY)]
    assert first == [m.to_bytes() for m in build_batches(tmp_path / "results.parquet", KEY)]


def test_a_manifest_published_on_ipfs_reads_back_with_the_same_root(ipfs, tmp_path):
    write_results(tmp_path / "results.parquet", 50, seed=3)
    manifest = build_batches(tmp_path / "results.parquet", KEY)[0]
    fetched = Manifest.from_bytes(ipfs.cat(ipfs.add(manifest.to_bytes())), expected_root=manifest.root)
    assert fetched.root == manifest.root and fetched.header == manifest.header


def test_a_households_proof_is_found_in_the_fetched_manifest_from_its_id_number(ipfs, tmp_path):
    ids = write_results(tmp_path / "results.parquet", 50, seed=4, villages=(530102001001,), decisions=(1, 2, 3))
    manifest = build_batches(tmp_path / "results.parquet", KEY)[0]
    fetched = fetch_manifest(ipfs, ipfs.add(manifest.to_bytes()), expected_root=manifest.root)
    leaf, proof = fetched.proof_for(KEY.household_id(ids[7]))
    assert verify_proof(manifest.root, leaf.hash(), proof)


def test_a_manifest_of_2000_households_round_trips_through_ipfs(ipfs, tmp_path):
    write_results(tmp_path / "results.parquet", 2000, seed=5, villages=(530102001001,))
    manifest = build_batches(tmp_path / "results.parquet", KEY)[0]
    assert Manifest.from_bytes(ipfs.cat(ipfs.add(manifest.to_bytes()))).root == manifest.root


def test_a_manifest_checked_against_another_root_raises(tmp_path):
    write_results(tmp_path / "results.parquet", 10, seed=6)
    manifest = build_batches(tmp_path / "results.parquet", KEY)[0]
    with pytest.raises(ManifestError, match="not the committed root"):
        Manifest.from_bytes(manifest.to_bytes(), expected_root=b"\x00" * 32)


def test_a_manifest_with_an_altered_leaf_raises(tmp_path):
    write_results(tmp_path / "results.parquet", 10, seed=7)
    data = build_batches(tmp_path / "results.parquet", KEY)[0].to_json()
    data["tree"]["values"][0]["value"][2] = 1 + data["tree"]["values"][0]["value"][2] % 3
    with pytest.raises(ManifestError, match="invalid"):
        Manifest.from_bytes(json.dumps(data).encode())


def test_a_manifest_holds_no_id_number(tmp_path):
    ids = write_results(tmp_path / "results.parquet", 200, seed=8)
    published = b"".join(m.to_bytes() for m in build_batches(tmp_path / "results.parquet", KEY))
    assert not [number for number in ids if number.encode() in published or number[:17].encode() in published]


def test_filing_arguments_carry_the_batch_id_leaf_and_proof(tmp_path):
    ids = write_results(tmp_path / "results.parquet", 30, seed=9, villages=(530102001001,), decisions=(1, 2, 3))
    manifest = build_batches(tmp_path / "results.parquet", KEY)[0]
    args = filing_arguments(manifest, KEY.household_id(ids[3]))
    batch_id, leaf_values, proof = args.contract_args()
    assert batch_id == manifest.header.batch_id and leaf_values[0] == KEY.household_id(ids[3]) and verify_proof(
        manifest.root, args.leaf.hash(), proof
    )


def test_filing_arguments_for_a_household_outside_the_batch_raise(tmp_path):
    write_results(tmp_path / "results.parquet", 10, seed=10)
    manifest = build_batches(tmp_path / "results.parquet", KEY)[0]
    with pytest.raises(ManifestError, match="has no leaf in this batch"):
        filing_arguments(manifest, b"\x42" * 32)


def test_a_results_file_without_a_column_raises_naming_it(tmp_path):
    import pandas as pd

    write_results(tmp_path / "results.parquet", 5, seed=11)
    pd.read_parquet(tmp_path / "results.parquet").drop(columns=["score"]).to_parquet(tmp_path / "bad.parquet")
    with pytest.raises(ResultsError, match="score"):
        build_batches(tmp_path / "bad.parquet", KEY)


def test_leaves_in_a_manifest_follow_the_pseudonymous_ids_not_the_id_numbers(tmp_path):
    write_results(tmp_path / "results.parquet", 50, seed=12, villages=(530102001001,))
    values = build_batches(tmp_path / "results.parquet", KEY)[0].to_json()["tree"]["values"]
    household_ids = [v["value"][0] for v in values]
    assert household_ids == sorted(household_ids)


@pytest.fixture(scope="module")
def pipeline_results(tmp_path_factory):
    """The data pipeline's own output for a synthetic two-county population."""
    from data_pipeline.run import run
    from data_pipeline.synth.generate import generate

    work = tmp_path_factory.mktemp("pipeline")
    generate(work / "sources", people=1500, seed=5, counties=2)
    run(work / "sources", work / "out", show=False)
    return work / "out" / "results.parquet"


def test_the_pipelines_results_become_one_batch_per_county(pipeline_results):
    import pandas as pd

    counties = sorted({int(r) // 10**6 * 10**6 for r in pd.read_parquet(pipeline_results)["region"]})
    assert [m.header.scope for m in build_batches(pipeline_results, KEY)] == counties and len(counties) == 2


def test_manifests_built_from_the_pipelines_results_hold_no_id_number(pipeline_results):
    import pandas as pd

    ids = pd.read_parquet(pipeline_results)["household_key"].tolist()
    published = b"".join(m.to_bytes() for m in build_batches(pipeline_results, KEY))
    assert ids and not [number for number in ids if number.encode() in published or number[:17].encode() in published]


def test_households_with_decision_0_or_4_get_no_leaf(tmp_path):
    ids = write_results(tmp_path / "results.parquet", 120, seed=13, villages=(530102001001,))
    table = pd.read_parquet(tmp_path / "results.parquet")
    manifest = build_batches(tmp_path / "results.parquet", KEY)[0]
    published = {manifest.tree.leaf(v).household_id for v in range(len(manifest.tree))}
    expected = {KEY.household_id(i) for i, d in zip(ids, table["decision"]) if d in (1, 2, 3)}
    assert published == expected and len(expected) < len(ids)


def test_a_county_without_any_published_decision_gets_no_batch(tmp_path):
    write_results(tmp_path / "results.parquet", 30, seed=14, villages=(530102001001, 530103002001))
    table = pd.read_parquet(tmp_path / "results.parquet")
    table.loc[table["region"] == 530103002001, "decision"] = 0
    save_results(table, tmp_path / "results.parquet")
    assert [m.header.scope for m in build_batches(tmp_path / "results.parquet", KEY)] == [530102000000]


def test_a_results_file_marked_not_for_publication_is_refused_with_its_failed_gates(tmp_path):
    gates = '[{"file": "census", "figure": "match_rate", "limit": 0.95}]'
    write_results(
        tmp_path / "results.parquet", 10, seed=15, metadata={"govchain.publish": "false", "govchain.quality": gates}
    )
    with pytest.raises(ResultsNotPublishableError, match="match_rate"):
        build_batches(tmp_path / "results.parquet", KEY)


def test_a_results_file_marked_publishable_is_built(tmp_path):
    write_results(tmp_path / "results.parquet", 10, seed=15, metadata={"govchain.publish": "true"})
    assert build_batches(tmp_path / "results.parquet", KEY)


def test_every_batch_of_a_file_is_dated_by_the_files_as_of_time(tmp_path):
    write_results(tmp_path / "results.parquet", 30, seed=17, metadata={"govchain.as_of": "2026-11-30T08:00:00+08:00"})
    manifests = build_batches(tmp_path / "results.parquet", KEY)
    assert {m.header.as_of for m in manifests} == {1795996800}  # 2026-11-30T00:00:00Z


def test_an_as_of_date_alone_means_midnight_utc(tmp_path):
    write_results(tmp_path / "results.parquet", 10, seed=18, metadata={"govchain.as_of": "2026-11-30"})
    assert build_batches(tmp_path / "results.parquet", KEY)[0].header.as_of == 1795996800


def test_a_results_file_without_an_as_of_time_is_refused(tmp_path):
    write_results(tmp_path / "results.parquet", 10, seed=19)
    pd.read_parquet(tmp_path / "results.parquet").to_parquet(tmp_path / "undated.parquet", index=False)
    with pytest.raises(ResultsError, match="govchain.as_of"):
        build_batches(tmp_path / "undated.parquet", KEY)


def test_the_as_of_time_travels_in_the_manifest(tmp_path):
    write_results(tmp_path / "results.parquet", 10, seed=20)
    (manifest,) = build_batches(tmp_path / "results.parquet", KEY)[:1]
    assert Manifest.from_bytes(manifest.to_bytes()).header.as_of == manifest.header.as_of


def test_a_bad_head_id_number_is_a_results_error_naming_the_county(tmp_path):
    write_results(tmp_path / "results.parquet", 10, seed=16, villages=(530102001001,), decisions=(1,))
    table = pd.read_parquet(tmp_path / "results.parquet")
    table.loc[3, "household_key"] = table.loc[3, "household_key"][:17] + (
        "0" if table.loc[3, "household_key"][17] != "0" else "1"
    )
    save_results(table, tmp_path / "results.parquet")
    with pytest.raises(ResultsError, match="county 530102000000: .*check digit"):
        build_batches(tmp_path / "results.parquet", KEY)


def test_a_head_id_twice_in_a_county_is_a_results_error(tmp_path):
    write_results(tmp_path / "results.parquet", 10, seed=17, villages=(530102001001,), decisions=(1,))
    table = pd.read_parquet(tmp_path / "results.parquet")
    table.loc[4, "household_key"] = table.loc[2, "household_key"]
    save_results(table, tmp_path / "results.parquet")
    with pytest.raises(ResultsError, match="appears twice"):
        build_batches(tmp_path / "results.parquet", KEY)


def test_an_ipfs_client_of_a_node_that_hangs_times_out_as_unavailable():
    import socket

    with socket.socket() as silent:  # accepts connections and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        with pytest.raises(IpfsUnavailableError):
            IpfsClient(f"http://127.0.0.1:{silent.getsockname()[1]}", timeout=1).cat(local_raw_cid(b"x"))


@pytest.mark.parametrize(
    "url, expected",
    [
        ("http://127.0.0.1:5001", "/ip4/127.0.0.1/tcp/5001/http"),
        ("https://ipfs.gov.example:443/", "/dns/ipfs.gov.example/tcp/443/https"),
    ],
)
def test_an_api_url_becomes_the_multiaddr_ipfshttpclient_takes(url, expected):
    assert api_multiaddr(url) == expected


def test_the_opening_command_prints_the_households_reasons_and_a_bit_a_contract_can_check(ipfs, tmp_path):
    import os
    import subprocess
    import sys

    from govchain.config import PROJECT_ROOT
    from govchain.eligibility import ReasonBitOpening, verify_reason_bit

    ids = write_results(tmp_path / "results.parquet", 20, seed=18, villages=(530102001001,), decisions=(1,))
    table = pd.read_parquet(tmp_path / "results.parquet")
    manifest = build_batches(tmp_path / "results.parquet", KEY)[0]
    cid = ipfs.add(manifest.to_bytes())
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVCHAIN_")}
    env.update(PYTHONPATH=str(PROJECT_ROOT), GOVCHAIN_PSEUDONYM_KEY=KEY.secret.hex())
    done = subprocess.run(
        [sys.executable, "-m", "oracle", "opening", "--cid", cid, "--results", str(tmp_path / "results.parquet"),
         "--bit", "16", "--ipfs-api", ipfs.api_url],
        env=env, input=ids[4] + "\n", capture_output=True, text=True, timeout=60,
    )
    printed = json.loads(done.stdout)
    bit = printed["reasonBit"]
    opening = ReasonBitOpening(
        16,
        bit["isSet"],
        bytes.fromhex(bit["salt"][2:]),
        tuple(bytes.fromhex(n[2:]) for n in bit["path"]),
        bytes.fromhex(bit["scoreCommitment"][2:]),
    )
    leaf, _ = manifest.proof_for(KEY.household_id(ids[4]))
    assert (printed["reasons"], printed["score"]) == (table.loc[4, "reasons"], table.loc[4, "score"])
    assert bit["isSet"] == bool(table.loc[4, "reasons"] >> 16 & 1) and verify_reason_bit(leaf.details, opening)
