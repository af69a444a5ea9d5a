"""``opencomms check --across``: concepts named differently across a set of documents.

For every group of the ``synoniemen`` lexicon (one concept, several words) and every organisation of the
``organisaties`` lexicon with older names, each document records which words it uses. A concept for
which the documents use more than one word is reported with, per word, the documents that use it.
"""

from __future__ import annotations

from functools import lru_cache

from opencomms import lexicons
from opencomms.checks.terms import Terms


@lru_cache(maxsize=1)
def _groups() -> tuple[tuple[str, tuple[tuple[str, Terms], ...]], ...]:
    groups = []
    names = lexicons.available()
    if "synoniemen" in names:
        lex = lexicons.load("synoniemen")
        for entry in lex.entries:
            members = (entry.term, *entry.variants)
            groups.append((entry.term, tuple((m, Terms({"tokens": [m], "match": "lemma"})) for m in members)))
    if "organisaties" in names:
        lex = lexicons.load("organisaties")
        for entry in lex.entries:
            if entry.predecessors:
                members = (entry.term, *entry.predecessors)
                groups.append((entry.term, tuple((m, Terms({"tokens": [m], "match": "lower"})) for m in members)))
    return tuple(groups)


def usage(doc) -> dict[str, dict[str, int]]:
    """Per concept, how often this document uses each of its words (only concepts it mentions)."""
    found: dict[str, dict[str, int]] = {}
    for concept, members in _groups():
        counts = {word: len(terms.find(doc)) for word, terms in members}
        counts = {word: n for word, n in counts.items() if n}
        if counts:
            found[concept] = counts
    return found


def compare(results) -> list[dict]:
    """Concepts for which the documents use more than one word, with the documents per word."""
    concepts: dict[str, dict[str, list[str]]] = {}
    for result in results:
        for concept, counts in (result.metrics.get("term_usage") or {}).items():
            for word in counts:
                concepts.setdefault(concept, {}).setdefault(word, []).append(result.source.path)
    out = []
    for concept, words in sorted(concepts.items()):
        if len(words) > 1:
            out.append({"concept": concept, "preferred": concept,
                        "variants": [{"term": w, "documents": sorted(d)} for w, d in sorted(words.items())]})
    return out
