"""概览: the headline figures, from the chain (index: households, procedures, plans, funds, materials,
supervision, disclosures) and the pipeline's county-wide totals."""

import streamlit as st

from dashboard import ui

st.title(ui.t("site"))
cfg = ui.config()
with ui.shown_errors():
    figures = ui.data("overview", cfg.index, cfg.reports)
    chain_keys = ["registered", "exited", "monitoring", "pending", "in_notice", "open_objections", "final_batches",
                  "latest_block"]
    for row in (chain_keys[:4], chain_keys[4:]):
        for column, key in zip(st.columns(4), row):
            column.metric(ui.t(key), f"{figures[key]:,}")
    execution = ui.data("execution_figures", cfg.index)
    for column, (key, value) in zip(st.columns(len(execution)), execution.items()):
        column.metric(ui.t(key), f"{value:,.2f}" if key == "paid" else f"{value:,}")
    pipeline_keys = [k for k in figures if k.startswith("pipeline_") and figures[k] is not None]
    if pipeline_keys:
        st.subheader(ui.t("section_analysis"))
        for column, key in zip(st.columns(len(pipeline_keys)), pipeline_keys):
            column.metric(ui.t(key), f"{figures[key]:,}")
    st.subheader(ui.t("all_events"))
    ui.table(ui.data("event_table", cfg.index).head(200), "events")
