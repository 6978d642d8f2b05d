"""A saved web page's menus and footer in Markdown and plain text are not body text
(ingest.extract.page_furniture through ingest.extract.text); the page's content stays whole."""

from __future__ import annotations

from ingest.extract.page_furniture import split_furniture
from ingest.extract.text import extract_text

# A municipal page as a converter writes it: skip link and menu, the article, and the footer
# every Swedish public site has (contact, accessibility statement, cookies, social media).
MENU = """\
[Hoppa till huvudinnehållet](#main)

*   [Meny](#menu)
*   [Sök](/sok)
*   [Lyssna](#listen)

*   [Bo och bygga](https://www.exempelby.se/bo-och-bygga)
*   [Förskola och skola](https://www.exempelby.se/skola)
*   [Omsorg och stöd](https://www.exempelby.se/omsorg)
*   [Kommun och politik](https://www.exempelby.se/kommun)
"""
FOOTER = """\
Kontakta oss
------------

Exempelby kommun, 123 45 Exempelby

Telefon 0123-45 67 89, [kommun@exempelby.se](mailto:kommun@exempelby.se)

Om webbplatsen
--------------

*   [Tillgänglighetsredogörelse](https://www.exempelby.se/tillganglighet)
*   [Kakor](https://www.exempelby.se/kakor)
*   [Behandling av personuppgifter](https://www.exempelby.se/personuppgifter)

Följ oss
--------

*   [Facebook](https://facebook.com/exempelby)
*   [Instagram](https://instagram.com/exempelby)
*   [LinkedIn](https://linkedin.com/company/exempelby)

© 2025 Exempelby kommun
"""
BYGGLOV = """\
Ansök om bygglov digitalt
=========================

Sedan i våras tar Exempelby kommun emot alla ansökningar om bygglov i en e-tjänst. Du loggar in
med e-legitimation, fyller i uppgifterna om fastigheten och laddar upp ritningarna direkt.

Handläggarna ser ansökan samma dag och kan begära kompletteringar i samma tjänst. Den genomsnittliga
handläggningstiden har gått ner från sju veckor till tre, och färre ansökningar saknar underlag.

Läs mer:

*   [Boverkets vägledning om bygglov](https://www.boverket.se/bygglov)
*   [Lantmäteriets karttjänst](https://www.lantmateriet.se/karta)
*   [Exempelby kommuns taxa](https://www.exempelby.se/taxa)

E-tjänsten utvecklades tillsammans med grannkommunerna i ett gemensamt projekt, och nästa steg är
att även anmälningar om rivning och marklov ska kunna göras digitalt under nästa år, skriver
förvaltningen i sin uppföljning till nämnden.
"""
ACCESSIBILITY = """\
Så arbetar vi med webbtillgänglighet
====================================

Lagen om tillgänglighet till digital offentlig service gäller alla kommuner. Vi granskar varje
ny sida mot kraven i WCAG 2.1 nivå AA innan den publiceras, och redaktörerna går en utbildning i
tillgänglighet varje år.

Tillgänglighetsredogörelsen uppdateras när vi hittar brister. Den senaste granskningen visade
att tjugo dokument saknade rubrikstruktur och att två e-tjänster inte gick att använda med
tangentbord; båda är nu åtgärdade.
"""


def _page(article: str) -> bytes:
    return f"{MENU}\n{article}\n{FOOTER}".encode()


def test_a_saved_pages_menu_and_footer_are_not_body_text() -> None:
    result = extract_text(_page(BYGGLOV), "text/markdown")
    text = result.text
    assert text.startswith("Ansök om bygglov digitalt")
    assert text.rstrip().endswith("i sin uppföljning till nämnden.")
    for furniture in ("Tillgänglighetsredogörelse", "Kakor", "Facebook", "Hoppa till", "Bo och"):
        assert furniture not in text
    assert result.title == "Ansök om bygglov digitalt"


def test_the_footers_contact_address_and_copyright_stay_as_publisher_evidence() -> None:
    meta = extract_text(_page(BYGGLOV), "text/markdown").metadata
    assert meta["mailto"] == "kommun@exempelby.se\tkommun@exempelby.se\tfooter"
    assert meta["copyright"] == "© 2025 Exempelby kommun"


def test_a_list_of_links_inside_an_article_stays() -> None:
    text = extract_text(_page(BYGGLOV), "text/markdown").text
    assert "Boverkets vägledning om bygglov" in text and "Exempelby kommuns taxa" in text
    # without menu and footer nothing is cut at all
    assert split_furniture(BYGGLOV).body == BYGGLOV


def test_a_page_about_accessibility_keeps_its_words() -> None:
    text = extract_text(_page(ACCESSIBILITY), "text/markdown").text
    assert "Tillgänglighetsredogörelsen uppdateras" in text
    assert "Lagen om tillgänglighet till digital offentlig service" in text
    assert "Facebook" not in text


def test_a_closing_list_of_documents_is_content() -> None:
    # a seminar page ending in its presentations: links, but none a site's furniture
    page = (
        BYGGLOV
        + "\nPresentationer från seminariet:\n\n"
        + "".join(
            f"*   [{name}](https://example.org/files/{n}.pdf)\n"
            for n, name in enumerate(("Inledning", "E-tjänsten", "Erfarenheter", "Nästa steg"))
        )
    )
    assert split_furniture(page).body == page


def test_a_page_that_is_mostly_links_is_kept_whole() -> None:
    hub = "Tillgänglighet\n==============\n\n" + "".join(
        f"*   [{name}](/{n})\n"
        for n, name in enumerate(
            ("Tillgänglighetsredogörelse", "Kakor", "Kontakt", "Om webbplatsen", "Lättläst")
        )
    )
    page = f"{MENU}\n{hub}\n{FOOTER}"
    assert split_furniture(page).body == page


def test_a_plain_text_footer_of_short_lines_is_cut() -> None:
    text = (
        "Digitala möten i nämnderna\n\n"
        + BYGGLOV.split("\n\n", 1)[1].split("Läs mer")[0]
        + "\nKontakt\nTillgänglighet\nKakor och personuppgifter\nFölj oss på Facebook\n"
    )
    result = extract_text(text.encode(), "text/plain")
    assert result.text.endswith("färre ansökningar saknar underlag.")
    assert "Facebook" not in result.text


def test_a_cookie_banner_after_the_footer_goes_with_it() -> None:
    banner = (
        "\nDen här webbplatsen använder kakor\n----------------------------------\n\n"
        "Vi använder kakor för att webbplatsen ska fungera och för att förstå hur den används. "
        "Du kan godkänna alla kakor eller bara de nödvändiga, och ändra ditt samtycke när som "
        "helst under Inställningar längst ner på varje sida av webbplatsen.\n\n"
        "Godkänn alla  Bara nödvändiga\n"
    )
    text = extract_text(_page(BYGGLOV) + banner.encode(), "text/markdown").text
    assert text.rstrip().endswith("i sin uppföljning till nämnden.")
    assert "kakor" not in text


def test_a_footer_of_links_on_one_line_counts_each_link() -> None:
    footer = (
        "\n[Om webbplatsen](/om) | [Tillgänglighetsredogörelse](/tg) | [Kakor](/kakor) | "
        "[Kontakt](/kontakt)\n\n© 2025 Exempelby kommun\n"
    )
    page = BYGGLOV + footer
    split = split_furniture(page)
    assert split.body.rstrip().endswith("i sin uppföljning till nämnden.")
    assert split.tail.startswith("[Om webbplatsen](/om)")


def test_a_plain_text_table_of_contents_is_not_a_menu() -> None:
    # Numbered short lines name a document's own sections (menus are not numbered): the title
    # and the contents stay in the body, and the title is not the first section's heading.
    contents = "Innehåll\n1 Inledning\n2 Tillgänglighet i kommunen\n3 Kontakt\n4 Sök stöd\n"
    sections = BYGGLOV.split("\n\n", 1)[1].split("Läs mer")[0]
    text = f"Tillgänglighetsplan för Exempelby 2024\n\n{contents}\n1 Inledning\n\n{sections}"
    result = extract_text(text.encode(), "text/plain")
    assert result.title == "Tillgänglighetsplan för Exempelby 2024"
    assert "2 Tillgänglighet i kommunen" in result.text


# An article's own closing list: its link texts name furniture words inside longer names.
FURTHER_READING = """
## Mer information

*   [Tillgänglighet i kollektivtrafiken för personer med funktionsnedsättning](https://www.exempelregion.se/tillganglighet-kollektivtrafik)
*   [Kontakt med vården vid kris](https://www.exempelregion.se/kris)
*   [Regionens handlingsplan för psykisk hälsa](https://www.exempelregion.se/handlingsplan.pdf)
"""


def test_a_closing_further_reading_list_naming_furniture_words_is_content() -> None:
    page = BYGGLOV + FURTHER_READING
    assert split_furniture(page).body == page
    # with the site's footer after it the footer goes, the list stays
    split = split_furniture(f"{page}\n{FOOTER}")
    assert split.body.rstrip().endswith("(https://www.exempelregion.se/handlingsplan.pdf)")
    assert split.tail.startswith("Kontakta oss")


def test_the_pages_own_contact_section_before_the_footer_is_content() -> None:
    own = (
        "\n## Kontakt\n\nAnna Andersson, projektledare\nTelefon 0123-45 67 89\n"
        "[anna.andersson@exempelby.se](mailto:anna.andersson@exempelby.se)\n"
    )
    split = split_furniture(f"{BYGGLOV}{own}\n{FOOTER}")
    assert "Anna Andersson, projektledare" in split.body and "## Kontakt" in split.body
    assert split.tail.startswith("Kontakta oss") and "Tillgänglighetsredogörelse" in split.tail
    # the same with the name, the phone and the address each on its own line
    apart = own.replace("projektledare\n", "projektledare\n\n").replace("89\n", "89\n\n")
    split = split_furniture(f"{BYGGLOV}{apart}\n{FOOTER}")
    assert "Anna Andersson, projektledare" in split.body and "## Kontakt" in split.body
    assert "Telefon 0123-45 67 89" in split.body
    assert split.tail.startswith("Kontakta oss")
    # its e-mail address is the page's, not the footer's
    meta = extract_text(f"{BYGGLOV}{own}\n{FOOTER}".encode(), "text/markdown").metadata
    assert "anna.andersson@exempelby.se\tanna.andersson@exempelby.se\tbody" in meta["mailto"]


def test_a_markdown_pages_first_h1_above_its_menu_stays_in_the_body() -> None:
    article = BYGGLOV.split("\n\n", 1)[1]
    page = f"# Ansök om bygglov digitalt\n\n{MENU}\n{article}\n{FOOTER}"
    split = split_furniture(page)
    assert split.body.startswith("# Ansök om bygglov digitalt\n\nSedan i våras")
    assert "Ansök om bygglov" not in split.lead and "Hoppa till" in split.lead
    result = extract_text(page.encode(), "text/markdown")
    assert result.text.startswith("Ansök om bygglov digitalt")
    assert "Bo och bygga" not in result.text
    assert result.title == "Ansök om bygglov digitalt"


def test_a_footers_address_above_its_menu_stays_in_the_footer() -> None:
    # (an address is no heading of the page's own list of links below it)
    article = BYGGLOV.split("\n\n", 1)[1].split("Läs mer")[0]
    footer = (
        "\nExempelby kommun\nBox 123, 123 45 Exempelby\nTelefon 0123-45 67 89\n\n"
        "Bo och bygga\nSkola och förskola\nOmsorg och stöd\n\n"
        "Kontakt\nTillgänglighet\nKakor och personuppgifter\nFölj oss på Facebook\n"
    )
    split = split_furniture(f"Digitala möten i nämnderna\n\n{article}{footer}", markdown=False)
    assert split.tail.startswith("Exempelby kommun\nBox 123")
    assert split.body.rstrip().endswith("färre ansökningar saknar underlag.")
