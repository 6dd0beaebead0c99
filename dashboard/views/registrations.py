"""建档立卡报表: household registration procedures by village and stage, and households by status."""

import plotly.express as px
import streamlit as st

from dashboard import ui

st.title(ui.t("registrations"))
cfg = ui.config()
with ui.shown_errors():
    table = ui.data("registrations", cfg.index)
    if len(table):
        long = table.melt(id_vars="region", value_vars=["pending", "in_notice", "completed"], var_name="stage",
                          value_name="procedures")
        long["region"] = long["region"].astype(str)
        figure = px.bar(long, x="region", y="procedures", color="stage", barmode="stack",
                        labels=ui.axis_labels("region", "procedures", "stage"))
        st.plotly_chart(ui.categories(figure), width="stretch")
    ui.table(table, "registrations")
    st.subheader(ui.t("status"))
    ui.table(ui.data("household_statuses", cfg.index), "household_statuses")
