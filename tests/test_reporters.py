"""Reporters for CI: SARIF (validated against the official 2.1.0 schema), GitHub annotations, GitLab Code
Quality, JUnit and a Markdown summary, all rendered from real findings of the real pipeline."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from opencomms import readers
from opencomms.finding import Level
from opencomms.report import Failure, Report
from opencomms.reporters import FORMATS, github, gitlab, junit, markdown, sarif

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parents[1]

TEXT = """# Subsidie voor isolatie

Wij hebben derhalve besloten de regeling te verlengen, teneinde meer huishoudens te helpen.
Het onderliggende advies is vertrouwelijk.

Zie ook de voorwaarden op de website | kolom.
"""


@pytest.fixture(scope="module")
def report(checker, tmp_path_factory):
    directory = tmp_path_factory.mktemp("docs")
    first = directory / "nieuws.md"
    first.write_text(TEXT, encoding="utf-8")
    sources = [readers.read(first), readers.read(ROOT / "examples" / "brief-1985.txt")]
    results = list(checker.run(sources))
    failures = [Failure(str(directory / "kapot.docx"), "not a valid DOCX file (corrupt, or not a ZIP archive)")]
    return Report(results, checker.pipeline_info(), failures, fail_on="warning")


def render(fmt: str, report) -> str:
    buffer = io.StringIO()
    FORMATS[fmt].render(report, buffer, color=False)
    return buffer.getvalue()


def all_findings(report):
    return [(r, f) for r in report.results for f in r.findings]


def test_report_has_findings_with_a_fix(report):
    findings = [f for _, f in all_findings(report)]
    assert len(findings) >= 5
    assert any(f.fix is not None for f in findings), "the officialese rule offers safe fixes"


# --- SARIF -----------------------------------------------------------------------------------------


def test_sarif_validates_against_the_official_schema(report):
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    log = json.loads(render("sarif", report))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(log)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1


def test_sarif_rules_results_regions_and_fixes(report):
    run = json.loads(render("sarif", report))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(set(ids))
    ran = {rule.id for r in report.results for rule in r.rules}
    assert ran <= set(ids)
    for descriptor in rules:
        assert descriptor["help"]["text"] and descriptor["shortDescription"]["text"]
        assert f"opencomms explain {descriptor['id']}" in descriptor["help"]["text"] or descriptor["id"].startswith("opencomms.")
    pairs = all_findings(report)
    assert len(run["results"]) == len(pairs)
    levels = {"error": Level.error, "warning": Level.warning, "note": Level.suggestion}
    fixes = 0
    for item, (result, finding) in zip(run["results"], pairs):
        assert item["ruleId"] == finding.rule and ids[item["ruleIndex"]] == finding.rule
        assert levels[item["level"]] == finding.level
        assert item["message"]["text"].startswith(finding.message)
        location = item["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == sarif.artifact_uri(result.source.path)
        region = location["region"]
        assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
            finding.line, finding.column, finding.end_line, finding.end_column)
        text = result.source.text
        assert text[region["charOffset"]:region["charOffset"] + region["charLength"]] == finding.text
        line = text.splitlines()[region["startLine"] - 1]
        assert line[region["startColumn"] - 1:].startswith(finding.text.split("\n")[0])
        if finding.fix is not None:
            fixes += 1
            replacement = item["fixes"][0]["artifactChanges"][0]["replacements"][0]
            assert replacement["insertedContent"]["text"] == finding.fix.replacement
            assert replacement["deletedRegion"]["charOffset"] == finding.fix.offset
        else:
            assert "fixes" not in item
    assert fixes
    notifications = run["invocations"][0]["toolExecutionNotifications"]
    assert run["invocations"][0]["executionSuccessful"] is False
    assert "kapot.docx" in notifications[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]


def test_sarif_artifact_uris():
    assert sarif.artifact_uri("docs/nieuws over #1.md") == "docs/nieuws%20over%20%231.md"
    assert sarif.artifact_uri("/srv/site/a.md") == "file:///srv/site/a.md"


def test_sarif_fingerprints_are_stable_across_line_shifts(checker, tmp_path):
    path = tmp_path / "a.md"
    path.write_text(TEXT, encoding="utf-8")
    before = Report([checker.check_one(readers.read(path))], checker.pipeline_info())
    path.write_text("# Nieuw\n\nEen nieuwe eerste alinea.\n\n" + TEXT.replace("# Subsidie voor isolatie\n\n", ""),
                    encoding="utf-8")
    after = Report([checker.check_one(readers.read(path))], checker.pipeline_info())

    def prints(rep):
        run = json.loads(render("sarif", rep))["runs"][0]
        return {(r["ruleId"], r["partialFingerprints"]["opencommsFinding/v1"]): r["locations"][0]["physicalLocation"]
                ["region"]["startLine"] for r in run["results"] if r["ruleId"] == "begrijpelijk.officialese"}

    old, new = prints(before), prints(after)
    assert old and set(old) == set(new)
    assert all(new[key] == old[key] + 2 for key in old)  # moved two lines down, same fingerprint


# --- GitHub ----------------------------------------------------------------------------------------

ANNOTATION = re.compile(
    r"^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=([^:]+)::(.+)$")


def test_github_annotations(report):
    lines = render("github", report).splitlines()
    pairs = all_findings(report)
    annotations = [line for line in lines if line.startswith("::") and "file=" in line and ",line=" in line]
    assert len(annotations) == len(pairs)
    kinds = {Level.error: "error", Level.warning: "warning", Level.suggestion: "notice"}
    for line, (result, finding) in zip(annotations, pairs):
        m = ANNOTATION.match(line)
        assert m, line
        assert m.group(1) == kinds[finding.level]
        assert m.group(2) == result.source.path
        assert tuple(map(int, m.groups()[2:6])) == (finding.line, finding.column, finding.end_line, finding.end_column)
        assert m.group(7) == f"opencomms {finding.rule}"
        assert "\n" not in m.group(8)
    assert any(line.startswith("::error file=") and "kapot.docx" in line for line in lines)
    assert lines[-1].startswith("opencomms: 2 documenten gecontroleerd: ")


def test_github_escaping_cannot_inject_commands():
    assert github.escape_data("50% klaar\r\nnog 50%") == "50%25 klaar%0D%0Anog 50%25"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    line = github.command("warning", "regel 1\n::error::gehackt", file="map/a,b:c.md", line=3, title="x: y")
    assert line == "::warning file=map/a%2Cb%3Ac.md,line=3,title=x%3A y::regel 1%0A::error::gehackt"
    assert line.count("\n") == 0


# --- GitLab ----------------------------------------------------------------------------------------


def test_gitlab_code_quality(report):
    issues = json.loads(render("gitlab", report))
    pairs = all_findings(report)
    assert len(issues) == len(pairs) + len(report.failures)
    severity = {Level.error: "major", Level.warning: "minor", Level.suggestion: "info"}
    for issue, (result, finding) in zip(issues, pairs):
        assert issue["check_name"] == finding.rule
        assert issue["description"].startswith(finding.message)
        assert issue["severity"] == severity[finding.level]
        assert issue["location"] == {"path": result.source.path,
                                     "lines": {"begin": finding.line, "end": finding.end_line}}
        assert re.fullmatch(r"[0-9a-f]{32}", issue["fingerprint"])
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert issues[-1]["severity"] == "blocker" and issues[-1]["location"]["path"].endswith("kapot.docx")


# --- JUnit -----------------------------------------------------------------------------------------


def test_junit_one_case_per_document_and_rule(report):
    root = ET.fromstring(render("junit", report).encode("utf-8"))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [r.source.path for r in report.results] + [report.failures[0].path]
    for suite, result in zip(suites, report.results):
        cases = {c.get("name"): c for c in suite.findall("testcase")}
        assert {rule.id for rule in result.rules} <= set(cases)
        for rule in result.rules:
            failing = [f for f in result.findings if f.rule == rule.id and f.level >= Level.warning]
            failure = cases[rule.id].find("failure")
            assert (failure is not None) == bool(failing), rule.id
            if failing:
                assert f"{result.source.path}:{failing[0].line}:{failing[0].column}:" in failure.text
        assert int(suite.get("failures")) == sum(1 for c in cases.values() if c.find("failure") is not None)
        assert int(suite.get("tests")) == len(cases)
    assert suites[-1].find("testcase/error") is not None
    assert int(root.get("errors")) == 1


def test_junit_fail_on_never_has_no_failures(report):
    relaxed = Report(report.results, report.pipeline, [], fail_on="never")
    root = ET.fromstring(render("junit", relaxed).encode("utf-8"))
    assert root.get("failures") == "0" and root.find(".//failure") is None
    assert root.find(".//system-out") is not None


# --- Markdown --------------------------------------------------------------------------------------


def test_markdown_summary_table(report):
    text = render("markdown", report)
    assert text.startswith("### ❌ opencomms: 2 documenten gecontroleerd")
    assert "| Document | Profiel | Score | Fouten | Waarschuwingen | Suggesties |" in text
    for result in report.results:
        counts = [sum(1 for f in result.findings if f.level == level) for level in
                  (Level.error, Level.warning, Level.suggestion)]
        row = f"| {markdown.cell(result.source.path)} | {result.profile} | {result.scores.get('score')} | " + \
              " | ".join(map(str, counts)) + " |"
        assert row in text
    assert "kapot.docx" in text and "niet te lezen" in text
    # every table row has the same number of unescaped pipes: messages cannot break the table
    for line in text.splitlines():
        if line.startswith("| ") and "Plaats" not in line and "---" not in line and "Document" not in line:
            cells = re.split(r"(?<!\\)\|", line)
            assert len(cells) in (7, 8), line


def test_markdown_cell_escapes():
    assert markdown.cell("a | b\nc `d` *e*") == "a \\| b c \\`d\\` \\*e\\*"


# --- CLI -------------------------------------------------------------------------------------------


def test_cli_sarif_to_file_atomically(cli, tmp_path):
    (tmp_path / "a.md").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out" / "report.sarif"
    out.parent.mkdir()
    out.write_text("old", encoding="utf-8")
    proc = cli("check", tmp_path / "a.md", "--format", "sarif", "--output", out, "--fail-on", "warning")
    assert proc.returncode == 1, proc.stderr  # the text has warnings
    assert proc.stdout == b""
    log = json.loads(out.read_text(encoding="utf-8"))
    assert log["runs"][0]["results"]
    assert [p.name for p in out.parent.iterdir()] == ["report.sarif"]  # no temporary file left behind


@pytest.mark.parametrize("fmt", ["github", "gitlab", "junit", "markdown"])
def test_cli_formats(cli, tmp_path, fmt):
    (tmp_path / "a.md").write_text(TEXT, encoding="utf-8")
    proc = cli("check", "a.md", "--format", fmt, "--fail-on", "warning", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout.decode("utf-8")
    if fmt == "github":
        assert out.startswith("::") and "file=a.md," in out
    elif fmt == "gitlab":
        assert json.loads(out)[0]["location"]["path"] == "a.md"
    elif fmt == "junit":
        assert ET.fromstring(out.encode()).tag == "testsuites"
    else:
        assert "| a.md |" in out


def test_cli_unknown_format_lists_them(cli, tmp_path):
    (tmp_path / "a.md").write_text("Tekst.\n", encoding="utf-8")
    proc = cli("check", tmp_path / "a.md", "--format", "xml")
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert all(name in err for name in ("sarif", "github", "gitlab", "junit", "markdown"))


def test_formats_are_registered():
    for name, module in (("sarif", sarif), ("github", github), ("gitlab", gitlab), ("junit", junit),
                         ("markdown", markdown)):
        assert FORMATS[name] is module


def test_terminal_snippet_keeps_the_space_next_to_a_match_at_a_line_break(checker, tmp_path):
    path = tmp_path / "brief.md"
    path.write_text("Wij hebben derhalve\nbesloten de regeling te\nverlengen.\n", encoding="utf-8")
    report = Report(list(checker.run([readers.read(path)])), checker.pipeline_info(), [], fail_on="warning")
    out = render("text", report)
    assert "Wij hebben derhalve besloten de regeling te verlengen." in out


def test_counts_in_the_summary_agree_in_number():
    from opencomms.report import amount

    assert [amount(n, "fout", "fouten") for n in (0, 1, 2)] == ["0 fouten", "1 fout", "2 fouten"]


def test_summary_line_of_the_terminal_report(report):
    text = render("text", report)
    counts = {level: sum(1 for r in report.results for f in r.findings if f.level == level) for level in Level}
    words = {Level.error: ("fout", "fouten"), Level.warning: ("waarschuwing", "waarschuwingen"),
             Level.suggestion: ("suggestie", "suggesties")}
    expected = ", ".join(f"{counts[lv]} {words[lv][counts[lv] != 1]}" for lv in (Level.error, Level.warning, Level.suggestion))
    assert f"2 documenten gecontroleerd: {expected}; 1 bestand niet te lezen" in text
