"""Publisher evidence from a page's frame and from contact addresses, on small pages written here:
a site name in the browser title, og:site_name, a publisher meta tag, JSON-LD, a footer's
copyright line, a logo, the site's contact address, "kontakta oss" with an address; and the
name of a publisher outside the list, shown without a facet value."""

from __future__ import annotations

import pytest

from ingest.enrich.compose import Enrichment, enrich, enrich_extracted
from ingest.extract.html import extract_html
from ingest.extract.text import extract_text
from ingest.media import MARKDOWN
from kb.taxonomy.model import Taxonomy

ARTICLE = (
    "<h1>Nya råd om säker inloggning</h1>"
    "<p>Många verksamheter behöver se över hur medarbetare loggar in i sina system. Här "
    "beskrivs tre steg som gör inloggningen säkrare utan att arbetet blir krångligare.</p>"
    "<p>Börja med en inventering av vilka system som finns och vem som använder dem.</p>"
)


def page(head: str = "", header: str = "", footer: str = "", body: str = ARTICLE) -> bytes:
    return (
        f"<html lang='sv'><head>{head}</head><body><header>{header}</header>"
        f"<main>{body}</main><footer>{footer}</footer></body></html>"
    ).encode()


TAXONOMY = Taxonomy.load()


def html_publisher(data: bytes) -> Enrichment:
    return enrich_extracted(extract_html(data), url=None, taxonomy=Taxonomy.load())


def org(result: Enrichment) -> str:
    return result.publisher.value if result.publisher is not None else ""


SKR = "Sveriges Kommuner och Regioner"
JSON_LD = (
    '<script type="application/ld+json">{"@type": "Article", '
    '"publisher": {"@type": "Organization", "name": "Digg"}}</script>'
)
LOGO = "<a class='site-logo' href='/'><img src='/l.svg' alt='Region Hallands logotyp'></a>"
FRAMES = {
    "title-suffix": (page(head="<title>Nya råd om säker inloggning | Digg</title>"), "org:digg"),
    "title-prefix": (page(head="<title>Region Halland - Nya råd om inloggning</title>"), "lan:13"),
    "og-site-name": (
        page(head="<meta property='og:site_name' content='Region Halland'>"),
        "lan:13",
    ),
    "dc-publisher": (page(head=f"<meta name='DC.publisher' content='{SKR}'>"), "org:skr"),
    "json-ld": (page(head=JSON_LD), "org:digg"),
    "copyright": (page(footer=f"<p>© 2023 {SKR}</p>"), "org:skr"),
    "logo": (page(header=LOGO), "lan:13"),
    "footer-mail": (page(footer="<p><a href='mailto:info@skr.se'>info@skr.se</a></p>"), "org:skr"),
}


@pytest.mark.parametrize(("html", "expected"), FRAMES.values(), ids=FRAMES.keys())
def test_a_page_names_its_publisher_only_in_its_frame(html: bytes, expected: str) -> None:
    assert org(html_publisher(html)) == expected


def test_the_site_outweighs_one_publisher_field_of_its_metadata() -> None:
    # The address is the strongest evidence (W_HOST); a publisher meta tag is one piece of the
    # frame (W_META), not two: read twice, it outweighed the site (8 against 6).
    data = page(head=f"<meta name='DC.publisher' content='{SKR}'>")
    result = enrich_extracted(extract_html(data), url="https://www.digg.se/a", taxonomy=TAXONOMY)
    assert org(result) == "org:digg"


def test_a_title_that_names_an_organisation_as_its_subject_is_not_a_site_name() -> None:
    html = page(head="<title>Uppdrag till MSB - Nyheter</title>")
    assert org(html_publisher(html)) == ""


def test_an_address_in_the_article_body_is_a_persons_not_the_sites() -> None:
    body = ARTICLE + "<p>Frågor besvaras av <a href='mailto:anna.ek@skr.se'>Anna Ek</a>.</p>"
    assert org(html_publisher(page(body=body))) == ""


def test_the_sites_logo_comes_first_partners_logos_do_not_name_it() -> None:
    header = "<a class='logo' href='/'><img src='/logo.svg' alt='Region Halland'></a>"
    footer = "<img class='partner-logo' src='/skr-logo.png' alt='SKR logotyp'>"
    assert org(html_publisher(page(header=header, footer=footer))) == "lan:13"


def test_markdown_contact_us_link_names_the_writers_organisation() -> None:
    md = (
        "# För juristen\n\nInnan man publicerar data behöver man tänka på sekretess, "
        "upphovsrätt och dataskydd.\n\nDu får gärna [kontakta oss](mailto:openup@okfn.se) "
        "för att få hjälp.\n"
    ).encode()
    result = enrich_extracted(extract_text(md, MARKDOWN), url=None, taxonomy=Taxonomy.load())
    assert org(result) == "org:okfse"


def test_a_pdf_text_with_kontakta_oss_and_an_address_is_that_organisations() -> None:
    text = (
        "Vägledning för säker inloggning\n\nDen här vägledningen beskriver tre steg för säkrare "
        "inloggning i verksamhetens system.\n\n1. Inventera systemen.\n2. Inför stark "
        "autentisering.\n3. Följ upp.\n\nHar du frågor? Kontakta oss på info@skr.se så hjälper "
        "vi dig.\n"
    )
    result = enrich("Vägledning för säker inloggning", text, url=None, taxonomy=Taxonomy.load())
    assert org(result) == "org:skr"
    assert any(e.startswith("kontakta oss") for e in result.publisher.evidence)  # type: ignore[union-attr]


SLIDES = (
    "Så hanterar vi leveranskedjan\n\nAttacker mot leverantörer når många kunder på en gång.\n\n"
    "Detta gör vi på Exempelsäkerhet AB\n● Vi granskar beroenden\n● Vi följer upp sårbarheter\n"
)


def test_an_unlisted_publisher_is_shown_by_name_without_a_facet_value() -> None:
    result = enrich("Så hanterar vi leveranskedjan", SLIDES, url=None, taxonomy=Taxonomy.load())
    assert result.publisher is None
    assert result.publisher_name == "Exempelsäkerhet AB"


UNLISTED = {
    "copyright": ("Innehåll om data.\n\n© 2021 Exempel Konsult AB", "Exempel Konsult AB"),
    "utgiven-av": ("Utgiven av Föreningen för Öppna Exempel", "Föreningen för Öppna Exempel"),
    "closing-mail": ("Innehåll.\n\nTack!\nAnna Ek\nanna.ek@exempelbolaget.se", "exempelbolaget.se"),
    "photo-credit": ("Foto: © Anna Ek", ""),
    "responsible-editor": ("Ansvarig utgivare: Anna Ek", ""),
    "webmail": ("Tack!\nanna.ek@gmail.com", ""),
    "byline": ("Publicerad av Anna Ek", ""),
    "list-item": ("Villkor:\n(a) Kunden ska betala.\n(c) Leverantören ska leverera.", ""),
}


@pytest.mark.parametrize(("body", "expected"), UNLISTED.values(), ids=UNLISTED.keys())
def test_unlisted_publisher_evidence(body: str, expected: str) -> None:
    text = f"Rapport om öppna data\n\n{body}\n"
    result = enrich("Rapport om öppna data", text, url=None, taxonomy=Taxonomy.load())
    assert result.publisher is None
    assert result.publisher_name == expected


def test_a_documents_web_address_beats_a_guess_from_its_text() -> None:
    result = enrich(
        "Så hanterar vi leveranskedjan",
        SLIDES,
        url="https://exempel.se/a",
        taxonomy=Taxonomy.load(),
    )
    assert result.publisher_name == ""  # the file's site name is shown (ingest.normalise)


def test_a_name_opening_a_hyphenated_compound_names_the_organisation() -> None:
    text = (
        "Guide\n\nÖppna upp inköpsdata\n\nJust nu fokuserar OpenUp-projektet på en del av "
        "upphandlingskedjan.\n\nSå här exporterar du leverantörsreskontran steg för steg.\n"
    )
    result = enrich("Öppna upp inköpsdata", text, url=None, taxonomy=Taxonomy.load())
    assert org(result) == "org:okfse"


def test_a_compound_with_a_lower_case_acronym_is_not_the_organisation() -> None:
    text = "Guide\n\nOm msb-frågor i vardagen\n\nEn text om beredskap hemma.\n"
    assert org(enrich("Om beredskap", text, url=None, taxonomy=Taxonomy.load())) == ""


def test_the_government_that_decided_in_the_past_tense_issues_the_text() -> None:
    text = (
        "Kommitténs slutrapport\n\nRegeringen beslutade den 7 december 2023 att tillsätta en "
        "kommitté med uppdrag att lämna förslag om artificiell intelligens. Kommittén överlämnar "
        "nu sin rapport.\n"
    )
    result = enrich("Kommitténs slutrapport", text, url=None, taxonomy=Taxonomy.load())
    assert org(result) == "org:regeringskansliet"
