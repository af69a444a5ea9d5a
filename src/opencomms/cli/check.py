"""``opencomms check``: lint files, folders or standard input and print a scored report."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from opencomms import config as configuration
from opencomms import discovery, gitdiff, readers
from opencomms.baseline import Baseline
from opencomms.cli import app
from opencomms.errors import InputError
from opencomms.finding import LEVEL_NAMES
from opencomms.report import Failure, Report, amount
from opencomms.reporters import FORMATS


def use_color(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def write_output(text: str, output: Optional[Path]) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from opencomms.atomic import write_text

    write_text(output, text)


def read_sources(files: list[str], input_format: Optional[str], failures: list[Failure]):
    """Read each file; an unreadable one is a failure of its own, unless it is the only input."""
    for file in files:
        try:
            source = readers.read(file, input_format)
        except InputError as exc:
            if len(files) == 1:
                raise
            failures.append(Failure(file if file != "-" else "<stdin>", exc.message))
            continue
        if file != "-":
            from opencomms.runner import relative

            source.path = relative(file)
        yield source


def check_profile(profile: Optional[str]) -> None:
    if profile is not None and profile not in configuration.profiles():
        raise typer.BadParameter(f"unknown profile {profile!r} (known: {', '.join(configuration.profiles())})", param_hint="--profile")


def collect_files(paths, include, exclude, no_gitignore: bool, base_config, nothing: str) -> list[str]:
    """The files to read: folders walked with the flags' globs, else the configuration's."""
    files = discovery.collect(
        paths,
        include or base_config.data.get("include", ()),
        exclude or base_config.data.get("exclude", ()),
        gitignore=not no_gitignore,
    )
    if not files:
        raise InputError(nothing, " ".join(paths))
    return files


@app.command()
def check(
    paths: List[str] = typer.Argument(None, help="Files or folders to check; - reads standard input."),
    format: str = typer.Option("text", "--format", "-f", help=f"Output format: {', '.join(FORMATS)}."),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Document type: default, persbericht, kamerbrief, webtekst, social."),
    config: Optional[str] = typer.Option(None, "--config", "-c", help="Use this configuration file instead of searching for one."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline to load (name or path); default: the bundled one."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help=f"Exit 1 on findings at or above this level: {', '.join(LEVEL_NAMES)}, never."),
    fail_under: Optional[float] = typer.Option(None, "--fail-under", help="Exit 1 when a document scores below this (0-100)."),
    include: List[str] = typer.Option([], "--include", help="Glob of files to check inside folders (repeatable)."),
    exclude: List[str] = typer.Option([], "--exclude", help="Glob of files or folders to skip (repeatable)."),
    no_gitignore: bool = typer.Option(False, "--no-gitignore", help="Also check files that .gitignore excludes."),
    input_format: Optional[str] = typer.Option(None, "--input-format", help="Read every input as this format (text, markdown, ...)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file (atomically) instead of stdout."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Report and fail only on findings that are not in this baseline (opencomms baseline create)."),
    changed_since: Optional[str] = typer.Option(None, "--changed-since", metavar="REV", help="Check only files changed since this git revision (committed, uncommitted or untracked)."),
    changed_lines: bool = typer.Option(False, "--changed-lines", help="Report only findings on lines changed since --changed-since (default: HEAD)."),
    across: List[str] = typer.Option([], "--across", metavar="DIR", help="Also compare the documents in DIR (and the other paths): report concepts they name differently."),
) -> None:
    """Check Dutch texts against the communication principles.

    Voorbeeld: opencomms check persbericht.md --profile persbericht

    Voorbeeld: opencomms check --across nieuwsberichten/
    """
    if format not in FORMATS:
        raise typer.BadParameter(f"unknown format {format!r} (choose from: {', '.join(FORMATS)})", param_hint="--format")
    if fail_on is not None and fail_on not in LEVEL_NAMES + ["never"]:
        raise typer.BadParameter(f"must be one of: {', '.join(LEVEL_NAMES)}, never", param_hint="--fail-on")
    check_profile(profile)
    paths = list(paths or []) + list(across)
    if not paths:
        raise typer.BadParameter("give at least one file or folder (or - for standard input)", param_hint="PATHS")
    base_config = configuration.for_file(None, config)
    files = collect_files(paths, include, exclude, no_gitignore, base_config, "no files to check")
    known = Baseline.load(baseline) if baseline is not None else None
    lines = None
    if changed_since is not None or changed_lines:
        rev = changed_since or "HEAD"
        where = next((Path(p) for p in paths if p != "-"), Path("."))
        where = where if where.is_dir() else where.parent
        if changed_lines:
            lines = gitdiff.changed_lines(rev, where)
            changed = set(lines)
        else:
            changed = gitdiff.changed_files(rev, where)
        files = [file for file in files if file == "-" or gitdiff.resolve(file) in changed]
        if not files:
            sys.stderr.write(f"opencomms: geen gewijzigde bestanden sinds {rev}\n")
    from opencomms.runner import Checker  # spaCy: not for --help

    checker = Checker(model=model, config_path=config, profile=profile, across=bool(across))
    failures: list[Failure] = []
    results = list(checker.run(read_sources(files, input_format, failures))) if files else []
    if known is not None:
        dropped = known.filter(results)
        if dropped:
            sys.stderr.write(f"opencomms: {amount(dropped, 'bekende bevinding', 'bekende bevindingen')} uit de basislijn niet getoond\n")
    if lines is not None:
        for result in results:
            if result.source.path != "<stdin>":
                changed_here = lines.get(gitdiff.resolve(result.source.path), set())
                result.findings = [f for f in result.findings if gitdiff.on_changed_line(f, changed_here)]
    from opencomms import across as across_documents

    report = Report(
        results,
        checker.pipeline_info(),
        failures,
        fail_on=fail_on or base_config.data.get("fail_on", "error"),
        fail_under=fail_under if fail_under is not None else base_config.data.get("fail_under"),
        across=across_documents.compare(results) if across else None,
    )
    buffer = io.StringIO()
    FORMATS[format].render(report, buffer, color=output is None and use_color(sys.stdout))
    write_output(buffer.getvalue(), output)
    raise typer.Exit(report.exit_code())
