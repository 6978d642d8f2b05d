"""One search hit as HTML (the ``<li class="hit">`` of the results page, the start page's
"Nytt i kunskapsbanken" and the document page's related lists), built in Python.

Ten hits were more than half of a results page's render time as a Jinja macro: some thirty
escaped expressions, helper calls and loops per hit. ``_hit.html``'s ``hit_item`` macro now only
calls ``hit_html``, so the templates keep calling it as before. Every value from the index is
escaped as autoescape does (web/escaping.py); the snippet is kb's already escaped HTML with
``<mark>`` (kb.search.snippets). The metadata rows come from web/facet_links.py.

A hit is shown on many pages (the same search sorted, filtered or asked again), so its markup is
kept per app (web/markup_cache.py) under the hit itself, the language, the application root and
the arguments; the index generation's linkable values are the cache's token.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from flask import Flask, request, url_for
from markupsafe import Markup

from kb.search.results import Hit
from kb.search.serialize import copy_name
from web.escaping import text
from web.facet_links import FacetUrl, hit_meta, hit_meta_token
from web.hits import (
    hit_language,
    kept_copy_url,
    lang_attr,
    original_url,
    partial_note,
    source_host,
)
from web.i18n import current_language, translate
from web.markup_cache import app_cache, install

PDF = "application/pdf"
CACHE_NAME = "hits"
# Hits kept per worker: a results page shows ten, so this is some hundred pages' worth. An entry
# is the hit (about 1 KB with its snippet) and its markup (1.4 KB on average at 100,000
# documents, 1.7 KB at most): ~3.4 MB per worker when full (bench/markup_cache_memory.py).
CACHE_ENTRIES = 1024


def hit_html(
    hit: Hit,
    doc_target: str | None = None,
    doc_query: str = "",
    heading: str = "h3",
    prefix: str = "hit",
    show_added: bool = False,
    facet_url: FacetUrl | None = None,
) -> Markup:
    """The list item of ``hit``: title link, note on missing words, snippet, metadata, links.

    Args:
        hit: the hit (kb.search.results.Hit).
        doc_target: where document links open (``_top`` from the embed's iframe), None for here.
        doc_query: a query string every document link keeps (the embed's ``?lang=``).
        heading: the title's heading element (``h3`` on the results page).
        prefix: the start of the title's element id (``hit``, ``similar``, ``other``).
        show_added: whether to show when the document entered the bank (the start page).
        facet_url: the results page's builder of filter links (web.facet_links); None for the
            plain results page.

    Returns:
        Safe markup.
    """
    # Everything the markup is made of: the hit itself, the arguments, the language and the
    # application root of the links; the token holds the generation's linkable values.
    lang = current_language()
    root = request.script_root
    key = (hit, lang, root, doc_target, doc_query, heading, prefix, show_added, facet_url)
    return app_cache(CACHE_NAME).get_or_make(
        hit_meta_token(),
        key,
        lambda: _hit_html(hit, lang, doc_target, doc_query, heading, prefix, show_added, facet_url),
    )


def _hit_html(
    hit: Hit,
    language: str,
    doc_target: str | None,
    doc_query: str,
    heading: str,
    prefix: str,
    show_added: bool,
    facet_url: FacetUrl | None,
) -> Markup:
    t = partial(translate, lang=language)
    title = text(hit.title)
    target = f' target="{text(doc_target)}"' if doc_target else ""
    title_lang = lang_attr(hit_language(hit))
    lang = f' lang="{text(title_lang)}"' if title_lang else ""
    anchor = text(f"{prefix}-{hit.id}")
    tag = text(heading)
    doc_url = text(url_for("pages.document", doc_id=hit.id) + doc_query)
    out = [
        f'<li class="hit">\n<article aria-labelledby="{anchor}">\n'
        f'<{tag} id="{anchor}" class="hit-title"><a href="{doc_url}"{target}{lang}>{title}</a>'
        f"</{tag}>\n"
    ]
    if hit.partial:
        note = text(partial_note(hit, language))
        out.append(f'<p class="partial-note">{note}</p>\n')
    if hit.snippet:
        out.append(f'<p class="snippet"{lang}>{hit.snippet}</p>\n')
    out.append('<dl class="meta">')
    out.append(_meta(hit, facet_url, show_added, t, target, doc_query))
    out.append('</dl>\n<ul class="hit-links">')
    orig = original_url(hit.url, hit.source, hit.content_type, hit.page)
    if orig:
        out.append(
            f'<li><a href="{text(orig)}" rel="noopener noreferrer"{target}>'
            f'{text(t("original"))}<span class="visually-hidden">: {title} '
            f"({text(t('opens_externally'))})</span></a></li>"
        )
    kept = text(kept_copy_url(hit.id, hit.content_type, hit.page))
    if hit.page and hit.content_type == PDF:
        kept_text = text(t("kept_copy_page", n=hit.page))
    else:
        kept_text = text(t("kept_copy"))
    out.append(
        f'<li><a href="{kept}"{target}>{kept_text}'
        f'<span class="visually-hidden">: {title}</span></a></li>'
        "</ul>\n</article>\n</li>"
    )
    return Markup("".join(out))


def _meta(
    hit: Hit,
    facet_url: FacetUrl | None,
    show_added: bool,
    t: Callable[..., str],
    target: str,
    doc_query: str,
) -> str:
    # Source (unless the publisher row links it), the facet rows, date, added, PDF page.
    rows = hit_meta(hit, facet_url)
    out = []
    if not any(row.facet == "publisher" for row in rows):
        source = hit.publisher or source_host(hit.url, hit.source)
        out.append(_pair(text(t("source")), text(source)))
    if hit.also_at:
        # Addresses are long and have nowhere to wrap: without 'break' a 320 px screen scrolls.
        links = also_at_links(hit.also_at, target, doc_query)
        out.append(f'<div><dt>{text(t("also_at"))}</dt><dd class="break">{links}</dd></div>')
    for row in rows:
        links = ", ".join(
            f'<a href="{text(link.url)}">{text(link.label)}</a>' if link.url else text(link.label)
            for link in row.links
        )
        out.append(_pair(text(row.name), links))
    if hit.date:
        date = text(hit.date)
        out.append(_pair(text(t("date")), f'<time datetime="{date}">{date}</time>'))
    if show_added and hit.added:
        added = text(hit.added)
        day = text(hit.added[:10])
        out.append(_pair(text(t("added")), f'<time datetime="{added}">{day}</time>'))
    if hit.page:
        page = text(t("match_on_page", n=hit.page))
        out.append(f'<div><dt class="visually-hidden">PDF</dt><dd>{page}</dd></div>')
    return "".join(out)


def also_at_links(
    also_at: tuple[tuple[str, str], ...], target: str = "", doc_query: str = ""
) -> str:
    """Links to the other addresses of the same original (escaped HTML): a web address itself,
    a file (no address a browser can open) by its name to that copy's document page.
    ``target`` and ``doc_query``: the hit's other links' attribute (``target="_top"`` in the
    embed's iframe) and the query its document links keep (the embed's ``?lang=``)."""
    out = []
    for source, doc_id in also_at:
        name = copy_name(source)  # as the API, the export and the CLI name it
        if name == source:  # a web address, shown as itself
            link = f'<a href="{text(source)}" rel="noopener noreferrer"{target}>'
        else:
            page = url_for("pages.document", doc_id=doc_id) + doc_query
            link = f'<a href="{text(page)}"{target}>'
        out.append(f"{link}{text(name)}</a>")
    return ", ".join(out)


def _pair(name: str, value: str) -> str:
    return f"<div><dt>{name}</dt><dd>{value}</dd></div>"


def init_app(app: Flask) -> None:
    """Make ``hit_html`` available in every template (``_hit.html``'s macro calls it) and give
    the app its cache of hits' markup."""
    install(app, CACHE_NAME, CACHE_ENTRIES)
    app.add_template_global(hit_html)
