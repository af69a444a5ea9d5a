"""existence: flag every occurrence of words or phrases (from ``tokens``, a ``lexicon`` or ``regex``).

Placeholders: ``{match}`` the matched text, ``{note}`` and ``{expansion}`` from the lexicon entry,
``{suggestion}`` the first alternative.
"""

from __future__ import annotations

from opencomms.checks.base import Hit, text_of, units
from opencomms.checks.terms import TERM_FIELDS, Terms

FIELDS = dict(TERM_FIELDS)
REQUIRED: list[str] = []
VARS = {"expansion"}


class Check:
    def __init__(self, spec: dict, ctx):
        self.spec = spec
        self.terms = Terms(spec, ctx.lexicon_dirs)
        if self.terms.empty:
            raise ctx.error(spec, [], "needs tokens, a lexicon or regex")
        self.needs = self.terms.needs
        self.scope = spec["scope"]

    def run(self, doc):
        text = text_of(doc)
        for _unit, hits in self.terms.find_each(doc, units(doc).of(self.scope)):
            for hit in hits:
                yield term_hit(hit, text, self.spec)


def term_hit(hit, text: str, spec: dict) -> Hit:
    entry = hit.entry
    alternatives = tuple(entry.alternatives) if entry else ()
    suggestions = alternatives or tuple(spec.get("suggestions", ()))
    return Hit(
        hit.start,
        hit.end,
        {
            "match": text[hit.start:hit.end],
            "note": entry.note if entry else "",
            "expansion": entry.expansion if entry else "",
            "suggestion": suggestions[0] if suggestions else "",
        },
        suggestions,
    )
