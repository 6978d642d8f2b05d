"""Settings: every tunable of Kunskapsbanken in one frozen dataclass, read from KB_* variables.

Settings are passed explicitly (CLI options, ``create_app(settings)``), never read from
module globals.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from kb.errors import ConfigError

# The project's own reference data lives beside the packages (an editable install keeps it there).
DEFAULT_CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"


def _help(text: str) -> dict[str, str]:
    return {"help": text}


@dataclass(frozen=True)
class Settings:
    """Runtime settings; each field's metadata["help"] documents it (see docs/settings.md)."""

    data_dir: Path = field(
        default=Path("data"), metadata=_help("Folder holding the index and the store of originals.")
    )
    corpus_dir: Path = field(
        default=DEFAULT_CORPUS_DIR,
        metadata=_help("Folder with taxonomy/ (focus areas, municipalities, regions) and demo/."),
    )
    writer_timeout: float = field(
        default=10.0,
        metadata=_help("Seconds a second writer waits for the index lock before giving up."),
    )
    reindex_checkpoint_docs: int = field(
        default=50_000,
        metadata=_help(
            "Documents between the commits of a running `kb reindex`; an interrupted reindex "
            "resumes from its last one."
        ),
    )
    max_document_bytes: int = field(
        default=50 * 1024 * 1024, metadata=_help("Largest original accepted by ingest, in bytes.")
    )
    max_text_chars: int = field(
        default=2_000_000,
        metadata=_help(
            "Most characters of text kept per document; the rest is cut and the cut reported."
        ),
    )
    frame_ancestors: str = field(
        default="'self'",
        metadata=_help(
            "CSP frame-ancestors for /embed pages: origins allowed to frame the search."
        ),
    )
    query_time_budget: float = field(
        default=3.0,
        metadata=_help(
            "Seconds one search may take before it is stopped with a clear message (0: no limit)."
        ),
    )
    result_cache_entries: int = field(
        default=256,
        metadata=_help(
            "Search results kept per worker for the same search asked again, until the index or "
            "the thesaurus changes (0: off)."
        ),
    )
    max_wildcard_expansions: int = field(
        default=128,
        metadata=_help(
            "Words all the wildcards (ord*) of one query may expand to in total, shared among them."
        ),
    )
    rate_limit_pages: str = field(
        default="300 per minute",
        metadata=_help(
            "Requests per client address to the pages, feeds and embed, e.g. '300 per minute;"
            "20 per second' (empty: no limit). Answered with 429 and Retry-After."
        ),
    )
    rate_limit_api: str = field(
        default="300 per minute",
        metadata=_help("Requests per client address to /api (empty: no limit)."),
    )
    api_cors_origins: str = field(
        default="*",
        metadata=_help(
            "Origins whose browser scripts may read /api answers (CORS), space-separated "
            "('https://intranet.example.se'); '*' any origin."
        ),
    )
    withdrawn_grace_days: float = field(
        default=14.0,
        metadata=_help(
            "Days a harvested page may stay gone from its source (404/410, or no longer in its "
            "sitemap, folder or crawl) before its document is hidden from search."
        ),
    )
    query_stats_days: int = field(
        default=365,
        metadata=_help(
            "Days the zero- and few-hit query statistics are kept (`kb stats queries`); "
            "0: record none. No address, session or user agent is ever stored."
        ),
    )
    secret_key: str = field(
        default="",
        metadata=_help(
            "Key that signs the admin's session cookies; empty: a random key kept in "
            "<data_dir>/admin/secret_key (mode 0600)."
        ),
    )
    admin_cookie_secure: str = field(
        default="auto",
        metadata=_help(
            "Secure flag of the admin session cookie: 'auto' (when the request came over https), "
            "'always' (behind a proxy that ends TLS) or 'never'."
        ),
    )
    ingest_demo_on_start: bool = field(
        default=True,
        metadata=_help("Ingest corpus/demo when the service starts with an empty index."),
    )

    def __post_init__(self) -> None:
        # Accept plain strings from callers and environment variables alike.
        for name in ("data_dir", "corpus_dir"):
            object.__setattr__(self, name, Path(getattr(self, name)))

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"

    @property
    def curation_dir(self) -> Path:
        """Editors' corrections and withdrawals, one JSON file per document (kb.curation)."""
        return self.data_dir / "curation"

    @property
    def sources_path(self) -> Path:
        """The registry of harvested sources (kb.sources.registry)."""
        return self.data_dir / "sources.json"

    @property
    def harvest_dir(self) -> Path:
        """Each harvested source's reports and state (kb.sources.reports)."""
        return self.data_dir / "harvest"

    @property
    def taxonomy_dir(self) -> Path:
        return self.corpus_dir / "taxonomy"

    @property
    def thesaurus_path(self) -> Path:
        return self.corpus_dir / "thesaurus.txt"

    @property
    def demo_dir(self) -> Path:
        return self.corpus_dir / "demo"

    @classmethod
    def from_env(cls, prefix: str = "KB_", **overrides: object) -> Settings:
        """Settings from ``{prefix}{FIELD}`` environment variables, then ``overrides``.

        Raises:
            ConfigError: when a variable cannot be converted to the field's type.
        """
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(prefix + f.name.upper())
            if raw is None:
                continue
            try:
                values[f.name] = _convert(f.default, raw)
            except ValueError as err:
                raise ConfigError(f"{prefix}{f.name.upper()}={raw!r}: {err}") from err
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("data_dir", "corpus_dir"):
            if key in values:
                values[key] = Path(str(values[key]))
        return cls(**values)  # type: ignore[arg-type]


def _convert(default: object, raw: str) -> object:
    if isinstance(default, bool):
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError("expected true or false")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, Path):
        return Path(raw)
    return raw
