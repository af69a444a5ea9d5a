"""Loading rule files: find them, validate every one against its kind's schema, compile their checks.

A rule lives in ``<rule dir>/<set>/<name>.yaml`` and its id is ``<set>.<name>``: the id leads to the
file. Everything is validated before anything runs; the first problem is one ConfigError that names
file, line, column and field.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from opencomms import yamlfile
from opencomms.checks import KINDS
from opencomms.checks.base import HEADER, MESSAGE_VARS, REQUIRED, reader_address
from opencomms.errors import ConfigError
from opencomms.finding import Level
from opencomms.resources import RULES_DIR


@dataclass
class Rule:
    id: str
    kind: str
    principle: str
    category: str
    level: Level
    message: str
    description: str
    scope: str
    needs: set[str]
    check: object
    path: str
    link: str = ""
    suggestions: tuple[str, ...] = ()
    suggestions_je: tuple[str, ...] = ()  # for a text that says 'je' to its reader; empty: the same as suggestions
    fixable: bool = False
    examples: dict = field(default_factory=dict)
    profiles: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    def suggestions_for(self, doc) -> tuple[str, ...]:
        """The suggestions in the text's own form of address: ``suggestions_je`` for a text that says 'je'."""
        if self.suggestions_je and reader_address(doc) == "je":
            return self.suggestions_je
        return self.suggestions

    def format(self, vars: dict) -> str:
        return self.message.format_map(_Vars(vars)).strip()  # an empty '{note}' at the end leaves a space


class _Vars(dict):
    def __missing__(self, key):
        return ""


def schema_for(kind: str) -> dict:
    module = KINDS[kind]
    return {
        "type": "object",
        "additionalProperties": False,
        "required": REQUIRED + list(module.REQUIRED),
        "properties": {**HEADER, **module.FIELDS},
    }


class Context:
    def __init__(self, located, lexicon_dirs):
        self.located = located
        self.lexicon_dirs = lexicon_dirs

    def error(self, _spec, keys, message: str) -> ConfigError:
        return self.located.error(list(keys), message)


def rule_files(dirs) -> list[tuple[str, Path]]:
    """(expected id, path) for every ``<set>/<name>.yaml`` under the rule directories."""
    out = []
    for directory in dirs:
        directory = Path(directory)
        if not directory.is_dir():
            raise ConfigError("rule directory not found", str(directory))
        for path in sorted(directory.glob("*/*.yaml")) + sorted(directory.glob("*/*.yml")):
            out.append((f"{path.parent.name}.{path.stem}", path))
        if not out and sorted(directory.glob("*.yaml")):
            for path in sorted(directory.glob("*.yaml")):  # a single rule set given directly
                out.append((f"{directory.name}.{path.stem}", path))
    return out


@lru_cache(maxsize=None)
def _read(path: Path):
    return yamlfile.load(path)


def compile_rule(located, expected_id: str | None, overrides: dict | None, lexicon_dirs=()) -> Rule:
    data = located.data
    if not isinstance(data, dict):
        raise located.error([], "a rule file must be a YAML mapping")
    if overrides:
        data = {**data, **overrides}
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        raise located.error(["kind"], f"must be one of: {', '.join(KINDS)} (got {kind!r})")
    yamlfile.validate(located if data is located.data else yamlfile.Located(located.path, data, located.marks),
                      schema_for(kind))
    if expected_id and data["id"] != expected_id:
        raise located.error(["id"], f"must be {expected_id!r} (<folder>.<file name>)")
    module = KINDS[kind]
    known = MESSAGE_VARS | module.VARS
    for _text, name, _spec, _conv in string.Formatter().parse(data["message"]):
        if name is not None and name not in known:
            raise located.error(["message"], f"unknown placeholder {{{name}}} (known: {', '.join(sorted(known))})")
    try:
        check = module.Check(data, Context(located, lexicon_dirs))
    except ConfigError as exc:
        if exc.where is None:
            raise located.error(list(exc.keys), exc.message) from None
        raise
    needs = set(data["needs"])
    missing = check.needs - needs
    if missing:
        raise located.error(["needs"], f"must include {', '.join(sorted(missing))} (the rule uses it)")
    return Rule(
        id=data["id"],
        kind=kind,
        principle=data["principle"],
        category=data["category"],
        level=Level.parse(data["level"]),
        message=data["message"],
        description=data["description"],
        scope=data["scope"],
        needs=needs,
        check=check,
        path=located.path,
        link=data.get("link", ""),
        suggestions=tuple(data.get("suggestions", ())),
        suggestions_je=tuple(data.get("suggestions_je", ())),
        fixable=bool(data.get("fixable", False)),
        examples=data.get("examples", {}),
        profiles=tuple(data.get("profiles", ())),
        aliases=tuple(data.get("aliases", ())),
    )


def load_rules(dirs=None, overrides: dict | None = None, lexicon_dirs=()) -> list[Rule]:
    """Every rule under ``dirs`` (default: the bundled rules), validated and compiled."""
    dirs = [RULES_DIR] if dirs is None else list(dirs)
    overrides = overrides or {}
    rules: dict[str, Rule] = {}
    for expected, path in rule_files(dirs):
        located = _read(path)
        rule_id = located.data.get("id") if isinstance(located.data, dict) else None
        rule = compile_rule(located, expected, overrides.get(rule_id), tuple(lexicon_dirs))
        if rule.id in rules:
            raise ConfigError(f"duplicate rule id {rule.id!r} (also in {rules[rule.id].path})", path.as_posix())
        rules[rule.id] = rule
    return list(rules.values())
