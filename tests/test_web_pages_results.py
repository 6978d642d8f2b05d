"""The results page through Flask's test client: count, hits, facets, filters and their chips,
sorting, paging, the embed, zero results, did-you-mean, years, titles and place filters."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from kb.search import request as request_module
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.web_corpus import BORAS, UDDEVALLA, WebCorpus, soup

# One corpus and app for the three test_web_pages_* modules, as when they were one file.
WEB_CORPUS_GROUP = "web_pages"


def checkbox(page: BeautifulSoup, name: str, value: str):  # type: ignore[no-untyped-def]
    box = page.find("input", attrs={"type": "checkbox", "name": name, "value": value})
    assert box is not None, f"no checkbox {name}={value}"
    return box


def box_count(page: BeautifulSoup, name: str, value: str) -> int:
    label = page.find("label", attrs={"for": checkbox(page, name, value)["id"]})
    return int(re.search(r"\((\d+)\)", label.get_text()).group(1))


def hit_titles(page: BeautifulSoup) -> list[str]:
    return [h.get_text(strip=True) for h in page.select("#results .hit-title")]


# -- results page -------------------------------------------------------------------------------


def test_results_show_count_title_and_every_hit_field(
    client: FlaskClient, corpus: WebCorpus, app_kb: KnowledgeBase
) -> None:
    page = soup(client.get("/search?q=e-arkiv"))
    expected = app_kb.search(SearchRequest(q="e-arkiv"))
    assert expected.total > 20
    assert page.title.get_text() == "Sök: e-arkiv – Kunskapsbanken"
    status = page.find(id="result-count")
    assert status["role"] == "status" and status["aria-live"] == "polite"
    assert status.get_text(strip=True).startswith(f"{expected.total} träffar")
    hits = page.select("#results li.hit")
    assert len(hits) == 10
    first = expected.hits[0]
    hit = hits[0]
    assert hit.select_one(".hit-title a")["href"] == f"/documents/{first.id}"
    assert hit.select_one(".hit-title").get_text(strip=True) == first.title
    assert hit.select_one(".snippet mark") is not None
    meta = hit.select_one("dl.meta").get_text(" ", strip=True)
    assert "Källa" in meta and "Kommuner" in meta and "Fokusområden" in meta
    assert "Dokumenttyp" in meta and first.date in meta


def test_pdf_hit_links_to_kept_copy_at_the_page_with_the_words(
    client: FlaskClient, corpus: WebCorpus
) -> None:
    page = soup(client.get("/search?q=informationshanteringsplan"))
    hit = page.find(id=f"hit-{corpus.pdf.id}").find_parent("article")
    hrefs = [a["href"] for a in hit.select(".hit-links a")]
    assert f"/documents/{corpus.pdf.id}/original#page=2" in hrefs
    assert f"{corpus.pdf.source}#page=2" in hrefs
    assert "Träff på sida 2" in hit.get_text()


def test_facets_are_fieldsets_with_region_municipalities_beneath(client: FlaskClient) -> None:
    page = soup(client.get("/search?q=e-arkiv"))
    legends = [f.legend.get_text(strip=True) for f in page.select("#facets fieldset")]
    assert legends[:2] == ["Fokusområde", "Region och kommun"]
    assert "Län" in legends and "Dokumenttyp" in legends and legends[-1] == "År"
    region_box = checkbox(page, "region", "fyrbodal")
    nested = region_box.find_parent("li").select("ul.facet-children input[name=municipality]")
    assert UDDEVALLA in [b["value"] for b in nested]
    assert page.find("input", id="year_from") and page.find("label", attrs={"for": "year_from"})


def test_two_municipalities_or_within_facet_and_counts_ignore_own_filter(
    client: FlaskClient, app_kb: KnowledgeBase
) -> None:
    plain = soup(client.get("/search?q=e-arkiv"))
    one = soup(client.get(f"/search?q=e-arkiv&municipality={UDDEVALLA}"))
    two = soup(client.get(f"/search?q=e-arkiv&municipality={UDDEVALLA}&municipality={BORAS}"))
    n_udd = app_kb.search(SearchRequest(q="e-arkiv", filters={"municipality": (UDDEVALLA,)})).total
    n_both = app_kb.search(
        SearchRequest(q="e-arkiv", filters={"municipality": (UDDEVALLA, BORAS)})
    ).total
    assert n_udd < n_both
    assert one.find(id="result-count").get_text(strip=True).startswith(f"{n_udd} träffar")
    assert two.find(id="result-count").get_text(strip=True).startswith(f"{n_both} träffar")
    assert checkbox(two, "municipality", UDDEVALLA).has_attr("checked")
    assert checkbox(two, "municipality", BORAS).has_attr("checked")
    # The municipality facet ignores its own filter: Borås keeps its unfiltered count ...
    assert box_count(one, "municipality", BORAS) == box_count(plain, "municipality", BORAS)
    # ... while other facets follow it (AND across facets).
    infra_plain = box_count(plain, "focus_area", "digital-infrastruktur")
    assert box_count(one, "focus_area", "digital-infrastruktur") < infra_plain
    expected = app_kb.search(
        SearchRequest(q="e-arkiv", filters={"municipality": (UDDEVALLA, BORAS)})
    )
    infra = next(v for v in expected.facets["focus_area"] if v.value == "digital-infrastruktur")
    assert box_count(two, "focus_area", "digital-infrastruktur") == infra.count


def test_active_filters_are_chips_that_remove_one_value(client: FlaskClient) -> None:
    url = f"/search?q=e-arkiv&municipality={UDDEVALLA}&municipality={BORAS}&year_from=2020"
    page = soup(client.get(url))
    chips = {c.get_text(" ", strip=True): c["href"] for c in page.select(".chips a.chip")}
    udd = next(href for text, href in chips.items() if "Uddevalla" in text)
    assert f"municipality={BORAS}" in udd and f"municipality={UDDEVALLA}" not in udd
    assert "year_from=2020" in udd and "q=e-arkiv" in udd
    year = next(href for text, href in chips.items() if "Från 2020" in text)
    assert "year_from" not in year
    assert all("Ta bort filtret" in text for text in chips if "Rensa" not in text)
    assert chips["Rensa alla filter"] == "/search?q=e-arkiv"


def test_sort_newest_orders_by_date(client: FlaskClient, app_kb: KnowledgeBase) -> None:
    page = soup(client.get("/search?q=e-arkiv&sort=newest"))
    dates = [t["datetime"] for t in page.select("#results li.hit time")]
    assert dates == sorted(dates, reverse=True) and len(dates) == 10
    assert page.find("option", value="newest").has_attr("selected")


def test_pagination_links_and_page_title(client: FlaskClient, app_kb: KnowledgeBase) -> None:
    page = soup(client.get("/search?q=e-arkiv&page=2"))
    assert page.title.get_text() == "Sök: e-arkiv – sida 2 – Kunskapsbanken"
    nav = page.find("nav", attrs={"aria-label": "Sidnumrering"})
    current = nav.find("a", attrs={"aria-current": "page"})
    assert current.get_text(strip=True).endswith("2")
    assert nav.find("a", rel="prev")["href"] == "/search?q=e-arkiv"
    assert nav.find("a", rel="next")["href"] == "/search?q=e-arkiv&page=3"
    expected = app_kb.search(SearchRequest(q="e-arkiv", page=2))
    assert hit_titles(page) == [h.title for h in expected.hits]
    assert page.find("ol", class_="hits")["start"] == "11"


def test_page_past_the_end_redirects_to_the_last_page(client: FlaskClient) -> None:
    response = client.get("/search?q=e-arkiv&page=999")
    assert response.status_code == 302
    assert response.headers["Location"] == "/search?q=e-arkiv&page=3"


def test_embed_past_the_end_redirects_and_keeps_its_language(client: FlaskClient) -> None:
    response = client.get("/embed?q=e-arkiv&page=999&lang=en")
    assert response.status_code == 302
    assert response.headers["Location"] == "/embed?q=e-arkiv&page=3&lang=en"


def test_embed_shows_the_same_search_as_the_results_page(client: FlaskClient) -> None:
    query = f"q=e-arkiv&region=fyrbodal&municipality={UDDEVALLA}&year_from=2019&page=1"
    full, embed = soup(client.get(f"/search?{query}")), soup(client.get(f"/embed?{query}"))

    def boxes(page: BeautifulSoup) -> list[tuple[str, str, bool, str]]:
        return [
            (b["name"], b["value"], b.has_attr("checked"), b["id"])
            for b in page.select("input[type=checkbox]")
        ]

    def chips(page: BeautifulSoup) -> list[str]:
        return [c.get_text(" ", strip=True) for c in page.select(".chips li")]

    assert hit_titles(embed) == hit_titles(full) and hit_titles(full)
    assert boxes(embed) == boxes(full) and boxes(full)
    assert chips(embed) == chips(full) and chips(full)
    assert embed.title.get_text() == full.title.get_text()
    assert full.title.get_text() == "Sök: e-arkiv – Fyrbodal, Uddevalla, Från 2019 – Kunskapsbanken"
    # Facet and paging links stay on the page they were shown on.
    assert all(a["href"].startswith("/embed?") for a in embed.select(".chips a"))
    assert all(a["href"].startswith("/search?") for a in full.select(".chips a"))


def test_zero_results_shows_count_without_each_filter(
    client: FlaskClient, app_kb: KnowledgeBase
) -> None:
    url = f"/search?q=e-arkiv&municipality={UDDEVALLA}&doc_type=report"
    page = soup(client.get(url))
    assert page.find(id="result-count").get_text(strip=True).startswith("Inga träffar")
    drops = {a.get_text(" ", strip=True): a["href"] for a in page.select("ul.drops a")}
    without_muni = app_kb.search(
        SearchRequest(q="e-arkiv", filters={"doc_type": ("report",)})
    ).total
    without_type = app_kb.search(
        SearchRequest(q="e-arkiv", filters={"municipality": (UDDEVALLA,)})
    ).total
    assert without_muni > 0 and without_type > 0
    assert drops[f"Utan kommun: {without_muni} träffar"] == "/search?q=e-arkiv&doc_type=report"
    assert drops[f"Utan dokumenttyp: {without_type} träffar"].endswith(f"municipality={UDDEVALLA}")
    # Following the link gives the promised count.
    followed = soup(client.get("/search?q=e-arkiv&doc_type=report"))
    assert followed.find(id="result-count").get_text(strip=True).startswith(f"{without_muni} ")
    assert "Kontrollera stavningen" in page.get_text()
    # Nothing to download or compare: the links are hidden (kept for search.js to swap in).
    assert page.find(id="export-links").has_attr("hidden")
    assert not followed.find(id="export-links").has_attr("hidden")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_zero_results_offer_each_word_of_the_query_alone(
    client: FlaskClient, app_kb: KnowledgeBase, lang: str
) -> None:
    # Three words, no document with two of them: partial matching finds nothing either.
    url = f"/search?q=e-arkiv+qqzzx+xxkkv&municipality={UDDEVALLA}&lang={lang}"
    page = soup(client.get(url))
    assert page.find(id="result-count")["data-total"] == "0"
    alone = app_kb.search(SearchRequest(q="e-arkiv", filters={"municipality": (UDDEVALLA,)})).total
    assert alone > 0
    heading = "Sök på ett av orden" if lang == "sv" else "Search for one of the words"
    assert heading in [h.get_text(strip=True) for h in page.select(".zero h4")]
    links = page.select("ul.words-alone a")
    hits = "träffar" if lang == "sv" else "results"
    # Only the word that finds something is offered, with the filter kept.
    assert [a.get_text(" ", strip=True) for a in links] == [f"e-arkiv: {alone} {hits}"]
    followed = soup(client.get(links[0]["href"]))
    assert followed.find(id="result-count")["data-total"] == str(alone)
    assert f"municipality={UDDEVALLA}" in links[0]["href"]
    # One word that finds nothing has no words to offer.
    single = soup(client.get("/search?q=qqzzx"))
    assert not single.select("ul.words-alone")


def test_misspelt_query_offers_did_you_mean(client: FlaskClient, app_kb: KnowledgeBase) -> None:
    result = app_kb.search(SearchRequest(q="arkivernig"))
    assert result.suggestion, "kb should suggest a correction for a misspelt word"
    page = soup(client.get("/search?q=arkivernig"))
    link = page.select_one(".suggestion a")
    assert "Menade du" in page.select_one(".suggestion").get_text()
    assert link.get_text(strip=True) == result.suggestion
    assert link["href"] == f"/search?q={result.suggestion}"


def test_year_facet_and_range_filter(client: FlaskClient, app_kb: KnowledgeBase) -> None:
    page = soup(client.get("/search?q=e-arkiv&year_from=2020&year_to=2021"))
    expected = app_kb.search(SearchRequest(q="e-arkiv", year_from=2020, year_to=2021)).total
    assert page.find(id="result-count").get_text(strip=True).startswith(f"{expected} träffar")
    assert page.find("input", id="year_from")["value"] == "2020"
    years = {a.get_text(" ", strip=True).split()[0]: a["href"] for a in page.select(".year-list a")}
    assert years["2022"].endswith("year_from=2022&year_to=2022")


def test_paging_past_the_result_window(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(request_module, "MAX_RESULT_WINDOW", 4)  # 10,000 in use
    # The page leads back to the window's last page (no redirect loop), the API says "none".
    response = client.get("/search?page_size=2&page=50")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/search?page_size=2&page=2")
    api = client.get("/api/v1/search?page_size=2&page=50").json
    assert api["results"] == [] and api["total"] > 4 and api["page"] == 3


def test_empty_search_browses_everything(client: FlaskClient, corpus: WebCorpus) -> None:
    page = soup(client.get("/search"))
    assert page.title.get_text() == "Sök – Kunskapsbanken"
    assert page.find(id="result-count").get_text(strip=True) == f"{len(corpus.all)} träffar"


def test_page_title_names_the_active_filters(client: FlaskClient) -> None:
    # Tabs and history entries of two browses (one region, another) must not share a title.
    page = soup(client.get(f"/search?municipality={UDDEVALLA}"))
    assert page.title.get_text() == "Sök – Uddevalla – Kunskapsbanken"
    other = soup(client.get(f"/search?municipality={BORAS}&lang=en"))
    assert other.title.get_text() == "Search – Borås – Kunskapsbanken"
    many = soup(
        client.get(
            f"/search?q=e-arkiv&municipality={UDDEVALLA}&municipality={BORAS}"
            "&doc_type=guide&doc_type=project&year_from=2019&lang=sv"
        )
    )
    assert (
        many.title.get_text() == "Sök: e-arkiv – Uddevalla, Borås, Vägledning, … – Kunskapsbanken"
    )


def test_a_hits_metadata_links_keep_the_officers_home_region(client: FlaskClient) -> None:
    page = soup(client.get("/search?q=e-arkiv&home_region=fyrbodal"))
    hit = page.find("ol", class_="hits").find("li")
    links = [a["href"] for a in hit.find("dl").find_all("a")]
    assert links and all("home_region=fyrbodal" in href for href in links)
    plain = soup(client.get("/search?q=e-arkiv")).find("ol", class_="hits").find("li")
    assert all("home_region" not in a["href"] for a in plain.find("dl").find_all("a"))


def test_a_place_typed_without_diacritics_offers_its_filter(
    client: FlaskClient, app_kb: KnowledgeBase
) -> None:
    # "jonkoping" is searched as a word (the ranking is unchanged); the page offers the filter,
    # with the place taken out of the query.
    for query, q_left in (("jonkoping", ""), ("e-arkiv Jönköpings kommun", "e-arkiv")):
        page = soup(client.get("/search", query_string={"q": query}))
        offers = page.select(".place-filter a")
        # Counted: the corpus's two Jönköping documents are both about e-arkiv.
        assert [a.get_text(strip=True) for a in offers] == [
            "Filtrera på Jönköpings kommun? (2 träffar)"
        ]
        expected = (
            f"/search?q={q_left}&municipality=0680" if q_left else "/search?municipality=0680"
        )
        assert offers[0]["href"] == expected
    region = soup(client.get("/search?q=e-arkiv+fyrbodal")).select(".place-filter a")
    assert region and region[0]["href"] == "/search?q=e-arkiv&region=fyrbodal"
    # No document in Fyrbodal says bredband: a filter that would empty the page is not offered.
    assert not soup(client.get("/search?q=bredband+fyrbodal")).select(".place-filter")
    # Already filtered, or no place named: nothing offered.
    assert not soup(client.get("/search?q=jonkoping&municipality=0680")).select(".place-filter")
    assert not soup(client.get("/search?q=e-arkiv")).select(".place-filter")
    english = soup(client.get("/search?q=jonkoping&lang=en")).select_one(".place-filter a")
    assert english.get_text(strip=True) == "Filter on Jönköpings kommun? (2 results)"


def test_zero_hit_page_looks_for_spelling_once_not_per_word(
    client: FlaskClient, app_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "Sök på ett av orden" needs each word's count only: the "Menade du" of a word no document
    # holds cost ~30-70 ms at 100k documents, six of them most of the page (bench/zero_hits_cpu.py).
    from kb.search import engine

    calls: list[str] = []
    real = engine.suggest

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append("suggest")
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "suggest", counted)
    page = soup(client.get("/search?q=e-arkiv+qqzzy+xxkkw+zzqqv"))
    assert page.find(id="result-count")["data-total"] == "0"
    alone = app_kb.search(SearchRequest(q="e-arkiv")).total
    texts = [a.get_text(" ", strip=True) for a in page.select("ul.words-alone a")]
    assert texts == [f"e-arkiv: {alone} träffar"]
    assert len(calls) == 1  # the page's own search; before, once more per word searched alone
