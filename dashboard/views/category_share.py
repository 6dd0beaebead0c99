"""项目类别占比: plans and budgets per project category code."""

import plotly.express as px
import streamlit as st

from dashboard import ui

st.title(ui.t("category_share"))
cfg = ui.config()
with ui.shown_errors():
    table = ui.data("category_share", cfg.index)
    chart = table.assign(category=table.category.astype(str))
    figure = px.bar(chart, x="category", y="budget", hover_data=["plans", "budget_share"],
                    labels=ui.axis_labels("category", "budget", "plans", "budget_share"))
    st.plotly_chart(ui.categories(figure), width="stretch")
    ui.table(table, "category_share")
