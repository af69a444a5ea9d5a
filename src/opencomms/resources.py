"""Where the bundled rules, lexicons and profiles are, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parents[1] / name  # a source checkout: <repo>/rules, <repo>/lexicons


RULES_DIR = _data_dir("rules")
LEXICONS_DIR = _data_dir("lexicons")
PROFILES_DIR = _PACKAGE / "profiles"
