"""核验: any item of any page re-checked against the chain node and IPFS, with a clear verdict."""

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.safety import inert, markdown_text
from dashboard.verify import verify_item

st.title(ui.t("verify"))
cfg = ui.config()
with ui.shown_errors():
    events = ui.data("event_table", cfg.index)
    choices = [""] + [f"{e.event} · #{e.block} · {e.tx_hash}:{e.log_index}" for e in events.itertuples()]
    picked = st.selectbox(ui.t("pick_item"), choices, key="pick")
    if picked and st.session_state.get("picked_before") != picked:
        tx, log = picked.rsplit(" · ", 1)[1].split(":")
        st.session_state["tx"], st.session_state["log"] = tx, int(log)
    st.session_state["picked_before"] = picked
    params = st.query_params
    if "tx" in params and "tx" not in st.session_state:
        st.session_state["tx"], st.session_state["log"] = params["tx"], int(params.get("log", 0))
    tx_hash = st.text_input(ui.t("tx_hash"), key="tx")
    log_index = st.number_input(ui.t("log_index"), min_value=0, step=1, key="log")
    if st.button(ui.t("run_verify"), key="run_verify", type="primary") and tx_hash:
        verdict = verify_item(cfg.index, cfg.network, cfg.ipfs_api, tx_hash, int(log_index))
        if verdict.ok:
            st.success(ui.t("verified"))
        else:
            st.error(ui.t("not_verified"))
        checks = pd.DataFrame([{"check": c.name, "ok": c.ok, "detail": c.detail} for c in verdict.checks])
        ui.table(checks, "verification")
        for document in verdict.documents:
            if document.content is not None:
                st.caption(f"IPFS {markdown_text(document.cid)}")
                st.code(inert(document.content[:2000].decode("utf-8", errors="replace")), language=None)
