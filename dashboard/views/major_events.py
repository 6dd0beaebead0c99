"""重大事件披露: major events and reports published on chain, with their documents fetched from IPFS and
checked against their CIDs on request."""

import streamlit as st

from dashboard import ui

st.title(ui.t("major_events"))
cfg = ui.config()
with ui.shown_errors():
    table = ui.data("disclosures", cfg.index)
    ui.table(table, "disclosures")
    picked = st.selectbox(ui.t("pick_disclosure"), [None, *table.disclosure_id], key="disclosure",
                          format_func=lambda value: "" if value is None else f"#{value}")
    if picked is not None:
        cid = table.loc[table.disclosure_id == picked, "cid"].iloc[0]
        text, detail = ui.data("document_text", cfg.index, cfg.ipfs_api, cid)
        st.text(f"CID {cid} · {detail}")
        if text is not None:
            st.code(text, language=None)
