"""``opencomms init``: write a commented ``opencomms.yaml`` for a publication repository.

The template is validated against :data:`opencomms.config.SCHEMA` before it is written, so what ``init``
writes always loads. An existing configuration (any of ``config.CONFIG_NAMES``, or a ``[tool.opencomms]``
section in ``pyproject.toml``) is never overwritten: ``init`` stops with exit code 2.
"""

from __future__ import annotations

from pathlib import Path

import typer

from opencomms import config as configuration
from opencomms import yamlfile
from opencomms.atomic import write_text
from opencomms.cli import app
from opencomms.errors import OpencommsError

TEMPLATE = """\
# opencomms.yaml: how `opencomms check` and `opencomms fix` treat the texts in this repository.
# opencomms finds this file by walking up from each checked file. Every key is optional.
# See the rules with `opencomms rules`; explain one with `opencomms explain RULE-ID`.

# Document type for files that no pattern under `profiles` matches:
# default, kamerbrief, persbericht, social or webtekst. A file's front matter
# (`profile: persbericht`) takes precedence.
profile: {profile}

# Document type per file pattern (relative to this file).
profiles:
  "persberichten/*": persbericht
  "kamerbrieven/*": kamerbrief
  "website/*": webtekst
  "social/*": social

# Which files to check inside folders, and which to skip (.gitignore is respected as well).
include: ["*.md", "*.txt"]
exclude: ["concepten/*", "archief/*"]

# When `opencomms check` exits with 1 (for CI): findings at or above this level
# (suggestion, warning, error; never = not on findings) ...
fail_on: error
# ... or a document score below this number (0-100).
# fail_under: 60

# Rules to switch off, by id.
disable: []
#  - eerlijk-feitelijk.absolute-claim

# Per-rule changes: the level, or the rule's own settings.
rules: {{}}
#  begrijpelijk.long-sentence:
#    level: error
#    thresholds: {{warning: 18, error: 25}}

# Your own rule sets (folders with <set>/<name>.yaml) and word lists (folders with <name>.yaml),
# relative to this file. Check them with `opencomms rules validate`.
# rule_paths: [huisregels]
# lexicon_paths: [woordenlijsten]

# Key messages for the consistency check across documents.
# key_messages: kernboodschappen.yaml

# A different spaCy pipeline (name or path); default: the bundled Dutch one.
# model: nl_core_news_md
"""


def render(profile: str = configuration.DEFAULT_PROFILE) -> str:
    """The template for ``profile``, checked against the configuration schema."""
    text = TEMPLATE.format(profile=profile)
    located = yamlfile.load_text(text, "opencomms.yaml")
    yamlfile.validate(located, configuration.SCHEMA)
    return text


@app.command()
def init(
    directory: Path = typer.Argument(Path("."), help="The repository folder to write opencomms.yaml into."),
    profile: str = typer.Option(configuration.DEFAULT_PROFILE, "--profile", "-p",
                                help="Default document type: default, kamerbrief, persbericht, social, webtekst."),
) -> None:
    """Write a commented opencomms.yaml for a publication repository (never overwrites one).

    Voorbeeld: opencomms init --profile webtekst
    """
    if profile not in configuration.profiles():
        raise OpencommsError(f"unknown profile {profile!r} (known: {', '.join(configuration.profiles())})", "--profile")
    if not directory.is_dir():
        raise OpencommsError("no such directory", str(directory))
    for name in configuration.CONFIG_NAMES:
        existing = directory / name
        if existing.exists() or existing.is_symlink():
            raise OpencommsError("a configuration already exists; not overwritten (edit it, or remove it first)",
                                 str(existing))
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file() and configuration._has_section(pyproject):
        raise OpencommsError("already has a [tool.opencomms] section; not writing opencomms.yaml next to it",
                             str(pyproject))
    target = directory / "opencomms.yaml"
    write_text(target, render(profile))
    typer.echo(f"wrote {target} (check it with: opencomms check {directory})")
