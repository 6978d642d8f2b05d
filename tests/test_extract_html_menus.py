"""Menus that Swedish municipal sites write without saying so: link lists with no <nav> and no
telling class name, "Hoppa till innehållet" without a skip-link class, breadcrumb trails ("Du är
här: …") and table layouts whose cells are named in Swedish run together ("vanstermeny",
"toppnav", "sidfot", content in "innehall"). The strict reading drops them, so a snippet or lead
never starts with "Bygga & bo". The pages are small shapes written for these tests."""

from __future__ import annotations

from ingest.extract.html import extract_html

ARTICLE = (
    "<p>Kommunen inför ett gemensamt e-arkiv för alla förvaltningar. Handlingar som i dag "
    "skrivs ut och arkiveras på papper ska bevaras digitalt, och leveranserna testas innan "
    "de tas emot. Arbetet leds av en styrgrupp med representanter för varje förvaltning.</p>"
    "<p>Under våren inventeras verksamhetssystemen och en plan för gallring tas fram.</p>"
)

# A SiteVision-like page: every block an "sv-" portlet, no <nav>, no <main>, no telling names.
PORTLETS = f"""<!doctype html><html lang="sv"><head><title>E-arkiv - Exempelby kommun</title></head>
<body class="sv-layout">
<div class="sv-text-portlet"><a href="#sv-start">Hoppa till innehållet</a></div>
<div class="sv-layout sv-horizontal">
  <div class="sv-portlet"><ul>
    <li><a href="/omsorg">Omsorg och hälsa</a></li>
    <li><a href="/skola">Skola och förskola</a></li>
    <li><a href="/bygga">Bygga, bo och miljö</a></li>
    <li><a href="/kommun">Kommun och politik</a></li>
  </ul></div>
  <div class="sv-portlet"><a href="/lattlast">Lättläst</a> · <a href="/lyssna">Lyssna</a></div>
</div>
<div class="sv-text-portlet">
  <p>Du är här: <a href="/">Startsida</a> &gt; <a href="/kommun">Kommun och politik</a> &gt;
  E-arkiv</p>
</div>
<div class="sv-text-portlet" id="sv-start">
  <p>Publicerad 2024-03-12</p>
  <h1>Gemensamt e-arkiv för förvaltningarna</h1>
  {ARTICLE}
  <p>Läs mer:</p>
  <ul><li><a href="/e-arkiv/plan">Handlingsplan för e-arkiv</a></li>
      <li><a href="/e-arkiv/fragor">Frågor och svar om e-arkiv</a></li></ul>
</div>
</body></html>"""

# An older table layout named in Swedish, the menu cell before the content cell.
TABLES = f"""<html><head><title>Exempelby kommun - E-arkiv</title></head><body>
<table><tr><td class="toppmeny"><a href="/">Startsida</a> | <a href="/kontakt.asp">Kontakt</a>
  | <a href="/webbkarta.asp">Webbkarta</a></td></tr>
<tr><td class="vanstermeny"><ul><li><a href="/omsorg/">Omsorg &amp; hälsa</a></li>
  <li><a href="/bygga/">Bygga &amp; bo</a></li><li><a href="/kommun/">Kommun &amp; politik</a></li>
  </ul></td>
<td class="spalt"><div id="huvudinnehall"><h1>Gemensamt e-arkiv</h1>{ARTICLE}</div></td></tr>
<tr><td class="sidfot">Exempelby kommun | Växel 0000-000 000 | Sidansvarig: Kansliet</td></tr>
</table></body></html>"""

MENU_WORDS = ("Omsorg", "Bygga", "Hoppa till", "Du är här", "Startsida", "Lättläst", "Växel")


def test_a_page_of_unnamed_blocks_loses_its_menus_skip_link_and_breadcrumbs() -> None:
    result = extract_html(PORTLETS.encode())
    text = result.pages[0].text
    for word in MENU_WORDS:
        assert word not in text, word
    assert result.title == "Gemensamt e-arkiv för förvaltningarna"
    # What is content stays: the date line above the heading, the article, and the links
    # the article lists after its heading.
    assert text.startswith("Publicerad 2024-03-12\n\nGemensamt e-arkiv")
    assert "leveranserna testas" in text and "Frågor och svar om e-arkiv" in text
    assert not result.notes  # no fall-back to all visible text


def test_a_table_layout_named_in_swedish_keeps_only_its_content_cell() -> None:
    result = extract_html(TABLES.encode())
    text = result.pages[0].text
    for word in MENU_WORDS:
        assert word not in text, word
    assert text.startswith("Gemensamt e-arkiv\n\nKommunen inför ett gemensamt e-arkiv")
    assert text.rstrip().endswith("en plan för gallring tas fram.")


def test_link_lists_of_a_page_without_a_heading_are_kept() -> None:
    # Nothing tells a menu from a list of documents without a heading to stand above: a
    # page that is a list of links (a hub of plans) keeps them.
    page = (
        "<html><body><p>Planer och riktlinjer:</p><ul>"
        '<li><a href="/a">Handlingsplan för e-arkiv</a></li>'
        '<li><a href="/b">Riktlinjer för informationssäkerhet</a></li>'
        '<li><a href="/c">Strategi för digitalisering</a></li></ul></body></html>'
    )
    text = extract_html(page.encode()).pages[0].text
    assert "Handlingsplan för e-arkiv" in text and "Strategi för digitalisering" in text


def test_a_link_in_a_sentence_above_the_heading_is_content() -> None:
    page = (
        '<html><body><p>Nyheten gäller <a href="/kf">kommunfullmäktiges</a> beslut om '
        '<a href="/e">e-arkiv</a>.</p><h1>Beslut om e-arkiv</h1>' + ARTICLE + "</body></html>"
    )
    text = extract_html(page.encode()).pages[0].text
    assert text.startswith("Nyheten gäller kommunfullmäktiges beslut om e-arkiv.")
