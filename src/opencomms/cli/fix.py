"""``opencomms fix``: apply the safe substitutions to files, keeping everything else byte for byte.

A safe fix comes from a substitution rule marked ``fixable: true`` whose lexicon entry is marked
``fixable: true`` (one plain alternative that fits everywhere); the check already keeps capitalisation
and takes inflected forms from the entry's ``forms``. Here the fixes are:

1. selected without overlaps (``fixer.select``) and, with ``--interactive``, confirmed one by one
   (accept, choose another alternative, skip, stop);
2. applied and checked again: a fix that would make a new error-level finding appear is taken back
   (``fixer.guard``);
3. written back atomically in the file's own encoding (UTF-8 with or without BOM, UTF-16, Windows-1252),
   unless the file changed on disk since it was read. ``--diff`` prints a unified diff and writes nothing.

Exit codes: 0 when no finding at or above ``--fail-on`` (default: the configuration's ``fail_on``, else
``error``) is left after fixing; 1 when one is; 2 when a file could not be read, fixed or written.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.prompt import Prompt
from rich.text import Text

from opencomms import config as configuration
from opencomms import discovery, readers
from opencomms.cli import app
from opencomms.cli.check import use_color
from opencomms.errors import InputError, OpencommsError
from opencomms.finding import LEVEL_NAMES, Finding, Fix, Level
from opencomms.fixer import (
    Outcome,
    Snapshot,
    encodable,
    encode_like,
    guard,
    literal,
    select,
    with_alternative,
    write_if_unchanged,
)
from opencomms.report import EXIT_ERROR, EXIT_FAIL, EXIT_OK

if TYPE_CHECKING:
    from opencomms.runner import Checker

# Formats whose source is the text itself; fix never rewrites .docx, .odt or .pdf.
TEXT_FORMATS = ("text", "markdown", "html")


class _Ask(Prompt):
    illegal_choice_message = "[prompt.invalid.choice]Kies een van de opties tussen de haken."


@app.command()
def fix(
    paths: List[str] = typer.Argument(..., help="Files or folders to fix; - reads standard input and writes the result to standard output."),
    diff: bool = typer.Option(False, "--diff", help="Show a unified diff of the changes and write nothing."),
    interactive: bool = typer.Option(False, "--interactive", "-i", help="Ask per finding: accept, choose an alternative, skip or stop."),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Document type: default, persbericht, kamerbrief, webtekst, social."),
    config: Optional[str] = typer.Option(None, "--config", "-c", help="Use this configuration file instead of searching for one."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline to load (name or path); default: the bundled one."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help=f"Exit 1 when findings at or above this level are left after fixing: {', '.join(LEVEL_NAMES)}, never."),
    include: List[str] = typer.Option([], "--include", help="Glob of files to fix inside folders (repeatable)."),
    exclude: List[str] = typer.Option([], "--exclude", help="Glob of files or folders to skip (repeatable)."),
    no_gitignore: bool = typer.Option(False, "--no-gitignore", help="Also fix files that .gitignore excludes."),
) -> None:
    """Apply the safe substitutions (officialese, old terms) to files, in place.

    Only replacements marked safe are made; everything else in the file stays byte for byte the same.
    A replacement that would cause a new error is left out. Exit 0 when nothing at --fail-on level is
    left, 1 when something is, 2 on errors.

    Voorbeeld: opencomms fix persbericht.md --diff
    """
    if fail_on is not None and fail_on not in LEVEL_NAMES + ["never"]:
        raise OpencommsError(f"must be one of: {', '.join(LEVEL_NAMES)}, never", "--fail-on")
    if profile is not None and profile not in configuration.profiles():
        raise OpencommsError(f"unknown profile {profile!r} (known: {', '.join(configuration.profiles())})", "--profile")
    if interactive and "-" in paths:
        raise OpencommsError("cannot ask questions while reading the text from standard input", "--interactive")
    base_config = configuration.for_file(None, config)
    text_suffixes = [f"*{suffix}" for suffix, fmt in readers.SUFFIXES.items() if fmt in TEXT_FORMATS]
    files = discovery.collect(
        paths,
        include or base_config.data.get("include", ()) or text_suffixes,
        exclude or base_config.data.get("exclude", ()),
        gitignore=not no_gitignore,
    )
    if not files:
        raise InputError("no files to fix", " ".join(paths))
    threshold_name = fail_on or base_config.data.get("fail_on", "error")
    threshold = None if threshold_name == "never" else Level.parse(threshold_name)
    from opencomms.runner import Checker  # spaCy: not for --help

    checker = Checker(model=model, config_path=config, profile=profile)
    color = use_color(sys.stdout)
    # Messages go to stdout; with --diff or standard input, stdout carries the diff or the text.
    out = Console(file=sys.stderr if (diff or "-" in files) else sys.stdout, no_color=not color, highlight=False,
                  soft_wrap=True)
    code = EXIT_OK
    for file in files:
        try:
            left, stopped = _fix_one(checker, file, diff=diff, interactive=interactive, out=out)
        except OpencommsError as exc:
            if len(files) == 1:
                raise
            sys.stderr.write(f"opencomms: error: {exc}\n")
            code = EXIT_ERROR
            continue
        if code == EXIT_OK and threshold is not None and any(f.level >= threshold for f in left):
            code = EXIT_FAIL
        if stopped:
            break
    raise typer.Exit(code)


def _fix_one(checker: Checker, file: str, *, diff: bool, interactive: bool, out: Console) -> tuple[list[Finding], bool]:
    """Fix one file; returns the findings left in the fixed text and whether the writer chose to stop."""
    if file == "-":
        data = sys.stdin.buffer.read(readers.MAX_BYTES + 1)
        if len(data) > readers.MAX_BYTES:
            raise InputError("input is too large", "<stdin>")
        snapshot, name, fmt = None, "<stdin>", "text"
    else:
        from opencomms.runner import relative

        snapshot = Snapshot.take(file)
        data, name, fmt = snapshot.data, relative(file), readers.format_for(Path(file))
    if fmt not in TEXT_FORMATS:
        raise InputError(f"fix changes text files only (.md, .txt, .html), not {fmt}; use check and edit the document", name)
    source = readers.parse_bytes(data, name, fmt)
    if encode_like(source.text, source.encoding, data) != data:
        raise InputError(f"cannot be written back byte for byte in {source.encoding}; not fixed", name)
    result = checker.check_one(source)
    kinds = {rule.id: rule.kind for rule in result.rules}
    fixes, skipped, stopped = [], [], False
    if interactive:
        fixes, stopped = _ask(out, source, result.findings, kinds)
    else:
        for finding in result.findings:
            if finding.fix is None:
                continue
            if encodable(finding.fix.replacement, source.encoding) and literal(source, finding.fix):
                fixes.append(finding.fix)
            else:
                skipped.append(finding)
    outcome = guard(checker, result, fixes) if fixes else Outcome(source.text, [], [], result)
    _describe(out, source, outcome, skipped, diff)
    if diff:
        _write_diff(source, outcome.text)
    elif snapshot is None:
        sys.stdout.buffer.write(encode_like(outcome.text, source.encoding, data))
        sys.stdout.flush()
    elif outcome.applied:
        write_if_unchanged(snapshot, encode_like(outcome.text, source.encoding, data))
    return outcome.result.findings, stopped


def _describe(out: Console, source, outcome: Outcome, skipped: list[Finding], diff: bool) -> None:
    def where(offset: int) -> str:
        line, column = source.position(offset)
        return f"{source.path}:{line}:{column}"

    for fix in outcome.applied:
        out.print(f"{where(fix.offset)}: '{source.text[fix.offset:fix.end_offset]}' → '{fix.replacement}'", markup=False)
    for rejected in outcome.rejected:
        fix = rejected.fix
        out.print(f"{where(fix.offset)}: '{source.text[fix.offset:fix.end_offset]}' niet vervangen door "
                  f"'{fix.replacement}': dan ontstaat een nieuwe fout ({', '.join(rejected.rules)})", markup=False)
    for finding in skipped:
        if not literal(source, finding.fix):
            why = "in het bestand staat het woord met opmaak of tekencodes; verander het zelf"
        else:
            why = f"'{finding.fix.replacement}' kan niet worden opgeslagen in de tekenset {source.encoding} van dit bestand"
        out.print(f"{where(finding.offset)}: '{finding.text}' niet vervangen: {why}", markup=False)
    n = len(outcome.applied)
    if n == 0:
        out.print(f"{source.path}: niets om automatisch te verbeteren", markup=False)
    else:
        what = "vervanging" if n == 1 else "vervangingen"
        done = "voorgesteld, niets opgeslagen" if diff else "toegepast"
        out.print(f"{source.path}: {n} {what} {done}", markup=False)


def _lines(text: str) -> list[str]:
    """Lines split on LF only, each keeping its line ending (CR LF stays intact)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _write_diff(source, fixed: str) -> None:
    if fixed == source.text:
        return
    name = source.path
    old, new = (name, name) if Path(name).is_absolute() else (f"a/{name}", f"b/{name}")
    chunks = []
    for line in difflib.unified_diff(_lines(source.text), _lines(fixed), old, new):
        chunks.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    encoding = "cp1252" if source.encoding == "cp1252" else "utf-8"
    sys.stdout.buffer.write("".join(chunks).encode(encoding))
    sys.stdout.flush()


# --- interactive ------------------------------------------------------------------------------------------


def _ask(out: Console, source, findings: list[Finding], kinds: dict[str, str]) -> tuple[list[Fix], bool]:
    """Ask per finding with a safe fix or (substitutions) alternatives; returns the chosen fixes and whether the writer chose to stop
    (the choices made so far are kept; no further files are asked about)."""
    chosen: list[Fix] = []
    last_end = -1
    askable = [f for f in findings if f.fix is not None or (kinds.get(f.rule) == "substitution" and f.suggestions)]
    for number, finding in enumerate(askable, 1):
        if finding.offset < last_end:
            continue  # overlaps a replacement already chosen
        options: list[Fix] = []
        alternatives = [with_alternative(finding, s) for s in finding.suggestions] if kinds.get(finding.rule) == "substitution" else []
        for alternative in ([finding.fix] if finding.fix else []) + alternatives:
            if (alternative.replacement not in [o.replacement for o in options]
                    and encodable(alternative.replacement, source.encoding) and literal(source, alternative)):
                options.append(alternative)
        if not options:
            continue
        line, column = source.position(finding.offset)
        out.print()
        out.print(f"[bold]{escape(source.path)}:{line}:{column}[/bold]  ({number}/{len(askable)})  "
                  f"[dim]{escape(finding.rule)}[/dim]")
        out.print(finding.message, markup=False)
        out.print(_context(source, finding))
        for i, option in enumerate(options, 1):
            safe = "  (veilig)" if finding.fix is not None and option == finding.fix else ""
            out.print(f"  [bold]{i}[/bold]  {escape(option.replacement)}{safe}")
        choices = ["j"] if finding.fix else []
        choices += [str(i) for i in range(1, len(options) + 1)] + ["n", "s"]
        hint = ("j = vervangen door het veilige voorstel, " if finding.fix else "") + \
            "nummer = dit alternatief, n = overslaan, s = stoppen"
        out.print(f"[dim]{hint}[/dim]")
        try:
            answer = _Ask.ask("Vervangen?", console=out, choices=choices, default="j" if finding.fix else "n",
                              case_sensitive=False)
        except EOFError:
            answer = "s"
        answer = answer.strip().lower()
        if not sys.stdin.isatty():
            out.print(answer, markup=False)  # the answer was not echoed: keep the transcript readable
        if answer == "s":
            out.print("Gestopt; de keuzes tot nu toe worden toegepast.")
            return select(chosen), True
        if answer == "n":
            continue
        pick = finding.fix if answer == "j" else options[int(answer) - 1]
        chosen.append(pick)
        last_end = pick.end_offset
    return select(chosen), False


def _context(source, finding: Finding) -> Text:
    start = finding.context_offset if finding.context else finding.offset
    end = max(start + len(finding.context), finding.end_offset)
    text = Text("  ")
    text.append(source.text[start:finding.offset].replace("\r", "").replace("\n", " "))
    text.append(source.text[finding.offset:finding.end_offset], style="bold reverse")
    text.append(source.text[finding.end_offset:end].replace("\r", "").replace("\n", " "))
    return text
