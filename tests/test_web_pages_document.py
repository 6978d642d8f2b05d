"""The document page through Flask's test client: metadata, why it was tagged, the excerpt,
similar documents and other municipalities, a friendly 404, the kept originals, and the
link back to the results page the officer came from."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from kb.service import KnowledgeBase
from tests import related_support
from tests.web_corpus import UDDEVALLA, WebCorpus, soup

# One corpus and app for the three test_web_pages_* modules, as when they were one file.
WEB_CORPUS_GROUP = "web_pages"

# -- document page ------------------------------------------------------------------------------


def test_document_page_shows_metadata_evidence_excerpt_similar_and_others(
    client: FlaskClient, corpus: WebCorpus, app_kb: KnowledgeBase
) -> None:
    doc = corpus.e_arkiv[0]
    page = soup(client.get(f"/documents/{doc.id}"))
    assert page.h1.get_text(strip=True) == doc.title
    assert page.title.get_text() == f"{doc.title} – Kunskapsbanken"
    about = page.find(id="about-heading").find_parent("section").get_text(" ", strip=True)
    assert "Uddevalla" in about and doc.date in about and "Projektbeskrivning" in about
    assert "Fyrbodal" in about  # the region Uddevalla is a member of, though not tagged itself
    why = page.find(id="why-heading").find_parent("section").get_text(" ", strip=True)
    assert "Digital infrastruktur" in why and "e-arkiv, arkivering" in why
    # Officers see why, never a raw score.
    assert "Satt automatiskt" in why and "poäng" not in why and "0.80" not in why
    assert "Uddevalla kommun arbetar med e-arkiv" in page.select_one(".excerpt").get_text()
    similar = [a["href"] for a in page.select("#similar-heading ~ ol .hit-title a")]
    listed, others = app_kb.related(doc.id, limit=5)
    assert similar == [f"/documents/{h.id}" for h in listed] and similar
    section = page.find(id="others-heading").find_parent("section")
    assert section.h2.get_text() == "Andra kommuner som arbetat med detta"
    assert [a["href"] for a in section.select(".hit-title a")] == [
        f"/documents/{h.id}" for h in others
    ]
    assert others and all(UDDEVALLA not in h.municipalities for h in others)


def test_a_document_is_listed_once_under_similar_or_other_municipalities(
    client: FlaskClient, corpus: WebCorpus, app_kb: KnowledgeBase
) -> None:
    # "Andra kommuner" (another municipality, a shared focus area) keeps a document found by
    # both lists; "Liknande dokument" shows the next most similar ones instead.
    for doc in corpus.all:
        page = soup(client.get(f"/documents/{doc.id}"))
        similar = [a["href"] for a in page.select("#similar-heading ~ ol .hit-title a")]
        section = page.find(id="others-heading").find_parent("section")
        others = [a["href"] for a in section.select(".hit-title a")]
        assert not set(similar) & set(others), doc.title
        alone = related_support.other_municipalities(app_kb, doc.id, 5)
        assert others == [f"/documents/{h.id}" for h in alone]
        ranked = [f"/documents/{h.id}" for h in related_support.similar(app_kb, doc.id, limit=20)]
        assert similar == [href for href in ranked if href not in others][:5], doc.title


def test_english_document_title_carries_its_language(
    client: FlaskClient, corpus: WebCorpus
) -> None:
    page = soup(client.get(f"/documents/{corpus.english.id}"))
    assert page.html["lang"] == "sv"
    assert page.h1["lang"] == "en"
    swedish = soup(client.get(f"/documents/{corpus.kompetens.id}"))
    assert not swedish.h1.has_attr("lang")


def test_unknown_document_is_a_friendly_404(client: FlaskClient) -> None:
    for url in (
        "/documents/0000000000000000",
        "/documents/..%2f..%2fetc",
        "/documents/x/original",
        "/documents/%C3%A5rsrapport",  # letters outside ASCII never make a document id
        "/documents/" + "a" * 65,
    ):
        response = client.get(url)
        assert response.status_code == 404
        page = BeautifulSoup(response.data, "html.parser")
        assert page.h1.get_text(strip=True) == "Sidan finns inte"
        assert page.find("label", attrs={"for": "q"})


def test_kept_pdf_is_served_as_pdf(client: FlaskClient, corpus: WebCorpus) -> None:
    with client.get(f"/documents/{corpus.pdf.id}/original") as response:
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        assert response.data.startswith(b"%PDF")
        assert "attachment" not in response.headers.get("Content-Disposition", "")


def test_kept_text_names_one_charset(client: FlaskClient, corpus: WebCorpus) -> None:
    with client.get(f"/documents/{corpus.english.id}/original") as response:
        assert response.status_code == 200
        # Was "text/plain; charset=utf-8; charset=utf-8" (windows-1252 texts: two charsets).
        assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert response.data.startswith(b"Gothenburg")


def test_back_link_is_rebuilt_from_a_results_page_of_this_site_only(
    client: FlaskClient, corpus: WebCorpus
) -> None:
    path = f"/documents/{corpus.kompetens.id}"

    def back(referrer: str) -> list[str]:
        page = soup(client.get(path, headers={"Referer": referrer}))
        return [a["href"] for a in page.select(".back-link a")]

    came = f"http://localhost/search?q=e-arkiv&municipality={UDDEVALLA}&page=2&junk=%3Cx%3E"
    assert back(came) == [f"/search?q=e-arkiv&municipality={UDDEVALLA}&page=2"]
    assert back("https://evil.example/search?q=e-arkiv") == []
    assert back("http://localhost/compare?q=e-arkiv") == []
    assert back("http://localhost/search?year_from=abc") == []
    assert back("") == []
    english = soup(client.get(path + "?lang=en", headers={"Referer": "http://localhost/search"}))
    assert english.select_one(".back-link a").get_text().strip() == "← Back to the results"


@pytest.mark.parametrize(
    "referrer",
    [
        "http://[::1/search?q=e-arkiv",  # not a URL: urlsplit raises
        "http://localhost/search?" + "q=a&" * 600,  # more fields than a search reads
    ],
)
def test_a_referrer_that_cannot_be_read_gives_no_back_link(
    client: FlaskClient, corpus: WebCorpus, referrer: str
) -> None:
    # The header is the client's to send: the document page is shown, without the link (was 500).
    page = soup(client.get(f"/documents/{corpus.kompetens.id}", headers={"Referer": referrer}))
    assert page.select(".back-link a") == []


def test_an_over_long_back_parameter_gives_no_back_link(
    client: FlaskClient, corpus: WebCorpus
) -> None:
    # Cut to its first 8000 characters it read as another valid search (here the municipality
    # filter lost): refused as an over-long Referer is.
    first = f"/documents/{corpus.kompetens.id}"
    head = "q=e-arkiv&junk="
    back = head + "a" * (8000 - len(head)) + f"&municipality={UDDEVALLA}"
    page = soup(
        client.get(
            f"{first}?{urlencode({'back': back})}", headers={"Referer": "http://localhost" + first}
        )
    )
    assert page.select(".back-link a") == []
    short = back.replace("a" * 100, "", 1)  # the same parameter within the limit: the whole search
    page = soup(
        client.get(
            f"{first}?{urlencode({'back': short})}", headers={"Referer": "http://localhost" + first}
        )
    )
    assert page.select_one(".back-link a")["href"] == f"/search?q=e-arkiv&municipality={UDDEVALLA}"
