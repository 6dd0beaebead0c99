"""贫困多发分布: the share of poor and at-risk households per village on the tile map."""

import streamlit as st

from dashboard import ui

st.title(ui.t("poverty_prone"))
cfg = ui.config()
with ui.shown_errors():
    table = ui.data("poverty_prone", cfg.reports)
    ui.tile_map(table, "poor_or_at_risk_rate", ui.t("poverty_prone"))
    ui.table(table, "poverty_prone_areas")
    st.caption(ui.t("suppressed_note"))
