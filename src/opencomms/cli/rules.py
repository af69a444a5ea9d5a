"""``opencomms explain``, ``opencomms rules`` and ``opencomms rules validate``.

The list and the explanations include the rules of the repository's own rule sets (``rule_paths`` and
``lexicon_paths`` in the configuration found from the current folder, or ``--config``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from opencomms import config as configuration
from opencomms.cli import app
from opencomms.cli.check import use_color
from opencomms.errors import OpencommsError
from opencomms.principles import ASPECTS, CATEGORIES
from opencomms.reporters.terminal import LEVEL_LABEL

# No help= here: the group's help is the callback's docstring, with its example.
rules_app = typer.Typer(invoke_without_command=True, no_args_is_help=False)
app.add_typer(rules_app, name="rules")

CONFIG_OPTION = typer.Option(None, "--config", "-c", help="Use this configuration file instead of searching for one.")


def configured_rules(config_path: Optional[str] = None) -> list:
    """The bundled rules plus the rule sets and word lists the configuration adds."""
    from opencomms.resources import RULES_DIR
    from opencomms.ruleset import load_rules  # spaCy: not for --help

    config = configuration.for_file(None, config_path)
    return load_rules([RULES_DIR, *config.paths("rule_paths")], None, config.paths("lexicon_paths"))


def _console() -> Console:
    return Console(no_color=not use_color(sys.stdout), highlight=False, width=None if use_color(sys.stdout) else 120)


def rule_dict(rule) -> dict:
    return {
        "id": rule.id,
        "kind": rule.kind,
        "level": rule.level.name,
        "category": rule.category,
        "principle": rule.principle,
        "scope": rule.scope,
        "needs": sorted(rule.needs),
        "fixable": rule.fixable,
        "message": rule.message,
        "description": rule.description.strip(),
        "link": rule.link,
        "suggestions": list(rule.suggestions),
        "suggestions_je": list(rule.suggestions_je),
        "examples": rule.examples,
        "path": rule.path,
    }


@rules_app.callback()
def rules(
    ctx: typer.Context,
    principle: Optional[str] = typer.Option(None, "--principle", help=f"Only rules of this aspect: {', '.join(ASPECTS)}."),
    format: str = typer.Option("text", "--format", "-f", help="text or json."),
    config: Optional[str] = CONFIG_OPTION,
) -> None:
    """List the rules (id, level, category, aspect, fixable), or validate your own rule files.

    Voorbeeld: opencomms rules --principle begrijpelijk
    """
    if ctx.invoked_subcommand:
        return
    if principle and principle not in ASPECTS:
        raise OpencommsError(f"unknown aspect {principle!r} (known: {', '.join(ASPECTS)})", "--principle")
    if format not in ("text", "json"):
        raise OpencommsError("must be text or json", "--format")
    selected = [r for r in configured_rules(config) if not principle or r.principle == principle]
    if format == "json":
        json.dump([rule_dict(r) for r in selected], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    table = Table("id", "niveau", "categorie", "aspect", "fix", box=None)
    for r in selected:
        table.add_row(r.id, LEVEL_LABEL[r.level], r.category, r.principle, "ja" if r.fixable else "")
    _console().print(table)


@rules_app.command("validate")
def validate(
    paths: list[Path] = typer.Argument(..., help="Rule folders (<set>/<name>.yaml) or single rule files."),
    lexicons: list[Path] = typer.Option([], "--lexicons", "-l", help="Folder with your own word lists (repeatable); default: lexicon_paths of the configuration."),
    config: Optional[str] = CONFIG_OPTION,
) -> None:
    """Validate your own rule files (schema, patterns, word lists, placeholders); the first problem is
    reported as file:line:column and the exit code is 2.

    Voorbeeld: opencomms rules validate huisregels/
    """
    from opencomms import yamlfile
    from opencomms.ruleset import compile_rule, load_rules

    for directory in lexicons:
        if not directory.is_dir():
            raise OpencommsError("no such directory", str(directory))
    lexicon_dirs = tuple(p.resolve() for p in lexicons) or configuration.for_file(None, config).paths("lexicon_paths")
    count = 0
    for path in paths:
        if path.is_dir():
            count += len(load_rules([path], None, lexicon_dirs))
        elif path.is_file():
            compile_rule(yamlfile.load(path), f"{path.parent.name}.{path.stem}", None, lexicon_dirs)
            count += 1
        else:
            raise OpencommsError("no such file or directory", str(path))
    typer.echo(f"{count} rule(s) valid")


@app.command()
def explain(
    rule_id: str = typer.Argument(..., help="The rule id, e.g. begrijpelijk.officialese."),
    format: str = typer.Option("text", "--format", "-f", help="text or json."),
    config: Optional[str] = CONFIG_OPTION,
) -> None:
    """Explain a rule: what it checks, why, examples and suggestions.

    Voorbeeld: opencomms explain begrijpelijk.officialese
    """
    if format not in ("text", "json"):
        raise OpencommsError("must be text or json", "--format")
    rules = {r.id: r for r in configured_rules(config)}
    for r in list(rules.values()):
        for alias in r.aliases:
            rules.setdefault(alias, r)
    rule = rules.get(rule_id)
    if rule is None:
        raise OpencommsError(f"unknown rule {rule_id!r} (see: opencomms rules)")
    if format == "json":
        json.dump(rule_dict(rule), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    aspect = ASPECTS[rule.principle]
    console = _console()
    console.print(f"[bold]{rule.id}[/bold]  ({LEVEL_LABEL[rule.level]}, {CATEGORIES.get(rule.category, rule.category)})")
    console.print(f"Aspect: {aspect.title} — uitgangspunt {aspect.principle}. {aspect.principle_title}, \"{aspect.heading}\"")
    console.print()
    console.print(rule.description.strip(), markup=False)
    if rule.suggestions:
        console.print()
        console.print("[bold]Beter:[/bold]")
        for s in rule.suggestions:
            console.print(f"  - {s}", markup=False)
    if rule.suggestions_je:
        console.print("[bold]Beter, in een tekst die 'je' zegt:[/bold]")
        for s in rule.suggestions_je:
            console.print(f"  - {s}", markup=False)
    console.print()
    console.print("[bold]Voorbeelden die de regel vindt:[/bold]")
    for e in rule.examples.get("match", []):
        console.print(f"  ✗ {e.replace('[[', '').replace(']]', '')}", markup=False)
    console.print("[bold]Voorbeelden die goed zijn:[/bold]")
    for e in rule.examples.get("no_match", []):
        console.print(f"  ✓ {e}", markup=False)
    if rule.examples.get("fix"):
        console.print("[bold]Automatisch verbeterd met opencomms fix:[/bold]")
        for case in rule.examples["fix"]:
            console.print(f"  {case['text']}\n  → {case['fixed']}", markup=False)
    if rule.link:
        console.print(f"\nMeer: {rule.link}", markup=False)
    console.print(f"\nBestand: {rule.path}", markup=False, style="dim")
