"""``--format github``: GitHub Actions workflow commands, shown as annotations on the changed files.

One line per finding::

    ::warning file=docs/a.md,line=3,col=5,endLine=3,endColumn=13,title=opencomms begrijpelijk.officialese::...

Levels: error → ``error``, warning → ``warning``, suggestion → ``notice``. The message is escaped as
GitHub requires (``%``, CR, LF; in properties also ``:`` and ``,``), so a finding can never end the
command early or inject another one. Files that could not be read become ``::error file=...::``.
"""

from __future__ import annotations

from opencomms.finding import Level

COMMANDS = {Level.error: "error", Level.warning: "warning", Level.suggestion: "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def annotation(path: str, finding) -> str:
    message = finding.message
    if finding.suggestions:
        message += "\nBeter: " + " | ".join(finding.suggestions[:4])
    where = finding.location or {}
    if where.get("paragraph"):
        message += f"\n(alinea {where['paragraph']}" + (f", pagina {where['page']}" if where.get("page") else "") + ")"
    elif where.get("page"):
        message += f"\n(pagina {where['page']})"
    return command(
        COMMANDS[finding.level],
        message,
        file=path,
        line=finding.line,
        col=finding.column,
        endLine=finding.end_line,
        endColumn=finding.end_column,
        title=f"opencomms {finding.rule}",
    )


def render(report, stream, color: bool = False) -> None:
    for result in report.results:
        path = result.source.path
        for finding in result.findings:
            stream.write(annotation(path, finding) + "\n")
    for failure in report.failures:
        stream.write(command("error", f"Kan dit bestand niet lezen: {failure.message}", file=failure.path,
                             title="opencomms") + "\n")
    stream.write(f"opencomms: {report.checked()}: {report.tally()}\n")
