"""The demo officials' keystores (orchestration/keyring.py): V3 files, one per address, readable by their owner."""

from __future__ import annotations

import json
import stat

import pytest
from eth_account import Account

from orchestration.keyring import LIGHT_SCRYPT_N, Keyring, KeyringError


@pytest.fixture(scope="module")
def official():
    return Account.create()


@pytest.fixture(scope="module")
def folder(tmp_path_factory, official):
    folder = tmp_path_factory.mktemp("keys") / "keystores"
    Keyring.ensure(folder, [official])
    return folder


def test_a_keystore_is_a_v3_file_named_after_its_address_readable_by_its_owner_only(folder, official):
    path = folder / f"{official.address}.json"
    keystore = json.loads(path.read_text())
    assert keystore["version"] == 3 and keystore["crypto"]["kdf"] == "scrypt"
    assert official.key.hex()[2:] not in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.with_name("keystores.password").stat().st_mode) == 0o600


def test_a_later_run_opens_the_keystore_with_the_saved_password(folder, official):
    again = Keyring.ensure(folder, [])
    assert again.addresses() == [official.address] and again.signer(official.address).key == official.key


def test_a_wrong_password_is_refused_by_name(folder, official):
    with pytest.raises(KeyringError, match="The password does not open"):
        Keyring(folder, "not the password").signer(official.address)


def test_an_address_without_a_keystore_says_how_to_make_one(folder):
    with pytest.raises(KeyringError, match="python -m govchain.wallet create"):
        Keyring.ensure(folder, []).signer(Account.create().address)


def test_an_existing_keystore_is_never_overwritten(folder, official):
    before = (folder / f"{official.address}.json").read_text()
    with pytest.raises(KeyringError, match="exists already"):
        Keyring.ensure(folder, []).store(official)
    assert (folder / f"{official.address}.json").read_text() == before


def test_keystores_get_eth_accounts_full_scrypt_work_factor_by_default(folder, official):
    keystore = json.loads((folder / f"{official.address}.json").read_text())
    assert keystore["crypto"]["kdfparams"]["n"] == 2**18


def test_keystores_of_public_development_keys_can_use_the_light_work_factor_and_still_open(tmp_path, official):
    keyring = Keyring.ensure(tmp_path / "keystores", [official], scrypt_n=LIGHT_SCRYPT_N)
    keystore = json.loads(keyring.path_of(official.address).read_text())
    assert keystore["crypto"]["kdfparams"]["n"] == LIGHT_SCRYPT_N
    assert Keyring.ensure(tmp_path / "keystores", []).signer(official.address).key == official.key
