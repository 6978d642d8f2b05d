"""The Flask application factory and the app's one KnowledgeBase.

``create_app(settings)`` opens the KnowledgeBase once and shares it with every request thread (it is
thread-safe); views borrow it with ``get_kb()`` and show facet values with ``label()``. ``kb serve``
runs the app under waitress; tests pass a Settings pointing at a temporary data dir.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app

from kb.config import Settings
from kb.errors import KbError
from kb.service import KnowledgeBase
from web import errors, i18n, security
from web.i18n import current_language

EXTENSION_KEY = "kunskapsbanken"


def create_app(
    settings: Settings | None = None, test_config: Mapping[str, Any] | None = None
) -> Flask:
    """Create the web app over the knowledge base in ``settings.data_dir``.

    Args:
        settings: runtime settings; ``Settings.from_env()`` when None.
        test_config: Flask config overrides (``TESTING``...). ``KNOWLEDGE_BASE`` may hold an
            already open KnowledgeBase to serve instead of opening one from ``settings``.

    Raises:
        ConfigError: when a setting is invalid (for example ``frame_ancestors``).
    """
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.from_mapping(
        KB_SETTINGS=settings,
        # Where users report accessibility problems (shown in the accessibility statement).
        CONTACT_EMAIL="",
        # Search forms are GET; nothing here accepts an upload.
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Swedish letters stay readable

    embed_ancestors = security.frame_ancestors_value(settings.frame_ancestors)
    kb = app.config.get("KNOWLEDGE_BASE") or KnowledgeBase.open(settings)
    app.extensions[EXTENSION_KEY] = kb

    i18n.init_app(app)
    security.init_app(app, embed_ancestors)
    errors.init_app(app)

    from web import api, embed, feeds, pages, widget

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(embed.bp)
    app.register_blueprint(widget.bp)
    app.register_blueprint(feeds.bp)
    return app


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
