"""The Flask application factory: the one place that joins the web modules.

``create_app(settings)`` opens the KnowledgeBase once and installs it (web/context.py), registers
the converters, language, security headers, errors and template helpers, then the blueprints.
Handler modules never import this module; ``kb serve`` runs the app under waitress and tests pass
a Settings pointing at a temporary data dir.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from kb.config import Settings
from kb.service import KnowledgeBase
from web import (
    admin,
    api,
    api_http,
    compare,
    context,
    converters,
    embed,
    embed_builder,
    errors,
    export,
    facet_links,
    facet_markup,
    feeds,
    hit_markup,
    hits,
    i18n,
    pages,
    ratelimit,
    search_handler,
    security,
    widget,
)


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
        # Public forms are GET; only the admin's upload view lifts this (web.admin.auth).
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Swedish letters stay readable

    embed_ancestors = security.frame_ancestors_value(settings.frame_ancestors)
    context.install(app, app.config.get("KNOWLEDGE_BASE") or KnowledgeBase.open(settings))

    converters.init_app(app)  # before the blueprints: their rules use the converters
    i18n.init_app(app)
    security.init_app(app, embed_ancestors)
    api_http.init_app(app, settings)
    errors.init_app(app)
    hits.init_app(app)
    admin.init_app(app, settings)
    facet_links.init_app(app)
    facet_markup.init_app(app)
    hit_markup.init_app(app)
    search_handler.init_app(app)
    limiter = ratelimit.init_app(app, settings)
    for api_bp in api.blueprints():
        ratelimit.limit_blueprint(limiter, api_bp, settings.rate_limit_api)

    app.register_blueprint(pages.bp)
    for api_bp in api.blueprints():
        app.register_blueprint(api_bp)
    app.register_blueprint(embed.bp)
    app.register_blueprint(widget.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(compare.bp)
    app.register_blueprint(export.bp)
    app.register_blueprint(embed_builder.bp)
    return app
