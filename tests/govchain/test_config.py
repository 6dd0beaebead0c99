"""govchain.config: the environment over the project's .env file, parsed into one settings object."""

from pathlib import Path

import pytest

from govchain.config import DEFAULT_IPFS_API, Settings, environment
from govchain.errors import ConfigError


@pytest.fixture
def env_file(tmp_path):
    path = tmp_path / ".env"
    path.write_text("GOVCHAIN_RPC_URL=http://10.0.0.5:8545\nGOVCHAIN_INDEX=/srv/index.sqlite\n"
                    "# a comment\nGOVCHAIN_IPFS_API=http://10.0.0.6:5001\n", encoding="utf-8")
    return path


def test_the_env_file_fills_in_what_the_environment_lacks(env_file, monkeypatch):
    monkeypatch.delenv("GOVCHAIN_RPC_URL", raising=False)
    assert environment(env_file=env_file)["GOVCHAIN_RPC_URL"] == "http://10.0.0.5:8545"


def test_the_environment_wins_over_the_env_file(env_file, monkeypatch):
    monkeypatch.setenv("GOVCHAIN_RPC_URL", "http://127.0.0.1:9999")
    assert environment(env_file=env_file)["GOVCHAIN_RPC_URL"] == "http://127.0.0.1:9999"


def test_variables_given_explicitly_are_read_alone(env_file):
    assert environment({"GOVCHAIN_CHAIN_ID": "7"}, env_file=env_file) == {"GOVCHAIN_CHAIN_ID": "7"}


def test_a_missing_env_file_is_no_error(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVCHAIN_INDEX", "/tmp/x.sqlite")
    assert environment(env_file=tmp_path / "absent")["GOVCHAIN_INDEX"] == "/tmp/x.sqlite"


def test_settings_read_every_variable():
    settings = Settings.from_env({
        "GOVCHAIN_RPC_URL": "http://node:8545", "GOVCHAIN_CHAIN_ID": "1337", "GOVCHAIN_IPFS_API": "http://ipfs:5001",
        "GOVCHAIN_INDEX": "/srv/index.sqlite", "GOVCHAIN_REPORTS": "/srv/reports", "GOVCHAIN_DEMO_PORT": "8600",
        "GOVCHAIN_DEPLOYER_KEYSTORE": "/keys/deployer.json", "GOVCHAIN_REDEPLOY": "1", "GOVCHAIN_ADMIN": "0xSafe",
        "BESU_RPC_URL": "http://validator1:8545", "BESU_CHAIN_ID": "2026",
    })
    assert (settings.network.rpc_url, settings.network.chain_id) == ("http://node:8545", 1337)
    assert (settings.ipfs_api, settings.index_path, settings.reports_dir) == (
        "http://ipfs:5001", Path("/srv/index.sqlite"), Path("/srv/reports"))
    assert (settings.demo_port, settings.deployer_keystore, settings.redeploy, settings.admin) == (
        8600, Path("/keys/deployer.json"), True, "0xSafe")
    assert (settings.besu_rpc_url, settings.besu_chain_id) == ("http://validator1:8545", 2026)


def test_settings_default_to_the_local_demo():
    settings = Settings.from_env({})
    assert (settings.ipfs_api, settings.demo_port, settings.redeploy, settings.reports_dir) == (
        DEFAULT_IPFS_API, 8545, False, None)
    assert settings.index_path.name == "index.sqlite" and settings.network.chain_id is None


def test_settings_come_from_the_env_file_when_the_environment_lacks_them(env_file, monkeypatch):
    for name in ("GOVCHAIN_RPC_URL", "GOVCHAIN_INDEX", "GOVCHAIN_IPFS_API"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("govchain.config.ENV_FILE", env_file)
    settings = Settings.from_env()
    assert (settings.network.rpc_url, settings.index_path, settings.ipfs_api) == (
        "http://10.0.0.5:8545", Path("/srv/index.sqlite"), "http://10.0.0.6:5001")


@pytest.mark.parametrize("name", ["GOVCHAIN_DEMO_PORT", "BESU_CHAIN_ID", "GOVCHAIN_CHAIN_ID"])
def test_a_number_that_is_not_one_names_its_variable(name):
    with pytest.raises(ConfigError, match=f"{name}='eight' is not a number"):
        Settings.from_env({name: "eight"})
