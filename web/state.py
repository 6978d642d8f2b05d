"""The app's one KnowledgeBase and the label lookups every page needs.

The KnowledgeBase is opened once by ``create_app`` and shared by all threads (it is thread-safe);
requests only borrow it. Labels come from its taxonomy in the request's language.
"""

from __future__ import annotations

from flask import current_app

from kb.errors import KbError
from kb.service import KnowledgeBase
from web.i18n import current_language

EXTENSION_KEY = "kunskapsbanken"


def get_kb() -> KnowledgeBase:
    """The KnowledgeBase of the current app."""
    kb: KnowledgeBase = current_app.extensions[EXTENSION_KEY]
    return kb


def label(facet: str, value: str) -> str:
    """The display name of a facet value (a focus area, an SCB code...) in the request's language.

    Unknown values show as themselves: an old document may carry a value the taxonomy dropped.
    """
    try:
        return str(get_kb().taxonomy.label(facet, value, current_language()))
    except (KbError, KeyError, ValueError):
        return value


def labels(facet: str, values: tuple[str, ...] | list[str]) -> list[str]:
    """``label`` for each value, in order."""
    return [label(facet, v) for v in values]
