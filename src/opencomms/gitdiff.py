"""What changed since a git revision: which files (``--changed-since``) and which lines (``--changed-lines``).

Both compare the revision with the working tree (``git diff REV``), so committed and uncommitted
changes count; files git does not track yet (and does not ignore) count as wholly changed. Lines are
the new-side lines of ``git diff -U0`` hunks: added or modified lines, not the place of a deletion.
A binary file that changed (DOCX, ODT, PDF) counts as wholly changed: its lines are not the text's.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from opencomms.errors import OpencommsError

ALL_LINES = None  # the whole file changed
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_GIT = ["git", "-c", "core.quotePath=false", "-c", "diff.noprefix=false"]


def _git(args: list[str], cwd: str | Path) -> str:
    try:
        proc = subprocess.run(_GIT + args, cwd=cwd, capture_output=True, timeout=120)
    except FileNotFoundError:
        raise OpencommsError("git is not installed (needed for --changed-since and --changed-lines)") from None
    except subprocess.TimeoutExpired:
        raise OpencommsError("git took too long to answer") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OpencommsError(f"git {args[0]} failed: {message[-1] if message else 'exit ' + str(proc.returncode)}")
    return proc.stdout.decode("utf-8", "replace")


def toplevel(cwd: str | Path = ".") -> Path:
    return Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())


def _check_revision(rev: str, cwd: Path) -> None:
    if rev.startswith("-"):
        raise OpencommsError(f"--changed-since: {rev!r} is not a git revision")
    try:
        _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], cwd)
    except OpencommsError:
        raise OpencommsError(f"--changed-since: {rev!r} is not a git revision here") from None


def changed_files(rev: str, cwd: str | Path = ".") -> set[Path]:
    """Absolute paths of files added, modified or renamed since ``rev``, plus untracked ones."""
    root = toplevel(cwd)
    _check_revision(rev, root)
    names = _git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=d", rev, "--"], root).split("\0")
    names += _git(["ls-files", "-z", "--others", "--exclude-standard"], root).split("\0")
    return {(root / name).resolve() for name in names if name}


def changed_lines(rev: str, cwd: str | Path = ".") -> dict[Path, set[int] | None]:
    """For each changed file (absolute path): the changed line numbers, or ``None`` for the whole file."""
    root = toplevel(cwd)
    _check_revision(rev, root)
    diff = _git(["diff", "-U0", "--no-color", "--no-ext-diff", "--no-renames", "--diff-filter=d",
                 "--src-prefix=a/", "--dst-prefix=b/", rev, "--"], root)
    out: dict[Path, set[int] | None] = parse_diff(diff, root)
    for name in _git(["ls-files", "-z", "--others", "--exclude-standard"], root).split("\0"):
        if name:
            out[(root / name).resolve()] = ALL_LINES
    return out


def parse_diff(diff: str, root: Path) -> dict[Path, set[int] | None]:
    """Parse ``git diff -U0`` output into {absolute path: new-side line numbers, or None if binary}."""
    out: dict[Path, set[int] | None] = {}
    current: set[int] | None = None
    current_path: Path | None = None
    for line in diff.split("\n"):
        if line.startswith("diff --git "):
            current_path = None
        elif line.startswith("+++ "):
            name = line[4:].rstrip("\t")
            if name == "/dev/null":
                current_path = None
                continue
            if name.startswith('"'):
                name = _unquote(name)
            name = name[2:] if name.startswith("b/") else name
            current_path = (root / name).resolve()
            current = out.setdefault(current_path, set())
        elif line.startswith("Binary files ") and line.endswith(" differ"):
            match = re.match(r"Binary files (?:.*?) and (.*) differ$", line)
            if match and match.group(1) != "/dev/null":
                name = match.group(1)
                name = _unquote(name) if name.startswith('"') else name
                name = name[2:] if name.startswith("b/") else name
                out[(root / name).resolve()] = ALL_LINES
        elif current_path is not None and current is not None:
            hunk = _HUNK.match(line)
            if hunk:
                start = int(hunk.group(1))
                count = 1 if hunk.group(2) is None else int(hunk.group(2))
                current.update(range(start, start + count))
    return out


def _unquote(name: str) -> str:
    """Undo git's C-style quoting of unusual path names ("a\\tb", octal bytes)."""
    body = name[1:-1] if len(name) > 1 and name.endswith('"') else name[1:]
    escapes = {"n": b"\n", "t": b"\t", '"': b'"', "\\": b"\\", "a": b"\a", "b": b"\b", "f": b"\f",
               "r": b"\r", "v": b"\v"}
    out = bytearray()
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            octal = re.match(r"[0-7]{3}", body[i + 1:i + 4])
            if octal:
                out.append(int(octal.group(), 8) & 0xFF)
                i += 4
                continue
            out += escapes.get(body[i + 1], body[i + 1].encode("utf-8"))
            i += 2
            continue
        out += char.encode("utf-8")
        i += 1
    return out.decode("utf-8", "replace")


def on_changed_line(finding, lines: set[int] | None) -> bool:
    if lines is ALL_LINES:
        return True
    return any(line in lines for line in range(finding.line, finding.end_line + 1))


def resolve(path: str) -> Path:
    return Path(os.path.abspath(path)).resolve()
