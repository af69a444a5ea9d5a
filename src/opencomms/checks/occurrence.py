"""occurrence: too many (``max``) or too few (``min``) occurrences of terms per scope unit.

Over ``max``: one finding on the unit, from the first to the last occurrence. Under ``min``: one finding
on the unit (for the document: its first line). ``min_words`` skips short units. Placeholders:
``{count}``, ``{max}``, ``{min}``, ``{match}``, ``{terms}`` (the distinct terms found, quoted: "'a' en 'b'").
"""

from __future__ import annotations

from opencomms.checks.base import Hit, text_of, units
from opencomms.checks.terms import TERM_FIELDS, Terms

FIELDS = dict(TERM_FIELDS)
FIELDS.update({"max": {"type": "integer", "minimum": 0}, "min": {"type": "integer", "minimum": 1},
               "min_words": {"type": "integer", "minimum": 0}})
REQUIRED: list[str] = []
VARS = {"count", "max", "min", "terms"}


class Check:
    def __init__(self, spec: dict, ctx):
        self.spec = spec
        self.terms = Terms(spec, ctx.lexicon_dirs)
        if self.terms.empty:
            raise ctx.error(spec, [], "needs tokens, a lexicon or regex")
        if "max" not in spec and "min" not in spec:
            raise ctx.error(spec, [], "needs max or min")
        self.needs = self.terms.needs
        self.scope = spec["scope"]
        self.max = spec.get("max")
        self.min = spec.get("min")
        self.min_words = spec.get("min_words", 0)

    def run(self, doc):
        u = units(doc)
        if self.min is None:  # only too many hits count: only units with hits matter
            found = self.terms.find_each(doc, u.of(self.scope))
        else:
            found = (((start, end), self.terms.find(doc, start, end)) for start, end in u.of(self.scope))
        for (start, end), hits in found:
            over = self.max is not None and len(hits) > self.max
            if not over and (self.min is None or len(hits) >= self.min):
                continue
            if self.min_words and _words(doc, start, end) < self.min_words:  # counted only when it matters
                continue
            text = text_of(doc)
            vars = {"count": len(hits), "max": self.max, "min": self.min,
                    "terms": _listing(" ".join(text[h.start:h.end].lower().split()) for h in hits)}
            if over:
                a, b = hits[0].start, hits[-1].end
                yield Hit(a, b, {**vars, "match": text[a:b]})
            else:
                a, b = u.first_words() if self.scope == "document" else (start, end)
                yield Hit(a, b, {**vars, "match": text[a:b]})


def _words(doc, start: int, end: int) -> int:
    span = doc.char_span(start, end, alignment_mode="expand")
    return sum(1 for t in span if not t.is_space and not t.is_punct) if span is not None else 0


def _listing(words) -> str:
    """"'a', 'b' en 'c'": the distinct words in first-seen order, quoted and joined the Dutch way."""
    quoted = [f"'{w}'" for w in dict.fromkeys(words)]
    return f"{', '.join(quoted[:-1])} en {quoted[-1]}" if len(quoted) > 1 else "".join(quoted)
