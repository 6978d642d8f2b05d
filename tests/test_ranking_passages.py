"""Best-passage scoring: the one item of long minutes that is about the question counts."""

from __future__ import annotations

import pytest

from kb.search import passages
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.conftest import add_documents, make_document

TOPICS = [
    "Budget för parker och gator",
    "Renovering av simhallen",
    "Taxor för vatten och avlopp",
    "Detaljplan för bostäder vid hamnen",
    "Skolskjuts under vintern",
    "Upphandling av städtjänster",
    "Biblioteksplan och läsfrämjande",
    "Föreningsbidrag till idrotten",
    "Trafiksäkerhet kring förskolor",
    "Avfallsplan för kommunen",
    "Revisionens granskning av bokslutet",
    "Delegationsordning för nämnden",
]


def _item(n: int, topic: str, extra: str = "") -> str:
    return (
        f"§ {n} {topic}. Förvaltningen har tagit fram ett underlag med bakgrund, ekonomiska "
        f"konsekvenser och en tidsplan. Ärendet har beretts i arbetsutskottet och remitterats till "
        f"berörda förvaltningar inför beslut. {extra} Nämnden beslutar enligt förvaltningens "
        f"förslag och uppdrar åt förvaltningschefen att återrapportera till hösten. Protokollet "
        f"justeras av ordföranden och den utsedda justeraren vid nästa sammanträde."
    )


def _minutes(items: dict[int, str]) -> str:
    return "\n\n".join(_item(n, t, items.get(n, "")) for n, t in enumerate(TOPICS, start=1))


ABOUT = (
    "Informationssäkerhet: kommunens arbete med informationssäkerhet följs upp, en ny riktlinje "
    "för informationssäkerhet antas och alla anställda får utbildning i informationssäkerhet."
)


@pytest.fixture
def minutes(kb: KnowledgeBase) -> KnowledgeBase:
    scattered = {
        2: "Informationssäkerhet berörs.",
        5: "Även informationssäkerhet nämns.",
        9: "Informationssäkerhet tas upp.",
        12: "Också informationssäkerhet.",
    }
    add_documents(
        kb,
        [
            make_document("https://a.se/item", "Protokoll 12 maj", _minutes({7: ABOUT})),
            make_document("https://a.se/scattered", "Protokoll 9 juni", _minutes(scattered)),
            make_document(
                "https://a.se/note",
                "Ny webbplats",
                "Kommunen lanserar en ny webbplats med e-tjänster, nyheter och kontaktuppgifter. "
                "Sidorna har skrivits om i klarspråk och går att läsa på mobilen. Arbetet har "
                "följt riktlinjer om tillgänglighet och informationssäkerhet, och invånarna kan "
                "lämna synpunkter på sidorna via ett formulär. Under våren kommer fler tjänster, "
                "bland annat bokning av lokaler och anmälan till kulturskolan, att flytta till "
                "den nya webbplatsen. Den gamla webbplatsen stängs i juni, och gamla länkar "
                "leder då till startsidan. Kommunikationsavdelningen svarar på frågor om "
                "webbplatsen och tar emot förslag på nya sidor, bilder och filmer.",
            ),
            # Other meeting items: the question's word is in a few documents of many.
            *(
                make_document(f"https://a.se/other{n}", topic, _item(n, topic))
                for n, topic in enumerate(TOPICS, start=1)
            ),
        ],
    )
    return kb


def _order(kb: KnowledgeBase, q: str) -> list[str]:
    return [h.url for h in kb.search(SearchRequest(q=q)).hits]


def test_the_item_about_the_question_ranks_above_the_same_words_scattered(minutes) -> None:  # type: ignore[no-untyped-def]
    # Both minutes are as long and say the word as often; one says it in one item.
    order = _order(minutes, "informationssäkerhet")
    assert order.index("https://a.se/item") < order.index("https://a.se/scattered")


def test_long_minutes_with_an_item_on_the_question_rank_above_a_passing_mention(minutes) -> None:  # type: ignore[no-untyped-def]
    order = _order(minutes, "informationssäkerhet")
    assert order[0] == "https://a.se/item"


def test_without_passages_the_short_mention_wins(minutes, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The behaviour above is the passage score's: whole-document BM25 alone divides the item's
    # words by the whole minutes' length.
    monkeypatch.setattr(passages, "PASSAGE_WEIGHT", 0.0)
    order = _order(minutes, "informationssäkerhet")
    assert order[0] == "https://a.se/note"
    assert {order[1], order[2]} == {"https://a.se/item", "https://a.se/scattered"}


def test_words_that_never_meet_in_one_passage_rank_below_words_together(kb: KnowledgeBase) -> None:
    # Long minutes hold the three words, each in another item; a short note holds two of them
    # together. The note is the better answer: it ranks first, still a partial match (it lacks
    # "energiplan"), and the minutes lack no word, so they are no partial match.
    spread = {1: "Solceller på taken.", 7: "Laddstolpar vid torget.", 12: "Energiplanen ses över."}
    add_documents(
        kb,
        [
            make_document("https://a.se/spread", "Protokoll 3 mars", _minutes(spread)),
            make_document(
                "https://a.se/pair",
                "Stadshuset",
                "Kommunen sätter upp solceller på taket och laddstolpar på parkeringen.",
            ),
            *(
                make_document(f"https://a.se/other{n}", topic, _item(n, topic))
                for n, topic in enumerate(TOPICS, start=1)
            ),
        ],
    )
    hits = kb.search(SearchRequest(q="solceller laddstolpar energiplan")).hits
    assert [h.url for h in hits] == ["https://a.se/pair", "https://a.se/spread"]
    assert hits[0].partial and hits[0].missing == ("energiplan",)
    assert not hits[1].partial
