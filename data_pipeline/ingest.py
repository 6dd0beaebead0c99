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
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from data_pipeline import idnumbers, region_codes
from data_pipeline.arrow import parse_numbers
from data_pipeline.errors import (
    DuplicateSourceFileError,
    MissingColumnError,
    SourceFileMissingError,
    UndecodableFileError,
    UnreadableFileError,
    WrongFormatError,
)
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
    _pending: np.ndarray | None = field(default=None, repr=False)

    def quarantine(self, mask: pd.Series | np.ndarray, reason: Reason, column: str | np.ndarray | None) -> None:
        """Quarantines the rows of ``frame`` selected by ``mask`` with one reason.

        ``column`` names the offending column, or is an array (one name per row of ``frame``). A row
        already quarantined keeps its first reason. Rows leave ``frame`` at the next compact(): copying a
        million-row frame once per check would cost more than the checks.
        """
        mask = np.asarray(mask, dtype=bool)
        if self._pending is None or len(self._pending) != len(self.frame):
            self._pending = np.zeros(len(self.frame), dtype=bool)
        mask = mask & ~self._pending
        if not mask.any():
            return
        self._pending |= mask
        rows = self.frame.index[mask]
        columns = (
            np.asarray(column, dtype=object)[mask]
            if isinstance(column, np.ndarray)
            else np.full(len(rows), column, dtype=object)
        )
        values = pd.Series(None, index=rows, dtype="str")
        for name in pd.unique(columns[columns != None]):  # noqa: E711
            picked = rows[columns == name]
            values.loc[picked] = self.raw.loc[picked, name].astype("str").to_numpy()
        self.rejected.append(pd.DataFrame({
            "row": rows.to_numpy(), "reason": reason.value, "column": pd.array(columns, dtype="str"),
            "value": values.to_numpy(),
        }))

    def compact(self) -> None:
        """Drops the rows quarantined since the last call from ``frame``."""
        if self._pending is not None and self._pending.any():
            self.frame = self.frame.loc[~self._pending]
        self._pending = None

    def ledger(self) -> FileLedger:
        self.compact()
        if self.rejected:
            q = pd.concat(self.rejected, ignore_index=True)
        else:
            q = pd.DataFrame({"row": pd.Series(dtype="int64"), "reason": pd.Series(dtype="str"),
                              "column": pd.Series(dtype="str"), "value": pd.Series(dtype="str")})
        raw_rows = self.raw.loc[q["row"]].astype("str").add_prefix("raw_").reset_index(drop=True)
        q = pd.concat([q.reset_index(drop=True), raw_rows], axis=1).sort_values("row", ignore_index=True)
        return FileLedger(self.spec.name, self.file, self.encoding, len(self.raw), q, dict(self.repairs))


PARQUET_MAGIC = b"PAR1"
ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx workbook is a zip archive


def find_file(folder: Path, spec: SourceSpec) -> Path:
    """The one file of ``spec`` in ``folder``.

    Raises:
        SourceFileMissingError: none is there.
        DuplicateSourceFileError: more than one is (tax.csv beside tax.parquet): which is current is
            something only the operator knows.
    """
    found = [folder / name for name in spec.file_names if (folder / name).is_file()]
    if not found:
        raise SourceFileMissingError(folder, spec.name, spec.file_names)
    if len(found) > 1:
        raise DuplicateSourceFileError(folder, spec.name, [f.name for f in found])
    return found[0]


def check_format(path: Path, head: bytes) -> None:
    """Checks that a file's first bytes match its name: Parquet files start (and end) with PAR1.

    Raises:
        WrongFormatError: naming what the bytes are.
    """
    if path.suffix == ".parquet":
        if not head.startswith(PARQUET_MAGIC):
            found = (
                "an Excel workbook (zip)" if head.startswith(ZIP_MAGIC) else f"not Parquet (first bytes {head[:4]!r})"
            )
            raise WrongFormatError(path, "Parquet", found)
    elif head.startswith(PARQUET_MAGIC):
        raise WrongFormatError(path, "CSV", "Parquet (magic bytes PAR1)")
    elif head.startswith(ZIP_MAGIC):
        raise WrongFormatError(path, "CSV", "an Excel workbook (zip archive); save it as CSV")


def detect(path: Path, data: bytes, declared: str) -> tuple[bytes, str]:
    """Detects the encoding: a UTF-16 BOM means UTF-16 (the payload is returned re-encoded as UTF-8), a
    UTF-8 BOM means UTF-8, valid UTF-8 is UTF-8, anything else is the declared encoding. Returns the
    payload (without BOM) and the encoding.

    Raises:
        UndecodableFileError: the file has a BOM or is declared UTF-8 but is not valid UTF-8.
    """
    for bom, utf16 in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            # Excel's "Unicode text" export: UTF-16 with a BOM. Re-encoded once as UTF-8, so everything
            # after this point reads one encoding.
            try:
                return data[len(bom):].decode(utf16).encode("utf-8"), "utf-16"
            except UnicodeDecodeError as e:
                raise UndecodableFileError(path, utf16, e.start + len(bom), e.reason) from e
    if data.startswith(codecs.BOM_UTF8):
        payload = data[len(codecs.BOM_UTF8):]
        try:
            payload.decode("utf-8")
        except UnicodeDecodeError as e:
            raise UndecodableFileError(path, "utf-8-sig", e.start + len(codecs.BOM_UTF8), e.reason) from e
        return payload, "utf-8-sig"
    try:
        data.decode("utf-8")
        return data, "utf-8"
    except UnicodeDecodeError as e:
        if declared.replace("-", "").lower() == "utf8":
            raise UndecodableFileError(path, "utf-8", e.start, e.reason) from e
    return data, declared


def decode(path: Path, data: bytes, encoding: str) -> str:
    """Decodes a whole file.

    Raises:
        UndecodableFileError: with the byte offset of the first byte that is not valid in ``encoding``.
    """
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise UndecodableFileError(path, encoding, e.start, e.reason) from e


def _check_columns(path: Path, found: list[str], spec: SourceSpec) -> None:
    unexpected = [c for c in found if c not in spec.columns]
    for column in spec.columns:
        if column not in found:
            raise MissingColumnError(path, column, unexpected)


def _as_text(table: pa.Table) -> pa.Table:
    """One chunk per column and large strings: pandas' text columns are large_string, and per-chunk
    takes and casts on a many-chunk CSV read would otherwise repeat at every filtering step."""
    fields = [pa.field(f.name, pa.large_string()) if pa.types.is_string(f.type) else f for f in table.schema]
    return table.cast(pa.schema(fields)).combine_chunks()


def _decode_column(array: pa.Array, encoding: str) -> pa.Array:
    """Decodes a binary column in one pass over its bytes: a NUL (never part of a GBK or GB18030
    character) is put after every cell, the buffer is decoded and re-encoded as UTF-8, and the NULs
    give the cell boundaries back."""
    if array.offset:
        array = pa.concat_arrays([array])
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[: len(array) + 1]
    data = (
        np.frombuffer(array.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
        if array.buffers()[2]
        else np.empty(0, np.uint8)
    )
    if not (data >= 0x80).any():
        return pc.cast(array, pa.large_string())
    separated = np.insert(data, (offsets[1:] - offsets[0]).astype(np.int64), 0)
    utf8 = np.frombuffer(separated.tobytes().decode(encoding).encode("utf-8"), dtype=np.uint8)
    ends = np.flatnonzero(utf8 == 0)
    text = np.delete(utf8, ends)
    new_offsets = np.concatenate([[0], ends - np.arange(len(ends))]).astype(np.int64)
    return pa.LargeStringArray.from_buffers(
        len(array), pa.py_buffer(new_offsets), pa.py_buffer(text), array.buffers()[0], array.null_count
    )


def _read_csv(path: Path, payload: bytes, spec: SourceSpec, text_type: pa.DataType, delimiter: str) -> pa.Table:
    try:
        return pacsv.read_csv(
            io.BytesIO(payload),
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
            convert_options=pacsv.ConvertOptions(
                column_types={c: text_type for c in spec.columns},
                include_columns=spec.columns,
                null_values=NULL_TEXT,
                strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid as e:
        raise UnreadableFileError(path, e) from e


def read(folder: Path, spec: SourceSpec) -> tuple[Path, str, pd.DataFrame]:
    """Reads a source file as delivered: every column as text (Parquet numbers keep their type).

    A CSV in a legacy Chinese encoding is split into cells before decoding: its separators, quotes and
    line ends are ASCII bytes that GBK and GB18030 never use inside a character, so only the columns
    that hold Chinese text need decoding at all.

    Raises:
        SourceFileMissingError, UndecodableFileError, MissingColumnError, UnreadableFileError.
    """
    path = find_file(folder, spec)
    if path.stat().st_size == 0:
        # A zero-byte export: no header, no rows. An empty source, which the EMPTY_SOURCE gate reports.
        return path, "empty", pd.DataFrame({c: pd.Series(dtype="str") for c in spec.columns})
    with path.open("rb") as f:
        check_format(path, f.read(8))
    if path.suffix == ".parquet":
        try:
            table = pq.read_table(path)
        except (pa.ArrowException, OSError) as e:
            raise UnreadableFileError(path, e) from e
        _check_columns(path, table.column_names, spec)
        return path, "parquet", _as_text(table.select(spec.columns)).to_pandas()
    data = path.read_bytes()
    payload, encoding = detect(path, data, spec.encoding)
    header = payload.split(b"\n", 1)[0].decode("utf-8" if encoding.startswith("utf-") else encoding).strip("\r")
    # Excel's "Unicode text" is tab-separated; every other export here uses commas.
    delimiter = "\t" if "\t" in header and "," not in header else ","
    _check_columns(path, [c.strip() for c in next(csv.reader([header], delimiter=delimiter))], spec)
    if encoding.startswith("utf-"):
        return path, encoding, _as_text(_read_csv(path, payload, spec, pa.string(), delimiter)).to_pandas()
    table = _read_csv(path, payload, spec, pa.binary(), delimiter).combine_chunks()
    try:
        columns = [_decode_column(table.column(c).combine_chunks(), encoding) for c in spec.columns]
    except UnicodeDecodeError:
        decode(path, data, encoding)  # finds and reports the byte offset of the first bad byte
        raise
    return path, encoding, pa.table(columns, names=spec.columns).to_pandas()


def _type_numbers(item: Ingested) -> None:
    offending = np.full(len(item.frame), None, dtype=object)
    flagged = np.zeros(len(item.frame), dtype=bool)
    for column in item.spec.numeric_columns:
        values = item.frame[column]
        if pd.api.types.is_numeric_dtype(values.dtype):
            item.frame[column] = values.astype("float64")
            continue
        numbers, unparseable, widened = parse_numbers(values)
        item.frame[column] = numbers
        item.repairs["number_full_width"] = item.repairs.get("number_full_width", 0) + int(widened.sum())
        first = unparseable & ~flagged  # one reason per row: the first column that fails
        offending[first] = column
        flagged |= first
    item.quarantine(flagged, Reason.UNPARSEABLE_VALUE, offending)


def _value_schema(spec: SourceSpec):
    """The source schema without its identity columns, which idnumbers and region_codes check: pandera
    copies what it validates, and a million ID and name strings are the costly part of a copy."""
    skip = {*spec.id_columns, "name", "village_code", "household_no"}
    schema = spec.schema.to_schema()
    return schema.select_columns([c for c in schema.columns if c not in skip])


def _validate_values(item: Ingested) -> None:
    schema = _value_schema(item.spec)
    values = pd.DataFrame({c: item.frame[c] for c in schema.columns}, index=item.frame.index)
    try:
        schema.validate(values, lazy=True)
    except pandera.errors.SchemaErrors as e:
        cases = e.failure_cases.dropna(subset=["index"])
        first = cases.drop_duplicates("index")  # one reason per row: the first failing column
        offending = pd.Series(
            first["column"].astype(object).to_numpy(), index=first["index"].astype("int64").to_numpy()
        )
        offending = offending.reindex(item.frame.index).to_numpy(dtype=object)
        offending = np.where(pd.isna(offending), None, offending)
        item.quarantine(offending != None, Reason.IMPOSSIBLE_VALUE, offending)  # noqa: E711


def _normalise_ids(item: Ingested) -> None:
    for column in item.spec.id_columns:
        norm = idnumbers.normalise(item.frame[column])
        item.frame[column] = norm["id"]
        item.frame[f"{column}__status"] = norm["status"]
        item.frame[f"{column}__num"] = norm["number"]
        item.repairs["id_reformatted"] = item.repairs.get("id_reformatted", 0) + int(norm["reformatted"].sum())
        item.repairs["id_legacy_15_converted"] = item.repairs.get("id_legacy_15_converted", 0) + int(
            (norm["status"] == IdStatus.LEGACY_15).sum()
        )
        status = item.frame[f"{column}__status"].to_numpy()
        item.quarantine(status == IdStatus.MISSING, Reason.MISSING_ID, column)
        item.quarantine(status == IdStatus.MALFORMED, Reason.MALFORMED_ID, column)
        item.quarantine(status == IdStatus.BAD_BIRTH_DATE, Reason.INVALID_BIRTH_DATE, column)
        item.quarantine(status == IdStatus.UNKNOWN_ADDRESS, Reason.UNKNOWN_ADDRESS_CODE, column)


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
    item.compact()
    return item
