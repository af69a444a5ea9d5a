"""The ``opencomms`` command. Each command group lives in its own module and registers on ``app``.

Exit codes (the contract, kept here): 0 clean, 1 findings or scores fail, 2 usage, configuration or
input error. Errors are one line on stderr; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import os
import sys

import typer

from opencomms import __version__
from opencomms.errors import OpencommsError
from opencomms.report import EXIT_ERROR

app = typer.Typer(
    name="opencomms",
    help="Controleert Nederlandse overheidsteksten op de kabinetsbrede uitgangspunten voor communicatie (2024).\n\n"
    "Voorbeeld: opencomms check persbericht.md",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"opencomms {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of errors."),
) -> None:
    if debug:
        os.environ["OPENCOMMS_DEBUG"] = "1"


from opencomms.cli import check, model, rules  # noqa: E402,F401  (they register their commands)
from opencomms.cli import baseline  # noqa: E402,F401  (issue 5: CI)
from opencomms.cli import audit  # noqa: E402,F401  (issue 6: batch audits)
from opencomms.cli import fix, init, lsp  # noqa: E402,F401  (the writer's workflow: issue 7)


def main(argv: list[str] | None = None) -> None:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:]) or os.environ.get("OPENCOMMS_DEBUG") == "1"
    try:
        code = app(args=argv, standalone_mode=False, prog_name="opencomms")
    except OpencommsError as exc:
        if debug:
            raise
        sys.stderr.write(f"opencomms: error: {exc}\n")
        code = EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("opencomms: interrupted\n")
        code = 130
    except Exception as exc:
        # typer ships its own copy of click: recognise its exceptions by what they offer
        if hasattr(exc, "exit_code") and not hasattr(exc, "format_message"):  # Exit
            code = exc.exit_code
        elif type(exc).__name__ == "Abort":
            sys.stderr.write("opencomms: aborted\n")
            code = 130
        elif hasattr(exc, "format_message"):  # usage errors: bad option, missing argument
            hint = f" (see: opencomms {' '.join(a for a in (argv or sys.argv[1:])[:1])} --help)"
            sys.stderr.write(f"opencomms: error: {exc.format_message()}{hint}\n")
            code = EXIT_ERROR
        elif debug:
            raise
        else:  # a bug: still one line, unless --debug
            sys.stderr.write(f"opencomms: internal error: {type(exc).__name__}: {exc} (run with --debug for details)\n")
            code = EXIT_ERROR
    sys.exit(code if isinstance(code, int) else 0)
