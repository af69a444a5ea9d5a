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
"""

from __future__ import annotations

import numpy
from spacy.attrs import DEP, LEMMA, LOWER, ORTH, TAG
from spacy.matcher import DependencyMatcher, Matcher
from spacy.strings import get_string_id
from spacy.tokens import Token
from spacy.vocab import Vocab

from opencomms.checks.base import Hit, skipped, text_of

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


# Token attributes whose exact values a pattern may require (all stored as string hashes in the Doc).
_EXACT = {"DEP": DEP, "LEMMA": LEMMA, "LOWER": LOWER, "TAG": TAG, "ORTH": ORTH, "TEXT": ORTH}


def _required(pattern: list[dict]) -> tuple[tuple[str, frozenset], ...]:
    """(attribute, hashes of the allowed values) that some token of the Doc must have for the pattern to match."""
    out = []
    for node in pattern:
        for attr, value in node.get("RIGHT_ATTRS", {}).items():
            if attr not in _EXACT:
                continue
            if isinstance(value, str):
                out.append((attr, frozenset([get_string_id(value)])))
            elif isinstance(value, dict) and set(value) == {"IN"}:
                out.append((attr, frozenset(get_string_id(v) for v in value["IN"])))
    return tuple(out)


def _present(doc, attr: str) -> set[int]:
    """The values (string hashes) of a token attribute in the Doc, collected once per Doc and attribute."""
    cache = doc.user_data.setdefault("oc_present", {})
    values = cache.get(attr)
    if values is None:
        values = cache[attr] = set(numpy.unique(doc.to_array(_EXACT[attr])).tolist())
    return values


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
        self._required = [_required(pattern) for pattern in self.dep_patterns]
        self._matchers: dict[int, tuple] = {}
        self._build(Vocab(), ctx, spec)  # validate now, with a scratch vocabulary

    def _build(self, vocab, ctx=None, spec=None):
        matcher = Matcher(vocab, validate=True)
        dep = DependencyMatcher(vocab, validate=True)
        try:
            if self.patterns:
                matcher.add("p", self.patterns)
            for i, pattern in enumerate(self.dep_patterns):
                dep.add(f"d{i}", [pattern])
        except Exception as exc:  # spaCy raises ValueError/KeyError with long texts
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            if ctx is not None:
                raise ctx.error(spec, ["patterns" if self.patterns else "dependency_patterns"], f"invalid pattern: {message}")
            raise
        return matcher, dep

    def _may_match(self, doc) -> bool:
        """False when every dependency pattern requires a value no token has (most texts have no 'aux:pass'):
        the DependencyMatcher, which evaluates its predicates on every token, is then not run."""
        return any(all(_present(doc, attr) & values for attr, values in required) for required in self._required)

    def run(self, doc):
        key = id(doc.vocab)
        if key not in self._matchers:
            self._matchers[key] = self._build(doc.vocab)
        matcher, dep = self._matchers[key]
        spans = []
        if self.patterns:
            spans += [(doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)) for _, s, e in matcher(doc)]
        if self.dep_patterns and self._may_match(doc):
            for match_id, token_ids in dep(doc):
                pattern = self.dep_patterns[int(doc.vocab.strings[match_id][1:])]
                ids = [t for node, t in zip(pattern, token_ids) if not self.report or node["RIGHT_ID"] in self.report]
                first, last = doc[min(ids)], doc[max(ids)]
                spans.append((first.idx, last.idx + len(last.text)))
        last_end = -1
        seen: set[str] = set()
        for start, end in sorted(set(spans), key=lambda p: (p[0], -p[1])):
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
