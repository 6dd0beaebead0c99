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
import unicodedata

import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Bidirectional formatting characters (Unicode category Cf that reorders text) and other invisible marks.
_INVISIBLE = {0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A, 0x202B, 0x202C, 0x202D,
              0x202E, 0x2060, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF}


def inert(value: object) -> str:
    """``value`` as text with every control, bidirectional and invisible character written as an escape."""
    text = "" if value is None else str(value)
    out = []
    for char in text:
        code = ord(char)
        if code in _INVISIBLE or unicodedata.category(char) in ("Cc", "Cs", "Co") or (0xFFF9 <= code <= 0xFFFB):
            out.append(f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}")
        else:
            out.append(char)
    return "".join(out)


def html_escape(value: object) -> str:
    """Inert text, HTML-escaped (quotes too), for the few places that render markup."""
    return html.escape(inert(value), quote=True)


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
