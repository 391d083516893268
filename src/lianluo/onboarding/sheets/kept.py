"""The rows of a checked sheet, kept for the confirmation so that the workbook is parsed once.

The preview reads the workbook (the costly part of an import: every cell's XML) and keeps
what it read as compact gzipped JSON; the confirmation validates these rows again against the
database as it is then, without reading the file again. The bytes name the file they were
read from and the import kind: rows that do not match are not used (`None`), and the caller
reads the file as before.
"""

from __future__ import annotations

import gzip
import json
from typing import Any

from lianluo.onboarding.sheets.messages import RowError
from lianluo.onboarding.sheets.reading import Sheet, SheetRow

VERSION = 1


def sheet_dump(sheet: Sheet, *, kind: str, source: str) -> bytes:
    """The sheet as bytes: one list per row (its number, then its values in `keys` order)."""
    keys = sorted({k for r in sheet.rows for k in r.values})
    data = {
        "version": VERSION,
        "kind": kind,
        "source": source,
        "headers": sheet.headers,
        "keys": keys,
        "rows": [[r.number, *(r.values.get(k) for k in keys)] for r in sheet.rows],
        "errors": [[e.row, e.column, e.header, e.code, e.params] for e in sheet.errors],
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode(), compresslevel=1)


def sheet_load(raw: bytes, *, kind: str, source: str) -> Sheet | None:
    """The sheet kept by `sheet_dump` for this kind and file; None if the bytes are not that."""
    try:
        data: dict[str, Any] = json.loads(gzip.decompress(raw))
    except (OSError, EOFError, ValueError):
        return None
    if (data.get("version"), data.get("kind"), data.get("source")) != (VERSION, kind, source):
        return None
    keys: list[str] = data["keys"]
    rows = [
        SheetRow(row[0], {k: v for k, v in zip(keys, row[1:], strict=True) if v is not None})
        for row in data["rows"]
    ]
    errors = [
        RowError(n, column, header, code, params)
        for n, column, header, code, params in data["errors"]
    ]
    return Sheet(dict(data["headers"]), rows, errors)
