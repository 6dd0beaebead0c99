"""新增贫困报表: households the admission model admitted, per village and reason, beside those on chain."""

import plotly.express as px
import streamlit as st

from dashboard import ui

st.title(ui.t("newly_poor"))
cfg = ui.config()
with ui.shown_errors():
    table = ui.data("newly_poor", cfg.index, cfg.reports)
    chart = table.assign(region=table.region.astype(str))
    figure = px.bar(chart, x="region", y=["admitted", "filed_on_chain", "registered_on_chain"], barmode="group",
                    labels=ui.axis_labels("region", "value", "variable"))
    st.plotly_chart(ui.categories(figure), width="stretch")
    ui.table(table, "newly_poor")
