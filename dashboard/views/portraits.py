"""乡村画像: per village aggregates from the pipeline, small cells suppressed, on the tile map."""

import streamlit as st

from dashboard import ui

st.title(ui.t("portraits"))
cfg = ui.config()
with ui.shown_errors():
    table = ui.data("portraits", cfg.reports)
    ui.tile_map(table, "households", ui.t("portraits"))
    ui.table(table, "village_portraits")
    st.caption(ui.t("suppressed_note"))
