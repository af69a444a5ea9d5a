"""Applying fixes: data ``(offset, end_offset, replacement)`` applied to the original text in reverse
order; overlapping fixes are refused (the later one is dropped).

Used by ``opencomms fix`` and by the language server's "fix all" action:

- :func:`select` and :func:`apply_fixes` work on text only;
- :func:`guard` applies fixes, checks the result again and takes back every fix that makes a new
  error-level finding appear, until none does (a fix never makes a text worse at the error level);
- :func:`source_from_text` turns edited text back into a :class:`Source` with exactly that text;
- :class:`Snapshot`, :func:`encode_like` and :func:`write_if_unchanged` write a file back byte for byte as
  it was read (encoding, byte order mark, line endings) except for the fixes, and refuse when the file
  changed on disk since it was read.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from opencomms.atomic import atomic_open
from opencomms.errors import InputError
from opencomms.finding import Finding, Fix, Level
from opencomms.source import Source


def select(fixes: list[Fix]) -> list[Fix]:
    """Non-overlapping fixes, earliest first."""
    chosen: list[Fix] = []
    last_end = -1
    for fix in sorted(fixes, key=lambda f: (f.offset, f.end_offset)):
        if fix.offset < last_end:
            continue
        chosen.append(fix)
        last_end = fix.end_offset
    return chosen


def apply_fixes(text: str, fixes: list[Fix]) -> str:
    for fix in reversed(select(fixes)):
        text = text[: fix.offset] + fix.replacement + text[fix.end_offset:]
    return text


def literal(source: Source, fix: Fix) -> bool:
    """Whether the replaced text stands in the source exactly as it was checked (not, say, written with
    an HTML character reference or split by markup that the reader blanked)."""
    return source.text[fix.offset:fix.end_offset] == source.checked[fix.offset:fix.end_offset]


def with_alternative(finding: Finding, alternative: str) -> Fix:
    """A fix that replaces the finding's text by ``alternative``, in the capitalisation of the original."""
    from opencomms.checks.base import preserve_case  # spaCy: loaded only when fixing

    return Fix(finding.offset, finding.end_offset, preserve_case(finding.text, alternative))


# --- mapping offsets of a fixed text back to the original --------------------------------------------


def map_back(offset: int, fixes: list[Fix], at_end: bool = False) -> int:
    """The original offset of ``offset`` in the text that ``fixes`` (selected, sorted) produced.

    An offset inside a replacement maps to the start of the replaced range (or its end, ``at_end``).
    """
    delta = 0
    for fix in fixes:
        new_start = fix.offset + delta
        if offset <= new_start:
            break
        if offset < new_start + len(fix.replacement):
            return fix.end_offset if at_end else fix.offset
        delta += len(fix.replacement) - (fix.end_offset - fix.offset)
    return offset - delta


def new_errors(before: list[Finding], after: list[Finding], fixes: list[Fix]) -> list[Finding]:
    """Error-level findings of the fixed text (``after``, made by ``fixes``) that were not there before.

    An error of the fixed text is old when an error of the same rule was in the original at a span that
    overlaps its span mapped back (each old error accounts for one new one): an error that only grew or
    shrank with a replacement is the same error.
    """
    pool: dict[str, list[tuple[int, int]]] = {}
    for f in before:
        if f.level >= Level.error:
            pool.setdefault(f.rule, []).append((f.offset, f.end_offset))
    out = []
    for f in after:
        if f.level < Level.error:
            continue
        lo, hi = map_back(f.offset, fixes), map_back(f.end_offset, fixes, at_end=True)
        spans = pool.get(f.rule, [])
        match = next((i for i, (a, b) in enumerate(spans) if (a < hi and lo < b) or (a, b) == (lo, hi)), None)
        if match is None:
            out.append(f)
        else:
            spans.pop(match)
    return out


# --- the guard: no fix may add an error-level finding ---------------------------------------------------


@dataclass
class Rejected:
    fix: Fix
    rules: tuple[str, ...]  # the new error-level findings it would have caused


@dataclass
class Outcome:
    text: str  # the fixed text
    applied: list[Fix]
    rejected: list[Rejected] = field(default_factory=list)
    result: object = None  # the engine.Result of the fixed text (or of the original, when nothing applied)


def guard(checker, result, fixes: list[Fix]) -> Outcome:
    """Apply ``fixes`` to ``result.source`` and take back those that add error-level findings.

    After each round the fixed text is checked again; a new error-level finding (:func:`new_errors`)
    blames the fixes inside its sentence (or its own span, whichever is wider). When no fix sits there (document-level findings) all remaining fixes
    are taken back. Rounds repeat until the fixed text has no new errors.
    """
    source = result.source
    candidates = select(fixes)
    rejected: list[Rejected] = []
    while candidates:
        text = apply_fixes(source.text, candidates)
        fixed = checker.check_one(source_from_text(text, source.path, source.format))
        new = new_errors(result.findings, fixed.findings, candidates)
        if not new:
            return Outcome(text, candidates, rejected, fixed)
        blamed: dict[Fix, set[str]] = {}
        for finding in new:
            lo = min(finding.offset, finding.context_offset)
            hi = max(finding.end_offset, finding.context_offset + len(finding.context))
            lo, hi = map_back(lo, candidates), map_back(hi, candidates, at_end=True)
            hits = [fix for fix in candidates if fix.offset <= hi and fix.end_offset >= lo]
            for fix in hits or candidates:
                blamed.setdefault(fix, set()).add(finding.rule)
        rejected.extend(Rejected(fix, tuple(sorted(rules))) for fix, rules in blamed.items())
        candidates = [fix for fix in candidates if fix not in blamed]
    return Outcome(source.text, [], rejected, result)


# --- sources from edited text ---------------------------------------------------------------------------


def source_from_text(text: str, path: str, fmt: str) -> Source:
    """A Source whose ``text`` is exactly ``text``, read by the reader for ``fmt``.

    The readers take bytes; a leading U+FEFF would be eaten as a byte order mark, so it is read as a space
    (same length) and put back.
    """
    from opencomms import readers

    bom = text.startswith("\ufeff")
    data = (" " + text[1:] if bom else text).encode("utf-8", "surrogatepass")
    source = readers.parse_bytes(data, path, fmt)
    if bom:
        source.text = text
    if source.text != text:  # a reader must keep the text; never check something else than was given
        raise InputError("the reader changed the text", path)
    return source


# --- files: read once, write back only if unchanged --------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """What a file was when it was read: its bytes and what identifies that version on disk."""

    path: str
    data: bytes
    mtime_ns: int
    size: int
    sha256: str

    @classmethod
    def take(cls, path: str | Path) -> "Snapshot":
        from opencomms.readers import read_bytes

        path = Path(path)
        before = _stat(path)
        data = read_bytes(path)
        after = _stat(path)
        if before != after or after[1] != len(data):
            raise InputError("the file changed while it was being read; try again", str(path))
        return cls(str(path), data, after[0], after[1], hashlib.sha256(data).hexdigest())

    def unchanged(self) -> bool:
        path = Path(self.path)
        try:
            stat = _stat(path)
            if stat != (self.mtime_ns, self.size):
                return False
            return hashlib.sha256(path.read_bytes()).hexdigest() == self.sha256
        except OSError:
            return False


def _stat(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", str(path)) from None
    return st.st_mtime_ns, st.st_size


def encode_like(text: str, encoding: str, original: bytes) -> bytes:
    """Encode ``text`` the way ``original`` was encoded (the reader's ``source.encoding``, the same
    byte order mark and byte order)."""
    if encoding == "utf-16":
        if original.startswith(codecs.BOM_UTF16_BE):
            return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return text.encode(encoding)


def encodable(replacement: str, encoding: str) -> bool:
    try:
        replacement.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def write_if_unchanged(snapshot: Snapshot, data: bytes) -> None:
    """Write ``data`` atomically over ``snapshot.path`` unless the file changed since the snapshot; the
    check is made once before writing and again right before the rename."""
    changed = InputError("changed on disk since it was read; not overwritten (run fix again)", snapshot.path)
    path = Path(os.path.realpath(snapshot.path))  # through a symbolic link: replace the file, keep the link

    def check() -> None:
        if not snapshot.unchanged():
            raise changed

    check()
    with atomic_open(path, "wb", before_replace=check, error=InputError) as handle:
        handle.write(data)
