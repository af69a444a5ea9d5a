"""Configuration: ``opencomms.yaml`` or ``[tool.opencomms]`` in ``pyproject.toml``, found by walking up.

Layers, merged in :func:`settings_for`: the bundled profile (``profiles/<name>.yaml``), then the
configuration file, then command-line flags. Per-rule maps are merged key by key. Unknown keys are
errors that name the file and line.
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from opencomms import yamlfile
from opencomms.errors import ConfigError
from opencomms.finding import LEVEL_NAMES
from opencomms.resources import PROFILES_DIR

CONFIG_NAMES = ("opencomms.yaml", ".opencomms.yaml", "opencomms.yml")
DEFAULT_PROFILE = "default"
KEY_MESSAGE_RULE = "een-stem.key-message"

_RULE_OVERRIDE = {"type": "object"}  # checked against the rule's own schema when rules are compiled
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "profile": {"type": "string"},
        "profiles": {"type": "object", "additionalProperties": {"type": "string"}},
        "rulesets": {"type": "array", "items": {"type": "string"}},
        "rule_paths": {"type": "array", "items": {"type": "string"}},
        "lexicon_paths": {"type": "array", "items": {"type": "string"}},
        "disable": {"type": "array", "items": {"type": "string"}},
        "rules": {"type": "object", "additionalProperties": _RULE_OVERRIDE},
        "model": {"type": "string"},
        "fail_on": {"enum": LEVEL_NAMES + ["never"]},
        "fail_under": {"type": "number", "minimum": 0, "maximum": 100},
        "include": {"type": "array", "items": {"type": "string"}},
        "exclude": {"type": "array", "items": {"type": "string"}},
        "key_messages": {"type": "string"},
    },
}
PROFILE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["title", "description"],
    "properties": {
        "title": {"type": "string"},
        "description": {"type": "string"},
        "disable": {"type": "array", "items": {"type": "string"}},
        "rules": {"type": "object", "additionalProperties": _RULE_OVERRIDE},
    },
}


@dataclass
class Config:
    """One configuration file (or none), with its paths resolved."""

    path: str | None = None
    data: dict = field(default_factory=dict)

    @property
    def base(self) -> Path:
        return Path(self.path).resolve().parent if self.path else Path.cwd()

    def paths(self, key: str) -> tuple[Path, ...]:
        return tuple((self.base / p).resolve() for p in self.data.get(key, ()))

    def profile_for(self, file: str | None) -> str | None:
        if file and self.data.get("profiles"):
            try:
                rel = Path(file).resolve().relative_to(self.base).as_posix()
            except ValueError:
                rel = Path(file).as_posix()
            for pattern, profile in self.data["profiles"].items():
                if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(Path(file).name, pattern):
                    return profile
        return self.data.get("profile")


@lru_cache(maxsize=None)
def load_file(path: str) -> Config:
    p = Path(path)
    if p.name == "pyproject.toml":
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot be read ({exc})", path) from None
        section = data.get("tool", {}).get("opencomms", {})
        located = yamlfile.Located(f"{path} [tool.opencomms]", section, {})
    else:
        located = yamlfile.load(p)
        if located.data is None:
            located.data = {}
    if not isinstance(located.data, dict):
        raise located.error([], "configuration must be a mapping")
    yamlfile.validate(located, SCHEMA)
    return Config(path, located.data)


def _has_section(pyproject: Path) -> bool:
    try:
        return "opencomms" in tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


@lru_cache(maxsize=None)
def discover(directory: str) -> Config:
    """The nearest configuration walking up from ``directory`` (none: an empty Config)."""
    d = Path(directory).resolve()
    for folder in (d, *d.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return load_file(str(folder / name))
        if (folder / "pyproject.toml").is_file() and _has_section(folder / "pyproject.toml"):
            return load_file(str(folder / "pyproject.toml"))
    return Config()


def for_file(file: str | None, explicit: str | None = None) -> Config:
    if explicit:
        if not Path(explicit).is_file():
            raise ConfigError("configuration file not found", explicit)
        return load_file(str(Path(explicit)))
    if file is None or file in ("-", "<stdin>"):
        return discover(str(Path.cwd()))
    return discover(str(Path(file).resolve().parent))


def profiles() -> dict[str, Path]:
    return dict(_bundled_profiles())


@lru_cache(maxsize=1)
def _bundled_profiles() -> dict[str, Path]:  # asked for every document of an audit: read the folder once
    return {p.stem: p for p in sorted(PROFILES_DIR.glob("*.yaml"))}


@lru_cache(maxsize=None)
def load_profile(name: str) -> dict:
    known = profiles()
    if name not in known:
        raise ConfigError(f"unknown profile {name!r} (known: {', '.join(known)})")
    located = yamlfile.load(known[name])
    yamlfile.validate(located, PROFILE_SCHEMA)
    return located.data


@dataclass(frozen=True)
class Settings:
    """What applies to one document: the merged result of profile, configuration and flags."""

    profile: str
    rule_dirs: tuple[Path, ...]
    lexicon_dirs: tuple[Path, ...]
    rulesets: tuple[str, ...] | None
    disabled: frozenset[str]
    overrides_key: str  # a hashable copy of the per-rule overrides, for caching compiled rules

    @property
    def overrides(self) -> dict:
        import json

        return json.loads(self.overrides_key)


def settings_for(config: Config, profile: str) -> Settings:
    import json

    from opencomms.resources import RULES_DIR

    preset = load_profile(profile)
    overrides: dict = {}
    for layer in (preset.get("rules", {}), config.data.get("rules", {})):
        for rule_id, values in layer.items():
            merged = overrides.setdefault(rule_id, {})
            for key, value in values.items():
                if isinstance(value, dict) and isinstance(merged.get(key), dict):
                    merged[key] = {**merged[key], **value}
                else:
                    merged[key] = value
    if config.data.get("key_messages"):
        file = str((config.base / config.data["key_messages"]).resolve())
        overrides.setdefault(KEY_MESSAGE_RULE, {})["file"] = file
    disabled = frozenset(preset.get("disable", ())) | frozenset(config.data.get("disable", ()))
    rulesets = tuple(config.data["rulesets"]) if "rulesets" in config.data else None
    return Settings(
        profile=profile,
        rule_dirs=(RULES_DIR, *config.paths("rule_paths")),
        lexicon_dirs=config.paths("lexicon_paths"),
        rulesets=rulesets,
        disabled=disabled,
        overrides_key=json.dumps(overrides, sort_keys=True),
    )
