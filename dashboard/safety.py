"""Text from the chain or IPFS is anyone's input: shown inert and exported safe.

- :func:`inert` makes a string safe to show as plain text *and* honest about what it holds: control characters
  and the Unicode bidirectional controls (which can make ``exe.png`` read as ``png.exe``) become visible
  ``\\u202e``-style escapes. The site shows such text only through widgets that never interpret HTML or
  Markdown (tables, ``st.text``, ``st.code``); :func:`html_escape` serves where markup is unavoidable.
- :func:`csv_bytes` writes a table as CSV that spreadsheets open without running anything: a cell that starts
  with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'`` (OWASP's CSV injection
  advice), after control characters were made visible. Numbers stay numbers.
"""

from __future__ import annotations

import html
import re

import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# What is escaped: C0 and C1 controls, the bidirectional formatting marks and isolates, zero-width and other
# invisible format characters, line and paragraph separators, interlinear annotation marks, lone surrogates
# and private-use characters (which fonts may draw as anything).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb"
    "\ud800-\udfff\ue000-\uf8ff\U000f0000-\U0010ffff]"
)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}"


def inert(value: object) -> str:
    """``value`` as text with every control, bidirectional and invisible character written as an escape."""
    text = "" if value is None else str(value)
    return _UNSAFE.sub(_escape, text)


def html_escape(value: object) -> str:
    """Inert text, HTML-escaped (quotes too), for the few places that render markup."""
    return html.escape(inert(value), quote=True)


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=])")


def markdown_text(value: object) -> str:
    """Inert text with every Markdown and HTML character backslash-escaped, for the widgets whose body is
    Markdown (``st.success``, ``st.error``, ``st.caption``): a chain string can then make no link, image or
    formatting there."""
    return _MARKDOWN.sub(r"\\\1", inert(value))


def formula_safe(value: object) -> object:
    """A cell value a spreadsheet will not run: text starting with a formula trigger gets a leading ``'``."""
    if not isinstance(value, str):
        return value
    text = inert(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are :func:`inert`."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: inert(v) if isinstance(v, str) else v)
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV (with BOM, so spreadsheets read the Chinese right), formula-safe."""
    safe = frame.copy()
    safe.columns = [formula_safe(str(c)) for c in safe.columns]
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(formula_safe)
    return safe.to_csv(index=False).encode("utf-8-sig")
