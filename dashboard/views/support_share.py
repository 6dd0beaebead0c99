"""扶持类型占比: how plans and their budgets divide among the support types."""

import plotly.express as px
import streamlit as st

from dashboard import ui
from dashboard.i18n import value_label

st.title(ui.t("support_share"))
cfg = ui.config()
measure = st.radio(
    ui.t("support_share"),
    ["budget", "plans"],
    horizontal=True,
    label_visibility="collapsed",
    key="share_measure",
    format_func=lambda value: ui.t("by_budget" if value == "budget" else "by_count"),
)
with ui.shown_errors():
    table = ui.data("support_type_share", cfg.index)
    chart = table.assign(support_type=[value_label(v, ui.language()) for v in table.support_type])
    st.plotly_chart(px.pie(chart, names="support_type", values=measure,
                           labels=ui.axis_labels("support_type", measure)), width="stretch")
    ui.table(table, "support_type_share")
