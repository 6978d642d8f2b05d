"""Interface strings of the comparison and coverage page (/jamfor), the downloads (CSV, JSON)
and the embed builder (/inbaddning), in Swedish and English.

Merged into web.i18n_strings.STRINGS at import; imports nothing.
"""

from __future__ import annotations

TABLE_STRINGS: dict[str, tuple[str, str]] = {
    # Comparison and coverage (/jamfor), downloads
    "compare_title": ("Jämför kommuner", "Compare municipalities"),
    "compare_nav": ("Jämför", "Compare"),
    "compare_lead": (
        "Se hur många dokument varje kommun har per fokusområde, och var ingen har arbetat ännu. "
        "Välj en region eller några kommuner.",
        "See how many documents each municipality has per focus area, and where nobody has "
        "worked yet. Choose a region or some municipalities.",
    ),
    "compare_region": ("Region eller e-råd", "Region or e-council"),
    "compare_no_region": ("Ingen region vald", "No region chosen"),
    "compare_municipalities": ("Kommuner", "Municipalities"),
    "compare_municipalities_hint": (
        "Välj flera med Ctrl eller Skift. Läggs till regionens kommuner.",
        "Choose several with Ctrl or Shift. Added to the region's municipalities.",
    ),
    "compare_on": ("Regionens medlemmar den dagen", "The region's members on the day"),
    "compare_on_hint": (
        "Valfritt. Tomt: dagens medlemmar.",
        "Optional. Empty: today's members.",
    ),
    "compare_show": ("Visa jämförelsen", "Show the comparison"),
    "compare_prompt": (
        "Välj en region eller minst en kommun för att se tabellen.",
        "Choose a region or at least one municipality to see the table.",
    ),
    "compare_scoped": (
        "Siffrorna gäller bara dokument som matchar sökningen och filtren.",
        "The figures count only documents that match the search and its filters.",
    ),
    "compare_scoped_q": (
        "Siffrorna gäller bara dokument som matchar sökningen ”{q}”{filters}.",
        "The figures count only documents that match the search “{q}”{filters}.",
    ),
    "compare_scoped_and_filters": (" och filtren", " and its filters"),
    "compare_scope_link": ("Visa sökningen", "Show the search"),
    "compare_summary": (
        "{n} dokument från de {rows} valda kommunerna. {empty} rutor utan dokument.",
        "{n} documents from the {rows} chosen municipalities. {empty} cells without documents.",
    ),
    "compare_summary_one": (
        "{n} dokument från de {rows} valda kommunerna. {empty} rutor utan dokument.",
        "{n} document from the {rows} chosen municipalities. {empty} cells without documents.",
    ),
    "compare_caption": (
        "Dokument per fokusområde och kommun",
        "Documents per focus area and municipality",
    ),
    "compare_total": ("Dokument totalt", "Documents in all"),
    "compare_code": ("Kod", "Code"),
    "compare_all_rows": ("Alla valda kommuner", "All chosen municipalities"),
    "compare_none": ("inga dokument", "no documents"),
    "compare_docs_in": (
        "dokument från {municipality} om {area}",
        "documents from {municipality} on {area}",
    ),
    "compare_docs_in_one": (
        "dokument från {municipality} om {area}",
        "document from {municipality} on {area}",
    ),
    "compare_docs_from": ("dokument från {municipality}", "documents from {municipality}"),
    "compare_docs_from_one": ("dokument från {municipality}", "document from {municipality}"),
    "compare_docs_area": ("dokument om {area}", "documents on {area}"),
    "compare_docs_area_one": ("dokument om {area}", "document on {area}"),
    "compare_download": ("Ladda ned tabellen:", "Download the table:"),
    "compare_chart_caption": (
        "Dokument per kommun, uppdelat på fokusområde (ett dokument med flera fokusområden "
        "räknas i vart och ett). Samma siffror som i tabellen.",
        "Documents per municipality by focus area (a document with several focus areas counts "
        "in each). The same figures as in the table.",
    ),
    "compare_legend": ("Förklaring", "Legend"),
    "compare_bad_day": (
        "Dagen för regionens medlemmar (on) måste vara ett datum som 2024-01-31, inte ”{value}”.",
        "The day for the region's members (on) must be a date like 2024-01-31, not “{value}”.",
    ),
    "compare_link": (
        "Jämför kommunerna för sökningen",
        "Compare the municipalities for this search",
    ),
    "export_search": ("Ladda ned träffarna:", "Download the results:"),
    # Excel with Swedish settings (what the municipalities run, whatever the page's language)
    # splits a double-clicked CSV on semicolons; other programs read the comma file.
    "csv_excel": ("Excel (CSV med semikolon)", "Excel (CSV with semicolons)"),
    "csv_comma": ("CSV (komma)", "CSV (comma)"),
    # The embed builder (/inbaddning)
    "builder_title": ("Bygg en inbäddning", "Build an embed"),
    "builder_lead": (
        "Välj vad sökrutan ska söka i, språk och storlek. Se resultatet direkt och kopiera koden "
        "till ert intranät.",
        "Choose what the search box searches, its language and its size. See it live and copy "
        "the code to your intranet.",
    ),
    "builder_guide_link": ("Om widgeten och iframen", "About the widget and the iframe"),
    "builder_kind": ("Sätt att bädda in", "How to embed"),
    "builder_kind_widget": ("Sökruta (widget, två rader kod)", "Search box (widget, two lines)"),
    "builder_kind_iframe": (
        "Hela sökningen med filter (iframe)",
        "The full search with filters (iframe)",
    ),
    "builder_language": ("Språk i sökrutan", "Language of the search box"),
    "builder_page_size": ("Antal träffar (sökruta, 1–50)", "Results shown (search box, 1–50)"),
    "builder_height": ("Höjd i pixlar (iframe)", "Height in pixels (iframe)"),
    "builder_update": ("Uppdatera koden", "Update the code"),
    "builder_code": ("Koden att kopiera", "The code to copy"),
    "builder_widget_hint": (
        "Klistra in raderna där sökrutan ska stå. Skickar er sida en Content-Security-Policy, "
        "tillåt tjänsten i script-src och connect-src.",
        "Paste the lines where the search box should appear. If your page sends a "
        "Content-Security-Policy, allow the service in script-src and connect-src.",
    ),
    "builder_iframe_hint": (
        "Klistra in raden där sökningen ska stå. Tjänsten måste ha er webbplats i inställningen "
        "frame_ancestors.",
        "Paste the line where the search should appear. The service must list your site in its "
        "frame_ancestors setting.",
    ),
    "builder_copy": ("Kopiera koden", "Copy the code"),
    "builder_copied": ("Kopierad", "Copied"),
    "builder_copy_failed": (
        "Kunde inte kopiera. Markera koden och kopiera med Ctrl+C.",
        "Could not copy. Select the code and copy with Ctrl+C.",
    ),
    "builder_preview": ("Förhandsvisning", "Preview"),
    "builder_iframe_title": ("Sök i Kunskapsbanken", "Search Kunskapsbanken"),
    "export_title": ("Titel", "Title"),
    "export_date": ("Datum", "Date"),
    "export_page": ("Dokumentsida", "Document page"),
    "export_original": ("Original", "Original"),
    "export_also_at": ("Finns även på", "Also at"),
    "export_id": ("Id", "Id"),
    "export_missing": ("Saknar orden", "Missing words"),
    "export_related": ("{words} (relaterad)", "{words} (related)"),
    "export_focus_areas": ("Fokusområden", "Focus areas"),
    "export_municipalities": ("Kommuner", "Municipalities"),
    "export_regions": ("Regioner", "Regions"),
}
