"""The embed builder (/inbaddning): pick preset filters, language and size, see the search live,
copy the snippet (the <kb-search> widget or an /embed iframe).

The page is a GET form, so every choice lives in the URL and the snippet and preview are rendered
here (the page works without script); web/static/embed_builder.js re-renders them as the choices
change and copies the snippet with an announced "Kopierad". The filters offered are the facets of
the registry whose values are taxonomy ids (a publisher's name holds spaces, which the widget's
space-separated attributes cannot carry). The widget and the iframe are documented in
docs/embedding.md; the builder only writes what that page describes.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, render_template, request, url_for

from web.context import current_kb, label
from web.i18n import translate
from web.widget import SCRIPT_NAME

bp = Blueprint("builder", __name__)

KINDS = ("widget", "iframe")
WIDGET_PAGE_SIZE = (1, 5, 50)  # min, default, max: the widget's own page-size rule
IFRAME_HEIGHT = (320, 640, 2000)
# Facets with this many values or fewer are checkboxes; more are a multiple select.
CHECKBOX_MAX = 12


@dataclass(frozen=True)
class FilterChoice:
    """One facet offered as a preset: its URL parameter, widget attribute and values."""

    param: str
    attribute: str
    legend: str
    values: tuple[tuple[str, str, bool], ...]  # (value, label, chosen)

    @property
    def as_checkboxes(self) -> bool:
        return len(self.values) <= CHECKBOX_MAX


@dataclass(frozen=True)
class Build:
    """What the form asks for, clamped."""

    kind: str
    language: str
    page_size: int
    height: int
    filters: tuple[tuple[str, tuple[str, ...]], ...]  # (facet id, chosen values)


def _int(raw: str, bounds: tuple[int, int, int]) -> int:
    low, default, high = bounds
    try:
        return min(max(int(raw), low), high)
    except ValueError:
        return default


def requested_build(choices: list[FilterChoice]) -> Build:
    """The build the URL asks for; unknown kinds, languages and values fall back or drop out."""
    args = request.args
    kind = args.get("kind", "")
    language = args.get("widget_lang", "")
    return Build(
        kind=kind if kind in KINDS else "widget",
        language=language if language in ("sv", "en") else "sv",
        page_size=_int(args.get("page_size", ""), WIDGET_PAGE_SIZE),
        height=_int(args.get("height", ""), IFRAME_HEIGHT),
        filters=tuple((c.param, tuple(v for v, _, chosen in c.values if chosen)) for c in choices),
    )


def filter_choices() -> list[FilterChoice]:
    """The facets a preset may use, with the URL's choices marked."""
    kb = current_kb()
    out = []
    for facet in kb.facets.multi:
        known = facet.known_values(kb.taxonomy)
        if facet.source != "taxonomy" or known is None:
            continue
        chosen = set(request.args.getlist(facet.id))
        out.append(
            FilterChoice(
                param=facet.id,
                attribute=facet.id.replace("_", "-"),
                legend=translate(facet.legend_key),
                values=tuple((v, label(facet.id, v), v in chosen) for v in known),
            )
        )
    return out


def snippet(build: Build, choices: list[FilterChoice]) -> tuple[str, str]:
    """The code to copy and the address the preview shows (the iframe's src, or "")."""
    attribute = {c.param: c.attribute for c in choices}
    if build.kind == "iframe":
        params = [(p, v) for p, values in build.filters for v in values]
        params.append(("lang", build.language))
        src = url_for("embed.embed", _external=True) + "?" + urlencode(params)
        title = translate("builder_iframe_title", build.language)
        code = (
            f'<iframe src="{_attr(src)}" title="{_attr(title)}" '
            f'width="100%" height="{build.height}"></iframe>'
        )
        return code, url_for("embed.embed") + "?" + urlencode(params)
    script = url_for("widget.script", _external=True)
    attrs = [f'{attribute[p]}="{_attr(" ".join(values))}"' for p, values in build.filters if values]
    attrs.append(f'lang="{build.language}"')
    if build.page_size != WIDGET_PAGE_SIZE[1]:
        attrs.append(f'page-size="{build.page_size}"')
    code = (
        f'<script src="{_attr(script)}" defer></script>\n<kb-search {" ".join(attrs)}></kb-search>'
    )
    return code, ""


def _attr(text: str) -> str:
    """Text inside a double-quoted HTML attribute of the snippet."""
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


@bp.get("/inbaddning")
def page() -> str:
    """The builder: the choices, the snippet with its copy button, and the live preview."""
    choices = filter_choices()
    build = requested_build(choices)
    code, frame_src = snippet(build, choices)
    chosen = dict(build.filters)
    return render_template(
        "embed_builder.html",
        choices=choices,
        build=build,
        code=code,
        frame_src=frame_src,
        widget_attrs={c.attribute: " ".join(chosen.get(c.param, ())) for c in choices},
        page_size_bounds=WIDGET_PAGE_SIZE,
        height_bounds=IFRAME_HEIGHT,
        script_path=url_for("widget.script"),
        script_name=SCRIPT_NAME,
    )
