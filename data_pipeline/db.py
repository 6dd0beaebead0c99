"""The person and household database: one DuckDB file per run.

DuckDB rather than SQLite because every consumer asks column questions over the whole county (sums per
village, joins of a million people to their households): a columnar engine answers those in milliseconds,
reads the pipeline's Parquet files without a row-by-row insert, and still is one embedded file with no
server. See README.md.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

DB_FILE = "govchain.duckdb"
TABLES = ("persons", "households", "results")


def build(out_dir: Path, partitions: list[Path]) -> Path:
    """Creates (or replaces) the database from the partitions' Parquet files and the reports."""
    path = Path(out_dir) / DB_FILE
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        for table in TABLES:
            files = [str(p / f"{table}.parquet") for p in partitions]
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet(?)", [files])
        for report in sorted((Path(out_dir) / "reports").glob("*.parquet")):
            con.execute(f"CREATE TABLE report_{report.stem} AS SELECT * FROM read_parquet(?)", [str(report)])
    finally:
        con.close()
    tmp.replace(path)  # readers never see a half-built database
    return path


def connect(out_dir: Path | str, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Opens a run's database for queries, e.g. ``connect(out).execute("select * from households").df()``."""
    return duckdb.connect(str(Path(out_dir) / DB_FILE), read_only=read_only)
