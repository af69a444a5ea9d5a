"""Runs compiled rules over an analysed Doc and turns their hits into Findings with source positions.

The engine, not the rule, decides the level (config overrides) and skips rules whose needs the pipeline
cannot meet; every skipped rule is reported with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opencomms.checks.base import units
from opencomms.finding import Finding, Fix, Level
from opencomms.ruleset import Rule
from opencomms.source import Source

CAPABILITY_HINT = {
    "lemma": "a lemmatizer",
    "pos": "a POS tagger",
    "morph": "morphology",
    "dep": "a dependency parser",
    "ents": "named entities",
}


@dataclass
class Skipped:
    rule: str
    reason: str

    def to_dict(self) -> dict:
        return {"rule": self.rule, "reason": self.reason}


@dataclass
class Result:
    """Everything known about one checked document; scoring and reporters read this."""

    source: Source
    profile: str
    findings: list[Finding]
    skipped: list[Skipped]
    metrics: dict
    rules: list[Rule] = field(default_factory=list)
    scores: dict = field(default_factory=dict)  # filled by scoring
    checklist: list[dict] = field(default_factory=list)  # what the writer must judge (rules/checklist.yaml)
    error: str | None = None


def runnable(rules: list[Rule], caps: set[str]) -> tuple[list[Rule], list[Skipped]]:
    run, skipped = [], []
    for rule in rules:
        missing = sorted(rule.needs - caps)
        if missing:
            what = ", ".join(CAPABILITY_HINT.get(m, m) for m in missing)
            skipped.append(Skipped(rule.id, f"needs {', '.join(missing)}; the loaded pipeline lacks {what}"))
        else:
            run.append(rule)
    return run, skipped


def check(source: Source, doc, rules: list[Rule], levels: dict[str, str] | None = None) -> list[Finding]:
    levels = levels or {}
    text = source.text
    u = units(doc)
    findings = []
    for rule in rules:
        for hit in rule.check.run(doc):
            start, end = hit.start, hit.end
            level = Level.parse(levels.get(rule.id) or hit.level or rule.level.name)
            context = u.sentence_at(start) or (start, end)
            suggestions = hit.suggestions or rule.suggestions_for(doc)
            vars = dict(hit.vars)
            vars.setdefault("match", text[start:end])
            vars.setdefault("suggestion", suggestions[0] if suggestions else "")
            findings.append(
                Finding.at(
                    source, start, end,
                    context=(context[0], max(context[1], end)),
                    rule=rule.id,
                    category=rule.category,
                    principle=rule.principle,
                    level=level,
                    message=rule.format(vars),
                    suggestions=tuple(suggestions),
                    scope=rule.scope,
                    fix=Fix(start, end, hit.replacement) if hit.replacement is not None else None,
                )
            )
    findings.sort(key=lambda f: f.sort_key)
    return findings
