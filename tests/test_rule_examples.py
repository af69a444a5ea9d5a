"""Every rule's YAML examples are tests: ``match`` texts must trigger the rule (at the ``[[...]]`` span when
marked), ``no_match`` texts must not, and ``fix`` texts must become exactly ``fixed``."""

from __future__ import annotations

import re

import pytest

from opencomms import engine
from opencomms.nlp.pipeline import make_doc
from opencomms.readers import text as text_reader
from opencomms.ruleset import load_rules

MARK = re.compile(r"\[\[(.+?)\]\]")


def _cases():
    for rule in load_rules():
        for kind in ("match", "no_match"):
            for i, example in enumerate(rule.examples.get(kind, [])):
                yield pytest.param(rule.id, kind, example, id=f"{rule.id}-{kind}-{i}")
        for i, case in enumerate(rule.examples.get("fix", [])):
            yield pytest.param(rule.id, "fix", case, id=f"{rule.id}-fix-{i}")


def _check(checker, rule_id: str, text: str):
    source = text_reader.parse(text.encode("utf-8"), "example.txt")
    rules = [r for r in load_rules() if r.id == rule_id]
    options = rules[0].examples.get("options")
    if options:  # examples may configure the rule (e.g. the key messages to look for)
        rules = [r for r in load_rules(overrides={rule_id: options}) if r.id == rule_id]
    runnable, skipped = engine.runnable(rules, checker.caps)
    if skipped:
        pytest.skip(skipped[0].reason)
    doc = checker.nlp(make_doc(checker.nlp, source))
    return source, engine.check(source, doc, runnable)


@pytest.mark.parametrize("rule_id,kind,example", list(_cases()))
def test_rule_example(checker, rule_id, kind, example):
    if kind == "fix":
        from opencomms.fixer import apply_fixes

        source, findings = _check(checker, rule_id, example["text"])
        fixes = [f.fix for f in findings if f.fix is not None]
        assert fixes, f"{rule_id}: no fix offered for {example['text']!r}"
        assert apply_fixes(source.text, fixes) == example["fixed"]
        return
    marked = MARK.search(example)
    plain = MARK.sub(lambda m: m.group(1), example)
    source, findings = _check(checker, rule_id, plain)
    if kind == "no_match":
        assert not findings, f"{rule_id} fired on a no_match example: {[f.text for f in findings]}"
        return
    assert findings, f"{rule_id} did not fire on: {plain!r}"
    for f in findings:
        assert source.text[f.offset:f.end_offset] == f.text
    if marked:
        start = marked.start()
        expected = (start, start + len(marked.group(1)))
        spans = [(f.offset, f.end_offset) for f in findings]
        assert expected in spans, f"{rule_id}: expected {marked.group(1)!r}, got {[f.text for f in findings]}"


def test_every_rule_has_examples_and_description():
    for rule in load_rules():
        assert len(rule.examples["match"]) >= 2 and len(rule.examples["no_match"]) >= 2, rule.id
        assert "Waarom" in rule.description, f"{rule.id}: description must say why (cite the principle)"
        if rule.fixable:
            assert rule.examples.get("fix"), f"{rule.id}: a fixable rule needs fix examples"
