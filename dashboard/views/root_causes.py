"""根因分析: households per root cause (致贫原因), county-wide and per village, small cells suppressed."""

import plotly.express as px
import streamlit as st

from dashboard import ui

st.title(ui.t("root_causes"))
cfg = ui.config()
with ui.shown_errors():
    totals = ui.data("root_cause_totals", cfg.reports)
    # A suppressed total has no size to draw, and a cause no household has is no slice.
    shown = totals[(totals.households != "<5") & (totals.households != 0)]
    st.plotly_chart(px.pie(shown, names="cause_label", values="households",
                           labels=ui.axis_labels("cause_label", "households")), width="stretch")
    ui.table(totals, "root_cause_totals")
    ui.table(ui.data("root_causes", cfg.reports), "root_causes")
    st.caption(ui.t("suppressed_note"))
