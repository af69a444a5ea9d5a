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

import operator
import re

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


# Moving costly token tests out of spaCy's matchers. spaCy evaluates every Python-level predicate of a
# pattern (IN, NOT_IN, REGEX, IS_SUPERSET, comparisons, ``_`` extensions) on every token of the Doc, before it
# looks at the cheap exact attributes. A node's costly tests are therefore taken out of the pattern given
# to spaCy and applied afterwards to the tokens of each match, cheapest first, stopping at the first that
# fails. The matches are the same: a node of a dependency pattern, or of a token pattern without
# quantifiers, matches one token, and a token passes the node exactly when it passes both halves.
_TOKEN_VALUES = {
    "TEXT": lambda t: t.text, "ORTH": lambda t: t.text, "LOWER": lambda t: t.lower_, "LEMMA": lambda t: t.lemma_,
    "POS": lambda t: t.pos_, "TAG": lambda t: t.tag_, "DEP": lambda t: t.dep_, "NORM": lambda t: t.norm_,
    "SHAPE": lambda t: t.shape_, "ENT_TYPE": lambda t: t.ent_type_, "LENGTH": lambda t: len(t.text),
}
_COMPARE = {"==": operator.eq, "!=": operator.ne, ">=": operator.ge, "<=": operator.le, ">": operator.gt,
            "<": operator.lt}


def _value_test(op: str, value, attr: str):
    """A test of one attribute value as spaCy's matcher does it, or None where we leave the test to spaCy."""
    if op in ("IN", "NOT_IN") and attr != "MORPH" and isinstance(value, list):
        allowed, keep = frozenset(value), op == "IN"
        return lambda v: (v in allowed) is keep
    if op == "REGEX" and attr != "MORPH" and isinstance(value, str):
        search = re.compile(value).search
        return lambda v: bool(search(v if isinstance(v, str) else str(v)))
    if op in _COMPARE and attr in ("LENGTH", "_") and isinstance(value, (int, float)) and not isinstance(value, bool):
        compare = _COMPARE[op]
        return lambda v: v is not None and compare(v, value)
    if op == "IS_SUPERSET" and attr == "MORPH" and isinstance(value, list):
        wanted = frozenset(value)
        return lambda v: wanted <= v
    return None


def _getter(attr: str):
    if attr == "MORPH":
        return lambda t: frozenset(t.morph)  # 'Feat=Val' per value, as spaCy's IS_SUPERSET sees them
    return _TOKEN_VALUES.get(attr)


def _extension_getter(name: str):
    if not Token.has_extension(name):
        return None
    default, method, getter, _setter = Token.get_extension(name)
    if getter is not None:
        return getter
    if method is None:
        return lambda t: t._.get(name) if t._.has(name) else default
    return None


_COST = {"LENGTH": 0, "POS": 0, "DEP": 0, "TAG": 0, "LOWER": 1, "TEXT": 1, "ORTH": 1, "LEMMA": 1, "NORM": 1,
         "SHAPE": 1, "ENT_TYPE": 1, "MORPH": 2, "_": 9}


_EXPANDABLE = {"DEP", "LEMMA", "LOWER", "POS", "TAG", "TEXT", "ORTH", "NORM"}
_MAX_VARIANTS = 16


def _split_node(attrs: dict) -> tuple[list[dict], tuple]:
    """(the node's variants for spaCy, the tests taken out of it): each test a function of a token.

    A node needs an exact value for spaCy to select its tokens with. Where only a short ``IN`` list is
    left, the node becomes one variant per value; where not even that is left, spaCy keeps its tests.
    """
    kept, tests, built = {}, [], []
    for attr, value in attrs.items():
        if attr == "_" and isinstance(value, dict):
            kept_ext = {}
            for name, wanted in value.items():
                get = _extension_getter(name)
                if isinstance(wanted, dict) and len(wanted) == 1:
                    (op, operand), = wanted.items()
                    test = _value_test(op, operand, "_")
                else:
                    test = (lambda v, w=wanted: v == w) if isinstance(wanted, (str, bool, int, float)) else None
                if get is None or test is None:
                    kept_ext[name] = wanted
                else:
                    tests.append((_COST["_"], lambda t, g=get, f=test: f(g(t))))
            if kept_ext:
                kept["_"] = kept_ext
            continue
        get = _getter(str(attr).upper())
        test = None
        if get is not None and isinstance(value, dict) and len(value) == 1:
            (op, operand), = value.items()
            test = _value_test(op, operand, str(attr).upper())
        if test is None:
            kept[attr] = value
        else:
            built.append((attr, value, (_COST.get(str(attr).upper(), 5), lambda t, g=get, f=test: f(g(t)))))
    variants = [kept]
    if not [a for a in kept if a != "_"]:
        lists = [(len(v["IN"]), n) for n, (a, v, _) in enumerate(built)
                 if str(a).upper() in _EXPANDABLE and list(v) == ["IN"] and 0 < len(v["IN"]) <= _MAX_VARIANTS]
        if lists:
            attr, value, _ = built.pop(min(lists)[1])
            variants = [{**kept, attr: one} for one in dict.fromkeys(value["IN"])]
        else:  # a node without tests would match every token: cheaper to leave the tests to spaCy
            kept.update((attr, value) for attr, value, _ in built)
            built = []
    tests += [test for _, _, test in built]
    tests.sort(key=lambda item: item[0])
    return variants, tuple(test for _, test in tests)


def _split_pattern(nodes: list[dict]) -> tuple[list[list[dict]], tuple] | None:
    """The variants of a whole pattern (one node dict per token) and its tests per node, or None when
    there would be too many variants."""
    split = [_split_node(node) for node in nodes]
    combos = [[]]
    for variants, _ in split:
        combos = [combo + [v] for combo in combos for v in variants]
        if len(combos) > _MAX_VARIANTS:
            return None
    return combos, tuple(tests for _, tests in split)


def _passes(token, tests) -> bool:
    for test in tests:
        if not test(token):
            return False
    return True


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
        # what spaCy matches (variants of each pattern), and the tests applied to each matched token afterwards
        self._dep_split = []
        for pattern in self.dep_patterns:
            split = _split_pattern([node.get("RIGHT_ATTRS", {}) for node in pattern])
            if split is None:
                self._dep_split.append(([pattern], ((),) * len(pattern)))
            else:
                self._dep_split.append(([[{**node, "RIGHT_ATTRS": attrs} for node, attrs in zip(pattern, combo)]
                                         for combo in split[0]], split[1]))
        self._token_split = []
        for pattern in self.patterns:
            split = None
            if not any("OP" in node for node in pattern):  # with quantifiers the match length varies: keep it whole
                split = _split_pattern(pattern)
            self._token_split.append(split or ([pattern], ((),) * len(pattern)))
        self._matchers: dict[int, tuple] = {}
        # match keys ('p0', 'd0', …) by hash, not through the vocabulary: a matcher built inside a memory
        # zone has its key strings removed when the zone closes
        self._keys = {get_string_id(f"{kind}{i}"): i for kind, n in (("p", len(self.patterns)),
                      ("d", len(self.dep_patterns))) for i in range(n)}
        self._build(Vocab(), ctx, spec)  # validate now, with a scratch vocabulary

    def _build(self, vocab, ctx=None, spec=None):
        matcher = Matcher(vocab, validate=True)
        dep = DependencyMatcher(vocab, validate=True)
        try:
            for i, pattern in enumerate(self.patterns):
                if ctx is not None:  # validated whole, matched split
                    Matcher(vocab, validate=True).add("p", [pattern])
                matcher.add(f"p{i}", self._token_split[i][0])
            for i, pattern in enumerate(self.dep_patterns):
                if ctx is not None:
                    DependencyMatcher(vocab, validate=True).add("d", [pattern])
                dep.add(f"d{i}", self._dep_split[i][0])
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

    def spans(self, doc) -> set[tuple[int, int]]:
        """Character ranges of every match (before overlaps, ``once`` and the skip options are applied)."""
        key = id(doc.vocab)
        if key not in self._matchers:
            self._matchers[key] = self._build(doc.vocab)
        matcher, dep = self._matchers[key]
        spans = []
        if self.patterns:
            for match_id, s, e in matcher(doc):
                tests = self._token_split[self._keys[match_id]][1]
                if all(_passes(doc[s + k], node) for k, node in enumerate(tests)):
                    spans.append((doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)))
        if self.dep_patterns and self._may_match(doc):
            for match_id, token_ids in dep(doc):
                i = self._keys[match_id]
                if not all(_passes(doc[t], node) for t, node in zip(token_ids, self._dep_split[i][1])):
                    continue
                pattern = self.dep_patterns[i]
                ids = [t for node, t in zip(pattern, token_ids) if not self.report or node["RIGHT_ID"] in self.report]
                first, last = doc[min(ids)], doc[max(ids)]
                spans.append((first.idx, last.idx + len(last.text)))
        return set(spans)

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
