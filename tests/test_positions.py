"""Phrases and nearness from decoded positions agree with Whoosh's own phrase matcher."""

from __future__ import annotations

import random

import numpy as np
import pytest
from whoosh import query as wq

from kb.analysis.analyzer import query_terms
from kb.document import Document
from kb.search.phrase_words import holds_phrase, holds_phrase_fast
from kb.search.positions import near
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.conftest import add_documents, make_document

WORDS = ["data", "öppna", "kommun", "tjänst", "digital", "plan", "arkiv", "och", "för", "strategi"]


def _short_documents(rng: random.Random, url_prefix: str, count: int) -> list[Document]:
    """``count`` documents of random WORDS: 1–4 in the title, 5–60 in the body."""
    return [
        make_document(
            f"{url_prefix}{i}",
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))),
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 60))),
        )
        for i in range(count)
    ]


def test_near_agrees_with_whooshs_phrase_matcher(kb: KnowledgeBase) -> None:
    rng = random.Random(7)
    docs = [
        make_document(
            f"https://a.se/{i}",
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6))),
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 400))),
        )
        for i in range(120)
    ]
    add_documents(kb, docs)
    kb.search(SearchRequest(q="data"))
    ctx = kb._context()
    everyone = np.arange(ctx.snapshot.n_docs, dtype=np.int32)
    checked = 0
    for terms in (["öpp", "data"], ["digital", "tjänst"], ["plan", "arkiv", "kommun"]):
        for slop in (1, 4):
            for field in ("title", "body"):
                matcher = wq.Phrase(field, terms, slop=slop).matcher(ctx.searcher)
                expected = set()
                while matcher.is_active():
                    expected.add(matcher.id())
                    matcher.next()
                got = near(ctx.searcher, ctx.snapshot, field, terms, everyone, slop)
                assert set(np.flatnonzero(got).tolist()) == expected, (terms, slop, field)
                checked += len(expected)
    assert checked > 50  # the random texts do hold phrases


def test_a_quoted_phrase_needs_its_words_in_order(kb: KnowledgeBase) -> None:
    add_documents(
        kb,
        [
            make_document("https://a.se/1", "Plan", "Vi har en plan för öppna data i kommunen."),
            make_document("https://a.se/2", "Plan", "Data som är öppna finns i kommunens plan."),
        ],
    )
    assert [h.url for h in kb.search(SearchRequest(q='"öppna data"')).hits] == ["https://a.se/1"]
    assert kb.search(SearchRequest(q="öppna data")).total == 2


def test_a_phrase_does_not_match_through_a_compounds_head(kb: KnowledgeBase) -> None:
    add_documents(
        kb,
        [
            make_document("https://a.se/hem", "Omsorg", "Kommunen erbjuder digital hemtjänst."),
            make_document("https://a.se/tj", "Service", "Kommunen erbjuder digitala tjänster."),
            make_document("https://a.se/e", "Service", "Fler digitala e-tjänster för invånare."),
        ],
    )
    found = {h.url for h in kb.search(SearchRequest(q='"digital tjänst"')).hits}
    assert found == {"https://a.se/tj", "https://a.se/e"}
    # A single word still matches a compound's part: hemtjänst holds tjänst.
    assert kb.search(SearchRequest(q="tjänst")).total == 3


def test_a_common_phrase_reads_only_its_best_scored_documents(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Reading texts is bounded per phrase: the best-scored matches are read (the ones an officer
    # sees first), the rest keep their position match, so a common phrase stays fast.
    monkeypatch.setattr("kb.search.phrase_words.CHECK_MAX", 1)
    add_documents(
        kb,
        [
            make_document(
                "https://a.se/hem", "Digital hemtjänst", "Digital hemtjänst. Digital hemtjänst."
            ),
            make_document("https://a.se/tj", "Service", "Kommunen har en digital hemtjänst."),
        ],
    )
    found = {h.url for h in kb.search(SearchRequest(q='"digital tjänst"')).hits}
    # The best-scored document was read and dropped; the other was not read and stays.
    assert found == {"https://a.se/tj"}


def test_a_phrase_may_start_inside_a_compound(kb: KnowledgeBase) -> None:
    add_documents(
        kb,
        [make_document("https://a.se/1", "Arkiv", "Kommunarkiv digitala handlingar finns här.")],
    )
    assert kb.search(SearchRequest(q='"arkiv digitala handlingar"')).total == 1


def test_a_phrase_may_end_inside_a_compound_but_not_skip_its_front() -> None:
    holds = holds_phrase_fast
    assert holds("Redovisning av digitala arkivleveranser", query_terms("digitalt arkiv"))
    assert not holds("Vi erbjuder digital hemtjänst", query_terms("digital tjänst"))
    assert not holds("digitala hemtjänstarkiv", query_terms("digital tjänst"))


def test_the_windowed_phrase_check_agrees_with_reading_the_whole_text() -> None:
    # Search reads only windows where the phrase's last word could stand (holds_phrase_fast);
    # over random texts of compounds, inflections, hyphenated e-words and stop words it must
    # decide exactly as reading every word does, or phrase hits would appear or vanish.
    words = [
        "digital",
        "digitala",
        "Digitalt",
        "digitalt",
        "tjänst",
        "tjänster",
        "hemtjänst",
        "e-tjänster",
        "e-tjänst",
        "och",
        "för",
        "i",
        "den",
        "nya",
        "arkiv",
        "arkiv.",
        "arkivleveranser",
        "kommunarkiv",
        "handlingar",
        "tjänstgöring",
        "öppen",
        "öppna",
        "källkod",
        "data",
        "programvara",
        "Kommunen",
        "erbjuder",
    ]
    phrases = [
        query_terms(p)
        for p in ("digital tjänst", "digitalt arkiv", "arkiv digitala handlingar", "öppen källkod")
    ]
    rng = random.Random(7)
    agreed = 0
    for _ in range(3000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 30)))
        terms = rng.choice(phrases)
        assert holds_phrase_fast(text, terms) == holds_phrase(text, terms), (text, terms)
        agreed += holds_phrase(text, terms)
    assert agreed > 100  # the texts do hold the phrases often enough to test both answers


def test_blocks_read_where_the_plain_postings_say_they_stand(kb: KnowledgeBase) -> None:
    # The proximity boost reads some documents' blocks from the block table the scorer keeps with
    # the plain postings (kb.search.postings.term_list): the same lists as walking the posting
    # list of every segment. Two batches: two segments; 300 documents: lists of several blocks.
    from kb.search.positions import _read_placed_blocks, read_position_lists

    rng = random.Random(11)
    for batch in range(2):
        add_documents(kb, _short_documents(rng, f"https://b.se/{batch}-", 300))
    kb.search(SearchRequest(q="data"))
    ctx = kb._context()
    assert len(list(ctx.searcher.reader().leaf_readers())) == 2
    scorer = ctx.analysis.scorer(ctx.searcher, ctx.snapshot)
    nprng = np.random.default_rng(3)
    compared = 0
    for term in ("data", "kommun", "plan", "strategi"):
        for field in ("title", "body"):
            ids = scorer.postings(field, term)[0]
            table = ctx.snapshot.cache.get((field, term))
            assert table is not None and len(table) == 6
            if field == "body":
                assert len(table[2]) > 2  # several blocks
            for size in (1, 7, 90):
                docs = np.sort(nprng.choice(ids, min(size, len(ids)), replace=False))
                if size > 1:  # a block's last document too (the edge of the block search)
                    docs = np.union1d(docs, table[5][:1]).astype(docs.dtype)
                got = _read_placed_blocks(ctx.searcher, field, table[2:], docs)
                want = read_position_lists(ctx.searcher, field, term, docs)
                for a, b in zip(got, want, strict=True):
                    assert a.dtype == b.dtype and np.array_equal(a, b), (term, field, size)
                compared += 1
    assert compared == 24


def test_reads_answered_from_the_querys_earlier_blocks_agree(kb: KnowledgeBase) -> None:
    # The proximity boost and the best-passage scoring share one memo of the position blocks the
    # query read (QueryScorer.position_memo): a read whose blocks were all read before returns
    # the earlier lists, which hold more blocks. Every answer must be the one read afresh.
    from kb.search.positions import BlockMemo, _read_placed_blocks, position_lists

    rng = random.Random(5)
    add_documents(kb, _short_documents(rng, "https://m.se/", 400))
    kb.search(SearchRequest(q="data"))
    ctx = kb._context()
    scorer = ctx.analysis.scorer(ctx.searcher, ctx.snapshot)
    nprng = np.random.default_rng(8)
    memo: BlockMemo = {}
    reused = merged = 0
    for term, other in (("data", "kommun"), ("plan", "strategi"), ("kommun", "plan")):
        ids = scorer.postings("body", term)[0]
        scorer.postings("body", other)
        for size in (5, 1, 30, 200, 120):
            docs = np.sort(nprng.choice(ids, min(size, len(ids)), replace=False)).astype(np.int32)
            before = memo.get(("body", term))
            got = position_lists(ctx.searcher, ctx.snapshot, "body", term, docs, memo)
            reused += before is not None and got is before[1]
            merged += before is not None and got is not before[1]
            fresh = position_lists(ctx.searcher, ctx.snapshot, "body", term, docs)
            for d in docs.tolist():
                i, j = np.searchsorted(got[0], d), np.searchsorted(fresh[0], d)
                assert bytes(got[2][got[1][i] : got[1][i + 1]]) == bytes(
                    fresh[2][fresh[1][j] : fresh[1][j + 1]]
                )
            pair = (term, other)
            for slop in (1, 3):
                assert np.array_equal(
                    near(ctx.searcher, ctx.snapshot, "body", pair, docs, slop, memo),
                    near(ctx.searcher, ctx.snapshot, "body", pair, docs, slop),
                )
    assert reused and merged
    # What the memo holds after merging reads is what reading all its blocks at once gives.
    for (field, term), (at, lists) in memo.items():
        table = ctx.snapshot.cache.get((field, term))
        assert table is not None
        whole = _read_placed_blocks(ctx.searcher, field, table[2:], table[5][at])
        for a, b in zip(lists, whole, strict=True):
            assert a.dtype == b.dtype and np.array_equal(a, b), term
