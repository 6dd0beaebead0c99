"""One test per kind of injected noise, checking the outcome of every noisy row the generator logged."""

import pandas as pd
import pytest

from data_pipeline.idnumbers import to_number
from data_pipeline.sources import SOURCES
from data_pipeline.synth.noise import NoiseRates


def _outcomes(cleaned, kind):
    """(source, row, log entry, accepted row or None, quarantine entry or None) for each logged row."""
    for source, log in cleaned.log(kind).groupby("source"):
        accepted, quarantined = cleaned.accepted(source), cleaned.quarantined(source)
        for entry in log.itertuples():
            yield (source, entry, accepted.loc[entry.row] if entry.row in accepted.index else None,
                   quarantined.loc[entry.row] if entry.row in quarantined.index else None)


def _accepted_under_true_key(cleaned, kind):
    wrong = [(s, e.row) for s, e, a, _ in _outcomes(cleaned, kind) if a is None or a[SOURCES[s].key] != e.true_key]
    assert len(cleaned.log(kind)) > 0 and wrong == []


def _quarantined_for(cleaned, kind, reason, same_column=True):
    wrong = [
        (s, e.row) for s, e, a, q in _outcomes(cleaned, kind)
        if q is None or q["reason"] != reason or (same_column and q["column"] != e.column)
    ]
    assert len(cleaned.log(kind)) > 0 and wrong == []


def test_every_kind_of_noise_was_injected(cleaned):
    kinds = set(cleaned.noise["kind"])
    assert kinds == set(NoiseRates.__dataclass_fields__)


def test_full_width_ids_are_accepted_under_the_true_id(cleaned):
    _accepted_under_true_key(cleaned, "full_width")


def test_ids_with_whitespace_are_accepted_under_the_true_id(cleaned):
    _accepted_under_true_key(cleaned, "whitespace")


def test_legacy_15_digit_ids_are_converted_to_the_true_id(cleaned):
    _accepted_under_true_key(cleaned, "legacy_15")


def test_wrong_check_digits_are_repaired_to_the_true_id(cleaned):
    _accepted_under_true_key(cleaned, "wrong_check_digit")


def test_scientific_notation_ids_are_recovered_or_quarantined_never_misattributed(cleaned):
    recovered = quarantined = 0
    for source, entry, accepted, q in _outcomes(cleaned, "scientific"):
        if accepted is not None:
            assert accepted[SOURCES[source].key] == entry.true_key, (source, entry.row)
            recovered += 1
        else:
            assert q["reason"] == "UNMATCHED_SCIENTIFIC_ID", (source, entry.row)
            quarantined += 1
    assert recovered > 0.8 * (recovered + quarantined)


def test_rows_without_id_are_quarantined_as_missing_id(cleaned):
    _quarantined_for(cleaned, "missing_id", "MISSING_ID")


def test_missing_values_leave_the_row_accepted_with_an_empty_cell(cleaned):
    wrong = [(s, e.row) for s, e, a, _ in _outcomes(cleaned, "missing_value") if a is None or not pd.isna(a[e.column])]
    assert wrong == []


def test_impossible_values_are_quarantined_naming_the_column(cleaned):
    _quarantined_for(cleaned, "impossible_value", "IMPOSSIBLE_VALUE")


def test_numbers_with_thousands_separators_are_quarantined_as_unparseable(cleaned):
    _quarantined_for(cleaned, "unparseable_value", "UNPARSEABLE_VALUE")


def test_reformatted_village_codes_are_normalised_to_the_true_village(cleaned):
    truth = cleaned.truth_persons.set_index("id_number")["village_code"]
    wrong = [(s, e.row) for s, e, a, _ in _outcomes(cleaned, "region_format")
             if a is None or a["village_code"] != truth[e.true_key]]
    assert len(cleaned.log("region_format")) > 0 and wrong == []


def test_truncated_village_codes_are_quarantined_as_invalid_region(cleaned):
    _quarantined_for(cleaned, "invalid_region", "INVALID_REGION")


def test_exact_duplicate_rows_keep_the_first_and_quarantine_the_later(cleaned):
    wrong = []
    for source, entry, _, _ in _outcomes(cleaned, "duplicate_row"):
        first, later = sorted([entry.row, int(entry.related_row)])
        accepted, quarantined = cleaned.accepted(source), cleaned.quarantined(source)
        if first not in accepted.index or quarantined.loc[later, "reason"] != "DUPLICATE_ROW":
            wrong.append((source, entry.row))
    assert wrong == []


def test_conflicting_duplicates_are_both_quarantined(cleaned):
    wrong = []
    for source, entry, _, _ in _outcomes(cleaned, "conflicting_duplicate"):
        quarantined = cleaned.quarantined(source)
        for row in (entry.row, int(entry.related_row)):
            if row not in quarantined.index or quarantined.loc[row, "reason"] != "CONFLICTING_DUPLICATE":
                wrong.append((source, row))
    assert wrong == []


def _resolved(cleaned):
    return cleaned.persons.set_index("person")


def _stale_rows_with_register_row(cleaned, kind):
    """Logged stale census rows whose person still has an accepted 户政 row (the higher priority)."""
    log = cleaned.log(kind)
    registered = log["true_key"].isin(cleaned.accepted("household_registration")["id_number"])
    assert len(log) > 0 and registered.mean() > 0.9
    return log[registered]


def test_stale_census_village_loses_to_the_household_register(cleaned):
    persons = _resolved(cleaned)
    truth = cleaned.truth_persons.set_index("id_number")["village_code"]
    log = _stale_rows_with_register_row(cleaned, "stale_village")
    resolved = persons.loc[to_number(log["true_key"]), "village_code"].to_numpy()
    assert (resolved == truth.loc[log["true_key"]].to_numpy()).all()


def test_stale_census_household_loses_to_the_household_register(cleaned):
    persons = _resolved(cleaned)
    truth = cleaned.truth_persons.set_index("id_number")["household_key"]
    log = _stale_rows_with_register_row(cleaned, "stale_household")
    resolved = persons.loc[to_number(log["true_key"]), "household"].to_numpy()
    assert (resolved == to_number(truth.loc[log["true_key"]])).all()


@pytest.mark.parametrize("source, encoding", [
    ("census", "gb18030"), ("household_registration", "gbk"), ("bank", "utf-8-sig"), ("tax", "utf-8"),
])
def test_each_encoding_is_detected_and_chinese_names_survive(cleaned, source, encoding):
    item = cleaned.items[source]
    truth = cleaned.truth_persons.set_index("id_number")["name"]
    names = item.frame.set_index("id_number")["name"].dropna()
    assert item.encoding == encoding
    assert (names == truth.reindex(names.index)).all()
