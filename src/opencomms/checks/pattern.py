"""pattern: spaCy ``Matcher`` token patterns or ``DependencyMatcher`` patterns, written in YAML.

``patterns`` is a list of token patterns (each a list of token dicts, as in spaCy's Matcher);
``dependency_patterns`` a list of DependencyMatcher patterns. The finding covers the matched tokens
(``report`` may name the DependencyMatcher node ids to cover instead). With ``once: true`` the same text
(ignoring case) is reported only where it first occurs in the document; with ``skip_tables: true`` nothing on a
line with ' | ' (a table row or glossary entry) is reported, with ``skip_law: true`` nothing in quoted law or a
contract clause (``base.in_quoted_law``), with ``skip_quotes: true`` nothing inside a quotation. Placeholders: ``{match}``.

Patterns may test ``_: {oc_main_clause: true}``: the token heads the main clause of its sentence (or a clause
joined to it with 'en'/'maar'), which has no subordinator ('dat', 'als', 'of'), relative or question word
('die', 'waarin', 'welke') and is not a question.

Patterns are matched on the Doc's token columns by :mod:`opencomms.checks.treematch` (far cheaper than spaCy's
matchers on short texts, with the same matches); a pattern it does not cover (one with ``OP``, say) is matched
by spaCy's ``Matcher`` or ``DependencyMatcher``.
"""

from __future__ import annotations

from spacy.matcher import DependencyMatcher, Matcher
from spacy.strings import get_string_id
from spacy.tokens import Token
from spacy.vocab import Vocab

from opencomms.checks.base import Hit, skipped, text_of
from opencomms.checks.treematch import Tree

_PATTERN = {"type": "array", "items": {"type": "array", "items": {"type": "object"}, "minItems": 1}, "minItems": 1}
FIELDS = {
    "patterns": _PATTERN,
    "dependency_patterns": _PATTERN,
    "report": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    "once": {"type": "boolean"},
    "skip_tables": {"type": "boolean"},
    "skip_law": {"type": "boolean"},
    "skip_quotes": {"type": "boolean"},
}
REQUIRED: list[str] = []
VARS: set[str] = set()

_CLAUSE_BREAKS = {",", ";", ":", "(", ")", "–", "—"}
_SUBORDINATORS = {"of", "dat", "die", "wat", "omdat", "zodat", "als", "wanneer", "indien", "nadat", "voordat",
                  "zodra", "terwijl", "hoe", "waarin", "waarmee", "waarop", "waarbij", "waarvoor", "waardoor",
                  "waarna", "waaraan", "waarover", "waar", "wie", "welk", "welke", "opdat", "mits", "tenzij", "totdat"}


def _main_clause(token) -> bool:
    head = token
    while head.dep_ == "conj" and head.head is not head:
        head = head.head
    if head.dep_ not in ("ROOT", "parataxis"):
        return False
    for word in (*token.children, *head.children):
        if word.dep_ == "mark" or word.i < head.i and set(word.morph.get("PronType")) & {"Rel", "Int"}:
            return False
    words = [t for t in head.sent if not (t.is_space or t.is_punct and t.text != "?")]
    if words and (set(words[0].morph.get("PronType")) & {"Rel", "Int"} or words[-1].text == "?"):
        return False
    # a subordinator between the last comma and the token: the parse does not always mark it ('Kijk of het
    # formulier kan worden verstuurd'); a determiner ('die gegevens') or a sentence-initial 'dat'/'die'/'wat' is a
    # demonstrative, but 'welke' as a determiner starts an indirect question ('op welk moment welke hop ...')
    for word in reversed(token.doc[token.sent.start:token.i]):
        if word.text in _CLAUSE_BREAKS:
            break
        demonstrative = word.dep_ == "det" and word.lower_ not in ("welk", "welke") or (
            words and word.i == words[0].i and word.lower_ in ("dat", "die", "wat"))
        if word.lower_ in _SUBORDINATORS and word.dep_ != "case" and not demonstrative:
            return False
    return True


if not Token.has_extension("oc_main_clause"):
    Token.set_extension("oc_main_clause", getter=_main_clause)

_ATTR_NEEDS = {"POS": "pos", "TAG": "pos", "MORPH": "morph", "DEP": "dep", "LEMMA": "lemma", "ENT_TYPE": "ents",
               "ENT_IOB": "ents", "SENT_START": None, "IS_SENT_START": None}


def _needs(patterns) -> set[str]:
    found = set()

    def walk(obj):
        if isinstance(obj, dict):
            for key, value in obj.items():
                need = _ATTR_NEEDS.get(str(key).upper())
                if need:
                    found.add(need)
                if key == "REL_OP" and value not in (".", ";", ".*", ";*"):
                    found.add("dep")
                walk(value)
        elif isinstance(obj, list):
            for item in obj:
                walk(item)

    walk(patterns)
    return found


class Check:
    def __init__(self, spec: dict, ctx):
        self.spec = spec
        self.patterns = spec.get("patterns", [])
        self.dep_patterns = spec.get("dependency_patterns", [])
        if not self.patterns and not self.dep_patterns:
            raise ctx.error(spec, [], "needs patterns or dependency_patterns")
        self.report = set(spec.get("report", ()))
        self.once = spec.get("once", False)
        self.skip_tables = spec.get("skip_tables", False)
        self.skip_law = spec.get("skip_law", False)
        self.skip_quotes = spec.get("skip_quotes", False)
        self.needs = _needs(self.patterns) | _needs(self.dep_patterns)
        if self.dep_patterns:
            self.needs.add("dep")
        self.scope = spec["scope"]
        # matched on the token columns where treematch covers the pattern (all bundled rules), else by spaCy
        self._trees = [Tree.from_tokens(p) for p in self.patterns] + [Tree.build(p) for p in self.dep_patterns]
        self._build(Vocab(), ctx, spec)  # validate with spaCy's own checks, on a scratch vocabulary
        self._matchers: dict[int, tuple] = {}
        # match keys ('p0', 'd0', …) by hash, not through the vocabulary: a matcher built inside a memory
        # zone has its key strings removed when the zone closes
        self._keys = {get_string_id(f"{kind}{i}"): i for kind, n in (("p", len(self.patterns)),
                      ("d", len(self.dep_patterns))) for i in range(n)}

    def _build(self, vocab, ctx=None, spec=None):
        """spaCy's matchers for the patterns treematch does not cover (with ``ctx``: validate all of them)."""
        matcher = Matcher(vocab, validate=True)
        dep = DependencyMatcher(vocab, validate=True)
        offset = len(self.patterns)
        try:
            for i, pattern in enumerate(self.patterns):
                if ctx is not None or self._trees[i] is None:
                    matcher.add(f"p{i}", [pattern])
            for i, pattern in enumerate(self.dep_patterns):
                if ctx is not None or self._trees[offset + i] is None:
                    dep.add(f"d{i}", [pattern])
        except Exception as exc:  # spaCy raises ValueError/KeyError with long texts
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            if ctx is not None:
                raise ctx.error(spec, ["patterns" if self.patterns else "dependency_patterns"], f"invalid pattern: {message}")
            raise
        return matcher, dep

    def spans(self, doc) -> set[tuple[int, int]]:
        """Character ranges of every match (before overlaps, ``once`` and the skip options are applied)."""
        found = []  # (pattern number, token indices per node)
        for i, tree in enumerate(self._trees):
            if tree is not None:
                found += [(i, ids) for ids in tree.matches(doc)]
        if None in self._trees:
            key = id(doc.vocab)
            if key not in self._matchers:
                self._matchers[key] = self._build(doc.vocab)
            matcher, dep = self._matchers[key]
            if len(matcher):
                found += [(self._keys[match_id], range(s, e)) for match_id, s, e in matcher(doc)]
            if len(dep):
                found += [(len(self.patterns) + self._keys[match_id], ids) for match_id, ids in dep(doc)]
        spans = set()
        for i, ids in found:
            if i >= len(self.patterns) and self.report:
                pattern = self.dep_patterns[i - len(self.patterns)]
                ids = [t for node, t in zip(pattern, ids) if node["RIGHT_ID"] in self.report]
            first, last = doc[min(ids)], doc[max(ids)]
            spans.add((first.idx, last.idx + len(last.text)))
        return spans

    def run(self, doc):
        last_end = -1
        seen: set[str] = set()
        for start, end in sorted(self.spans(doc), key=lambda p: (p[0], -p[1])):
            if start < last_end:  # overlaps a span already reported
                continue
            match = text_of(doc)[start:end]
            if skipped(doc, start, self.skip_tables, self.skip_quotes, self.skip_law):
                continue
            if self.once:
                if match.lower() in seen:
                    continue
                seen.add(match.lower())
            last_end = end
            yield Hit(start, end, {"match": match})
