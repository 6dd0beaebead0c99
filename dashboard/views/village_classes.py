"""乡村分类: the national four classes per village (computed by the pipeline, data_pipeline/village_classes.py):
villages per class, the tile map coloured by class, and each village's class, rule and indicators."""

import plotly.graph_objects as go
import streamlit as st

from dashboard import ui
from dashboard.geometry import tile_layout
from dashboard.queries import VILLAGE_CLASSES

COLOURS = {"agglomeration": "#4c78a8", "suburban": "#f58518", "characteristic": "#54a24b", "relocation": "#e45756"}

st.title(ui.t("village_classes"))
cfg = ui.config()
with ui.shown_errors():
    counts = ui.data("village_class_counts", cfg.reports)
    table = ui.data("village_classes", cfg.reports)
    names = {c: ui.t(f"class_{c}") for c in VILLAGE_CLASSES}
    for column, row in zip(st.columns(len(VILLAGE_CLASSES)), counts.itertuples()):
        column.metric(names[row.village_class], f"{row.villages:,}")
    bars = go.Figure(go.Bar(x=[names[c] for c in counts.village_class], y=counts.villages,
                            marker_color=[COLOURS[c] for c in counts.village_class]))
    bars.update_layout(yaxis={"title": ui.axis_labels("villages")["villages"], "tickformat": ",d",  # whole villages
                              "dtick": max(1, -(-int(counts.villages.max()) // 5))},
                       height=300, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    st.plotly_chart(bars, width="stretch")
    # The tile map, one trace per class so the legend names them (dashboard.geometry: no internet tiles).
    layout = tile_layout(table.region).merge(table[["region", "village_class"]], on="region")
    figure = go.Figure()
    for cls in VILLAGE_CLASSES:
        tiles = layout[layout.village_class == cls]
        figure.add_trace(go.Scatter(
            x=tiles.x, y=tiles.y, mode="markers+text", name=names[cls], text=tiles.region.astype(str).str[-6:],
            textposition="middle center", textfont={"color": "white"},
            hovertemplate="%{text}: " + names[cls] + "<extra></extra>",
            marker={"symbol": "square", "size": 56, "color": COLOURS[cls], "line": {"width": 1, "color": "#888"}}))
    figure.update_layout(xaxis={"visible": False}, yaxis={"visible": False}, height=380, showlegend=True,
                         legend={"orientation": "h", "y": 1.08}, margin={"l": 10, "r": 10, "t": 30, "b": 10})
    st.plotly_chart(figure, width="stretch")
    st.caption(ui.t("map"))
    shown = table.assign(village_class=table.village_class.map(names),
                         rule=table.rule.map(lambda r: ui.t(f"rule_{r}")))
    ui.table(shown, "village_classes")
    st.caption(ui.t("village_classes_note"))
    st.caption(ui.t("suppressed_note"))
