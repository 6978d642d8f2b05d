"""Template helpers for showing hits and documents: links to the original and the kept copy,
the ``lang`` of a title, the source host, a plain-text excerpt.

``init_app`` makes them, ``translate`` and the labels template globals of the whole app, so the
pages and the embed share them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, url_for

from kb.document import source_name
from kb.lead_text import good_lead, lead_text
from kb.search.results import Hit
from web.context import label, labels
from web.i18n import current_language, translate

EXCERPT_CHARS = 900
LANGUAGE_NAMES = {
    "sv": ("svenska", "Swedish"),
    "en": ("engelska", "English"),
    "fi": ("finska", "Finnish"),
    "no": ("norska", "Norwegian"),
    "da": ("danska", "Danish"),
    "de": ("tyska", "German"),
}


def partial_note(hit: Hit, lang: str | None = None) -> str:
    """What a partial hit lacks, as the results page and the feed say it ("Saknar: …", or that
    it is a related hit); '' for a hit with every word."""
    if not hit.partial:
        return ""
    key = "hit_related" if hit.related else "hit_missing"
    return translate(key, lang, words=", ".join(hit.missing))


def kept_copy_url(doc_id: str, content_type: str = "", page: int | None = None) -> str:
    """Our copy of the original; PDFs open at ``page`` (``#page=N``)."""
    anchor = f"page={page}" if page and content_type == "application/pdf" else None
    return url_for("pages.original", doc_id=doc_id, _anchor=anchor)


def public_url(source: str, doc_id: str) -> str:
    """Where clients may fetch the original: its http(s) URL, else our link to the kept copy.

    A document ingested from disk has the server's file path as its source; that is never shown.
    """
    if urlsplit(source).scheme in ("http", "https"):
        return source
    return url_for("pages.original", doc_id=doc_id, _external=True)


def original_url(
    url: str, source: str = "", content_type: str = "", page: int | None = None
) -> str:
    """The original on the web (http/https only: a file path means nothing to a browser)."""
    for candidate in (url, source):
        if candidate and urlsplit(candidate).scheme in ("http", "https"):
            if page and content_type == "application/pdf" and "#" not in candidate:
                return f"{candidate}#page={page}"
            return candidate
    return ""


def source_host(url: str, source: str = "") -> str:
    """``uddevalla.se`` for a web source, the file name for a local one (kb's source_name)."""
    return source_name(url or source)


def lang_attr(language: str | None) -> str:
    """The language code when it differs from the page's, for a ``lang`` attribute; else ''."""
    code = (language or "sv").split("-")[0].lower()
    return code if code.isalpha() and code != current_language() else ""


def language_name(code: str) -> str:
    """``svenska`` / ``Swedish`` for ``sv``; unknown codes as they are."""
    names = LANGUAGE_NAMES.get(code)
    if not names:
        return code
    return names[1] if current_language() == "en" else names[0]


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of ``text`` cut at a word boundary, whitespace tidied (plain text: escape it)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit)
    return flat[: cut if cut > limit // 2 else limit].rstrip(" ,.;:") + " …"


def document_lead(summary: str, text: str) -> str:
    """The lead of a document page: its summary, or its first real sentences when the stored
    summary is page furniture or starts mid-sentence (kb.lead_text; older indexes have such)."""
    return summary if good_lead(summary) else lead_text(text)


def hit_language(hit: object) -> str:
    """A hit's document language when kb provides it (``Hit.language``), else Swedish."""
    return str(getattr(hit, "language", "") or "sv")


def init_app(app: Flask) -> None:
    """Make the helpers available in every template of ``app``."""
    for func in (
        kept_copy_url,
        original_url,
        source_host,
        lang_attr,
        language_name,
        document_lead,
    ):
        app.add_template_global(func)
    app.add_template_global(translate, "translate")
    app.add_template_global(label, "label")
    app.add_template_global(labels, "labels")
