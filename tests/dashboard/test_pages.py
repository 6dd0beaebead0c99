"""Every page in AppTest over an index built by really syncing the test county's chain: each asserts content
(figures, table rows, chart data) against what the scenario did on chain and what the pipeline reported."""

from __future__ import annotations

import pandas as pd

from tests.dashboard.apptest import chart_data, frames, metrics


def test_overview_shows_the_households_registered_pending_and_in_notice(site, county):
    at = site()
    figures = metrics(at)
    assert figures["已建档立卡户"] == "1"
    assert figures["待审批程序"] == "1"
    assert figures["公示中"] == "1"
    assert figures["未处理异议"] == "2"
    assert figures["已生效资格批次"] == "1"
    portraits = pd.read_parquet(county.reports / "village_portraits.parquet")
    assert figures["数据中心户数"] == f"{int(portraits.households.sum()):,}"
    (events,) = frames(at)
    assert county.registered.txs["complete"] in set(events.tx_hash)


def test_the_english_switch_relabels_the_overview(site):
    at = site()
    at.sidebar.radio(key="language").set_value("English").run()
    assert metrics(at)["Registered households"] == "1"


def test_registrations_page_counts_procedures_by_village_and_stage(site, county):
    at = site("registrations.py")
    by_region, statuses = frames(at)
    row = by_region.set_index("region")
    assert row.loc[county.registered.region, "registered_on_chain"] >= 1
    assert row["filed_on_chain"].sum() == 3
    assert row["pending"].sum() == 1 and row["in_notice"].sum() == 1 and row["completed"].sum() == 1
    assert list(statuses.household_id) == ["0x" + county.registered.household_id.hex()]
    stages = {trace["name"] for trace in chart_data(at)}
    assert stages == {"pending", "in_notice", "completed"}


def test_newly_poor_report_puts_the_models_admissions_beside_the_chain(site, county):
    at = site("newly_poor.py")
    (table,) = frames(at)
    assert table.admitted.sum() == county.admitted
    assert table.filed_on_chain.sum() == 3 and table.registered_on_chain.sum() == 1
    traces = {trace["name"]: trace["y"] for trace in chart_data(at)}
    assert sum(traces["admitted"]) == county.admitted


def test_exits_report_lists_every_village_with_its_exits(site, county):
    at = site("exits.py")
    (table,) = frames(at)
    report = pd.read_parquet(county.reports / "exits.parquet")
    assert sorted(table.region) == sorted(report.region)
    assert table.exited_on_chain.sum() == 0


def test_ranking_ranks_every_township(site, county):
    at = site("ranking.py")
    (table,) = frames(at)
    townships = {v // 1000 * 1000 for v in county.villages}
    assert sorted(table.area) == sorted(townships)
    assert list(table["rank"]) == list(range(1, len(townships) + 1))


def test_poverty_prone_map_has_a_tile_per_village_without_internet_tiles(site, county):
    at = site("poverty_prone.py")
    (trace,) = chart_data(at)
    assert trace["type"] == "scatter" and trace["marker"]["symbol"] == "square"
    assert len(trace["x"]) == len(county.villages)
    (table,) = frames(at)
    assert sorted(table.region) == sorted(county.villages)


def test_batches_page_shows_the_committed_batch_with_its_manifest(site, county):
    at = site("batches.py")
    (table,) = frames(at)
    (batch,) = table.itertuples()
    assert batch.batch_id == "0x" + county.batch_id.hex()
    assert batch.manifest_cid == county.manifest_cid
    assert batch.leaf_count == county.leaf_count and batch.final and batch.votes == 1


def test_portraits_suppress_small_counts(site, county):
    at = site("portraits.py")
    (table,) = frames(at)
    raw = pd.read_parquet(county.reports / "village_portraits.parquet").set_index("region")
    shown = table.set_index("region")
    expected = [("<5" if 0 < n < 5 else str(n)) for n in raw.loc[shown.index, "admitted"]]
    assert list(shown["admitted"]) == expected
    assert "<5" in expected  # the county has small villages: the rule is exercised


def test_root_causes_chart_and_table_agree_with_the_report(site, county):
    at = site("root_causes.py")
    totals, per_village = frames(at)
    report = pd.read_parquet(county.reports / "root_causes.parquet")
    big = report.groupby("cause_label").households.sum()
    big = big[big >= 5]
    (pie,) = chart_data(at)
    assert dict(zip(pie["labels"], pie["values"])) == big.to_dict()
    assert len(per_village) == len(report)


def test_officials_page_lists_the_pending_procedure_at_the_village_leader(site, county):
    at = site("officials.py")
    by_level, pending, overdue, objections = frames(at)[:4]
    (row,) = pending.itertuples()
    assert row.subject == str(county.pending.subject) and row.level == 0 and row.role == "LEADER"
    assert row.level_region == county.pending.region
    assert by_level.pending.sum() == 1
    assert len(objections) == 2


def test_self_check_with_a_real_card_shows_the_status_and_a_verified_proof(site, county):
    at = site("self_check.py")
    at.text_input(key="card").input("govchain-household:0x" + county.registered.household_id.hex())
    at.button(key="check").click().run()
    assert not at.exception
    assert metrics(at)["当前状态"] == "Registered"
    assert "资格证明已在链上验证" in at.success[0].value
    history = frames(at)[0]
    assert {"RegistrationFiled", "ApprovalTransition", "NoticeStarted", "HouseholdRegistered"} <= set(history.event)


def test_verify_page_verifies_a_real_item(site, county):
    at = site("verify.py")
    at.text_input(key="tx").input(county.registered.txs["complete"])
    at.button(key="run_verify").click().run()
    assert not at.exception
    assert at.success[0].value == "核验通过：与链上及 IPFS 一致"
    (checks,) = frames(at)
    assert checks.ok.all() and "arguments" in set(checks.check)


def test_a_hostile_objection_cid_is_shown_inert_and_exported_formula_safe(site, county, synced_index):
    from dashboard import queries
    from dashboard.safety import csv_bytes

    at = site("officials.py")
    objections = frames(at)[3]
    shown = [cid for cid in objections.evidence_cid if "script" in cid]
    assert shown == ['=HYPERLINK("http://evil","x")<script>alert("x")</script><b>bold</b>\\x07\\u202egnp.exe']
    exported = csv_bytes(queries.open_objections(synced_index)).decode("utf-8-sig")
    assert "\u202e" not in exported and "\x07" not in exported
    assert '"\'=HYPERLINK(""http://evil""' in exported  # quoted by csv, led by an apostrophe


def test_ranking_by_village_ranks_every_village(site, county):
    at = site("ranking.py")
    at.radio(key="ranking_level").set_value("village").run()
    (table,) = frames(at)
    assert sorted(table.area) == sorted(county.villages)
