"""Reading an AppTest run of the site: metrics, tables and plotly chart data (shared by the page tests)."""

from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def frames(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def _plain(value):
    """Plotly sends numeric arrays as typed base64 ({"dtype", "bdata"}); back to a list."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).tolist()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def chart_data(at: AppTest, index: int = 0) -> list[dict]:
    return [_plain(trace) for trace in json.loads(at.get("plotly_chart")[index].proto.spec)["data"]]
