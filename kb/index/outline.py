"""The outline of a document's text for the weighted index fields: its headings and its lead.

Extraction gives plain text page by page, without markup, so headings are recognised by their
shape, the way a reader sees them: a short block standing alone between blank lines (a Markdown
or HTML heading after extraction) that introduces a longer one. Such a line has at most
``MAX_WORDS`` words, starts with a capital letter or a digit, and does not end like a sentence or
a list item; a run of short blocks (a menu, a table caption) gives none. Repeated headings count
once, the title is left out (it has its own field), and at most ``MAX_HEADINGS`` are kept so a
long report cannot win on the number of its headings.

The lead is what a document says first: its summary (the page's description or first
sentences), else its first ``LEAD_WORDS`` words. Imports only the standard library.
"""

from __future__ import annotations

from collections.abc import Sequence

MAX_WORDS = 12  # a heading is short ...
MAX_CHARS = 100
MAX_HEADINGS = 40  # ... and a document has a bounded number of them in the index
LEAD_WORDS = 60
_NOT_LAST = ".,;:"  # a line ending like this continues or ends a sentence
_NOT_FIRST = "•·-–—*|<>([{\"'"  # bullets, table rows, markup, quotes


def _is_heading_shape(line: str) -> bool:
    words = line.split()
    if not 1 <= len(words) <= MAX_WORDS or len(line) > MAX_CHARS:
        return False
    first = line[0]
    if first in _NOT_FIRST or line[-1] in _NOT_LAST:
        return False
    return first.isupper() or (first.isdigit() and any(c.isalpha() for c in line))


def headings(pages: Sequence[str], title: str = "") -> list[str]:
    """The heading-like lines of ``pages`` in order (see the module docstring)."""
    seen = {" ".join(title.split()).casefold()}
    found: list[str] = []
    for text in pages:
        blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
        for i, raw in enumerate(blocks[:-1]):
            # A heading is one line that introduces text: a short block followed by another
            # short block is a menu, a list or a table caption.
            block = " ".join(raw.split())
            if "\n" in raw or not _is_heading_shape(block) or _is_heading_shape(blocks[i + 1]):
                continue
            key = block.casefold()
            if key not in seen:
                seen.add(key)
                found.append(block)
                if len(found) >= MAX_HEADINGS:
                    return found
    return found


def lead(summary: str, pages: Sequence[str]) -> str:
    """The summary, or the first ``LEAD_WORDS`` words of the text when there is none."""
    if summary.strip():
        return summary
    words: list[str] = []
    for text in pages:
        words.extend(text.split()[: LEAD_WORDS - len(words)])
        if len(words) >= LEAD_WORDS:
            break
    return " ".join(words)
