"""Baselines (robust to line shifts, duplicates counted) and the git helpers behind --changed-since/-lines."""

from __future__ import annotations

import json
import subprocess

import pytest

from opencomms import gitdiff, readers
from opencomms.baseline import SCHEMA, Baseline, fingerprint
from opencomms.errors import ConfigError, OpencommsError

OFFICIALESE = "begrijpelijk.officialese"
TEXT = (
    "# Regeling\n\n"
    "Wij hebben derhalve besloten de regeling te verlengen.\n\n"
    "Dit doen wij derhalve.\n\n"
    "Dit doen wij derhalve.\n"
)
GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "Test",
           "GIT_COMMITTER_EMAIL": "test@example.org", "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"}


def git(cwd, *args) -> str:
    import os

    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, env={**os.environ, **GIT_ENV}, check=True)
    return proc.stdout.decode()


def officialese(results):
    return sorted((f.line, f.text.lower()) for r in results for f in r.findings if f.rule == OFFICIALESE)


def test_fingerprint_ignores_position_and_wrapping(checker):
    one = checker.check_one(readers.markdown.parse(TEXT.encode(), "a.md"))
    moved = "Nieuwe eerste alinea.\n\n" + TEXT.replace("de regeling te verlengen", "de regeling\nte verlengen")
    two = checker.check_one(readers.markdown.parse(moved.encode(), "a.md"))
    prints_one = sorted(fingerprint(f) for f in one.findings if f.rule == OFFICIALESE)
    prints_two = sorted(fingerprint(f) for f in two.findings if f.rule == OFFICIALESE)
    assert len(prints_one) == 3 and prints_one == prints_two
    assert len(set(prints_one)) == 2  # the same sentence twice: one fingerprint, counted twice


def test_baseline_round_trip_and_filter(checker, tmp_path):
    path = tmp_path / "docs" / "a.md"
    path.parent.mkdir()
    path.write_text(TEXT, encoding="utf-8")
    results = [checker.check_one(readers.read(path))]
    baseline = Baseline.from_results(tmp_path / "baseline.json", results)
    baseline.write()
    data = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert data["schema"] == SCHEMA and list(data["files"]) == ["docs/a.md"]
    entries = [e for e in data["files"]["docs/a.md"] if e["rule"] == OFFICIALESE]
    assert sorted(e["count"] for e in entries) == [1, 2]
    assert {e["text"] for e in entries} == {"derhalve"}

    loaded = Baseline.load(tmp_path / "baseline.json")
    # lines added above, and the counted sentence a third time: only the third one is new
    path.write_text("Intro.\n\n" + TEXT + "\nDit doen wij derhalve.\n", encoding="utf-8")
    results = [checker.check_one(readers.read(path))]
    dropped = loaded.filter(results)
    assert dropped >= 3
    assert officialese(results) == [(11, "derhalve")]
    # a finding in an edited sentence is new: the fingerprint is the sentence's
    path.write_text(TEXT.replace("Wij hebben derhalve besloten", "Wij hebben toen derhalve besloten"), encoding="utf-8")
    results = [checker.check_one(readers.read(path))]
    loaded.filter(results)
    assert officialese(results) == [(3, "derhalve")]


def test_baseline_errors_are_one_line(tmp_path):
    with pytest.raises(ConfigError, match="no such baseline file"):
        Baseline.load(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="not JSON"):
        Baseline.load(tmp_path / "bad.json")
    (tmp_path / "other.json").write_text('{"schema": "x", "files": {}}', encoding="utf-8")
    with pytest.raises(ConfigError, match="opencomms/baseline/v1"):
        Baseline.load(tmp_path / "other.json")


def test_cli_baseline_create_and_check(cli, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text(TEXT, encoding="utf-8")
    proc = cli("baseline", "create", "docs", "--output", "ci/baseline.json", cwd=tmp_path)
    assert proc.returncode == 2 and "baseline.json" in proc.stderr.decode()  # the folder ci/ does not exist
    (tmp_path / "ci").mkdir()
    proc = cli("baseline", "create", "docs", "--output", "ci/baseline.json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "basislijn met" in proc.stderr.decode()
    assert json.loads((tmp_path / "ci" / "baseline.json").read_text())["files"].keys() == {"../docs/a.md"}

    proc = cli("check", "docs", "--baseline", "ci/baseline.json", "--fail-on", "suggestion", "--format", "json",
               cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["documents"][0]["findings"] == []
    assert "uit de basislijn niet getoond" in proc.stderr.decode()

    # from another folder, with the file changed: only the new finding, and it fails
    (docs / "a.md").write_text(TEXT + "\nTeneinde dit af te ronden, stoppen wij.\n", encoding="utf-8")
    proc = cli("check", "a.md", "--baseline", "../ci/baseline.json", "--fail-on", "warning", "--format", "json",
               cwd=docs)
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)["documents"][0]["findings"]
    assert [(f["rule"], f["text"]) for f in findings if f["rule"] == OFFICIALESE] == [(OFFICIALESE, "Teneinde")]

    (tmp_path / "ci" / "kapot.json").write_text("[]", encoding="utf-8")
    proc = cli("check", "docs", "--baseline", "ci/kapot.json", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.decode().count("\n") == 1 and "kapot.json" in proc.stderr.decode()


# --- git -------------------------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path):
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "a.md").write_text("een\ntwee\ndrie\nvier\n", encoding="utf-8")
    (tmp_path / "b c.md").write_text("alpha\n", encoding="utf-8")
    (tmp_path / "blijft.md").write_text("zelfde\n", encoding="utf-8")
    (tmp_path / "weg.md").write_text("weg\n", encoding="utf-8")
    (tmp_path / "doc.docx").write_bytes(b"PK\x03\x04\x00\x00binary")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "eerste")
    return tmp_path


def test_changed_files_and_lines(repo):
    (repo / "a.md").write_text("een\nTWEE\ndrie\nvier\nvijf\nzes\n", encoding="utf-8")  # line 2 changed, 5-6 added
    (repo / "b c.md").write_text("alpha\nbeta\n", encoding="utf-8")
    (repo / "weg.md").unlink()
    (repo / "doc.docx").write_bytes(b"PK\x03\x04\x00\x00binary, changed")
    (repo / "nieuw.md").write_text("nieuw\n", encoding="utf-8")
    (repo / ".gitignore").write_text("genegeerd.md\n", encoding="utf-8")
    (repo / "genegeerd.md").write_text("niet\n", encoding="utf-8")
    root = repo.resolve()
    files = gitdiff.changed_files("HEAD", repo)
    assert files == {root / n for n in ("a.md", "b c.md", "doc.docx", "nieuw.md", ".gitignore")}
    lines = gitdiff.changed_lines("HEAD", repo)
    assert lines[root / "a.md"] == {2, 5, 6}
    assert lines[root / "b c.md"] == {2}
    assert lines[root / "doc.docx"] is gitdiff.ALL_LINES
    assert lines[root / "nieuw.md"] is gitdiff.ALL_LINES
    assert root / "blijft.md" not in lines and root / "weg.md" not in lines


def test_changed_since_a_commit(repo):
    (repo / "a.md").write_text("een\ntwee\ndrie\nvier\nvijf\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "tweede")
    assert gitdiff.changed_lines("HEAD~1", repo)[repo.resolve() / "a.md"] == {5}
    assert gitdiff.changed_lines("HEAD", repo) == {}


def test_bad_revision_and_no_repository(repo, tmp_path_factory):
    with pytest.raises(OpencommsError, match="'nope' is not a git revision"):
        gitdiff.changed_files("nope", repo)
    with pytest.raises(OpencommsError, match="not a git revision"):
        gitdiff.changed_files("--output=/tmp/x", repo)
    elsewhere = tmp_path_factory.mktemp("geen-git")
    with pytest.raises(OpencommsError, match="git rev-parse failed"):
        gitdiff.changed_files("HEAD", elsewhere)


def test_parse_diff_handles_quoted_names_and_pure_deletions(tmp_path):
    diff = (
        'diff --git "a/m\\303\\251mo \\"x\\".md" "b/m\\303\\251mo \\"x\\".md"\n'
        "index 1..2 100644\n"
        '--- "a/m\\303\\251mo \\"x\\".md"\n'
        '+++ "b/m\\303\\251mo \\"x\\".md"\n'
        "@@ -3,2 +2,0 @@\n-weg\n-ook weg\n"
        "@@ -10 +9,3 @@\n-oud\n+nieuw\n+nieuw\n+nieuw\n"
    )
    parsed = gitdiff.parse_diff(diff, tmp_path)
    assert parsed == {(tmp_path / 'mémo "x".md').resolve(): {9, 10, 11}}
