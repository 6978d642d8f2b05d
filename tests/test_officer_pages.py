"""What an officer follows on the pages: metadata that links to the filtered search (built from
the facet registry), zero-hit ways out that all have hits, the filter button for small screens
and the trimmed municipality facet."""

from __future__ import annotations

from dataclasses import replace

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from kb.config import Settings
from kb.document import Tag
from kb.facets.registry import DEFAULT_FACETS, Facet
from kb.service import KnowledgeBase
from tests.conftest import add_documents, make_document
from tests.web_corpus import SKOVDE, STOCKHOLM, UDDEVALLA, WebCorpus
from web import create_app, search_view
from web.widget import scope_js


def soup(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.data[:500]
    return BeautifulSoup(response.data, "html.parser")


def count_of(page: BeautifulSoup) -> int:
    return int(page.find(id="result-count")["data-total"])


def test_every_hit_links_its_metadata_to_the_filtered_search(client: FlaskClient) -> None:
    page = soup(client.get(f"/search?q=e-arkiv&municipality={SKOVDE}"))
    hit = page.select_one(".hit")
    links = {a.get_text(strip=True): a["href"] for a in hit.select("dl.meta a")}
    assert links["Skövde"] == f"/search?municipality={SKOVDE}"
    assert any(href.startswith("/search?doc_type=") for href in links.values())
    assert any(href.startswith("/search?focus_area=") for href in links.values())
    for href in links.values():
        assert count_of(soup(client.get(href))) > 0  # every link leads to hits


def test_the_embeds_metadata_links_stay_in_the_embed(client: FlaskClient) -> None:
    page = soup(client.get("/embed?q=e-arkiv&lang=en"))
    hrefs = [a["href"] for a in page.select(".hit dl.meta a")]
    assert hrefs and all(h.startswith("/embed?") and "lang=en" in h for h in hrefs)


def test_the_embeds_link_to_the_service_keeps_its_language(client: FlaskClient) -> None:
    # The frame's cookie may not reach the top window: the language is in the URL, as on the
    # document links (the start page opened in Swedish from an English embed).
    page = soup(client.get("/embed?q=e-arkiv&lang=en"))
    assert page.select_one(".powered a")["href"] == "/?lang=en"
    assert soup(client.get("/embed?q=e-arkiv&lang=sv")).select_one(".powered a")["href"] in (
        "/",
        "/?lang=sv",
    )


def test_the_document_page_links_municipality_region_type_and_focus_area(
    client: FlaskClient, corpus: WebCorpus
) -> None:
    page = soup(client.get(f"/documents/{corpus.pdf.id}"))
    about = page.find(id="about-heading").find_parent("section")
    links = {a.get_text(strip=True): a["href"] for a in about.select("dl a")}
    assert links["Uddevalla"] == f"/search?municipality={UDDEVALLA}"
    assert links["Fyrbodal"] == "/search?region=fyrbodal"  # the region Uddevalla belongs to
    assert links["Digital infrastruktur"] == "/search?focus_area=digital-infrastruktur"
    assert "/search?doc_type=plan" in links.values()
    # "Other municipalities that worked on this" stays.
    assert page.find(id="others-heading") is not None
    assert "poäng" not in page.get_text()


def test_zero_hits_offer_only_ways_out_that_have_hits(client: FlaskClient) -> None:
    # Stockholm has no guide about digital trygghet: dropping the municipality finds Skövde's
    # guide; dropping the type or the focus area still finds nothing, so neither is offered.
    url = f"/search?municipality={STOCKHOLM}&doc_type=guide&focus_area=digital-trygghet"
    page = soup(client.get(url))
    assert count_of(page) == 0
    drops = page.select("ul.drops a")
    assert [a.get_text(" ", strip=True).split(":")[0] for a in drops] == ["Utan kommun"]
    followed = soup(client.get(drops[0]["href"]))
    assert count_of(followed) > 0
    assert f"{count_of(followed)} träff" in drops[0].get_text()
    english = soup(client.get(url + "&lang=en")).select("ul.drops a")
    assert [a.get_text(" ", strip=True).split(":")[0] for a in english] == ["Without municipality"]


def test_zero_hits_for_words_offer_no_filter_way_out(client: FlaskClient) -> None:
    page = soup(client.get(f"/search?q=zzzqqq&municipality={UDDEVALLA}&doc_type=report"))
    assert count_of(page) == 0 and not page.select("ul.drops a")


def test_the_filter_button_counts_the_active_filters(client: FlaskClient) -> None:
    page = soup(client.get(f"/search?q=e-arkiv&municipality={UDDEVALLA}&doc_type=guide"))
    button = page.find(id="filter-toggle")
    assert button.get_text(strip=True) == "Filtrera (2)"
    assert button["href"] == "#facets"  # without JS: a link to the filters below the results
    assert (
        soup(client.get("/search?q=e-arkiv&lang=en")).find(id="filter-toggle").get_text(strip=True)
        == "Filter"
    )


def test_the_widget_script_takes_its_filters_from_the_facet_registry(client: FlaskClient) -> None:
    body = client.get("/widget/kb-search.js").text
    assert scope_js(DEFAULT_FACETS) in body
    for facet in DEFAULT_FACETS.multi:
        assert f'"{facet.id.replace("_", "-")}", "{facet.id}"' in body
    # A new facet is a new widget attribute with nothing else to edit.
    topic = Facet("topic", field="topic", values_of=lambda d: (), source="stored")
    assert '["topic", "topic", "|"]' in scope_js(DEFAULT_FACETS.with_facet(topic))
    etag = client.get("/widget/kb-search.js").headers["ETag"]
    assert client.get("/widget/kb-search.js", headers={"If-None-Match": etag}).status_code == 304


def test_show_all_lists_a_trimmed_group_in_full(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_view, "VISIBLE_VALUES", 2)
    monkeypatch.setattr(search_view, "LISTED_VALUES", 3)
    page = soup(client.get("/search?q=e-arkiv"))
    group = page.find(id="facet-focus_area")
    assert len(group.select("input[type=checkbox]")) == 3
    link = group.select_one("a.facet-all")
    assert link.get_text(strip=True) == "Visa alla 5"
    assert link["href"] == "/search?q=e-arkiv&show_all=focus_area#facet-focus_area"
    full = soup(client.get(link["href"].split("#")[0])).find(id="facet-focus_area")
    assert len(full.select("input[type=checkbox]")) == 5 and not full.select("a.facet-all")


def test_a_passage_behind_a_focus_area_is_quoted_apart_from_the_words(settings: Settings) -> None:
    kb = KnowledgeBase.open(settings)
    doc = make_document("https://x.example/plan", "Plan", "Kommunen inför e-arkiv.")
    passage = "stycke: Kommunen inför e-arkiv i alla nämnder under 2023 och …"
    tag = Tag("digital-infrastruktur", "auto", ("e-arkiv ×3", "arkiv ×1", passage), 0.8)
    add_documents(kb, [replace(doc, focus_areas=(tag,))])
    app = create_app(settings, {"TESTING": True, "KNOWLEDGE_BASE": kb})
    for lang, words, label in (
        ("sv", "Ord i texten:", "Stycke i texten:"),
        ("en", "Words in the text:", "Passage in the text:"),
    ):
        page = soup(app.test_client().get(f"/documents/{doc.id}?lang={lang}"))
        notes = [" ".join(e.get_text(" ").split()) for e in page.select(".tags .evidence")]
        assert notes == [
            f"{words} e-arkiv ×3, arkiv ×1",
            f"{label} Kommunen inför e-arkiv i alla nämnder under 2023 och …",
        ]
        assert page.select_one(".tags .evidence q")["lang"] == "sv"
    kb.close()


def test_a_year_range_typed_backwards_is_read_the_right_way_round(client: FlaskClient) -> None:
    backwards = soup(client.get("/search?q=e-arkiv&year_from=2024&year_to=2019"))
    forwards = soup(client.get("/search?q=e-arkiv&year_from=2019&year_to=2024"))
    assert count_of(backwards) == count_of(forwards) > 0
    assert "År: 2019–2024" in " ".join(backwards.get_text(" ").split())
    # The API keeps telling its clients that the range is reversed.
    assert client.get("/api/v1/search?year_from=2024&year_to=2019").status_code == 400


def test_a_year_chip_names_the_facet_once(client: FlaskClient) -> None:
    for lang, name in (("sv", "År"), ("en", "Year")):
        page = soup(client.get(f"/search?q=e-arkiv&year_from=2019&year_to=2024&lang={lang}"))
        chip = " ".join(page.select_one("a.chip").get_text(" ").split())
        assert f"{name}: 2019–2024" in chip, chip
        assert chip.count(name) == 1, chip


def test_a_refused_search_keeps_what_was_typed(client: FlaskClient) -> None:
    response = client.get("/search?q=e-arkiv+Uddevalla&year_from=tjugo")
    assert response.status_code == 400
    page = BeautifulSoup(response.data, "html.parser")
    assert page.find("input", attrs={"name": "q"})["value"] == "e-arkiv Uddevalla"
    assert "Från år måste vara ett heltal" in page.select_one(".error-message").get_text()


def test_a_filter_written_as_its_label_gets_a_link_to_the_corrected_search(
    client: FlaskClient,
) -> None:
    # An intranet's hand-written link: region=Fyrbodal (the label) where the id is fyrbodal. The
    # 400 page said "Menade du fyrbodal (Fyrbodal)?" with no way there but editing the address.
    response = client.get(
        "/search?q=e-arkiv&region=Fyrbodal&municipality=uddevalla&doc_type=Vägledning&sort=newest"
    )
    assert response.status_code == 400
    page = BeautifulSoup(response.data, "html.parser")
    assert "Menade du fyrbodal (Fyrbodal)?" in page.select_one(".error-message").get_text()
    link = page.find("a", string="Visa den rättade sökningen")
    assert link["href"] == (
        f"/search?q=e-arkiv&region=fyrbodal&municipality={UDDEVALLA}&doc_type=guide&sort=newest"
    )
    fixed = client.get(link["href"])
    assert fixed.status_code == 200 and count_of(soup(fixed)) >= 1
    # No link where nothing spells a known value, or where another parameter is at fault.
    for bad in ("/search?region=Atlantis", "/search?region=Fyrbodal&year_from=abc"):
        refused = BeautifulSoup(client.get(bad).data, "html.parser")
        assert refused.find("a", string="Visa den rättade sökningen") is None
    english = BeautifulSoup(client.get("/search?region=Fyrbodal&lang=en").data, "html.parser")
    assert (
        english.find("a", string="Show the corrected search")["href"] == "/search?region=fyrbodal"
    )


def test_the_embed_error_page_keeps_the_frames_valid_presets(client: FlaskClient) -> None:
    plain = BeautifulSoup(client.get("/embed?page=abc").data, "html.parser")
    assert plain.find("a", string="Gör en ny sökning")["href"] == "/embed"
    # An intranet's iframe preset region=fyrbodal; a bad page number makes the error page.
    bad = (
        "/embed?region=fyrbodal&region=okand&doc_type=guide&page=abc&lang=en"
        "&publisher=%3Cscript%3E&q=hemligt"
    )
    response = client.get(bad)
    assert response.status_code == 400
    link = BeautifulSoup(response.data, "html.parser").find("a", string="Start a new search")
    # Known values of listed facets only: nothing typed (the query, a free-text value) returns.
    assert link["href"] == "/embed?region=fyrbodal&doc_type=guide&lang=en"


def test_the_back_link_is_carried_from_a_document_to_a_similar_one(
    client: FlaskClient, corpus: WebCorpus
) -> None:
    # From one document to a similar one the Referer is a document page, which names no search:
    # the link back to the results was lost after the first step.
    results = f"/search?q=e-arkiv&municipality={UDDEVALLA}&sort=newest"
    first = f"/documents/{corpus.kompetens.id}"
    page = soup(client.get(first, headers={"Referer": "http://localhost" + results}))
    assert page.select_one(".back-link a")["href"] == results
    onward = [a["href"] for a in page.select("ol.related .hit-title a")]
    assert onward and all("?back=" in href for href in onward)
    second = soup(client.get(onward[0], headers={"Referer": "http://localhost" + first}))
    assert second.select_one(".back-link a")["href"] == results
    assert second.select_one(".back-link a").get_text(strip=True).endswith("”e-arkiv”")
    # ... and on to a third, still the same results.
    third_href = second.select_one("ol.related .hit-title a")["href"]
    assert "?back=" in third_href
    third = soup(client.get(third_href, headers={"Referer": "http://localhost" + onward[0]}))
    assert third.select_one(".back-link a")["href"] == results
    # The parameter counts only when followed from a document page of this site, and is
    # rebuilt, never echoed: sent from elsewhere, typed in or made up, no link.
    for referrer in ("https://evil.example" + first, "http://localhost/", ""):
        other = soup(client.get(onward[0], headers={"Referer": referrer}))
        assert other.select(".back-link a") == []
    made_up = f"{first}?back=q%3D%3Cx%3E%26junk%3D1%26year_from%3Dabc"
    bad = soup(client.get(made_up, headers={"Referer": "http://localhost" + first}))
    assert bad.select(".back-link a") == []
    odd = soup(
        client.get(
            f"{first}?back=q%3D%3Cx%3E%26junk%3D1", headers={"Referer": "http://localhost" + first}
        )
    )
    assert odd.select_one(".back-link a")["href"] == "/search?q=%3Cx%3E"
    # Opened from no results, the links to other documents carry nothing.
    plain = soup(client.get(first))
    assert not any("back=" in a["href"] for a in plain.select("ol.related a"))


def test_a_zero_hit_page_offers_its_ways_out_not_zeros_or_a_feed(client: FlaskClient) -> None:
    typo = soup(client.get("/search?q=bygglvo"))
    assert typo.select_one("#facets").has_attr("hidden")
    assert typo.select_one(".filter-toggle-row").has_attr("hidden")
    assert typo.select("#facets input[type=checkbox]") == []
    assert typo.select_one("#feed-link").has_attr("hidden")  # kept for search.js to swap
    assert typo.select('link[rel="alternate"]') == []
    assert typo.select_one(".suggestion a")["href"] == "/search?q=bygglov"
    # Filters that emptied the page: only the ticked value (and its region) and values with hits
    # stay, with every other way to remove the filter.
    filtered = soup(client.get(f"/search?q=bygglov&municipality={UDDEVALLA}&year_from=1990"))
    assert not filtered.select_one("#facets").has_attr("hidden")
    boxes = {
        i["id"]: i.has_attr("checked") for i in filtered.select("#facets input[type=checkbox]")
    }
    assert boxes == {
        "f-region-fyrbodal": False,
        f"f-municipality-{UDDEVALLA}": True,
        "f-municipality-1488": False,
    }
    assert filtered.select_one("#year_from")["value"] == "1990"  # kept for a new query
    chips = [a.get_text(" ", strip=True) for a in filtered.select(".chips a")]
    assert chips[:2] == ["Ta bort filtret Kommun: Uddevalla ×", "Ta bort filtret År: Från 1990 ×"]
    assert filtered.select(".drops a")
    assert filtered.select_one("#feed-link").has_attr("hidden")
    # With hits the column and the feed are back.
    hits = soup(client.get("/search?q=bygglov"))
    assert not hits.select_one("#facets").has_attr("hidden")
    assert not hits.select_one("#feed-link").has_attr("hidden")
    assert hits.select('link[rel="alternate"]')
    embed = soup(client.get("/embed?q=bygglvo"))
    assert embed.select_one("#facets").has_attr("hidden")
