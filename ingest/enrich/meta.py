"""Classify a document's type (vägledning, projekt, beslut, kallelse, handlingsplan, strategi,
rapport, presentation, webbsida, övrigt) and language.

Owns the type rules: taxonomy keywords weighted by where they stand (title, first lines,
opening; a type word in the plural weighs as one further in), "§ 12" near the top, a text that
says its subject is a project (``ingest.enrich.type_cues``), built-in markers (Inbjudan, KF)
and English type words, the shape of slides (presentation software, many short pages), and
"webbsida" for an HTML page that is no other type; and Swedish/English detection by stop words.
Imports kb and ingest only.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ingest.enrich.type_cues import plural_form, says_title_is_a_project
from ingest.enrich.words import Hit, KeywordMatcher, Token, tokenize
from kb.document import Tag

if TYPE_CHECKING:
    from kb.taxonomy.model import Taxonomy

OTHER = "other"
PRESENTATION, WEBPAGE = "presentation", "webpage"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Slides: made with presentation software, or many pages with few words each.
W_SLIDE_SOFTWARE = 4.0
W_SLIDE_SHAPE = 2.5
SLIDE_MIN_PAGES, SLIDE_MAX_PAGES, SLIDE_MAX_WORDS = 5, 150, 40  # pages; median words per page
_SLIDE_SOFTWARE = re.compile(r"powerpoint|keynote|\bimpress\b|google slides|prezi", re.IGNORECASE)
# Where a type word stands decides its weight: the title, the first lines, the opening, the rest.
W_TITLE, W_HEAD, W_OPENING, W_BODY = 4.0, 3.0, 1.0, 0.1
HEAD_LINES = 3
# A head line is a heading or a letterhead line; in a long line (an article's first paragraph) a
# type word weighs as any word of the opening.
HEAD_LINE_CHARS = 100
OPENING_CHARS = 600
# A type word that opens a paragraph of the opening names what the text does ("Regeringen
# beviljar ...", "Rapporten visar ...").
W_PARAGRAPH_OPENER = 2.5
W_PARAGRAPH_SIGN = 3.0  # "§ 112" near the top
# A type word that opens the title or the first line names the document ("Projektplan: ...").
W_SELF_NAMED = 3.0
MIN_SCORE = 2.5  # below this the document is "other"
# A text that says what its title names is a project weighs like "Projekt" in its title.
W_SAYS_PROJECT = 4.0
# A text that addresses its reader ("du", "ni") reads as guidance: this share of its words...
GUIDE_VOICE_SHARE = 0.01
W_GUIDE_VOICE = 3.0  # ...adds this much to "guide"
# ...and so does one that instructs: sentences or list items opening with an imperative.
_INSTRUCTION = re.compile(
    r"(?:^|[.!?:]\s+|\n\s*(?:[-*•▪]\s*)?)(?:Använd|Undvik|Skriv|Tänk på|Välj|Se till|Lägg|Gör|"
    r"Kontrollera|Publicera|Ange|Fyll i|Kom ihåg|Var noga|Glöm inte|Läs|Beskriv|Lista|Följ|"
    r"Testa|Börja|Skapa|Ta bort|Spara|Klicka|Ladda ner|Kontakta)\b"
)
MIN_INSTRUCTIONS, INSTRUCTIONS_PER_1000 = 3, 4.0
# A quotation opens with a dash or a quotation mark; it is never a heading ("– Det viktigaste
# har varit ..., säger projektledaren.").
_QUOTE_LINE = re.compile(r"[ \t]*[–—\"”»]")
# A type word right after a verb of saying is the speaker's role, not the document's kind
# ("säger projektledare ...", "berättar utredaren ...").
_SAYS = frozenset({"säger", "sa", "sade", "berättar", "förklarar", "menar", "konstaterar"})
# An article quotes people ("..., säger hon", "..., berättar projektledaren"). Its opening tells a
# story ("Planen togs fram ...") and does not name the document's kind. (A dash alone is not
# enough: reports use "–" for list items.)
_ATTRIBUTION = re.compile(rf",\s+(?:{'|'.join(sorted(_SAYS))})\s")
ARTICLE_QUOTES = 2
SENTENCE_WORDS = 6  # a head line of this many words ending in "." is a sentence
_YOU = frozenset({"du", "dig", "din", "ditt", "dina", "ni", "er", "ert", "era"})
TYPE_CHARS = 20_000  # type words further in weigh next to nothing; not worth the time

# Markers for kinds of documents the taxonomy files under "other", and English type words
# (the taxonomy's keyword lists are Swedish).
EXTRA_KEYWORDS: dict[str, tuple[str, ...]] = {
    OTHER: ("inbjudan", "minnesanteckningar", "pressmeddelande", "nyhetsbrev", "nyhet"),
    # KF/KS/KSAU: kommunfullmäktige, kommunstyrelsen and its arbetsutskott in protocol titles.
    "decision": (
        "KF",
        "KS",
        "KSAU",
        "minutes",
        "decision",
        "resolution",
        # government decisions: "Uppdrag att ...", "Regeringen uppdrar åt ...", "avslår"
        "uppdrag att",
        "uppdrag till",
        "ändring av uppdrag",
        "regeringen uppdrar",
        "regeringen ger",
        "regeringen avslår",
        "regeringen bifaller",
        "regeringen förelägger",
        "regeringen beviljar",
        "regeringen har beslutat",
        "uppdrag om",
        "regeringsbeslut",
        "regeringssammanträde",
        "sammanträdesanteckningar",
    ),
    "notice": ("notice of meeting",),
    "plan": ("action plan", "roadmap"),
    "strategy": ("strategy", "policy"),
    "guide": ("guidance", "handbook", "guidelines"),
    "presentation": ("slides",),
    "project": ("project description", "project plan", "project proposal"),
    "report": ("report", "final report", "evaluation", "study"),
}
_PARAGRAPH = re.compile(r"§\s*\d+")

SV_STOPWORDS = frozenset({
    "och", "i", "att", "det", "som", "en", "på", "är", "av", "för", "med", "till", "den",
    "har", "de", "inte", "om", "ett", "men", "ska", "kan", "vi", "från", "eller", "så", "när",
    "också", "under", "efter", "vid", "samt", "där", "hur", "alla", "mot", "sina", "detta",
    "dessa", "mer", "får",
})  # fmt: skip
EN_STOPWORDS = frozenset({
    "the", "and", "of", "to", "in", "is", "a", "for", "that", "on", "with", "as", "are", "be",
    "by", "this", "it", "from", "at", "or", "an", "will", "have", "has", "was", "were",
    "which", "their", "not", "can", "also", "been", "these", "within", "into", "our", "more",
    "such",
})  # fmt: skip
MIN_LANGUAGE_WORDS = 20


class TypeClassifier:
    """Document-type rules of one taxonomy; build once, reuse for every document."""

    def __init__(self, taxonomy: Taxonomy):
        self.matchers: dict[str, KeywordMatcher] = {}
        for doc_type in taxonomy.doc_types.values():
            words = (*doc_type.keywords, *EXTRA_KEYWORDS.get(doc_type.id, ()))
            # Heads only: "handlingsplan" is a plan, but "planarbete" or "programmering" is not.
            self.matchers[doc_type.id] = KeywordMatcher(words, modifiers=False)
        if OTHER not in self.matchers:
            self.matchers[OTHER] = KeywordMatcher(EXTRA_KEYWORDS[OTHER], modifiers=False)

    def scores(
        self,
        title: str,
        text: str,
        pages: Sequence[str] = (),
        metadata: Mapping[str, str] | None = None,
    ) -> dict[str, tuple[float, tuple[str, ...]]]:
        """Score and evidence per type id (only types with evidence); ``pages`` (the page texts of
        a PDF) and ``metadata`` (producer, creator) show slides."""
        text = text[:TYPE_CHARS]
        head_end = _head_end(text)
        text_tokens = tokenize(text)
        article = len(_ATTRIBUTION.findall(text)) >= ARTICLE_QUOTES
        zones = [(tokenize(title), lambda _t: W_TITLE, "rubrik")]
        zones.append((text_tokens, lambda t: _weight(t, head_end, text, article), "text"))
        hits = {
            type_id: [_kept(matcher.hits(tokens), tokens) for tokens, _w, _z in zones]
            for type_id, matcher in self.matchers.items()
        }
        _longest_wins(hits)
        result: dict[str, tuple[float, tuple[str, ...]]] = {}
        slides = _slide_evidence(pages, metadata or {})
        for type_id in self.matchers:
            score, notes = 0.0, []
            for (tokens, weigh, zone), zone_hits in zip(zones, hits[type_id], strict=True):
                for hit in zone_hits:
                    token = tokens[hit.index]
                    if plural_form(token.lower, hit.keyword.lower()):
                        # what the text lists or discusses, not what it is
                        score += W_BODY * hit.weight
                        continue
                    w = weigh(token) * hit.weight
                    if hit.index == 0:  # the first word of the title or of the text
                        w += W_SELF_NAMED
                    score += w
                    if w > W_OPENING:
                        where = zone if zone == "rubrik" else "inledning"
                        note = f"{where}: {tokens[hit.index].text.lower()}"
                        if note not in notes:
                            notes.append(note)
            if type_id == "decision":
                opening = f"{title}\n{text[:OPENING_CHARS]}"
                if _minutes_paragraph(opening):
                    score += W_PARAGRAPH_SIGN
                    notes.append("§ i inledningen")
            # (not in an article: it tells the story of a project)
            said = type_id == "project" and not article and says_title_is_a_project(title, text)
            if said:
                score += W_SAYS_PROJECT
                notes.insert(0, f"inledning: {said}")
            if type_id == "guide" and _addresses_reader(text_tokens):
                score += W_GUIDE_VOICE
                notes.insert(0, "tilltalar läsaren (du, ni)")
            elif type_id == "guide" and not slides and _instructs(text, len(text_tokens)):
                # (slides are bullet points: an imperative there is a talking point)
                score += W_GUIDE_VOICE
                notes.insert(0, "ger instruktioner (Använd, Undvik, Skriv …)")
            if type_id == PRESENTATION:
                for weight, note in slides:
                    score += weight
                    notes.insert(0, note)
            if score:
                result[type_id] = (score, tuple(notes[:4]))
        return result

    def classify(
        self,
        title: str,
        text: str,
        *,
        pages: Sequence[str] = (),
        content_type: str = "",
        metadata: Mapping[str, str] | None = None,
    ) -> Tag:
        """The best document type; "webpage" for an HTML page and "other" for anything else when
        no type has enough evidence.

        Args:
            title: the title.
            text: the text.
            pages: the page texts of a paginated document (PDF), for the shape of slides.
            content_type: the media type ("text/html" makes a page without a type a web page).
            metadata: the file's metadata (producer, creator: presentation software).
        """
        scores = self.scores(title, text, pages, metadata)
        fallback = WEBPAGE if content_type in HTML_TYPES and WEBPAGE in self.matchers else OTHER
        if not scores:
            why = "webbsida utan annan typ" if fallback == WEBPAGE else "ingen typ känns igen"
            return Tag(fallback, "auto", (why,), 0.0)
        best = max(scores, key=lambda k: (scores[k][0], k != OTHER))
        score, notes = scores[best]
        if score < MIN_SCORE:
            why = "webbsida utan annan typ" if fallback == WEBPAGE else "ingen typ säker"
            return Tag(fallback, "auto", (why,), round(score, 2))
        return Tag(best, "auto", notes, round(score, 2))


def _kept(found: list[Hit], tokens: list[Token]) -> list[Hit]:
    """The hits that name a document's kind: not a speaker's role after "säger"."""
    return [h for h in found if not (h.index and tokens[h.index - 1].lower in _SAYS)]


def _longest_wins(hits: dict[str, list[list[Hit]]]) -> None:
    """At one word the longest keyword of any type wins: "projektplan" is a project plan, not a
    plan; "tidplan" belongs to a project (in place)."""
    zones = len(next(iter(hits.values()), []))
    for zone in range(zones):
        longest: dict[int, int] = {}
        for per_zone in hits.values():
            for h in per_zone[zone]:
                longest[h.index] = max(longest.get(h.index, 0), len(h.keyword))
        for per_zone in hits.values():
            per_zone[zone] = [h for h in per_zone[zone] if len(h.keyword) >= longest[h.index]]


def _slide_evidence(pages: Sequence[str], metadata: Mapping[str, str]) -> list[tuple[float, str]]:
    """Weights and notes that say a PDF is slides: presentation software, many short pages."""
    found: list[tuple[float, str]] = []
    for key in ("creator", "producer", "application"):
        value = metadata.get(key, "")
        if _SLIDE_SOFTWARE.search(value):
            found.append((W_SLIDE_SOFTWARE, f"skapad i {value[:40]}"))
            break
    if SLIDE_MIN_PAGES <= len(pages) <= SLIDE_MAX_PAGES:
        median = statistics.median(len(p.split()) for p in pages)
        if median <= SLIDE_MAX_WORDS:
            found.append((W_SLIDE_SHAPE, f"{len(pages)} sidor, i median {median:.0f} ord per sida"))
    return found


def _minutes_paragraph(opening: str) -> bool:
    """A minutes' paragraph sign: "§ 12" opening a line or in a heading ("Protokoll §§ 90-92"),
    not a law cited in a sentence ("... sker enligt § 6 LVU")."""
    for m in _PARAGRAPH.finditer(opening):
        start = opening.rfind("\n", 0, m.start()) + 1
        if not opening[start : m.start()].strip("§ \t") or _line_length(opening, m.start()) <= (
            HEAD_LINE_CHARS
        ):
            return True
    return False


def _instructs(text: str, words: int) -> bool:
    """Sentences that open with an instruction ("Använd ...", "Undvik ...", "Skriv ...") at least
    ``MIN_INSTRUCTIONS`` times and ``INSTRUCTIONS_PER_1000`` per thousand words."""
    found = len(_INSTRUCTION.findall(text))
    return found >= MIN_INSTRUCTIONS and found * 1000 >= INSTRUCTIONS_PER_1000 * max(words, 1)


def _addresses_reader(tokens: list[Token]) -> bool:
    """Whether ``GUIDE_VOICE_SHARE`` of the words speak to the reader ("du", "ni", "din")."""
    if len(tokens) < 50:
        return False
    return sum(t.lower in _YOU for t in tokens) >= GUIDE_VOICE_SHARE * len(tokens)


def _line_length(text: str, offset: int) -> int:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return (end if end >= 0 else len(text)) - start


def _head_end(text: str) -> int:
    """Offset just after the first ``HEAD_LINES`` non-empty lines."""
    seen, offset = 0, 0
    for line in text.splitlines(keepends=True):
        offset += len(line)
        if line.strip():
            seen += 1
            if seen == HEAD_LINES:
                break
    return offset


def _weight(token: Token, head_end: int, text: str, article: bool = False) -> float:
    if token.start < head_end and _heading_like(text, token.start, article):
        return W_HEAD
    if article:  # a story's opening: only its headings and the title name its kind
        return W_BODY
    if token.start < OPENING_CHARS and _opens_paragraph(text, token.start):
        return W_PARAGRAPH_OPENER  # "Regeringen beviljar SKR ..." opens the first paragraph
    return W_OPENING if token.start < OPENING_CHARS else W_BODY


def _heading_like(text: str, offset: int, article: bool) -> bool:
    """The line at ``offset`` can be a heading or a letterhead: short and not a quotation; in an
    article also not a sentence (words ending in a full stop: "Planen togs fram av parterna.")."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    line = text[start : end if end >= 0 else len(text)].strip()
    if len(line) > HEAD_LINE_CHARS or _QUOTE_LINE.match(line):
        return False
    sentence = line.endswith((".", "!", "?")) and len(line.split()) >= SENTENCE_WORDS
    return not (article and sentence)


def _opens_paragraph(text: str, offset: int) -> bool:
    """The word is the first of a paragraph (after a blank line or at the start)."""
    before = text[:offset].rstrip(" \t")
    return not before or before.endswith("\n\n")


def detect_language(text: str, declared: str | None = None) -> str:
    """ISO 639-1 code: "sv" or "en" from stop words; the declared language breaks ties and wins
    for texts too short to judge. Defaults to "sv"."""
    hint = (declared or "").strip().lower()[:2] or None
    words = [t.lower for t in tokenize(text[:20000])]
    sv = sum(w in SV_STOPWORDS for w in words)
    en = sum(w in EN_STOPWORDS for w in words)
    if sv + en < MIN_LANGUAGE_WORDS * 0.2 or len(words) < MIN_LANGUAGE_WORDS:
        return hint or "sv"
    if en > 1.5 * sv:
        return "en"
    if sv > 1.5 * en:
        return "sv"
    return hint or "sv"
