"""Readers turn a file into a :class:`~opencomms.source.Source`. One module per format.

``read(path)`` picks the reader by suffix; ``SUFFIXES`` maps each suffix to its reader module.
"""

from __future__ import annotations

import sys
from pathlib import Path

from opencomms.errors import InputError
from opencomms.readers import docx, html, markdown, odt, pdf, text
from opencomms.source import Source

MAX_BYTES = 20 * 1024 * 1024

READERS = {
    "text": text,
    "markdown": markdown,
    "html": html,
    "docx": docx,
    "odt": odt,
    "pdf": pdf,
}

SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdx": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".odt": "odt",
    ".pdf": "pdf",
}


def format_for(path: Path, default: str = "text") -> str:
    return SUFFIXES.get(path.suffix.lower(), default)


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(f"file is too large ({size / 1e6:.0f} MB; the limit is {limit / 1e6:.0f} MB)", str(path))
        with path.open("rb") as handle:
            return handle.read(limit + 1)
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory", str(path)) from None
    except PermissionError:
        raise InputError("permission denied", str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", str(path)) from None


def read(path: str | Path, fmt: str | None = None) -> Source:
    """Read one file (or ``-`` for standard input) into a Source."""
    if str(path) == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise InputError("input is too large", "<stdin>")
        return parse_bytes(data, "<stdin>", fmt or "text")
    path = Path(path)
    return parse_bytes(read_bytes(path), str(path), fmt or format_for(path))


def parse_bytes(data: bytes, name: str, fmt: str) -> Source:
    reader = READERS.get(fmt)
    if reader is None:
        raise InputError(f"unknown format {fmt!r}", name)
    return reader.parse(data, name)
