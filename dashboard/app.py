"""The disclosure site's entry point: only the navigation and the language switch.

The pages live in views/: a folder named pages/ beside this file would also be picked up by Streamlit's older
automatic page discovery, which bypasses this navigation when a page's URL is opened directly.
"""

import sys
from pathlib import Path

import streamlit as st

# `streamlit run dashboard/app.py` puts only dashboard/ on sys.path; the site imports the project's packages.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The charting library's import (plotly.express with PIL and narwhals, ~0.3 s) is paid once when the site starts,
# not by the first visitor of a page with a chart.
import plotly.express  # noqa: E402,F401

from dashboard.i18n import LANGUAGES, label

st.set_page_config(page_title="政务链乡村振兴平台", layout="wide")
language = st.sidebar.radio(label("language", st.session_state.get("language", LANGUAGES[0])), LANGUAGES,
                            key="language", horizontal=True)


def page(file: str, key: str, url: str, default: bool = False) -> st.Page:
    return st.Page(f"views/{file}", title=label(key, language), url_path=url, default=default)


navigation = st.navigation({
    label("section_overview", language): [page("overview.py", "overview", "overview", default=True)],
    label("section_reports", language): [
        page("registrations.py", "registrations", "registrations"),
        page("newly_poor.py", "newly_poor", "newly_poor"),
        page("exits.py", "exits", "exits"),
        page("ranking.py", "ranking", "ranking"),
        page("poverty_prone.py", "poverty_prone", "poverty_prone"),
        page("effectiveness_map.py", "effectiveness_map", "effectiveness_map"),
        page("support_share.py", "support_share", "support_share"),
        page("category_share.py", "category_share", "category_share"),
        page("fund_map.py", "fund_map", "fund_map"),
    ],
    label("section_disclosure", language): [
        page("plans.py", "plans", "plans"),
        page("fund_use.py", "fund_use", "fund_use"),
        page("material_use.py", "material_use", "material_use"),
        page("effectiveness.py", "effectiveness", "effectiveness"),
        page("major_events.py", "major_events", "major_events"),
        page("batches.py", "batches", "batches"),
    ],
    label("section_analysis", language): [
        page("portraits.py", "portraits", "portraits"),
        page("root_causes.py", "root_causes", "root_causes"),
        page("village_classes.py", "village_classes", "village_classes"),
        page("assessments.py", "assessments", "assessments"),
    ],
    label("section_check", language): [
        page("self_check.py", "self_check", "self_check"),
        page("verify.py", "verify", "verify"),
    ],
    label("section_officials", language): [page("officials.py", "officials", "officials")],
})
navigation.run()
