"""Streamlit helpers shared by the pages: the language, cached data access, tables with CSV download and a
link to verify each row, the tile map. Pages hold UI only; data comes from dashboard.queries through
:func:`data`, cached for a few seconds (the indexer keeps writing)."""

from __future__ import annotations

import contextlib

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import queries, queries_funds, queries_oversight, queries_plans
from dashboard.geometry import tile_layout
from dashboard.i18n import LANGUAGES, column_label, label
from dashboard.safety import csv_bytes, inert_frame, markdown_text

TIME_COLUMNS = ("time", "since", "deadline", "notice_ends", "filed_time", "committed_time", "finalized_time",
                "raised_time", "drafted_time", "due", "period_start", "period_end")
# Where data() finds a query by name: the modules of dashboard's data layer (no name is defined twice).
SOURCES = (queries, queries_plans, queries_funds, queries_oversight)


@st.cache_resource
def config() -> queries.SiteConfig:
    return queries.SiteConfig.from_env()


def language() -> str:
    return st.session_state.get("language", LANGUAGES[0])


def t(key: str) -> str:
    return label(key, language())


@st.cache_data(ttl=10, show_spinner=False)
def _cached(name: str, *args):
    module = next(m for m in SOURCES if name in vars(m) and getattr(m, name).__module__ == m.__name__)
    return getattr(module, name)(*args)


def data(name: str, *args):
    """``<name>(*args)`` of the data layer (dashboard.queries and its queries_* modules), cached for 10 s."""
    return _cached(name, *args)


@contextlib.contextmanager
def shown_errors():
    """Missing data (no index yet, no reports configured) is shown as a notice, not a traceback."""
    try:
        yield
    except queries.SiteDataError as exc:
        st.info(markdown_text(exc))


def _readable(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in TIME_COLUMNS:
        if column in out.columns and pd.api.types.is_numeric_dtype(out[column]):
            out[column] = pd.to_datetime(out[column], unit="s", utc=True).dt.strftime("%Y-%m-%d %H:%M UTC")
    return out


def _uniform(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns mixing numbers and text (a suppressed "<5" among counts) as text, which Arrow can carry."""
    out = frame.copy()
    for column in out.columns:
        kinds = set(out[column].dropna().map(type)) if out[column].dtype == object else set()
        if str in kinds and len(kinds) > 1:
            out[column] = out[column].map(lambda v: v if v is None or isinstance(v, str) else str(v))
    return out


def table(frame: pd.DataFrame, name: str) -> None:
    """The table (text inert, times readable, a verify link per chain row) and its formula-safe CSV."""
    shown = _uniform(inert_frame(_readable(frame)))
    column_config = {name: st.column_config.Column(column_label(name, language())) for name in shown.columns}
    if {"tx_hash", "log_index"} <= set(shown.columns) and len(shown):
        shown["verify"] = [f"./verify?tx={tx}&log={log}" for tx, log in zip(shown.tx_hash, shown.log_index)]
        column_config["verify"] = st.column_config.LinkColumn(t("verify_this"), display_text=t("verify"))
    if shown.empty:
        st.caption(t("no_data"))
    st.dataframe(shown, hide_index=True, column_config=column_config, width="stretch")
    # Made only when clicked (a callable), so a page with large tables renders without building their CSVs.
    st.download_button(t("download_csv"), lambda: csv_bytes(_readable(frame)), file_name=f"{name}.csv",
                       mime="text/csv", key=f"csv-{name}", on_click="ignore")


def iati_download(index) -> None:
    """The fund transactions as an IATI 2.03 XML file (dashboard/iati.py), built and schema-checked when clicked;
    the same file as ``python -m dashboard.iati``."""
    from dashboard import iati

    st.download_button(t("download_iati"), lambda: iati.export(index), file_name="govchain-iati-activities.xml",
                       mime="application/xml", key="iati-xml", on_click="ignore")
    st.caption(t("iati_note"))


def categories(figure: go.Figure) -> go.Figure:
    """Region codes and areas on the x axis are names, not numbers (plotly would scale 12-digit codes)."""
    return figure.update_xaxes(type="category")


def axis_labels(*columns: str) -> dict[str, str]:
    """Chart labels for data columns, in the chosen language (plotly's ``labels=``)."""
    return {column: column_label(column, language()) for column in columns}


def tile_map(frame: pd.DataFrame, value: str, title: str) -> None:
    """Villages as tiles (dashboard.geometry), coloured by ``value``; suppressed cells are left grey."""
    layout = tile_layout(frame["region"]).merge(frame[["region", value]], on="region", how="left")
    numeric = pd.to_numeric(layout[value], errors="coerce")
    figure = go.Figure(go.Scatter(
        x=layout.x, y=layout.y, mode="markers+text", text=layout.region.astype(str).str[-6:],
        textposition="middle center", customdata=layout[value].astype(str),
        hovertemplate="%{text}: %{customdata}<extra></extra>",
        marker={"symbol": "square", "size": 56, "color": numeric.fillna(0), "colorscale": "YlOrRd",
                "showscale": True, "line": {"width": 1, "color": "#888"}},
    ))
    figure.update_layout(title=title, xaxis={"visible": False}, yaxis={"visible": False}, height=360,
                         margin={"l": 10, "r": 10, "t": 40, "b": 10})
    st.plotly_chart(figure, width="stretch")
    st.caption(t("map"))
