"""Read → analyse → check → score, for one document or a stream of them.

:class:`Checker` loads the pipeline once, compiles rule sets once per (configuration, profile) and runs
documents through ``nlp.pipe`` in batches. ``check``, ``audit`` and the language server all use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from opencomms import config as configuration
from opencomms import across, checklist, engine, scoring
from opencomms import suppression
from opencomms.errors import OpencommsError
from opencomms.nlp import pipeline
from opencomms.ruleset import Rule, load_rules
from opencomms.source import Source


@dataclass
class RuleSet:
    rules: list[Rule]
    levels: dict[str, str]


@lru_cache(maxsize=64)
def compiled_rules(settings: configuration.Settings) -> RuleSet:
    overrides = settings.overrides
    rules = load_rules(settings.rule_dirs, overrides, settings.lexicon_dirs)
    known = {r.id for r in rules} | {a for r in rules for a in r.aliases} | {suppression.RULE_ID}
    for rule_id in list(settings.disabled) + list(overrides):
        if rule_id not in known:
            raise OpencommsError(f"unknown rule {rule_id!r} in the configuration or profile")
    selected = []
    for rule in rules:
        if rule.id in settings.disabled or set(rule.aliases) & settings.disabled:
            continue
        if settings.rulesets is not None and rule.id.split(".")[0] not in settings.rulesets:
            continue
        if rule.profiles and settings.profile not in rule.profiles:
            continue
        selected.append(rule)
    levels = {rule_id: o["level"] for rule_id, o in overrides.items() if "level" in o}
    return RuleSet(selected, levels)


class Checker:
    def __init__(self, model: str | None = None, config_path: str | None = None, profile: str | None = None,
                 across: bool = False):
        self.config_path = config_path
        self.profile = profile
        self.across = across  # record which words each document uses per concept (check --across)
        if model is None:
            model = configuration.for_file(None, config_path).data.get("model")
        self.nlp = pipeline.load(model)
        self.caps = pipeline.capabilities(self.nlp)

    def pipeline_info(self) -> dict:
        return pipeline.describe(self.nlp)

    def settings(self, source: Source) -> configuration.Settings:
        file = None if source.path == "<stdin>" else source.path
        config = configuration.for_file(file, self.config_path)
        profile = (
            self.profile
            or _front_matter_profile(source)
            or config.profile_for(file)
            or configuration.DEFAULT_PROFILE
        )
        return configuration.settings_for(config, profile)

    def run(self, sources: Iterable[Source], batch_size: int = 16) -> Iterator[engine.Result]:
        prepared = ((source, self.settings(source)) for source in sources)
        pairs = ((pipeline.make_doc(self.nlp, source), (source, settings)) for source, settings in prepared)
        for group in _batches(pairs, batch_size, MAX_BATCH_TOKENS):
            # the nominal batch_size, not len(group): the parser sorts a batch by length and parses it in
            # quarters, and a short group would leave it parsing two documents at a time (12 % more CPU time on
            # documents of 500 words)
            for doc, (source, settings) in self.nlp.pipe(group, batch_size=batch_size, as_tuples=True):
                yield self.check_doc(source, doc, settings)

    def check_doc(self, source: Source, doc, settings: configuration.Settings) -> engine.Result:
        ruleset = compiled_rules(settings)
        rules, skipped = engine.runnable(ruleset.rules, self.caps)
        findings = engine.check(source, doc, rules, ruleset.levels)
        findings = suppression.apply(source, findings, rules)  # inline opencomms-disable comments
        if suppression.RULE_ID in settings.disabled:
            findings = [f for f in findings if f.rule != suppression.RULE_ID]
        metrics = dict(doc._.oc_readability or {})
        if "oc_key_messages" in doc.user_data:
            metrics["key_messages"] = doc.user_data["oc_key_messages"]
        if self.across:
            metrics["term_usage"] = across.usage(doc)
        result = engine.Result(source, settings.profile, findings, skipped, metrics, rules)
        result.scores = scoring.score(result)
        result.checklist = checklist.for_profile(settings.profile)
        return result

    def check_one(self, source: Source) -> engine.Result:
        return next(self.run([source]))


MAX_BATCH_TOKENS = 4096
"""Tokens per pass through the pipeline. The models' working memory grows with the tokens of a batch (about
20 kB a token), so a batch closes at this many tokens as well as at ``batch_size`` documents; a longer
document goes through alone."""


def _batches(pairs: Iterable[tuple], size: int, max_tokens: int) -> Iterator[list[tuple]]:
    batch, tokens = [], 0
    for doc, context in pairs:
        if batch and (len(batch) >= size or tokens + len(doc) > max_tokens):
            yield batch
            batch, tokens = [], 0
        batch.append((doc, context))
        tokens += len(doc)
    if batch:
        yield batch


def _front_matter_profile(source: Source) -> str | None:
    value = source.metadata.get("opencomms-profile") or source.metadata.get("profile")
    return str(value) if value else None


def relative(path: str) -> str:
    try:
        return Path(path).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path
