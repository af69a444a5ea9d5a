"""Words a regular expression cannot match without: a cheap test that skips a regex on most texts.

``(?i)\\b(?:gestegen|gedaald|…)\\s+(?:met|tot|naar)\\s+…\\d+\\s?(?:%|procent|…)`` can only match a text that
contains one of 'gestegen', 'gedaald', … and one of 'met', 'tot', 'naar' and one of '%', 'procent', ….
Python's ``in`` finds such a word in a text many times faster than the regex engine tries every position
(it cannot skip ahead when a pattern starts with ``\\b`` or a look-behind). :func:`required` reads those
words from the parsed pattern; :func:`may_match` tests them on the case-folded text (safe for case-sensitive
and case-insensitive patterns alike: a text that contains a word contains its case-folded form; the one
exception is Turkish dotted and dotless i, which an ignore-case regex pairs with i and I but case-folding
does not).

Only what every match must contain is collected: literal text, alternatives that each contain a word,
repeats of at least one, positive look-aheads. Character classes, optional parts, look-behinds and
negative look-arounds add nothing. A pattern the parser does not know gives no words (always tried).
"""

from __future__ import annotations

try:  # the regex parser of the standard library (private, but stable since Python 3.11)
    from re import _constants as C
    from re import _parser
except ImportError:  # pragma: no cover - a future Python without them: every regex is simply tried
    _parser = C = None


def _needs(items) -> list[frozenset[str]]:
    """Sets of words; every match contains at least one word of each set."""
    out: list[frozenset[str]] = []
    run = ""
    for op, av in items:
        if op is C.LITERAL:
            run += chr(av)
            continue
        if run:
            out.append(frozenset([run]))
            run = ""
        if op is C.SUBPATTERN:
            out += _needs(av[-1])
        elif op is C.BRANCH:
            choices = []
            for branch in av[1]:
                needs = _needs(branch)
                if not needs:  # this branch needs nothing: the alternation needs nothing
                    choices = []
                    break
                choices.append(max(needs, key=lambda words: min(len(w) for w in words)))
            if choices:
                out.append(frozenset().union(*choices))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            out += _needs(av[2])
        elif op is C.ASSERT and av[0] == 1:  # a positive look-ahead: its text is there too
            out += _needs(av[1])
    if run:
        out.append(frozenset([run]))
    return out


def required(pattern: str) -> tuple[frozenset[str], ...]:
    """Sets of case-folded words; a text can match only if it contains a word of every set."""
    if _parser is None:
        return ()
    try:
        needs = _needs(_parser.parse(pattern))
    except Exception:  # a construct this walk does not know: no shortcut
        return ()
    return tuple(frozenset(w.casefold() for w in words) for words in needs if words and all(words))


def may_match(needs: tuple[frozenset[str], ...], folded_text: str) -> bool:
    for words in needs:
        for word in words:
            if word in folded_text:
                break
        else:
            return False
    return True
