"""The one-pass index path (kb.analysis.bulk via kb.index.textfield.SvText) gives exactly what
Whoosh's token stream gives: the same terms, frequencies, weights and encoded positions."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import fields

from kb.analysis.analyzer import (
    index_outputs,
    index_terms,
    is_stop,
    spelling_analyzer,
    swedish_analyzer,
    tokenize_with_offsets,
)
from kb.index.textfield import SvText, SvWords

ROOT = Path(__file__).resolve().parents[1]

TRICKY = [
    "",
    "och i att",  # stop words only
    "Och kommunerna, e-tjänsterna och SKR:s digitaliseringsstrategi.",  # starts with a stop word
    "-- ... Förskoleverksamheten -- i IT-chefens e‐tjänst (1998–2020) 3D",
    "Äldreomsorgen äldreomsorgen ÄLDREOMSORGEN aldreomsorgen",  # repeats, folded copies
    "a\u0308ldreomsorg soft\u00adhyphen bygg\u00adlovs\u00adprocessen",  # decomposed ä, soft hyphen
    "x " * 5 + "kommun " + "q" * 80 + " hållbarhet",  # short and over-long tokens
    "EUs SKRs e-arkivet: e-tjänst\n\nmellanrum \f sida två",
    "_ __ ___ kommun_1 2024-05-01 §12 123abc",
]


def _demo_texts() -> list[str]:
    folder = ROOT / "corpus" / "demo"
    out = []
    for path in sorted(folder.glob("*.html"))[:12]:
        out.append(path.read_text(encoding="utf-8", errors="replace"))
    return out


def _whoosh(field: fields.FieldType, text: str) -> list[tuple[bytes, int, float, bytes]]:
    # fields.TEXT.index is Whoosh's own token-stream path.
    return sorted(fields.TEXT.index(field, text))


@pytest.mark.parametrize("text", TRICKY + _demo_texts())
def test_index_field_matches_token_stream(text: str) -> None:
    field = SvText(analyzer=swedish_analyzer(), phrase=True)
    fast = sorted(field.index(text))
    assert fast == _whoosh(field, text)
    # Without positions (the headings and lead fields): the same terms with their counts.
    counted = SvText(analyzer=swedish_analyzer(), phrase=False)
    assert sorted(counted.index(text)) == _whoosh(counted, text)
    # Headings and lead: the same terms with frequencies only.
    counted = SvText(analyzer=swedish_analyzer(), phrase=False)
    assert sorted(counted.index(text)) == _whoosh(counted, text)
    if text.strip(" -.") and "kommun" in text.lower():
        assert any(term == b"kommun" for term, *_ in fast)


@pytest.mark.parametrize("text", TRICKY + _demo_texts())
def test_spelling_field_matches_token_stream(text: str) -> None:
    for field in (SvText(analyzer=spelling_analyzer(), phrase=False), SvWords(spelling_analyzer())):
        assert sorted(field.index(text)) == _whoosh(field, text)


def test_positions_skip_stop_words_like_the_filter() -> None:
    field = SvText(analyzer=swedish_analyzer(), phrase=True)
    postings = field.index("och i skolan och hemtjänsten")
    fast = {term.decode(): field.format.decode_positions(v) for term, _, _, v in postings}
    # The first indexed word keeps its tokeniser position (2), the next is one more; a compound's
    # parts share its position.
    assert fast["skol"] == [2]
    assert fast["hemtjänst"] == fast["hem"] == fast["tjänst"] == [3]


def test_other_analyzers_take_whooshs_path() -> None:
    field = SvText(phrase=True)  # Whoosh's StandardAnalyzer
    assert sorted(field.index("Kommunerna och skolan")) == _whoosh(field, "Kommunerna och skolan")


def _index_terms_by_tokens(text: str) -> frozenset[str]:
    # index_terms' general path: every token of the text, stop words dropped.
    out: set[str] = set()
    for token, _, _ in tokenize_with_offsets(text):
        if not is_stop(token):
            out.update(index_outputs(token))
    return frozenset(out)


@pytest.mark.parametrize("text", TRICKY + _demo_texts()[:3])
def test_snippet_word_terms_equal_the_token_chain(text: str) -> None:
    # A snippet looks up each word of its window (normalised, or as written): the one-token
    # shortcut in index_terms gives what the whole chain gives for that word.
    words = {w for w, _, _ in tokenize_with_offsets(text)}
    words |= {text[s:e] for _, s, e in tokenize_with_offsets(text)}
    words |= {"SKR:s", "e-tjänst", "ﬁnansiering", "x--y", "-kommun-", "1:a", "ab:cd:ef", "och"}
    for word in sorted(words):
        index_terms.cache_clear()
        assert index_terms(word) == _index_terms_by_tokens(word), word
