"""Parse the machine-readable dates found in markup and metadata into ISO form.

Covers what pages and files actually carry: ISO 8601 (with time and zone), compact "20240305",
"2024/03/05", RFC 2822 (HTTP Last-Modified), Swedish "5 mars 2024" and "2024-03" / "2024".
Dates in running text are the enrichment's job, not this module's.
"""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_to_datetime

_MONTHS = {
    "jan": 1, "januari": 1, "january": 1, "feb": 2, "februari": 2, "february": 2, "mar": 3,
    "mars": 3, "march": 3, "apr": 4, "april": 4, "maj": 5, "may": 5, "jun": 6, "juni": 6,
    "june": 6, "jul": 7, "juli": 7, "july": 7, "aug": 8, "augusti": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "okt": 10, "oktober": 10, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_ISO = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T ]|\s*$)")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:\D|$)")
_WORDS = re.compile(r"^\s*(\d{1,2})\.?\s+([a-zåäö]+)\.?\s+(\d{4})\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"^\s*([a-zåäö]+)\.?\s+(\d{4})\b", re.IGNORECASE)
MIN_YEAR = 1950
MAX_YEAR = 2100


def iso_date(raw: str) -> str | None:
    """``raw`` as "YYYY-MM-DD", "YYYY-MM" or "YYYY"; None when it is not a plausible date."""
    raw = (raw or "").strip()
    if not raw or len(raw) > 64:
        return None
    match = _COMPACT.match(raw)
    if match:
        return valid_date(int(match[1]), int(match[2]), int(match[3]))
    match = _ISO.match(raw)
    if match:
        year = int(match[1])
        month = int(match[2]) if match[2] else None
        day = int(match[3]) if match[3] else None
        return valid_date(year, month, day)
    match = _WORDS.match(raw)
    if match and match[2].lower() in _MONTHS:
        return valid_date(int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
    match = _MONTH_YEAR.match(raw)
    if match and match[1].lower() in _MONTHS:
        return valid_date(int(match[2]), _MONTHS[match[1].lower()], None)
    try:
        return parsedate_to_datetime(raw).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def valid_date(
    year: int,
    month: int | None,
    day: int | None,
    max_year: int = MAX_YEAR,
    min_year: int = MIN_YEAR,
) -> str | None:
    """ISO "YYYY-MM-DD", "YYYY-MM" or "YYYY" for a real date in range, else None."""
    if not min_year <= year <= max_year:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
