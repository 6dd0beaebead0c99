"""扶持计划披露: every support plan with its version, region, type, category, budget, status, milestones and
document (each row verifiable), and the milestones of the version shown."""

import streamlit as st

from dashboard import ui

st.title(ui.t("plans"))
cfg = ui.config()
with ui.shown_errors():
    table = ui.data("plans", cfg.index)
    ui.table(table, "plans")
    st.subheader(ui.t("milestones"))
    ui.table(ui.data("plan_milestones", cfg.index), "plan_milestones")
