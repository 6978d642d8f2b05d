"""Choose a document's date: the decision or meeting date, else the publication date.

Owns reading dates in running text ("2023-05-12", "12 maj 2023", "oktober 2022", a bare year),
scoring them by anchor words ("Sammanträdesdatum" up, "gäller till" down), position and
precision, the year an official series designation states ("SOU 2023:12"), and weighing them
against the address's and the metadata's dates. Imports ingest.extract.dates only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit

from ingest.extract.dates import iso_date, valid_date

MIN_YEAR = 1990  # bare years and months: "sedan 1970", "grundat 1850" are history, not dates
# A day-level date with an anchor word ("Beslut: 1987-10-08", "Utfärdad: 1949-04-05") or in the
# title is a date even before 1990: kommittédirektiv (1987–), propositions and statutes still in
# force are older than the bare-year floor. 1900 is the year filter's own floor (kb.search).
MIN_YEAR_DAY = 1900
SCAN_CHARS = 60_000  # dates that matter stand near the top; the tail is scanned separately
TAIL_CHARS = 2_000  # signatures: "Skövde i oktober 2021"
LEAD_CHARS = 400
ANCHOR_WINDOW = 60  # characters before a date, on the same line, searched for an anchor word

_MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10,
}  # fmt: skip
# Abbreviated months on slides and covers ("3 nov 2020", "v.1.2 - Okt 2020", "Dec. 2020"). A
# bare "jul" is Christmas ("jul 2020"), so July abbreviated needs its full stop.
_ABBREVIATED = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "okt": 10, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    "(?P<month>"
    + "|".join(sorted(_MONTHS, key=len, reverse=True))
    + "|(?:sept|jan|feb|mar|apr|jun|aug|sep|okt|oct|nov|dec)\\.?|jul\\.)"
)
_PATTERNS = (
    # precision, pattern
    (3, re.compile(r"(?<![\d/.-])(?P<year>\d{4})-(?P<mon>\d{1,2})-(?P<day>\d{1,2})(?!\d)")),
    (3, re.compile(rf"(?<!\d)(?P<day>\d{{1,2}})(?::[ae])?\s+{_MONTH}\s+(?P<year>\d{{4}})(?!\d)",
                   re.I)),
    (3, re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}),\s+(?P<year>\d{{4}})(?!\d)", re.I)),
    (2, re.compile(rf"\b{_MONTH}\s+(?P<year>\d{{4}})(?!\d)", re.I)),
    # A bare year, but not a diary or statute number ("Dnr 2018/412", "(2017:900)") nor a
    # decade ("1990-talet", "2010-talets", "1990- och 2000-talen", "the 1990s").
    (1, re.compile(r"(?<![\d/:.-])(?P<year>(?:19|20)\d{2})"
                   r"(?![\d/:]|-\d|\.\d|-tal|s\b|-\s*(?:och|eller|till)\s+\d{2,4}-tal)")),
)  # fmt: skip
# Words before a date that say what it is; the nearest one counts.
_ANCHORS = (
    (6.0, r"sammanträdesdatum|sammanträde[t]?|beslutsdatum|protokoll|beslut(?:ad|ade|at|et)?|"
          r"antagen|antagna|antaget|antogs|fastställd|fastställt|fastställda|justerat?|"
          r"utfärdad|meeting|decided|adopted"),
    (4.0, r"publicerad|publicerat|datum|daterad|rapportdatum|reviderad|utgiven|version|"
          r"date|published|submitted|v(?:er)?\.?\s?\d+(?:\.\d+)+"),
    # A page's revision ("Publicerad 1 januari 1999 · Uppdaterad 2 april 2015"): a reader takes
    # the publication as the page's date; "Senast uppdaterad" is no deadline ("senast").
    (0.0, r"uppdaterad|uppdaterat|ändrad|ändrat|updated|last\s+modified|modified"),
    (-6.0, r"gäller\s+till|gäller\s+från|giltig\s+till|senast|till\s+och\s+med|t\.o\.m\.?|"
           r"från\s+och\s+med|fr\.o\.m\.?|före|innan|nästa\s+möte|deadline|sista\s+dag|"
           r"valid\s+until"),
)  # fmt: skip
_ANCHOR_RES = tuple((w, re.compile(rf"(?<!\w)(?:{p})(?!\w)", re.I)) for w, p in _ANCHORS)
_LABEL = re.compile(r"[\w ]{1,30}")  # a line holding only a label ("Datum", "Sammanträdesdatum")
# A bare year after these words is a year the text is about ("budget för 2027", "inför 2030",
# "under 2024"), not the document's date, however near an anchor word it stands.
_SUBJECT_YEAR = re.compile(r"(?<!\w)(?:för|inför|under|till|mot|år|året|budgetår)\s+$", re.I)
W_TITLE_DATE, W_LEAD, W_RANGE = 3.0, 2.0, -2.0
_URL_DAY = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})-(?P<mon>\d{2})-(?P<day>\d{2})(?!\d)")
_URL_MONTH = re.compile(r"/(?P<year>(?:19|20)\d{2})/(?P<mon>0?[1-9]|1[0-2])/")
# "Skövde i oktober 2021" on a short line at the very end: the place and date of signing.
W_DATELINE, DATELINE_CHARS, DATELINE_LINE = 2.0, 300, 80
# A text date at least this good (an anchored date) beats the file's metadata dates.
ANCHORED = 6.0
# The designation a Swedish official series gives a document: "Dir. 1987:42", "SOU 2023:12",
# "Ds 2019:1". Directives are numbered in the year they are decided, SOU and Ds in the year they
# are published, so the designation states the document's year. Not "Prop. 1994/95:72" (a
# riksmöte runs from autumn to summer and the government signs propositions in either year)
# and not "SFS 2018:218" (a statute that the text cites).
_SERIES = r"(?:Dir|dir|Kommittédirektiv|SOU|Ds)\.?\s+(?P<year>(?:19|20)\d{2}):\d{1,4}(?![\d:/])"
_SERIES_IN_TITLE = re.compile(rf"(?<![\w/.-]){_SERIES}")
_SERIES_LINE = re.compile(
    rf"\s*(?:Kommittédirektiv|Statens offentliga utredningar|Departementsserien)?\s*{_SERIES}\s*"
)
# A title with these words answers or cites another document ("Yttrande över SOU 2023:12").
_RESPONSE = re.compile(
    r"(?<!\w)(?:yttrande|remiss\w*|svar|synpunkter|kommentar\w*|över|angående|enligt|"
    r"med anledning av)(?!\w)",
    re.I,
)


@dataclass(frozen=True)
class DateChoice:
    """The chosen date and why: ``evidence`` is the text around it or "metadata"."""

    value: str  # "YYYY-MM-DD", "YYYY-MM" or "YYYY"
    evidence: str
    score: float


@dataclass(frozen=True)
class _Candidate:
    value: str
    score: float
    position: int  # -1 for the title
    snippet: str


def _valid(
    year: int, month: int | None, day: int | None, today: date, min_year: int = MIN_YEAR
) -> str | None:
    # A document dated more than a year ahead is a typo or a planned date, not its own date.
    value = valid_date(year, month, day, max_year=today.year + 1, min_year=min_year)
    if value and len(value) == 10 and date.fromisoformat(value) > today + timedelta(days=366):
        return None
    return value


def _anchor(before: str) -> float:
    """The weight of the anchor word nearest the date (0 when there is none)."""
    best_pos, best_weight = -1, 0.0
    for weight, pattern in _ANCHOR_RES:
        for m in pattern.finditer(before):
            if m.end() > best_pos:
                best_pos, best_weight = m.end(), weight
    return best_weight


def _label_above(text: str, line_start: int) -> float:
    """The anchor of a date alone on its line under a line holding only its label: a letterhead
    laid out as a table ("Datum" above "2026-01-15" in extracted PDF text)."""
    above_start = text.rfind("\n", 0, max(0, line_start - 1)) + 1
    label = text[above_start : max(above_start, line_start - 1)].strip().rstrip(":")
    return _anchor(label) if _LABEL.fullmatch(label) else 0.0


def _candidates(
    text: str, offset: int, in_title: bool, today: date, total: int
) -> list[_Candidate]:
    found: list[_Candidate] = []
    taken: list[tuple[int, int]] = []
    for precision, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            groups = m.groupdict()
            month = groups.get("mon") or groups.get("month")
            if month and not month.isdigit():
                name = month.lower().rstrip(".")
                month = str(_MONTHS.get(name) or _ABBREVIATED[name])
            value = _valid(
                int(groups["year"]),
                int(month) if month else None,
                int(groups["day"]) if groups.get("day") else None,
                today,
                MIN_YEAR_DAY if precision == 3 else MIN_YEAR,
            )
            taken.append((m.start(), m.end()))
            if value is None:
                continue
            line_start = text.rfind("\n", 0, m.start()) + 1
            before = text[max(line_start, m.start() - ANCHOR_WINDOW) : m.start()]
            anchor = _anchor(before)
            if not before.strip():
                anchor = _label_above(text, line_start)
            if precision == 1 and _SUBJECT_YEAR.search(before):
                anchor = min(anchor, 0.0)  # "beslut om budget för 2027": the year decided on
            if int(value[:4]) < MIN_YEAR and anchor <= 0 and not in_title:
                continue  # an old day-level date counts only when a word says what it is
            score = precision + anchor
            if in_title and precision == 3:
                score += W_TITLE_DATE
            elif not in_title and offset + m.start() < LEAD_CHARS:
                score += W_LEAD
            line_end = text.find("\n", m.end())
            line_end = len(text) if line_end < 0 else line_end
            if (
                not in_title
                and offset + m.start() >= total - DATELINE_CHARS
                and line_end - line_start <= DATELINE_LINE
            ):
                score += W_DATELINE
            if re.match(r"\s*[–-]\s*\w", text[m.end() : m.end() + 4]) or re.search(
                r"[–-]\s*$", text[max(0, m.start() - 3) : m.start()]
            ):
                score += W_RANGE  # one end of a period ("2019–2025"), not the document's date
            shown = before[-40:]
            if len(before) > 40 and " " in shown:
                shown = shown[shown.index(" ") :]  # do not start in the middle of a word
            snippet = " ".join((shown + m[0]).split())
            found.append(_Candidate(value, score, -1 if in_title else offset + m.start(), snippet))
    return found


def url_date(url: str | None, today: date) -> str | None:
    """The publication date a web address states in its path: "/2023/03/" (news and press
    archives, WordPress) gives "2023-03", a full date in a file or page name ("…-2025-11-21.pdf")
    gives the day. Only for web addresses: a local file's name is whatever its copier chose."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    path = urlsplit(url).path
    found = None
    for day in _URL_DAY.finditer(path):
        found = _valid(int(day["year"]), int(day["mon"]), int(day["day"]), today) or found
    if found is None and (month := _URL_MONTH.search(path)):
        found = _valid(int(month["year"]), int(month["mon"]), None, today)
    return found


def series_year(title: str, text: str, today: date) -> tuple[str, str] | None:
    """The year (and the designation) of the document's own series designation: in its title,
    or on a line of its own near the top ("SOU 2023:12" on a report's cover). A designation
    inside a sentence ("enligt SOU 2009:86") is one the text cites. Two different years on
    such lines (a list of publications) say nothing."""
    found: dict[str, str] = {}
    if (m := _SERIES_IN_TITLE.search(title)) and not _RESPONSE.search(title):
        found[m["year"]] = " ".join(m[0].split())
    else:
        for line in text[:LEAD_CHARS].splitlines():
            if m := _SERIES_LINE.fullmatch(line):
                found.setdefault(m["year"], " ".join(line.split()))
    if len(found) != 1:
        return None
    year, designation = next(iter(found.items()))
    return (year, designation) if _valid(int(year), None, None, today, MIN_YEAR_DAY) else None


def find_date(
    title: str,
    text: str,
    meta_dates: tuple[str, ...] = (),
    *,
    today: date | None = None,
    url: str | None = None,
) -> DateChoice | None:
    """The document's date, or None when neither text, address nor metadata has a plausible one.

    Args:
        title: the title ("KS 2023-05-10 § 112 ..." carries the meeting date).
        text: the full text.
        meta_dates: dates from the file's metadata, best first (published before created).
        today: the reference day for "in the future" (default: today).
        url: the web address it was published at ("/pressmeddelanden/2023/03/…"): below an
            anchored date of the text, above the file's metadata and loose dates.
    """
    today = today or date.today()
    text = text.rstrip()
    cands = _candidates(title, 0, True, today, len(title))
    cands += _candidates(text[:SCAN_CHARS], 0, False, today, len(text))
    if len(text) > SCAN_CHARS:
        tail_start = max(SCAN_CHARS, len(text) - TAIL_CHARS)
        cands += _candidates(text[tail_start:], tail_start, False, today, len(text))
    if own := series_year(title, text, today):
        return _in_year(own, cands, url_date(url, today), meta_dates)
    best = min(cands, key=lambda c: (-c.score, c.position), default=None)
    if best is not None and best.score >= ANCHORED:
        return DateChoice(best.value, best.snippet, best.score)
    if published := url_date(url, today):
        return DateChoice(published, "webbadress / web address", ANCHORED)
    for raw in meta_dates:
        value = iso_date(raw)
        if value and _valid(int(value[:4]), None, None, today):
            return DateChoice(value, "metadata", ANCHORED)
    if best is None:
        return None
    return DateChoice(best.value, best.snippet, best.score)


def _in_year(
    own: tuple[str, str],
    cands: list[_Candidate],
    published: str | None,
    meta_dates: tuple[str, ...],
) -> DateChoice:
    """The date of a document whose designation states its year: an anchored text date, the
    address's or the metadata's date in that year make it precise; other years are someone
    else's (an SOU's appended directive was decided years before the report)."""
    year, designation = own
    same = [c for c in cands if c.value[:4] == year and c.score >= ANCHORED]
    if best := min(same, key=lambda c: (-c.score, c.position), default=None):
        return DateChoice(best.value, best.snippet, best.score)
    if published and published[:4] == year:
        return DateChoice(published, "webbadress / web address", ANCHORED)
    for raw in meta_dates:
        if (value := iso_date(raw)) and value[:4] == year:
            return DateChoice(value, "metadata", ANCHORED)
    return DateChoice(year, designation, ANCHORED)
