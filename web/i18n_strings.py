"""The pages' interface strings in Swedish and English: one table, key -> (Swedish, English).

web.i18n looks them up and picks the request's language; the officers' search screens keep theirs in
web.i18n_search_ui, the comparison page, the downloads and the embed builder in web.i18n_tables, and
the admin its own (added through ``web.i18n.add_strings``). Imports nothing from flask or kb.
"""

from __future__ import annotations

from web.i18n_search_ui import SEARCH_UI_STRINGS
from web.i18n_tables import TABLE_STRINGS

# key -> (Swedish, English). Placeholders use str.format names.
STRINGS: dict[str, tuple[str, str]] = {
    "site_name": ("Kunskapsbanken", "Kunskapsbanken"),
    "tagline": (
        "Sök bland kommunernas och e-rådens erfarenheter av digitalisering: vad andra har gjort, "
        "beslutat och lärt sig.",
        "Search what Swedish municipalities and e-councils have done, decided and learned "
        "about digitalisation.",
    ),
    "skip_to_content": ("Hoppa till innehållet", "Skip to content"),
    "skip_to_results": ("Hoppa till träfflistan", "Skip to the results"),
    "switch_language": ("In English", "På svenska"),
    "main_nav": ("Huvudmeny", "Main menu"),
    "home": ("Startsida", "Home"),
    "search_label": ("Sök i kunskapsbanken", "Search the knowledge bank"),
    "search_hint": (
        "Till exempel e-arkiv, bygglov eller informationssäkerhet.",
        "For example e-arkiv, bygglov or informationssäkerhet (Swedish words find the most).",
    ),
    "search_button": ("Sök", "Search"),
    "search_title": ("Sök", "Search"),
    "search_title_q": ("Sök: {q}", "Search: {q}"),
    "page_suffix": ("sida {n}", "page {n}"),
    "entry_focus_areas": ("Fokusområden", "Focus areas"),
    "entry_regions": ("Regioner", "Regions"),
    "entry_newest": ("Nytt i kunskapsbanken", "New in the knowledge bank"),
    "all_new": ("Alla, senast tillagda först", "All, the latest added first"),
    "doc_count": ("{n} dokument", "{n} documents"),
    "doc_count_one": ("{n} dokument", "{n} document"),
    "all_documents": ("Visa alla {n} dokument", "Show all {n} documents"),
    "empty_index": (
        "Kunskapsbanken har inga dokument ännu.",
        "The knowledge bank has no documents yet.",
    ),
    # Results
    "results_heading": ("Sökresultat", "Search results"),
    "count_zero": ("Inga träffar", "No results"),
    "count_one": ("1 träff", "1 result"),
    "count_many": ("{n} träffar", "{n} results"),
    "count_for": ("för ”{q}”", "for “{q}”"),
    "feed_link": ("Bevaka sökningen (Atom-flöde)", "Follow this search (Atom feed)"),
    "feed_title": ("Kunskapsbanken: nya dokument", "Kunskapsbanken: new documents"),
    "feed_title_q": (
        "Kunskapsbanken: nya dokument om ”{q}”",
        "Kunskapsbanken: new documents on “{q}”",
    ),
    "showing": ("Visar {first}–{last} av {total}", "Showing {first}–{last} of {total}"),
    "sort_label": ("Sortera efter", "Sort by"),
    "sort_relevance": ("Relevans", "Relevance"),
    "sort_newest": ("Nyast först", "Newest first"),
    "sort_added": ("Senast tillagda först", "Latest added first"),
    "apply": ("Visa resultat", "Show results"),
    "filters": ("Filtrera", "Filter"),
    "active_filters": ("Valda filter", "Selected filters"),
    "remove_filter": ("Ta bort filtret", "Remove the filter"),
    "clear_filters": ("Rensa alla filter", "Clear all filters"),
    "did_you_mean": ("Menade du", "Did you mean"),
    "expanded_note": ("Sökte även på: {words}", "Also searched for: {words}"),
    "also_excluded_note": ("Uteslöt även: {words}", "Also excluded: {words}"),
    "partial_note": (
        "Träffar som saknar: {words} ({n} st, efter dem som har alla orden)",
        "Hits missing: {words} ({n}, after those with every word)",
    ),
    # When no hit has every word, there is nothing for the partial hits to come "after".
    "partial_note_all": (
        "Ingen träff har alla orden – träffarna saknar något av orden: {words}",
        "No hit has every word – the hits lack some of the words: {words}",
    ),
    # Related hits hold none of the words (kb.search.feedback) and always come last.
    "related_note": (
        "Relaterade träffar ({n} st, sist): liknar de första träffarna men saknar {words}",
        "Related hits ({n}, last): like the first hits, but without {words}",
    ),
    # Every hit related: the filters left out the hits they are like.
    "related_note_all": (
        "Ingen träff innehåller sökorden ({words}) – träffarna är relaterade: de liknar "
        "sökningens bästa träffar utan filtren",
        "No hit holds the words searched for ({words}) – the hits are related: like the best "
        "hits of the search without the filters",
    ),
    "hit_missing": ("Saknar: {words}", "Missing: {words}"),
    "hit_related": (
        "Relaterad: liknar de första träffarna men saknar {words}",
        "Related: like the first hits, but without {words}",
    ),
    "fallback_note": (
        "Sökfrågan kunde inte läsas som söksyntax, så vi sökte på orden i den.",
        "The query could not be read as search syntax, so we searched for its words.",
    ),
    "show_more": ("Visa fler ({n})", "Show more ({n})"),
    # Values behind "Visa fler" that no hit holds are disabled: the number says how many have
    # hits, so "Visa fler (2)" never opens on two greyed-out values only.
    "show_more_some_empty": (
        "Visa fler ({n}, och {empty} utan träffar)",
        "Show more ({n}, and {empty} without hits)",
    ),
    "show_more_empty": ("Visa fler utan träffar ({n})", "Show more without hits ({n})"),
    "year_from": ("Från år", "From year"),
    "year_to": ("Till år", "To year"),
    # A year field's message when it is not four digits (the browser's own is in its language).
    "year_format": (
        "Skriv året med fyra siffror, till exempel 2020.",
        "Write the year in four digits, for example 2020.",
    ),
    # The chip already says "År:" (the facet's legend), so the range is only the years.
    "year_chip": ("{a}–{b}", "{a}–{b}"),
    "year_from_chip": ("Från {a}", "From {a}"),
    "year_to_chip": ("Till {b}", "Until {b}"),
    "facet_focus_area": ("Fokusområde", "Focus area"),
    "facet_region": ("Region och kommun", "Region and municipality"),
    "facet_municipality": ("Kommun", "Municipality"),
    "facet_other_municipalities": ("Övriga kommuner", "Other municipalities"),
    "facet_publisher": ("Utgivare", "Publisher"),
    "mentions": ("Nämns också", "Also mentioned"),
    "concerns": ("Kommuner som dokumentet handlar om", "Municipalities it is about"),
    "facet_county": ("Län", "County"),
    "facet_doc_type": ("Dokumenttyp", "Document type"),
    "facet_year": ("År", "Year"),
    "members_of": ("Kommuner i {region}", "Municipalities in {region}"),
    "pagination": ("Sidnumrering", "Pagination"),
    "previous": ("Föregående", "Previous"),
    "next": ("Nästa", "Next"),
    "page_n": ("Sida {n}", "Page {n}"),
    # A hit
    "source": ("Källa", "Source"),
    # The same original (identical bytes) published at other addresses (kb.search.copies).
    "also_at": ("Finns även på", "Also at"),
    "municipalities": ("Kommuner", "Municipalities"),
    "regions": ("Regioner", "Regions"),
    "focus_areas": ("Fokusområden", "Focus areas"),
    "doc_type": ("Dokumenttyp", "Document type"),
    "date": ("Datum", "Date"),
    "match_on_page": ("Träff på sida {n}", "Match on page {n}"),
    "original": ("Originalet", "Original"),
    "kept_copy": ("Sparad kopia", "Kept copy"),
    "kept_copy_page": ("Sparad kopia, sida {n}", "Kept copy, page {n}"),
    "opens_externally": ("extern webbplats", "external site"),
    # Zero results
    "zero_heading": ("Inga dokument matchade sökningen", "No documents matched the search"),
    "zero_drop_heading": ("Ta bort ett filter", "Remove a filter"),
    "zero_drop": ("Utan {facet}: {n}", "Without {facet}: {n}"),
    "zero_words_heading": ("Sök på ett av orden", "Search for one of the words"),
    "zero_tips_heading": ("Tips", "Tips"),
    "tip_spelling": ("Kontrollera stavningen.", "Check the spelling."),
    "tip_fewer_words": (
        "Använd färre eller mer allmänna ord, till exempel ”arkiv” i stället för "
        "”e-arkivplattform”.",
        "Use fewer or more general words, for example “arkiv” instead of “e-arkivplattform”.",
    ),
    "tip_swedish": (
        "Dokumenten är oftast på svenska: sök med svenska ord.",
        "Most documents are in Swedish: search with Swedish words.",
    ),
    "tip_browse": ("Bläddra bland alla dokument.", "Browse all documents."),
    # Document page
    "about_document": ("Om dokumentet", "About the document"),
    "publisher": ("Utgivare", "Publisher"),
    "language": ("Språk", "Language"),
    "pages": ("Sidor", "Pages"),
    "added": ("Tillagt", "Added"),
    "ocr_note": (
        "Texten är OCR-tolkad från ett skannat dokument och kan innehålla fel.",
        "The text was read by OCR from a scanned document and may contain errors.",
    ),
    "why_tagged": (
        "Varför dokumentet har sina fokusområden",
        "Why the document has its focus areas",
    ),
    "tag_given": ("Angivet vid inläsningen", "Given when the document was added"),
    "curated_editor": ("Rättad av redaktör {date}", "Corrected by an editor {date}"),
    "curated_ingest": ("Angiven vid inläsningen {date}", "Given when added {date}"),
    "withdrawn_note": (
        "Källan har tagit bort dokumentet ({since}). Det visas inte längre i sökningar.",
        "The source has removed this document ({since}). It no longer appears in searches.",
    ),
    "withdrawn_soon_note": (
        "Källan har tagit bort dokumentet ({since}). Det tas snart bort ur sökningarna.",
        "The source has removed this document ({since}). It will soon leave the searches.",
    ),
    "tag_auto": ("Satt automatiskt, poäng {score}", "Set automatically, score {score}"),
    "tag_evidence": ("Ord i texten: {words}", "Words in the text: {words}"),
    "tag_passage": ("Stycke i texten:", "Passage in the text:"),
    "no_focus_areas": ("Dokumentet har inga fokusområden.", "The document has no focus areas."),
    "excerpt": ("Utdrag", "Excerpt"),
    "similar": ("Liknande dokument", "Similar documents"),
    "other_municipalities": (
        "Andra kommuner som arbetat med detta",
        "Other municipalities that have worked on this",
    ),
    "none_found": ("Inga hittades.", "None found."),
    "back_to_results": ("Tillbaka till träffarna", "Back to the results"),
    "back_to_results_q": ("Tillbaka till träffarna för ”{q}”", "Back to the results for “{q}”"),
    # Errors
    "error_400": ("Felaktig förfrågan", "Bad request"),
    "error_403": ("Åtkomst nekad", "Access denied"),
    "error_403_text": (
        "Ditt konto har inte behörighet till den här sidan.",
        "Your account may not use this page.",
    ),
    "error_404": ("Sidan finns inte", "Page not found"),
    "error_405": ("Metoden stöds inte", "Method not allowed"),
    "error_500": ("Något gick fel", "Something went wrong"),
    "error_503": ("Tjänsten är upptagen", "The service is busy"),
    "error_429": ("För många förfrågningar", "Too many requests"),
    "error_generic": ("Fel {status}", "Error {status}"),
    "error_help": (
        "Försök med en ny sökning eller gå till startsidan.",
        "Try a new search or go to the start page.",
    ),
    "error_503_text": (
        "Sökindexet går inte att läsa just nu. Försök igen om en stund.",
        "The search index cannot be read right now. Please try again shortly.",
    ),
    "error_429_text": (
        "Du har gjort många förfrågningar på kort tid. Försök igen om {seconds} sekunder.",
        "You have made many requests in a short time. Please try again in {seconds} seconds.",
    ),
    "error_404_text": (
        "Det finns ingen sida eller inget dokument med den adressen.",
        "There is no page or document at that address.",
    ),
    "error_500_text": (
        "Ett oväntat fel inträffade. Felet är loggat. Försök igen om en stund.",
        "An unexpected error occurred. It has been logged. Please try again shortly.",
    ),
    "bad_integer": (
        "{name} måste vara ett heltal, inte ”{value}”.",
        "{name} must be a whole number, not “{value}”.",
    ),
    "bad_page_range": (
        "{name} måste vara 1 eller större, inte {value}.",
        "{name} must be 1 or more, not {value}.",
    ),
    "bad_page_size_range": (
        "{name} måste vara mellan 1 och {most}, inte {value}.",
        "{name} must be between 1 and {most}, not {value}.",
    ),
    "bad_year_range": (
        "year_from ({a}) är senare än year_to ({b}).",
        "year_from ({a}) is later than year_to ({b}).",
    ),
    "bad_value": (
        "Okänt värde för {name}: {values}",
        "Unknown value for {name}: {values}",
    ),
    "bad_value_mean": ("Menade du {value} ({label})?", "Did you mean {value} ({label})?"),
    "error_fixed_search": ("Visa den rättade sökningen", "Show the corrected search"),
    "bad_value_choose": ("Välj bland: {values}.", "Choose from: {values}."),
    "bad_value_listed": (
        "Värdena finns i /api/v1/taxonomy.",
        "The values are listed at /api/v1/taxonomy.",
    ),
    "bad_home_region": (
        "Okänd hemregion (home_region): {value}",
        "Unknown home region (home_region): {value}",
    ),
    "bad_sort": (
        "Okänd sortering (sort): ”{value}”. Välj en av {sorts}.",
        "Unknown sort order (sort): “{value}”. Choose one of {sorts}.",
    ),
    # Footer and statement
    "accessibility": ("Tillgänglighet", "Accessibility"),
    "accessibility_title": ("Tillgänglighetsredogörelse", "Accessibility statement"),
    "api_link": ("Öppet API (JSON)", "Open API (JSON)"),
    "widget_title": ("Bädda in sökningen", "Embed the search"),
    "embed_new_search": ("Gör en ny sökning", "Start a new search"),
    "embed_powered": ("Sökningen kommer från Kunskapsbanken", "Search provided by Kunskapsbanken"),
}

# The officers' search screens (phone drawer, suggestions, metadata links, zero-hit ways out) keep
# their strings in their own module, so the pages' work and theirs do not collide in one file.
STRINGS.update(SEARCH_UI_STRINGS)
# The comparison page, the downloads and the embed builder (web.i18n_tables).
STRINGS.update(TABLE_STRINGS)
