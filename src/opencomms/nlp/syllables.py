"""Dutch syllable counts: pyphen's hyphenation points, corrected by counting vowel nuclei.

pyphen's Dutch patterns never split off a single letter at the start of a word (``economie`` gives
eco-no-mie: 3) and miss vowel hiatus (``radio``). Counting vowel nuclei catches both; the larger of the
two counts is used.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import pyphen


def _hyphenator() -> pyphen.Pyphen:
    """pyphen for Dutch. Parsing its patterns costs 0.1 s at every start, so the parsed patterns are kept
    in the cache folder (:func:`opencomms.resources.cache_dir`), valid for the exact pattern file and
    pyphen version; anything unexpected falls back to parsing."""
    from opencomms.resources import cache_dir, read_cached, write_cached

    path = pyphen.LANGUAGES[pyphen.language_fallback("nl_NL")]
    directory = cache_dir()
    if directory is None:
        return pyphen.Pyphen(lang="nl_NL")
    entry = directory / "pyphen" / f"{path.stem}.marshal"
    key = None
    try:
        key = hashlib.sha256(path.read_bytes()).hexdigest() + str(getattr(pyphen, "VERSION", ""))
        cached, patterns = read_cached(entry)
        if cached == key and path not in pyphen.hdcache:
            hd = pyphen.HyphDict.__new__(pyphen.HyphDict)
            hd.patterns, hd.cache, hd.maxlen = patterns, {}, max(map(len, patterns))
            pyphen.hdcache[path] = hd
            return pyphen.Pyphen(lang="nl_NL")
    except (OSError, ValueError, TypeError):
        pass
    hyphenator = pyphen.Pyphen(lang="nl_NL")
    if key is not None:
        write_cached(entry, (key, hyphenator.hd.patterns))
    return hyphenator


_HYPHENATOR = _hyphenator()
_VOWELS = "aeiouyàáâäèéêëìíîïòóôöùúûü"
_DIAERESIS = "äëïöü"
_VOWEL_RUN = re.compile(rf"(?:[{_VOWELS}]|(?<=i)j)+")
# Vowel sequences that form one syllable nucleus, longest first.
_NUCLEI = ("ieuw", "ieu", "eeu", "aai", "ooi", "oei", "eau", "aa", "ee", "oo", "uu", "ie", "oe", "eu", "ei",
           "ij", "ui", "ou", "au", "ai", "ay", "ey", "oy", "uy")


def _vowel_count(word: str) -> int:
    count = 0
    for run in _VOWEL_RUN.findall(word):
        i = 0
        while i < len(run):
            if run[i] not in _DIAERESIS:
                for nucleus in _NUCLEI:
                    if run.startswith(nucleus, i):
                        i += len(nucleus)
                        break
                else:
                    i += 1
            else:
                i += 1
            count += 1
    return count


@lru_cache(maxsize=32_768)  # the most recently used words stay, so memory stays flat in a long audit
def syllables(word: str) -> int:
    """Number of syllables of a Dutch word (at least 1 for a word with letters)."""
    word = word.lower()
    letters = [part for part in re.split(r"[^a-zà-ÿ]+", word) if part]
    if not letters:
        return 0
    total = 0
    for part in letters:
        total += max(len(_HYPHENATOR.positions(part)) + 1, _vowel_count(part), 1)
    return total
