"""The search-box syntax: words, phrases, OR, exclusion, prefix, and the plain-words fallback."""

from __future__ import annotations

import pytest

from kb.search.query import AllOf, AnyOf, Phrase, Prefix, Word, parse


def test_plain_words_are_all_required() -> None:
    parsed = parse("e-tjänst bygglov")
    assert parsed.root == AllOf((Word("e-tjänst"), Word("bygglov")))
    assert not parsed.fallback


def test_phrase_exclusion_or_prefix_and_groups() -> None:
    assert parse('"digital kompetens" -skola').root == AllOf(
        (Phrase(("digital", "kompetens")),), (Word("skola"),)
    )
    assert parse("ai OR rpa | robot").root == AllOf(
        (AnyOf((Word("ai"), Word("rpa"), Word("robot"))),)
    )
    assert parse("digital*").root == AllOf((Prefix("digital"),))
    assert parse("(e-arkiv OR arkiv) kommun").root == AllOf(
        (AnyOf((Word("e-arkiv"), Word("arkiv"))), Word("kommun"))
    )
    assert parse('bygglov -"e-tjänst för bygglov"').root.must_not == (
        Phrase(("e-tjänst", "för", "bygglov")),
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('"osluten fras', ("osluten", "fras")),
        ("bygglov OR", ("bygglov",)),
        ("(bygglov", ("bygglov",)),
        ("bygglov )", ("bygglov",)),
        ("OR AND", ()),
    ],
)
def test_unreadable_syntax_falls_back_to_plain_words(text: str, words: tuple[str, ...]) -> None:
    parsed = parse(text)
    assert parsed.fallback
    assert parsed.root == AllOf(tuple(Word(w) for w in words))


def test_hostile_input_is_bounded_and_never_raises() -> None:
    parsed = parse("(" * 500 + "a" + ")" * 500)
    assert parsed.root.must  # nesting too deep: plain words instead
    parsed = parse(" ".join(f"ord{i}" for i in range(1000)))
    assert len(parsed.root.must) <= 32
    assert parse("<script>alert(1)</script>").root.must
    assert parse("").is_empty and parse("   ").is_empty


def test_typographic_and_soft_hyphens_read_as_the_index_reads_them() -> None:
    assert parse("e\u2011tjänst").root == AllOf((Word("e-tjänst"),))
    assert parse("bredbands\u00adutbyggnad").root == AllOf((Word("bredbandsutbyggnad"),))


def test_exclusions_alone_leave_documents_out_instead_of_searching_for_them() -> None:
    parsed = parse("-bygglov -parkering")
    assert parsed.excludes_only and not parsed.fallback
    assert parsed.root == AllOf((), (Word("bygglov"), Word("parkering")))
    assert not parse("e-arkiv -bygglov").excludes_only
