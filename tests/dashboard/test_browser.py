"""The running site in a real headless Chromium (Debian's, driven by Playwright for Python): every page visited
and its content asserted, the verify panel used on a real item, the household self-check with a real card,
screenshots saved (reports/screenshots/, or GOVCHAIN_SCREENSHOTS)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from govchain.config import PROJECT_ROOT
from govchain.localnode import free_port, stop_process

CHROMIUM = Path("/usr/bin/chromium")
READY = '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
VIEWPORT = {"width": 1400, "height": 1000}
SHOTS = Path(os.environ.get("GOVCHAIN_SCREENSHOTS", PROJECT_ROOT / "reports" / "screenshots"))


@pytest.fixture(scope="module")
def site_url(synced_index, county, network, tmp_path_factory):
    """``streamlit run dashboard/app.py`` on a free loopback port, stopped by PID afterwards."""
    port = free_port()
    env = dict(
        os.environ,
        PYTHONPATH=str(PROJECT_ROOT),
        GOVCHAIN_INDEX=str(synced_index),
        GOVCHAIN_REPORTS=str(county.reports),
        GOVCHAIN_RPC_URL=network.rpc_url,
        GOVCHAIN_CHAIN_ID=str(network.chain_id),
        GOVCHAIN_DEPLOYMENTS=str(network.deployments_path),
        GOVCHAIN_IPFS_API=county.ipfs_api,
    )
    log = open(tmp_path_factory.mktemp("site") / "streamlit.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "dashboard" / "app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{url}/_stcore/health", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert process.poll() is None, f"streamlit exited; see {log.name}"
            time.sleep(0.2)
        yield url
    finally:
        stop_process(process)
        log.close()


@pytest.fixture(scope="module")
def browser_page(site_url):
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed: `make setup` installs it (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.dialogs = dialogs  # a script from chain text would open one
        yield page
        browser.close()


def visit(page, url: str, name: str):
    page.goto(url)
    page.wait_for_selector(READY, timeout=30_000)
    page.wait_for_timeout(300)
    return page


def shot(page, name: str) -> None:
    """A full-page screenshot once the run finished and its tables and charts are painted."""
    page.wait_for_selector(READY, timeout=30_000)
    for element in page.locator('[data-testid="stDataFrame"], .js-plotly-plot').all():
        element.wait_for(state="visible", timeout=15_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


PAGES = [  # url path, title, what must be drawn
    ("overview", "政务链乡村振兴平台", '[data-testid="stMetric"]'),
    ("registrations", "建档立卡报表", ".js-plotly-plot"),
    ("newly_poor", "新增贫困报表", ".js-plotly-plot"),
    ("exits", "贫困退出报表", ".js-plotly-plot"),
    ("ranking", "脱贫地区排行", ".js-plotly-plot"),
    ("poverty_prone", "贫困多发分布", ".js-plotly-plot"),
    ("batches", "资格批次", '[data-testid="stDataFrame"]'),
    ("portraits", "乡村画像", ".js-plotly-plot"),
    ("root_causes", "根因分析", ".js-plotly-plot"),
    ("village_classes", "乡村分类", ".js-plotly-plot"),
    ("officials", "待办审批与异议", '[data-testid="stDataFrame"]'),
    ("plans", "扶持计划披露", '[data-testid="stDataFrame"]'),
    ("fund_use", "资金使用情况", ".js-plotly-plot"),
    ("material_use", "物资使用情况", ".js-plotly-plot"),
    ("effectiveness", "振兴项目成效", ".js-plotly-plot"),
    ("major_events", "重大事件披露", '[data-testid="stDataFrame"]'),
    ("support_share", "扶持类型占比", ".js-plotly-plot"),
    ("category_share", "项目类别占比", ".js-plotly-plot"),
    ("fund_map", "资金分布图", ".js-plotly-plot"),
    ("effectiveness_map", "成效分布图", ".js-plotly-plot"),
    ("assessments", "整体考核", '[data-testid="stDataFrame"]'),
]


@pytest.mark.parametrize("path, title, drawn", PAGES, ids=[p[0] for p in PAGES])
def test_each_page_renders_its_title_and_content_in_chromium(browser_page, site_url, path, title, drawn):
    page = visit(browser_page, f"{site_url}/{path}", path)
    page.get_by_role("heading", name=title).wait_for(timeout=15_000)
    page.wait_for_selector(drawn, timeout=15_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(page, path)
    assert page.dialogs == []


def test_overview_shows_the_registered_household_count(browser_page, site_url):
    page = visit(browser_page, f"{site_url}/overview", "overview")
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="已建档立卡户")
    assert metric.locator('[data-testid="stMetricValue"]').inner_text().strip() == "1"


def test_fund_use_iati_download_is_a_schema_valid_file_in_chromium(browser_page, site_url, county, tmp_path):
    from lxml import etree

    from dashboard import iati

    page = visit(browser_page, f"{site_url}/fund_use", "fund_use")
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="下载 IATI 2.03 XML（资金交易）").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    document = etree.parse(str(path))
    assert iati.schema_errors(document) == []
    plan = county.execution.plans["village_fund"]
    assert document.find(f"iati-activity[iati-identifier='{iati.Publisher.ref}-PLAN-{plan}']") is not None


def test_verify_panel_verifies_a_real_registration_in_chromium(browser_page, site_url, county):
    page = visit(browser_page, f"{site_url}/verify", "verify")
    field = page.get_by_label("交易哈希")
    field.fill(county.registered.txs["complete"])
    field.press("Enter")
    page.wait_for_selector(READY)
    page.get_by_role("button", name="核验", exact=True).click()
    page.get_by_text("核验通过：与链上及 IPFS 一致").wait_for(timeout=30_000)
    shot(page, "verify-result")


def test_self_check_with_a_real_card_shows_the_proof_verified_in_chromium(browser_page, site_url, county):
    page = visit(browser_page, f"{site_url}/self_check", "self_check")
    field = page.get_by_label("户卡编号（0x 开头 64 位十六进制）")
    field.fill("0x" + county.registered.household_id.hex())
    field.press("Enter")
    page.wait_for_selector(READY)
    page.get_by_role("button", name="查询", exact=True).click()
    page.get_by_text("资格证明已在链上验证").wait_for(timeout=30_000)
    assert "Registered" in page.locator('[data-testid="stMetric"]').inner_text()
    shot(page, "self-check-result")
    assert page.dialogs == []


def test_self_check_reads_a_photographed_card_qr_code_in_chromium(browser_page, site_url, county, tmp_path):
    from oracle.pseudonym import write_card_png

    card = write_card_png(tmp_path / "card.png", county.registered.household_id, county.registered.region)
    page = visit(browser_page, f"{site_url}/self_check", "self_check")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(card))
    page.get_by_text("card.png").wait_for(timeout=15_000)
    page.wait_for_selector(READY)
    page.get_by_role("button", name="查询", exact=True).click()
    page.get_by_text("资格证明已在链上验证").wait_for(timeout=30_000)
    assert page.get_by_text("0x" + county.registered.household_id.hex()).count() >= 1
    shot(page, "self-check-qr")


def test_a_verify_link_from_a_table_opens_the_panel_filled_in_chromium(browser_page, site_url, county):
    tx = county.objection_txs[0]
    page = visit(browser_page, f"{site_url}/verify?tx={tx}&log=0", "verify")
    assert page.get_by_label("交易哈希").input_value() == tx
    page.get_by_role("button", name="核验", exact=True).click()
    page.get_by_text("核验通过：与链上及 IPFS 一致").wait_for(timeout=30_000)
    shot(page, "verify-deep-link")
    # the evidence document, fetched from IPFS and its CID recomputed, shown as plain text
    assert "入户核查记录" in page.locator('[data-testid="stCode"]').inner_text()


def test_a_plan_is_verified_with_its_document_from_ipfs_in_chromium(browser_page, site_url, synced_index, county):
    from dashboard.queries_plans import plans

    plan = plans(synced_index).set_index("plan_id").loc[county.execution.plans["project"]]
    page = visit(browser_page, f"{site_url}/verify?tx={plan.tx_hash}&log={plan.log_index}", "verify")
    page.get_by_role("button", name="核验", exact=True).click()
    page.get_by_text("核验通过：与链上及 IPFS 一致").wait_for(timeout=30_000)
    shot(page, "verify-plan")
    assert '"plan": "demo project plan"' in page.locator('[data-testid="stCode"]').first.inner_text()


def test_the_assessment_page_shows_its_kpi_table_checked_in_chromium(browser_page, site_url):
    page = visit(browser_page, f"{site_url}/assessments", "assessments")
    page.get_by_text("结果文件的 CID 与链上默克尔根均已核验").wait_for(timeout=30_000)
    assert page.locator('[data-testid="stDataFrame"]').count() == 2
    shot(page, "assessment-kpis")
