"""The generator: determinism, and the truth kept apart from the sources."""

import hashlib

from data_pipeline.sources import SOURCES
from data_pipeline.synth.__main__ import main
from data_pipeline.synth.generate import generate


def _digests(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_same_seed_gives_the_same_bytes(tmp_path):
    first = _digests(generate(tmp_path / "a", 600, 5))
    second = _digests(generate(tmp_path / "b", 600, 5))
    assert first == second and len(first) == len(SOURCES) + 5  # the sources, the designation list, 4 truth tables


def test_another_seed_gives_other_sources(tmp_path):
    first = _digests(generate(tmp_path / "a", 600, 5))
    second = _digests(generate(tmp_path / "b", 600, 6))
    assert first["census.csv"] != second["census.csv"]


def test_the_cli_writes_ten_sources_the_designation_list_and_the_truth_apart(tmp_path, capsys):
    assert main(["--people", "300", "--seed", "2", "--out", str(tmp_path)]) == 0
    sources = {p.name for p in tmp_path.iterdir() if p.is_file()} - {"village_designations.csv"}
    assert sources == {n for s in SOURCES.values() for n in s.file_names if (tmp_path / n).exists()}
    assert len(sources) == len(SOURCES)
    assert (tmp_path / "village_designations.csv").exists()
    assert {p.name for p in (tmp_path / "ground_truth").iterdir()} == {
        "households.parquet",
        "persons.parquet",
        "noise_log.parquet",
        "admin_log.parquet",
    }
    assert "wrote 300 people" in capsys.readouterr().out


def test_several_counties_are_written_to_one_folder_each(tmp_path):
    generate(tmp_path, 900, 3, counties=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["532326", "532327", "ground_truth"]


def test_households_have_one_to_eight_members(county):
    import pandas as pd

    members = pd.read_parquet(county / "ground_truth" / "households.parquet")["members"]
    assert members.min() >= 1 and members.max() <= 8


def test_one_administrative_error_rate_can_be_set_from_the_cli(tmp_path):
    import pandas as pd

    assert main(["--people", "2000", "--seed", "2", "--out", str(tmp_path), "--admin-rate", "cash_wage=0",
                 "--admin-rate", "missing_consumption=0.5"]) == 0
    kinds = pd.read_parquet(tmp_path / "ground_truth" / "admin_log.parquet")["kind"].value_counts()
    households = len(pd.read_parquet(tmp_path / "ground_truth" / "households.parquet"))
    assert "cash_wage" not in kinds and 0.4 < kinds["missing_consumption"] / households < 0.6
    assert kinds["tax_under_report"] > 0  # the others keep their default


def test_an_unknown_administrative_error_kind_is_refused(tmp_path, capsys):
    import pytest

    with pytest.raises(SystemExit):
        main(["--people", "300", "--seed", "2", "--out", str(tmp_path), "--admin-rate", "typo=0.1"])
    assert "unknown kind 'typo'" in capsys.readouterr().err


def test_a_county_code_outside_the_division_list_is_refused(tmp_path, capsys):
    import pytest

    with pytest.raises(SystemExit):
        main(["--people", "300", "--seed", "2", "--out", str(tmp_path), "--county", "999999"])
    assert "counties are drawn from" in capsys.readouterr().err


def test_every_person_has_a_distinct_phone_and_bank_card_number_in_the_truth(county):
    import pandas as pd

    from data_pipeline.synth.contacts import luhn_check_digit

    persons = pd.read_parquet(county / "ground_truth" / "persons.parquet")
    assert persons["phone"].str.fullmatch(r"1[3-9]\d{9}").all() and persons["phone"].is_unique
    assert persons["bank_account"].str.fullmatch(r"62\d{17}").all() and persons["bank_account"].is_unique
    assert all(card[-1] == luhn_check_digit(card[:-1]) for card in persons["bank_account"])


def test_the_census_carries_phones_and_the_bank_extract_account_numbers_of_the_people(county):
    import pandas as pd

    persons = pd.read_parquet(county / "ground_truth" / "persons.parquet").set_index("id_number")
    census = pd.read_csv(county / "census.csv", dtype=str, encoding="gb18030")
    bank = pd.read_csv(county / "bank.csv", dtype=str, encoding="utf-8-sig")
    for extract, column, truth in ((census, "phone", "phone"), (bank, "account_number", "bank_account")):
        known = extract.dropna(subset=[column])
        assert len(known) > 0.9 * len(extract)  # rows whose ID number the noise garbled stay blank
        assert (known[column].to_numpy() == persons.loc[known["id_number"], truth].to_numpy()).all()
