"""The opencomms language server (pygls 2, over stdio): live findings for Markdown and plain text.

- **Diagnostics** on open (at once) and on change (after ``debounce_ms`` without typing), one per finding:
  severity from the level, ``code`` = rule id, ``source`` = ``opencomms``. Results for an outdated version
  of a document are dropped, never published. While typing only the changed blocks are analysed again
  (``incremental``, :mod:`opencomms.lsp.analysis`); after ``settle_ms`` without changes the whole text is
  checked once more, exactly as ``opencomms check`` would, and published if that differs.
- **Quick fixes** (``textDocument/codeAction``) for substitution findings: the safe fix (preferred) and each
  alternative, as a WorkspaceEdit. ``source.fixAll.opencomms`` applies all safe fixes, guarded like
  ``opencomms fix`` (a fix that makes a new error appear is left out).
- **Hover** on a finding's range: the message, rule, level, the rule's explanation and its suggestions.
- **Status** with the document's scores, as chosen by the ``status`` option: ``message`` (default:
  ``window/showMessage`` on open and on save; every client shows it), ``progress`` (``$/progress`` around
  every check, the scores in the end message), ``notification`` (custom ``opencomms/status`` after every
  check, for status lines) or ``off``.

One :class:`~opencomms.runner.Checker` is loaded when the server starts, in the one worker thread that
runs every check, so the pipeline is loaded once and stays warm, and the event loop stays free for
hovers and code actions while a check runs.

Options come from ``initializationOptions`` (flat, or under ``"opencomms"``): ``debounce_ms``, ``status``,
``incremental``, ``settle_ms``, ``profile``, ``config``, ``model``; the command line gives the defaults, and ``OPENCOMMS_LSP_DEBOUNCE_MS``
overrides the debounce (the latency benchmark sets it to 0).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from opencomms import __version__
from opencomms.errors import OpencommsError
from opencomms.finding import Finding, Fix, Level
from opencomms.lsp.engine import Engine, Options
from opencomms.lsp.positions import LineIndex, apply_change
from opencomms.reporters.terminal import LEVEL_LABEL

log = logging.getLogger("opencomms.lsp")

STATUS_NOTIFICATION = "opencomms/status"
FIX_ALL_KIND = "source.fixAll.opencomms"
SEVERITY = {
    Level.error: types.DiagnosticSeverity.Error,
    Level.warning: types.DiagnosticSeverity.Warning,
    Level.suggestion: types.DiagnosticSeverity.Information,
}
LANGUAGES = {"markdown": "markdown", "plaintext": "text", "text": "text"}


@dataclass
class Document:
    uri: str
    text: str
    version: int | None
    language: str


@dataclass
class Checked:
    """The last published check of a document."""

    version: int | None
    text: str
    result: object  # engine.Result
    index: LineIndex
    rules: dict = field(default_factory=dict)  # rule id -> Rule


class OpencommsServer(LanguageServer):
    def __init__(self, options: Options | None = None, engine: Engine | None = None):
        super().__init__("opencomms", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.engine = engine or Engine(options or Options())
        self.options = self.engine.options
        self.documents: dict[str, Document] = {}
        self.checked: dict[str, Checked] = {}
        self.pending: dict[str, asyncio.Task] = {}
        self.worker = self.engine.worker
        self.shown_errors: set[str] = set()
        self.tokens = itertools.count(1)

    @property
    def checker(self):
        return self.engine.checker

    # --- scheduling (event loop) -----------------------------------------------------------------------

    def schedule(self, uri: str, delay_ms: int, mode: str = "change") -> None:
        """Check ``uri`` after ``delay_ms`` (cancelling what was pending for it).

        ``open``: the whole text, then the block cache is filled; ``change``: incremental (when enabled),
        followed by a ``settle`` check of the whole text once the document has been idle for
        ``settle_ms``, published only if it differs.
        """
        task = self.pending.pop(uri, None)
        if task is not None and not task.done():
            task.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(self._run(uri, delay_ms, mode))

    async def _run(self, uri: str, delay_ms: int, mode: str = "change") -> None:
        if delay_ms:
            await asyncio.sleep(delay_ms / 1000)
        doc = self.documents.get(uri)
        if doc is None:
            return
        text, version = doc.text, doc.version  # this version; the editor may change the document meanwhile
        path, fmt = _path(uri), _format(doc)
        incremental = mode == "change" and self.options.incremental
        token = await self._progress_begin() if mode != "settle" else None
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(self.worker, self.engine.check, text, path, fmt, incremental)
        except asyncio.CancelledError:
            self._progress_end(token, None)
            raise
        except Exception as exc:  # OpencommsError (configuration, pipeline) or a bug: say so once
            if not isinstance(exc, OpencommsError):
                log.exception("checking %s failed", uri)
            self._progress_end(token, "opencomms: fout")
            self._error_once(str(exc) if isinstance(exc, OpencommsError) else f"internal error: {type(exc).__name__}: {exc}")
            if self._is_current(uri, text, version):
                self.checked.pop(uri, None)
                self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, [], version))
            return
        if not self._is_current(uri, text, version):
            self._progress_end(token, None)
            return  # outdated: a newer check is scheduled
        previous = self.checked.get(uri)
        checked = Checked(version, text, result, LineIndex(text, self._encoding()), {rule.id: rule for rule in result.rules})
        self.checked[uri] = checked
        unchanged = (mode == "settle" and previous is not None and previous.version == version
                     and _keys(previous.result.findings) == _keys(result.findings))
        if not unchanged:
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri, [self._diagnostic(f, checked) for f in result.findings], version)
            )
        status = status_line(result)
        self._progress_end(token, status)
        if self.options.status == "notification" and not unchanged:
            self.protocol.notify(STATUS_NOTIFICATION, {"uri": uri, "version": version, "message": status,
                                                      "score": result.scores.get("score"),
                                                      "principles": result.scores.get("principles", [])})
        if mode == "open" and self.options.incremental:
            self.worker.submit(self.engine.prime, text, path, fmt)
        elif incremental and self.options.settle_ms:
            self.pending[uri] = loop.create_task(self._run(uri, self.options.settle_ms, "settle"))

    def _is_current(self, uri: str, text: str, version) -> bool:
        doc = self.documents.get(uri)
        return doc is not None and doc.version == version and doc.text == text

    def _error_once(self, message: str) -> None:
        if message not in self.shown_errors:
            self.shown_errors.add(message)
            self.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"opencomms: {message}"))

    def show_status(self, uri: str) -> None:
        checked = self.current(uri)
        if self.options.status == "message" and checked is not None:
            self.window_show_message(types.ShowMessageParams(types.MessageType.Info, status_line(checked.result)))

    async def _progress_begin(self):
        if self.options.status != "progress" or not _capability(self, "window.work_done_progress"):
            return None
        token = f"opencomms-{next(self.tokens)}"
        try:
            await self.work_done_progress.create_async(token)
        except Exception:  # the client refused: no progress for this check
            return None
        self.work_done_progress.begin(token, types.WorkDoneProgressBegin(title="opencomms", message="controleren…"))
        return token

    def _progress_end(self, token, message: str | None) -> None:
        if token is not None:
            self.work_done_progress.end(token, types.WorkDoneProgressEnd(message=message))

    # --- conversions -----------------------------------------------------------------------------------

    def _encoding(self) -> str:
        try:
            return str(self.workspace.position_encoding or "utf-16")
        except Exception:
            return "utf-16"

    def _range(self, checked: Checked, start: int, end: int) -> types.Range:
        a, b = checked.index.position(start), checked.index.position(end)
        return types.Range(types.Position(*a), types.Position(*b))

    def _diagnostic(self, finding: Finding, checked: Checked) -> types.Diagnostic:
        rule = checked.rules.get(finding.rule)
        link = getattr(rule, "link", "") or ""
        return types.Diagnostic(
            range=self._range(checked, finding.offset, finding.end_offset),
            message=finding.message,
            severity=SEVERITY.get(finding.level, types.DiagnosticSeverity.Information),
            code=finding.rule,
            code_description=types.CodeDescription(href=link) if link.startswith(("http://", "https://")) else None,
            source="opencomms",
        )

    def current(self, uri: str) -> Checked | None:
        """The last check of ``uri`` if it is of the version the editor has now."""
        checked = self.checked.get(uri)
        if checked is None or not self._is_current(uri, checked.text, checked.version):
            return None
        return checked

    def edit(self, uri: str, version, checked: Checked, fixes: list[Fix]) -> types.WorkspaceEdit:
        edits = [types.TextEdit(self._range(checked, f.offset, f.end_offset), f.replacement) for f in fixes]
        if _capability(self, "workspace.workspace_edit.document_changes"):
            return types.WorkspaceEdit(document_changes=[
                types.TextDocumentEdit(types.OptionalVersionedTextDocumentIdentifier(uri, version), edits)
            ])
        return types.WorkspaceEdit(changes={uri: edits})


def _capability(server: LanguageServer, name: str) -> bool:
    from pygls.lsp._capabilities import get_capability

    try:
        return bool(get_capability(server.client_capabilities, name, False))
    except Exception:
        return False


def _path(uri: str) -> str:
    path = to_fs_path(uri) if uri.startswith("file:") else None
    return path or "<stdin>"


def _format(doc: Document) -> str:
    from opencomms.readers import format_for

    if doc.language in LANGUAGES:
        return LANGUAGES[doc.language]
    return format_for(Path(_path(doc.uri)), "text")


def _keys(findings: list[Finding]) -> list[tuple]:
    return [(f.rule, f.offset, f.end_offset, f.level, f.message) for f in findings]


def status_line(result) -> str:
    """One line with the scores and finding counts of a document, in Dutch."""
    scores = result.scores or {}
    name = Path(result.source.path).name if result.source.path != "<stdin>" else "document"
    parts = [f"{p['title']} {p['score']}" for p in scores.get("principles", []) if p.get("score") is not None]
    counts = {level: sum(1 for f in result.findings if f.level == level) for level in Level}
    found = [f"{counts[Level.error]} fout{'en' if counts[Level.error] != 1 else ''}",
             f"{counts[Level.warning]} waarschuwing{'en' if counts[Level.warning] != 1 else ''}",
             f"{counts[Level.suggestion]} suggestie{'s' if counts[Level.suggestion] != 1 else ''}"]
    overall = scores.get("score")
    head = f"opencomms · {name}: score {overall}/100" if overall is not None else f"opencomms · {name}: geen score"
    return f"{head} ({', '.join(parts)}); {', '.join(found)}" if parts else f"{head}; {', '.join(found)}"


def hover_text(findings: list[Finding], rules: dict) -> str:
    """Markdown for a hover: per finding its message, rule, level and the rule's explanation."""
    from opencomms.principles import ASPECTS

    blocks = []
    for finding in findings:
        rule = rules.get(finding.rule)
        aspect = ASPECTS.get(finding.principle)
        lines = [f"**{_md(finding.message)}**", "",
                 f"`{finding.rule}` · {LEVEL_LABEL.get(finding.level, finding.level.name)}"
                 + (f" · {aspect.title}" if aspect else "")]
        if rule is not None and rule.description.strip():
            lines += ["", _md(rule.description.strip())]
        if finding.suggestions:
            lines += ["", "**Beter:**"] + [f"- {_md(s)}" for s in finding.suggestions]
        if rule is not None and rule.link:
            lines += ["", f"Meer: {rule.link}"]
        lines += ["", f"Uitleg in de terminal: `opencomms explain {finding.rule}`"]
        blocks.append("\n".join(lines))
    return "\n\n---\n\n".join(blocks)


def _md(text: str) -> str:
    """Text shown literally in Markdown (no accidental emphasis, links or headings)."""
    out = []
    for ch in text:
        out.append("\\" + ch if ch in "\\`*_[]<>#|" else ch)
    return "".join(out)


def create_server(options: Options | None = None, engine: Engine | None = None) -> OpencommsServer:
    server = OpencommsServer(options, engine)

    @server.feature(types.INITIALIZE)
    def initialize(ls: OpencommsServer, params: types.InitializeParams) -> None:
        before = (ls.options.model, ls.options.config, ls.options.profile)
        for problem in ls.options.update(params.initialization_options):
            ls.window_show_message(types.ShowMessageParams(types.MessageType.Warning, f"opencomms: {problem}"))
        ls.options.apply_environment()
        if (ls.options.model, ls.options.config, ls.options.profile) != before:
            ls.worker.submit(ls.engine.load)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: OpencommsServer, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        ls.documents[item.uri] = Document(item.uri, item.text, item.version, item.language_id or "")
        ls.schedule(item.uri, 0, "open")
        ls.pending[item.uri].add_done_callback(lambda task: task.cancelled() or ls.show_status(item.uri))

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: OpencommsServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        doc = ls.documents.get(uri)
        if doc is None:
            return
        text, encoding = doc.text, ls._encoding()
        for change in params.content_changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                r = change.range
                text = apply_change(text, (r.start.line, r.start.character), (r.end.line, r.end.character),
                                    change.text, encoding)
            else:
                text = change.text
        doc.text, doc.version = text, params.text_document.version
        ls.schedule(uri, ls.options.debounce_ms)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: OpencommsServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.show_status(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: OpencommsServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        task = ls.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        ls.documents.pop(uri, None)
        ls.checked.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: OpencommsServer, params: types.HoverParams) -> types.Hover | None:
        checked = ls.current(params.text_document.uri)
        if checked is None:
            return None
        offset = checked.index.offset(params.position.line, params.position.character)
        found = [f for f in checked.result.findings if f.offset <= offset <= f.end_offset]
        if not found:
            return None
        start, end = min(f.offset for f in found), max(f.end_offset for f in found)
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=hover_text(found, checked.rules)),
            range=ls._range(checked, start, end),
        )

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    async def code_action(ls: OpencommsServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        checked = ls.current(uri)
        if checked is None:
            return None
        version = ls.documents[uri].version
        only = [str(kind) for kind in (params.context.only or [])]

        def wanted(kind: str) -> bool:
            return not only or any(kind == o or kind.startswith(o + ".") for o in only)

        actions: list[types.CodeAction] = []
        if wanted(types.CodeActionKind.QuickFix):
            lo = checked.index.offset(params.range.start.line, params.range.start.character)
            hi = checked.index.offset(params.range.end.line, params.range.end.character)
            for finding in checked.result.findings:
                rule = checked.rules.get(finding.rule)
                if rule is None or finding.end_offset < lo or finding.offset > hi:
                    continue
                if finding.fix is not None or rule.kind == "substitution":
                    actions.extend(_quick_fixes(ls, uri, version, checked, finding, rule.kind == "substitution"))
        # "fix all" only when asked for by kind (on save, or from a "source action" menu): it checks again.
        if only and wanted(FIX_ALL_KIND):
            from opencomms.fixer import literal

            fixes = [f.fix for f in checked.result.findings
                     if f.fix is not None and literal(checked.result.source, f.fix)]
            if fixes:
                from opencomms.fixer import guard

                loop = asyncio.get_running_loop()
                outcome = await loop.run_in_executor(ls.worker, guard, ls.checker, checked.result, fixes)
                if outcome.applied and ls.current(uri) is checked:
                    n = len(outcome.applied)
                    actions.append(types.CodeAction(
                        title=f"opencomms: {n} veilige vervanging{'en' if n != 1 else ''} toepassen",
                        kind=FIX_ALL_KIND,
                        edit=ls.edit(uri, version, checked, outcome.applied),
                    ))
        return actions

    return server


def _quick_fixes(ls: OpencommsServer, uri: str, version, checked: Checked, finding: Finding,
                 alternatives: bool) -> list[types.CodeAction]:
    """The safe fix (preferred) and, for substitutions, each alternative as its own quick fix."""
    from opencomms.fixer import literal, with_alternative

    diagnostic = ls._diagnostic(finding, checked)
    options: list[tuple[Fix, bool]] = []
    if finding.fix is not None:
        options.append((finding.fix, True))
    for suggestion in finding.suggestions if alternatives else ():
        fix = with_alternative(finding, suggestion)
        if fix.replacement not in [f.replacement for f, _ in options] and fix.replacement != finding.text:
            options.append((fix, False))
    if not literal(checked.result.source, finding.fix or with_alternative(finding, "")):
        return []  # the word is written with markup or character references in the file: no blind edit
    return [
        types.CodeAction(
            title=f"Vervang '{finding.text}' door '{fix.replacement}'",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[diagnostic],
            is_preferred=preferred,
            edit=ls.edit(uri, version, checked, [fix]),
        )
        for fix, preferred in options
    ]


def serve(engine: Engine) -> None:
    """Run the server on standard input and output until the client exits, then end the process at
    once: exit code 0 after ``shutdown``, 1 without (as the protocol asks), never waiting for a check or
    a pipeline load still running in the worker thread."""
    logging.basicConfig(level=logging.WARNING, format="opencomms lsp: %(levelname)s: %(message)s")
    server = create_server(engine=engine)
    try:
        server.start_io()
    finally:
        code = 0 if getattr(server.protocol, "_shutdown", False) else 1
        engine.worker.shutdown(wait=False, cancel_futures=True)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)
