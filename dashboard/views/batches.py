"""资格批次: eligibility batches committed by the oracles, their votes, roots and manifests."""

import streamlit as st

from dashboard import ui

st.title(ui.t("batches"))
cfg = ui.config()
with ui.shown_errors():
    ui.table(ui.data("batches", cfg.index), "batches")
