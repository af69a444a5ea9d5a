"""substitution: a word or phrase with a plainer alternative, from ``swap`` or a lexicon's alternatives.

Placeholders: ``{match}``, ``{suggestion}`` (first alternative), ``{note}``. When the rule is ``fixable``
and the lexicon entry is marked ``fixable`` (or the swap is given inline), the first alternative becomes
a safe fix that keeps the capitalisation of the original; ``forms`` in the entry give inflected forms.
"""

from __future__ import annotations

from opencomms.checks.base import Hit, preserve_case, text_of, units
from opencomms.checks.terms import TERM_FIELDS, Terms
from opencomms.lexicons import Entry

FIELDS = dict(TERM_FIELDS)
FIELDS["swap"] = {"type": "object", "additionalProperties": {"type": "string"}, "minProperties": 1}
REQUIRED: list[str] = []
VARS: set[str] = set()


class Check:
    def __init__(self, spec: dict, ctx):
        self.spec = spec
        spec = dict(spec)
        swaps = spec.pop("swap", {})
        self.terms = Terms(spec, ctx.lexicon_dirs)
        for term, alternative in swaps.items():
            self.terms.add(term, Entry(term=term, alternatives=(alternative,), fixable=True), spec.get("match", "lower"))
        if self.terms.empty:
            raise ctx.error(self.spec, [], "needs swap, tokens or a lexicon")
        self.needs = self.terms.needs
        self.scope = spec["scope"]
        self.fixable = bool(spec.get("fixable"))

    def run(self, doc):
        text = text_of(doc)
        for start, end in units(doc).of(self.scope):
            for hit in self.terms.find(doc, start, end):
                entry = hit.entry
                if entry is None or not entry.alternatives:
                    continue
                matched = text[hit.start:hit.end]
                replacement = None
                if self.fixable and entry.fixable:
                    form = entry.forms.get(matched.lower()) if entry.forms else None
                    if form is not None or matched.lower() == entry.term.lower():
                        replacement = form if form is not None else entry.alternatives[0]
                        if hit.mode != "exact":  # exact terms (spelling of names) carry their own case
                            replacement = preserve_case(matched, replacement)
                yield Hit(
                    hit.start,
                    hit.end,
                    {"match": matched, "suggestion": entry.alternatives[0], "note": entry.note},
                    tuple(entry.alternatives),
                    replacement,
                )
