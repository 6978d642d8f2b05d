"""The interface strings in Swedish and English, and how a request picks its language.

Swedish is the default. ``?lang=en`` switches and is remembered in a cookie on the pages (never on
/api, which sends no cookies); the embed keeps ``lang`` in its URLs because an iframe on another
site may not get our cookie. Imports nothing from kb.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote, urlencode

from flask import Flask, Request, Response, g, request

from web.i18n_strings import STRINGS

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"
COOKIE_NAME = "kb_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def add_strings(strings: dict[str, tuple[str, str]]) -> None:
    """Add a part's interface strings (the admin's); a key already defined otherwise is an error.

    Raises:
        ValueError: a key is defined twice with different text.
    """
    clash = [k for k, v in strings.items() if k in STRINGS and STRINGS[k] != v]
    if clash:
        raise ValueError(f"interface strings defined twice: {', '.join(sorted(clash))}")
    STRINGS.update(strings)


def translate(key: str, lang: str | None = None, **values: object) -> str:
    """The string ``key`` in ``lang`` (default: the request's), formatted with ``values``.

    Unknown keys return the key itself so a missing string shows up in review, not as a 500.
    """
    pair = STRINGS.get(key)
    if pair is None:
        return key
    text = pair[1] if (lang or current_language()) == "en" else pair[0]
    return text.format(**values) if values else text


def translate_count(key: str, count: int, **values: object) -> str:
    """``translate(key, ...)``, or ``key + "_one"`` when ``count`` is 1 and that string exists:
    English says "1 document", not "1 documents" (Swedish "dokument" is both)."""
    one = f"{key}_one"
    return translate(one if count == 1 and one in STRINGS else key, None, **values)


def current_language() -> str:
    """The language chosen for this request (``sv`` outside a request)."""
    try:
        return str(g.get("lang", DEFAULT_LANGUAGE))
    except RuntimeError:
        return DEFAULT_LANGUAGE


def choose_language(req: Request) -> tuple[str, bool]:
    """The language for ``req`` and whether it was asked for in the URL (``?lang=``)."""
    asked = req.args.get("lang", "")
    if asked in LANGUAGES:
        return asked, True
    if not req.path.startswith("/api/"):
        saved = req.cookies.get(COOKIE_NAME, "")
        if saved in LANGUAGES:
            return saved, False
    return DEFAULT_LANGUAGE, False


def count_text(total: int, lang: str | None = None) -> str:
    """``Inga träffar`` / ``1 träff`` / ``12 träffar`` (and the English forms)."""
    if total == 0:
        return translate("count_zero", lang)
    if total == 1:
        return translate("count_one", lang)
    return translate("count_many", lang, n=format_number(total, lang))


def format_number(n: int, lang: str | None = None) -> str:
    """Thousands grouped the Swedish way (a narrow no-break space) or with commas in English."""
    text = f"{n:,}"
    return text.replace(",", "\u202f") if (lang or current_language()) == "sv" else text


def language_params() -> list[tuple[str, str]]:
    """``[("lang", "en")]`` in an English answer, else none: a link given to a client (an API
    document link, the widget's suggestions) opens where the service's language cookie is not
    set, so an English answer's links must say so; Swedish is the default."""
    return [("lang", "en")] if current_language() == "en" else []


def switch_url(req: Request, lang: str, extra: Sequence[tuple[str, str]] = ()) -> str:
    """The current URL with ``lang`` set: the language switch keeps the search state (and
    ``extra``, state the page has from elsewhere than its URL)."""
    pairs = [(k, v) for k, v in req.args.items(multi=True) if k != "lang"] + list(extra)
    # "//host/x" would be a link to another site: keep the path on ours, quoted.
    path = req.script_root + quote("/" + req.path.lstrip("/"), safe="/")
    return path + "?" + urlencode([*pairs, ("lang", lang)])


def init_app(app: Flask) -> None:
    """Pick the language before each request, remember a URL choice, expose helpers to templates."""

    @app.before_request
    def _pick_language() -> None:
        g.lang, g.lang_from_url = choose_language(request)

    @app.after_request
    def _remember_language(response: Response) -> Response:
        # The API sends no cookies at all (it is called cross-origin with CORS "*").
        if (
            g.get("lang_from_url")
            and not request.path.startswith("/api/")
            and request.cookies.get(COOKIE_NAME) != g.lang
        ):
            response.set_cookie(
                COOKIE_NAME,
                g.lang,
                max_age=COOKIE_MAX_AGE,
                samesite="Lax",
                httponly=True,
                secure=request.is_secure,
            )
        return response

    @app.context_processor
    def _template_helpers() -> dict[str, object]:
        lang = current_language()
        other = "en" if lang == "sv" else "sv"
        return {
            "t": translate,
            "tn": translate_count,
            "lang": lang,
            "other_lang": other,
            "lang_switch_url": switch_url(request, other),
            "count_text": count_text,
            "format_number": format_number,
        }
