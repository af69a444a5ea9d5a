"""``opencomms lsp``: the language server over standard input and output (see ``docs/editors.md``)."""

from __future__ import annotations

from typing import Optional

import typer

from opencomms import config as configuration
from opencomms.cli import app
from opencomms.errors import OpencommsError


@app.command()
def lsp(
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Document type for every document (default: from the configuration or front matter)."),
    config: Optional[str] = typer.Option(None, "--config", "-c", help="Use this configuration file instead of searching for one."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline to load (name or path); default: the bundled one."),
    debounce_ms: int = typer.Option(300, "--debounce-ms", help="Wait this long after the last change before checking again."),
    status: str = typer.Option("message", "--status", help="How to show the scores: message, progress, notification or off."),
    stdio: bool = typer.Option(True, "--stdio", hidden=True, help="Talk over standard input and output (the only transport; accepted for editors that pass it)."),
) -> None:
    """Start the language server for editors (Markdown and plain text, over stdio).

    Findings appear while you type, with quick fixes for plainer words, the rule's explanation on
    hover and the document's scores. See docs/editors.md for VS Code, Neovim and Emacs.

    Voorbeeld: opencomms lsp --profile webtekst
    """
    from opencomms.lsp.engine import STATUS_MODES, Engine, Options

    if debounce_ms < 0:
        raise OpencommsError("must be 0 or more", "--debounce-ms")
    if status not in STATUS_MODES:
        raise OpencommsError(f"must be one of: {', '.join(STATUS_MODES)}", "--status")
    if profile is not None and profile not in configuration.profiles():
        raise OpencommsError(f"unknown profile {profile!r} (known: {', '.join(configuration.profiles())})", "--profile")
    engine = Engine(Options(debounce_ms=debounce_ms, status=status, profile=profile, config=config, model=model))
    engine.start()  # load the pipeline while the protocol library is imported and the client says hello
    from opencomms.lsp.server import serve

    serve(engine)
