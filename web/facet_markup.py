"""The facet values of the results page as HTML list items, built in Python.

A results page lists some 130 facet values: the regions with their municipalities beneath, the
trimmed municipality list, the counties, the types and the years. Rendered by one Jinja macro
call per value, they were about a third of the page's render time; here one value is one
f-string. ``_facets.html`` keeps the structure around them (fieldsets, legends, "Visa fler",
"Visa alla N") and calls ``facet_options`` and ``year_options`` for the ``<li>`` elements.

The markup is what the macro wrote, less the whitespace between list items: every value is
escaped exactly as Jinja's autoescape does (web/escaping.py). Never imports kb's search
internals.

A search asked again (paged, sorted, the same page) has the same facet values: web/search_view.py
keeps its groups per app, and this module keeps the markup of their option lists under those
very tuples and the language (web/markup_cache.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask
from markupsafe import Markup

from web.escaping import text
from web.i18n import current_language, format_number, translate
from web.markup_cache import Same, app_cache_or_none, install
from web.search_view import Option

# The facet groups of searches asked before (web/search_view.py keeps them here) and the markup of
# their option lists, up to ~13 KB each (the regions with their municipalities); six groups make
# up to twelve lists. Full, the two hold ~6 MB per worker (bench/markup_cache_memory.py).
GROUPS_CACHE = "facet_groups"
GROUPS_ENTRIES = 64
OPTIONS_CACHE = "facet_options"
OPTIONS_ENTRIES = 12 * GROUPS_ENTRIES


def facet_options(options: Iterable[Option], lang: str | None = None) -> Markup:
    """The ``<li>`` checkboxes of ``options``, each with its children in a nested list.

    Args:
        options: a facet group's visible or folded options (search_view.Option).
        lang: ``sv`` or ``en``; the request's language when None.

    Returns:
        Safe markup: every label, value and id escaped.
    """
    lang = lang or current_language()
    # The groups of a search asked again are the very same tuples (search_view keeps them):
    # their markup is kept under them. Only tuples: a list could change after it was kept.
    cache = app_cache_or_none(OPTIONS_CACHE) if type(options) is tuple else None
    if cache is None:
        return _options_html(options, lang)
    return cache.get_or_make((), (Same(options), lang), lambda: _options_html(options, lang))


def _options_html(options: Iterable[Option], lang: str) -> Markup:
    parts: list[str] = []
    for option in options:
        _option_item(option, lang, parts)
    return Markup("".join(parts))


def year_options(options: Iterable[Option], lang: str | None = None) -> Markup:
    """The ``<li>`` year links of ``options`` (each option carries its own ``url``).

    Args:
        options: the year options of the view (search_view.Option with ``url`` set).
        lang: ``sv`` or ``en``; the request's language when None.

    Returns:
        Safe markup: every label and URL escaped.
    """
    lang = lang or current_language()
    parts = []
    for o in options:
        label = f'{text(o.label)} <span class="count">({text(format_number(o.count, lang))})</span>'
        if o.selected:
            # The chosen year's link removes its filter: it looks and reads as the filter's chip
            # does, not as one more year among the others (it was told apart by aria-current only).
            remove = text(translate("remove_filter", lang))
            parts.append(
                f'<li><a class="year-current" href="{text(o.url)}" aria-current="true">'
                f'<span class="visually-hidden">{remove} </span>{label}'
                ' <span aria-hidden="true">×</span></a></li>'
            )
        else:
            parts.append(f'<li><a href="{text(o.url)}">{label}</a></li>')
    return Markup("".join(parts))


def _option_item(o: Option, lang: str, parts: list[str]) -> None:
    # One checkbox and its label; a region's members follow in a list named after it.
    input_id = text(o.input_id)
    label = text(o.label)
    # A value no document of this search holds would empty the page (or, beside another value of
    # its facet, change nothing): disabled, which a screen reader announces ("unavailable"), and
    # out of the tab order. A ticked one stays enabled, or it could not be unticked.
    state = " checked" if o.selected else " disabled" if not o.count else ""
    parts.append(
        f'<li><input type="checkbox" id="{input_id}" name="{text(o.param)}" '
        f'value="{text(o.value)}"{state}> '
        f'<label for="{input_id}">{label} '
        f'<span class="count">({text(format_number(o.count, lang))})</span></label>'
    )
    if o.children:
        members = text(translate("members_of", lang, region=o.label))
        parts.append(f'<ul class="facet-children" aria-label="{members}">')
        for child in o.children:
            _option_item(child, lang, parts)
        parts.append("</ul>")
    parts.append("</li>")


def init_app(app: Flask) -> None:
    """Make ``facet_options`` and ``year_options`` available in every template; give the app
    its caches of facet groups and their markup."""
    install(app, GROUPS_CACHE, GROUPS_ENTRIES)
    install(app, OPTIONS_CACHE, OPTIONS_ENTRIES)
    app.add_template_global(facet_options)
    app.add_template_global(year_options)
