"""Word lists in ``lexicons/*.yaml``: loaded by name, validated, cached."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from opencomms import yamlfile
from opencomms.errors import ConfigError
from opencomms.finding import LEVEL_NAMES
from opencomms.resources import LEXICONS_DIR

MATCH_MODES = ["lemma", "lower", "exact"]

_ENTRY = {
    "type": "object",
    "additionalProperties": False,
    "required": ["term"],
    "properties": {
        "term": {"type": "string", "minLength": 1},
        "alternatives": {"type": "array", "items": {"type": "string"}},
        "note": {"type": "string"},
        "fixable": {"type": "boolean"},
        # an inflected form -> its alternative(s) in that form ('doelstellingen': [doelen]); the first is the fix
        "forms": {"type": "object", "additionalProperties": {
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]}},
        "tags": {"type": "array", "items": {"type": "string"}},
        "expansion": {"type": "string"},
        "common": {"type": "boolean"},
        "abbreviation": {"type": "string"},
        "kind": {"type": "string"},
        "variants": {"type": "array", "items": {"type": "string"}},
        "predecessors": {"type": "array", "items": {"type": "string"}},
        "category": {"type": "string"},
        "weight": {"type": "number"},
        "match": {"enum": MATCH_MODES},
        # a word that is plain language in another common sense or the normal term of a field ('realiseren':
        # maken, beseffen, waarde leveren): reported at this level, not the rule's (substitution rules)
        "level": {"enum": LEVEL_NAMES},
    },
}

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "title", "purpose", "source", "licence", "entries"],
    "properties": {
        "name": {"type": "string"},
        "title": {"type": "string"},
        "purpose": {"type": "string"},
        "source": {"type": "string"},
        "licence": {"type": "string"},
        "match": {"enum": MATCH_MODES},
        "entries": {"type": "array", "items": _ENTRY},
    },
}


@dataclass(frozen=True)
class Entry:
    term: str
    alternatives: tuple[str, ...] = ()
    note: str = ""
    fixable: bool = False
    forms: dict = field(default_factory=dict, hash=False, compare=False)
    tags: tuple[str, ...] = ()
    expansion: str = ""
    common: bool = False
    abbreviation: str = ""
    kind: str = ""
    variants: tuple[str, ...] = ()
    predecessors: tuple[str, ...] = ()
    category: str = ""
    weight: float = 1.0
    match: str = ""
    level: str = ""


@dataclass(frozen=True)
class Lexicon:
    name: str
    title: str
    match: str
    entries: tuple[Entry, ...]
    path: str

    def select(self, categories=None, tags=None) -> list[Entry]:
        out = []
        for entry in self.entries:
            if categories and entry.category not in categories:
                continue
            if tags and not set(tags) & set(entry.tags):
                continue
            out.append(entry)
        return out


def available(dirs: tuple[Path, ...] = ()) -> dict[str, Path]:
    found = {}
    for directory in (LEXICONS_DIR, *dirs):
        if directory.is_dir():
            for path in sorted(directory.glob("*.yaml")):
                found[path.stem] = path
    return found


@lru_cache(maxsize=None)
def load_path(path: Path) -> Lexicon:
    located = yamlfile.load(path)
    yamlfile.validate(located, SCHEMA)
    data = located.data
    if data["name"] != path.stem:
        raise located.error(["name"], f"must equal the file name {path.stem!r}")
    entries = []
    for item in data["entries"]:
        item = dict(item)
        for key in ("alternatives", "tags", "variants", "predecessors"):
            if key in item:
                item[key] = tuple(item[key])
        if "forms" in item:
            item["forms"] = {form.lower(): (alts,) if isinstance(alts, str) else tuple(alts)
                             for form, alts in item["forms"].items()}
        entries.append(Entry(**item))
    return Lexicon(data["name"], data["title"], data.get("match", "lemma"), tuple(entries), str(path))


def load(name: str, dirs: tuple[Path, ...] = ()) -> Lexicon:
    paths = available(dirs)
    if name not in paths:
        raise ConfigError(f"unknown lexicon {name!r} (available: {', '.join(sorted(paths)) or 'none'})")
    return load_path(paths[name])
