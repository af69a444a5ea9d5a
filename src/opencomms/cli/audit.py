"""``opencomms audit``: audit an archive into an SQLite database, show its status, make the report.

    opencomms audit archive/ --db audit.sqlite --workers 2
    opencomms audit archive/ --db audit.sqlite --scheduler tcp://host:8786
    opencomms audit status --db audit.sqlite --format json
    opencomms audit report --db audit.sqlite --html audit.html --csv audit.csv [--parquet audit.parquet]

``audit PATHS…`` is short for ``audit run PATHS…``. A run can be stopped at any moment (Ctrl-C, kill -9,
a crash); the same command again skips finished documents and does the rest.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import List, Optional

import typer
from typer.core import TyperGroup

from opencomms import config as configuration
from opencomms.cli import app
from opencomms.errors import InputError
from opencomms.report import amount, nl


class _RunByDefault(TyperGroup):
    """``audit PATHS…`` runs ``audit run PATHS…``; ``audit status`` / ``audit report`` are subcommands."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


audit_app = typer.Typer(
    cls=_RunByDefault,
    no_args_is_help=True,
    help="Audit a whole archive: scores per document in an SQLite database, resumable, and a report.\n\n"
    "Voorbeeld: opencomms audit archief/ --db audit.sqlite --workers 2",
)
app.add_typer(audit_app, name="audit")


def _fmt_duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} u {minutes:02d} min"


class ProgressView:
    """A rich progress bar (documents, documents/s, time left) on a terminal; a line every 30 s elsewhere."""

    def __init__(self, enabled: bool, stream=sys.stderr):
        self.enabled = enabled
        self.stream = stream
        self.total = 0
        self.done = 0
        self.worked = 0  # checked + failed: what the rate is measured on
        self.first = None
        self.bar = None
        self.task = None
        self.last_line = time.monotonic()

    def __call__(self, event: str, **data) -> None:
        getattr(self, "on_" + event)(**data)

    def on_discover(self) -> None:
        if self.enabled:
            self.stream.write("Bestanden zoeken…\n")
            self.stream.flush()

    def on_start(self, total: int, engine: str, workers: int) -> None:
        self.total = total
        if not self.enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            TextColumn("[bold]Audit[/bold]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TextColumn("{task.fields[eta]}"),
            TimeElapsedColumn(),
            console=Console(file=self.stream),
            transient=False,
        )
        self.bar.start()
        self.task = self.bar.add_task("audit", total=total, rate="", eta=f"{engine} start, taalmodel laden…")

    def on_advance(self, checked: int = 0, failed: int = 0, skipped: int = 0, words: int = 0) -> None:
        self.done += checked + failed + skipped
        if checked or failed:
            if self.first is None:
                self.first = time.monotonic()
                self.first_count = self.worked
            self.worked += checked + failed
        self.on_tick()

    def rate(self) -> float | None:
        if self.first is None:
            return None
        elapsed = time.monotonic() - self.first
        return (self.worked - self.first_count) / elapsed if elapsed > 5 else None

    def on_tick(self) -> None:
        rate = self.rate()
        remaining = self.total - self.done
        eta = f"nog ca. {_fmt_duration(remaining / rate)}" if rate else ""
        rate_text = f"{nl(rate, 1)} doc/s" if rate else ""
        if self.bar is not None:
            if rate:
                self.bar.update(self.task, completed=self.done, rate=rate_text, eta=eta)
            else:
                self.bar.update(self.task, completed=self.done)
        elif self.enabled is False and self.total and time.monotonic() - self.last_line >= 30:
            self.last_line = time.monotonic()
            pct = 100 * self.done / self.total
            self.stream.write(f"audit: {self.done}/{self.total} documenten ({pct:.0f}%) {rate_text} {eta}\n")
            self.stream.flush()

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _want_progress(flag: Optional[bool]) -> bool:
    if flag is not None:
        return flag
    return sys.stderr.isatty() and not os.environ.get("CI")


@audit_app.command("run")
def run(
    paths: List[str] = typer.Argument(..., help="Folders or files to audit."),
    db: Path = typer.Option(Path("audit.sqlite"), "--db", help="The audit database (SQLite); created if missing."),
    workers: int = typer.Option(0, "--workers", "-w", min=0, help="Worker processes on this machine (0: one per core)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Run on this Dask cluster (e.g. tcp://host:8786)."),
    local_cluster: Optional[int] = typer.Option(None, "--local-cluster", min=1, help="Run on a Dask LocalCluster with this many worker processes."),
    index: Optional[Path] = typer.Option(None, "--index", help="CSV or JSON file mapping files to metadata (date, organisation, type, title)."),
    index_field: List[str] = typer.Option([], "--index-field", help="Read FIELD from COLUMN of the index, e.g. type=collection (repeatable)."),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Use this profile for every document (default: per document)."),
    config: Optional[str] = typer.Option(None, "--config", "-c", help="Use this configuration file."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline to load (name or path); default: the bundled one."),
    include: List[str] = typer.Option([], "--include", help="Glob of files to audit inside folders (repeatable)."),
    exclude: List[str] = typer.Option([], "--exclude", help="Glob of files or folders to skip (repeatable)."),
    no_gitignore: bool = typer.Option(False, "--no-gitignore", help="Also audit files that .gitignore excludes."),
    input_format: Optional[str] = typer.Option(None, "--input-format", help="Read every file as this format."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, max=10000, help="Documents per batch sent to a worker."),
    retry_failed: bool = typer.Option(False, "--retry-failed", help="Try failed documents again even if unchanged."),
    rehash: bool = typer.Option(False, "--rehash", help="Hash every file, even when size and modification time are unchanged."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress", help="Show a progress bar (default: on a terminal)."),
    format: str = typer.Option("text", "--format", "-f", help="Summary format: text or json."),
) -> None:
    """Audit folders of documents into an SQLite database (resumable).

    Voorbeeld: opencomms audit archief/ --db audit.sqlite --workers 2
    """
    from opencomms.audit.metadata import parse_fields
    from opencomms.audit.run import Audit, AuditOptions

    if format not in ("text", "json"):
        raise typer.BadParameter("must be text or json", param_hint="--format")
    if scheduler and local_cluster:
        raise typer.BadParameter("use --scheduler or --local-cluster, not both", param_hint="--scheduler")
    if profile is not None and profile not in configuration.profiles():
        raise typer.BadParameter(f"unknown profile {profile!r} (known: {', '.join(configuration.profiles())})",
                                 param_hint="--profile")
    base = configuration.for_file(None, config)
    options = AuditOptions(
        paths=list(paths),
        db=str(db),
        workers=workers,
        scheduler=scheduler,
        local_cluster=local_cluster,
        index=str(index) if index else None,
        index_fields=parse_fields(index_field),
        profile=profile,
        config=config,
        model=model,
        input_format=input_format,
        include=tuple(include or base.data.get("include", ())),
        exclude=tuple(exclude or base.data.get("exclude", ())),
        gitignore=not no_gitignore,
        batch_size=batch_size,
        retry_failed=retry_failed,
        rehash=rehash,
    )
    view = ProgressView(_want_progress(progress))
    audit = Audit(options, progress=view)
    try:
        summary = audit.run()
    except KeyboardInterrupt:
        view.stop()
        s = audit.summary
        sys.stderr.write(
            f"opencomms: onderbroken na {s.checked + s.failed} gecontroleerde documenten. Wat klaar was, staat in {db}; "
            "start hetzelfde commando opnieuw om verder te gaan.\n"
        )
        raise typer.Exit(130)
    finally:
        view.stop()
    data = summary.to_dict()
    data["db"] = str(db)
    if format == "json":
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    lines = [
        f"Audit klaar: {amount(summary.files, 'document', 'documenten', nl)} in {db}",
        f"  gecontroleerd {nl(summary.checked)} · al gedaan en ongewijzigd {nl(summary.skipped)}"
        f" · mislukt {nl(summary.failed)}",
    ]
    if summary.checked:
        lines.append(
            f"  {nl(summary.words)} woorden in {_fmt_duration(summary.seconds)}: "
            f"{nl(data['documents_per_second'], 1)} documenten/s, {nl(data['words_per_second'])} woorden/s"
            f" ({summary.engine}, {summary.workers} {'proces' if summary.workers == 1 else 'processen'})"
        )
    if data["mean_score"] is not None:
        lines.append(f"  gemiddelde score van deze run: {nl(data['mean_score'])} van 100")
    lines.append(f"Rapport maken: opencomms audit report --db {db} --html audit.html")
    sys.stdout.write("\n".join(lines) + "\n")


@audit_app.command("status")
def status(
    db: Path = typer.Option(Path("audit.sqlite"), "--db", help="The audit database."),
    format: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """How far an audit is: documents found, done, failed and still to do.

    Voorbeeld: opencomms audit status --db audit.sqlite --format json
    """
    from opencomms.audit.store import Store

    if format not in ("text", "json"):
        raise typer.BadParameter("must be text or json", param_hint="--format")
    store = Store(db, readonly=True)
    try:
        info = store.status()
    finally:
        store.close()
    if format == "json":
        sys.stdout.write(json.dumps(info, indent=2, ensure_ascii=False) + "\n")
        return
    lines = [
        f"Audit {db}: {amount(info['documents'], 'document', 'documenten', nl)}",
        f"  klaar {nl(info['done'])} · mislukt {nl(info['failed'])} · nog te doen {nl(info['pending'])}",
    ]
    if info["mean_score"] is not None:
        lines.append(f"  gemiddelde score {nl(info['mean_score'])} van 100 · {amount(info['findings'], 'bevinding', 'bevindingen', nl)}")
    last = info["last_run"]
    if last:
        state = {"finished": "klaar", "interrupted": "onderbroken", "running": "bezig of afgebroken"}.get(
            last["status"], last["status"])
        lines.append(f"  laatste run: {last['started_at']} ({state}, {last['engine']}, {last['workers']} processen)")
    sys.stdout.write("\n".join(lines) + "\n")


@audit_app.command("report")
def report(
    db: Path = typer.Option(Path("audit.sqlite"), "--db", help="The audit database."),
    html: Optional[Path] = typer.Option(None, "--html", help="Write the HTML report (one self-contained file)."),
    csv: Optional[Path] = typer.Option(None, "--csv", help="Write one row per document as CSV."),
    parquet: Optional[Path] = typer.Option(None, "--parquet", help="Write one row per document as Parquet (needs pyarrow)."),
    findings_csv: Optional[Path] = typer.Option(None, "--findings-csv", help="Write one row per finding as CSV."),
    title: str = typer.Option("Audit van de communicatie", "--title", help="Title of the HTML report."),
) -> None:
    """Make the HTML report and CSV/Parquet exports from an audit database.

    Voorbeeld: opencomms audit report --db audit.sqlite --html audit.html --csv audit.csv
    """
    from opencomms.audit import export
    from opencomms.audit import html as html_report
    from opencomms.audit.store import Store

    if not (html or csv or parquet or findings_csv):
        raise typer.BadParameter("give at least one of --html, --csv, --parquet, --findings-csv")
    for target in (html, csv, parquet, findings_csv):
        if target is not None and target.resolve() == db.resolve():
            raise InputError("would overwrite the audit database", str(target))
    if parquet is not None:
        export.require_pyarrow()
    store = Store(db, readonly=True)
    written = []
    try:
        if html is not None:
            html_report.write(store, html, title=title)
            written.append(str(html))
        if csv is not None:
            export.documents_csv(store, csv)
            written.append(str(csv))
        if parquet is not None:
            export.documents_parquet(store, parquet)
            written.append(str(parquet))
        if findings_csv is not None:
            export.findings_csv(store, findings_csv)
            written.append(str(findings_csv))
    finally:
        store.close()
    sys.stdout.write("Geschreven: " + ", ".join(written) + "\n")
