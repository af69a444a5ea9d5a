"""Reporters: one module per ``--format``, each with ``render(report, stream, color)``."""

from opencomms.reporters import github, gitlab, json_report, junit, markdown, sarif, terminal

FORMATS = {
    "text": terminal,
    "json": json_report,
    "sarif": sarif,
    "github": github,
    "gitlab": gitlab,
    "junit": junit,
    "markdown": markdown,
}
