"""HTML pages whose text a browser shows must not be rejected: SharePoint (ASP.NET) pages wrapped
in one <form>, SiteVision pages whose every block has the class "sv-skip-spacer", and pages whose
main part holds only a heading. The pages are small shapes written for these tests."""

from __future__ import annotations

from ingest.extract.dispatch import ExtractOptions, extract
from ingest.extract.html import extract_html
from ingest.model import Fetched, Source

# The shape of a SharePoint 2013 publishing page: XML prolog, XHTML doctype, a long head, the
# whole body inside the ASP.NET <form>, the text in nested ctl00_* divs, no <main> or <h1>.
SHAREPOINT = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
    + "<!-- "
    + "SharePoint metadata comment " * 90
    + "-->\n"
    + """<html xmlns="http://www.w3.org/1999/xhtml" lang="sv-SE" dir="ltr">
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>Vägledning om e-arkiv - Länsstyrelsen</title>
<script type="text/javascript">var _spPageContextInfo = {webServerRelativeUrl: "/"};</script>
</head>
<body scroll="yes" onload="javascript:_spBodyOnLoadWrapper();">
<form method="post" action="./vagledning.aspx" id="aspnetForm">
<div class="aspNetHidden"><input type="hidden" name="__VIEWSTATE" value="abc" /></div>
<div id="s4-workspace"><div id="s4-bodyContainer">
<div id="ctl00_PlaceHolderLeftNavBar_QuickLaunchNavigationManager" class="ms-core-navigation">
  <a href="/">Startsida</a> <a href="/om">Om oss</a></div>
<div id="ctl00_PlaceHolderMain_ctl00_ctl00__ControlWrapper_RichHtmlField" class="ms-rtestate-field">
 <div class="ms-rteElement-H2B">Vägledning om e-arkiv för kommuner</div>
 <div><div>Länsstyrelsen har tagit fram en vägledning om hur kommunerna bevarar digitala
 handlingar i ett gemensamt e-arkiv.</div>
 <div>Vägledningen beskriver informationsklassning, gallring och hur leveranser till
 arkivet testas innan de tas emot.</div></div>
</div>
</div></div>
</form>
</body></html>"""
)

# The shape of a SiteVision page (many Swedish agencies and municipalities): every block carries
# "sv-skip-spacer", a real skip link carries "visuallyhidden", the menu sits in <nav>.
SITEVISION = """<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>Luftkvalitet - Naturvårdsverket</title></head><body>
<div class="sv-vertical sv-layout sv-skip-spacer sv-template-layout" id="svid10_1">
 <a href="#content" class="visuallyhidden">Hoppa till huvudinnehållet</a>
 <nav class="sv-layout sv-skip-spacer"><a href="/">Start</a> <a href="/amnen">Ämnen</a></nav>
 <div class="sv-vertical sv-layout sv-skip-spacer sv-template-layout" id="svid10_2">
  <div class="sv-text-portlet sv-use-margins sv-skip-spacer" id="svid12_3">
   <h1 class="heading">Luftkvalitet</h1>
   <p class="normal">Luftföroreningar påverkar vår hälsa. Kommunerna mäter halterna av
   kvävedioxid och partiklar och rapporterar dem varje år.</p>
   <p class="normal">Miljökvalitetsnormerna anger de halter som inte får överskridas.</p>
  </div>
 </div>
</div></body></html>"""

# A page whose <main> holds only its heading; the text a reader sees is outside it.
HEADING_ONLY_MAIN = """<!DOCTYPE html><html lang="sv"><head><title>Riktlinjer</title></head>
<body><header><nav><a href="/">Start</a></nav></header>
<main><h1>Riktlinjer för e-tjänster</h1></main>
<div class="content-area"><p>Alla nya e-tjänster ska gå att använda med e-legitimation och
följa riktlinjerna för tillgänglighet. Förvaltningen granskar varje tjänst innan den
publiceras på webbplatsen och följer upp den en gång om året.</p></div>
<footer>Kontakt: kommunen</footer></body></html>"""


def _extract(page: str, name: str = "page.html") -> str:
    fetched = Fetched(Source(f"/srv/{name}", "file"), page.encode(), "text/html")
    return extract(fetched, ExtractOptions()).text


def test_sharepoint_xhtml_page_inside_aspnet_form_is_read() -> None:
    fetched = Fetched(Source("/srv/vagledning.aspx", "file"), SHAREPOINT.encode(), "")
    result = extract(fetched, ExtractOptions())
    assert "gemensamt e-arkiv" in result.text
    assert "leveranser till arkivet testas" in result.text
    assert result.title == "Vägledning om e-arkiv - Länsstyrelsen"
    assert "__VIEWSTATE" not in result.text and "_spPageContextInfo" not in result.text


def test_sitevision_page_with_skip_spacer_classes_is_read() -> None:
    result = extract_html(SITEVISION.encode())
    assert "Kommunerna mäter halterna av kvävedioxid" in result.text
    assert "Miljökvalitetsnormerna" in result.text
    assert "Hoppa till huvudinnehållet" not in result.text  # the real skip link is still dropped
    assert "Ämnen" not in result.text  # and the menu
    assert result.notes == ()  # read by the main-content extractor itself, no fall-back needed


def test_main_with_only_a_heading_falls_back_to_the_visible_text() -> None:
    result = extract_html(HEADING_ONLY_MAIN.encode())
    assert "e-legitimation" in result.text
    assert result.title == "Riktlinjer för e-tjänster"
    assert "Start" not in result.text.split()  # navigation stays out even in the fall-back
    assert any("main content too short" in note for note in result.notes)


def test_fallback_not_used_when_main_content_is_enough() -> None:
    page = HEADING_ONLY_MAIN.replace(
        "<main><h1>Riktlinjer för e-tjänster</h1></main>",
        "<main><h1>Riktlinjer</h1><p>" + "Ett stycke om e-tjänster. " * 10 + "</p></main>",
    )
    result = extract_html(page.encode())
    assert "e-legitimation" not in result.text
    assert result.notes == ()
