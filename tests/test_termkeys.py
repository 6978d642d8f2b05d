"""Term keys never miss a word: every word producing a term is matched, and snippets built with
the keys mark exactly what analysing every word of the window marks."""

from __future__ import annotations

import random
import zlib

import pytest

from kb.analysis import lexicon
from kb.analysis.analyzer import index_terms, query_terms, tokenize_with_offsets
from kb.analysis.decompound import MIN_PART
from kb.analysis.lexicon import Lexicon, get_lexicon
from kb.analysis.termkeys import KEY_LEN, exceptions, key_patterns, term_keys
from kb.search.snippets import PAGE_BREAK, snippet_from_compressed

WORDS = [
    "kommunens",
    "strategin",
    "beslutet",
    "arbetsmiljö",
    "arbetsmiljöarbetet",
    "informationssäkerhetsarbetet",
    "digitaliseringsstrategin",
    "e-tjänsten",
    "e\u2010tjänster",
    "IT-chefen",
    "SKR:s",
    "EU:s",
    "EUs",
    "barnböcker",
    "böcker",
    "slog",
    "gick",
    "kvinnosjukvård",
    "gatubelysning",
    "människohandel",
    "förvaltningen",
    "forvaltningen",
    "äldreomsorgen",
    "aldreomsorgen",
    "öppna",
    "öppet",
    "säkrare",
    "hemtjänst",
    "hemtjänsten",
    "välfärdsteknik",
    "VÄLFÄRDSTEKNIK",
    "Trollhättans",
    "västragötalandsregionen",
    "bredbandsutbyggnaden",
    "ærlig",
    "straße",
    "för\u00advaltningen",
    "personuppgiftsansvarig",
    "socialnämndens",
    "fallucka",
    "klubben",
]


def _matched(word: str, term: str) -> bool:
    return any(p.search(word.lower()) for p in key_patterns(frozenset({term})))


def _lexicon_words(count: int) -> list[str]:
    """A spread of the dictionary: inflected forms, irregular ones, and made-up compounds."""
    lex = get_lexicon()
    rng = random.Random(7)
    forms = sorted(lex.end)
    irregular = sorted(lex.stems)
    begins = sorted(lex.begin)
    words = rng.sample(forms, count) + rng.sample(irregular, count)
    words += [rng.choice(begins) + rng.choice(forms) for _ in range(count)]
    return words


@pytest.mark.parametrize("word", WORDS)
def test_every_term_of_a_word_finds_the_word(word: str) -> None:
    for token, _, _ in tokenize_with_offsets(word):
        for term in index_terms(token):
            assert _matched(word, term), (word, term)


def test_every_term_of_dictionary_words_and_compounds_finds_the_word() -> None:
    missed = [
        (word, term)
        for word in _lexicon_words(1500)
        for term in index_terms(word)
        if not _matched(word, term)
    ]
    assert missed == []


def test_a_key_is_no_longer_than_a_compound_part() -> None:
    # A compound's terms start with its first part as written: a longer key could miss them.
    assert KEY_LEN <= MIN_PART


def test_irregular_stems_add_the_keys_of_their_forms() -> None:
    lex = get_lexicon()
    odd = [(f, s) for f, s in lex.stems.items() if not f.startswith(s[:3]) and s[:1] == f[:1]]
    assert odd, "the dictionary has irregular stems"
    for form, target in odd[:50]:
        assert _matched(form, target), (form, target)
    assert all(keys for keys in exceptions().values())
    assert term_keys(frozenset({"kommun"})) == {"kom"}


def test_the_keys_follow_a_lexicon_swapped_at_run_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # Cached per lexicon: keys worked out from the lexicon before a swap must not answer after it.
    terms = frozenset({"plugh"})
    assert term_keys(terms) == {"plu"}
    assert not any(p.search("xyzzy") for p in key_patterns(terms))
    swapped = Lexicon(
        key="test",
        stems={"xyzzy": "plugh"},  # an irregular stem: its form's key is added
        folded_stems={},
        fold_collisions=frozenset(),
        begin={},
        middle={},
        end=frozenset(),
        heads=frozenset(),
        proper_nouns=frozenset(),
    )
    with monkeypatch.context() as patch:
        patch.setattr(lexicon, "_lexicon", swapped)
        assert term_keys(terms) == {"plu", "xyz"}
        assert any(p.search("xyzzy") for p in key_patterns(terms))
    assert term_keys(terms) == {"plu"}


TEXTS = [
    "Kommunens arbete med digitaliseringsstrategin för äldreomsorgen och förvaltningen har under "
    "året fokuserat på e-tjänster, e\u2010tjänster, öppna data och informationssäkerhet. "
    "Socialnämnden beslutade att införa en ny handlingsplan för hemtjänsten.",
    "SKR:s rapport om ARBETSMILJÖ och Arbetsmiljöarbetet i barnböcker som slog igenom; "
    "för\u00advaltningen, kvinnosjukvård och gatubelysning.",
    "ÆRLIG straße: välfärdsteknik, VÄLFÄRDSTEKNIK och valfardsteknik.",
    # Not NFKC (a decomposed ö, a ligature) and lower-cased longer (İ): words checked one by one.
    "fo\u0308rvaltningen i İstanbul, förvaltningen och Arbetet.",
    "Förvaltningen och \ufb01nansiering av hemtjänsten.",
    # No-break spaces and an ellipsis: NFKC changes them, but no word.
    "Kommunens\u00a0förvaltning\u2026 och e-tjänster\u202fi hemtjänsten.",
]
QUERIES = [
    "kommun",
    "arbete",
    "e-tjänst",
    "etjänst",
    "förvaltning",
    "forvaltning",
    "informationssäkerhet",
    "hemtjänst",
    "skr",
    "böcker",
    "slå",
    "välfärdsteknik",
    "kvinna",
    "gata",
    "ærlig",
    "strasse",
    "istanbul",
    "öppen",
]


@pytest.mark.parametrize("query", QUERIES)
def test_snippets_with_keys_mark_what_full_analysis_marks(query: str) -> None:
    terms = query_terms(query)
    for text in TEXTS:
        blob = zlib.compress(PAGE_BREAK.join([text]).encode("utf-8"))
        args = (blob, [1], terms, tokenize_with_offsets, index_terms)
        full = snippet_from_compressed(*args)
        keyed = snippet_from_compressed(*args, key_patterns=key_patterns)
        assert keyed == full, (query, text)


def test_the_comparison_above_has_marks_to_compare() -> None:
    marked = set()
    for query in QUERIES:
        for text in TEXTS:
            blob = zlib.compress(text.encode("utf-8"))
            args = (blob, [1], query_terms(query), tokenize_with_offsets, index_terms)
            if "<mark>" in snippet_from_compressed(*args, key_patterns=key_patterns).html:
                marked.add(query)
    assert len(marked) >= 12, marked
