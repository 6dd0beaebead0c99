"""物资使用情况: per plan and material kind, procured, in stock, in transit, delivered and lost; the
procurements behind them."""

import plotly.express as px
import streamlit as st

from dashboard import ui

st.title(ui.t("material_use"))
cfg = ui.config()
with ui.shown_errors():
    table = ui.data("material_use", cfg.index)
    if len(table):
        chart = table.assign(item=[f"{p}·{k}" for p, k in zip(table.plan_id, table.kind_id)])
        figure = px.bar(chart, x="item", y=["in_stock", "in_transit", "delivered", "lost"], barmode="stack",
                        labels=ui.axis_labels("value", "variable"))
        st.plotly_chart(ui.categories(figure), width="stretch")
    ui.table(table, "material_use")
    st.caption(ui.t("material_note") + " " + ui.t("suppressed_note"))
    st.subheader(ui.t("procurements"))
    ui.table(ui.data("procurements", cfg.index), "procurements")
