"""贫困退出报表: exits the exit model proposed per village, beside the exits completed on chain."""

import plotly.express as px
import streamlit as st

from dashboard import ui

st.title(ui.t("exits"))
cfg = ui.config()
with ui.shown_errors():
    table = ui.data("exits", cfg.index, cfg.reports)
    chart = table.assign(region=table.region.astype(str))
    figure = px.bar(chart, x="region", y=["registered", "exits", "exited_on_chain"], barmode="group",
                    labels=ui.axis_labels("region", "value", "variable"))
    st.plotly_chart(ui.categories(figure), width="stretch")
    ui.table(table, "exits")
