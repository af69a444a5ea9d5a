"""Finding words and phrases in a Doc: from a list, a lexicon or regular expressions.

Every kind that looks for words (existence, substitution, occurrence, conditional, consistency) describes
them with the same *term fields* and compiles them into a :class:`Terms` matcher once, at load time.
Matching works on a per-Doc index of token keys (surface form, lowercase, normalised lemma) computed
once and cached on the Doc, so many word lists cost one pass each; each list looks up only the pieces
where one of its terms can start. A one-word term found by its lemma in a verb split by 'te' covers the whole
verb ('toe te lichten' for 'toelichten'), for every kind. ``skip_names`` skips a capitalised word inside a
sentence (a name), ``skip_tables`` a table row or glossary line, ``skip_quotes`` a word inside a quotation (someone
else's words or a quoted name: 'het thema ‘parkeren gehandicapten’').
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.tokens import Doc

from opencomms import lexicons
from opencomms.checks import literals
from opencomms.checks.base import columns, in_quotation, in_table_row, text_of, token_strings
from opencomms.errors import ConfigError
from opencomms.lexicons import Entry

TERM_FIELDS = {
    "tokens": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
    "lexicon": {"type": "string"},
    "categories": {"type": "array", "items": {"type": "string"}},
    "tags": {"type": "array", "items": {"type": "string"}},
    "exclude_tags": {"type": "array", "items": {"type": "string"}},
    "regex": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
    "match": {"enum": lexicons.MATCH_MODES},
    "exceptions": {"type": "array", "items": {"type": "string"}},
    "min_weight": {"type": "number"},
    "skip_names": {"type": "boolean"},
    "skip_tables": {"type": "boolean"},
    "skip_quotes": {"type": "boolean"},
}

TERM_SPEC = {"type": "object", "additionalProperties": False, "properties": TERM_FIELDS}


@dataclass(frozen=True)
class Hit:
    start: int  # character offsets in the Doc text (= source offsets)
    end: int
    entry: Entry | None = None
    mode: str = ""  # how it matched: lemma, lower or exact ("" for regex hits)


def norm_lemma(lemma: str) -> str:
    lemma = lemma.lower()
    return lemma.replace("_", "").replace("|", "") if "_" in lemma or "|" in lemma else lemma


_PIECE = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*\.?|[^\w\s-]")


def _pieces(text: str) -> list[tuple[int, int]]:
    """Words and symbols inside a token: 'Wob-verzoek' → Wob, verzoek; '100%' → 100, %; 'o.a.' stays."""
    return [m.span() for m in _PIECE.finditer(text)]


def doc_keys(doc: Doc) -> tuple[list[tuple[int, int]], dict[str, list[str]]]:
    """Character spans of the word pieces of a Doc and their keys per match mode, computed once per Doc.

    Tokens are split into pieces the same way terms are, so a term matches inside hyphenated compounds
    ('Wob' in 'Wob-verzoek') and tokenizer differences between terms and text do not matter.
    """
    cached = doc.user_data.get("oc_keys")
    if cached is None:
        spans: list[tuple[int, int]] = []
        exact: list[str] = []
        lemma_keys: list[str] = []
        cols = columns(doc, ("IDX", "IS_SPACE"))
        for text, idx, lemma, space in zip(token_strings(doc, "ORTH"), cols["IDX"][1], token_strings(doc, "LEMMA"),
                                           cols["IS_SPACE"][1]):
            if space:
                continue
            lemma = norm_lemma(lemma) if lemma else text.lower()
            if text.isalnum():  # a plain word is one piece (the common case, without the regex)
                spans.append((idx, idx + len(text)))
                exact.append(text)
                lemma_keys.append(lemma)
                continue
            pieces = _pieces(text)
            if len(pieces) == 1:
                a, b = pieces[0]
                spans.append((idx + a, idx + b))
                exact.append(text[a:b])
                lemma_keys.append(lemma if (a, b) == (0, len(text)) else text[a:b].lower())
                continue
            lemma_pieces = [lemma[a:b] for a, b in _pieces(lemma)]
            for k, (a, b) in enumerate(pieces):
                spans.append((idx + a, idx + b))
                exact.append(text[a:b])
                same = len(lemma_pieces) == len(pieces)
                lemma_keys.append(lemma_pieces[k] if same else text[a:b].lower())
        keys = {"exact": exact, "lower": [w.lower() for w in exact], "lemma": lemma_keys}
        cached = doc.user_data["oc_keys"] = (spans, keys)
    return cached


def doc_index(doc: Doc) -> dict[str, list[int]]:
    """Every key of the Doc's pieces (all match modes) → the pieces that have it, computed once per Doc."""
    where = doc.user_data.get("oc_key_index")
    if where is None:
        _spans, keys = doc_keys(doc)
        where = {}
        for i, (exact, lower, lemma) in enumerate(zip(keys["exact"], keys["lower"], keys["lemma"])):
            for key in (exact, lower, lemma):
                found = where.get(key)
                if found is None:
                    where[key] = [i]
                elif found[-1] != i:  # a piece whose keys are the same is listed once under it
                    found.append(i)
        doc.user_data["oc_key_index"] = where
    return where


def _split(term: str) -> list[str]:
    """Split a phrase into pieces exactly as :func:`doc_keys` splits the text."""
    return [term[a:b] for a, b in _pieces(term)]


class Terms:
    """A compiled set of words/phrases (with their lexicon entries) and regexes."""

    def __init__(self, spec: dict, lexicon_dirs=(), default_match: str = "lemma", keys: tuple = ()):
        self.mode = spec.get("match")
        self.needs: set[str] = set()
        self.single_words: set[str] = set()  # the one-word terms
        self.pair_firsts: set[str] = set()  # the first words of the phrases
        self.pair_seconds: set[str] = set()  # and their second words
        self.singles: dict[str, list[tuple[tuple[str, ...], Entry | None, str]]] = {}
        self.pairs: dict[tuple[str, str], list[tuple[tuple[str, ...], Entry | None, str]]] = {}
        entries: list[tuple[str, Entry | None, str]] = []
        for term in spec.get("tokens", ()):
            entries.append((term, None, self.mode or default_match))
        if "lexicon" in spec:
            try:
                lex = lexicons.load(spec["lexicon"], lexicon_dirs)
            except ConfigError as exc:
                if exc.where:
                    raise
                raise ConfigError(exc.message, keys=(*keys, "lexicon")) from None
            for entry in lex.select(spec.get("categories"), spec.get("tags")):
                if set(spec.get("exclude_tags", ())) & set(entry.tags):
                    continue
                if entry.weight < spec.get("min_weight", 0):
                    continue
                mode = self.mode or entry.match or lex.match
                entries.append((entry.term, entry, mode))
                for variant in entry.variants:
                    entries.append((variant, entry, mode))
        elif spec.get("categories") or spec.get("tags"):
            raise ConfigError("categories and tags need a lexicon", keys=(*keys, "categories"))
        # an exception is matched like a term, so that a longer one swallows a hit inside it ('nooit meer dan'
        # is not the promise 'nooit meer'), and is then dropped with every hit whose text it is
        entries += [(term, None, "lower") for term in spec.get("exceptions", ())]
        for term, entry, mode in entries:
            self.add(term, entry, mode)
        self.regexes = []
        for i, pattern in enumerate(spec.get("regex", ())):
            try:
                self.regexes.append(re.compile(pattern))
            except re.error as exc:
                raise ConfigError(f"invalid regex {pattern!r}: {exc}", keys=(*keys, "regex", i)) from None
        self.regex_needs = [literals.required(regex.pattern) for regex in self.regexes]  # words each one needs
        self.exceptions = {e.lower() for e in spec.get("exceptions", ())}
        self.skip_names = spec.get("skip_names", False)
        self.skip_tables = spec.get("skip_tables", False)
        self.skip_quotes = spec.get("skip_quotes", False)

    @property
    def empty(self) -> bool:
        return not self.single_words and not self.pair_firsts and not self.regexes

    def add(self, term: str, entry: Entry | None, mode: str) -> None:
        """Index one word or phrase (longest phrases are tried first)."""
        words = _split(term)
        if not words:
            return
        if mode != "exact":
            words = [w.lower() for w in words]
        if mode == "lemma":
            self.needs.add("lemma")
        item = (tuple(words), entry, mode)
        if len(words) == 1:
            self.single_words.add(words[0])
            self.singles.setdefault(words[0], []).append(item)
        else:
            self.pair_firsts.add(words[0])
            self.pair_seconds.add(words[1])  # phrases by their first two words: most phrases fail on their second word
            bucket = self.pairs.setdefault((words[0], words[1]), [])
            bucket.append(item)
            bucket.sort(key=lambda item: -len(item[0]))

    def find_each(self, doc: Doc, ranges):
        """(range, hits) for each character range of ``ranges`` that has a hit, as :meth:`find` finds them.

        A range is searched only when a term hit reaches into it or when it has the words one of the
        regexes needs (a rule's words usually occur in a few sentences of a text, if at all).
        """
        _hits, starts, reach = self._whole(doc)
        regexes = self._live_regexes(doc) if self.regexes else ()
        if not starts and not regexes:
            return
        for start, end in ranges:
            unit_regexes = self._unit_regexes(doc, regexes, start, end) if regexes else []
            if unit_regexes or _touches(starts, reach, start, end):
                hits = self.find(doc, start, end, unit_regexes)
                if hits:
                    yield (start, end), hits

    def find(self, doc: Doc, start: int = 0, end: int | None = None, regexes: list | None = None) -> list[Hit]:
        """Non-overlapping hits within character range [start, end), longest phrase first.

        Terms: the whole text is searched once per Doc and a range gets the hits that lie in it; only where
        such a hit crosses the range's edge (a phrase running on into the next sentence) is the range
        searched on its own. Regexes search the range itself (their look-aheads and ``$`` stop at its end),
        each only if the range has the words it needs.
        """
        text = text_of(doc)
        end = len(text) if end is None else end
        hits, starts, reach = self._whole(doc)
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        if lo > 0 and reach[lo - 1] > start or hi > lo and reach[hi - 1] > end:
            found = self._search_terms(doc, start, end)
        else:
            found = hits[lo:hi]
        if regexes is None:  # (find_each passes the regexes it has already screened for this range)
            regexes = self._unit_regexes(doc, self._live_regexes(doc), start, end) if self.regexes else ()
        if regexes:
            found = found + [Hit(m.start(), m.end(), None) for regex in regexes
                             for m in regex.finditer(text, start, end) if m.end() > m.start()]
            found.sort(key=lambda h: (h.start, -h.end))
        if self.exceptions:
            found = [h for h in found if text[h.start:h.end].lower() not in self.exceptions]
        found = [h for h in found if text[max(h.start - 2, 0):h.start] not in ('="', "='")]  # code: type="email"
        if self.skip_names:
            found = [h for h in found if not _in_name(text, h.start)]
        if self.skip_tables:
            found = [h for h in found if not in_table_row(text, h.start)]
        if self.skip_quotes:
            found = [h for h in found if not in_quotation(doc, h.start)]
        return found

    def _whole(self, doc: Doc) -> tuple[list[Hit], list[int], list[int]]:
        """The term hits of the whole text, their starts, and the furthest end up to each; once per Doc."""
        cache = doc.user_data.setdefault("oc_term_hits", {})
        found = cache.get(self)
        if found is None:
            hits = self._search_terms(doc, 0, len(text_of(doc)))
            found = cache[self] = (hits, [hit.start for hit in hits], _reach(hit.end for hit in hits))
        return found

    def _live_regexes(self, doc: Doc) -> list[tuple[re.Pattern, tuple]]:
        """(regex, the words it needs) for the regexes that can match somewhere in this text (checks/literals.py)."""
        cache = doc.user_data.setdefault("oc_live_regexes", {})
        live = cache.get(self)
        if live is None:
            folded = _folded(doc, 0, len(text_of(doc)))
            live = cache[self] = [(regex, needs) for regex, needs in zip(self.regexes, self.regex_needs)
                                  if literals.may_match(needs, folded)]
        return live

    @staticmethod
    def _unit_regexes(doc: Doc, live, start: int, end: int) -> list[re.Pattern]:
        """The regexes of ``live`` that can match within [start, end): it has the words each needs."""
        folded = _folded(doc, start, end) if any(needs for _, needs in live) else ""
        return [regex for regex, needs in live if literals.may_match(needs, folded)]

    def _search_terms(self, doc: Doc, start: int, end: int) -> list[Hit]:
        """The terms within [start, end): longest phrase first, not overlapping, in text order."""
        hits: list[Hit] = []
        positions = self._positions(doc) if self.single_words or self.pair_firsts else ()
        if positions:
            text = text_of(doc)
            spans, keys = doc_keys(doc)
            after = 0  # pieces before this one belong to the last hit
            for k in range(bisect.bisect_left(positions, start, key=lambda i: spans[i][0]), len(positions)):
                i = positions[k]
                if spans[i][0] >= end:
                    break
                if i < after:
                    continue
                match = self._match_at(spans, keys, i, end)
                if match:
                    words, entry, mode = match
                    length, first = len(words), spans[i][0]
                    if length == 1 and mode == "lemma":
                        first = _particle_start(text, first, spans[i][1], words[0])
                    hits.append(Hit(first, spans[i + length - 1][1], entry, mode))
                    after = i + length
        return hits

    def _positions(self, doc: Doc) -> list[int]:
        """The pieces of a Doc where a term of this set may start, once per Doc: a one-word term's key, or
        the first word of a phrase followed by a piece that has a second word of one (any key of a piece is
        indexed). Phrases often start with 'de', 'van' or 'in'; requiring their second word as well leaves
        a few pieces to try instead of every article."""
        cache = doc.user_data.setdefault("oc_term_positions", {})
        positions = cache.get(self)
        if positions is None:
            where = doc_index(doc)
            keys = where.keys()
            found = {i for key in keys & self.single_words for i in where[key]}  # set intersections, in C
            if self.pair_firsts:
                firsts = {i for key in keys & self.pair_firsts for i in where[key]}
                if firsts:
                    found |= firsts & {i - 1 for key in keys & self.pair_seconds for i in where[key]}
            positions = cache[self] = sorted(found)
        return positions

    def _match_at(self, spans, keys, i, end):
        """(words, entry, mode) of the longest term starting at piece i; on a tie, the first found
        trying the piece's exact form, then lowercase, then lemma."""
        exact, lower, lemma = keys["exact"], keys["lower"], keys["lemma"]
        firsts = dict.fromkeys((exact[i], lower[i], lemma[i]))
        best = None
        if self.pairs and i + 1 < len(spans) and spans[i + 1][1] <= end:
            seconds = dict.fromkeys((exact[i + 1], lower[i + 1], lemma[i + 1]))
            for first in firsts:
                for second in seconds:
                    for words, entry, mode in self.pairs.get((first, second), ()):
                        length = len(words)
                        if best and length <= len(best[0]):
                            break
                        if i + length > len(spans) or spans[i + length - 1][1] > end:
                            continue
                        if all(_token_matches(keys, mode, i + k, w) for k, w in enumerate(words)):
                            best = (words, entry, mode)
                            break
            if best:
                return best
        for first in firsts:
            for words, entry, mode in self.singles.get(first, ()):
                if _token_matches(keys, mode, i, first):
                    return words, entry, mode
        return None


def _particle_start(text: str, start: int, end: int, term: str) -> int:
    """Where a separable verb split by 'te' starts: the lemma finds 'toelichten' in 'lichten', and the hit
    should read 'toe te lichten' (so a message and a fix stand for the whole verb)."""
    word, term = text[start:end].lower(), term.lower()
    if len(term) > len(word) and term.endswith(word):
        before = f"{term[:-len(word)]} te "
        if text[max(start - len(before), 0):start].lower() == before and not text[start - len(before) - 1:start - len(before)].isalnum():
            return start - len(before)
    return start


def _folded(doc: Doc, start: int, end: int) -> str:
    """The case-folded text of [start, end), once per Doc and range."""
    cache = doc.user_data.setdefault("oc_folded", {})
    folded = cache.get((start, end))
    if folded is None:
        folded = cache[(start, end)] = text_of(doc)[start:end].casefold()
    return folded


def _reach(ends) -> list[int]:
    """The furthest of the ends so far, at each position."""
    out, furthest = [], -1
    for end in ends:
        furthest = max(furthest, end)
        out.append(furthest)
    return out


def _touches(starts: list[int], reach: list[int], start: int, end: int) -> bool:
    """Whether one of the sorted spans (``starts``, with ``reach`` from :func:`_reach`) overlaps [start, end)."""
    k = bisect.bisect_left(starts, start)
    return k < len(starts) and starts[k] < end or k > 0 and reach[k - 1] > start


def _in_name(text: str, start: int) -> bool:
    """A capitalised word inside a sentence is (part of) a name: 'de Nederlandse Cybersecurity Strategie'."""
    if not text[start:start + 1].isupper():
        return False
    i = start  # skip back over spaces, quotes and bullets (without copying the text before the hit)
    while i > 0 and text[i - 1] in " \t\"'“‘(*-•":
        i -= 1
    return i > 0 and text[i - 1] not in ".!?:;\n|"


def _token_matches(keys, mode: str, i: int, word: str) -> bool:
    if mode == "exact":
        return keys["exact"][i] == word
    if mode == "lower":
        return keys["lower"][i] == word
    return keys["lemma"][i] == word or keys["lower"][i] == word
