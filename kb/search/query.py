"""The query language of the search box, parsed into a small tree.

Plain words must all match; "a phrase" matches words in order; OR (or |) between two clauses makes
either enough; -word or -"a phrase" excludes; word* matches by prefix; parentheses group. A query
the parser cannot read (an unclosed quote or bracket, a lone operator) is never an error: it falls
back to its plain words and the result says so (``ParsedQuery.fallback``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Tokens: quoted phrase, brackets, operators, then any run of other non-space characters.
_TOKEN = re.compile(r'"(?P<phrase>[^"]*)"|(?P<open>\()|(?P<close>\))|(?P<word>[^\s()"]+)')
_PLAIN_WORD = re.compile(r"[\w][\w\-:'’.]*", re.UNICODE)
MAX_CLAUSES = 32
_OPERATORS = frozenset({"OR", "AND", "NOT"})
_HYPHEN_MAP = str.maketrans(
    {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-", "\u00ad": None}
)


@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Prefix:
    text: str


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]


@dataclass(frozen=True)
class AnyOf:
    """At least one of the children must match (OR)."""

    children: tuple[Node, ...]
    # The words as the user typed them, when the group is the thesaurus's and not the user's
    # ("tjänstedesign" for tjänstedesign OR "service design"): what a hit that lacks it names.
    typed: str = field(default="", compare=False)


@dataclass(frozen=True)
class AllOf:
    """Every ``must`` child matches and no ``must_not`` child does (AND / NOT)."""

    must: tuple[Node, ...]
    must_not: tuple[Node, ...] = ()
    # Its words name one concept (a typed multi-word thesaurus entry, words a preposition links):
    # scored as one word weighs (kb.search.scoring), not as the sum of its words.
    concept: bool = field(default=False, compare=False)


Node = Word | Prefix | Phrase | AnyOf | AllOf


@dataclass(frozen=True)
class ParsedQuery:
    root: AllOf
    fallback: bool = False
    words: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not self.root.must

    @property
    def excludes_only(self) -> bool:
        """Nothing to find, only words to leave out: a browse without those documents."""
        return not self.root.must and bool(self.root.must_not)


class _SyntaxProblem(Exception):
    pass


def parse(text: str) -> ParsedQuery:
    """Parse the search-box text; never raises."""
    # Pasted text carries typographic and soft hyphens (e‑tjänst): read them as the index does.
    text = text.translate(_HYPHEN_MAP).strip()
    if not text:
        return ParsedQuery(AllOf(()))
    try:
        tokens = _tokens(text)
        root, rest = _parse_sequence(tokens, 0, depth=0)
        if rest != len(tokens):
            raise _SyntaxProblem("unbalanced )")
        if not root.must and not root.must_not:
            raise _SyntaxProblem("no words")
        # Only exclusions ("-bygglov"): every document without them (ParsedQuery.excludes_only).
        return ParsedQuery(root, False, tuple(_plain_words(text)))
    except _SyntaxProblem:
        words = _plain_words(text)
        return ParsedQuery(AllOf(tuple(Word(w) for w in words)), True, tuple(words))


def _plain_words(text: str) -> list[str]:
    words = (m.group(0).strip(".:'’") for m in _PLAIN_WORD.finditer(text))
    return [w for w in words if w not in _OPERATORS][:MAX_CLAUSES]


def _tokens(text: str) -> list[tuple[str, str]]:
    if text.count('"') % 2:
        raise _SyntaxProblem("unclosed quote")
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if text[pos : m.start()].strip():
            raise _SyntaxProblem("stray characters")
        pos = m.end()
        kind = m.lastgroup or "word"
        # A leading minus glued to a phrase or bracket: `-"foo bar"` or `-(a OR b)`.
        if out and out[-1] == ("word", "-") and text[m.start() - 1] == "-":
            out[-1] = ("not", "-")
        out.append((kind, m.group(kind) if kind in ("phrase", "word") else kind))
    if len(out) > 4 * MAX_CLAUSES:
        raise _SyntaxProblem("too long")
    return out


def _parse_sequence(tokens: list[tuple[str, str]], i: int, depth: int) -> tuple[AllOf, int]:
    if depth > 8:
        raise _SyntaxProblem("nested too deep")
    must: list[Node] = []
    must_not: list[Node] = []
    pending_or = False
    while i < len(tokens):
        kind, value = tokens[i]
        if kind == "close":
            break
        if kind == "word" and value in ("OR", "|"):
            if not must or pending_or:
                raise _SyntaxProblem("OR without a left side")
            pending_or = True
            i += 1
            continue
        if kind == "word" and value in ("AND", "&&", "+"):
            i += 1
            continue
        negate = False
        if kind == "not" or (kind == "word" and value in ("NOT", "-")):
            negate = True
            i += 1
            if i >= len(tokens):
                raise _SyntaxProblem("exclusion without a word")
            kind, value = tokens[i]
        elif kind == "word" and value.startswith("-") and len(value) > 1:
            negate, value = True, value[1:]
        node, i = _parse_atom(tokens, i, kind, value, depth)
        if node is None:
            continue
        if negate:
            if pending_or:
                raise _SyntaxProblem("OR with an exclusion")
            must_not.append(node)
        elif pending_or:
            left = must.pop()
            kids = (*left.children, node) if isinstance(left, AnyOf) else (left, node)
            must.append(AnyOf(kids))
            pending_or = False
        else:
            must.append(node)
    if pending_or:
        raise _SyntaxProblem("OR without a right side")
    return AllOf(tuple(must[:MAX_CLAUSES]), tuple(must_not[:MAX_CLAUSES])), i


def _parse_atom(
    tokens: list[tuple[str, str]], i: int, kind: str, value: str, depth: int
) -> tuple[Node | None, int]:
    if kind == "open":
        inner, j = _parse_sequence(tokens, i + 1, depth + 1)
        if j >= len(tokens) or tokens[j][0] != "close":
            raise _SyntaxProblem("unclosed (")
        if not inner.must:
            return None, j + 1
        only = inner.must[0] if len(inner.must) == 1 and not inner.must_not else inner
        return only, j + 1
    if kind == "close":
        raise _SyntaxProblem("unexpected )")
    if kind == "phrase":
        phrase = tuple(_plain_words(value))
        if not phrase:
            return None, i + 1
        # One quoted word stays a phrase: quotes ask for the word as written, so the thesaurus
        # does not widen it (a Word "gdpr" also searched dataskyddsförordningen).
        return Phrase(phrase), i + 1
    if value.endswith("*") and len(value.rstrip("*")) >= 2:
        return Prefix(value.rstrip("*")), i + 1
    words = _plain_words(value)
    if not words:
        return None, i + 1
    if len(words) == 1:
        return Word(words[0]), i + 1
    return AllOf(tuple(Word(w) for w in words)), i + 1


def describe(node: Node) -> str:
    """The clause as a user would type it (for "Träffar som saknar: ...")."""
    if isinstance(node, Word):
        return node.text
    if isinstance(node, Prefix):
        return f"{node.text}*"
    if isinstance(node, Phrase):
        return '"' + " ".join(node.words) + '"'
    if isinstance(node, AnyOf):
        return node.typed or " OR ".join(describe(c) for c in node.children)
    inner = " ".join(
        f"({describe(c)})"
        if isinstance(c, AnyOf) and not c.typed and len(node.must) > 1
        else describe(c)
        for c in node.must
    )
    return f"({inner})" if len(node.must) > 1 else inner


def describe_excluded(node: Node) -> str:
    """An exclusion as typed: "-gdpr" (a word the thesaurus widened reads as typed), an OR group
    in brackets ("-(gdpr OR dataskydd)"), which without them would exclude its first word only."""
    text = describe(node)
    return f"-({text})" if isinstance(node, AnyOf) and " " in text else f"-{text}"
