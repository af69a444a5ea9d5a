"""Plain text: decoding, blocks separated by blank lines, URLs left unchecked."""

from __future__ import annotations

import codecs
import re

from opencomms.errors import InputError
from opencomms.source import Block, Source

URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")
LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+")
BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 with BOM, or cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise InputError(f"invalid UTF-8 after a UTF-8 byte order mark (byte {exc.start})", name) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError("invalid UTF-16", name) from None
    if b"\x00" in data[:8192]:
        raise InputError("looks like a binary file, not text", name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise InputError("unknown text encoding (not UTF-8 or Windows-1252)", name) from None


def blank(text: str, start: int = 0, end: int | None = None) -> str:
    """Spaces for every character of ``text[start:end]`` except line breaks."""
    part = text[start:end]
    return re.sub(r"[^\n\r]", " ", part)


def mask(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] not in "\r\n":
            chars[i] = " "


def mask_urls(text: str, chars: list[str], start: int = 0, end: int | None = None) -> None:
    for m in URL.finditer(text, start, len(text) if end is None else end):
        mask(chars, m.start(), m.end())


def url_masked(text: str) -> str:
    """``text`` with its URLs replaced by spaces (line breaks kept), for ``Source.checked``."""
    chars = list(text)
    mask_urls(text, chars)
    return "".join(chars)


def join_regions(pieces: list[tuple[str, dict]]) -> tuple[str, list[tuple[int, dict]]]:
    """Pieces (pages, paragraphs) joined by blank lines, with the offset at which each starts and what it is
    (``Source.regions``)."""
    regions, offset = [], 0
    for piece, where in pieces:
        regions.append((offset, where))
        offset += len(piece) + 2
    return "\n\n".join(piece for piece, _ in pieces), regions


def split_blocks(text: str, checked: str, start: int, end: int, kind: str = "paragraph") -> list[Block]:
    """Blocks of ``checked[start:end]`` separated by blank lines; list items each get their own block.

    List markers are recognised in the source ``text``; blocks are trimmed on the ``checked`` text.
    """
    blocks: list[Block] = []
    pos = start
    for sep in BLANK_LINE.finditer(checked, start, end):
        blocks.extend(_block_lines(text, checked, pos, sep.start(), kind))
        pos = sep.end() - 1
    blocks.extend(_block_lines(text, checked, pos, end, kind))
    return blocks


# a line that a heading cannot end on: a hard-wrapped sentence breaks after these
_WRAP_WORDS = frozenset(
    "de het een en of van in op aan met voor door om te bij naar over uit tot als dan dat die dit deze"
    " is zijn wordt worden kan moet niet ook maar zo al".split()
)


def _heading_like(line: str, before: str | None, after: str, widest: int) -> bool:
    """A short line without final punctuation, at the start of a block or after a sentence end, followed by
    a line that starts with a capital: a heading typed without a blank line under it ('Advies' above the
    advice). A hard-wrapped sentence has lines of about the same width (``widest``: the longest other line of
    the block), ends them on a function word, or runs on with a lower-case word."""
    words = line.split()
    if not words or len(words) > 8 or len(line.strip()) > min(60, 0.6 * widest) or line.rstrip()[-1] in ".!?:;,-(–":
        return False
    if words[-1].lower() in _WRAP_WORDS or "|" in line:
        return False
    if before is not None and before.rstrip()[-1:] not in (".", "!", "?", ":"):
        return False
    first = after.lstrip()[:1]
    return first.isupper() and not LIST_MARKER.match(after)


def _block_lines(text: str, checked: str, start: int, end: int, kind: str) -> list[Block]:
    lines = text[start:end].split("\n")
    if len(lines) == 1:
        block = _trimmed(checked, start, end, kind)
        return [block] if block else []
    out, pos, para = [], start, start
    listed = any(LIST_MARKER.match(line) for line in lines)
    lengths = sorted(((len(line), i) for i, line in enumerate(lines)), reverse=True)[:2]

    def widest_other(i: int) -> int:  # the longest line of the block other than line i
        return lengths[1][0] if lengths[0][1] == i else lengths[0][0]

    for i, line in enumerate(lines):
        line_end = pos + len(line)
        if listed and LIST_MARKER.match(line):
            out.extend(b for b in (_trimmed(checked, para, pos, kind), _trimmed(checked, pos, line_end, "list_item")) if b)
            para = line_end + 1
        elif i + 1 < len(lines) and _heading_like(
            line, lines[i - 1] if i and para < pos else None, lines[i + 1], widest_other(i)
        ):
            out.extend(b for b in (_trimmed(checked, para, pos, kind), _trimmed(checked, pos, line_end, "heading")) if b)
            para = line_end + 1
        elif listed:
            out.extend(b for b in (_trimmed(checked, pos, line_end, kind),) if b)
            para = line_end + 1
        pos = line_end + 1
    block = _trimmed(checked, para, end, kind)
    if block:
        out.append(block)
    return out


def _trimmed(text: str, start: int, end: int, kind: str) -> Block | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Block(start, end, kind) if end > start else None


def parse(data: bytes, name: str) -> Source:
    text, encoding = decode(data, name)
    chars = list(text)
    mask_urls(text, chars)
    for m in re.finditer(r"(?m)^[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+", text):
        mask(chars, m.start(), m.end())
    checked = "".join(chars)
    return Source(name, text, checked, split_blocks(text, checked, 0, len(text)), "text", encoding)
