"""What every handler borrows from the app: the one KnowledgeBase and the display labels of values.

``create_app`` installs the KnowledgeBase once (it is thread-safe and shared by every request
thread); handlers reach it with ``current_kb()`` and show facet values with ``label()``. Handler
modules import this module, never web.app, so the web modules form a graph without cycles. Imports
flask, kb and web.i18n only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import Flask, current_app

from kb.errors import KbError
from kb.service import KnowledgeBase
from web.i18n import current_language

# Where the app keeps its KnowledgeBase (``app.extensions[EXTENSION_KEY]``); tests close it there.
EXTENSION_KEY = "kunskapsbanken"


def install(app: Flask, kb: KnowledgeBase) -> None:
    """Make ``kb`` the KnowledgeBase every request of ``app`` uses."""
    app.extensions[EXTENSION_KEY] = kb


def current_kb() -> KnowledgeBase:
    """The KnowledgeBase of the current app."""
    kb: KnowledgeBase = current_app.extensions[EXTENSION_KEY]
    return kb


def label(facet: str, value: str) -> str:
    """The display name of a facet value (a focus area, an SCB code...) in the request's language.

    Unknown values show as themselves: an old document may carry a value the taxonomy dropped.
    """
    try:
        kb = current_kb()
        return kb.facets.label(kb.taxonomy, facet, value, current_language())
    except (KbError, KeyError, ValueError):
        return value


def labels(facet: str, values: Sequence[str]) -> list[str]:
    """``label`` for each value, in order."""
    return [label(facet, v) for v in values]


def request_labeler() -> Callable[[str, str], str]:
    """``label`` for the many values of one page: the KnowledgeBase, the language and each
    facet's label table looked up once, not once per value (a results page labels ~150)."""
    kb = current_kb()
    lang = current_language()
    tables: dict[str, Callable[[str], str]] = {}

    def lookup(facet: str, value: str) -> str:
        table = tables.get(facet)
        if table is None:
            try:
                table = kb.facets[facet].labeler(kb.taxonomy, lang)
            except (KbError, KeyError, ValueError):
                table = str
            tables[facet] = table
        return table(value)

    return lookup
