"""Downloads of tables: CSV that Excel opens correctly and safely, and JSON as a file.

CSV is RFC 4180 (comma, CRLF, fields quoted when they hold a comma, quote or line break), UTF-8
with a byte-order mark so Excel reads å, ä and ö, and formula-injection safe: a text cell that
starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return, which Excel also strips
before reading a formula) gets a leading apostrophe, so a document title cannot run as a formula
on an officer's computer (OWASP "CSV injection"). Numbers stay numbers. Imports flask only.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from flask import Response

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Excel with Swedish settings expects ";" in a double-clicked file: ``?sep=semicolon``.
SEPARATORS = {"comma": ",", "semicolon": ";"}

Cell = str | int | float | None


def safe_cell(value: Cell) -> str | int | float:
    """A cell as written: text that a spreadsheet would read as a formula is made literal."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]], separator: str = ",") -> str:
    """The CSV text (with the byte-order mark) of ``header`` and ``rows``."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=separator, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return out.getvalue()


def csv_response(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], filename: str, separator: str = ","
) -> Response:
    """A CSV download named ``filename``."""
    body = csv_text(header, rows, separator).encode("utf-8")
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8; header=present"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_response(data: Any, filename: str) -> Response:
    """A JSON download named ``filename`` (UTF-8, Swedish letters as they are)."""
    body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def separator(raw: str) -> str:
    """The field separator a ``sep`` URL parameter asks for (comma unless ``semicolon``)."""
    return SEPARATORS.get(raw, ",")
