"""脱贫地区排行: townships (or villages) ranked by exits completed on chain, then by the exit rate."""

import plotly.express as px
import streamlit as st

from dashboard import ui

st.title(ui.t("ranking"))
cfg = ui.config()
level = st.radio(ui.t("ranking"), ["township", "village"], horizontal=True, label_visibility="collapsed",
                 format_func=lambda value: ui.t(f"by_{value}"), key="ranking_level")
with ui.shown_errors():
    table = ui.data("ranking", cfg.index, cfg.reports, level)
    chart = table.assign(area=table.area.astype(str))
    figure = px.bar(chart, x="area", y="exit_rate", hover_data=["rank", "exits", "exited_on_chain"],
                    labels=ui.axis_labels("area", "exit_rate", "rank", "exits", "exited_on_chain"))
    st.plotly_chart(ui.categories(figure), width="stretch")
    ui.table(table, f"ranking_{level}")
