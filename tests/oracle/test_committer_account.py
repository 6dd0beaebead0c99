"""The oracle node's signing account from the environment."""

from __future__ import annotations

import json

import pytest
from eth_account import Account

from oracle.committer import OracleAccountError, load_oracle_account


def test_the_account_is_unlocked_from_an_encrypted_keystore(tmp_path):
    account = Account.create()
    (tmp_path / "oracle.json").write_text(json.dumps(Account.encrypt(account.key, "s3cret passphrase", iterations=2)))
    env = {
        "GOVCHAIN_ORACLE_KEYSTORE": str(tmp_path / "oracle.json"),
        "GOVCHAIN_ORACLE_KEYSTORE_PASSWORD": "s3cret passphrase",
    }
    assert load_oracle_account(env).address == account.address


def test_a_wrong_keystore_password_raises_and_says_to_check_it(tmp_path):
    (tmp_path / "oracle.json").write_text(json.dumps(Account.encrypt(Account.create().key, "right", iterations=2)))
    env = {"GOVCHAIN_ORACLE_KEYSTORE": str(tmp_path / "oracle.json"), "GOVCHAIN_ORACLE_KEYSTORE_PASSWORD": "wrong"}
    with pytest.raises(OracleAccountError, match="check the password"):
        load_oracle_account(env)


def test_no_account_configured_raises_with_the_variables_to_set():
    with pytest.raises(OracleAccountError, match="GOVCHAIN_ORACLE_KEYSTORE"):
        load_oracle_account({})
