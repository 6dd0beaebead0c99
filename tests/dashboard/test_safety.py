"""Hostile strings from the chain or IPFS: shown inert, exported formula-safe."""

from __future__ import annotations

import csv
import io

import pandas as pd

from dashboard.safety import csv_bytes, html_escape, inert, markdown_text

HOSTILE = {
    "script": '<script>alert("x")</script>',
    "formula": '=HYPERLINK("http://evil","click")',
    "plus": "+1+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "minus": "-2+3",
    "tab": "\t=1+1",
    "bell": "ok\x07\x1b[31m",
    "rtl": "invoice\u202egnp.exe",
    "zero_width": "a\u200bb\ufeff",
}


def _read_back(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_control_and_bidirectional_characters_become_visible_escapes():
    assert inert(HOSTILE["rtl"]) == "invoice\\u202egnp.exe"
    assert inert(HOSTILE["bell"]) == "ok\\x07\\x1b[31m"
    assert inert(HOSTILE["zero_width"]) == "a\\u200bb\\ufeff"


def test_chinese_text_and_plain_cids_pass_unchanged():
    text = "入户核查记录 bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"
    assert inert(text) == text


def test_markup_is_escaped_where_html_is_rendered():
    assert html_escape(HOSTILE["script"]) == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def test_every_formula_trigger_is_neutralised_in_the_csv_export():
    frame = pd.DataFrame({"value": list(HOSTILE.values()), "count": range(len(HOSTILE))})
    rows = _read_back(csv_bytes(frame))
    for row in rows:
        assert not row["value"].startswith(("=", "+", "-", "@", "\t", "\r")), row["value"]
    by_name = dict(zip(HOSTILE, rows))
    assert by_name["formula"]["value"] == "'" + HOSTILE["formula"]
    assert by_name["tab"]["value"] == "\\x09=1+1"  # the tab is shown as an escape, so nothing leads
    assert [r["count"] for r in rows] == [str(i) for i in range(len(HOSTILE))]  # numbers stay numbers


def test_a_hostile_column_name_is_neutralised_too():
    rows = _read_back(csv_bytes(pd.DataFrame({"=cmd()": [1]})))
    assert list(rows[0]) == ["'=cmd()"]


def test_markdown_bodies_get_no_link_image_or_markup_from_chain_text():
    escaped = markdown_text("![x](http://evil) [a](javascript:alert(1)) <b>hi</b>")
    assert escaped == "\\!\\[x\\]\\(http\\://evil\\) \\[a\\]\\(javascript\\:alert\\(1\\)\\) \\<b\\>hi\\</b\\>"


def test_hostile_disclosure_and_plan_cids_are_exported_formula_safe(synced_index):
    from dashboard.queries_oversight import disclosures
    from dashboard.queries_plans import plans

    for table in (disclosures(synced_index), plans(synced_index)):
        exported = csv_bytes(table).decode("utf-8-sig")
        assert "\u202e" not in exported and "\x07" not in exported
        assert '"\'=HYPERLINK(""http://evil""' in exported
