"""The thesaurus staff edit: parsing, errors that name the line, reload on change, and search."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.config import Settings
from kb.search.request import SearchRequest
from kb.search.serialize import search_json
from kb.search.thesaurus import MAX_BYTES, ThesaurusError, ThesaurusFile, parse_thesaurus
from kb.service import KnowledgeBase
from kb.taxonomy.model import Taxonomy
from kbcli.main import cli
from tests.conftest import add_documents, make_document
from web import create_app
from web.context import EXTENSION_KEY

SHIPPED = Path(__file__).resolve().parents[1] / "corpus" / "thesaurus.txt"


def test_groups_and_one_way_rules() -> None:
    t = parse_thesaurus("# comment\ngdpr, dataskyddsförordningen\nrpa => automatisering\n")
    assert t.expansions["gdpr"] == ("dataskyddsförordningen",)
    assert t.expansions["dataskyddsförordningen"] == ("gdpr",)
    assert t.expansions["rpa"] == ("automatisering",)
    assert "automatisering" not in t.expansions  # one way only


def test_the_shipped_thesaurus_parses() -> None:
    t = parse_thesaurus(SHIPPED.read_text(encoding="utf-8"))
    assert "dataskyddsförordningen" in t.expansions["gdpr"]
    assert "artificiell intelligens" in t.expansions["ai"]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("gdpr, dataskydd\nbara ett ord\n", 2, "två ord"),
        ("a, b\n\n# x\nc, , d\n", 4, "tomt ord"),
        ("a => b => c\n", 1, "mer än en"),
        ("a, b\nb, c\n", 2, "rad 1"),
        ("a => b\nb => c\nc => a\n", 3, "cirkel"),
        ("x, <script>\n", 1, "inget ord"),
    ],
)
def test_malformed_lines_are_named(text: str, line: int, words: str) -> None:
    with pytest.raises(ThesaurusError) as err:
        parse_thesaurus(text)
    assert f"rad {line}" in str(err.value)
    assert words in str(err.value)


def test_empty_and_enormous_files_are_refused() -> None:
    with pytest.raises(ThesaurusError, match="tom"):
        parse_thesaurus("  \n\n")
    with pytest.raises(ThesaurusError, match="för stor"):
        parse_thesaurus("a, b\n" * (MAX_BYTES // 4))
    assert parse_thesaurus("# only comments: no synonyms\n").expansions == {}


def _touch_later(path: Path, text: str) -> None:
    """Write ``text`` with an mtime one second later, so a reload sees the change."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


def test_file_reloads_on_change_and_bad_edits_keep_the_previous_rules(tmp_path: Path) -> None:
    path = tmp_path / "thesaurus.txt"
    path.write_text("gdpr, dataskyddsförordningen\n", encoding="utf-8")
    current = ThesaurusFile(path)
    assert current.current().expansions["gdpr"] == ("dataskyddsförordningen",)
    _touch_later(path, "gdpr, dataskyddsförordningen\nai, artificiell intelligens\n")
    assert current.reload()
    assert "ai" in current.current().expansions
    _touch_later(path, "gdpr, dataskyddsförordningen\nai => x\nx => ai\n")
    assert not current.reload()
    assert "rad 3" in (current.error or "") and "cirkel" in (current.error or "")
    assert current.current().expansions["ai"] == ("artificiell intelligens",)
    _touch_later(path, "")
    current.reload()
    assert "tom" in (current.error or "")
    assert "gdpr" in current.current().expansions


def _thesaurus_settings(tmp_path: Path, rules: str) -> Settings:
    """Settings for a knowledge base in ``tmp_path`` whose corpus folder holds a thesaurus.txt
    of ``rules`` (no demo documents)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "thesaurus.txt").write_text(rules, encoding="utf-8")
    return Settings(data_dir=tmp_path / "data", corpus_dir=corpus, ingest_demo_on_start=False)


@pytest.fixture
def corpus_kb(tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = _thesaurus_settings(tmp_path, "gdpr, dataskyddsförordningen\nrpa, robotisering\n")
    kb = KnowledgeBase(settings, Taxonomy.load())
    add_documents(
        kb,
        [
            make_document(
                "https://www.boras.se/dataskydd",
                "Dataskydd i Borås",
                "Så tillämpar nämnderna dataskyddsförordningen i ärendehanteringen.",
            ),
            make_document(
                "https://www.vara.se/robotar",
                "Robotar i ekonomin",
                "Vara kommun inför robotisering av fakturahanteringen.",
            ),
        ],
    )
    yield kb, settings.corpus_dir / "thesaurus.txt"
    kb.close()


def test_search_uses_synonyms_and_says_so(corpus_kb) -> None:  # type: ignore[no-untyped-def]
    kb, _ = corpus_kb
    result = kb.search(SearchRequest(q="GDPR"))
    assert [h.title for h in result.hits] == ["Dataskydd i Borås"]
    assert result.expanded == ("dataskyddsförordningen",)
    assert "<mark>dataskyddsförordningen</mark>" in result.hits[0].snippet
    assert search_json(result)["expanded"] == ["dataskyddsförordningen"]
    # An inflected form uses the same rule.
    assert kb.search(SearchRequest(q="dataskyddsförordning")).expanded == ("gdpr",)


def test_one_quoted_word_is_searched_as_written(corpus_kb) -> None:  # type: ignore[no-untyped-def]
    kb, _ = corpus_kb
    # Quotes ask for the word as written (README): '"GDPR"' searched dataskyddsförordningen too.
    quoted = kb.search(SearchRequest(q='"GDPR"'))
    assert quoted.expanded == ()
    assert [h.title for h in quoted.hits if not h.partial] == []
    assert kb.search(SearchRequest(q='"robotisering"')).hits[0].title == "Robotar i ekonomin"


def test_a_word_typed_without_diacritics_uses_the_same_rules(corpus_kb) -> None:  # type: ignore[no-untyped-def]
    kb, _ = corpus_kb
    # "dataskyddsforordningen" (no ö) finds what "dataskyddsförordningen" finds, and GDPR.
    folded = kb.search(SearchRequest(q="dataskyddsforordningen"))
    assert folded.expanded == ("gdpr",)
    assert [h.title for h in folded.hits] == ["Dataskydd i Borås"]


def test_two_names_of_one_thing_in_a_query_are_one_requirement(corpus_kb) -> None:  # type: ignore[no-untyped-def]
    kb, _ = corpus_kb
    # "GDPR dataskyddsförordningen": a document need not use both names to match fully.
    both = kb.search(SearchRequest(q="GDPR dataskyddsförordningen nämnderna"))
    assert [h.title for h in both.hits] == ["Dataskydd i Borås"]
    assert not both.hits[0].partial
    assert both.expanded == ()  # nothing was searched that the user did not type


def test_a_synonym_found_whole_is_a_full_match_whatever_else_the_text_says(
    tmp_path: Path,
) -> None:
    settings = _thesaurus_settings(tmp_path, "fiberutbyggnad, bredbandsutbyggnad\n")
    with KnowledgeBase(settings, Taxonomy.load()) as kb:
        add_documents(
            kb,
            [
                make_document(
                    "https://www.vara.se/fiber",
                    "Fiber i Vara",
                    "Fiberutbyggnaden pågår. Utbyggnad av bredband till alla hushåll.",
                )
            ],
        )
        # The text has bredbandsutbyggnad's parts apart, and fiberutbyggnad whole: a full match.
        hits = kb.search(SearchRequest(q="fiberutbyggnad")).hits
        assert [h.title for h in hits] == ["Fiber i Vara"]
        assert not hits[0].partial


def test_cli_adds_a_pair_that_the_running_service_uses(corpus_kb) -> None:  # type: ignore[no-untyped-def]
    kb, path = corpus_kb
    assert kb.search(SearchRequest(q="automatisering")).total == 0
    before = path.stat().st_mtime_ns
    env = {"KB_CORPUS_DIR": str(path.parent)}
    added = CliRunner().invoke(cli, ["synonym", "add", "automatisering", "robotisering"], env=env)
    assert added.exit_code == 0, added.output
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))
    kb.thesaurus.reload()
    result = kb.search(SearchRequest(q="automatisering"))
    assert [h.title for h in result.hits] == ["Robotar i ekonomin"]
    listed = CliRunner().invoke(cli, ["synonym", "list", "--json"], env=env)
    rules = json.loads(listed.output)["rules"]
    # The new word joined the group that already held "robotisering".
    assert ["rpa", "robotisering", "automatisering"] in [r["entries"] for r in rules]
    one_way = CliRunner().invoke(cli, ["synonym", "add", "--one-way", "bot", "rpa"], env=env)
    assert one_way.exit_code == 0, one_way.output
    assert path.read_text(encoding="utf-8").splitlines()[-1] == "bot => rpa"


def test_cli_refuses_a_pair_that_breaks_the_file(corpus_kb) -> None:  # type: ignore[no-untyped-def]
    _, path = corpus_kb
    env = {"KB_CORPUS_DIR": str(path.parent)}
    before = path.read_text(encoding="utf-8")
    bad = CliRunner().invoke(cli, ["synonym", "add", "--one-way", "rpa", "rpa"], env=env)
    assert bad.exit_code != 0
    assert "samma ord / the two words are the same" in bad.output
    cycle = CliRunner().invoke(cli, ["synonym", "add", "x", "<b>"], env=env)
    assert cycle.exit_code != 0 and "rad 3" in cycle.output
    assert path.read_text(encoding="utf-8") == before


def test_a_hit_lacking_a_widened_word_names_it_as_typed(corpus_kb) -> None:  # type: ignore[no-untyped-def]
    kb, _ = corpus_kb
    # Two concepts: each document holds one, so both are partial matches.
    result = kb.search(SearchRequest(q="gdpr robotisering"))
    assert result.total == 2 and result.partial_total == 2
    # "gdpr", not "gdpr OR dataskyddsförordningen": the officer typed one word.
    assert sorted(m for h in result.hits for m in h.missing) == ["gdpr", "robotisering"]


def test_a_word_in_an_or_group_uses_its_synonyms_too(corpus_kb) -> None:  # type: ignore[no-untyped-def]
    kb, _ = corpus_kb
    # Neither document says "gdpr" or "kärnkraft"; the first says dataskyddsförordningen.
    result = kb.search(SearchRequest(q="gdpr OR kärnkraft"))
    assert [h.title for h in result.hits] == ["Dataskydd i Borås"]
    assert "dataskyddsförordningen" in result.expanded
    # A prefix asks for the words that start so, as written.
    assert kb.search(SearchRequest(q="gdp* OR kärnkraft")).total == 0


@pytest.mark.parametrize(
    ("word", "other"),
    [("x => y", "z"), ("a, b", "c"), ("ai #", "ml"), ("Robotisering", "robotisering")],
)
def test_cli_refuses_a_word_that_would_write_another_rule(  # type: ignore[no-untyped-def]
    corpus_kb, word: str, other: str
) -> None:
    _, path = corpus_kb
    env = {"KB_CORPUS_DIR": str(path.parent)}
    before = path.read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["synonym", "add", word, other], env=env)
    # 'x => y' and 'z' was written as the one-way rule "x => y, z" and reported as added.
    assert result.exit_code != 0, result.output
    assert "Lade till" not in result.output
    assert path.read_text(encoding="utf-8") == before


def test_cli_says_so_when_the_pair_is_already_there(corpus_kb) -> None:  # type: ignore[no-untyped-def]
    _, path = corpus_kb
    env = {"KB_CORPUS_DIR": str(path.parent)}
    before = path.read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["synonym", "add", "rpa", "robotisering"], env=env)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Fanns redan / already there: rpa <=> robotisering")
    assert path.read_text(encoding="utf-8") == before


@pytest.fixture
def shipped_kb(tmp_path: Path) -> Iterator[KnowledgeBase]:
    """An empty knowledge base with the shipped thesaurus (corpus/thesaurus.txt)."""
    settings = _thesaurus_settings(tmp_path, SHIPPED.read_text(encoding="utf-8"))
    kb = KnowledgeBase(settings, Taxonomy.load())
    yield kb
    kb.close()


def test_public_sector_is_one_concept_with_its_other_name(shipped_kb: KnowledgeBase) -> None:
    # The shipped thesaurus: "offentlig sektor" and "offentlig förvaltning" name the same thing,
    # so "AI offentlig sektor" is two concepts, and a text on AI that names neither is a partial
    # match below the ones that say either.
    kb = shipped_kb
    add_documents(
        kb,
        [
            make_document(
                "https://a.se/forvaltning",
                "AI i förvaltningen",
                "Regeringen vill att AI används mer i den offentliga förvaltningen.",
            ),
            make_document(
                "https://a.se/besok",
                "Ministern besöker Kalmar",
                "Besöket handlar om hur kommunen använder AI i äldreomsorgen.",
            ),
            make_document(
                "https://a.se/parkering",
                "Parkering",
                "Avgifter för parkering i centrum, beslutade av nämnden.",
            ),
        ],
    )
    result = kb.search(SearchRequest(q="AI offentlig sektor"))
    assert [h.url for h in result.hits] == ["https://a.se/forvaltning", "https://a.se/besok"]
    assert not result.hits[0].partial
    assert result.hits[1].partial and result.hits[1].missing == ("offentlig sektor",)


def test_a_concept_of_two_words_weighs_as_one_word(shipped_kb: KnowledgeBase) -> None:
    # "AI offentlig sektor" is two concepts. Among the texts that hold only one of them, the one
    # that is about AI is not outweighed by one that names "offentlig sektor" in passing: a
    # concept's two words count as one word, not twice (docs/relevance.md, 2026-12-07 night).
    kb = shipped_kb
    add_documents(
        kb,
        [
            make_document(
                "https://a.se/ai",
                "AI i äldreomsorgen",
                "Kommunen använder AI i äldreomsorgen. AI läser journaler, AI planerar "
                "scheman och AI svarar på frågor.",
            ),
            make_document(
                "https://a.se/sektor",
                "Ministern besöker Växjö",
                "Kommunen är den största arbetsgivaren i offentlig sektor i länet. Lönerna "
                "i offentlig sektor stiger.",
            ),
            make_document(
                "https://a.se/parkering", "Parkering", "Avgifter för parkering i centrum."
            ),
        ],
    )
    result = kb.search(SearchRequest(q="AI offentlig sektor"))
    assert [h.url for h in result.hits] == ["https://a.se/ai", "https://a.se/sektor"]
    assert all(h.partial for h in result.hits)


def test_broader_words_find_the_narrower_ones_one_way(shipped_kb: KnowledgeBase) -> None:
    # The shipped thesaurus: an iPad is a surfplatta, so "surfplatta" finds a text that says
    # I-pad; "ipad" does not find every tablet (docs/relevance.md, thesaurus 2026-12-07).
    kb = shipped_kb
    add_documents(
        kb,
        [
            make_document(
                "https://a.se/ipad", "Hemtjänst", "Personalen signerar på en I-pad i köket."
            ),
            make_document("https://a.se/platta", "Skola", "Varje elev får en läsplatta."),
        ],
    )
    found = kb.search(SearchRequest(q="surfplatta"))
    assert {h.url for h in found.hits} == {"https://a.se/ipad", "https://a.se/platta"}
    assert [h.url for h in kb.search(SearchRequest(q="ipad")).hits] == ["https://a.se/ipad"]
    # Data protection is the protection of personal data (IMY), one way as well.
    add_documents(
        kb,
        [
            make_document(
                "https://a.se/dpo", "Årsrapport", "Dataskyddsombudets rapport om dataskydd."
            )
        ],
    )
    assert [h.url for h in kb.search(SearchRequest(q="personuppgifter")).hits] == [
        "https://a.se/dpo"
    ]
    assert kb.search(SearchRequest(q="dataskydd")).total == 1


def test_cli_add_to_a_file_it_cannot_read_or_write_is_one_line(tmp_path: Path) -> None:
    missing = {"KB_CORPUS_DIR": str(tmp_path / "finns-inte")}
    result = CliRunner().invoke(cli, ["synonym", "add", "ai", "ml"], env=missing)
    # Both were tracebacks (FileNotFoundError, UnicodeDecodeError).
    assert result.exit_code == 1 and "cannot be written" in result.output, result.output
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "thesaurus.txt").write_bytes("gdpr, dataskyddsförordningen\n".encode("utf-16"))
    result = CliRunner().invoke(
        cli, ["synonym", "add", "ai", "ml"], env={"KB_CORPUS_DIR": str(corpus)}
    )
    assert result.exit_code == 1 and "cannot be read" in result.output, result.output


def test_an_excluded_word_leaves_out_its_synonym_group_and_says_so(tmp_path: Path) -> None:
    settings = _thesaurus_settings(
        tmp_path, "gdpr, dataskyddsförordningen\nrobotisering => automatisering\n"
    )
    # The web app reads the taxonomy from the corpus folder.
    (settings.corpus_dir / "taxonomy").symlink_to(SHIPPED.parent / "taxonomy")
    app = create_app(settings, {"TESTING": True})
    kb = app.extensions[EXTENSION_KEY]
    add_documents(
        kb,
        [
            make_document(
                "https://www.boras.se/dataskydd",
                "Dataskydd i e-tjänsterna",
                "Borås tillämpar dataskyddsförordningen i alla e-tjänster.",
            ),
            make_document(
                "https://www.vara.se/bygglov", "Bygglov som e-tjänst", "Vara har e-tjänster."
            ),
            make_document(
                "https://www.lerum.se/automat",
                "Automatisering av e-tjänster",
                "Lerum inför automatisering i e-tjänster.",
            ),
        ],
    )
    try:

        def titles(q: str) -> set[str]:
            return {h.title for h in kb.search(SearchRequest(q=q)).hits}

        everything = titles("e-tjänst")
        assert len(everything) == 3
        # The excluded word's group: the document that says only "dataskyddsförordningen" goes too,
        # with a query to find and in a query of exclusions only (a browse).
        result = kb.search(SearchRequest(q="e-tjänst -gdpr"))
        assert {h.title for h in result.hits} == everything - {"Dataskydd i e-tjänsterna"}
        assert result.also_excluded == ("dataskyddsförordningen",)
        assert search_json(result)["also_excluded"] == ["dataskyddsförordningen"]
        assert "Dataskydd i e-tjänsterna" not in titles("-gdpr")
        # A one-way rule's target is not the same thing: automatisering is wider than robotisering.
        one_way = kb.search(SearchRequest(q="e-tjänst -robotisering"))
        assert {h.title for h in one_way.hits} == everything
        assert one_way.also_excluded == ()
        # Quotes ask for the word as written, and a synonym the user excluded too is not news.
        assert titles('e-tjänst -"gdpr"') == everything
        both = kb.search(SearchRequest(q="e-tjänst -gdpr -dataskyddsförordningen"))
        assert len(both.hits) == 2 and both.also_excluded == ()
        # The page says what it left out, as it says what it searched as well.
        client = app.test_client()
        page = client.get("/search?q=e-tj%C3%A4nst+-gdpr").get_data(as_text=True)
        assert "Uteslöt även: dataskyddsförordningen" in page
        english = client.get("/search?q=e-tj%C3%A4nst+-gdpr&lang=en").get_data(as_text=True)
        assert "Also excluded: dataskyddsförordningen" in english
    finally:
        kb.close()


@pytest.fixture
def e_words_kb(tmp_path: Path):  # type: ignore[no-untyped-def]
    # As shipped: e-arkiv's line names its joined spelling, e-tjänst's does not.
    settings = _thesaurus_settings(
        tmp_path, "e-arkiv, earkiv, digitalt arkiv\ne-tjänst, självservice\n"
    )
    kb = KnowledgeBase(settings, Taxonomy.load())
    texts = {
        "bindestreck": "Kommunen lanserar en e-tjänst för bygglov.",
        "ihopskrivet": "Kommunen lanserar en etjänst för parkeringstillstånd.",
        "synonym": "Medborgarna söker färdtjänst via självservice på webben.",
        "arkiv": "Ett e-arkiv för kommunens handlingar.",
        "annat": "Ett digitalt arkiv för föreningarnas protokoll.",
        "faktura": "Leverantörer skickar efaktura till kommunen.",
    }
    add_documents(
        kb,
        [make_document(f"https://www.boras.se/{k}", k.title(), v) for k, v in texts.items()],
    )
    yield kb
    kb.close()


def _titles(kb: KnowledgeBase, q: str) -> set[str]:
    return {h.title for h in kb.search(SearchRequest(q=q, page_size=50)).hits if not h.partial}


def test_etjanst_and_e_tjanst_find_the_same_documents(e_words_kb) -> None:  # type: ignore[no-untyped-def]
    kb = e_words_kb
    found = {"Bindestreck", "Ihopskrivet", "Synonym"}
    for q in ("e-tjänst", "etjänst", "E-tjänster", "etjanst"):
        assert _titles(kb, q) == found, q
    assert _titles(kb, "e-arkiv") == _titles(kb, "earkiv") == {"Arkiv", "Annat"}


def test_a_spelling_of_the_typed_word_is_not_also_searched(e_words_kb) -> None:  # type: ignore[no-untyped-def]
    kb = e_words_kb
    # "Sökte även på" names other words, not the typed one written with or without its hyphen.
    assert kb.search(SearchRequest(q="e-arkiv")).expanded == ("digitalt arkiv",)
    assert kb.search(SearchRequest(q="earkiv")).expanded == ("digitalt arkiv",)
    assert kb.search(SearchRequest(q="etjänst")).expanded == ("självservice",)
    assert kb.search(SearchRequest(q="e-tjänst")).expanded == ("självservice",)


def test_a_spelling_of_a_word_in_an_or_group_is_not_also_searched(e_words_kb) -> None:  # type: ignore[no-untyped-def]
    kb = e_words_kb
    # As for the word typed alone: "e-arkiv OR protokoll" also searched digitalt arkiv, and
    # earkiv is e-arkiv written without its hyphen ('Sökte även på: earkiv' was shown).
    assert kb.search(SearchRequest(q="e-arkiv OR protokoll")).expanded == ("digitalt arkiv",)
    assert kb.search(SearchRequest(q="bygglov OR earkiv")).expanded == ("digitalt arkiv",)


def test_an_e_word_in_an_or_group_searches_its_joined_spelling_too(e_words_kb) -> None:  # type: ignore[no-untyped-def]
    kb = e_words_kb
    # As typed alone: e-faktura (no thesaurus line) finds efaktura, e-tjänst finds etjänst.
    assert _titles(kb, "e-faktura") == {"Faktura"}
    assert _titles(kb, "e-faktura OR parkeringstillstånd") == {"Faktura", "Ihopskrivet"}
    tjanst = kb.search(SearchRequest(q="e-tjänst OR protokoll", page_size=50))
    assert {h.title for h in tjanst.hits} == {"Bindestreck", "Ihopskrivet", "Synonym", "Annat"}
    assert tjanst.expanded == ("självservice",)  # the joined spelling is not "also searched"
