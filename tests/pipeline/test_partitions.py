"""County partitions: two counties processed apart give the same results as processed together."""

import pandas as pd
import pytest

from data_pipeline.outputs import REPORTS, load_results, read_as_of
from data_pipeline.run import run
from data_pipeline.synth.generate import generate


@pytest.fixture(scope="module")
def two_counties(tmp_path_factory):
    folder = tmp_path_factory.mktemp("province")
    generate(folder, 3000, 21, counties=2)
    together = tmp_path_factory.mktemp("together")
    run(folder, together, jobs=2, show=False)
    apart = []
    for county in ("532326", "532327"):
        out = tmp_path_factory.mktemp(f"apart{county}")
        run(folder / county, out, show=False)
        apart.append(out)
    return together, apart


def test_two_counties_apart_give_the_same_results_as_together(two_counties):
    together, apart = two_counties
    joined = pd.concat([load_results(a) for a in apart]).sort_values(["region", "household_key"], ignore_index=True)
    pd.testing.assert_frame_equal(load_results(together), joined)


def test_a_province_run_carries_the_as_of_time_of_its_extract(two_counties):
    together, apart = two_counties
    assert read_as_of(together) is not None
    assert read_as_of(together) == read_as_of(together / "partitions" / "532326")


@pytest.mark.parametrize("report", REPORTS)
def test_two_counties_apart_give_the_same_reports_as_together(two_counties, report):
    together, apart = two_counties
    joined = pd.concat([pd.read_parquet(a / "reports" / f"{report}.parquet") for a in apart], ignore_index=True)
    pd.testing.assert_frame_equal(pd.read_parquet(together / "reports" / f"{report}.parquet"), joined)


def test_the_ledger_of_a_province_run_names_each_county_file(two_counties):
    import json

    together, _ = two_counties
    files = json.loads((together / "ledger.json").read_text(encoding="utf-8"))["files"]
    assert "532326/census.csv" in files and "532327/census.csv" in files and len(files) == 20


def test_a_household_registered_in_two_counties_fails_the_province_run_with_a_listing(county, tmp_path):
    import shutil

    from data_pipeline.errors import CrossCountyDuplicateError

    province = tmp_path / "province"
    for code in ("532326", "532399"):  # the same extract delivered twice, as two counties
        shutil.copytree(county, province / code, ignore=shutil.ignore_patterns("ground_truth"))
    with pytest.raises(CrossCountyDuplicateError, match=r"registered in more than one county \(532326, 532399\)"):
        run(province, tmp_path / "out", show=False)
    listing = pd.read_parquet(tmp_path / "out" / "cross_county_duplicates.parquet")
    assert set(listing["partition"]) == {"532326", "532399"}


def test_the_generator_gives_no_id_number_already_taken_by_another_county():
    import numpy as np

    from data_pipeline.synth.population import _unique_ids

    # 250 women born the same day in the same place, with 200 of the 500 sequence numbers already taken.
    base = 532326 * 10**11 + 19900101 * 1000
    taken = base + np.arange(0, 400, 2)
    ids = _unique_ids(np.random.default_rng(1), np.full(250, 532326), pd.DatetimeIndex(["1990-01-01"] * 250),
                      np.zeros(250, dtype=bool), taken)
    bodies = pd.Series(ids).str.slice(0, 17).astype("int64")
    assert bodies.is_unique and not bodies.isin(taken).any()
