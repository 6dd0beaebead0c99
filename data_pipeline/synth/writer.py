"""Writes extracts the way each department delivers them: CSV in its own encoding, or Parquet."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

# How each department exports: legacy Chinese Windows systems write GBK or GB18030, Excel writes UTF-8
# with a BOM, database exports are Parquet.
DELIVERY = {
    "census": ("csv", "gb18030"),
    "household_registration": ("csv", "gbk"),
    "social_security": ("parquet", None),
    "bank": ("csv", "utf-8-sig"),
    "tax": ("csv", "utf-8"),
    "agriculture": ("csv", "gb18030"),
    "business_registration": ("csv", "gbk"),
    "credit": ("parquet", None),
    "land": ("csv", "utf-8-sig"),
    "consumption": ("csv", "utf-8"),
}


def write(frame: pd.DataFrame, folder: Path, name: str) -> Path:
    kind, encoding = DELIVERY[name]
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if kind == "parquet":
        path = folder / f"{name}.parquet"
        pq.write_table(table, path, compression="zstd")
        return path
    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer, pacsv.WriteOptions(quoting_style="needed"))
    data = buffer.getvalue()
    if encoding == "utf-8-sig":
        data = codecs.BOM_UTF8 + data
    elif encoding != "utf-8":
        data = data.decode("utf-8").encode(encoding)
    path = folder / f"{name}.csv"
    path.write_bytes(data)
    return path
