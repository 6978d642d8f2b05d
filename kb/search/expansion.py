"""Thesaurus expansion of a parsed query (the rules of kb.search.thesaurus, applied to its tree).

Query words and word sequences that a rule names become OR groups with their synonyms; the plain
words of an OR group are widened alike. A hyphenated e-word (e-tjänst) is searched joined as well
(etjänst), and a word typed joined uses the rule of its hyphenated spelling: one word, two
spellings, the same documents. What was searched as well is returned for the page to show
("Sökte även på"). An excluded word is widened to its synonym group, and what that leaves out as
well is shown too ("Uteslöt även"). Matching (kb.search.matching) then scores the widened tree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

from kb.analysis.lexicon import fold
from kb.search.query import AllOf, AnyOf, Node, ParsedQuery, Phrase, Word, describe

MAX_SPAN = 5  # words in one thesaurus entry at most

Expansions = dict[tuple[str, ...], tuple[str, ...]]


def expand(
    root: AllOf, expansions: Expansions, analyze: Callable[[str], list[str]]
) -> tuple[AllOf, tuple[str, ...]]:
    """Replace words and word sequences that a thesaurus rule names by OR groups.

    Query words that the thesaurus makes one concept ("AI artificiell intelligens", "SITHS
    e-legitimation" with siths => e-legitimation) become one clause: a document need not say
    both names of the same thing to be a full match.
    """
    typed = [t for n in root.must if isinstance(n, Word) for t in analyze(n.text)]
    if not expansions and not any(joined_spelling(t) for t in typed + _or_words(root, analyze)):
        return root, ()
    folded = _folded(expansions)

    key_of = partial(_entry_key, analyze)

    must: list[Node] = []
    keys: list[set[tuple[str, ...]]] = []  # per clause: the entries it already searches
    used: list[str] = []
    nodes = list(root.must)
    i = 0
    while i < len(nodes):
        found = None
        for span in range(min(MAX_SPAN, len(nodes) - i), 0, -1):
            words = nodes[i : i + span]
            if not all(isinstance(n, Word) for n in words):
                continue
            texts = [n.text for n in words if isinstance(n, Word)]
            if not (analyze(texts[0]) and analyze(texts[-1])):
                continue  # a stop word at either end belongs to the next clause ("e-tjänst för")
            key = tuple(t for w in texts for t in analyze(w))
            targets = _targets(key, expansions, folded)
            if targets:
                found = (span, texts, key, targets)
                break
        if found is None:
            node = nodes[i]
            if isinstance(node, AnyOf):
                # "gdpr OR kärnkraft": each plain word of an OR group is widened as a word typed
                # alone would be (quoted phrases and prefixes stay as written).
                node = _widen_or(node, expansions, folded, key_of, used, typed)
            key = key_of(node.text) if isinstance(node, Word) else ()
            same = _clause_with(keys, {key}) if key else None
            if same is None:
                joined = joined_spelling(key)
                if joined and isinstance(node, Word):
                    node = AnyOf((node, Word(joined)), typed=node.text)
                must.append(node)
                keys.append({key, key_of(joined)} if joined else {key} if key else set())
            i += 1
            continue
        span, texts, key, targets = found
        original: Node = (
            Word(texts[0]) if span == 1 else AllOf(tuple(Word(w) for w in texts), concept=True)
        )
        entries = [(key, original), *((key_of(t), _entry_node(t)) for t in targets)]
        joined = joined_spelling(key)
        if joined and spelling(key) not in {spelling(k) for k, _ in entries[1:]}:
            entries.insert(1, (key_of(joined), Word(joined)))  # as "e-arkiv, earkiv" does
        same = _clause_with(keys, {k for k, _ in entries})
        if same is None:
            must.append(AnyOf(tuple(n for _, n in entries), typed=" ".join(texts)))
            keys.append({k for k, _ in entries})
        else:
            earlier = must[same]
            kids = list(earlier.children) if isinstance(earlier, AnyOf) else [earlier]
            kids += [n for k, n in entries if k not in keys[same]]
            must[same] = AnyOf(tuple(kids), typed=f"{describe(earlier)} {' '.join(texts)}")
            keys[same] |= {k for k, _ in entries}
        used.extend(t for t in targets if t not in used and not _typed(key_of(t), typed))
        i += span
    return AllOf(tuple(must), root.must_not), tuple(used)


def _targets(key: tuple[str, ...], expansions: Expansions, folded: Expansions) -> tuple[str, ...]:
    """The thesaurus entries the terms ``key`` expand to (none: ``()``)."""
    if not key:
        return ()
    targets = expansions.get(key)
    if not targets and all(t.isascii() for t in key):
        # Typed without å, ä, ö ("oppna data", "valfardsteknik"): the folded entry.
        targets = folded.get(key)
    if not targets:
        # Typed without its hyphen ("etjänst", "earkiv" for e-tjänst, e-arkiv): the entry of that
        # spelling, so both spellings search the same synonyms.
        targets = folded.get(spelling(key))
    return targets or ()


def joined_spelling(key: tuple[str, ...] | str) -> str:
    """The joined spelling of a hyphenated e-word (e-tjänst -> etjänst), else "".

    The index holds a short prefix's word joined as well (docs/analysis.md), so etjänst finds
    the documents that write e-tjänst and those that write etjänst, while e-tjänst found only
    the first: the typed e-word searches its joined spelling too, as a thesaurus line naming
    both does ("e-arkiv, earkiv"), and the page does not name it as "also searched".
    """
    terms = (key,) if isinstance(key, str) else key
    if len(terms) != 1:
        return ""
    head, _, rest = terms[0].partition("-")
    return f"e{rest}" if head == "e" and rest and "-" not in rest else ""


def spelling(key: tuple[str, ...]) -> tuple[str, ...]:
    """``key`` with hyphens dropped and å, ä, ö folded: two spellings of one word (e-arkiv,
    earkiv, E-arkiv) have one spelling key."""
    return tuple(fold(t.replace("-", "")) for t in key)


def _widen_or(
    group: AnyOf,
    expansions: Expansions,
    folded: Expansions,
    key_of: Callable[[str], tuple[str, ...]],
    used: list[str],
    typed: list[str],
) -> AnyOf:
    """``group`` with each plain word's synonyms beside it; ``used`` gets the added entries."""
    kids: list[Node] = []
    words = {tuple(key_of(c.text)) for c in group.children if isinstance(c, Word)}
    for child in group.children:
        kids.append(child)
        if not isinstance(child, Word):
            continue
        key = key_of(child.text)
        targets = _targets(key, expansions, folded)
        joined = joined_spelling(key)
        spelled = {spelling(key_of(t)) for t in targets}
        if joined and key_of(joined) not in words and spelling(key) not in spelled:
            # The joined spelling, as a typed e-word has it ("e-faktura OR x" finds efaktura).
            kids.append(Word(joined))
        for target in targets:
            kids.append(_entry_node(target))
            # The group's own word is typed too ("e-arkiv OR bygglov": earkiv is not "also").
            typed_here = _typed(key_of(target), typed) or _typed(key_of(target), list(key))
            if target not in used and not typed_here:
                used.append(target)
    if len(kids) == len(group.children):
        return group
    return AnyOf(tuple(kids), typed=describe(group))


def _or_words(root: AllOf, analyze: Callable[[str], list[str]]) -> list[str]:
    """The terms of the plain words of the query's OR groups."""
    return [
        t
        for n in root.must
        if isinstance(n, AnyOf)
        for c in n.children
        if isinstance(c, Word)
        for t in analyze(c.text)
    ]


_FOLDED: dict[int, tuple[Expansions, Expansions]] = {}


def _folded(expansions: Expansions) -> Expansions:
    """The expansions keyed by their entries' terms with å, ä, ö folded, and by their spelling
    keys (one table per thesaurus version; the first entry wins where two fold alike)."""
    cached = _FOLDED.get(id(expansions))
    if cached is not None and cached[0] is expansions:
        return cached[1]
    table: Expansions = {}
    for key, targets in expansions.items():
        table.setdefault(tuple(fold(t) for t in key), targets)
    for key, targets in expansions.items():  # after: an entry as written wins over a joined one
        table.setdefault(spelling(key), targets)
    _FOLDED.clear()
    _FOLDED[id(expansions)] = (expansions, table)
    return table


def _typed(key: tuple[str, ...], typed: list[str]) -> bool:
    """Whether the query's words hold ``key`` in order, in any spelling (then it is not "also
    searched": "earkiv" is what was typed as "e-arkiv", not a synonym of it)."""
    n = len(key)
    want = spelling(key)
    written = spelling(tuple(typed))
    return any(written[i : i + n] == want for i in range(len(written) - n + 1))


def _clause_with(keys: list[set[tuple[str, ...]]], wanted: set[tuple[str, ...]]) -> int | None:
    """The first clause that already searches one of the ``wanted`` entries."""
    for n, have in enumerate(keys):
        if have & wanted:
            return n
    return None


def _entry_key(analyze: Callable[[str], list[str]], text: str) -> tuple[str, ...]:
    """The index terms of ``text``'s words, in order: how a thesaurus entry is keyed."""
    return tuple(t for w in text.split() for t in analyze(w))


def _entry_node(entry: str) -> Node:
    words = tuple(entry.split())
    return Word(words[0]) if len(words) == 1 else Phrase(words)


def widen_exclusions(
    parsed: ParsedQuery, expansions: Expansions, analyze: Callable[[str], list[str]]
) -> tuple[ParsedQuery, tuple[str, ...]]:
    """Widen each excluded word (``-gdpr``) to the other entries of its synonym group.

    Only a group's entries, which find each other, are excluded with it: a one-way rule's target
    is often the wider subject (``gdpr => dataskydd``), and leaving out every document on it would
    drop more than the user asked to. Quoted phrases and prefixes stay as written, as in the words
    to find. Returns the query and the entries it now excludes as well ("Uteslöt även"), less
    those the user excluded too.
    """
    root = parsed.root
    if not expansions or not root.must_not:
        return parsed, ()
    folded = _folded(expansions)

    key_of = partial(_entry_key, analyze)

    def folded_key(text: str) -> tuple[str, ...]:
        return tuple(fold(t) for t in key_of(text))

    typed = [t for n in root.must_not if isinstance(n, Word) for t in analyze(n.text)]
    used: list[str] = []

    def synonyms(word: Word) -> list[Node]:
        own = folded_key(word.text)
        found: list[Node] = []
        for target in _targets(key_of(word.text), expansions, folded):
            back = _targets(key_of(target), expansions, folded)
            if not any(folded_key(b) == own for b in back):
                continue  # one way only: not the same thing under another name
            found.append(_entry_node(target))
            if target not in used and not _typed(key_of(target), typed):
                used.append(target)
        return found

    must_not: list[Node] = []
    for child in root.must_not:
        if isinstance(child, Word | AnyOf):
            kids = child.children if isinstance(child, AnyOf) else (child,)
            wide = [k for c in kids for k in (c, *(synonyms(c) if isinstance(c, Word) else ()))]
            if len(wide) > len(kids):
                child = AnyOf(tuple(wide), typed=describe(child))
        must_not.append(child)
    return replace(parsed, root=AllOf(root.must, tuple(must_not))), tuple(used)
