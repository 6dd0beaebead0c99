"""资金使用情况: appropriated, escrowed, released, paid and returned, by plan, region, support type or year;
the appropriations themselves and the enterprise and social pledges."""

import plotly.express as px
import streamlit as st

from dashboard import ui

st.title(ui.t("fund_use"))
cfg = ui.config()
dimensions = ["plan", "region", "support_type", "year"]
dimension = st.radio(ui.t("group_by"), dimensions, horizontal=True, key="fund_group",
                     format_func=lambda value: ui.t(f"by_{value}"))
with ui.shown_errors():
    totals = ui.data("fund_totals", cfg.index)
    keys = ["appropriated", "minted", "escrowed", "released", "paid", "returned", "raised", "instructed"]
    for row in (keys[:4], keys[4:]):
        for column, key in zip(st.columns(4), row):
            column.metric(ui.t(key), f"{totals[key]:,.2f}")
    table = ui.data("fund_use_by", cfg.index, dimension)
    key = {"plan": "plan_id"}.get(dimension, dimension)
    if len(table):
        chart = table.assign(**{key: table[key].astype(str)})
        figure = px.bar(chart, x=key, y=["escrowed", "released", "paid", "returned"], barmode="group",
                        labels=ui.axis_labels(key, "value", "variable"))
        st.plotly_chart(ui.categories(figure), width="stretch")
    ui.table(table, f"fund_use_by_{dimension}")
    st.caption(ui.t("fund_flows_note"))
    st.subheader(ui.t("appropriations"))
    ui.table(ui.data("appropriations", cfg.index), "appropriations")
    st.subheader(ui.t("pledges"))
    ui.table(ui.data("pledges", cfg.index), "pledges")
    st.subheader(ui.t("fund_export"))
    ui.iati_download(cfg.index)
