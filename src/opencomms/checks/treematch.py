"""Matching spaCy patterns on a Doc's token columns instead of with spaCy's matchers.

spaCy's ``Matcher`` walks every token of a Doc in Python-visible steps and evaluates every Python-level
predicate of a pattern (``IN``, ``REGEX``, ``_`` extensions, …) on every token; its ``DependencyMatcher`` runs
such a Matcher for every node and then tries all combinations of the candidates. On short texts that
cost more than the rest of a rule set. A :class:`Tree` matches one pattern from the Doc's attribute arrays:

- each node's tests are split into *column tests* (exact values, ``IN``/``NOT_IN`` lists of them, flags such
  as ``IS_ALPHA``, ``LENGTH`` comparisons), evaluated with numpy on a whole column or in Python on one value,
  and *token tests* (``REGEX``, ``MORPH``, ``_`` extensions, ``IS_SENT_START``) on a Token;
- matching starts at the node with the most specific column tests (in the passive rule: 'worden' as a
  passive auxiliary, rare in any text) and walks the pattern's relations from there, in either direction:
  to a token's head, among its children, to the next or previous token;
- token tests run last, on the tokens of a complete match, each (node, token) once.

A token pattern of fixed length is a chain of nodes joined by '.' (immediately precedes; in a dependency
pattern '.' stays within a sentence, so there it is left to spaCy). The matches are
exactly spaCy's (tests/test_pattern_kind.py compares them on real text); a pattern with a quantifier (``OP``),
an operator or a test not covered here is left to spaCy by the caller (:meth:`Tree.build` gives None).
"""

from __future__ import annotations

import operator
import re

import numpy
from spacy import attrs as spacy_attrs
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.strings import get_string_id
from spacy.tokens import Token

from opencomms.checks.base import HASHED, columns

_FLAGS = {"IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE",
          "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT", "IS_RIGHT_PUNCT", "IS_CURRENCY", "IS_STOP", "LIKE_NUM",
          "LIKE_URL", "LIKE_EMAIL"}
_COMPARE = {"==": operator.eq, "!=": operator.ne, ">=": operator.ge, "<=": operator.le, ">": operator.gt,
            "<": operator.lt}
_SEED_VALUES = 3  # value lists up to this long are compared in numpy; longer ones are set lookups later

_TOKEN_VALUES = {
    "TEXT": lambda t: t.text, "ORTH": lambda t: t.text, "LOWER": lambda t: t.lower_, "LEMMA": lambda t: t.lemma_,
    "POS": lambda t: t.pos_, "TAG": lambda t: t.tag_, "DEP": lambda t: t.dep_, "NORM": lambda t: t.norm_,
    "SHAPE": lambda t: t.shape_, "ENT_TYPE": lambda t: t.ent_type_, "LENGTH": lambda t: len(t.text),
    "MORPH": lambda t: frozenset(t.morph),  # 'Feat=Val' per value, as spaCy's IS_SUPERSET sees them
    "IS_SENT_START": lambda t: t.is_sent_start,
}
_COST = {"LENGTH": 0, "IS_SENT_START": 0, "POS": 0, "DEP": 0, "TAG": 0, "LOWER": 1, "TEXT": 1, "ORTH": 1,
         "LEMMA": 1, "NORM": 1, "SHAPE": 1, "ENT_TYPE": 1, "MORPH": 2, "_": 9}


def _value_test(op: str, value, attr: str):
    """A test of one attribute value as spaCy's matcher does it, or None where it is not covered."""
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


def _extension_getter(name: str):
    if not Token.has_extension(name):
        return None
    default, method, getter, _setter = Token.get_extension(name)
    if getter is not None:
        return getter
    if method is None:
        return lambda t: t._.get(name) if t._.has(name) else default
    return None


class Node:
    """One token of a pattern: column tests and token tests."""

    def __init__(self, attrs: dict):
        self.sets: list[tuple[str, frozenset, bool]] = []  # (column, allowed values, whether it must be in them)
        self.compares: list[tuple[str, str, float]] = []  # (column, operator, value)
        tests = []
        for attr, value in attrs.items():
            name = str(attr).upper()
            if attr == "_":
                if not isinstance(value, dict):
                    raise ValueError("'_' needs a mapping")
                for ext, wanted in value.items():
                    get = _extension_getter(ext)
                    if isinstance(wanted, dict) and len(wanted) == 1:
                        (op, operand), = wanted.items()
                        test = _value_test(op, operand, "_")
                    else:
                        test = (lambda v, w=wanted: v == w) if isinstance(wanted, (str, bool, int, float)) else None
                    if get is None or test is None:
                        raise ValueError(f"extension test not covered: {ext}")
                    tests.append((_COST["_"], lambda t, g=get, f=test: f(g(t))))
            elif name in _FLAGS and isinstance(value, bool):
                self.sets.append((name, frozenset([1]), value))
            elif name in HASHED and isinstance(value, str):
                self.sets.append((name, frozenset([self._id(name, value)]), True))
            elif name == "LENGTH" and isinstance(value, int) and not isinstance(value, bool):
                self.compares.append((name, "==", value))
            elif isinstance(value, dict) and len(value) == 1:
                (op, operand), = value.items()
                if name in HASHED and op in ("IN", "NOT_IN") and isinstance(operand, list) and all(
                        isinstance(v, str) for v in operand):
                    self.sets.append((name, frozenset(self._id(name, v) for v in operand), op == "IN"))
                elif name == "LENGTH" and op in _COMPARE and isinstance(operand, int) and not isinstance(operand, bool):
                    self.compares.append((name, op, operand))
                else:
                    get, test = _TOKEN_VALUES.get(name), _value_test(op, operand, name)
                    if get is None or test is None:
                        raise ValueError(f"test not covered: {name} {op}")
                    tests.append((_COST.get(name, 5), lambda t, g=get, f=test: f(g(t))))
            elif name == "IS_SENT_START" and isinstance(value, bool):
                tests.append((_COST[name], lambda t, w=value: (t.is_sent_start is True) is w))  # None: not a start
            else:
                raise ValueError(f"attribute not covered: {name}")
        tests.sort(key=lambda item: item[0])
        self.tests = tuple(test for _, test in tests)
        self.columns = {name for name, _, _ in self.sets} | {name for name, _, _ in self.compares}
        # what numpy selects the start candidates by: short value lists, flags and comparisons
        self.seed = [(name, allowed, wanted) for name, allowed, wanted in self.sets if len(allowed) <= _SEED_VALUES]
        self.specificity = sum(1 / len(allowed) for _, allowed, wanted in self.seed if wanted and len(allowed) > 0)
        # the start tokens of a node with a required word, lemma, tag or relation come from an index of that
        # column; of other nodes (flags, lengths), from numpy comparisons
        keyed = [(len(allowed), name, allowed) for name, allowed, wanted in self.seed if wanted and name in HASHED]
        self.key = min(keyed, key=lambda item: item[0])[1:] if keyed else None

    @staticmethod
    def _id(name: str, value: str) -> int:
        return POS_IDS.get(value, -1) if name == "POS" else get_string_id(value)

    def seed_mask(self, cols: dict, n: int):
        mask = numpy.ones(n, dtype=bool)
        for name, allowed, wanted in self.seed:
            values = cols[name][0]
            hit = numpy.zeros(n, dtype=bool)
            for value in allowed:
                hit |= values == value
            mask &= hit if wanted else ~hit
        for name, op, value in self.compares:
            mask &= _COMPARE[op](cols[name][0], value)
        return mask

    def fits(self, lists: dict, j: int) -> bool:
        for name, allowed, wanted in self.sets:
            if (lists[name][j] in allowed) is not wanted:
                return False
        for name, op, value in self.compares:
            if not _COMPARE[op](lists[name][j], value):
                return False
        return True

    def passes(self, token) -> bool:
        for test in self.tests:
            if not test(token):
                return False
        return True


# A relation from the bound token ``a`` to the candidates of the other node; forward (the pattern's REL_OP
# from its left node to its right node) and backward (from the right node to the left one).
_FORWARD = {
    ">": lambda kids, heads, n, a: kids[a],
    ">--": lambda kids, heads, n, a: [j for j in kids[a] if j < a],
    ">++": lambda kids, heads, n, a: [j for j in kids[a] if j > a],
    "<": lambda kids, heads, n, a: [heads[a]] if heads[a] != a else [],
    ".": lambda kids, heads, n, a: [a + 1] if a + 1 < n else [],
}
_BACKWARD = {
    ">": lambda kids, heads, n, b: [heads[b]] if heads[b] != b else [],
    ">--": lambda kids, heads, n, b: [heads[b]] if heads[b] > b else [],
    ">++": lambda kids, heads, n, b: [heads[b]] if heads[b] < b else [],
    "<": lambda kids, heads, n, b: kids[b],
    ".": lambda kids, heads, n, b: [b - 1] if b > 0 else [],
}
_NEEDS_TREE = {">", ">--", ">++", "<"}


class Tree:
    """One pattern (dependency nodes, or a fixed-length token sequence), matched on a Doc's columns."""

    def __init__(self, pattern: list[dict], sequence: bool = False):
        ids = [node["RIGHT_ID"] for node in pattern]
        self.nodes = [Node(node.get("RIGHT_ATTRS", {})) for node in pattern]
        edges = []  # (left node, right node, REL_OP)
        for k, node in enumerate(pattern[1:], start=1):
            left, op = node.get("LEFT_ID"), node.get("REL_OP")
            if op not in _FORWARD or op == "." and not sequence or left not in ids[:k]:
                raise ValueError(f"relation not covered: {op}")
            edges.append((ids.index(left), k, op))
        self.needs_tree = any(op in _NEEDS_TREE for _, _, op in edges)
        self.columns = tuple(sorted(set().union(*(node.columns for node in self.nodes))))
        self.start = max(range(len(self.nodes)), key=lambda k: (self.nodes[k].specificity, -k))
        if not self.nodes[self.start].seed and not self.nodes[self.start].compares:
            # nothing to select the first tokens by: every token would be tested in Python, which spaCy's
            # Matcher does faster
            raise ValueError("no column test to start from")
        # the order in which the other nodes are bound: (node, the bound node it is reached from, relation)
        self.steps, bound = [], {self.start}
        while len(bound) < len(self.nodes):
            for left, right, op in edges:
                if left in bound and right not in bound:
                    self.steps.append((right, left, _FORWARD[op]))
                    bound.add(right)
                elif right in bound and left not in bound:
                    self.steps.append((left, right, _BACKWARD[op]))
                    bound.add(left)

    @classmethod
    def build(cls, pattern: list[dict], sequence: bool = False) -> Tree | None:
        """The matcher for a dependency pattern, or None where spaCy's own must do it."""
        try:
            return cls(pattern, sequence)
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    @classmethod
    def from_tokens(cls, pattern: list[dict]) -> Tree | None:
        """The matcher for a token pattern of fixed length (no ``OP``), or None."""
        if any(not isinstance(node, dict) or "OP" in node for node in pattern):
            return None
        return cls.build([{"RIGHT_ID": f"t{k}", "RIGHT_ATTRS": node, **({"LEFT_ID": f"t{k - 1}", "REL_OP": "."} if k else {})}
                          for k, node in enumerate(pattern)], sequence=True)

    def matches(self, doc):
        """Every assignment of tokens to the nodes (token indices, in node order), as spaCy's matchers give."""
        n = len(doc)
        if not n:
            return
        cols = columns(doc, self.columns)
        first = self.nodes[self.start]
        if first.key:
            name, allowed = first.key
            index = value_index(doc, name)
            starts = [j for value in allowed for j in index.get(value, ())]
            if len(allowed) > 1:
                starts.sort()
        else:
            starts = numpy.flatnonzero(first.seed_mask(cols, n)).tolist()
        lists = {name: cols[name][1] for name in self.columns}
        starts = [j for j in starts if first.fits(lists, j)]
        if not starts:
            return
        heads, kids = parse_tree(doc) if self.needs_tree else (None, None)
        passed: dict[tuple[int, int], bool] = {}
        binding = [-1] * len(self.nodes)
        nodes, steps = self.nodes, self.steps

        def complete() -> bool:  # the token tests, once per (node, token)
            for k, j in enumerate(binding):
                ok = passed.get((k, j))
                if ok is None:
                    ok = passed[(k, j)] = nodes[k].passes(doc[j])
                if not ok:
                    return False
            return True

        def extend(step: int):
            if step == len(steps):
                if complete():
                    yield tuple(binding)
                return
            node, via, relation = steps[step]
            for j in relation(kids, heads, n, binding[via]):
                if nodes[node].fits(lists, j):
                    binding[node] = j
                    yield from extend(step + 1)
            binding[node] = -1

        try:
            for j in starts:
                binding[self.start] = j
                yield from extend(0)
        finally:
            extend = None  # it refers to itself: without this the Doc waits for the cycle collector


def value_index(doc, name: str) -> dict[int, list[int]]:
    """Value of a token column → the tokens that have it, once per Doc and column."""
    cache = doc.user_data.setdefault("oc_value_index", {})
    index = cache.get(name)
    if index is None:
        index = cache[name] = {}
        for j, value in enumerate(columns(doc, (name,))[name][1]):
            found = index.get(value)
            if found is None:
                index[value] = [j]
            else:
                found.append(j)
    return index


class _Children(dict):
    """Each token's children (token indices, in order), worked out when first asked for."""

    def __init__(self, heads: list[int]):
        super().__init__()
        self.heads = heads

    def __missing__(self, i: int) -> list[int]:
        if not self.heads:
            return []
        for j, h in enumerate(self.heads):
            if h != j:
                self.setdefault(h, []).append(j)
        self.heads = []  # every token with children is in the dict now
        return self.get(i, [])


def parse_tree(doc) -> tuple[list[int], _Children]:
    """Each token's head, and its children on demand; once per Doc."""
    tree = doc.user_data.get("oc_tree")
    if tree is None:
        heads = (doc.to_array(spacy_attrs.HEAD).astype(numpy.int64) + numpy.arange(len(doc))).tolist()
        tree = doc.user_data["oc_tree"] = (heads, _Children(heads))
    return tree
