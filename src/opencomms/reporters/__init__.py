"""Reporters: one module per ``--format``, each with ``render(report, stream, color)``."""

from opencomms.reporters import json_report, terminal

FORMATS = {
    "text": terminal,
    "json": json_report,
}
