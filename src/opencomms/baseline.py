"""A baseline: today's findings, recorded so that CI fails only on new ones.

A finding is known by its rule and a fingerprint of the normalised sentence it sits in plus the
matched text, never by its line: text added above it, or a reflowed paragraph, does not make it new.
Identical findings (the same word twice in one sentence) are counted; a baseline entry absorbs at most
that many. Paths are stored relative to the baseline file's folder, so the check may run from anywhere.

File format (JSON, ``opencomms/baseline/v1``)::

    {"schema": "opencomms/baseline/v1", "tool": "opencomms 0.1.0",
     "files": {"docs/a.md": [{"rule": "...", "fingerprint": "...", "text": "...", "count": 1}, ...]}}
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from opencomms import __version__
from opencomms.atomic import write_text
from opencomms.errors import ConfigError
from opencomms.finding import Finding

SCHEMA = "opencomms/baseline/v1"
DEFAULT_PATH = ".opencomms-baseline.json"


def normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def fingerprint(finding: Finding) -> str:
    """Stable across line shifts and re-wrapping: the rule, its sentence and the matched text."""
    key = "\0".join((finding.rule, normalise(finding.context or finding.text), normalise(finding.text)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def _key(path: str, base: Path) -> str:
    """The path of a checked file relative to the baseline's folder, with forward slashes."""
    if path == "<stdin>":
        return path
    absolute = Path(os.path.abspath(path))
    try:
        return Path(os.path.relpath(absolute, base)).as_posix()
    except ValueError:  # another drive on Windows
        return absolute.as_posix()


@dataclass
class Baseline:
    path: Path
    files: dict[str, Counter] = field(default_factory=dict)  # relative path → Counter((rule, fingerprint))
    texts: dict[tuple, str] = field(default_factory=dict)

    @property
    def base(self) -> Path:
        return Path(os.path.abspath(self.path)).parent

    @classmethod
    def from_results(cls, path: str | Path, results) -> "Baseline":
        baseline = cls(Path(path))
        for result in results:
            counts = baseline.files.setdefault(_key(result.source.path, baseline.base), Counter())
            for finding in result.findings:
                key = (finding.rule, fingerprint(finding))
                counts[key] += 1
                baseline.texts.setdefault(key, " ".join(finding.text.split()))
        return baseline

    def to_dict(self) -> dict:
        files = {}
        for name in sorted(self.files):
            counts = self.files[name]
            files[name] = [
                {"rule": rule, "fingerprint": fp, "text": self.texts.get((rule, fp), ""), "count": count}
                for (rule, fp), count in sorted(counts.items())
            ]
        return {"schema": SCHEMA, "tool": f"opencomms {__version__}", "files": files}

    def write(self) -> None:
        write_text(self.path, json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n")

    @classmethod
    def load(cls, path: str | Path) -> "Baseline":
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError("no such baseline file (create one with: opencomms baseline create)", str(path)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read the baseline ({exc})", str(path)) from None
        except json.JSONDecodeError as exc:
            raise ConfigError(f"invalid baseline: not JSON ({exc.msg}, line {exc.lineno})", str(path)) from None
        if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("files"), dict):
            raise ConfigError(f"invalid baseline: expected a JSON object with schema {SCHEMA!r} and files", str(path))
        baseline = cls(path)
        for name, items in data["files"].items():
            if not isinstance(items, list):
                raise ConfigError(f"invalid baseline: files.{name} must be a list", str(path))
            counts = baseline.files.setdefault(name, Counter())
            for item in items:
                try:
                    key = (str(item["rule"]), str(item["fingerprint"]))
                    count = int(item.get("count", 1))
                except (TypeError, KeyError, ValueError):
                    raise ConfigError(f"invalid baseline entry in files.{name}: needs rule, fingerprint, count",
                                      str(path)) from None
                counts[key] += max(count, 0)
                baseline.texts[key] = str(item.get("text", ""))
        return baseline

    def filter(self, results) -> int:
        """Drop the known findings from each result; returns how many were dropped."""
        dropped = 0
        for result in results:
            budget = Counter(self.files.get(_key(result.source.path, self.base), Counter()))
            kept = []
            for finding in result.findings:
                key = (finding.rule, fingerprint(finding))
                if budget[key] > 0:
                    budget[key] -= 1
                    dropped += 1
                else:
                    kept.append(finding)
            result.findings = kept
        return dropped
