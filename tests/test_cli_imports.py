"""``opencomms --help``, ``--version`` and shell completion answer without loading the Dutch pipeline."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("spacy", "thinc", "wordfreq", "pyphen", "jsonschema", "pygls")


def test_the_command_line_loads_no_pipeline_until_a_command_needs_it():
    code = f"import sys, opencomms.cli; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


def test_version_and_help_still_work(cli):
    assert cli("--version").stdout.decode().startswith("opencomms ")
    for command in ("check", "fix", "rules", "baseline create", "lsp", "audit"):
        proc = cli(*command.split(), "--help")
        assert proc.returncode == 0 and "Voorbeeld" in proc.stdout.decode(), command
