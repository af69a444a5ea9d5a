"""substitution: a word or phrase with a plainer alternative, from ``swap`` or a lexicon's alternatives.

Placeholders: ``{match}``, ``{suggestion}`` (first alternative), ``{note}``. When the rule is ``fixable``
and the lexicon entry is marked ``fixable`` (or the swap is given inline), the first alternative becomes
a safe fix that keeps the capitalisation of the original; ``forms`` in the entry give inflected forms.
An entry's ``level`` overrides the rule's: a word that is plain in another common sense or the normal term of a
field ('realiseren', 'optimaliseren') is a suggestion where the rule's other words are warnings.
``levels_by_pos`` does the same per part of speech (UPOS) of a one-word hit in its sentence: a noun or verb is
often a field's term or meant in another sense, a linking word ('derhalve') never. An entry's level comes first;
without a tagger every hit is at the rule's level. A ``level`` that a profile or configuration sets for the rule
overrides both, for every hit.

Options for words that are not the writer's own or not meant in the flagged sense:
``skip_quotes`` (a term field, see :mod:`opencomms.checks.terms`) skips words inside a quotation and ``skip_law`` words in quoted law (see
:func:`opencomms.checks.base.in_quoted_law`); ``skip_compounds`` skips a word that is part of a compound
with a hyphen ('ADR-conform', 'Woo-verzoekers': the alternative does not fit inside it); ``only_after`` gives, per term, the word classes (UPOS, or ``START``
and ``PUNCT``) the word before it must have: 'dan wel' is 'of' after a noun ('per post dan wel per
e-mail') and 'dan toch' after a verb ('moeten dan wel zijn doorgegeven'). ``not_near`` gives, per lexicon term, words
that mark a sense the term is not meant in when they stand in its paragraph (for a list item: in the list or its
lead-in): 'essentieel' in an exception ('Er is een uitzondering als ... essentieel is') is the defined term of the
accessibility guidelines (WCAG), not officialese.
"""

from __future__ import annotations

import re

from opencomms.checks.base import Hit, preserve_case, skipped, text_of, units
from opencomms.checks.terms import TERM_FIELDS, Terms
from opencomms.finding import LEVEL_NAMES
from opencomms.lexicons import Entry

FIELDS = dict(TERM_FIELDS)
FIELDS["swap"] = {"type": "object", "additionalProperties": {"type": "string"}, "minProperties": 1}
FIELDS["skip_law"] = {"type": "boolean"}
FIELDS["skip_compounds"] = {"type": "boolean"}
FIELDS["only_after"] = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}
FIELDS["not_near"] = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}}
FIELDS["levels_by_pos"] = {"type": "object", "additionalProperties": {"enum": LEVEL_NAMES}}

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
        self.skip_law = spec.get("skip_law", False)
        self.skip_compounds = spec.get("skip_compounds", False)
        self.only_after = {term.lower(): set(tags) for term, tags in spec.get("only_after", {}).items()}
        self.levels_by_pos = spec.get("levels_by_pos", {})
        self.not_near = {term.lower(): re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + ")", re.IGNORECASE)
                         for term, words in spec.get("not_near", {}).items()}

    def _skipped(self, doc, text: str, start: int, end: int) -> bool:
        """Whether a hit at ``start``-``end`` is in a quotation, in quoted law, or in a sense the term is not meant."""
        if self.only_after:
            allowed = self.only_after.get(text[start:end].lower())
            if allowed is not None and _word_class_before(doc, start) not in allowed:
                return True
        if self.skip_compounds and ("-" in text[max(start - 1, 0):start] or text[end:end + 1] == "-"):
            return True
        return skipped(doc, start, law=self.skip_law)

    def run(self, doc):
        text = text_of(doc)
        for _unit, hits in self.terms.find_each(doc, units(doc).of(self.scope)):
            for hit in hits:
                entry = hit.entry
                if entry is None or not entry.alternatives:
                    continue
                near = self.not_near.get(entry.term.lower()) if self.not_near else None
                if near and self._near(doc, near, hit.start):
                    continue
                if (self.skip_law or self.skip_compounds or self.only_after) and self._skipped(doc, text, hit.start, hit.end):
                    continue
                matched = text[hit.start:hit.end]
                form = entry.forms.get(matched.lower()) if entry.forms else None  # 'doelstellingen' -> 'doelen'
                alternatives = form or entry.alternatives
                replacement = None
                if self.fixable and entry.fixable and (form or matched.lower() == entry.term.lower()):
                    replacement = alternatives[0]
                    if hit.mode != "exact":  # exact terms (spelling of names) carry their own case
                        replacement = preserve_case(matched, replacement)
                yield Hit(
                    hit.start,
                    hit.end,
                    {"match": matched, "suggestion": alternatives[0], "note": entry.note},
                    tuple(alternatives),
                    replacement,
                    entry.level or self._level_by_pos(doc, hit.start, hit.end, " " not in entry.term.strip()),
                )

    @staticmethod
    def _near(doc, pattern: re.Pattern, offset: int) -> bool:
        """Whether ``pattern`` occurs in the paragraph at ``offset``; for a list item, in its list or the lead-in."""
        u = units(doc)
        for i, (start, end) in enumerate(u.paragraphs):
            if start <= offset < end:
                first = i
                while first > 0 and u.block_kinds[first] == "list_item":
                    first -= 1
                return bool(pattern.search(u.text, u.paragraphs[first][0], end))
        return False

    def _level_by_pos(self, doc, start: int, end: int, one_word: bool) -> str | None:
        """The level ``levels_by_pos`` gives a hit of a one-word term for its part of speech in this sentence (for
        a verb split by 'te', 'toe te lichten', the verb's); None for a phrase, or where the pipeline has no tagger."""
        if not self.levels_by_pos:
            return None
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and (len(span) == 1 or one_word and len(span) == 3 and span[1].lower_ == "te"):
            return self.levels_by_pos.get(span[-1].pos_)
        return None


def _word_class_before(doc, offset: int) -> str:
    """The UPOS of the word before the token at ``offset``; ``START`` at the start of a sentence or line,
    ``PUNCT`` after punctuation."""
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    if span is None or not len(span):
        return "START"
    token = span[0]
    if token.i == 0 or token.is_sent_start or doc[token.i - 1].is_space:
        return "START"
    before = doc[token.i - 1]
    return "PUNCT" if before.is_punct else before.pos_

