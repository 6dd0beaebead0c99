"""For officials (public data only): pending approvals by level and region, overdue and escalated procedures,
open objections, open supervision cases (freezes and flags) and follow-up visits overdue."""

import time

import streamlit as st

from dashboard import ui

st.title(ui.t("officials"))
cfg = ui.config()
with ui.shown_errors():
    _, chain_time = ui.data("latest_block", cfg.index)
    now = max(int(time.time()), chain_time)  # a local chain's clock may run ahead of the wall clock
    st.subheader(ui.t("pending_by_level"))
    ui.table(ui.data("pending_by_level", cfg.index, now // 60 * 60), "pending_by_level")
    pending = ui.data("pending_approvals", cfg.index, now // 60 * 60)
    ui.table(pending, "pending_approvals")
    st.subheader(ui.t("overdue"))
    ui.table(pending[pending.overdue | pending.escalated], "overdue")
    st.subheader(ui.t("objections"))
    ui.table(ui.data("open_objections", cfg.index), "open_objections")
    st.subheader(ui.t("open_cases"))
    ui.table(ui.data("open_cases", cfg.index), "open_cases")
    st.subheader(ui.t("overdue_visits"))
    ui.table(ui.data("overdue_visits", cfg.index, now // 60 * 60), "overdue_visits")
