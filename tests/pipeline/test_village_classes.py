"""乡村分类 (data_pipeline/village_classes.py): each rule on hand-made villages at and beyond its threshold, the
indicators computed from hand-made households and persons, the designation list, and the report of a run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data_pipeline import village_classes as vc
from data_pipeline.run import run

T = vc.Thresholds()
V1, V2, V3 = 532326001001, 532326001002, 532326002001
# A village that no rule picks out: large, young enough, farming, no disasters, no designation.
ORDINARY = {"households": 300, "persons": 1000, "elderly_share": 0.2, "children_per_elderly": 1.0,
            "non_farm_income_share": 0.5, "disaster_household_share": 0.0}


def village(region: int = V1, **changes) -> pd.DataFrame:
    return pd.DataFrame([{"region": region, **ORDINARY, **changes}])


def decided(frame: pd.DataFrame, designations: pd.DataFrame | None = None) -> tuple[str, str]:
    row = vc.classify(frame, designations).iloc[0]
    return row["village_class"], row["rule"]


def designations(region: int = V1, traditional: bool = False, hazard: bool = False,
                 distance: float = np.nan) -> pd.DataFrame:
    return pd.DataFrame({"region": [region], "traditional_village": [traditional], "hazard_zone": [hazard],
                         "distance_to_county_km": [distance]})


# ---------------------------------------------------------------------------------------------- rules


def test_an_ordinary_village_is_agglomeration_by_default():
    assert decided(village()) == ("agglomeration", "default")


def test_a_traditional_village_is_characteristic_protection():
    assert decided(village(), designations(traditional=True)) == ("characteristic", "traditional_village")


def test_a_traditional_village_in_a_hazard_zone_is_still_protected():
    assert decided(village(), designations(traditional=True, hazard=True))[0] == "characteristic"


def test_a_village_in_a_hazard_zone_is_relocation():
    assert decided(village(), designations(hazard=True)) == ("relocation", "hazard_zone")


def test_disaster_share_at_the_threshold_is_relocation():
    assert decided(village(disaster_household_share=T.disaster_household_share)) == (
        "relocation",
        "disaster_households",
    )


def test_disaster_share_just_below_the_threshold_is_not_relocation():
    assert decided(village(disaster_household_share=T.disaster_household_share - 0.0001))[0] == "agglomeration"


LOSS = {"persons": T.small_village_persons - 1, "elderly_share": T.hollow_elderly_share,
        "children_per_elderly": T.shrinking_children_per_elderly - 0.01}


def test_small_old_and_shrinking_village_is_relocation_for_population_loss():
    assert decided(village(**LOSS)) == ("relocation", "population_loss")


@pytest.mark.parametrize("indicator, value", [
    ("persons", T.small_village_persons),  # not small: at the size threshold
    ("elderly_share", T.hollow_elderly_share - 0.0001),  # not old enough
    ("children_per_elderly", T.shrinking_children_per_elderly),  # enough children: at the trend threshold
])
def test_population_loss_needs_all_three_signs(indicator, value):
    assert decided(village(**{**LOSS, indicator: value}))[0] == "agglomeration"


def test_a_village_with_no_elderly_is_not_shrinking():
    frame = vc.indicators(*tiny_county(ages=[30, 5, 40]))
    assert frame.loc[0, "children_per_elderly"] == np.inf
    assert decided(frame.assign(persons=10, elderly_share=0.5))[0] == "agglomeration"


def test_distance_at_the_threshold_is_suburban():
    assert decided(village(), designations(distance=T.suburban_distance_km)) == ("suburban", "near_county_seat")


def test_distance_beyond_the_threshold_is_not_suburban_even_with_non_farm_income():
    frame = village(non_farm_income_share=1.0)
    assert decided(frame, designations(distance=T.suburban_distance_km + 0.1))[0] == "agglomeration"


def test_without_a_distance_a_non_farm_share_at_the_threshold_is_suburban():
    assert decided(village(non_farm_income_share=T.suburban_non_farm_share)) == ("suburban", "non_farm_income")


def test_without_a_distance_a_non_farm_share_below_the_threshold_is_not_suburban():
    assert decided(village(non_farm_income_share=T.suburban_non_farm_share - 0.0001))[0] == "agglomeration"


def test_relocation_comes_before_suburban():
    frame = village(disaster_household_share=0.5)
    assert decided(frame, designations(distance=1.0)) == ("relocation", "disaster_households")


def test_a_village_missing_from_the_designation_list_is_judged_on_its_indicators():
    frame = pd.concat([village(V1), village(V2, non_farm_income_share=0.95)], ignore_index=True)
    out = vc.classify(frame, designations(V1, traditional=True))
    assert list(out["village_class"]) == ["characteristic", "suburban"]


def test_report_carries_labels_township_and_county():
    row = vc.classify(village(V3)).iloc[0]
    assert (row["class_label"], row["township"], row["county"]) == ("集聚提升", 532326002000, 532326000000)
    assert list(vc.classify(village(V3)).columns) == vc.COLUMNS


# ---------------------------------------------------------------------------------------------- indicators


def tiny_county(ages: list[int], wage: float = 1000.0, farm: float = 1000.0, loss: float = 0.0, income: float = 10_000.0
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One household of V1 holding persons of ``ages``."""
    households = pd.DataFrame({"household": [1], "region": [V1], "members": [len(ages)], "wage": [wage],
                               "business": [0.0], "farm_income": [farm], "income": [income], "disaster_loss": [loss]})
    persons = pd.DataFrame({"household": [1] * len(ages), "age": ages})
    return households, persons


def test_elderly_share_counts_persons_of_sixty_and_over():
    frame = vc.indicators(*tiny_county(ages=[59, 60, 70, 30]))
    assert frame.loc[0, "elderly_share"] == 0.5


def test_children_per_elderly_counts_persons_under_fifteen():
    frame = vc.indicators(*tiny_county(ages=[14, 15, 60, 61]))
    assert frame.loc[0, "children_per_elderly"] == 0.5


def test_non_farm_share_counts_farm_losses_as_zero():
    assert vc.indicators(*tiny_county([30], wage=3000.0, farm=1000.0)).loc[0, "non_farm_income_share"] == 0.75
    assert vc.indicators(*tiny_county([30], wage=3000.0, farm=-500.0)).loc[0, "non_farm_income_share"] == 1.0


def test_a_disaster_loss_of_thirty_percent_of_income_counts_the_household():
    assert vc.indicators(*tiny_county([30], loss=3000.0, income=10_000.0)).loc[0, "disaster_household_share"] == 1.0
    assert vc.indicators(*tiny_county([30], loss=2999.0, income=10_000.0)).loc[0, "disaster_household_share"] == 0.0


def test_indicators_sum_households_and_persons_per_village():
    households = pd.DataFrame({"household": [1, 2, 3], "region": [V1, V1, V2], "members": [2, 3, 1],
                               "wage": [0.0] * 3, "business": [0.0] * 3, "farm_income": [1.0] * 3,
                               "income": [1.0] * 3, "disaster_loss": [0.0] * 3})
    persons = pd.DataFrame({"household": [1, 1, 2, 2, 2, 3], "age": [70, 10, 30, 30, 65, 80]})
    frame = vc.indicators(households, persons).set_index("region")
    assert frame.loc[V1, ["households", "persons"]].tolist() == [2, 5]
    assert frame.loc[V1, "elderly_share"] == 0.4 and frame.loc[V2, "elderly_share"] == 1.0


# ---------------------------------------------------------------------------------------------- the designation list


def write_list(folder, text: str):
    (folder / vc.DESIGNATIONS_FILE).write_text(text, encoding="utf-8")
    return folder


def test_no_designation_list_reads_as_none(tmp_path):
    assert vc.read_designations(tmp_path) is None


def test_designation_list_is_read_with_codes_normalised(tmp_path):
    frame = vc.read_designations(write_list(tmp_path, f"region,traditional_village,hazard_zone,distance_to_county_km\n"
                                                      f" {V1}.0 ,1,0,\n{V2},0,1,3.5\n"))
    assert frame.to_dict("list") == {
        "region": [V1, V2],
        "traditional_village": [True, False],
        "hazard_zone": [False, True],
        "distance_to_county_km": [pytest.approx(np.nan, nan_ok=True), 3.5],
    }


@pytest.mark.parametrize("text, problem", [
    ("region,hazard_zone\n532326001001,0\n", "column traditional_village is missing"),
    ("region,traditional_village,hazard_zone\n5323260010,0,0\n", "row 1: region '5323260010' is not a village code"),
    (f"region,traditional_village,hazard_zone\n{V1},yes,0\n", "row 1: traditional_village must be 0 or 1, not 'yes'"),
    (f"region,traditional_village,hazard_zone,distance_to_county_km\n{V1},0,0,1\n{V2},0,0,-2\n",
     "row 2: distance_to_county_km must be a number of km"),
    (f"region,traditional_village,hazard_zone\n{V1},0,0\n{V1},1,0\n", f"village {V1} is listed twice"),
])
def test_a_bad_designation_list_stops_with_the_row_and_column(tmp_path, text, problem):
    with pytest.raises(vc.DesignationsError, match=problem.replace("(", r"\(")):
        vc.read_designations(write_list(tmp_path, text))


# ---------------------------------------------------------------------------------------------- a run


def test_a_run_classifies_every_village_of_the_synthetic_county_into_all_four_classes(county_run):
    report = pd.read_parquet(county_run / "reports" / "village_classes.parquet")
    portraits = pd.read_parquet(county_run / "reports" / "village_portraits.parquet")
    assert report.set_index("region")["households"].to_dict() == portraits.set_index("region")["households"].to_dict()
    # data_pipeline/synth/planning.py: the seat's township near, a hazard zone there, a traditional village last.
    assert sorted(report["village_class"]) == sorted(vc.CLASSES)


def test_a_run_without_a_designation_list_judges_on_indicators_alone(delivery, tmp_path):
    (delivery / vc.DESIGNATIONS_FILE).unlink()
    run(delivery, tmp_path / "out", show=False)
    report = pd.read_parquet(tmp_path / "out" / "reports" / "village_classes.parquet")
    assert not report["traditional_village"].any() and report["distance_to_county_km"].isna().all()
    # The synthetic villages are alike (about 80 % non-farm income, few disasters): all agglomeration.
    assert set(report["rule"]) == {"default"}


def test_a_run_reads_the_county_designation_list_beside_the_sources(delivery, county_run, tmp_path):
    sources = delivery
    first, second = pd.read_parquet(county_run / "reports" / "village_portraits.parquet")["region"].iloc[:2]
    write_list(sources, f"region,traditional_village,hazard_zone,distance_to_county_km\n{first},1,0,\n{second},0,0,2\n")
    run(sources, tmp_path / "out", show=False)
    report = pd.read_parquet(tmp_path / "out" / "reports" / "village_classes.parquet").set_index("region")
    assert report.loc[first, ["village_class", "rule"]].tolist() == ["characteristic", "traditional_village"]
    assert report.loc[second, ["village_class", "rule"]].tolist() == ["suburban", "near_county_seat"]


def test_a_bad_designation_list_stops_the_run_before_any_output(delivery, tmp_path):
    sources = delivery
    write_list(sources, "region,traditional_village,hazard_zone\n1,0,0\n")
    with pytest.raises(vc.DesignationsError):
        run(sources, tmp_path / "out", show=False)
    assert not (tmp_path / "out" / "results.parquet").exists()
