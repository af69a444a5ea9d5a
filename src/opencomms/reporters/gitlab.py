"""``--format gitlab``: a GitLab Code Quality report (a JSON array of issues).

Each finding is an issue with ``description``, ``check_name`` (the rule id), ``fingerprint`` (unique
per issue and stable across line shifts: the baseline fingerprint, the path and the occurrence number),
``severity`` (error → major, warning → minor, suggestion → info), ``location.path`` and
``location.lines.begin``/``end``. Files that could not be read are ``blocker`` issues at line 1.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from opencomms.baseline import fingerprint
from opencomms.finding import Level

SEVERITY = {Level.error: "major", Level.warning: "minor", Level.suggestion: "info"}


def _unique(path: str, key: str, seen: Counter) -> str:
    seen[(path, key)] += 1
    raw = f"{path}\0{key}\0{seen[(path, key)]}"
    return hashlib.md5(raw.encode("utf-8")).hexdigest()  # GitLab expects an MD5-length hex string


def issues(report) -> list[dict]:
    out = []
    seen: Counter = Counter()
    for result in report.results:
        path = result.source.path
        for finding in result.findings:
            description = finding.message
            if finding.suggestions:
                description += " Beter: " + " | ".join(finding.suggestions[:4]) + "."
            out.append({
                "type": "issue",
                "description": description,
                "check_name": finding.rule,
                "fingerprint": _unique(path, fingerprint(finding), seen),
                "severity": SEVERITY[finding.level],
                "categories": ["Style"],
                "location": {"path": path, "lines": {"begin": finding.line, "end": finding.end_line}},
            })
    for failure in report.failures:
        out.append({
            "type": "issue",
            "description": f"Kan dit bestand niet lezen: {failure.message}",
            "check_name": "opencomms.unreadable",
            "fingerprint": _unique(failure.path, "unreadable", seen),
            "severity": "blocker",
            "categories": ["Bug Risk"],
            "location": {"path": failure.path, "lines": {"begin": 1}},
        })
    return out


def render(report, stream, color: bool = False) -> None:
    json.dump(issues(report), stream, ensure_ascii=False, indent=2)
    stream.write("\n")
