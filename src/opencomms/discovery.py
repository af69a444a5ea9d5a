"""Which files a run checks: files as given, directories walked recursively with include/exclude globs
and ``.gitignore`` respected (unless told otherwise). Symlink loops and unreadable folders are skipped."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

import pathspec

from opencomms.errors import InputError
from opencomms.readers import SUFFIXES

DEFAULT_INCLUDE = tuple(f"*{suffix}" for suffix in SUFFIXES)
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox"}


def _gitignore(directory: Path) -> pathspec.PathSpec | None:
    path = directory / ".gitignore"
    if not path.is_file():
        return None
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.PathSpec.from_lines("gitwildmatch", lines)


def _matches(rel: str, patterns) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def walk(root: Path, include=(), exclude=(), gitignore: bool = True):
    include = tuple(include) or DEFAULT_INCLUDE
    seen: set[tuple[int, int]] = set()
    specs: list[tuple[Path, pathspec.PathSpec]] = []

    def visit(directory: Path):
        try:
            st = directory.stat()
        except OSError:
            return
        key = (st.st_dev, st.st_ino)
        if key in seen:  # a symlink loop or a folder linked twice
            return
        seen.add(key)
        spec = _gitignore(directory) if gitignore else None
        if spec:
            specs.append((directory, spec))
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if _ignored(path, is_dir):
                continue
            rel = path.relative_to(root).as_posix()
            if is_dir:
                if entry.name in SKIP_DIRS or _matches(rel + "/", exclude) or _matches(rel, exclude):
                    continue
                yield from visit(path)
            elif _matches(rel, include) and not _matches(rel, exclude):
                yield path
        if spec:
            specs.pop()

    def _ignored(path: Path, is_dir: bool) -> bool:
        for base, spec in specs:
            rel = path.relative_to(base).as_posix() + ("/" if is_dir else "")
            if spec.match_file(rel):
                return True
        return False

    yield from visit(root)


def collect(paths, include=(), exclude=(), gitignore: bool = True) -> list[str]:
    """Expand the command-line paths into files, in a stable order. ``-`` stays standard input."""
    out: list[str] = []
    for raw in paths:
        if raw == "-":
            out.append("-")
            continue
        path = Path(raw)
        if path.is_dir():
            out.extend(str(p) for p in walk(path, include, exclude, gitignore))
        elif path.exists() or path.is_symlink():
            out.append(str(path))
        else:
            raise InputError("no such file or directory", raw)
    return out
