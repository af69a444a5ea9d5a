"""Where the bundled rules, lexicons and profiles are, installed or in a checkout; where caches go."""

from __future__ import annotations

import marshal
import os
from pathlib import Path

CACHE_ENV = "OPENCOMMS_CACHE_DIR"

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parents[1] / name  # a source checkout: <repo>/rules, <repo>/lexicons


RULES_DIR = _data_dir("rules")
LEXICONS_DIR = _data_dir("lexicons")
PROFILES_DIR = _PACKAGE / "profiles"


def cache_dir() -> Path | None:
    """The user's cache folder for data that is slow to parse (``opencomms.yamlfile``, syllable patterns):
    ``$OPENCOMMS_CACHE_DIR``, else ``$XDG_CACHE_HOME/opencomms`` or ``~/.cache/opencomms``; None when
    ``OPENCOMMS_CACHE_DIR`` is empty (no cache) or there is no home folder."""
    if CACHE_ENV in os.environ:
        return Path(os.environ[CACHE_ENV]) if os.environ[CACHE_ENV] else None
    try:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    except RuntimeError:
        return None
    return Path(base) / "opencomms"


def read_cached(path: Path):
    """The value marshalled in a cache file; None when it is missing or damaged (the caller recomputes it)."""
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None


def write_cached(path: Path, value) -> None:
    """Marshal ``value`` into a cache file atomically; a read-only cache folder, or a value marshal cannot
    hold, only means there is no cache."""
    from opencomms import atomic
    from opencomms.errors import OpencommsError

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_bytes(path, marshal.dumps(value))
    except (OSError, ValueError, OpencommsError):
        pass
