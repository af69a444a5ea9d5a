"""``opencomms check --across``: concepts named differently across a set of documents.

For every group of the ``synoniemen`` lexicon (one concept, several words) each document records which
words it uses. Government organisations come from the pipeline's entity ruler (``opencomms_organisations``,
built from the ``organisaties`` lexicon): a document that names an organisation by an older name records
that name, one that uses any current name or abbreviation ('IenW', 'ministerie van Infrastructuur en
Waterstaat') records the canonical name. A concept for which the documents use more than one word is
reported with, per word, the documents that use it.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Span

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
    return tuple(groups)


def usage(doc) -> dict[str, dict[str, int]]:
    """Per concept, how often this document uses each of its words (only concepts it mentions)."""
    found: dict[str, dict[str, int]] = {}
    for concept, members in _groups():
        counts = {word: len(terms.find(doc)) for word, terms in members}
        counts = {word: n for word, n in counts.items() if n}
        if counts:
            found[concept] = counts
    for ent in doc.ents:
        if ent.label_ == "ORG" and Span.has_extension("oc_outdated") and ent._.oc_organisation is not None:
            word = ent.text if ent._.oc_outdated else ent.ent_id_
            counts = found.setdefault(ent.ent_id_, {})
            counts[word] = counts.get(word, 0) + 1
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
