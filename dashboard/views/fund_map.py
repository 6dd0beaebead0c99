"""资金分布图: what each village's plans were paid, on the tile map (no internet tiles)."""

import streamlit as st

from dashboard import ui

st.title(ui.t("fund_map"))
cfg = ui.config()
with ui.shown_errors():
    villages = ui.data("known_villages", cfg.index, cfg.reports)
    table = ui.data("fund_map", cfg.index, villages)
    ui.tile_map(table, "paid", ui.t("paid"))
    ui.table(table, "fund_map")
    st.caption(ui.t("village_map_note"))
