"""Related hits (kb.search.feedback): a document about what the best hits are about, though it
uses none of the query's words, follows them as a partial match."""

from __future__ import annotations

import pytest

from kb.search import feedback
from kb.search.request import SearchRequest
from kb.search.serialize import search_json
from kb.service import KnowledgeBase
from tests.conftest import add_documents, make_document

# Other subjects, so that the food-waste vocabulary is rare in the index, as a subject's is.
FILLER = [
    ("Bygglov och strandskydd", "Ansökan om bygglov prövas av nämnden enligt plan- och bygglagen."),
    ("Parkering i centrum", "Avgifter för parkering och boendeparkering beslutas av nämnden."),
    ("Bredband på landsbygden", "Utbyggnaden av fiber till hushållen fortsätter under året."),
    ("E-arkiv", "Digitala handlingar bevaras i e-arkivet enligt arkivlagen."),
    ("Informationssäkerhet", "Rutiner för behörigheter, loggning och incidenter i kommunen."),
    ("Välfärdsteknik", "Digitala trygghetslarm och nattkameror i hemtjänsten."),
    ("Öppna data", "Kommunen publicerar datamängder under öppen licens."),
    ("Kollektivtrafik", "Nya busslinjer och tidtabeller från december."),
    ("Bibliotek", "Öppettider, låneregler och e-böcker på stadsbiblioteket."),
    ("Räddningstjänst", "Brandskydd, sotning och tillsyn av brandfarliga varor."),
    ("Vatten och avlopp", "Taxor för vatten, spillvatten och dagvatten."),
    ("Förskola", "Ansökan om plats i förskola och pedagogisk omsorg."),
    ("Idrottshallar", "Bokning av idrottshallar och föreningsbidrag."),
    ("Detaljplaner", "Samråd och granskning av nya detaljplaner för bostäder."),
    ("Turism", "Evenemang, besöksmål och vandringsleder i kommunen."),
    ("Skolskjuts", "Regler för skolskjuts och resor med busskort."),
    ("Personalpolicy", "Lönesättning, arbetstider och friskvård för anställda."),
    ("Valnämnden", "Förtidsröstning och vallokaler inför valet."),
    ("Gator och vägar", "Snöröjning, vägbelysning och gatuunderhåll."),
    ("Budget", "Kommunfullmäktige beslutade om budget och skattesats."),
]
TOPIC = (
    "Skolköket väger tallrikarna varje dag. Portionerna anpassas efter eleverna, överbliven "
    "lunch kyls och säljs som matlåda, och det som ändå slängs komposteras. Kostenheten följer "
    "upp resultatet med måltidspersonalen varje termin."
)


@pytest.fixture
def small_kb(kb: KnowledgeBase) -> KnowledgeBase:
    docs = [
        make_document(f"https://a.se/other/{i}", title, text)
        for i, (title, text) in enumerate(FILLER)
    ]
    docs += [
        make_document("https://a.se/matsvinn/1", "Matsvinn i skolan", f"Matsvinn: {TOPIC}"),
        make_document(
            "https://a.se/matsvinn/2", "Mindre matsvinn", f"Arbetet mot matsvinn. {TOPIC}"
        ),
        make_document(
            "https://a.se/matsvinn/3", "Halverat matsvinn", f"{TOPIC} Så minskar matsvinn."
        ),
        # The same subject in other words: never "matsvinn".
        make_document(
            "https://a.se/related",
            "Kostenhetens uppföljning",
            "Måltidspersonalen väger tallrikarna och portionerna anpassas efter eleverna. "
            "Överbliven lunch säljs som matlåda och resten komposteras.",
        ),
    ]
    add_documents(kb, docs)
    return kb


def test_a_document_on_the_same_subject_follows_the_full_matches_as_partial(small_kb) -> None:  # type: ignore[no-untyped-def]
    result = small_kb.search(SearchRequest(q="matsvinn", page_size=50))
    urls = [h.url for h in result.hits]
    assert sorted(urls[:3]) == [f"https://a.se/matsvinn/{i}" for i in (1, 2, 3)]
    assert not any(h.partial for h in result.hits[:3])
    # The related document comes after every full match, flagged as lacking the query's word.
    assert urls[3:] == ["https://a.se/related"]
    related = result.hits[3]
    assert related.partial and related.missing == ("matsvinn",)
    assert result.partial_total == 1 and result.missing_words == ("matsvinn",)
    # Its snippet marks the words it was found by, since it holds none of the query's.
    assert "<mark>" in related.snippet
    # It says it is related, not merely partial: the API and the page tell the two apart.
    assert related.related and not any(h.related for h in result.hits[:3])
    data = search_json(result)
    assert data["results"][3]["partial"] is True and data["missing"] == ["matsvinn"]
    assert data["results"][3]["related"] is True and data["results"][0]["related"] is False


def test_related_hits_never_make_a_question_without_answer_fully_answered(small_kb) -> None:  # type: ignore[no-untyped-def]
    # Nothing holds both words: every hit, related ones included, is partial.
    result = small_kb.search(SearchRequest(q="matsvinn parkeringstillstånd", page_size=50))
    assert result.total > 0
    assert result.partial_total == result.total
    assert all(h.partial for h in result.hits)


def test_exclusions_hold_for_related_hits(small_kb) -> None:  # type: ignore[no-untyped-def]
    assert "https://a.se/related" in {
        h.url for h in small_kb.search(SearchRequest(q="matsvinn", page_size=50)).hits
    }
    result = small_kb.search(SearchRequest(q="matsvinn -uppföljning", page_size=50))
    assert result.total == 3 and "https://a.se/related" not in {h.url for h in result.hits}


def test_a_query_with_many_hits_reads_no_feedback(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Twenty full matches fill two pages: nothing is added below them (even when the subject's
    # words are not common in the index).
    monkeypatch.setattr(feedback, "MAX_SHARE", 1.0)
    docs = [
        make_document(f"https://b.se/{i}", f"Matsvinn {i}", f"Matsvinn. {TOPIC}") for i in range(20)
    ]
    docs += [make_document(f"https://b.se/o/{i}", t, x) for i, (t, x) in enumerate(FILLER)]
    # On the subject in other words (a copy of the hits' text would be no related hit).
    other_words = (
        "Måltidspersonalen väger tallrikarna och portionerna anpassas efter eleverna. "
        "Överbliven lunch säljs som matlåda och resten komposteras."
    )
    docs.append(make_document("https://b.se/related", "Uppföljning", other_words))
    add_documents(kb, docs)
    result = kb.search(SearchRequest(q="matsvinn", page_size=50))
    assert result.total == 20 and result.partial_total == 0
    monkeypatch.setattr(feedback, "FEEDBACK_BELOW", 21)
    # Another request (without facets): the same one would come from the result cache.
    assert kb.search(SearchRequest(q="matsvinn", page_size=50), facets=False).total == 21


def test_a_single_hit_brings_more_like_it_but_a_single_line_does_not(kb: KnowledgeBase) -> None:
    docs = [make_document(f"https://c.se/o/{i}", t, x) for i, (t, x) in enumerate(FILLER)]
    docs += [
        # One hit whose subject words recur in it: its subject is known.
        make_document("https://c.se/matsvinn", "Matsvinn", f"Matsvinn. {TOPIC} {TOPIC}"),
        make_document("https://c.se/related", "Kostenheten", TOPIC),
        # One hit of one line: its words say nothing about a subject (the Swedish case C15).
        make_document("https://c.se/avtal", "", "Avtalet ska betalas före start."),
        make_document("https://c.se/avgift", "", "Avgiften ska betalas före start."),
    ]
    add_documents(kb, docs)
    more = kb.search(SearchRequest(q="matsvinn", page_size=50))
    assert [(h.url, h.partial) for h in more.hits] == [
        ("https://c.se/matsvinn", False),
        ("https://c.se/related", True),
    ]
    assert [h.url for h in kb.search(SearchRequest(q="avtal", page_size=50)).hits] == [
        "https://c.se/avtal"
    ]


def test_the_results_page_calls_a_related_hit_related(small_kb, settings) -> None:  # type: ignore[no-untyped-def]
    from web import create_app  # the page as an officer sees it, over the same data folder
    from web.context import EXTENSION_KEY

    app = create_app(settings, {"TESTING": True})
    html = app.test_client().get("/search?q=matsvinn").get_data(as_text=True)
    app.extensions[EXTENSION_KEY].close()
    assert html.count('class="partial-note"') == 1
    assert "Relaterad: liknar de första träffarna men saknar matsvinn" in html


def test_the_page_says_when_no_hit_has_every_word(small_kb, settings) -> None:  # type: ignore[no-untyped-def]
    from web import create_app
    from web.context import EXTENSION_KEY

    app = create_app(settings, {"TESTING": True})
    client = app.test_client()
    some = client.get("/search?q=matsvinn").get_data(as_text=True)
    none = client.get("/search?q=matsvinn parkeringstillstånd").get_data(as_text=True)
    app.extensions[EXTENSION_KEY].close()
    # Three full matches, then one related: it is called related, not a hit missing a word
    # (tests/test_web_related_note.py has the notes in full).
    assert "Relaterade träffar (1 st, sist)" in some and "Träffar som saknar" not in some
    assert "Ingen träff har alla orden" not in some
    # Nothing holds both words: there is no "after those with every word" to speak of.
    # The same words as `kb search`: the hits lack some of the words, each its own (not all).
    assert "Ingen träff har alla orden – träffarna saknar något av orden: " in none
    assert "varje träff saknar" not in none
    assert "efter dem som har alla orden" not in none


def test_a_copy_of_a_related_hit_is_not_shown_twice(small_kb: KnowledgeBase) -> None:
    # The same handbook ingested again under another address (a second copy of a PDF): one
    # related hit, not two with the same text.
    copy = (
        "Kostenheten följer upp måltidspersonalens arbete: tallrikarna vägs, portionerna "
        "anpassas efter eleverna och överbliven lunch säljs som matlåda varje termin. "
    )
    add_documents(
        small_kb,
        [
            make_document("https://a.se/kost.pdf", "Kosthandbok", f"{copy}Resten komposteras."),
            make_document(
                "https://b.se/kopia/kost.pdf", "Kosthandbok (kopia)", f"{copy}Resten komposteras."
            ),
        ],
    )
    result = small_kb.search(SearchRequest(q="matsvinn", page_size=50))
    related = [h.url for h in result.hits if h.related]
    assert len({"https://a.se/kost.pdf", "https://b.se/kopia/kost.pdf"} & set(related)) == 1
    assert result.total == 3 + len(related)
