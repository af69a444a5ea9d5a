"""``opencomms explain``, ``opencomms rules`` and ``opencomms rules validate``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from opencomms.cli import app
from opencomms.cli.check import use_color
from opencomms.errors import OpencommsError
from opencomms.principles import ASPECTS, CATEGORIES
from opencomms.ruleset import load_rules

rules_app = typer.Typer(help="List the rules, or validate your own rule files.", invoke_without_command=True,
                        no_args_is_help=False)
app.add_typer(rules_app, name="rules")


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
        "examples": rule.examples,
        "path": rule.path,
    }


@rules_app.callback()
def rules(
    ctx: typer.Context,
    principle: Optional[str] = typer.Option(None, "--principle", help="Only rules of this aspect."),
    format: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """List the rules: id, level, category, aspect and whether they can fix.

    Voorbeeld: opencomms rules --principle begrijpelijk
    """
    if ctx.invoked_subcommand:
        return
    if principle and principle not in ASPECTS:
        raise typer.BadParameter(f"unknown aspect {principle!r} (known: {', '.join(ASPECTS)})", param_hint="--principle")
    selected = [r for r in load_rules() if not principle or r.principle == principle]
    if format == "json":
        json.dump([rule_dict(r) for r in selected], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    if format != "text":
        raise typer.BadParameter("must be text or json", param_hint="--format")
    table = Table("id", "niveau", "categorie", "aspect", "fix", box=None)
    for r in selected:
        table.add_row(r.id, r.level.name, r.category, r.principle, "ja" if r.fixable else "")
    _console().print(table)


@rules_app.command("validate")
def validate(paths: list[Path] = typer.Argument(..., help="Rule folders (<set>/<name>.yaml) or single rule files.")) -> None:
    """Validate your own rule files (schema, patterns, lexicons, examples).

    Voorbeeld: opencomms rules validate huisregels/
    """
    from opencomms import yamlfile
    from opencomms.ruleset import compile_rule

    count = 0
    for path in paths:
        if path.is_dir():
            count += len(load_rules([path]))
        elif path.is_file():
            compile_rule(yamlfile.load(path), f"{path.parent.name}.{path.stem}", None)
            count += 1
        else:
            raise OpencommsError("no such file or directory", str(path))
    typer.echo(f"{count} rule(s) valid")


@app.command()
def explain(rule_id: str = typer.Argument(..., help="The rule id, e.g. begrijpelijk.officialese.")) -> None:
    """Explain a rule: what it checks, why, examples and suggestions.

    Voorbeeld: opencomms explain begrijpelijk.officialese
    """
    rules = {r.id: r for r in load_rules()}
    for r in list(rules.values()):
        for alias in r.aliases:
            rules.setdefault(alias, r)
    rule = rules.get(rule_id)
    if rule is None:
        raise OpencommsError(f"unknown rule {rule_id!r} (see: opencomms rules)")
    aspect = ASPECTS[rule.principle]
    console = _console()
    console.print(f"[bold]{rule.id}[/bold]  ({rule.level.name}, {CATEGORIES.get(rule.category, rule.category)})")
    console.print(f"Aspect: {aspect.title} — uitgangspunt {aspect.principle}. {aspect.principle_title}, \"{aspect.heading}\"")
    console.print()
    console.print(rule.description.strip(), markup=False)
    if rule.suggestions:
        console.print()
        console.print("[bold]Beter:[/bold]")
        for s in rule.suggestions:
            console.print(f"  - {s}", markup=False)
    console.print()
    console.print("[bold]Voorbeelden die de regel vindt:[/bold]")
    for e in rule.examples.get("match", []):
        console.print(f"  ✗ {e.replace('[[', '').replace(']]', '')}", markup=False)
    console.print("[bold]Voorbeelden die goed zijn:[/bold]")
    for e in rule.examples.get("no_match", []):
        console.print(f"  ✓ {e}", markup=False)
    if rule.link:
        console.print(f"\nMeer: {rule.link}", markup=False)
    console.print(f"\nBestand: {rule.path}", markup=False, style="dim")
