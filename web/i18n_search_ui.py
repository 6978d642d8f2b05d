"""Interface strings of the officers' search screens: the phone filter drawer, suggestions as you
type, metadata that links to a filtered search and the zero-hit ways out (Swedish, English).

Merged into web.i18n_strings.STRINGS at import; imports nothing.
"""

from __future__ import annotations

SEARCH_UI_STRINGS: dict[str, tuple[str, str]] = {
    # Filter drawer (narrow screens)
    "filters_open": ("Filtrera", "Filter"),
    "place_filter": ("Filtrera på {name}? ({n})", "Filter on {name}? ({n})"),
    "filters_open_n": ("Filtrera ({n})", "Filter ({n})"),
    "filters_close": ("Stäng filtren", "Close the filters"),
    "filters_show_hits": ("Visa träffarna ({n})", "Show the results ({n})"),
    # Suggestions
    "suggest_document": ("Dokument", "Document"),
    # A word's count is the documents holding it as written, not the search's total (which also
    # counts other forms, synonyms and partial matches): the line says so.
    "suggest_word_docs": ("{word} finns i {n} dokument", "{word} is in {n} documents"),
    "suggest_word_docs_one": ("{word} finns i 1 dokument", "{word} is in 1 document"),
    "suggest_list": ("Förslag", "Suggestions"),
    "suggest_none": ("Inga förslag", "No suggestions"),
    "suggest_one": (
        "1 förslag, använd pil upp och ned",
        "1 suggestion, use the up and down arrows",
    ),
    "suggest_many": (
        "{n} förslag, använd pil upp och ned",
        "{n} suggestions, use the up and down arrows",
    ),
    "suggest_help": (
        "Förslag visas medan du skriver. Välj med pil upp och ned och Enter, stäng med Escape.",
        "Suggestions appear as you type. Choose with the up and down arrows and Enter, close "
        "with Escape.",
    ),
    # Zero hits: leaving out every filter (the "Utan {facet}" of web.i18n)
    "zero_drop_all_filters": ("alla filter", "any filter"),
    # Zero hits: the query's "phrases" searched as plain words (web/zero_hits.py, unquoted)
    "zero_unquoted_heading": ("Sök utan citattecken", "Search without the quotes"),
    # Metadata row names (web/facet_links.py); a facet without one uses its legend
    "meta_focus_area": ("Fokusområden", "Focus areas"),
    "meta_region": ("Regioner", "Regions"),
    "meta_municipality": ("Kommuner", "Municipalities"),
    "meta_publisher": ("Utgivare", "Publisher"),
    "meta_doc_type": ("Dokumenttyp", "Document type"),
    # Facet trimmed on the results page
    "show_all_values": ("Visa alla {n}", "Show all {n}"),
    # Why a focus area: no raw score for officers, the words that decided it follow
    "tag_auto_plain": ("Satt automatiskt", "Set automatically"),
}
