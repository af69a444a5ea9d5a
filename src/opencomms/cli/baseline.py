"""``opencomms baseline create``: record today's findings so that CI fails only on new ones."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from opencomms import config as configuration
from opencomms.baseline import DEFAULT_PATH, Baseline
from opencomms.cli import app
from opencomms.cli.check import check_profile, collect_files, read_sources
from opencomms.report import EXIT_ERROR, EXIT_OK, Failure, amount

baseline_app = typer.Typer(help="Known findings that CI should not fail on (check --baseline).", no_args_is_help=True)
app.add_typer(baseline_app, name="baseline")


@baseline_app.command("create")
def create(
    paths: Optional[List[str]] = typer.Argument(None, help="Files or folders to record (default: the current folder)."),
    output: Path = typer.Option(Path(DEFAULT_PATH), "--output", "-o", help="The baseline file to write (atomically)."),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Document type, as for check."),
    config: Optional[str] = typer.Option(None, "--config", "-c", help="Use this configuration file instead of searching for one."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline to load (name or path)."),
    include: List[str] = typer.Option([], "--include", help="Glob of files to check inside folders (repeatable)."),
    exclude: List[str] = typer.Option([], "--exclude", help="Glob of files or folders to skip (repeatable)."),
    no_gitignore: bool = typer.Option(False, "--no-gitignore", help="Also record files that .gitignore excludes."),
    input_format: Optional[str] = typer.Option(None, "--input-format", help="Read every input as this format."),
) -> None:
    """Record the findings of today, by rule and a fingerprint of their sentence.

    Voorbeeld: opencomms baseline create docs --output .opencomms-baseline.json
    """
    paths = paths or ["."]
    if "-" in paths:
        raise typer.BadParameter("a baseline records files, not standard input", param_hint="PATHS")
    check_profile(profile)
    base_config = configuration.for_file(None, config)
    files = collect_files(paths, include, exclude, no_gitignore, base_config, "no files to record")
    from opencomms.runner import Checker

    checker = Checker(model=model, config_path=config, profile=profile)
    failures: list[Failure] = []
    results = list(checker.run(read_sources(files, input_format, failures)))
    baseline = Baseline.from_results(output, results)
    baseline.write()
    total = sum(len(r.findings) for r in results)
    for failure in failures:
        sys.stderr.write(f"opencomms: error: {failure.path}: {failure.message} (not in the baseline)\n")
    sys.stderr.write(f"opencomms: basislijn met {amount(total, 'bevinding', 'bevindingen')} in "
                     f"{amount(len(results), 'document', 'documenten')} geschreven naar {output}\n")
    raise typer.Exit(EXIT_ERROR if failures else EXIT_OK)
