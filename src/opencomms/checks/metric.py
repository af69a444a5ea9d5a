"""metric: a named readability measure against thresholds, per sentence, paragraph or document.

``metric`` names a feature: per sentence any key of ``doc._.oc_sentences`` (words, syllables,
long_words, infrequent_words, finite_verbs, max_dependency_length); per paragraph ``words`` or
``sentences``; per document any key of ``doc._.oc_readability``. ``thresholds`` maps levels to limits;
``direction`` says whether values ``above`` (default) or ``below`` a limit are flagged. The highest level
whose limit is crossed is reported; ``{limit}`` in the message is the mildest limit (the one to aim for). ``min_words`` skips units (or documents) that are too short to judge.
``skip_tables`` skips sentences that run through a table row or glossary line (' | ') and paragraphs that are a
table or glossary of two rows or more. Per sentence, ``skip_quotes`` skips sentences that open with a quotation mark, also after a speaker ('Mark: "...'), ``skip_law``
sentences in quoted law (:func:`opencomms.checks.base.in_quoted_law`). The word count of a sentence is
that of its longest part where the parse missed a sentence end before a capital, a number or a bracket
('... met DigiD. Klik op ...', '... weerspiegelt. 8 gesprekken zijn ...', '... bestaan. (Denk aan ...)'), or
after a label and a colon ('Begrijpelijke tekst: Maak een prototype ...'; at the start of a sentence also before a
lower-case word: 'Nader onderzoek: hoewel ...'). A quotation inside the sentence (a quoted page title or remark) counts
as one word. A sentence that readers take in steps is reported one level lower (a warning becomes a suggestion)
when each step is within the mildest limit: a colon splits it into a lead-in and what it announces (a list, a
question, an elaboration), or it is within the limit without its asides in brackets.
Placeholders: ``{value}``, ``{limit}``, ``{metric}``.
"""

from __future__ import annotations

import re

from opencomms.checks.base import SINGLE_QUOTED, Hit, in_quoted_law, text_of, units
from opencomms.finding import LEVEL_NAMES

PARAGRAPH_METRICS = {"words", "sentences"}
QUOTES = "\"“”„'‘’«"
SPEAKER = re.compile(r"\s*[\w .'-]{1,40}:\s*[\"“„]")  # 'Mark: "Rust stelt je in staat ..."'
# a sentence end the parse missed: a word of three letters or more, a full stop, then a capital, a number or a bracket
# (an abbreviation before a name, 'bijv. Den Haag', only makes the count lower, never a false finding)
# or a colon before a capitalised word: a label and a sentence ('Voor de gebruiker: Bekijk ...', '[!Note] :100: Het ...')
MISSED_END = re.compile(r"(?<=[A-Za-zé]{3}[.!?])\s+(?=[(\dA-Z])|(?<=[^\s:]:)\s+(?=[A-Z][a-z])")
# a quotation inside a sentence: a quoted title or remark counts as one word (the writer cannot split it); one not
# closed in the sentence runs to its end ('De tekst is nu: “Meld je NU aan bij ...')
QUOTATION = re.compile(r'"[^"\n]+"|“[^”\n]*(?:”|$)|„[^”“\n]*(?:[”“]|$)|' + SINGLE_QUOTED.pattern)
# a colon inside a sentence, before what it announces: 'Informeer de omwonenden: welke locatie en waarom, ...'
COLON = re.compile(r"(?<=[^\s:]):\s+(?=\S)")
BRACKETED = re.compile(r"\([^()\n]*\)")  # an aside in brackets: '(zoals een betaalde boete)'
QUOTED_WORDS = 5  # a shorter quotation is a term ('eenmalig inwinnen, meervoudig gebruik') and counts word by word
# a label of one to three words and a colon at the start, also before a lower-case word ('Nader onderzoek: hoewel ...')
LABEL = re.compile(r"\s*(?:[^\s:]+\s+){0,2}[^\s:\d]*[^\W\d]:\s+(?=\S)")
NEEDS = {
    "finite_verbs": {"pos", "morph"},
    "words_per_clause": {"pos", "morph"},
    "content_words_per_finite_verb": {"pos", "morph"},
    "max_dependency_length": {"dep"},
}
FIELDS = {
    "metric": {"type": "string"},
    "thresholds": {
        "type": "object",
        "additionalProperties": False,
        "properties": {level: {"type": "number"} for level in LEVEL_NAMES},
        "minProperties": 1,
    },
    "direction": {"enum": ["above", "below"]},
    "min_words": {"type": "integer", "minimum": 0},
    "block_kinds": {"type": "array", "items": {"type": "string"}},
    "skip_tables": {"type": "boolean"},
    "skip_quotes": {"type": "boolean"},
    "skip_law": {"type": "boolean"},
}
REQUIRED = ["metric", "thresholds"]
VARS = {"value", "limit", "metric"}

SENTENCE_METRICS = {"words", "syllables", "long_words", "infrequent_words", "finite_verbs", "max_dependency_length",
                    "content_words"}
DOCUMENT_METRICS = {"words", "sentences", "paragraphs", "words_per_sentence", "syllables_per_word", "flesch_douma",
                    "leesindex_a", "long_word_share", "infrequent_word_share", "words_per_clause",
                    "content_words_per_finite_verb", "max_dependency_length", "level"}


class Check:
    def __init__(self, spec: dict, ctx):
        self.spec = spec
        self.metric = spec["metric"]
        self.scope = spec["scope"]
        allowed = {"sentence": SENTENCE_METRICS, "paragraph": PARAGRAPH_METRICS, "document": DOCUMENT_METRICS}[self.scope]
        if self.metric not in allowed:
            raise ctx.error(spec, ["metric"], f"unknown {self.scope} metric (known: {', '.join(sorted(allowed))})")
        self.below = spec.get("direction", "above") == "below"
        # strictest level last, so the highest crossed level wins
        self.thresholds = sorted(spec["thresholds"].items(), key=lambda item: LEVEL_NAMES.index(item[0]))
        self.min_words = spec.get("min_words", 0)
        self.block_kinds = set(spec.get("block_kinds", ()))
        self.skip_tables = spec.get("skip_tables", False)
        self.skip_quotes = spec.get("skip_quotes", False)
        self.skip_law = spec.get("skip_law", False)
        self.needs = set(NEEDS.get(self.metric, ()))

    def _grade(self, value):
        if value is None:
            return None
        crossed = None
        for level, limit in self.thresholds:
            if (value < limit) if self.below else (value > limit):
                crossed = (level, limit)
        return crossed

    def run(self, doc):
        u = units(doc)
        if self.scope == "sentence":
            for sent in doc._.oc_sentences or ():
                if sent["words"] < max(self.min_words, 1):
                    continue
                text = text_of(doc)[sent["start"]:sent["end"]]
                if self.skip_tables and " | " in text or self.skip_quotes and (text.lstrip()[:1] in QUOTES or SPEAKER.match(text)):
                    continue
                value = sent[self.metric]
                if self.metric == "words" and self._grade(value) and (
                        MISSED_END.search(text) or LABEL.match(text) or QUOTATION.search(text)):
                    value = min(value, _longest_part(text))
                if self.skip_law and self._grade(value) and in_quoted_law(doc, sent["start"]):
                    continue
                lower = self.metric == "words" and self._grade(value) is not None and _in_steps(text, self.thresholds[0][1])
                yield from self._hit(doc, value, sent["start"], sent["end"], lower)
        elif self.scope == "paragraph":
            sentences = doc._.oc_sentences or ()
            for (start, end), kind in zip(u.paragraphs, u.block_kinds):
                if self.block_kinds and kind not in self.block_kinds:
                    continue
                if self.skip_tables and sum(" | " in line for line in text_of(doc)[start:end].splitlines()) >= 2:
                    continue  # a table or glossary of two rows or more is not a paragraph to split
                inside = [s for s in sentences if start <= s["start"] < end and s["words"]]
                words = sum(s["words"] for s in inside)
                if words < max(self.min_words, 1):
                    continue
                value = words if self.metric == "words" else len(inside)
                yield from self._hit(doc, value, start, end)
        else:
            feats = doc._.oc_readability or {}
            if feats.get("words", 0) < self.min_words:
                return
            start, end = u.first_words()
            yield from self._hit(doc, feats.get(self.metric), start, end)

    def _hit(self, doc, value, start, end, lower=False):
        crossed = self._grade(value)
        if crossed:
            while end > start and text_of(doc)[end - 1].isspace():
                end -= 1
            level, _crossed_limit = crossed
            if lower:  # one level milder, never below the mildest the rule reports
                levels = [name for name, _limit in self.thresholds]
                level = levels[max(levels.index(level) - 1, 0)]
            shown = round(value, 1) if isinstance(value, float) else value
            target = self.thresholds[0][1]  # the mildest limit is the one to write towards
            yield Hit(start, end, {"value": shown, "limit": target, "metric": self.metric, "match": text_of(doc)[start:end]},
                      level=level)


def _longest_part(text: str, boundary: re.Pattern = MISSED_END) -> int:
    """Words in the longest part of a sentence, split at ``boundary`` (where the parse missed a sentence end) and
    after a label; a quotation counts as one word."""
    text = QUOTATION.sub(lambda m: "“…”" if _words(m.group()) >= QUOTED_WORDS else m.group(), text)
    label = LABEL.match(text)
    if label:
        text = text[label.end():]
    parts = boundary.split(text)
    return max(_words(part) for part in parts)


def _in_steps(text: str, limit: int) -> bool:
    """Whether each step of the sentence is within ``limit``: the parts a colon makes, or the sentence without its
    asides in brackets."""
    if COLON.search(text) and _longest_part(text, COLON) <= limit:
        return True
    return BRACKETED.search(text) is not None and _longest_part(BRACKETED.sub("", text)) <= limit


def _words(text: str) -> int:
    """Words in a piece of a sentence, counted roughly as the analysis counts them (tokens with a letter or digit)."""
    return sum(1 for piece in text.split() if any(ch.isalnum() for ch in piece))
