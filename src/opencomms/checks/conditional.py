"""conditional: if the ``first`` terms occur in a unit, the ``second`` terms must occur ``within`` it too.

Example: a percentage in a sentence needs a source in the same paragraph. ``within`` is sentence,
paragraph or document (default: the rule's scope) and must be at least as wide as the scope. For a list item,
paragraph means the whole list with its lead-in ('Volgens het CBS gaat het om:'), which the items continue.
``report: first`` reports only the first unmatched occurrence per document. Placeholders: ``{match}``.
"""

from __future__ import annotations

from opencomms.checks.base import Hit, SCOPES, text_of, units
from opencomms.checks.terms import TERM_SPEC, Terms

FIELDS = {
    "first": TERM_SPEC,
    "second": TERM_SPEC,
    "within": {"enum": SCOPES},
    "report": {"enum": ["all", "first"]},
}
REQUIRED = ["first", "second"]
VARS: set[str] = set()


class Check:
    def __init__(self, spec: dict, ctx):
        self.spec = spec
        self.first = Terms(spec["first"], ctx.lexicon_dirs, keys=("first",))
        self.second = Terms(spec["second"], ctx.lexicon_dirs, keys=("second",))
        for key, terms in (("first", self.first), ("second", self.second)):
            if terms.empty:
                raise ctx.error(spec, [key], "needs tokens, a lexicon or regex")
        self.scope = spec["scope"]
        self.within = spec.get("within", self.scope)
        if SCOPES.index(self.within) < SCOPES.index(self.scope):
            raise ctx.error(spec, ["within"], f"must be at least as wide as scope ({self.scope})")
        self.only_first = spec.get("report", "all") == "first"
        self.needs = self.first.needs | self.second.needs

    def run(self, doc):
        u = units(doc)
        satisfied: dict[tuple[int, int], bool] = {}
        for (start, end), hits in self.first.find_each(doc, u.of(self.scope)):
            for hit in hits:
                outer = (u.passage(hit.start) if self.within == "paragraph" else u.containing(self.within, hit.start)) \
                    or (start, end)
                if outer not in satisfied:
                    satisfied[outer] = bool(self.second.find(doc, *outer))
                if not satisfied[outer]:
                    yield Hit(hit.start, hit.end, {"match": text_of(doc)[hit.start:hit.end]})
                    if self.only_first:
                        return
