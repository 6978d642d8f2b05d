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
from dataclasses import dataclass, replace
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
    expander = _Expander(expansions, analyze, typed)
    nodes = list(root.must)
    i = 0
    while i < len(nodes):
        found = expander.rule_at(nodes, i)
        if found is None:
            expander.add_clause(nodes[i])
            i += 1
        else:
            expander.add_rule(found)
            i += len(found.texts)
    return AllOf(tuple(expander.must), root.must_not), tuple(expander.used)


@dataclass(frozen=True)
class _RuleMatch:
    """Query words, as typed, that a thesaurus entry names: their terms and what they expand to."""

    texts: tuple[str, ...]
    key: tuple[str, ...]
    targets: tuple[str, ...]


class _Expander:
    """One query's expansion as it is built: the clauses so far, each with the thesaurus entries
    it searches (a later word or rule naming one of them joins that clause), and the entries
    searched as well, for the page to show."""

    def __init__(
        self, expansions: Expansions, analyze: Callable[[str], list[str]], typed: list[str]
    ) -> None:
        self.expansions = expansions
        self.folded = _folded(expansions)
        self.analyze = analyze
        self.key_of = partial(_entry_key, analyze)
        self.typed = typed  # the terms of the query's plain words
        self.must: list[Node] = []
        self.keys: list[set[tuple[str, ...]]] = []  # per clause: the entries it already searches
        self.used: list[str] = []

    def rule_at(self, nodes: list[Node], i: int) -> _RuleMatch | None:
        """The longest run of plain words from ``nodes[i]`` that a rule names, or None."""
        for span in range(min(MAX_SPAN, len(nodes) - i), 0, -1):
            words = nodes[i : i + span]
            if not all(isinstance(n, Word) for n in words):
                continue
            texts = tuple(n.text for n in words if isinstance(n, Word))
            if not (self.analyze(texts[0]) and self.analyze(texts[-1])):
                continue  # a stop word at either end belongs to the next clause ("e-tjänst för")
            key = tuple(t for w in texts for t in self.analyze(w))
            targets = _targets(key, self.expansions, self.folded)
            if targets:
                return _RuleMatch(texts, key, targets)
        return None

    def add_clause(self, node: Node) -> None:
        """``node``, which no rule names, as a clause: an OR group widened word by word, an
        e-word with its joined spelling; nothing when an earlier clause searches the word."""
        if isinstance(node, AnyOf):
            # "gdpr OR kärnkraft": each plain word of an OR group is widened as a word typed
            # alone would be (quoted phrases and prefixes stay as written).
            node = self.widen_or(node)
        key = self.key_of(node.text) if isinstance(node, Word) else ()
        if key and self._clause_with({key}) is not None:
            return
        joined = joined_spelling(key)
        if joined and isinstance(node, Word):
            node = AnyOf((node, Word(joined)), typed=node.text)
        self.must.append(node)
        self.keys.append({key, self.key_of(joined)} if joined else {key} if key else set())

    def add_rule(self, found: _RuleMatch) -> None:
        """The words ``found`` names and their entries as one OR group, or added to the earlier
        clause that already searches one of the entries."""
        texts, key = found.texts, found.key
        words = tuple(Word(w) for w in texts)
        original: Node = words[0] if len(words) == 1 else AllOf(words, concept=True)
        entries = [(key, original), *((self.key_of(t), _entry_node(t)) for t in found.targets)]
        joined = joined_spelling(key)
        if joined and spelling(key) not in {spelling(k) for k, _ in entries[1:]}:
            entries.insert(1, (self.key_of(joined), Word(joined)))  # as "e-arkiv, earkiv" does
        entry_keys = {k for k, _ in entries}
        same = self._clause_with(entry_keys)
        if same is None:
            self.must.append(AnyOf(tuple(n for _, n in entries), typed=" ".join(texts)))
            self.keys.append(entry_keys)
        else:
            earlier = self.must[same]
            kids = list(earlier.children) if isinstance(earlier, AnyOf) else [earlier]
            kids += [n for k, n in entries if k not in self.keys[same]]
            self.must[same] = AnyOf(tuple(kids), typed=f"{describe(earlier)} {' '.join(texts)}")
            self.keys[same] |= entry_keys
        used = self.used
        used.extend(
            t for t in found.targets if t not in used and not _typed(self.key_of(t), self.typed)
        )

    def widen_or(self, group: AnyOf) -> AnyOf:
        """``group`` with each plain word's synonyms beside it; ``used`` gets the added entries."""
        key_of, used = self.key_of, self.used
        kids: list[Node] = []
        words = {tuple(key_of(c.text)) for c in group.children if isinstance(c, Word)}
        for child in group.children:
            kids.append(child)
            if not isinstance(child, Word):
                continue
            key = key_of(child.text)
            targets = _targets(key, self.expansions, self.folded)
            joined = joined_spelling(key)
            spelled = {spelling(key_of(t)) for t in targets}
            if joined and key_of(joined) not in words and spelling(key) not in spelled:
                # The joined spelling, as a typed e-word has it ("e-faktura OR x" finds efaktura).
                kids.append(Word(joined))
            for target in targets:
                kids.append(_entry_node(target))
                # The group's own word is typed too ("e-arkiv OR bygglov": earkiv is not "also").
                typed_here = _typed(key_of(target), self.typed) or _typed(key_of(target), list(key))
                if target not in used and not typed_here:
                    used.append(target)
        if len(kids) == len(group.children):
            return group
        return AnyOf(tuple(kids), typed=describe(group))

    def _clause_with(self, wanted: set[tuple[str, ...]]) -> int | None:
        """The first clause that already searches one of the ``wanted`` entries."""
        for n, have in enumerate(self.keys):
            if have & wanted:
                return n
        return None


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
