"""户查询: a household checks its own record with its card: status history and its eligibility proof verified
on chain, and the support it received (payments, materials, visits). Only the pseudonymous id is used; nothing
personal is shown or asked."""

import streamlit as st

from dashboard import ui
from dashboard.cards import card_from_image, card_from_text
from dashboard.safety import markdown_text
from dashboard.verify import check_household
from oracle.pseudonym import CardError

st.title(ui.t("self_check"))
cfg = ui.config()
typed = st.text_input(ui.t("card_value"), key="card")
upload = st.file_uploader(ui.t("card_image"), type=["png", "jpg", "jpeg"], key="card_image")
if st.button(ui.t("check"), key="check", type="primary") and (typed or upload):
    try:
        household_id = card_from_image(upload.getvalue()) if upload and not typed else card_from_text(typed)
    except CardError as exc:
        st.error(markdown_text(exc))
        st.stop()
    hid = "0x" + household_id.hex()
    st.code(hid, language=None)
    with ui.shown_errors():
        statuses = ui.data("household_statuses", cfg.index)
        mine = statuses[statuses.household_id == hid]
        history = ui.data("household_history", cfg.index, hid)
        if mine.empty and history.empty:
            st.warning(ui.t("no_household"))
        status = mine.status.iloc[-1] if len(mine) else "-"
        st.metric(ui.t("status"), status)
        st.subheader(ui.t("history"))
        ui.table(history, "household_history")
        proof = check_household(cfg.index, cfg.network, cfg.ipfs_api, household_id)
        if proof.proven:
            st.success(
                f"{ui.t('proof_ok')}: " + markdown_text(f"{proof.decision} · {proof.region} · batch {proof.batch_id}")
            )
        else:
            st.error(f"{ui.t('proof_failed')}: {markdown_text(proof.detail)}")
        st.subheader(ui.t("support_received"))
        ui.table(ui.data("household_support", cfg.index, hid), "household_support")
