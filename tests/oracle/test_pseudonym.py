"""Pseudonymous household ids, the key file, and the household card."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from datetime import date, timedelta

import psutil
import pytest
import zxingcpp
from PIL import Image

from govchain.config import PROJECT_ROOT
from govchain.localnode import stop_process
from oracle.pseudonym import (
    CardError,
    IdNumberError,
    PseudonymKey,
    PseudonymKeyError,
    card_payload,
    card_text,
    id_check_digit,
    load_key,
    parse_card,
    read_key_file,
    write_card_png,
    write_key_file,
)

VILLAGE_PREFIX = "530102"  # the 6-digit county part of a resident ID number
SECRET_PERSON = VILLAGE_PREFIX + "19870615" + "123"
SECRET_ID = SECRET_PERSON + id_check_digit(SECRET_PERSON)
PASSPHRASE = "correct horse battery staple"


def enumerate_ids_born_in(prefix: str, year: int):
    """Every valid ID number of a county for one birth year: 365 days x 1,000 sequence numbers."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check_chars = "10X98765432"
    sequences = [(f"{s:03d}", sum(int(d) * w for d, w in zip(f"{s:03d}", weights[14:]))) for s in range(1000)]
    day = date(year, 1, 1)
    while day.year == year:
        first14 = f"{prefix}{day:%Y%m%d}"
        base = sum(int(d) * w for d, w in zip(first14, weights))
        for text, partial in sequences:
            yield first14 + text + check_chars[(base + partial) % 11]
        day += timedelta(days=1)


def test_the_enumeration_yields_only_valid_id_numbers_with_correct_check_digits():
    sample = list(enumerate_ids_born_in(VILLAGE_PREFIX, 1987))[::997]
    assert all(number[17] == id_check_digit(number[:17]) for number in sample) and len(sample) > 300


def test_a_plain_hash_of_an_id_number_is_reversed_by_enumerating_one_birth_year():
    published = hashlib.sha256(SECRET_ID.encode()).digest()
    found = [c for c in enumerate_ids_born_in(VILLAGE_PREFIX, 1987) if hashlib.sha256(c.encode()).digest() == published]
    assert found == [SECRET_ID]


def test_the_same_enumeration_finds_nothing_against_a_keyed_id():
    published = PseudonymKey.generate().household_id(SECRET_ID)
    # Without the key the attacker can only try unkeyed hashes (or guess keys, 2**256 of them).
    assert not any(
        hashlib.sha256(c.encode()).digest() == published for c in enumerate_ids_born_in(VILLAGE_PREFIX, 1987)
    )


def test_a_household_id_is_32_bytes_and_stable_under_one_key():
    key = PseudonymKey(b"k" * 32)
    assert len(key.household_id(SECRET_ID)) == 32 and key.household_id(SECRET_ID) == key.household_id(SECRET_ID)


def test_two_keys_give_the_same_household_different_ids():
    assert PseudonymKey(b"a" * 32).household_id(SECRET_ID) != PseudonymKey(b"b" * 32).household_id(SECRET_ID)


def test_a_lower_case_x_check_character_gives_the_same_id_as_upper_case():
    first17 = "11010519491231002"
    number = first17 + id_check_digit(first17)
    assert number.endswith("X")
    key = PseudonymKey(b"k" * 32)
    assert key.household_id(number.lower()) == key.household_id(number)


def test_an_id_number_with_a_wrong_check_digit_raises():
    wrong = SECRET_ID[:17] + ("0" if SECRET_ID[17] != "0" else "1")
    with pytest.raises(IdNumberError, match="wrong ID check digit"):
        PseudonymKey(b"k" * 32).household_id(wrong)


def test_a_15_digit_legacy_id_number_raises():
    with pytest.raises(IdNumberError, match="not an 18-digit ID number"):
        PseudonymKey(b"k" * 32).household_id("530102870615123")


def test_batch_ids_equal_the_single_ids():
    key = PseudonymKey(b"k" * 32)
    numbers = [SECRET_ID, "11010519491231002X"]
    assert [row.tobytes() for row in key.household_ids(numbers)] == [key.household_id(n) for n in numbers]


def test_a_key_file_decrypts_to_the_same_key(tmp_path):
    key = PseudonymKey.generate()
    write_key_file(tmp_path / "authority.key", key, PASSPHRASE)
    assert read_key_file(tmp_path / "authority.key", PASSPHRASE).secret == key.secret


def test_a_key_file_holds_the_key_only_encrypted_and_is_owner_readable_only(tmp_path):
    key = PseudonymKey.generate()
    path = tmp_path / "authority.key"
    write_key_file(path, key, PASSPHRASE)
    assert key.secret.hex() not in path.read_text() and stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_wrong_passphrase_raises_and_says_what_to_check(tmp_path):
    write_key_file(tmp_path / "authority.key", PseudonymKey.generate(), PASSPHRASE)
    with pytest.raises(PseudonymKeyError, match="wrong passphrase"):
        read_key_file(tmp_path / "authority.key", "not the passphrase")


def test_an_existing_key_file_is_never_overwritten(tmp_path):
    write_key_file(tmp_path / "authority.key", PseudonymKey.generate(), PASSPHRASE)
    with pytest.raises(PseudonymKeyError, match="never overwritten"):
        write_key_file(tmp_path / "authority.key", PseudonymKey.generate(), PASSPHRASE)


def test_the_key_is_loaded_from_the_key_file_named_in_the_environment(tmp_path):
    key = PseudonymKey.generate()
    write_key_file(tmp_path / "authority.key", key, PASSPHRASE)
    env = {
        "GOVCHAIN_PSEUDONYM_KEY_FILE": str(tmp_path / "authority.key"),
        "GOVCHAIN_PSEUDONYM_KEY_PASSPHRASE": PASSPHRASE,
    }
    assert load_key(env).key_id == key.key_id


def test_the_key_is_loaded_from_hex_in_the_environment():
    assert load_key({"GOVCHAIN_PSEUDONYM_KEY": "ab" * 32}).secret == b"\xab" * 32


def test_no_key_in_the_environment_raises_with_instructions():
    with pytest.raises(PseudonymKeyError, match="python -m oracle key new"):
        load_key({})


def test_a_short_key_raises():
    with pytest.raises(PseudonymKeyError, match="at least 32"):
        load_key({"GOVCHAIN_PSEUDONYM_KEY": "ab" * 16})


def test_the_key_never_shows_in_its_repr():
    key = PseudonymKey(b"\x5a" * 32)
    assert "5a5a" not in repr(key) and key.key_id in repr(key)


def test_the_card_qr_code_decodes_to_the_household_id(tmp_path):
    household_id = PseudonymKey(b"k" * 32).household_id(SECRET_ID)
    png = write_card_png(tmp_path / "card.png", household_id, region=530102001001)
    decoded = [code.text for code in zxingcpp.read_barcodes(Image.open(png))]
    assert decoded == [card_payload(household_id)] and parse_card(decoded[0]) == household_id


def test_the_card_text_reads_back_to_the_household_id():
    household_id = bytes(range(32))
    assert parse_card(card_text(household_id)) == household_id


def test_a_card_value_of_the_wrong_length_raises():
    with pytest.raises(CardError):
        parse_card("0x1234")


def test_the_card_shows_no_id_number(tmp_path):
    household_id = PseudonymKey(b"k" * 32).household_id(SECRET_ID)
    png = write_card_png(tmp_path / "card.png", household_id)
    decoded = "".join(code.text for code in zxingcpp.read_barcodes(Image.open(png)))
    assert SECRET_ID not in decoded and SECRET_ID.encode() not in png.read_bytes()


def test_the_card_command_uses_a_key_file_made_by_the_key_command(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVCHAIN_")}
    env.update(PYTHONPATH=str(PROJECT_ROOT), GOVCHAIN_PSEUDONYM_KEY_PASSPHRASE=PASSPHRASE,
               GOVCHAIN_PSEUDONYM_KEY_FILE=str(tmp_path / "authority.key"))
    oracle = [sys.executable, "-m", "oracle"]
    subprocess.run(
        oracle + ["key", "new", "--out", str(tmp_path / "authority.key")], env=env, check=True, capture_output=True
    )
    card = subprocess.run(
        oracle + ["card", "--out", str(tmp_path / "card.png")],
        env=env, check=True, capture_output=True, text=True, input=SECRET_ID + "\n",
    )
    expected = read_key_file(tmp_path / "authority.key", PASSPHRASE).household_id(SECRET_ID)
    assert card.stdout.strip() == card_text(expected) and (tmp_path / "card.png").exists()


def test_the_card_command_refuses_an_id_number_on_the_command_line(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "oracle", "card", "--id-number", SECRET_ID, "--out", str(tmp_path / "card.png")],
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}, capture_output=True, text=True, input="",
    )
    assert done.returncode == 2 and "unrecognized arguments: --id-number" in done.stderr


def test_the_card_command_never_has_the_id_number_in_its_command_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVCHAIN_")}
    env.update(PYTHONPATH=str(PROJECT_ROOT), GOVCHAIN_PSEUDONYM_KEY_FILE=str(tmp_path / "authority.key"))
    write_key_file(tmp_path / "authority.key", PseudonymKey.generate(), PASSPHRASE)
    (tmp_path / "passphrase").write_text(PASSPHRASE)
    env["GOVCHAIN_PSEUDONYM_KEY_PASSPHRASE_FILE"] = str(tmp_path / "passphrase")
    process = subprocess.Popen(
        [sys.executable, "-m", "oracle", "card", "--out", str(tmp_path / "card.png")],
        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        # Waiting on stdin (the key is loaded first): what `ps` shows of it now is all it ever shows.
        command_line = " ".join(psutil.Process(process.pid).cmdline())
        environment = psutil.Process(process.pid).environ()
        out, _ = process.communicate(SECRET_ID + "\n", timeout=60)
    finally:
        stop_process(process)
    assert process.returncode == 0 and out.startswith("0x")
    assert SECRET_ID not in command_line and SECRET_ID not in "".join(environment.values())


def test_the_passphrase_is_read_from_the_passphrase_file(tmp_path):
    key = PseudonymKey.generate()
    write_key_file(tmp_path / "authority.key", key, PASSPHRASE)
    (tmp_path / "passphrase").write_text(PASSPHRASE + "\n")
    env = {
        "GOVCHAIN_PSEUDONYM_KEY_FILE": str(tmp_path / "authority.key"),
        "GOVCHAIN_PSEUDONYM_KEY_PASSPHRASE_FILE": str(tmp_path / "passphrase"),
    }
    assert load_key(env).key_id == key.key_id


def test_the_key_file_is_preferred_to_a_key_in_the_environment(tmp_path):
    key = PseudonymKey.generate()
    write_key_file(tmp_path / "authority.key", key, PASSPHRASE)
    env = {"GOVCHAIN_PSEUDONYM_KEY": "ab" * 32, "GOVCHAIN_PSEUDONYM_KEY_FILE": str(tmp_path / "authority.key"),
           "GOVCHAIN_PSEUDONYM_KEY_PASSPHRASE": PASSPHRASE}
    assert load_key(env).key_id == key.key_id


def test_a_key_from_the_environment_logs_a_warning(caplog):
    with caplog.at_level("WARNING", logger="oracle"):
        load_key({"GOVCHAIN_PSEUDONYM_KEY": "ab" * 32})
    assert "/proc/<pid>/environ" in caplog.text
