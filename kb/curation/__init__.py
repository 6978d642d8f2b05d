"""Curated metadata: editors' corrections, kept apart from the automatic tags (docs/curation.md)."""
