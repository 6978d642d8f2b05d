"""web/escaping.py: the same text as markupsafe's escape, for every string and non-string."""

from __future__ import annotations

import random

from markupsafe import Markup, escape

from web.escaping import text


def test_text_is_markupsafe_escape_as_a_str() -> None:
    rng = random.Random(13)
    alphabet = "ab&<>\"' åÄ\u202f;#"
    for _ in range(5000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert text(value) == str(escape(value)), value
        assert type(text(value)) is str
    for other in (Markup("<b>fet</b> &amp;"), 12, 1.5, None):
        assert text(other) == str(escape(other))
