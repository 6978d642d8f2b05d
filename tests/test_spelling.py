"""Spelling suggestions a user notices ("Menade du ...?"): kb.search.spelling over the candidate
table of kb.search.spell_table."""

from __future__ import annotations

import numpy as np
import pytest

from kb.search.matching import match
from kb.search.query import parse
from kb.search.request import SearchRequest
from kb.search.spell_table import SpellTable, osa_distance
from kb.search.spelling import suggest
from kb.service import KnowledgeBase
from tests.conftest import add_documents, make_document

TEXTS = (
    "Välfärdsteknik i hemtjänsten: digitalisering av tillsynen.",
    "Digitalisering och dataskyddsförordningen i kommunens ärenden.",
    "Bygglov söks genom en e-tjänst. Ärendet handläggs digitalt.",
    "Informationssäkerhet och digitalisering i förvaltningen.",
)


@pytest.fixture
def spelled(kb: KnowledgeBase) -> KnowledgeBase:
    docs = [
        make_document(f"https://example.se/{i}", f"Dokument {i}", text)
        for i, text in enumerate(TEXTS)
    ]
    add_documents(kb, docs)
    return kb


@pytest.mark.parametrize(
    ("typo", "word"),
    [
        ("digitalisring", "digitalisering"),  # a letter left out
        ("digitalsiering", "digitalisering"),  # two neighbours swapped
        ("dataskyddsförordnignen", "dataskyddsförordningen"),  # swapped late in a long word
        ("bygglovv", "bygglov"),  # a letter doubled
        ("informationsäkerhet", "informationssäkerhet"),  # the joint s missing
        ("välfardsteknkik", "välfärdsteknik"),  # an ä typed as a and a letter too many
    ],
)
def test_a_typo_gets_the_word_meant(spelled: KnowledgeBase, typo: str, word: str) -> None:
    result = spelled.search(SearchRequest(q=typo))  # none, or a partial match (compound parts)
    assert result.suggestion == word
    assert spelled.search(SearchRequest(q=result.suggestion)).total > 0


def test_a_correct_word_gets_no_suggestion(spelled: KnowledgeBase) -> None:
    for q in ("digitalisering", "välfärdsteknik", "bygglov e-tjänst", "dataskyddsförordningen"):
        result = spelled.search(SearchRequest(q=q))
        assert result.total > 0, q
        assert result.suggestion is None, q


def test_the_table_is_rebuilt_for_a_new_generation(spelled: KnowledgeBase) -> None:
    assert spelled.search(SearchRequest(q="kvantdatorr")).suggestion is None
    add_documents(spelled, [make_document("https://example.se/q", "Kvant", "Kvantdator i Skövde.")])
    assert spelled.search(SearchRequest(q="kvantdatorr")).suggestion == "kvantdator"


def test_folded_letters_are_nearer_than_real_typos() -> None:
    table = SpellTable(["välfärdsteknik", "välfärdstekniks", "ärende", "arena", "bygglov"])
    found = dict(table.candidates("valfardsteknik", 2))
    # Two letters typed without their dots: a quarter edit each, less than one real edit.
    assert found == {"välfärdsteknik": 0.5, "välfärdstekniks": 1.5}
    # The first letter is compared folded too: "arende" finds "ärende".
    assert "ärende" in dict(table.candidates("arende", 1))
    assert table.candidates("xyzzy", 1) == []


def test_a_swap_is_one_edit() -> None:
    assert osa_distance("digitalsiering", "digitalisering", 2) == 1
    assert osa_distance("bygglov", "bygglov", 2) == 0
    assert osa_distance("kommun", "skolan", 2) == 3  # past the limit: limit + 1


def test_a_typo_beside_an_excluded_word_keeps_the_exclusion(spelled: KnowledgeBase) -> None:
    # "digitalisring -bygglov" found nothing and offered no "Menade du": the officer had to see
    # the typo alone. The suggestion keeps what was excluded, and counts under it.
    for q, meant in (
        ("digitalisring -bygglov", "digitalisering -bygglov"),
        ("-bygglov digitalisring", "digitalisering -bygglov"),
        ("digitalisring -(bygglov OR hemtjänsten)", "digitalisering -(bygglov OR hemtjänsten)"),
    ):
        result = spelled.search(SearchRequest(q=q))
        assert result.total == 0, q
        assert result.suggestion == meant, q
        assert spelled.search(SearchRequest(q=meant)).total > 0, q
    # Nothing more found once the exclusion is kept: no suggestion (it would lead nowhere).
    assert spelled.search(SearchRequest(q="informationsäkerhet -digitalisering")).suggestion is None


def test_a_typo_beside_a_word_is_corrected_when_no_document_holds_both(
    spelled: KnowledgeBase,
) -> None:
    # No document holds both digitalisering and bygglov: the typed query finds bygglov's
    # document alone (a partial hit), the corrected one finds both words (partial hits too).
    result = spelled.search(SearchRequest(q="digitalisring bygglov"))
    assert result.total - result.partial_total == 0 and result.total > 0
    assert result.suggestion == "digitalisering bygglov"
    meant = spelled.search(SearchRequest(q=result.suggestion))
    assert meant.total > result.total
    # A corrected word that its filters or exclusions leave without hits gains nothing.
    assert (
        spelled.search(
            SearchRequest(
                q="digitalisring bygglov -tillsynen -dataskyddsförordningen -förvaltningen"
            )
        ).suggestion
        is None
    )


def test_the_suggestion_leaves_the_querys_scorer_as_it_found_it(spelled: KnowledgeBase) -> None:
    # The correction is scored on a copy: the query's compound bookkeeping and the terms it used
    # (what the snippets look for) do not depend on the suggestion running last.
    ctx = spelled._context()
    snap = ctx.snapshot
    parsed = parse("digitalisring bygglov")
    scorer = ctx.analysis.scorer(ctx.searcher, snap)
    match(scorer, parsed.root, snap.n_docs, snap.live)
    split_only, paraphrased = np.zeros(snap.n_docs, bool), np.zeros(snap.n_docs, bool)
    scorer.split_only, scorer.paraphrased = split_only, paraphrased
    used = set(scorer.terms_used)
    assert suggest(ctx.searcher, scorer, parsed, snap.live, 0) == "digitalisering bygglov"
    assert scorer.split_only is split_only and scorer.paraphrased is paraphrased
    assert scorer.terms_used == used
