"""The writer's other commands as real subprocesses: init, rules (list, json, validate), explain, shell
completion, --version, and a Dutch example in every command's help."""

from __future__ import annotations

import contextlib
import io
import json

import typer

from opencomms import config as configuration
from opencomms import yamlfile
from opencomms.cli import app
from opencomms.cli.init import render

OWN_RULE = """\
id: huis.geen-ambtenarij
kind: substitution
principle: begrijpelijk
category: officialese
level: warning
message: "'{match}': schrijf '{suggestion}'."
description: |
  Ons eigen woord. Waarom: uitgangspunt I, "Begrijpelijke informatie".
scope: sentence
needs: []
fixable: true
lexicon: huiswoorden
examples:
  match: ["Wij bellen [[vandaagdedag]] u.", "Wij bellen [[vandaagdedag]] de buren."]
  no_match: ["Wij bellen u vandaag.", "Wij bellen de buren."]
"""
OWN_LEXICON = """\
name: huiswoorden
title: Onze woorden
purpose: test
source: ons
licence: CC0-1.0
match: lower
entries:
  - term: vandaagdedag
    alternatives: [vandaag]
    fixable: true
"""


# --- init --------------------------------------------------------------------------------------------


def test_init_writes_a_valid_commented_config_and_never_overwrites(cli, tmp_path):
    proc = cli("init", "--profile", "webtekst", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    path = tmp_path / "opencomms.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# opencomms.yaml") and text.count("\n#") > 10
    loaded = configuration.load_file(str(path))  # validates against config.SCHEMA
    assert loaded.data["profile"] == "webtekst" and loaded.data["fail_on"] == "error"
    # the written configuration is what check uses: a page under website/ gets the webtekst profile
    (tmp_path / "website").mkdir()
    (tmp_path / "website" / "a.md").write_text("Wij hebben derhalve besloten.\n", encoding="utf-8")
    report = json.loads(cli("check", "website", "--format", "json", cwd=tmp_path).stdout)
    assert report["documents"][0]["profile"] == "webtekst"

    path.write_text("profile: kamerbrief\n", encoding="utf-8")
    proc = cli("init", cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "already exists" in err and err.count("\n") == 1
    assert path.read_text(encoding="utf-8") == "profile: kamerbrief\n"


def test_init_refuses_next_to_other_configurations(cli, tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.opencomms]\nprofile = 'default'\n", encoding="utf-8")
    proc = cli("init", str(tmp_path))
    assert proc.returncode == 2 and "[tool.opencomms]" in proc.stderr.decode()
    assert not (tmp_path / "opencomms.yaml").exists()
    proc = cli("init", str(tmp_path / "nergens"))
    assert proc.returncode == 2 and "no such directory" in proc.stderr.decode()
    proc = cli("init", "--profile", "roman", cwd=tmp_path)
    assert proc.returncode == 2 and "unknown profile" in proc.stderr.decode()


def test_every_profile_renders_a_valid_template():
    for profile in configuration.profiles():
        located = yamlfile.load_text(render(profile), "opencomms.yaml")
        yamlfile.validate(located, configuration.SCHEMA)
        assert located.data["profile"] == profile


# --- rules and explain ---------------------------------------------------------------------------------


def test_rules_table_json_and_principle_filter(cli):
    proc = cli("rules")
    out = proc.stdout.decode()
    assert proc.returncode == 0 and "begrijpelijk.officialese" in out and "waarschuwing" in out
    rules = json.loads(cli("rules", "--principle", "begrijpelijk", "--format", "json").stdout)
    assert rules and {r["principle"] for r in rules} == {"begrijpelijk"}
    officialese = next(r for r in rules if r["id"] == "begrijpelijk.officialese")
    assert officialese["fixable"] is True and officialese["kind"] == "substitution"
    for key in ("id", "level", "category", "principle", "fixable", "description", "examples"):
        assert key in officialese
    proc = cli("rules", "--principle", "snelheid")
    assert proc.returncode == 2 and "unknown aspect" in proc.stderr.decode()
    proc = cli("rules", "--format", "xml")
    assert proc.returncode == 2 and "text or json" in proc.stderr.decode()


def test_rules_validate_own_rules_with_own_lexicon(cli, tmp_path):
    rules = tmp_path / "huisregels" / "huis"
    rules.mkdir(parents=True)
    (rules / "geen-ambtenarij.yaml").write_text(OWN_RULE, encoding="utf-8")
    (tmp_path / "woorden").mkdir()
    (tmp_path / "woorden" / "huiswoorden.yaml").write_text(OWN_LEXICON, encoding="utf-8")
    proc = cli("rules", "validate", "huisregels", "--lexicons", "woorden", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.decode().strip() == "1 rule(s) valid", proc.stderr.decode()
    # without the word list: one line naming the rule file, line and field
    proc = cli("rules", "validate", "huisregels/huis/geen-ambtenarij.yaml", cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "geen-ambtenarij.yaml:12:1: lexicon: unknown lexicon 'huiswoorden'" in err
    # with a configuration that names both, the lexicons come from there, and explain/rules show the rule
    (tmp_path / "opencomms.yaml").write_text("rule_paths: [huisregels]\nlexicon_paths: [woorden]\n", encoding="utf-8")
    proc = cli("rules", "validate", "huisregels", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert "huis.geen-ambtenarij" in cli("rules", cwd=tmp_path).stdout.decode()
    assert "Ons eigen woord" in cli("explain", "huis.geen-ambtenarij", cwd=tmp_path).stdout.decode()
    # and fix applies the house rule
    (tmp_path / "brief.txt").write_text("Wij bellen u vandaagdedag terug.\n", encoding="utf-8")
    proc = cli("fix", "brief.txt", "--fail-on", "never", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert (tmp_path / "brief.txt").read_text(encoding="utf-8") == "Wij bellen u vandaag terug.\n"
    # a broken rule: file:line:column and exit 2
    (rules / "geen-ambtenarij.yaml").write_text(OWN_RULE.replace("level: warning", "level: loud"), encoding="utf-8")
    proc = cli("rules", "validate", "huisregels", cwd=tmp_path)
    assert proc.returncode == 2 and "geen-ambtenarij.yaml:5:" in proc.stderr.decode() and "level" in proc.stderr.decode()


def test_explain_text_json_and_unknown(cli):
    proc = cli("explain", "begrijpelijk.officialese")
    out = proc.stdout.decode()
    assert proc.returncode == 0
    for part in ("begrijpelijk.officialese", "waarschuwing", "Waarom", "Voorbeelden die de regel vindt",
                 "Automatisch verbeterd met opencomms fix"):
        assert part in out, part
    data = json.loads(cli("explain", "begrijpelijk.officialese", "--format", "json").stdout)
    assert data["id"] == "begrijpelijk.officialese" and data["fixable"] is True
    proc = cli("explain", "begrijpelijk.bestaat-niet")
    assert proc.returncode == 2 and "unknown rule" in proc.stderr.decode() and "Traceback" not in proc.stderr.decode()


# --- completion, version, help ---------------------------------------------------------------------------


def test_version_and_shell_completion(cli):
    proc = cli("--version")
    assert proc.returncode == 0 and proc.stdout.decode().startswith("opencomms ")
    proc = cli("--show-completion", "bash")
    assert proc.returncode == 0 and "complete" in proc.stdout.decode() and "_OPENCOMMS_COMPLETE" in proc.stdout.decode()
    # what bash asks when the writer types `opencomms fi<TAB>` and `opencomms fix --di<TAB>`
    proc = cli(env={"_OPENCOMMS_COMPLETE": "complete_bash", "COMP_WORDS": "opencomms fi", "COMP_CWORD": "1"})
    assert proc.returncode == 0 and proc.stdout.decode().split() == ["fix"]
    proc = cli(env={"_OPENCOMMS_COMPLETE": "complete_bash", "COMP_WORDS": "opencomms fix --di", "COMP_CWORD": "2"})
    assert proc.stdout.decode().split() == ["--diff"]


def _invocable(command, path: tuple[str, ...] = ()):
    """Every command a user can run: leaf commands and groups that do something without a subcommand."""
    if hasattr(command, "commands"):  # a group (typer may vendor its own click: no isinstance checks)
        if command.invoke_without_command:
            yield path, command
        for name, sub in command.commands.items():
            yield from _invocable(sub, path + (name,))
    else:
        yield path, command


def test_every_command_help_has_a_dutch_example(cli):
    root = typer.main.get_command(app)
    commands = list(_invocable(root))
    assert {"fix", "init", "lsp", "rules", "explain", "check"} <= {p[0] for p, _ in commands if p}
    missing = []
    for path, command in commands:
        ctx = command.context_class(command, info_name=" ".join(("opencomms",) + path))
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):  # typer's rich help prints instead of returning
            text = command.get_help(ctx) or ""
        if "Voorbeeld:" not in text + printed.getvalue():
            missing.append(" ".join(path) or "(root)")
    assert not missing, f"commands whose --help has no 'Voorbeeld:': {missing}"
    # and as the writer sees it
    out = cli("fix", "--help").stdout.decode()
    assert "Voorbeeld: opencomms fix persbericht.md --diff" in out and "--interactive" in out
