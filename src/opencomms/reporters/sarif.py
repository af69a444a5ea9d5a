"""``--format sarif``: SARIF 2.1.0 for code-scanning dashboards (GitHub, GitLab, Azure DevOps, editors).

One run. ``tool.driver.rules`` lists every rule that ran, with its Dutch description as help text and
its link when it has one. Each finding is a result with its level (error, warning, note), message,
physical location and region (lines and columns count code points: ``columnKind`` is
``unicodeCodePoints``), a stable fingerprint (the baseline's), and a fix when the rule has a safe
replacement. For DOCX, ODT and PDF the region refers to the extracted text; the paragraph or page is in
the result's properties. Files that could not be read are tool execution notifications.
"""

from __future__ import annotations

import json
from pathlib import PurePath

from opencomms import __version__
from opencomms.baseline import fingerprint
from opencomms.finding import Level
from opencomms.principles import ASPECTS, CATEGORIES

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {Level.error: "error", Level.warning: "warning", Level.suggestion: "note"}
UNUSED_SUPPRESSION = {
    "id": "opencomms.unused-suppression",
    "name": "UnusedSuppression",
    "shortDescription": {"text": "Uitzondering die niets onderdrukt"},
    "fullDescription": {
        "text": "Een opencomms-disable-opmerking die geen enkele melding onderdrukt. Haal haar weg, "
        "zodat uitzonderingen niet blijven staan als de tekst al verbeterd is."
    },
    "help": {"text": "Haal de opmerking weg of noem de juiste regel."},
    "defaultConfiguration": {"level": "warning"},
    "properties": {"category": "suppression", "tags": ["uitzondering"]},
}


def artifact_uri(path: str) -> str:
    """A relative URI reference for a checked file (forward slashes, spaces and the like escaped)."""
    from urllib.parse import quote

    posix = PurePath(path).as_posix()
    if PurePath(path).is_absolute():
        return "file://" + quote(posix if posix.startswith("/") else "/" + posix)
    return quote(posix)


def _rule_descriptor(rule) -> dict:
    description = " ".join(rule.description.split())
    first = description.split(". ")[0].rstrip(".") + "."
    aspect = ASPECTS.get(rule.principle)
    help_text = rule.description.strip()
    if aspect:
        help_text += f"\n\nUitgangspunt {aspect.principle}: {aspect.principle_title} ({aspect.title})."
    help_text += f"\nMeer uitleg: opencomms explain {rule.id}"
    descriptor = {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.replace(".", "-").split("-")),
        "shortDescription": {"text": first},
        "fullDescription": {"text": description},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": LEVELS[rule.level]},
        "properties": {
            "principle": rule.principle,
            "category": rule.category,
            "tags": [t for t in (rule.principle, CATEGORIES.get(rule.category, rule.category)) if t],
        },
    }
    if rule.link:
        descriptor["helpUri"] = rule.link
        descriptor["help"]["text"] += f"\n{rule.link}"
    return descriptor


def _region(source, start: int, end: int) -> dict:
    line, column = source.position(start)
    end_line, end_column = source.position(end)
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column,
            "charOffset": start, "charLength": end - start}


def _result(finding, rule_index: dict, uri: str, source) -> dict:
    message = finding.message
    if finding.suggestions:
        message += " Beter: " + " | ".join(finding.suggestions[:4]) + "."
    region = {
        "startLine": finding.line,
        "startColumn": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
        "charOffset": finding.offset,
        "charLength": finding.end_offset - finding.offset,
        "snippet": {"text": finding.text},
    }
    result = {
        "ruleId": finding.rule,
        "level": LEVELS[finding.level],
        "message": {"text": message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}],
        "partialFingerprints": {"opencommsFinding/v1": fingerprint(finding)},
        "properties": {"principle": finding.principle, "category": finding.category, "scope": finding.scope},
    }
    if finding.rule in rule_index:
        result["ruleIndex"] = rule_index[finding.rule]
    if finding.context:
        result["locations"][0]["physicalLocation"]["contextRegion"] = {
            **_region(source, finding.context_offset, finding.context_offset + len(finding.context)),
            "snippet": {"text": finding.context},
        }
    if finding.suggestions:
        result["properties"]["suggestions"] = list(finding.suggestions)
    if finding.location:
        result["properties"]["location"] = dict(finding.location)
    if finding.fix is not None:
        fix = finding.fix
        result["fixes"] = [{
            "description": {"text": f"Vervang '{finding.text}' door '{fix.replacement}'."},
            "artifactChanges": [{
                "artifactLocation": {"uri": uri},
                "replacements": [{
                    "deletedRegion": _region(source, fix.offset, fix.end_offset),
                    "insertedContent": {"text": fix.replacement},
                }],
            }],
        }]
    return result


def to_sarif(report) -> dict:
    descriptors: dict[str, dict] = {}
    for result in report.results:
        for rule in result.rules:
            descriptors.setdefault(rule.id, _rule_descriptor(rule))
    if any(f.rule == UNUSED_SUPPRESSION["id"] for r in report.results for f in r.findings):
        descriptors.setdefault(UNUSED_SUPPRESSION["id"], UNUSED_SUPPRESSION)
    ids = sorted(descriptors)
    rule_index = {rule_id: i for i, rule_id in enumerate(ids)}
    results = []
    artifacts = []
    for result in report.results:
        uri = artifact_uri(result.source.path)
        artifacts.append({"location": {"uri": uri}, "sourceLanguage": result.source.format,
                          "properties": {"profile": result.profile, "score": result.scores.get("score")}})
        for finding in result.findings:
            results.append(_result(finding, rule_index, uri, result.source))
    notifications = [
        {
            "level": "error",
            "message": {"text": f"Kan dit bestand niet lezen: {failure.message}"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(failure.path)}}}],
        }
        for failure in report.failures
    ]
    run = {
        "tool": {
            "driver": {
                "name": "opencomms",
                "version": __version__,
                "semanticVersion": __version__,
                "language": "nl",
                "rules": [descriptors[rule_id] for rule_id in ids],
            }
        },
        "invocations": [{
            "executionSuccessful": not report.failures,
            "exitCode": report.exit_code(),
            "toolExecutionNotifications": notifications,
        }],
        "artifacts": artifacts,
        "language": "nl",
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"pipeline": {"model": report.pipeline.get("model"),
                                    "capabilities": list(report.pipeline.get("capabilities", []))}},
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report, stream, color: bool = False) -> None:
    json.dump(to_sarif(report), stream, ensure_ascii=False, indent=2)
    stream.write("\n")
