"""The Besu QBFT network generator (network/besu), checked structurally: Besu itself cannot run here."""

from __future__ import annotations

import json
import stat
import tomllib

import pytest
from eth_keys import keys

from govchain.config import PROJECT_ROOT
from network.besu.generate import main
from network.besu.genesis import (
    CHAIN_ID,
    QBFT_MIX_HASH,
    NetworkConfigError,
    qbft_extra_data,
    qbft_genesis,
    validators_in_extra_data,
)
from network.besu.nodes import ValidatorNode

DEPLOYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"  # anvil's first development account (public)
ORACLE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
# The example of Besu's QBFT guide ("Generate extra data"): four validators and the extraData `besu rlp encode
# --type=QBFT_EXTRA_DATA` made of them.
GUIDE_VALIDATORS = ["0x4592c8e45706cc08b8f44b11e43cba0cfc5892cb", "0x06e23768a0f59cf365e18c2e0c89e151bcdedc70",
                    "0xc5327f96ee02d7bcbc1bf1236b8c15148971e1de", "0xab5e7f4061c605820d3744227eed91ff8e2c8908"]
GUIDE_EXTRA_DATA = (
    "f87aa00000000000000000000000000000000000000000000000000000000000000000f854944592c8e45706cc08b8f44b11e4"
    "3cba0cfc5892cb9406e23768a0f59cf365e18c2e0c89e151bcdedc7094c5327f96ee02d7bcbc1bf1236b8c15148971e1de94"
    "ab5e7f4061c605820d3744227eed91ff8e2c8908c080c0"
)


@pytest.fixture(scope="module")
def trial(tmp_path_factory):
    """A local trial network of four validators, written by the command line."""
    out = tmp_path_factory.mktemp("besu") / "network"
    assert main(["--validators", "4", "--deployer", DEPLOYER, "--account", ORACLE, "--out", str(out)]) == 0
    return out


def _enode(index: int, port: int = 30303) -> str:
    public = keys.PrivateKey(index.to_bytes(32, "big")).public_key
    return f"enode://{public.to_bytes().hex()}@10.0.0.{index}:{port}"


def test_extra_data_encodes_the_validators_as_besus_qbft_guide_does():
    assert qbft_extra_data(GUIDE_VALIDATORS).hex() == GUIDE_EXTRA_DATA


def test_the_genesis_extra_data_decodes_to_the_validators_in_ascending_order(trial):
    genesis = json.loads((trial / "genesis.json").read_text())
    summary = json.loads((trial / "network.json").read_text())
    listed = validators_in_extra_data(genesis["extraData"])
    assert listed == [v["address"] for v in summary["validators"]]
    assert len(listed) == 4 and [a.lower() for a in listed] == sorted(a.lower() for a in listed)


def test_the_genesis_configures_qbft_on_london_with_a_zero_base_fee(trial):
    genesis = json.loads((trial / "genesis.json").read_text())
    config = genesis["config"]
    assert config["chainId"] == CHAIN_ID and config["londonBlock"] == 0 and config["zeroBaseFee"] is True
    assert set(config["qbft"]) == {"blockperiodseconds", "epochlength", "requesttimeoutseconds"}
    assert "contractSizeLimit" not in config  # Besu's default limit; the contracts stay under 20,480 bytes
    assert genesis["mixHash"] == QBFT_MIX_HASH and genesis["difficulty"] == "0x1"
    assert int(genesis["gasLimit"], 16) >= 10_000_000


def test_the_genesis_allocates_the_deployers_account(trial):
    alloc = json.loads((trial / "genesis.json").read_text())["alloc"]
    assert list(alloc) == [DEPLOYER.lower()] and int(alloc[DEPLOYER.lower()]["balance"], 16) > 0


def test_the_permissions_file_allowlists_the_accounts_and_the_validators(trial):
    summary = json.loads((trial / "network.json").read_text())
    for validator in summary["validators"]:
        permissions = tomllib.loads((trial / validator["folder"] / "permissions_config.toml").read_text())
        assert permissions["accounts-allowlist"] == [DEPLOYER.lower(), ORACLE.lower()]
        assert permissions["nodes-allowlist"] == [v["enode"] for v in summary["validators"]]


def test_each_validator_runs_with_free_gas_and_local_permissioning(trial):
    summary = json.loads((trial / "network.json").read_text())
    ports = set()
    for validator in summary["validators"]:
        config = tomllib.loads((trial / validator["folder"] / "config.toml").read_text())
        assert config["min-gas-price"] == 0
        assert config["permissions-accounts-config-file-enabled"] and config["permissions-nodes-config-file-enabled"]
        assert config["permissions-accounts-config-file"] == "permissions_config.toml"
        assert validator["enode"] not in config["bootnodes"] and len(config["bootnodes"]) == 3
        ports.add((config["p2p-port"], config["rpc-http-port"]))
    assert len(ports) == 4  # a local trial's nodes share a host, so each has its own ports


def test_a_local_trials_node_keys_belong_to_the_validators_and_only_their_owner_reads_them(trial):
    for validator in json.loads((trial / "network.json").read_text())["validators"]:
        key_file = trial / validator["folder"] / "key"
        private = keys.PrivateKey(bytes.fromhex(key_file.read_text().removeprefix("0x")))
        assert private.public_key.to_checksum_address() == validator["address"]
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_production_network_takes_the_validators_enodes_and_writes_no_key(tmp_path):
    enodes = [_enode(i) for i in range(1, 5)]
    argv = ["--deployer", DEPLOYER, "--out", str(tmp_path / "net")]
    for enode in enodes:
        argv += ["--validator", enode]
    assert main(argv) == 0
    summary = json.loads((tmp_path / "net" / "network.json").read_text())
    assert sorted(v["enode"] for v in summary["validators"]) == sorted(enodes)
    assert not list((tmp_path / "net").rglob("key"))


def test_the_generator_refuses_zero_validators(tmp_path, capsys):
    assert main(["--validators", "0", "--deployer", DEPLOYER, "--out", str(tmp_path / "net")]) == 2
    assert "needs at least one validator" in capsys.readouterr().err
    assert not (tmp_path / "net").exists()


def test_the_generator_refuses_a_validator_listed_twice(tmp_path, capsys):
    twice = _enode(7)
    argv = ["--deployer", DEPLOYER, "--out", str(tmp_path / "net"), "--validator", twice, "--validator", _enode(8),
            "--validator", twice.replace(":30303", ":30304")]
    assert main(argv) == 2
    assert f"Validator {keys.PrivateKey((7).to_bytes(32, 'big')).public_key.to_checksum_address()} is listed twice" \
        in capsys.readouterr().err


def test_the_genesis_refuses_a_duplicate_validator_address():
    with pytest.raises(NetworkConfigError, match="listed twice"):
        qbft_genesis(CHAIN_ID, [ORACLE, DEPLOYER, ORACLE.lower()], DEPLOYER)


def test_the_genesis_refuses_anvils_chain_id():
    with pytest.raises(NetworkConfigError, match="local anvil"):
        qbft_genesis(31337, [ORACLE], DEPLOYER)


def test_an_address_given_as_a_validator_is_refused_with_the_reason():
    with pytest.raises(NetworkConfigError, match="is an address; give the validator's enode URL"):
        ValidatorNode.from_enode(ORACLE)


def test_the_generator_refuses_a_malformed_deployer(tmp_path, capsys):
    assert main(["--validators", "4", "--deployer", "0x1234", "--out", str(tmp_path / "net")]) == 2
    assert "The deployer '0x1234' is not an account address" in capsys.readouterr().err


def test_the_generator_never_writes_node_keys_into_the_repository(capsys):
    out = PROJECT_ROOT / "network" / "besu" / "trial"
    assert main(["--validators", "4", "--deployer", DEPLOYER, "--out", str(out)]) == 2
    assert "node keys are never written there" in capsys.readouterr().err and not out.exists()


def test_the_generator_never_overwrites_a_network(trial, capsys):
    before = (trial / "genesis.json").read_text()
    assert main(["--validators", "4", "--deployer", DEPLOYER, "--out", str(trial)]) == 2
    assert "never overwrites" in capsys.readouterr().err and (trial / "genesis.json").read_text() == before
