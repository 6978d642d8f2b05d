"""Shared fixtures: isolated settings, a knowledge base in a temporary folder, documents."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kb.config import Settings
from kb.document import Document, Page, Tag, document_id
from kb.service import KnowledgeBase

SHARED = Path(__file__).resolve().parents[2] / "shared"

DocFactory = Callable[..., Document]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", writer_timeout=2.0, ingest_demo_on_start=False)


@pytest.fixture
def kb(settings: Settings) -> Iterator[KnowledgeBase]:
    base = KnowledgeBase.open(settings)
    yield base
    base.close()


def make_document(
    source: str,
    title: str,
    text: str | list[str],
    *,
    date: str | None = "2023-05-01",
    doc_type: str = "other",
    focus_areas: tuple[str, ...] = (),
    municipalities: tuple[str, ...] = (),
    regions: tuple[str, ...] = (),
    summary: str = "",
    content_type: str = "text/html",
) -> Document:
    """A Document as ingest would produce it, with given tags."""
    pages = [text] if isinstance(text, str) else text
    body = "\n".join(pages)
    return Document(
        id=document_id(source),
        source=source,
        title=title,
        pages=tuple(Page(i + 1, p) for i, p in enumerate(pages)),
        content_sha256=hashlib.sha256(body.encode()).hexdigest(),
        content_type=content_type,
        date=date,
        summary=summary,
        doc_type=Tag(doc_type, "given"),
        focus_areas=tuple(Tag(f, "given") for f in focus_areas),
        municipalities=tuple(Tag(m, "given") for m in municipalities),
        regions=tuple(Tag(r, "given") for r in regions),
    )


@pytest.fixture
def doc_factory() -> DocFactory:
    return make_document


def add_documents(kb: KnowledgeBase, docs: list[Document]) -> None:
    with kb.writer() as w:
        for d in docs:
            w.add(d, d.text.encode("utf-8"))
