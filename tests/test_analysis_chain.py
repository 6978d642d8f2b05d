"""The Swedish analyzer chain: tokens, positions, stop words, query vs index mode, stems,
compound parts, folding, and the terms snippets highlight.

Runs the real chain on the real hunspell-sv lexicon (built into the cache on first use).
"""

from __future__ import annotations

import unicodedata

import pytest

from kb.analysis.analyzer import (
    STOP_WORDS,
    index_terms,
    query_terms,
    swedish_analyzer,
    tokenize_with_offsets,
)
from kb.analysis.decompound import compound_terms, split


def tokens(text: str, mode: str = "index") -> list[tuple[str, int, int, int]]:
    """(text, pos, startchar, endchar) of every token; attributes are read before the next one."""
    out = []
    for t in swedish_analyzer()(text, positions=True, chars=True, mode=mode):
        out.append((t.text, t.pos, t.startchar, t.endchar))
    return out


def terms_at(text: str, mode: str = "index") -> dict[int, list[str]]:
    by_pos: dict[int, list[str]] = {}
    for term, pos, _, _ in tokens(text, mode):
        by_pos.setdefault(pos, []).append(term)
    return by_pos


# -- tokenizer and normalisation -------------------------------------------------------------------


def test_chars_point_at_the_original_words() -> None:
    text = "SKR:s råd om e‑tjänster, och bredbands\u00adutbyggnaden."
    seen = {(s, e) for _, _, s, e in tokens(text)}
    originals = sorted(text[s:e] for s, e in seen)
    assert originals == sorted(["SKR:s", "råd", "e‑tjänster", "bredbands\u00adutbyggnaden"])


def test_positions_count_words_and_skip_stop_words() -> None:
    by_pos = terms_at("Kommunen och regionen samverkar om e-tjänster")
    assert sorted(by_pos) == [0, 1, 2, 3]
    assert by_pos[0] == ["kommun"]
    assert "region" in by_pos[1]
    assert {"e-tjänst", "tjänst"} <= set(by_pos[3])


def test_parts_share_the_position_and_chars_of_their_word() -> None:
    toks = tokens("Ny digitaliseringsstrategin antogs")
    word = [t for t in toks if t[0] in ("digitaliseringsstrategi", "digitalisering", "strategi")]
    assert {t[0] for t in word} == {"digitaliseringsstrategi", "digitalisering", "strategi"}
    assert {(pos, s, e) for _, pos, s, e in word} == {(1, 3, 27)}
    assert [(t[2], t[3]) for t in toks if t[1] == 2] == [(28, 34)]  # antogs: one term


def test_no_duplicate_terms_at_one_position() -> None:
    for text in ("Förvaltningen förvaltningen", "e-tjänst e-tjänster", "Skolplattformen"):
        toks = tokens(text)
        pairs = [(term, pos) for term, pos, _, _ in toks]
        assert len(pairs) == len(set(pairs)), pairs


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("SKR:s", "skr"),
        ("IT:n", "it"),
        ("DIGG:s", "digg"),
        ("e\u2011tjänst", "e-tjänst"),  # non-breaking hyphen
        ("e\u2010tjänst", "e-tjänst"),
        ("e\u2013tjänst", "e-tjänst"),  # en dash
        ("e\u2212tjänst", "e-tjänst"),  # minus sign
        ("bredbands\u00adutbyggnaden", "bredbandsutbyggnaden"),  # soft hyphen
        (unicodedata.normalize("NFD", "Förvaltning"), "förvaltning"),  # decomposed ö
        ("ﬁber", "fiber"),  # ligature from a PDF
    ],
)
def test_normalisation(raw: str, expected: str) -> None:
    assert [w for w, _, _ in tokenize_with_offsets(f"x {raw} y")] == ["x", expected, "y"]


def test_soft_hyphen_keeps_one_word_that_matches_its_parts() -> None:
    by_pos = terms_at("Bredbands\u00adutbyggnaden är klar")
    assert {"bredband", "utbyggn"} <= set(by_pos[0])
    assert len(by_pos) == 2


def test_non_breaking_hyphen_indexes_like_a_hyphen() -> None:
    assert terms_at("flera e\u2011tjänster") == terms_at("flera e-tjänster")


def test_junk_runs_and_single_letters_are_dropped() -> None:
    assert [t[0] for t in tokens("e " + "x" * 200 + " 2023")] == ["2023"]


# -- stop words ------------------------------------------------------------------------------------


def test_stop_word_list_follows_snowball() -> None:
    assert "sitt" in STOP_WORDS
    assert "sitta" not in STOP_WORDS
    assert "it" not in STOP_WORDS
    assert {"och", "i", "på", "för"} <= STOP_WORDS


@pytest.mark.parametrize("mode", ["index", "query"])
@pytest.mark.parametrize("text", ["", "   ", "och i på", "Och, i! på?"])
def test_empty_and_all_stop_word_text_give_no_tokens(text: str, mode: str) -> None:
    assert tokens(text, mode) == []


def test_stop_word_only_query_has_no_terms() -> None:
    assert query_terms("och") == []
    assert query_terms("strategi för digitalisering") == ["strategi", "digitalisering"]


def test_sitta_is_searchable() -> None:
    assert query_terms("sitta") == ["sitt"]
    assert index_terms("sitta") == frozenset({"sitt"})


def test_stop_words_kept_when_whoosh_asks_for_them() -> None:
    toks = list(swedish_analyzer()("kommun och region", removestops=False, mode="query"))
    assert len(toks) == 3  # whoosh reads .stopped instead


# -- query mode vs index mode ----------------------------------------------------------------------


def test_query_mode_neither_splits_nor_folds() -> None:
    assert terms_at("välfärdsteknik", mode="query") == {0: ["välfärdsteknik"]}
    assert terms_at("e-tjänster", mode="query") == {0: ["e-tjänst"]}
    index = set(terms_at("välfärdsteknik")[0])
    assert {"välfärdsteknik", "välfärd", "teknik", "valfardsteknik"} <= index


def test_hyphenated_word_indexes_whole_joined_and_parts() -> None:
    assert set(terms_at("e-tjänsten")[0]) == {"e-tjänst", "etjänst", "tjänst", "etjanst"}
    assert {"it-avdelning", "it", "avdelning"} <= set(terms_at("IT-avdelningen")[0])


def test_plain_word_query_does_not_match_hyphenated_whole() -> None:
    # e-tjänst must only match e-tjänst*, while tjänst matches e-tjänster (parts).
    assert query_terms("e-tjänst") == ["e-tjänst"]
    assert "e-tjänst" not in index_terms("tjänsteportal")
    assert "tjänst" in index_terms("e-tjänster")


# -- stemming --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "paradigm",
    [
        ("strategi", "strategin", "strategier", "strategierna"),
        ("skola", "skolan", "skolor", "skolorna"),
        ("förbund", "förbundet", "förbunden"),
        ("kommun", "kommunen", "kommuner", "kommunernas"),
        ("beslut", "beslutet", "besluten"),
        ("projekt", "projektet", "projekten"),
        ("analys", "analysen", "analyser"),
        ("utbyggnad", "utbyggnaden"),
        ("myndighet", "myndigheten", "myndigheterna"),
        ("digitaliseringsstrategi", "digitaliseringsstrategin"),
    ],
)
def test_paradigms_conflate(paradigm: tuple[str, ...]) -> None:
    stems = {query_terms(w)[0] for w in paradigm}
    assert len(stems) == 1, stems


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("myndighet", "myndig"),
        ("projekt", "projektor"),
        ("förbund", "förbud"),
        ("system", "systematiskt"),
        ("strategi", "strategiska"),
        ("kommun", "kommunikation"),
    ],
)
def test_distinct_words_stay_apart(a: str, b: str) -> None:
    assert query_terms(a) != query_terms(b)


@pytest.mark.parametrize("acronym", ["IT", "SKR", "DIGG", "GDPR", "data"])
def test_acronyms_survive_unstemmed(acronym: str) -> None:
    assert query_terms(acronym) == [acronym.lower()]
    assert acronym.lower() in index_terms(acronym)
    assert index_terms(f"{acronym}:s") == index_terms(f"{acronym}s") == {acronym.lower()}


# -- compounds -------------------------------------------------------------------------------------


def test_compound_parts_and_sub_compounds() -> None:
    got = compound_terms("informationssäkerhetsarbetet")
    assert set(got) == {
        "information",
        "säkerhet",
        "arbetet",
        "informationssäkerhet",
        "säkerhetsarbetet",
    }


@pytest.mark.parametrize(
    "word",
    ["ordföranden", "plattformen", "upphandling", "utbyggnaden", "omsorgsfullt", "förvaltningen"],
)
def test_lexicalised_words_are_not_split(word: str) -> None:
    assert split(word) == ()


def test_no_split_word_is_not_cut_inside_a_longer_compound() -> None:
    assert compound_terms("bredbandsutbyggnaden") == ("bredband", "utbyggnaden")
    assert "byggnad" not in index_terms("Bredbandsutbyggnaden")


def test_linking_form_gives_the_noun_base() -> None:
    assert "dataskydd" in compound_terms("dataskyddsförordningen")
    assert set(query_terms("dataskydd")) <= index_terms("Dataskyddsförordningen")


# -- folding ---------------------------------------------------------------------------------------


def test_folded_copy_is_added_for_long_words_only() -> None:
    assert query_terms("forvaltningen")[0] in index_terms("Förvaltningen")
    assert query_terms("jonkoping")[0] in index_terms("Jönköpings")
    assert index_terms("får") == frozenset({"får"})  # short: far (father) must not match
    assert query_terms("far") == ["far"]


def test_folded_form_that_is_a_word_is_not_added() -> None:
    assert query_terms("saker")[0] not in index_terms("säker")
    assert query_terms("saker")[0] not in index_terms("Säkerheten")


def test_query_with_diacritics_is_never_folded() -> None:
    assert query_terms("välfärdsteknik") == ["välfärdsteknik"]
    assert query_terms("får") == ["får"]


# -- helpers for snippets --------------------------------------------------------------------------


def test_tokenize_with_offsets_keeps_stop_words_and_original_offsets() -> None:
    text = "Kommunen och SKR:s e‑tjänst"
    got = tokenize_with_offsets(text)
    assert [w for w, _, _ in got] == ["kommunen", "och", "skr", "e-tjänst"]
    assert [text[s:e] for _, s, e in got] == ["Kommunen", "och", "SKR:s", "e‑tjänst"]


def test_index_terms_highlight_compounds_for_a_query_word() -> None:
    query = set(query_terms("säkerhet"))
    assert index_terms("Informationssäkerhetsarbetet") & query
    assert not index_terms("Osäkerheten") & query
    assert index_terms("och") == frozenset()
