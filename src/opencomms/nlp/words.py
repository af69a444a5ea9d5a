"""How familiar a Dutch word is to a general reader, on wordfreq's Zipf scale (0-8).

A word's familiarity is the highest of: its own Zipf frequency; for a compound that splits into two
familiar parts (with or without a linking s/e/en), the lower of the parts (so 'zorgverzekeringswet' counts
as familiar, LiNT-style); and 6.0 for words on the ``gangbaar`` lexicon (long or rare words a B1 reader
knows in government context). Exposed as ``token._.oc_familiarity`` for Matcher patterns: the highest of the
word form and its lemma, so an inflected form of a common verb ('opgehaalde', 'ingescand') counts as common.
``token._.oc_parts`` says how many familiar parts a word needs: 1 (familiar itself), 2 (a compound of two
familiar words, 'gebruiksvriendelijkheid') or 3 (more parts, or a rare part: 'conformiteitsbeoordeling').
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Token

MIN_PART = 3  # letters
FAMILIAR = 3.0  # Zipf of a part that counts as known
CACHE_SIZE = 32_768  # words per cache: the most recently used stay, so memory stays flat in a long audit


@lru_cache(maxsize=CACHE_SIZE)
def zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "nl")


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    from opencomms import lexicons

    try:
        lex = lexicons.load("gangbaar")
    except Exception:  # the list is optional
        return frozenset()
    return frozenset(e.term.lower() for e in lex.entries)


def _modifiers(left: str) -> list[str]:
    """The first part of a compound as written, and without a linking s/e or en ('verzekerings', 'verzekering')."""
    out = [left]
    if left.endswith(("s", "e")):
        out.append(left[:-1])
    if left.endswith("en"):
        out.append(left[:-2])
    return [m for m in out if m]


def _compound(word: str) -> float:
    best = 0.0
    for i in range(MIN_PART, len(word) - MIN_PART + 1):
        head = word[i:]
        z_head = zipf(head)
        if z_head < FAMILIAR:
            continue
        for modifier in _modifiers(word[:i]):
            if len(modifier) >= MIN_PART:
                z_mod = zipf(modifier)
                if z_mod < FAMILIAR:
                    z_mod = _compound_part(modifier)
                if z_mod >= FAMILIAR:
                    best = max(best, min(z_head, z_mod))
    return best


@lru_cache(maxsize=CACHE_SIZE)
def _compound_part(word: str) -> float:
    """A modifier may itself be a compound (one more level)."""
    best = 0.0
    for i in range(MIN_PART, len(word) - MIN_PART + 1):
        a, b = zipf(word[:i]), zipf(word[i:])
        if a >= FAMILIAR and b >= FAMILIAR:
            best = max(best, min(a, b))
    return best


@lru_cache(maxsize=CACHE_SIZE)
def familiarity(word: str) -> float:
    word = word.lower()
    if word in _common():
        return 6.0
    own = zipf(word)
    if own >= FAMILIAR or len(word) < 2 * MIN_PART or not word.isalpha():
        return own
    return max(own, _compound(word))


@lru_cache(maxsize=CACHE_SIZE)
def parts(word: str) -> int:
    word = word.lower()
    if word in _common() or zipf(word) >= FAMILIAR:
        return 1
    for i in range(MIN_PART, len(word) - MIN_PART + 1):
        if zipf(word[i:]) < FAMILIAR:
            continue
        for modifier in _modifiers(word[:i]):
            if len(modifier) >= MIN_PART and (modifier in _common() or zipf(modifier) >= FAMILIAR):
                return 2
    return 3


def _lemma(token) -> str:
    lemma = token.lemma_.replace("_", "")
    return lemma if lemma and lemma.lower() != token.lower_ else ""


def _token_familiarity(token) -> float:
    lemma = _lemma(token)
    return max(familiarity(token.text), familiarity(lemma)) if lemma else familiarity(token.text)


def _token_parts(token) -> int:
    lemma = _lemma(token)
    return min(parts(token.text), parts(lemma)) if lemma else parts(token.text)


if not Token.has_extension("oc_familiarity"):
    Token.set_extension("oc_familiarity", getter=_token_familiarity)
if not Token.has_extension("oc_parts"):
    Token.set_extension("oc_parts", getter=_token_parts)
