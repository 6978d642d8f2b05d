"""Kunskapsbanken's web front end: search pages, the JSON API and the embeddable search.

Imports kb only (never ingest or whoosh). ``create_app`` lives in web/app.py.
"""

from __future__ import annotations

from web.app import create_app

__all__ = ["create_app"]
