"""A publication repository adopts opencomms in one commit (config, baseline, CI) and then gets exactly
the new findings of a change, as SARIF and as GitHub annotations. The shipped CI files are exercised:
the GitHub action's command line (ci/github-action.sh with the env that action.yml sets), the GitLab
template's script and the pre-commit hook's entry all run for real against a real git repository.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
GIT_ENV = {"GIT_AUTHOR_NAME": "Redactie", "GIT_AUTHOR_EMAIL": "redactie@example.org",
           "GIT_COMMITTER_NAME": "Redactie", "GIT_COMMITTER_EMAIL": "redactie@example.org",
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"}
ANNOTATION = re.compile(r"^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),endLine=(\d+),"
                        r"endColumn=(\d+),title=opencomms ([^:]+)::")

NIEUWS = """---
title: Huurtoeslag
---

# Huurtoeslag gaat omhoog

Het kabinet heeft derhalve besloten de huurtoeslag te verhogen.

Huishoudens krijgen gemiddeld 12 procent meer. U hoeft zelf niets te doen.
"""
INSERTED = "Teneinde iedereen te bereiken, sturen wij een brief.\n\n"
ANCHOR = "Huishoudens krijgen"


def env(**extra) -> dict:
    """The environment of a CI job: the installed ``opencomms`` command first on PATH, git identity set."""
    bin_dir = str(Path(sys.executable).parent)
    return {**os.environ, **GIT_ENV, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""), "NO_COLOR": "1",
            **extra}


def git(cwd, *args) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, env=env(), check=True).stdout.decode()


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """A publication repository that adopted opencomms, then a change on top (not yet committed)."""
    root = tmp_path_factory.mktemp("publicaties")
    git(root, "init", "-q", "-b", "main")
    (root / "docs").mkdir()
    (root / "docs" / "nieuws.md").write_text(NIEUWS, encoding="utf-8")
    (root / "docs" / "oud.md").write_text((ROOT / "examples" / "brief-1985.txt").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    (root / "README.txt").write_text("Dit is derhalve geen publicatie.\n", encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "publicaties")
    # the adoption commit: config, baseline and CI job
    (root / "opencomms.yaml").write_text("fail_on: warning\ninclude: ['*.md']\n", encoding="utf-8")
    proc = run_cli("baseline", "create", "docs", "--output", ".opencomms-baseline.json", cwd=root)
    assert proc.returncode == 0, proc.stderr
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "opencomms.yml").write_text(WORKFLOW, encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "opencomms: config, baseline, CI")
    base = git(root, "rev-parse", "HEAD").strip()
    # the change under review: a new paragraph above old text (the old findings move down)
    path = root / "docs" / "nieuws.md"
    path.write_text(NIEUWS.replace(ANCHOR, INSERTED + ANCHOR), encoding="utf-8")
    return root, base


WORKFLOW = """name: opencomms
on: pull_request
jobs:
  opencomms:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: {fetch-depth: 0}
      - uses: opencomms/opencomms@main
        with:
          paths: docs
          baseline: .opencomms-baseline.json
          changed-since: ${{ github.event.pull_request.base.sha }}
"""


@pytest.fixture(scope="module")
def expected(repo):
    """The findings of the new paragraph, from a full check of the changed file without any baseline."""
    root, _ = repo
    proc = run_cli("check", "docs/nieuws.md", "--format", "json", "--fail-on", "never", cwd=root)
    assert proc.returncode == 0, proc.stderr
    findings = json.loads(proc.stdout)["documents"][0]["findings"]
    text = (root / "docs" / "nieuws.md").read_text(encoding="utf-8")
    first = text[:text.index(INSERTED)].count("\n") + 1
    new = {(f["rule"], f["line"], f["column"], f["text"]) for f in findings if f["line"] == first}
    old = {(f["rule"], f["line"], f["column"], f["text"]) for f in findings if f["line"] != first}
    assert ("begrijpelijk.officialese", first, 1, "Teneinde") in new
    assert any(rule == "begrijpelijk.officialese" and t == "derhalve" for rule, _, _, t in old)
    return new


def sarif_findings(log: dict) -> set:
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    out = set()
    for result in log["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "docs/nieuws.md"
        region = location["region"]
        out.add((result["ruleId"], region["startLine"], region["startColumn"], region["snippet"]["text"]))
    return out


def annotation_findings(stdout: str, only: str | None = "docs/nieuws.md") -> set:
    out = set()
    for line in stdout.splitlines():
        m = ANNOTATION.match(line)
        if m:
            assert only is None or m.group(2) == only
            out.add((m.group(7), int(m.group(3)), int(m.group(4))))
    return out


def test_adoption_is_one_commit(repo):
    root, base = repo
    files = git(root, "show", "--name-only", "--format=", base).split()
    assert sorted(files) == [".github/workflows/opencomms.yml", ".opencomms-baseline.json", "opencomms.yaml"]
    assert git(root, "status", "--porcelain").strip() == "M docs/nieuws.md"


def test_without_baseline_the_old_findings_fail(repo):
    root, base = repo
    proc = run_cli("check", "docs", "--format", "github", cwd=root)
    assert proc.returncode == 1
    assert len(annotation_findings(proc.stdout.decode(), only=None)) > 3


def test_sarif_has_exactly_the_new_findings(repo, expected):
    root, base = repo
    out = root / "opencomms.sarif"
    proc = run_cli("check", "docs", "--baseline", ".opencomms-baseline.json", "--changed-since", base,
                   "--format", "sarif", "--output", out, cwd=root)
    assert proc.returncode == 1, proc.stderr  # fail_on: warning from opencomms.yaml
    log = json.loads(out.read_text(encoding="utf-8"))
    assert sarif_findings(log) == expected
    assert [a["location"]["uri"] for a in log["runs"][0]["artifacts"]] == ["docs/nieuws.md"]  # oud.md unchanged
    out.unlink()


def test_github_action_command_line(repo, expected, tmp_path):
    """Run ci/github-action.sh with the environment action.yml gives it, as the runner would."""
    root, base = repo
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    step = next(s for s in action["runs"]["steps"] if s.get("name") == "Check with opencomms")
    inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    inputs.update({"paths": "docs", "baseline": ".opencomms-baseline.json", "changed-since": base,
                   "sarif-file": str(tmp_path / "results.sarif")})

    def expand(value: str) -> str:
        value = value.replace("${{ github.action_path }}", str(ROOT))
        return re.sub(r"\$\{\{ inputs\.([\w-]+) \}\}", lambda m: inputs[m.group(1)], value)

    step_env = {key: expand(str(value)) for key, value in step["env"].items()}
    command = expand(step["run"])
    assert command == f'bash "{ROOT}/ci/github-action.sh"'
    proc = subprocess.run(command, shell=True, cwd=root, capture_output=True, env=env(**step_env), timeout=600)
    assert proc.returncode == 1, proc.stderr
    stdout = proc.stdout.decode()
    assert annotation_findings(stdout) == {(rule, line, col) for rule, line, col, _ in expected}
    assert "opencomms: 1 document gecontroleerd: " in stdout
    assert sarif_findings(json.loads((tmp_path / "results.sarif").read_text(encoding="utf-8"))) == expected

    # only findings on changed lines: the same here, since the change is one new paragraph
    step_env["OPENCOMMS_CHANGED_LINES"] = "true"
    step_env["OPENCOMMS_SARIF_FILE"] = ""
    proc = subprocess.run(command, shell=True, cwd=root, capture_output=True, env=env(**step_env), timeout=600)
    assert annotation_findings(proc.stdout.decode()) == {(rule, line, col) for rule, line, col, _ in expected}


def test_changed_lines_without_baseline(repo, expected):
    root, base = repo
    proc = run_cli("check", "docs", "--changed-since", base, "--changed-lines", "--format", "github", cwd=root)
    assert proc.returncode == 1
    lines = {line for _, line, _ in annotation_findings(proc.stdout.decode())}
    assert lines == {line for _, line, _, _ in expected}


def test_nothing_changed_means_nothing_checked(repo):
    root, base = repo
    proc = run_cli("check", "docs/oud.md", "--changed-since", base, "--format", "github", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "geen gewijzigde bestanden sinds" in proc.stderr.decode()
    assert "opencomms: 0 documenten gecontroleerd: 0 fouten, 0 waarschuwingen, 0 suggesties" in proc.stdout.decode()


def test_gitlab_template_script(repo, expected, tmp_path):
    """Run the GitLab template's script with its variables, in a merge-request pipeline."""
    root, base = repo
    template = yaml.safe_load((ROOT / "ci" / "gitlab-opencomms.yml").read_text(encoding="utf-8"))
    job = template[".opencomms"]
    variables = {**job["variables"], "OPENCOMMS_PATHS": "docs", "OPENCOMMS_BASELINE": ".opencomms-baseline.json",
                 "CI_MERGE_REQUEST_DIFF_BASE_SHA": base}
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    script = "\n".join(job["script"])
    proc = subprocess.run(["bash", "-c", script], cwd=root, capture_output=True, env=env(**variables), timeout=600)
    assert proc.returncode == 1, proc.stderr
    report_path = root / "gl-code-quality-report.json"
    issues = json.loads(report_path.read_text(encoding="utf-8"))
    report_path.unlink()
    assert {(i["check_name"], i["location"]["lines"]["begin"]) for i in issues} == {
        (rule, line) for rule, line, _, _ in expected}
    n = len(issues)
    assert f"{n} {'bevinding' if n == 1 else 'bevindingen'} in gl-code-quality-report.json" in proc.stdout.decode()


def test_pre_commit_hook_entry(repo):
    """Run the hook's entry on the files pre-commit would pass it (those matching ``files``)."""
    root, _ = repo
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "opencomms")
    assert hook["language"] == "python"
    pattern = re.compile(hook["files"])
    staged = git(root, "ls-files").split() + ["docs/nieuws.md"]
    files = sorted({f for f in staged if pattern.search(f)})
    assert files == ["README.txt", "docs/nieuws.md", "docs/oud.md"]
    entry = hook["entry"].split()
    proc = subprocess.run(entry + hook.get("args", []) + files, cwd=root, capture_output=True, env=env(), timeout=600)
    assert proc.returncode == 1, proc.stderr  # the old letter is full of errors
    assert b"docs/oud.md" in proc.stdout
    proc = subprocess.run(entry + ["--baseline", ".opencomms-baseline.json", "docs/oud.md"], cwd=root,
                          capture_output=True, env=env(), timeout=600)
    assert proc.returncode == 0, proc.stdout.decode()[-2000:]
