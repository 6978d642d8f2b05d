"""Path parameters the URL map parses before any view runs: document ids.

``/documents/<doc_id:doc_id>`` (pages and API) only matches a string shaped like a document id
(kb.document.DOCUMENT_ID_PATTERN, the same rule the store applies), so a path such as
``/documents/..%2fetc`` is a 404 from routing, without a lookup, and no view checks ids itself.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import BaseConverter

from kb.document import DOCUMENT_ID_PATTERN


class DocumentIdConverter(BaseConverter):
    """``<doc_id:name>``: a document id, or no match (404)."""

    regex = DOCUMENT_ID_PATTERN


def init_app(app: Flask) -> None:
    """Register the converters on ``app`` (before its blueprints, whose rules use them)."""
    app.url_map.converters["doc_id"] = DocumentIdConverter
