"""整体考核: assessments committed by the assessors (period, root, agreement, documents) and, for the one
picked, its KPI table from the results document on IPFS with the CID and the root recomputed."""

import streamlit as st

from dashboard import ui
from dashboard.safety import markdown_text

st.title(ui.t("assessments"))
cfg = ui.config()
with ui.shown_errors():
    table = ui.data("assessments", cfg.index)
    ui.table(table, "assessments")
    if len(table):
        picked = st.selectbox(ui.t("pick_assessment"), list(table.assessment_id), key="assessment")
        rows, status = ui.data("assessment_kpis", cfg.index, cfg.ipfs_api, picked)
        st.subheader(ui.t("kpi_table"))
        if status["cid_ok"] and status["root_ok"]:
            st.success(f"{ui.t('results_verified')}: " + markdown_text(status["detail"]))
        else:
            st.warning(f"{ui.t('results_unverified')}: " + markdown_text(status["detail"]))
        ui.table(rows, "assessment_kpis")
