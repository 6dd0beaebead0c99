"""Ingestion: find, decode and parse one source file, check its columns, type and validate its values,
and normalise its ID and region columns row by row. Rows that fail are quarantined with a reason.

Repairs that need the whole person register (check digits, scientific-notation IDs) come later, in
idrepair.py; rows waiting for them keep their IdStatus.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.errors
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from data_pipeline import idnumbers, region_codes
from data_pipeline.errors import MissingColumnError, SourceFileMissingError, UndecodableFileError, UnreadableFileError
from data_pipeline.idnumbers import IdStatus
from data_pipeline.quarantine import FileLedger, Reason
from data_pipeline.sources import SourceSpec

NULL_TEXT = ["", "NULL", "null", "NaN", "nan", "N/A", "NA", "-"]


@dataclass
class Ingested:
    """One source after ingestion.

    ``frame`` holds every row not yet quarantined, indexed by data row number (1 = first row under the
    header), with numeric columns typed, ID columns normalised (plus ``<col>__status``) and village codes
    as integers. ``raw`` is the file as read (text), kept so the quarantine shows rows as delivered.
    """

    spec: SourceSpec
    file: str
    encoding: str
    raw: pd.DataFrame = field(repr=False)
    frame: pd.DataFrame = field(repr=False)
    rejected: list[pd.DataFrame] = field(default_factory=list, repr=False)
    repairs: dict[str, int] = field(default_factory=dict)

    def quarantine(self, mask: pd.Series | np.ndarray, reason: Reason, column: str | None) -> None:
        """Moves the rows of ``frame`` selected by ``mask`` to the quarantine with one reason."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        rows = self.frame.index[mask]
        values = self.raw.loc[rows, column].astype("str") if column else pd.Series(pd.NA, index=rows, dtype="str")
        self.rejected.append(
            pd.DataFrame({"row": rows, "reason": reason.value, "column": column, "value": values.to_numpy()})
        )
        self.frame = self.frame.loc[~mask]

    def ledger(self) -> FileLedger:
        if self.rejected:
            q = pd.concat(self.rejected, ignore_index=True)
        else:
            q = pd.DataFrame({"row": pd.Series(dtype="int64"), "reason": pd.Series(dtype="str"),
                              "column": pd.Series(dtype="str"), "value": pd.Series(dtype="str")})
        raw_rows = self.raw.loc[q["row"]].astype("str").add_prefix("raw_").reset_index(drop=True)
        q = pd.concat([q.reset_index(drop=True), raw_rows], axis=1).sort_values("row", ignore_index=True)
        return FileLedger(self.spec.name, self.file, self.encoding, len(self.raw), q, dict(self.repairs))


def find_file(folder: Path, spec: SourceSpec) -> Path:
    for name in spec.file_names:
        if (folder / name).is_file():
            return folder / name
    raise SourceFileMissingError(folder, spec.name, spec.file_names)


def decode(path: Path, data: bytes, declared: str) -> tuple[bytes, str]:
    """Detects the encoding (BOM, else valid UTF-8, else the declared one) and returns UTF-8 bytes.

    Raises:
        UndecodableFileError: the bytes are neither UTF-8 nor valid in the declared encoding.
    """
    if data.startswith(codecs.BOM_UTF8):
        encoding, payload = "utf-8-sig", data[len(codecs.BOM_UTF8):]
        try:
            payload.decode("utf-8")
        except UnicodeDecodeError as e:
            raise UndecodableFileError(path, encoding, e.start + len(codecs.BOM_UTF8), e.reason) from e
        return payload, encoding
    try:
        data.decode("utf-8")
        return data, "utf-8"
    except UnicodeDecodeError as utf8_error:
        if declared.replace("-", "").lower() == "utf8":
            raise UndecodableFileError(path, "utf-8", utf8_error.start, utf8_error.reason) from utf8_error
    try:
        return data.decode(declared).encode("utf-8"), declared
    except UnicodeDecodeError as e:
        raise UndecodableFileError(path, declared, e.start, e.reason) from e


def _check_columns(path: Path, found: list[str], spec: SourceSpec) -> None:
    unexpected = [c for c in found if c not in spec.columns]
    for column in spec.columns:
        if column not in found:
            raise MissingColumnError(path, column, unexpected)


def read(folder: Path, spec: SourceSpec) -> tuple[Path, str, pd.DataFrame]:
    """Reads a source file as delivered: every column as text (Parquet numbers keep their type).

    Raises:
        SourceFileMissingError, UndecodableFileError, MissingColumnError, UnreadableFileError.
    """
    path = find_file(folder, spec)
    if path.suffix == ".parquet":
        try:
            table = pq.read_table(path)
        except (pa.ArrowException, OSError) as e:
            raise UnreadableFileError(path, e) from e
        _check_columns(path, table.column_names, spec)
        frame = table.select(spec.columns).to_pandas()
        return path, "parquet", frame
    payload, encoding = decode(path, path.read_bytes(), spec.encoding)
    header = payload.split(b"\n", 1)[0].decode("utf-8").strip("\r")
    _check_columns(path, [c.strip() for c in next(csv.reader([header]))], spec)
    try:
        table = pacsv.read_csv(
            io.BytesIO(payload),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in spec.columns},
                include_columns=spec.columns,
                null_values=NULL_TEXT,
                strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid as e:
        raise UnreadableFileError(path, e) from e
    return path, encoding, table.to_pandas()


def _type_numbers(item: Ingested) -> None:
    for column in item.spec.numeric_columns:
        values = item.frame[column]
        if pd.api.types.is_numeric_dtype(values.dtype):
            item.frame[column] = values.astype("float64")
            continue
        parsed = pd.to_numeric(values.str.strip(), errors="coerce").astype("float64")
        item.frame[column] = parsed
        item.quarantine(parsed.isna() & values.notna(), Reason.UNPARSEABLE_VALUE, column)


def _validate_values(item: Ingested) -> None:
    try:
        item.spec.schema.validate(item.frame, lazy=True)
    except pandera.errors.SchemaErrors as e:
        cases = e.failure_cases.dropna(subset=["index"])
        first = cases.drop_duplicates("index")  # one reason per row: the first failing column
        for column, rows in first.groupby("column")["index"]:
            item.quarantine(item.frame.index.isin(rows.astype("int64")), Reason.IMPOSSIBLE_VALUE, str(column))


def _normalise_ids(item: Ingested) -> None:
    for column in item.spec.id_columns:
        norm = idnumbers.normalise(item.frame[column])
        item.frame[column] = norm["id"]
        item.frame[f"{column}__status"] = norm["status"]
        item.repairs["id_reformatted"] = item.repairs.get("id_reformatted", 0) + int(norm["reformatted"].sum())
        item.repairs["id_legacy_15_converted"] = item.repairs.get("id_legacy_15_converted", 0) + int(
            (norm["status"] == IdStatus.LEGACY_15).sum()
        )
        status = item.frame[f"{column}__status"]
        item.quarantine(status == IdStatus.MISSING, Reason.MISSING_ID, column)
        status = item.frame[f"{column}__status"]
        item.quarantine(status == IdStatus.MALFORMED, Reason.MALFORMED_ID, column)


def _normalise_regions(item: Ingested) -> None:
    if "village_code" not in item.frame:
        return
    norm = region_codes.normalise(item.frame["village_code"])
    item.frame["village_code"] = norm["code"]
    item.repairs["region_reformatted"] = int(norm["reformatted"].sum())
    item.quarantine(norm["invalid"], Reason.INVALID_REGION, "village_code")


def ingest(folder: Path, spec: SourceSpec) -> Ingested:
    """Reads, types, validates and normalises one source. See the module docstring."""
    path, encoding, raw = read(folder, spec)
    raw.index = pd.RangeIndex(1, len(raw) + 1, name="row")
    frame = raw.copy()
    for column in spec.text_columns:
        if column not in spec.id_columns and column != "village_code":
            frame[column] = frame[column].str.strip()
    item = Ingested(spec, path.name, encoding, raw, frame)
    _type_numbers(item)
    _validate_values(item)
    _normalise_ids(item)
    _normalise_regions(item)
    return item
