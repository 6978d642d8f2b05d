"""The lead text of a document: its first real sentences, never page furniture or half a sentence.

Extracted text often opens with what a page or a letterhead puts around the content: menus
("Hoppa till innehåll", "Logga in"), page numbers ("Sida 1 av 12"), diary numbers, dates,
addresses, a table of contents, headings without a full stop; a PDF page may open in the middle of
a sentence carried over from the page before. ``lead_text`` skips such lines and starts at the
first line that reads as prose (several words ending in a full stop), at a sentence start, then
takes whole sentences up to ``limit`` characters. Ingest stores it as the summary when the source
gives none (ingest/normalise.py); the pages and hits apply it to what older indexes stored.
Standard library only.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

DEFAULT_LIMIT = 300
# A line of prose has at least this many words (a heading or a menu item has fewer).
MIN_PROSE_WORDS = 6
# Lines looked at before giving up and using the text's start as it is.
MAX_LINES = 200
# Lines a wrapped sentence may run on for before its full stop.
WRAP_LINES = 3

_FURNITURE = re.compile(
    r"^(?:sida|page|sid\.?)\s*\d+(?:\s*(?:av|of|/)\s*\d+)?\b"
    r"|hoppa till|skip to|logga in|log in|meny\b|menu\b|sök på webbplatsen|kakor|cookies"
    r"|innehållsförteckning|table of contents|^innehåll\b"
    r"|diarienummer|\bdnr\b|^datum\b|^date\b|^tel(?:efon)?\b|^e-?post\b|^org(?:anisations)?\.?\s*nr"
    r"|https?://|www\.|@\w+\.\w+|©|copyright|alla rättigheter"
    r"|\.{4,}|…{2,}",  # dot leaders of a table of contents
    re.IGNORECASE,
)
# A sentence ends at . ! ? followed by a space and an upper-case letter, a digit or a quote.
_SENTENCE_END = re.compile(r"[.!?](?=\s+[\"'”»(]?[A-ZÅÄÖÉÜ0-9])")
_STARTS_SENTENCE = re.compile(r"^[\"'”»(]?[A-ZÅÄÖÉÜ0-9]")
_ENDS_SENTENCE = re.compile(r"[.!?](?:\s|$)")


def is_furniture(line: str) -> bool:
    """A line that frames a page rather than says something (menu, page number, contents...)."""
    return bool(_FURNITURE.search(line)) or _mostly_not_words(line)


# ASCII letters deleted by str.translate (in C): what is left holds the other characters, whose
# letters are counted one by one (Swedish å/ä/ö, é, ü...).
_DROP_ASCII_LETTERS = str.maketrans("", "", string.ascii_letters)


def _mostly_not_words(line: str) -> bool:
    rest = line.translate(_DROP_ASCII_LETTERS)
    letters = len(line) - len(rest) + sum(map(str.isalpha, rest))
    return letters < len(line.replace(" ", "")) * 0.6


def _is_prose(line: str) -> bool:
    return len(line.split()) >= MIN_PROSE_WORDS and bool(re.search(r"[.!?:]\s*$|[.!?]\s", line))


def _wraps_on(line: str, raws: list[str], i: int) -> bool:
    """A sentence's first line in a wrapped paragraph: it starts a sentence, is long, the next
    line goes on in lower case and a sentence ends within the next few lines ("... för de åtta" /
    "medlemskommunerna Borås ... och" / "Vårgårda. Slutsatsen ..."). Taken for prose, so the lead
    does not begin at a later line that merely opens with a name ("Vårgårda.")."""
    if len(line.split()) < MIN_PROSE_WORDS or not _STARTS_SENTENCE.match(line):
        return False
    if i + 1 >= len(raws) or not raws[i + 1].lstrip()[:1].islower():
        return False
    for following in raws[i + 1 : i + 1 + WRAP_LINES]:
        if is_furniture(following):
            return False
        if _ENDS_SENTENCE.search(following):
            return True
    return False


def good_lead(summary: str) -> bool:
    """Whether a stored summary may stand as the lead: it starts a sentence and is no furniture
    (an author's description passes; a summary cut from the text's raw start may not)."""
    flat = " ".join(summary.split())
    return bool(flat) and bool(_STARTS_SENTENCE.match(flat)) and not is_furniture(flat[:120])


def lead_text(text: str, limit: int = DEFAULT_LIMIT) -> str:
    """The first prose sentences of ``text``, up to about ``limit`` characters, whitespace tidied.

    Falls back to the start of the text (cut at a word) when no line reads as prose. Runs on
    every hit that shows no match (kb.search.snippets), so it reads only as far as its answer
    needs: a line is tidied only when it may start the lead (it starts a sentence or holds a
    sentence end; tidying whitespace changes neither), and lines are joined only until ``limit``
    is passed.
    """
    raws = [raw for raw in text.splitlines() if raw and not raw.isspace()][:MAX_LINES]
    lines: dict[int, str] = {}  # tidied lines so far, by index

    def tidy(i: int) -> str:
        line = lines.get(i)
        if line is None:
            line = lines[i] = " ".join(raws[i].split())
        return line

    start = None
    for i, raw in enumerate(raws):
        if not _STARTS_SENTENCE.match(raw.lstrip()) and _SENTENCE_END.search(raw) is None:
            continue  # neither starts a sentence nor holds the start of one
        line = tidy(i)
        end = None if _STARTS_SENTENCE.match(line) else _SENTENCE_END.search(line)
        if is_furniture(line) or not (_is_prose(line) or _wraps_on(line, raws, i)):
            continue
        if end is not None:
            # Carried over from a previous page: begin at the next sentence of this line.
            lines[i] = line[end.end() :].lstrip()
            if not _is_prose(lines[i]) and len(lines[i].split()) < 3:
                continue
        start = i
        break
    if start is None:
        return _cut(_joined(map(tidy, range(len(raws))), limit), limit)
    # Following furniture lines (a page number between pages) are left out of the lead too.
    return _cut(_joined(map(tidy, range(start, len(raws))), limit, skip_furniture=True), limit)


def _joined(lines: Iterable[str], limit: int, skip_furniture: bool = False) -> str:
    """``" ".join(lines)`` (furniture left out if asked) as far as ``_cut(..., limit)`` reads
    it: the whole join when it is at most ``limit + 1`` characters, else a longer prefix."""
    parts: list[str] = []
    size = -1
    for line in lines:
        if skip_furniture and is_furniture(line):
            continue
        parts.append(line)
        size += len(line) + 1
        if size > limit + 1:
            break
    return " ".join(parts)


def _cut(flat: str, limit: int) -> str:
    if len(flat) <= limit:
        return flat
    head = flat[:limit]
    ends = [m.start() for m in _SENTENCE_END.finditer(flat[: limit + 1])]
    if ends and ends[-1] > limit // 3:
        return flat[: ends[-1] + 1]
    space = head.rfind(" ")
    return head[: space if space > 0 else limit].rstrip(",;:") + " …"
