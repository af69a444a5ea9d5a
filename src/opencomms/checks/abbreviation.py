"""abbreviation: an abbreviation needs its meaning written out at first use.

Acronyms (at least two capitals, and at least half of the letters capitals: IND, RIVM, IenW) are checked
at their first occurrence in the document. They count as explained when the ``lexicon`` marks them
``common``, when they stand in brackets after their expansion ('Immigratie- en Naturalisatiedienst
(IND)'), when brackets with an explanation follow them, when the next table cell ('GRW | Grondwet') or an
apposition ('de DVLA, de Britse dienst voor rijbewijzen') explains them, or when the lexicon's expansion
already occurs before or in the same sentence. With ``dotted: true`` every abbreviation with full stops
from the lexicon (o.a., i.v.m.) is reported, with its expansion as suggestion. Words written in capitals
for emphasis (LET OP), Roman numerals (bijlage III) and acronyms that start a multi-word name ('BAG
Viewer', 'UX Designer') are skipped. Placeholders: ``{match}``, ``{expansion}``.
"""

from __future__ import annotations

import re

from opencomms import lexicons
from opencomms.checks.base import Hit, columns, preserve_case, text_of, token_strings, units
from opencomms.nlp.words import familiarity

FIELDS = {
    "lexicon": {"type": "string"},
    "dotted": {"type": "boolean"},
    "acronyms": {"type": "boolean"},
}
REQUIRED = ["lexicon"]
VARS = {"expansion"}

ROMAN = re.compile(r"^[IVXLC]+$")
ACRONYM = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2})[A-Z][A-Za-z]{1,7}$")
LOOKAHEAD = 100


class Check:
    def __init__(self, spec: dict, ctx):
        self.spec = spec
        try:
            lex = lexicons.load(spec["lexicon"], ctx.lexicon_dirs)
        except Exception as exc:
            raise ctx.error(spec, ["lexicon"], getattr(exc, "message", str(exc)))
        self.entries = {e.term: e for e in lex.entries}
        self.lower_entries = {e.term.lower(): e for e in lex.entries if "." in e.term}
        self.dotted = spec.get("dotted", False)
        self.acronyms = spec.get("acronyms", True)
        self.fixable = bool(spec.get("fixable"))
        self.needs: set[str] = set()
        self.scope = spec["scope"]

    def run(self, doc):
        text = text_of(doc)
        seen: set[str] = set()
        u = units(doc)
        idxs = columns(doc, ("IDX",))["IDX"][1]
        for i, word in enumerate(token_strings(doc, "ORTH")):  # the strings: cheaper than a Token for each word
            if self.dotted and "." in word:
                entry = self.lower_entries.get(word.lower())
                if entry and entry.expansion:
                    fix = preserve_case(word, entry.expansion) if self.fixable and entry.fixable else None
                    yield Hit(idxs[i], idxs[i] + len(word), {"match": word, "expansion": entry.expansion},
                              (entry.expansion,), fix)
                continue
            if not self.acronyms or word in seen or not ("A" <= word[:1] <= "Z" or word in self.entries):
                continue  # an acronym starts with a capital A-Z; a listed abbreviation is in the lexicon
            entry = self.entries.get(word)
            if not (_looks_like_acronym(word) or (entry is not None and _listed_acronym(word))):
                continue
            token = doc[i]
            if ROMAN.match(word) and entry is None:
                continue  # bijlage III, punt IX
            if _names_something(token):
                continue  # part of a name ('BAG Viewer', 'UX Designer'): a later use on its own is still checked
            seen.add(word)
            if entry is not None and entry.common:
                continue
            if word.isupper() and len(word) >= 4 and familiarity(word.lower()) >= 3.5 and entry is None:
                continue  # a word in capitals, not an abbreviation
            start, end = token.idx, token.idx + len(word)
            if _explained(text, start, end, entry, u):
                continue
            expansion = entry.expansion if entry else ""
            yield Hit(start, end, {"match": word, "expansion": expansion},
                      (f"{expansion} ({word})",) if expansion else ())


def _names_something(token) -> bool:
    """The acronym starts a multi-word name: the next word in the sentence has a capital ('BAG Viewer', 'OGC API')."""
    if token.i + 1 >= len(token.doc):
        return False
    following = token.doc[token.i + 1]
    return not following.is_sent_start and following.text[:1].isupper() and token.whitespace_ != ""


def _looks_like_acronym(word: str) -> bool:
    """IND, RIVM, IenW: at least two capitals, and at least half of the letters are capitals."""
    return bool(ACRONYM.match(word)) and sum(c.isupper() for c in word) * 2 >= sum(c.isalpha() for c in word)


def _listed_acronym(word: str) -> bool:
    """A listed abbreviation like Wmo or Awb, but not a listed one that is also an ordinary word."""
    if not word.isalpha() or len(word) < 2:
        return False
    return word[0].isupper() or familiarity(word) < 3.0


def _explained(text: str, start: int, end: int, entry, u) -> bool:
    before = text[max(0, start - 2):start]
    if before.endswith("(") and re.match(r"(?:['’]s)?\)", text[end:end + 3]):  # 'certificaten (DCC's)'
        return True
    after = text[end:end + LOOKAHEAD]
    if re.match(r"\s*\(\s*[^)\s][^)]{2,}\)", after):
        return True
    # explained in the next table cell ('GRW | Grondwet') or in an apposition ('de DVLA, de Britse instantie ...')
    if re.match(r"[ \t]*\|[ \t]*[A-Za-zÀ-ÿ]", after) or re.match(r",\s+(?:de|het|een)\s+\w+", after):
        return True
    if entry is not None and entry.expansion:
        sentence = u.sentence_at(start)
        upto = sentence[1] if sentence else end
        if entry.expansion.lower() in text[:upto].lower():
            return True
    return False
