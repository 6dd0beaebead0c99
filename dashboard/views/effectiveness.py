"""振兴项目成效: each plan's KPI targets beside the actuals of its latest outcome report."""

import plotly.express as px
import streamlit as st

from dashboard import ui

st.title(ui.t("effectiveness"))
cfg = ui.config()
with ui.shown_errors():
    table = ui.data("effectiveness", cfg.index)
    if len(table):
        chart = table.assign(item=[f"{p}·{i}" for p, i in zip(table.plan_id, table.indicator)])
        figure = px.bar(chart, x="item", y=["target", "actual"], barmode="group",
                        labels=ui.axis_labels("value", "variable"))
        st.plotly_chart(ui.categories(figure), width="stretch")
    ui.table(table, "effectiveness")
