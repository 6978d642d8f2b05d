"""The shared Swedish matching cases, run through the search box's own path (KnowledgeBase.search).

Each case sentence is indexed once as its own document; a case passes when its query finds the
must_match sentence and not the must_not_match one (a stop-word-only query finds nothing at all).
`must` cases are the bar. `should` cases are known hard limits; every one we win is asserted so
it stays won, and any we lose is listed in KNOWN_LOSSES (strict xfail, so a fix is noticed).
The cases live in the shared test data beside the clone; without it this module is skipped.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from kb.config import Settings
from kb.document import document_id
from kb.search.request import MAX_PAGE_SIZE, SearchRequest
from kb.service import KnowledgeBase
from tests.conftest import make_document

CASES_FILE = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "swedish_cases.tsv"

if not CASES_FILE.is_file():
    pytest.skip(
        f"shared Swedish test cases not found at {CASES_FILE} (they sit beside the clone in CI)",
        allow_module_level=True,
    )

with CASES_FILE.open(encoding="utf-8", newline="") as fh:
    CASES = list(csv.DictReader(fh, delimiter="\t"))


def _source(case_id: str, role: str) -> str:
    return f"https://cases.example/{case_id}/{role}"


# `should` cases the analysis does not win yet: id -> why. Empty: all seven pass today.
KNOWN_LOSSES: dict[str, str] = {}


def _params(priority: str) -> list[object]:
    params: list[object] = []
    for case in CASES:
        if case["priority"] != priority:
            continue
        marks = []
        if case["id"] in KNOWN_LOSSES:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_LOSSES[case["id"]]))
        params.append(pytest.param(case, id=case["id"], marks=marks))
    return params


@pytest.fixture(scope="module")
def case_kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    data_dir = tmp_path_factory.mktemp("swedish_cases") / "data"
    kb = KnowledgeBase.open(Settings(data_dir=data_dir, ingest_demo_on_start=False))
    docs = [
        make_document(_source(case["id"], role), "", case[role])
        for case in CASES
        for role in ("must_match", "must_not_match")
        if case[role].strip()
    ]
    with kb.writer() as w:
        for d in docs:
            # Two cases may use one text: each is an original of its own (kb.search.copies).
            w.add(d, f"{d.source}\n{d.text}".encode())
    yield kb
    kb.close()


def _all_hit_ids(kb: KnowledgeBase, query: str) -> tuple[int, set[str]]:
    ids: set[str] = set()
    page = 1
    while True:
        result = kb.search(SearchRequest(q=query, page=page, page_size=MAX_PAGE_SIZE), facets=False)
        ids.update(hit.id for hit in result.hits)
        if page * MAX_PAGE_SIZE >= result.total:
            return result.total, ids
        page += 1


def _check(kb: KnowledgeBase, case: dict[str, str]) -> None:
    total, ids = _all_hit_ids(kb, case["query"])
    wanted = document_id(_source(case["id"], "must_match"))
    unwanted = document_id(_source(case["id"], "must_not_match"))
    if not case["must_match"].strip():
        assert total == 0, f"{case['query']!r} should find nothing ({case['note']})"
        return
    assert wanted in ids, f"{case['query']!r} did not find {case['must_match']!r}"
    assert unwanted not in ids, f"{case['query']!r} wrongly found {case['must_not_match']!r}"


def test_cases_file_has_must_cases() -> None:
    assert any(case["priority"] == "must" for case in CASES)


@pytest.mark.parametrize("case", _params("must"))
def test_must_case(case_kb: KnowledgeBase, case: dict[str, str]) -> None:
    _check(case_kb, case)


@pytest.mark.parametrize("case", _params("should"))
def test_should_case(case_kb: KnowledgeBase, case: dict[str, str]) -> None:
    _check(case_kb, case)
