"""What a copy's commit costs when it merges with a document the bank already holds
(kb.writer, kb.index.originals), in a current bank and in one whose index predates the
originals' hashes.

    python -m bench.copies_ingest_bench --docs 5000 --data /tmp/kb-copies-bench

Builds two banks of ``--docs`` documents (about 3,000 characters of text each; each original
kept in the store): ``current``, written through ``KnowledgeBase.writer`` as today, and
``older``, whose index has no ``original`` field and whose documents lack the term (written
into its build by ``IndexStore.replace_in``, which leaves out fields the index lacks, as a
version before the field wrote them). Then, in each bank, one commit each of: a new original,
a first copy of a stored document (in ``older`` this makes the one pass over the store), a second
copy of another, and another new original. CPU time of the process (``getrusage``: the
machine is shared) per commit, with what each copy's note names and the copy's search.
"""

from __future__ import annotations

import hashlib
import resource
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kb.config import Settings
from kb.document import Document, Page, document_id
from kb.index.builds import IndexStore
from kb.index.record import ORIGINAL_FIELD
from kb.index.schema import build_schema
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase

WORDS = [
    "kommunen",
    "arbetar",
    "med",
    "e-arkiv",
    "bredband",
    "e-tjänster",
    "digital",
    "kompetens",
    "skola",
    "omsorg",
    "handlingsplan",
    "beslut",
    "uppföljning",
    "förvaltning",
    "nämnd",
]


def _text(i: int) -> str:
    return " ".join(f"{WORDS[(i * 7 + j) % len(WORDS)]}{j % 50}" for j in range(400)) + f" dok{i}"


def _document(source: str, i: int) -> tuple[Document, bytes]:
    """The document at ``source`` of original ``i`` and the original's bytes."""
    text = _text(i)
    data = f"Dokument {i}\n{text}".encode()
    doc = Document(
        id=document_id(source),
        source=source,
        title=f"Dokument {i}",
        pages=(Page(1, text),),
        content_sha256=hashlib.sha256(data).hexdigest(),
        content_type="application/pdf",
    )
    return doc, data


def _bank(n: int) -> Iterator[tuple[Document, bytes]]:
    for i in range(n):
        yield _document(f"https://kommun{i % 290}.se/dok{i}.pdf", i)


def _build(root: Path, n: int, older: bool) -> None:
    shutil.rmtree(root, ignore_errors=True)
    settings = Settings(data_dir=root)
    if not older:
        with KnowledgeBase.open(settings) as kb:
            docs = list(_bank(n))
            for start in range(0, n, 1000):
                with kb.writer() as writer:
                    for doc, data in docs[start : start + 1000]:
                        writer.add(doc, data)
        return

    def schema() -> object:
        old = build_schema()
        old.remove(ORIGINAL_FIELD)
        return old

    index = IndexStore(settings.index_dir, schema_factory=schema)
    with KnowledgeBase.open(settings) as kb:
        saved = []
        for doc, data in _bank(n):
            kb.store.put_blob(data)
            kb.store.save(doc)
            saved.append(doc)
        index.replace_in(index.current_dir(), saved, [])


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _commit(kb: KnowledgeBase, label: str, source: str, i: int) -> None:
    doc, data = _document(source, i)
    before = _cpu()
    with kb.writer() as writer:
        saved = writer.add(doc, data)
        named = writer.same_original(saved)
    ms = (_cpu() - before) * 1000
    hits = kb.search(SearchRequest(q=f"dok{i}")).total
    click.echo(f"  {label:<20} {ms:7.0f} ms CPU   same content as {named}; hits for dok{i}: {hits}")


@click.command()
@click.option("--docs", default=5000, show_default=True)
@click.option("--data", type=click.Path(path_type=Path), default=Path("/tmp/kb-copies-bench"))
def main(docs: int, data: Path) -> None:
    for kind in ("current", "older"):
        root = data / kind
        _build(root, docs, kind == "older")
        click.echo(f"{kind} bank of {docs} documents:")
        with KnowledgeBase.open(Settings(data_dir=root)) as kb:
            _commit(kb, "new original", "/srv/ny/a.pdf", docs + 1)
            _commit(kb, "first copy", "/srv/inkorg/dok17.pdf", 17)
            _commit(kb, "second copy", "/srv/inkorg/dok42.pdf", 42)
            _commit(kb, "another new original", "/srv/ny/b.pdf", docs + 2)


if __name__ == "__main__":
    main()
