"""Text clean-up shared by the extractors: Unicode form, whitespace, hyphenation, running lines.

Extractors call these on raw text so every document reaches the index in one shape: NFC, no control
characters or soft hyphens, single spaces, at most one blank line between paragraphs, words split
across lines joined ("digitali-/sering" -> "digitalisering", but "e-/tjänster" keeps its hyphen),
and PDF running headers and footers (lines repeated on most pages) dropped.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANKS = re.compile(r"\n{3,}")
_HYPHENATED = re.compile(r"(\w+)([-\u00ad\u2010])[ \t]*\n[ \t]*(\w+)")
# "bygg- och miljönämnden": a hyphen before these words is a suspended compound, not a break.
_CONJUNCTIONS = frozenset(
    {"och", "eller", "samt", "respektive", "resp", "till", "som", "and", "or"}
)
_DIGITS = re.compile(r"\d+")
_EDGE_LINES = 3


def clean_text(text: str) -> str:
    """NFC, no control characters, single spaces, trimmed lines, at most one blank line."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = text.replace("\u00ad", "")
    return _BLANKS.sub("\n\n", text).strip()


def join_hyphenated(text: str) -> str:
    """Join words hyphenated across a line break.

    A lower-case word part followed by a lower-case continuation is one word split by layout
    ("digitali-\\nsering"). A single letter, an upper-case abbreviation or a digit before the hyphen
    is a real compound ("e-\\ntjänster", "IT-\\nstöd", "2024-\\n2026"): the hyphen stays. Before a
    conjunction ("bygg-\\noch miljö") the hyphen is a suspended compound and the space stays.
    """

    def repl(match: re.Match[str]) -> str:
        left, hyphen, right = match.group(1), match.group(2), match.group(3)
        if right.lower() in _CONJUNCTIONS:
            return f"{left}- {right}"
        if hyphen == "\u00ad":
            return left + right
        if len(left) >= 2 and left[-2:].islower() and right[0].islower() and left.isalpha():
            return left + right
        return f"{left}-{right}"

    return _HYPHENATED.sub(repl, text)


def _line_key(line: str) -> str:
    # Page numbers differ from page to page ("Sida 3 av 12"): compare with digits masked.
    return _DIGITS.sub("#", " ".join(line.lower().split()))


def drop_running_lines(pages: list[str]) -> list[str]:
    """Drop running headers and footers: lines near the top or bottom of a page that recur there
    on most pages (page numbers included). Needs three pages or more to tell them from content,
    and never empties a page: its only lines are content, however alike from page to page.
    """
    if len(pages) < 3:
        return pages
    split = [[ln for ln in page.split("\n")] for page in pages]
    counts: Counter[str] = Counter()
    for lines in split:
        counts.update({_line_key(ln) for ln in _edges(lines)})
    needed = max(2, math.ceil(len(pages) * 0.5 + 0.01))
    running = {key for key, n in counts.items() if n >= needed and key}
    if not running:
        return pages
    result = []
    for lines in split:
        content_idx = [i for i, ln in enumerate(lines) if ln.strip()]
        edge_idx = set(content_idx[:_EDGE_LINES] + content_idx[-_EDGE_LINES:])
        kept = [
            ln for i, ln in enumerate(lines) if i not in edge_idx or _line_key(ln) not in running
        ]
        # A page made only of "running" lines is a page of one short line each ("Beslut 17"):
        # those lines are its content, and dropping them would empty the whole document.
        result.append("\n".join(kept) if any(ln.strip() for ln in kept) else "\n".join(lines))
    return result


def _edges(lines: list[str]) -> list[str]:
    content = [ln for ln in lines if ln.strip()]
    return content[:_EDGE_LINES] + content[-_EDGE_LINES:]


def first_sentences(text: str, limit: int = 300) -> str:
    """The first sentences of ``text`` up to about ``limit`` characters (a fallback summary)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if end > limit // 3:
        return cut[: end + 1]
    return cut[: cut.rfind(" ")].rstrip(",;:") + " …"
