"""The word screen for regexes (checks/literals.py) may only skip a regex on texts it cannot match.

Checked on every regex of the bundled rules against every example text of every rule (real rules, real
texts), and on hand-made patterns with alternatives, optional parts, repeats and look-arounds."""

from __future__ import annotations

import re

from opencomms.checks import literals
from opencomms.ruleset import load_rules


def _regexes():
    for rule in load_rules():
        check = rule.check
        sets = [getattr(check, name, None) for name in ("terms", "first", "second")]
        sets += list(getattr(check, "sets", {}).values())
        for terms in sets:
            for regex in getattr(terms, "regexes", ()):
                yield rule.id, regex


def test_no_regex_of_the_rules_is_skipped_on_a_text_it_matches():
    texts = []
    for rule in load_rules():
        for key in ("match", "no_match"):
            texts += [t.replace("[[", "").replace("]]", "") for t in rule.examples.get(key, [])]
    regexes = list(_regexes())
    assert len(regexes) > 20 and len(texts) > 200
    skipped = 0
    for rule_id, regex in regexes:
        needs = literals.required(regex.pattern)
        for text in texts:
            if literals.may_match(needs, text.casefold()):
                continue
            skipped += 1
            assert not regex.search(text), (rule_id, regex.pattern, text)
    assert skipped > 1000  # the screen does skip most regexes on most texts


def test_required_words_of_hand_made_patterns():
    cases = {
        r"(?i)\b(?:twee|drie)\s+(?:keer|maal)\b": [{"twee", "drie"}, {"keer", "maal"}],
        r"ab(?:cd|ef)+g?": [{"ab"}, {"cd", "ef"}],
        r"(?:x|y)?z\d+(?=%)": [{"z"}, {"%"}],
        r"(?<!niet )(?!geen)\bwel\b": [{"wel"}],
        r"(?:a|\d)b": [{"b"}],  # one alternative needs no word: the alternation needs none
        r"[Uu]w?": [],
        r"(?i)PROCENT": [{"procent"}],
    }
    for pattern, expected in cases.items():
        assert [set(words) for words in literals.required(pattern)] == expected, pattern
    for pattern, text in [(r"(?i)PROCENT", "Vijf Procent"), (r"(?i)stra(?:ss|ß)e", "STRASSE"),
                          (r"(?i)k", "\u212a")]:  # the Kelvin sign matches k when case is ignored
        assert re.search(pattern, text)
        assert literals.may_match(literals.required(pattern), text.casefold()), pattern
