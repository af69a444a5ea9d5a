"""What every rule has (the header), what a check yields (a Hit), and the units a scope walks over."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

import numpy
from spacy import attrs as spacy_attrs
from spacy.tokens import Doc

from opencomms.finding import LEVEL_NAMES
from opencomms.principles import ASPECTS, CATEGORIES

SCOPES = ["sentence", "paragraph", "document"]
NEEDS = ["lemma", "pos", "morph", "dep", "ents"]

HEADER = {
    "id": {"type": "string", "pattern": r"^[a-z0-9-]+\.[a-z0-9-]+$"},
    "kind": {"type": "string"},
    "principle": {"enum": list(ASPECTS)},
    "category": {"enum": list(CATEGORIES)},
    "level": {"enum": LEVEL_NAMES},
    "message": {"type": "string", "minLength": 1},
    "description": {"type": "string", "minLength": 1},
    "link": {"type": "string"},
    "suggestions": {"type": "array", "items": {"type": "string"}},
    # the same suggestions for a text that addresses its reader with 'je' (when they show text for the reader)
    "suggestions_je": {"type": "array", "items": {"type": "string"}},
    "scope": {"enum": SCOPES},
    "needs": {"type": "array", "items": {"enum": NEEDS}, "uniqueItems": True},
    "fixable": {"type": "boolean"},
    "profiles": {"type": "array", "items": {"type": "string"}},
    "aliases": {"type": "array", "items": {"type": "string"}},
    "examples": {
        "type": "object",
        "additionalProperties": False,
        "required": ["match", "no_match"],
        "properties": {
            "match": {"type": "array", "items": {"type": "string"}, "minItems": 2},
            "no_match": {"type": "array", "items": {"type": "string"}, "minItems": 2},
            "options": {"type": "object"},
            "fix": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["text", "fixed"],
                    "properties": {"text": {"type": "string"}, "fixed": {"type": "string"}},
                },
            },
        },
    },
}
REQUIRED = ["id", "kind", "principle", "category", "level", "message", "description", "scope", "needs", "examples"]

# Placeholders every message may use; kinds add their own.
MESSAGE_VARS = {"match", "suggestion", "note"}


@dataclass
class Hit:
    """What a check reports: a character range of the Doc plus what the message needs."""

    start: int
    end: int
    vars: dict[str, Any] = field(default_factory=dict)
    suggestions: tuple[str, ...] = ()
    replacement: str | None = None  # a safe fix, when the rule is fixable
    level: str | None = None  # for kinds that grade (metric thresholds)


def text_of(doc: Doc) -> str:
    """``doc.text``, built once per Doc (spaCy rebuilds it from the tokens on every access)."""
    text = doc.user_data.get("oc_text")
    if text is None:
        text = doc.user_data["oc_text"] = doc.text
    return text


# Token attributes whose values are string hashes (POS: a part-of-speech id); the others (flags, LENGTH, IDX,
# SENT_START …) are small integers.
HASHED = {"DEP", "LEMMA", "LOWER", "TAG", "ORTH", "TEXT", "NORM", "POS", "SHAPE", "ENT_TYPE"}


def columns(doc: Doc, names) -> dict[str, tuple]:
    """Token attribute columns of a Doc as (numpy array, list), read once per Doc and attribute.

    Reading a column costs about as much as making a few Token objects; rules that look at every token
    read columns instead of iterating the Doc.
    """
    cols = doc.user_data.setdefault("oc_columns", {})
    missing = [name for name in names if name not in cols]
    if missing:
        ids = [spacy_attrs.IDS["ORTH" if name == "TEXT" else name] for name in missing]
        array = doc.to_array(ids).reshape(len(doc), len(missing))
        for k, name in enumerate(missing):
            column = array[:, k] if name in HASHED else array[:, k].astype(numpy.int64)
            cols[name] = (column, column.tolist())
    return cols


def token_strings(doc: Doc, name: str) -> list[str]:
    """The text (``ORTH``), lemma (``LEMMA``), … of every token, read once per Doc from its column."""
    cache = doc.user_data.setdefault("oc_strings", {})
    values = cache.get(name)
    if values is None:
        strings = doc.vocab.strings
        values = cache[name] = [strings[h] for h in columns(doc, (name,))[name][1]]
    return values


def _sentences(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges of the sentences with a word in them (not only spaces or punctuation).

    The same as ``doc.sents`` gives, read from the token arrays: spaCy's ``doc.sents`` makes every token a
    Python object, which costs more than most rules do on a short text.
    """
    if "sents" in doc.user_hooks or not len(doc) or not doc.has_annotation("SENT_START"):
        return [(s.start_char, s.end_char) for s in doc.sents if any(not t.is_space and not t.is_punct for t in s)]
    cols = columns(doc, ("SENT_START", "IS_SPACE", "IS_PUNCT", "IDX", "LENGTH"))
    starts = [0] + (numpy.flatnonzero(cols["SENT_START"][0][1:] == 1) + 1).tolist()
    ends = starts[1:] + [len(doc)]
    words = numpy.concatenate(([0], numpy.cumsum((cols["IS_SPACE"][0] == 0) & (cols["IS_PUNCT"][0] == 0)))).tolist()
    idx, length = cols["IDX"][1], cols["LENGTH"][1]
    return [(idx[s], idx[e - 1] + length[e - 1]) for s, e in zip(starts, ends) if words[e] > words[s]]


class Units:
    """Sentences, paragraphs or the document of a Doc, as character ranges, computed once per Doc.

    Cached in ``doc.user_data``, so it keeps the text, never the Doc: a reference back would make a cycle
    that only a full garbage collection frees, and a Doc (with its arrays) would outlive its use.
    """

    def __init__(self, doc: Doc):
        self.text = text_of(doc)
        self.sentences = _sentences(doc)
        blocks = doc._.oc_blocks or [(0, len(self.text), "paragraph")]
        self.paragraphs = [(start, end) for start, end, _kind in blocks]
        self.block_kinds = [kind for _s, _e, kind in blocks]
        first = self.sentences[0] if self.sentences else (0, 0)
        self.document = [(first[0], len(self.text))]
        self._sent_starts = [s for s, _ in self.sentences]
        self._para_starts = [s for s, _ in self.paragraphs]

    def of(self, scope: str) -> list[tuple[int, int]]:
        return {"sentence": self.sentences, "paragraph": self.paragraphs, "document": self.document}[scope]

    def sentence_at(self, offset: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self._sent_starts, offset) - 1
        if i >= 0 and self.sentences[i][0] <= offset < max(self.sentences[i][1], self.sentences[i][0] + 1):
            return self.sentences[i]
        return None

    def containing(self, scope: str, offset: int) -> tuple[int, int] | None:
        for start, end in self.of(scope):
            if start <= offset < end:
                return start, end
        return None

    def passage(self, offset: int) -> tuple[int, int] | None:
        """The paragraph at ``offset``; for a list item, the whole list with the lead-in that ends in a colon
        ('Dit zijn de doelen van het kabinet:'), which the items continue."""
        i = bisect.bisect_right(self._para_starts, offset) - 1
        if i < 0 or offset >= self.paragraphs[i][1]:
            return None
        if self.block_kinds[i] != "list_item":
            return self.paragraphs[i]
        first = last = i
        while first > 0 and self.block_kinds[first - 1] == "list_item":
            first -= 1
        while last + 1 < len(self.paragraphs) and self.block_kinds[last + 1] == "list_item":
            last += 1
        if first > 0 and self.text[self.paragraphs[first - 1][0]:self.paragraphs[first - 1][1]].rstrip().endswith(":"):
            first -= 1
        return self.paragraphs[first][0], self.paragraphs[last][1]

    def first_words(self) -> tuple[int, int]:
        """A short anchor for document-level findings: the first sentence (at most its first line)."""
        if not self.sentences:
            return 0, 0
        start, end = self.sentences[0]
        text = self.text[start:end]
        stop = text.find("\n")
        if stop > 0:
            end = start + stop
        return start, start + len(text[: end - start].rstrip())


def units(doc: Doc) -> Units:
    cached = doc.user_data.get("oc_units")
    if cached is None:
        cached = doc.user_data["oc_units"] = Units(doc)
    return cached


OPENING_QUOTES, CLOSING_QUOTES = "“„«", "”»"
# a short quotation in single quotes: the name of a page, a button or a rule ('de pagina 'Controle en verzenden'',
# 'de gedragsregel ‘integrale kostprijs doorberekening’'); an apostrophe inside or after a word ('auto's', 'z'n',
# 'ZZP’ers') neither opens nor closes one
SINGLE_QUOTED = re.compile(r"(?<!\w)['‘](?=\w)[^'‘’\"“”„\n]{1,80}?(?<=[\w.!?)])['’](?!\w)")
# the title of a page or document that a sentence ends on, without quotes ('Lees meer op Testbewijs regelen als
# coronabewijs voor uw reis.'): a capital after 'op', 'via', 'naar' or 'zie' inside a sentence, then only small
# words to the end. A conjunction or a pronoun that is not part of a phrase ('en vul uw', 'als u') means the
# writer's own words go on after a name ('Ga naar Mijn toeslagen en vul uw gegevens in').
END_TITLE = re.compile(r"(?<=\w[ \t])(?:op|via|naar|zie)[ \t]+([A-Z][a-zà-ÿ]+(?:[ \t]+[a-zà-ÿ]+){2,})[ \t]*[.!?]?\s*-?\s*$")
TITLE_BREAK = re.compile(r"\b(?:en|of|maar|want|dus)\b"
                         r"|\b(?!(?:voor|van|met|bij|over|aan|in|op|uit|naar|om)\s)\w+\s+(?:u|uw|je|jij|jouw|we|wij|ik)\b")
ARTICLE = re.compile(r"\b(artikel(en)?|art\.)\s*\d|\((EU|EG|EEG)\)\s*(nr\.\s*)?\d{2,4}/\d+|\brichtlijn\s+\d{4}/\d+", re.IGNORECASE)
LEGAL_ITEM = re.compile(r"\s*(\(?([a-z]|[ivx]{1,4}|\d{1,2})[.)])\s+[a-z]")
# the parties of a contract or tender: 'opdrachtgever' alone is too common in ordinary prose ('de opdrachtgever
# van het project'), written as a defined term with a capital inside a sentence it is a contract
# (or without an article: 'door opdrachtgever worden bepaald', 'Opdrachtgever laat het een ieder vrij'); the
# contract formula 'onder de overeenkomst' ('alle onder de overeenkomst ontwikkelde broncode') names no party
PARTIES = re.compile(r"(?<=[a-z,] )Opdrachtgever\b|\b([Oo]pdrachtnemers?|[Ww]ederpartij|[Ii]nschrijvers?)\b"
                     r"|\b(?:door|aan|voor|met|dat) opdrachtgever\b|(?<![\w,] )(?<!\w)Opdrachtgever (?=[a-z])"
                     r"|\bonder (?:de|deze) overeenkomst\b")
# a norm restated with its control number ('(BIO 12.6.1)'), or the AI Act's two parties in one sentence (its text
# restated without an article number: 'aanbieders ... gebruiksverantwoordelijken')
NORM = re.compile(r"\bBIO[ -]?\d+(\.\d+)+|(?<![\w-])aia-\d{2}\b")  # 'aia-23': an AI Act requirement restated
# a model text to fill in: a placeholder in square brackets ('binnen [termijn]', 'onder de [open source licentie]')
PLACEHOLDER = re.compile(r"\[(?:[a-z][a-z-]*(?: [a-z-]+)+|termijn|naam|datum|bedrag|aantal)\]")
# a text quoted after a lead-in that names it ('staat de eis: Alle bevindingen dienen te ...', 'werd de volgende
# tekstsuggestie gedaan: ...', 'De hoofdvraag luidt: ...') or a definition quoted from a law ('De AVG definieert
# profilering als ...')
QUOTED_TEXT = re.compile(r"\b(?:tekst(?:suggestie|voorstel)?|formulering|bepaling|clausule|eis)(?:\s+\w+){0,2}\s*:\s"
                         r"|\bluidt\s*:|\b(?:AVG|AI-verordening|[Ww]et|[Vv]erordening|[Rr]ichtlijn)\s+definieert\b")
AI_ACT = re.compile(r"(?=.*\baanbieders?\b)(?=.*\bgebruiksverantwoordelijken?\b)|.*\bAI-syste(?:em|men) met een hoog risico\b",
                    re.IGNORECASE | re.DOTALL)


def in_table_row(text: str, start: int) -> bool:
    """The hit is on a line with ' | ': a table row or glossary entry, not running prose."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    return " | " in text[line_start:line_end if line_end >= 0 else len(text)]


def skipped(doc: Doc, start: int, tables: bool = False, quotes: bool = False, law: bool = False) -> bool:
    """Whether a hit at ``start`` lies where a rule asked not to look (its options ``skip_tables``,
    ``skip_quotes``, ``skip_law``): a table row or glossary line, a quotation, quoted law."""
    return (tables and in_table_row(text_of(doc), start) or quotes and in_quotation(doc, start)
            or law and in_quoted_law(doc, start))


def in_quotation(doc: Doc, offset: int) -> bool:
    """Whether ``offset`` lies between an opening and a closing double quote ('"', “ ”, „ ”) in its paragraph
    (a quotation that is not closed runs to the end of the paragraph), in a short single-quoted name, or in
    the title of a page that ends the sentence."""
    text = text_of(doc)
    start, end = units(doc).containing("paragraph", offset) or (0, len(text))
    if any(m.start() < offset < m.end() for m in SINGLE_QUOTED.finditer(text, start, end)):
        return True
    inside = False
    for ch in text[start:offset]:
        if ch in OPENING_QUOTES:
            inside = True
        elif ch in CLOSING_QUOTES:
            inside = False
        elif ch == '"':
            inside = not inside
    return inside or in_end_title(doc, offset)


def in_end_title(doc: Doc, offset: int) -> bool:
    """Whether ``offset`` lies in the title of a page that its sentence ends on, written without quotes (see
    END_TITLE): 'Lees meer op Testbewijs regelen als coronabewijs voor uw reis.'"""
    sentence = units(doc).sentence_at(offset)
    if sentence is None:
        return False
    text = text_of(doc)
    m = END_TITLE.search(text, sentence[0], sentence[1])
    return bool(m) and m.start(1) < offset < m.end(1) and not TITLE_BREAK.search(m.group(1))


def in_quoted_law(doc: Doc, offset: int) -> bool:
    """Whether ``offset`` is in quoted law, which the writer cannot rephrase: a sentence that cites an article
    or an EU act ('artikel 61', 'Verordening (EU) 2016/679', 'Richtlijn 2019/882'), an item of a legal enumeration ('h. indien een
    aanbieder ...;') or a contract or tender clause (a sentence that names the opdrachtnemer, the inschrijver or the Wederpartij,
    or a model text with a placeholder to fill in: 'binnen [termijn]'),
    a norm restated with its control number ('(BIO 9.4.2)', 'aia-23 Logs ... worden bewaard'), AI Act text (a sentence that names both the aanbieder
    and the gebruiksverantwoordelijke, or the Act's own 'AI-systeem met een hoog risico'), or, after a lead-in that names it,
    a quoted text ('staat de eis: ...', 'De AVG definieert profilering als ...')."""
    text = text_of(doc)
    u = units(doc)
    block = u.containing("paragraph", offset) or (0, len(text))
    sentence = u.sentence_at(offset) or block
    cache = doc.user_data.setdefault("oc_quoted_law", {})  # the answer is the same for the whole sentence
    found = cache.get((sentence, block))
    if found is None:
        found = cache[(sentence, block)] = _quoted_law(text, sentence, block)
    return found or any(m.end() <= offset for m in QUOTED_TEXT.finditer(text, sentence[0], sentence[1]))


def _quoted_law(text: str, sentence: tuple[int, int], block: tuple[int, int]) -> bool:
    if any(p.search(text, sentence[0], sentence[1]) for p in (ARTICLE, PARTIES, NORM, PLACEHOLDER)):
        return True
    if AI_ACT.match(text[sentence[0]:sentence[1]]):
        return True
    paragraph = text[block[0]:block[1]]
    ending = paragraph.rstrip()
    return bool(LEGAL_ITEM.match(paragraph)) and (ending[-1:] in ";:," or ending.endswith((" en", " of")))


# The reader addressed with u/uw or with je/jij/jouw/jullie, not counting names and abbreviations ('U-pas',
# 'a.u.b.'): the same forms as rules/aanspreekbaar/mixed-address.yaml counts.
_ADDRESS = {
    "u": re.compile(r"[Uu](?<![\w.\-‐'’][Uu])w?(?![\w\-‐'’]|\.\w)"),
    "je": re.compile(r"[Jj](?<![\w.\-‐'’][Jj])(?:e|ij|ou|ouw|ullie)(?![\w\-‐'’]|\.\w)"),
}


def reader_address(doc: Doc) -> str:
    """'je' when the text addresses its reader with je more often than with u, else 'u'; once per Doc."""
    form = doc.user_data.get("oc_address")
    if form is None:
        text = text_of(doc)
        counts = {name: sum(1 for _ in regex.finditer(text)) for name, regex in _ADDRESS.items()}
        form = doc.user_data["oc_address"] = "je" if counts["je"] > counts["u"] else "u"
    return form


def preserve_case(original: str, replacement: str) -> str:
    """Give ``replacement`` the capitalisation of ``original`` (Sentence case or ALL CAPS)."""
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement
