"""乡村分类 page (dashboard/views/village_classes.py) in AppTest, over the report of a real pipeline run on a small
synthetic county whose designation list puts one village in each special class. The page reads only the
pipeline's reports, so no chain is needed here."""

from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import queries
from data_pipeline.run import run
from data_pipeline.synth.generate import generate
from data_pipeline.village_classes import DESIGNATIONS_FILE
from govchain.config import PROJECT_ROOT

APP = str(PROJECT_ROOT / "dashboard" / "app.py")
PAGE = "views/village_classes.py"


@pytest.fixture(scope="module")
def classified(tmp_path_factory):
    """(reports folder, {village: expected class}): four villages, three of them designated."""
    sources = generate(tmp_path_factory.mktemp("county"), 4000, 11)
    plain = tmp_path_factory.mktemp("plain")
    run(sources, plain, show=False)  # to learn the villages' codes
    villages = sorted(int(v) for v in pd.read_parquet(plain / "reports" / "village_portraits.parquet")["region"])
    assert len(villages) == 4
    (sources / DESIGNATIONS_FILE).write_text(
        "region,traditional_village,hazard_zone,distance_to_county_km\n"
        f"{villages[0]},1,0,\n{villages[1]},0,1,\n{villages[2]},0,0,3.0\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("run")
    run(sources, out, show=False)
    expected = dict(zip(villages, ["characteristic", "relocation", "suburban", "agglomeration"]))
    return out / "reports", expected


@pytest.fixture
def page(monkeypatch, classified, tmp_path):
    import streamlit as st

    monkeypatch.setenv("GOVCHAIN_REPORTS", str(classified[0]))
    monkeypatch.setenv("GOVCHAIN_INDEX", str(tmp_path / "no-index.sqlite"))  # this page reads no chain data
    # The site's configuration and data are cached per process (st.cache_resource, st.cache_data): start from
    # none, and leave none behind for the next test's environment.
    st.cache_resource.clear()
    st.cache_data.clear()

    def open_page(language: str | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60).run()
        if language:
            at.sidebar.radio[0].set_value(language).run()
        at.switch_page(PAGE).run()
        assert not at.exception, at.exception
        return at

    yield open_page
    st.cache_resource.clear()
    st.cache_data.clear()


def _plain(value):
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).tolist()
    return value


def charts(at: AppTest) -> list[list[dict]]:
    return [[{k: _plain(v) for k, v in trace.items()} for trace in json.loads(c.proto.spec)["data"]]
            for c in at.get("plotly_chart")]


def test_page_is_listed_under_analysis(page):
    at = page()
    assert at.title[0].value == "乡村分类"


def test_page_counts_one_village_per_special_class(page):
    at = page()
    assert {m.label: m.value for m in at.metric} == {"集聚提升": "1", "城郊融合": "1", "特色保护": "1", "搬迁撤并": "1"}


def test_bar_chart_has_the_villages_per_class(page):
    (bar,), _ = charts(page())
    assert dict(zip(bar["x"], bar["y"])) == {"集聚提升": 1, "城郊融合": 1, "特色保护": 1, "搬迁撤并": 1}


def test_map_colours_each_village_by_its_class(page, classified):
    _, expected = classified
    _, tiles = charts(page())
    shown = {}
    for trace in tiles:
        assert trace["marker"]["symbol"] == "square"
        for text in trace["text"]:
            shown[text] = trace["name"]
    names = {
        "agglomeration": "集聚提升",
        "suburban": "城郊融合",
        "characteristic": "特色保护",
        "relocation": "搬迁撤并",
    }
    assert shown == {str(v)[-6:]: names[c] for v, c in expected.items()}
    assert len({t["marker"]["color"] for t in tiles}) == 4


def test_table_lists_each_village_with_its_class_and_rule(page, classified):
    _, expected = classified
    table = page().dataframe[0].value.set_index("region")
    assert table["village_class"].to_dict() == {v: {"agglomeration": "集聚提升", "suburban": "城郊融合",
                                                    "characteristic": "特色保护", "relocation": "搬迁撤并"}[c]
                                                for v, c in expected.items()}
    assert table["rule"].tolist() == ["列入传统村落名录", "位于灾害隐患区", "邻近县城", "其余村庄"]


def test_table_shows_the_pipeline_indicators(page, classified):
    reports, _ = classified
    report = pd.read_parquet(reports / "village_classes.parquet").set_index("region")
    table = page().dataframe[0].value.set_index("region")
    assert table["households"].tolist() == report["households"].tolist()
    assert table["elderly_share"].astype(float).tolist() == report["elderly_share"].tolist()


def test_english_switch_names_the_classes_in_english(page):
    at = page("English")
    assert at.title[0].value == "Village classification"
    assert sorted(m.label for m in at.metric) == sorted(["Agglomeration & upgrading", "Suburban integration",
                                                          "Characteristic protection", "Relocation & merger"])


def test_small_villages_have_their_shares_suppressed(tmp_path):
    report = pd.DataFrame({"county": [532326000000] * 2, "township": [532326001000] * 2,
                           "region": [532326001001, 532326001002], "households": [4, 5], "persons": [9, 12],
                           "elderly_share": [0.5, 0.25], "children_per_elderly": [float("inf"), 1.0],
                           "non_farm_income_share": [0.3, 0.4], "disaster_household_share": [0.0, 0.2],
                           "traditional_village": [False, False], "hazard_zone": [False, False],
                           "distance_to_county_km": [float("nan")] * 2, "village_class": ["agglomeration"] * 2,
                           "class_label": ["集聚提升"] * 2, "rule": ["default"] * 2})
    report.to_parquet(tmp_path / "village_classes.parquet", index=False)
    table = queries.village_classes(tmp_path).set_index("region")
    assert table.loc[532326001001, ["elderly_share", "non_farm_income_share"]].tolist() == ["<5", "<5"]
    assert table.loc[532326001002, "elderly_share"] == 0.25


def test_counts_list_every_class_even_when_empty(tmp_path):
    pd.DataFrame({"region": [1], "households": [3], "persons": [7], "village_class": ["suburban"]}).to_parquet(
        tmp_path / "village_classes.parquet", index=False)
    counts = queries.village_class_counts(tmp_path)
    assert counts.set_index("village_class")["villages"].to_dict() == {"agglomeration": 0, "suburban": 1,
                                                                       "characteristic": 0, "relocation": 0}
