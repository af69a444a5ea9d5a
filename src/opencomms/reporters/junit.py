"""``--format junit``: JUnit XML, one test suite per document and one test case per rule that ran.

A rule fails for a document when it has findings at or above the run's ``--fail-on`` level (the same
threshold as the exit code); its findings are listed in the failure, one per line with line:column.
Findings below the threshold are in ``system-out``. A file that could not be read is a suite with one
test case in error.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from opencomms.finding import Level
from opencomms.report import amount

LABEL = {Level.error: "fout", Level.warning: "waarschuwing", Level.suggestion: "suggestie"}


def _line(path: str, finding) -> str:
    text = f"{path}:{finding.line}:{finding.column}: {LABEL[finding.level]}: {finding.message}"
    if finding.suggestions:
        text += " Beter: " + " | ".join(finding.suggestions[:4]) + "."
    return text


def to_xml(report) -> ET.Element:
    threshold = None if report.fail_on == "never" else Level.parse(report.fail_on)
    root = ET.Element("testsuites", name="opencomms")
    total = failed = errors = 0
    for result in report.results:
        path = result.source.path
        suite = ET.SubElement(root, "testsuite", name=path)
        by_rule: dict[str, list] = {rule.id: [] for rule in result.rules}
        for finding in result.findings:
            by_rule.setdefault(finding.rule, []).append(finding)
        suite_failed = 0
        for rule_id in sorted(by_rule):
            findings = by_rule[rule_id]
            case = ET.SubElement(suite, "testcase", name=rule_id, classname=path)
            failing = [f for f in findings if threshold is not None and f.level >= threshold]
            if failing:
                suite_failed += 1
                failure = ET.SubElement(case, "failure", type=LABEL[max(f.level for f in failing)],
                                        message=f"{amount(len(failing), 'bevinding', 'bevindingen')}: {failing[0].message}")
                failure.text = "\n".join(_line(path, f) for f in failing)
            rest = [f for f in findings if f not in failing]
            if rest:
                ET.SubElement(case, "system-out").text = "\n".join(_line(path, f) for f in rest)
        for skipped in result.skipped:
            case = ET.SubElement(suite, "testcase", name=skipped.rule, classname=path)
            ET.SubElement(case, "skipped", message=skipped.reason)
        count = len(by_rule) + len(result.skipped)
        suite.set("tests", str(count))
        suite.set("failures", str(suite_failed))
        suite.set("errors", "0")
        suite.set("skipped", str(len(result.skipped)))
        total += count
        failed += suite_failed
    for failure in report.failures:
        suite = ET.SubElement(root, "testsuite", name=failure.path, tests="1", failures="0", errors="1", skipped="0")
        case = ET.SubElement(suite, "testcase", name="lezen", classname=failure.path)
        ET.SubElement(case, "error", type="onleesbaar", message=f"Kan dit bestand niet lezen: {failure.message}")
        total += 1
        errors += 1
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", str(errors))
    return root


def render(report, stream, color: bool = False) -> None:
    root = to_xml(report)
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
