"""The CLI end to end, as a real subprocess: reports, exit codes, discovery and every error path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT

EXAMPLES = ROOT / "examples"
SLOW_TEXT = "Wij hebben derhalve besloten de regeling te verlengen. Heeft u vragen? Bel ons.\n"


def _json(proc):
    assert proc.stderr.decode().strip() == "" or proc.returncode != 2, proc.stderr.decode()
    return json.loads(proc.stdout)


def test_version_and_module_entry(cli):
    proc = cli("--version")
    assert proc.returncode == 0 and proc.stdout.decode().startswith("opencomms ")


def test_check_example_text_report(cli):
    proc = cli("check", EXAMPLES / "persbericht.md")
    out = proc.stdout.decode()
    assert proc.returncode == 1, proc.stderr.decode()
    assert "Begrijpelijk" in out and "derhalve" in out and "persbericht.md:" in out
    assert "\x1b[" not in out  # NO_COLOR and not a TTY: no escape codes


def test_json_contract_and_exact_offsets(cli):
    proc = cli("check", EXAMPLES / "persbericht.md", "--format", "json")
    report = _json(proc)
    assert report["schema"] == "opencomms/report/v1"
    assert report["tool"]["name"] == "opencomms" and report["pipeline"]["model"]
    doc = report["documents"][0]
    for key in ("path", "profile", "words", "sentences", "score", "principles", "metrics", "skipped_rules", "findings"):
        assert key in doc
    assert doc["profile"] == "persbericht"  # chosen by front matter
    assert {p["id"] for p in doc["principles"]} == {"eerlijk-feitelijk", "begrijpelijk", "dilemmalogica", "aanspreekbaar", "een-stem"}
    source = (EXAMPLES / "persbericht.md").read_text(encoding="utf-8")
    lines = source.split("\n")
    assert doc["findings"]
    for f in doc["findings"]:
        assert source[f["offset"]:f["end_offset"]] == f["text"]
        line = lines[f["line"] - 1]
        if f["line"] == f["end_line"]:
            assert line[f["column"] - 1:f["end_column"] - 1] == f["text"]
        for key in ("rule", "category", "principle", "level", "message", "suggestions"):
            assert key in f


def test_stdin_with_profile(cli):
    proc = cli("check", "-", "--profile", "kamerbrief", "--format", "json", input=SLOW_TEXT)
    doc = _json(proc)["documents"][0]
    assert doc["path"] == "<stdin>" and doc["profile"] == "kamerbrief"
    assert any(f["rule"] == "begrijpelijk.officialese" and f["text"] == "derhalve" for f in doc["findings"])


def test_formal_letter_scores_lower_than_plain_web_text(cli):
    proc = cli("check", EXAMPLES / "brief-1985.txt", EXAMPLES / "webtekst.md", "--format", "json")
    docs = {Path(d["path"]).name: d for d in _json(proc)["documents"]}
    def aspect(d):
        return next(p["score"] for p in d["principles"] if p["id"] == "begrijpelijk")
    assert aspect(docs["brief-1985.txt"]) < aspect(docs["webtekst.md"]) - 20
    assert docs["brief-1985.txt"]["score"] < docs["webtekst.md"]["score"]


def test_directory_walk_globs_and_gitignore(cli, tmp_path):
    (tmp_path / "a.md").write_text("Dit is derhalve een zin.\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("Een zin.\n", encoding="utf-8")
    (tmp_path / "sub" / "skip.md").write_text("Een zin.\n", encoding="utf-8")
    (tmp_path / "ignored.md").write_text("Een zin.\n", encoding="utf-8")
    (tmp_path / "data.csv").write_text("a,b\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("ignored.md\n", encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    proc = cli("check", tmp_path, "--format", "json", "--exclude", "skip.md", "--fail-on", "never")
    assert proc.returncode == 0, proc.stderr.decode()
    paths = sorted(Path(d["path"]).name for d in _json(proc)["documents"])
    assert paths == ["a.md", "b.txt"]
    proc = cli("check", tmp_path, "--format", "json", "--no-gitignore", "--include", "*.md", "--fail-on", "never")
    assert sorted(Path(d["path"]).name for d in _json(proc)["documents"]) == ["a.md", "ignored.md", "skip.md"]


def test_exit_codes_fail_on_and_fail_under(cli, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(SLOW_TEXT, encoding="utf-8")
    assert cli("check", f, "--fail-on", "error").returncode == 0
    assert cli("check", f, "--fail-on", "warning").returncode == 1
    assert cli("check", f, "--fail-on", "never", "--fail-under", "100").returncode == 1
    assert cli("check", f, "--fail-on", "never", "--fail-under", "0").returncode == 0


def _one_line_error(proc, *needles):
    err = proc.stderr.decode()
    assert proc.returncode == 2, (proc.returncode, err)
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err, err
    return err


def test_missing_file(cli, tmp_path):
    _one_line_error(cli("check", tmp_path / "nope.md"), "nope.md", "no such file")


def test_binary_file_with_md_name(cli, tmp_path):
    f = tmp_path / "plaatje.md"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    _one_line_error(cli("check", f), "plaatje.md", "binary")


def test_multi_file_run_reports_failure_and_checks_the_rest(cli, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Een gewone zin.\n", encoding="utf-8")
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\x00\x01\x02binary")
    proc = cli("check", good, bad, "--format", "json")
    assert proc.returncode == 2
    report = json.loads(proc.stdout)
    assert [Path(d["path"]).name for d in report["documents"]] == ["good.txt"]
    assert report["errors"] and "bad.md" in report["errors"][0]["path"]


def test_unknown_format_and_profile(cli, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Zin.\n", encoding="utf-8")
    _one_line_error(cli("check", f, "--format", "xml"), "--format")
    _one_line_error(cli("check", f, "--profile", "nee"), "profile")


def test_config_unknown_key_is_an_error(cli, tmp_path):
    (tmp_path / "opencomms.yaml").write_text("fail_on: warning\nkleur: rood\n", encoding="utf-8")
    f = tmp_path / "a.txt"
    f.write_text("Zin.\n", encoding="utf-8")
    _one_line_error(cli("check", f), "opencomms.yaml:2:1", "kleur", "unknown field")


def test_config_discovery_walks_up_and_applies(cli, tmp_path):
    (tmp_path / "opencomms.yaml").write_text(
        "disable: [begrijpelijk.officialese]\nfail_on: warning\n", encoding="utf-8")
    sub = tmp_path / "docs" / "nieuws"
    sub.mkdir(parents=True)
    f = sub / "a.txt"
    f.write_text("Wij hebben derhalve besloten.\n", encoding="utf-8")
    doc = json.loads(cli("check", f, "--format", "json").stdout)["documents"][0]
    assert not any(x["rule"] == "begrijpelijk.officialese" for x in doc["findings"])
    # pyproject.toml works the same way, and --config overrides the search
    other = tmp_path / "other.yaml"
    other.write_text("rules:\n  begrijpelijk.officialese: {level: error}\n", encoding="utf-8")
    doc = json.loads(cli("check", f, "--format", "json", "--config", other).stdout)["documents"][0]
    assert any(x["rule"] == "begrijpelijk.officialese" and x["level"] == "error" for x in doc["findings"])


def test_pyproject_section(cli, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.opencomms]\ndisable = ["begrijpelijk.officialese"]\n', encoding="utf-8")
    f = tmp_path / "a.txt"
    f.write_text("Wij hebben derhalve besloten.\n", encoding="utf-8")
    doc = json.loads(cli("check", f, "--format", "json").stdout)["documents"][0]
    assert not any(x["rule"] == "begrijpelijk.officialese" for x in doc["findings"])


BAD_RULE = """id: huis.geen-wij
kind: existence
principle: aanspreekbaar
category: polarisation
level: warning
message: "'{match}'"
description: "Waarom: test."
scope: sentence
needs: []
tokens: [wij]
regex: ['([unclosed']
examples: {match: [a, b], no_match: [c, d]}
"""


@pytest.mark.parametrize(
    "body,needles",
    [
        (BAD_RULE, ["geen-wij.yaml", "invalid regex"]),
        (BAD_RULE.replace("level: warning", "level: fatal"), ["geen-wij.yaml:5:", "level", "must be one of"]),
        (BAD_RULE.replace("scope: sentence", "scope: sentence\nkleur: rood"), ["geen-wij.yaml:9:1", "kleur", "unknown field"]),
        (BAD_RULE.replace("tokens: [wij]", "lexicon: bestaat-niet"), ["geen-wij.yaml", "unknown lexicon"]),
        (BAD_RULE.replace("message: \"'{match}'\"", "message: \"{onbekend}\""), ["geen-wij.yaml:6:", "placeholder"]),
        (BAD_RULE.replace("needs: []", "needs: 3"), ["geen-wij.yaml:9:", "needs"]),
        ("id: [unclosed\n", ["geen-wij.yaml:", "invalid YAML"]),
    ],
)
def test_bad_rule_file(cli, tmp_path, body, needles):
    rules = tmp_path / "regels" / "huis"
    rules.mkdir(parents=True)
    (rules / "geen-wij.yaml").write_text(body, encoding="utf-8")
    (tmp_path / "opencomms.yaml").write_text("rule_paths: [regels]\n", encoding="utf-8")
    f = tmp_path / "a.txt"
    f.write_text("Zin.\n", encoding="utf-8")
    _one_line_error(cli("check", f), *needles)


def test_output_file_is_written(cli, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(SLOW_TEXT, encoding="utf-8")
    out = tmp_path / "report.json"
    proc = cli("check", f, "--format", "json", "--output", out, "--fail-on", "never")
    assert proc.returncode == 0 and proc.stdout == b""
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "opencomms/report/v1"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


def test_missing_model_is_one_error(cli, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Zin.\n", encoding="utf-8")
    _one_line_error(cli("check", f, "--model", "nl_bestaat_niet"), "nl_bestaat_niet", "not found")


def test_runs_from_another_directory(cli, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(SLOW_TEXT, encoding="utf-8")
    proc = cli("check", "a.txt", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()  # warnings only; the default --fail-on is error
    doc = json.loads(proc.stdout)["documents"][0]
    assert doc["path"] == "a.txt" and any(f["rule"] == "begrijpelijk.officialese" for f in doc["findings"])


def test_across_reports_concepts_named_differently(cli, tmp_path):
    (tmp_path / "vws.md").write_text("De stikstofuitstoot moet omlaag. Het kabinet helpt boeren daarbij. "
                                     "Het ministerie van Infrastructuur en Waterstaat betaalt mee.\n", encoding="utf-8")
    (tmp_path / "lvvn.md").write_text("De stikstofemissie is te hoog. Boeren krijgen hulp. Volgens IenM is de weg klaar.\n",
                                      encoding="utf-8")
    (tmp_path / "ezk.md").write_text("De stikstofuitstoot van de industrie daalt. IenW begint met de bouw.\n", encoding="utf-8")
    report = json.loads(cli("check", "--across", tmp_path, "--format", "json").stdout)
    [item] = [a for a in report["across"] if a["concept"] == "stikstofuitstoot"]
    variants = {v["term"]: sorted(Path(d).name for d in v["documents"]) for v in item["variants"]}
    assert variants == {"stikstofuitstoot": ["ezk.md", "vws.md"], "stikstofemissie": ["lvvn.md"]}
    # organisations through the entity ruler: every current name counts as the canonical one
    [item] = [a for a in report["across"] if a["concept"] == "Ministerie van Infrastructuur en Waterstaat"]
    variants = {v["term"]: sorted(Path(d).name for d in v["documents"]) for v in item["variants"]}
    assert variants == {"Ministerie van Infrastructuur en Waterstaat": ["ezk.md", "vws.md"], "IenM": ["lvvn.md"]}
    text = cli("check", "--across", tmp_path).stdout.decode()
    assert "'stikstofuitstoot' wordt op verschillende manieren genoemd" in text
    # without --across there is no comparison
    assert "across" not in json.loads(cli("check", tmp_path, "--format", "json").stdout)
