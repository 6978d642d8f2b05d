"""Harvested sources: the registry, each source's harvest state and its reports (docs/ingest.md)."""
