"""成效分布图: the mean KPI attainment of each village's plans, on the tile map (no internet tiles)."""

import streamlit as st

from dashboard import ui

st.title(ui.t("effectiveness_map"))
cfg = ui.config()
with ui.shown_errors():
    villages = ui.data("known_villages", cfg.index, cfg.reports)
    table = ui.data("effectiveness_by_village", cfg.index, villages)
    ui.tile_map(table, "mean_attainment", ui.t("effectiveness_map"))
    ui.table(table, "effectiveness_by_village")
    st.caption(ui.t("village_map_note"))
