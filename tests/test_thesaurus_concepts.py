"""What thesaurus rules mean for a query: the shipped concepts of two words (one concept,
weighed as one word), broader words one way, an excluded word's synonym group, and e-words
written with or without their hyphen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kb.search.request import SearchRequest
from kb.search.serialize import search_json
from kb.service import KnowledgeBase
from kb.taxonomy.model import Taxonomy
from tests.conftest import SHIPPED_THESAURUS, add_documents, make_document, thesaurus_settings
from web import create_app
from web.context import EXTENSION_KEY


@pytest.fixture
def shipped_kb(tmp_path: Path) -> Iterator[KnowledgeBase]:
    """An empty knowledge base with the shipped thesaurus (corpus/thesaurus.txt)."""
    settings = thesaurus_settings(tmp_path, SHIPPED_THESAURUS.read_text(encoding="utf-8"))
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


def test_kommun_finds_the_municipal_adjective_and_says_so(shipped_kb: KnowledgeBase) -> None:
    # The shipped thesaurus: "kommunal" is the adjective of "kommun" (a page on "kommunal och
    # regional data" is about municipalities' open data), so "oppna data kommun" finds it as a
    # full match and the page says what else was searched.
    kb = shipped_kb
    add_documents(
        kb,
        [
            make_document(
                "https://a.se/nsod",
                "NSÖD",
                "Mer kommunal och regional öppna data via projektet.",
            ),
            make_document("https://a.se/trafik", "Trafikdata", "Öppna data om kollektivtrafik."),
        ],
    )
    result = kb.search(SearchRequest(q="oppna data kommun"))
    assert [h.url for h in result.hits if not h.partial] == ["https://a.se/nsod"]
    assert "kommunal" in result.expanded
    assert [h.url for h in kb.search(SearchRequest(q="kommunal")).hits] == ["https://a.se/nsod"]


def test_an_excluded_word_leaves_out_its_synonym_group_and_says_so(tmp_path: Path) -> None:
    settings = thesaurus_settings(
        tmp_path, "gdpr, dataskyddsförordningen\nrobotisering => automatisering\n"
    )
    # The web app reads the taxonomy from the corpus folder.
    (settings.corpus_dir / "taxonomy").symlink_to(SHIPPED_THESAURUS.parent / "taxonomy")
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
    settings = thesaurus_settings(
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
