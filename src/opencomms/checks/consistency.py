"""consistency: two or more ways of saying the same thing mixed in one unit (e.g. u and je).

``sets`` maps a name to term fields. When a unit uses more than one set, the occurrences of every set
but the most used one are reported. With ``lexicon`` instead, each entry is a group (its term and its
``variants``): a unit that uses two members of one group gets findings on the less used member.
Placeholders: ``{match}``, ``{other}`` (the form used most), ``{set}``.
"""

from __future__ import annotations

from collections import Counter

from opencomms.checks.base import Hit, text_of, units
from opencomms.checks.terms import TERM_SPEC, Terms
from opencomms import lexicons
from opencomms.lexicons import Entry

FIELDS = {
    "sets": {"type": "object", "additionalProperties": TERM_SPEC, "minProperties": 2},
    "lexicon": {"type": "string"},
    "match": {"enum": lexicons.MATCH_MODES},
}
REQUIRED: list[str] = []
VARS = {"other", "set"}


class Check:
    def __init__(self, spec: dict, ctx):
        self.spec = spec
        self.scope = spec["scope"]
        self.sets: dict[str, Terms] = {}
        if "sets" in spec:
            for name, terms in spec["sets"].items():
                self.sets[name] = Terms(terms, ctx.lexicon_dirs, keys=("sets", name))
        elif "lexicon" in spec:
            # one matcher for every member of every group: each member is its own entry, tagged with its group
            lex = lexicons.load(spec["lexicon"], ctx.lexicon_dirs)
            self.members = Terms({})
            for group, entry in enumerate(lex.entries):
                mode = spec.get("match") or entry.match or lex.match
                for member in (entry.term, *entry.variants):
                    self.members.add(member, Entry(term=member, tags=(str(group),)), mode)
        else:
            raise ctx.error(spec, [], "needs sets or a lexicon")
        self.needs = set().union(*(t.needs for t in self.sets.values())) if self.sets else self.members.needs

    def _groups(self, doc, start: int, end: int):
        """Per group, the hits of each of its members (only members that occur)."""
        if self.sets:
            yield {name: terms.find(doc, start, end) for name, terms in self.sets.items()}
            return
        groups: dict[str, dict[str, list]] = {}
        for hit in self.members.find(doc, start, end):
            groups.setdefault(hit.entry.tags[0], {}).setdefault(hit.entry.term, []).append(hit)
        yield from groups.values()

    def run(self, doc):
        for start, end in units(doc).of(self.scope):
            for found in self._groups(doc, start, end):
                used = {name: hits for name, hits in found.items() if hits}
                if len(used) < 2:
                    continue
                counts = Counter({name: len(hits) for name, hits in used.items()})
                # most used wins; on a tie, the one used first
                main = max(used, key=lambda n: (counts[n], -used[n][0].start))
                other = main if self.sets else text_of(doc)[used[main][0].start:used[main][0].end]
                for name, hits in used.items():
                    if name == main:
                        continue
                    for hit in hits:
                        yield Hit(hit.start, hit.end, {"match": text_of(doc)[hit.start:hit.end], "other": other, "set": name},
                                  (other,))
