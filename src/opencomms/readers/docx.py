"""Word (.docx): paragraphs, headings, lists and tables in reading order; comments and deletions left out.

The body XML is walked in document order (python-docx's ``paragraphs`` and ``tables`` lists lose the
order between them). Text of tracked insertions is kept and of tracked deletions left out, as Word
shows the document after accepting all changes; comments, footnotes, field codes and text boxes are
not part of the text.

``Source.text`` is the extracted text, paragraphs separated by a blank line, so line and column refer
to that text; every finding also carries ``{"paragraph": n, "character": c}`` (the n-th non-empty
paragraph in reading order, the c-th character in it, both counted from 1): what a Word user can find.

A .docx is a ZIP archive: before python-docx opens it, the archive's declared sizes are checked
(members, total, per-member size and compression ratio) so a ZIP bomb is refused without unpacking it.
``zipfile`` never inflates a member beyond its declared size, so the check bounds memory.
"""

from __future__ import annotations

import bisect
import io
import zipfile

from opencomms.errors import InputError
from opencomms.readers.text import join_regions, url_masked
from opencomms.source import Block, Source

MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 128 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 100  # for members over RATIO_FLOOR bytes uncompressed
RATIO_FLOOR = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT = {W + "t"}
_NEWLINE = {W + "br", W + "cr"}
_TAB = {W + "tab", W + "ptab"}
# Containers whose children are part of the visible text.
_DESCEND = {W + n for n in ("r", "ins", "moveTo", "hyperlink", "smartTag", "customXml", "sdt", "sdtContent",
                            "fldSimple", "dir", "bdo")}


class ParagraphSource(Source):
    """A Source whose regions are numbered paragraphs: ``locate`` adds the character in the paragraph."""

    def locate(self, offset: int) -> dict:
        if not self.regions:
            return {}
        index = bisect.bisect_right([start for start, _ in self.regions], offset) - 1
        if index < 0:
            return {}
        start, where = self.regions[index]
        return {**where, "character": offset - start + 1}


def check_zip(data: bytes, name: str, what: str) -> None:
    """Refuse archives that are not ZIP files or that would unpack to too much (a ZIP bomb)."""
    if data.startswith(OLE_MAGIC):
        raise InputError(f"not a {what} file but an old binary Office file (save it as .{what.lower()})", name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise InputError(f"not a valid {what} file (corrupt, or not a ZIP archive)", name) from None
    if len(members) > MAX_MEMBERS:
        raise InputError(f"refused: the {what} archive has {len(members)} parts (possible ZIP bomb)", name)
    total = 0
    for member in members:
        size = member.file_size
        total += size
        if size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
            raise InputError(
                f"refused: the {what} archive unpacks to more than {MAX_TOTAL_BYTES // 2**20} MB (possible ZIP bomb)",
                name,
            )
        if size > RATIO_FLOOR and size > MAX_RATIO * max(member.compress_size, 1):
            raise InputError(
                f"refused: part {member.filename!r} of the {what} archive is compressed "
                f"{size // max(member.compress_size, 1)}:1 (possible ZIP bomb)",
                name,
            )


def parse(data: bytes, name: str) -> Source:
    check_zip(data, name, "DOCX")
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        styles = {style.style_id: (style.name or "").lower() for style in document.styles}
        paragraphs: list[tuple[str, str]] = []
        _walk(document.element.body, styles, paragraphs, None)
        props = document.core_properties
        metadata = {
            key: value
            for key, value in (
                ("title", props.title),
                ("author", props.author),
                ("created", props.created.isoformat() if props.created else None),
                ("description", props.subject),
            )
            if value
        }
    except InputError:
        raise
    except ImportError:
        raise InputError("reading this format needs the package python-docx (pip install python-docx)", name) from None
    except Exception as exc:  # python-docx, lxml and zipfile raise many types on broken files
        raise InputError(f"not a valid DOCX file ({_reason(exc)})", name) from None
    return build(name, paragraphs, "docx", metadata)


def build(name: str, paragraphs: list[tuple[str, str]], fmt: str, metadata: dict,
          pages: list[int] | None = None) -> Source:
    """A ParagraphSource of (text, kind) paragraphs joined by blank lines; empty ones are left out."""
    kept = [(i, text, kind) for i, (text, kind) in enumerate(paragraphs) if text.strip()]
    text, regions = join_regions([
        (piece, {"paragraph": number} if pages is None else {"paragraph": number, "page": pages[i]})
        for number, (i, piece, _kind) in enumerate(kept, 1)
    ])
    checked = url_masked(text)
    blocks = []
    for (start, _where), (_i, piece, kind) in zip(regions, kept):
        block = Block(start + len(piece) - len(piece.lstrip()), start + len(piece.rstrip()), kind)
        if checked[block.start:block.end].strip():
            blocks.append(block)
    return ParagraphSource(name, text, checked, blocks, fmt, "utf-8", metadata, regions)


def _reason(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]


def _walk(element, styles: dict, out: list, cell_kind: str | None) -> None:
    for child in element:
        tag = child.tag
        if tag == W + "p":
            text = _paragraph_text(child).replace("\x00", " ").replace("\u00ad", "")  # soft hyphens hide
            out.append((text, cell_kind or _kind(child, styles)))
        elif tag == W + "tbl":
            for row in child.iter(W + "tr"):
                if _parent_table(row) is not child:
                    continue  # rows of a nested table are walked through their cell
                for cell in row:
                    if cell.tag == W + "tc":
                        _walk(cell, styles, out, "table_cell")
                    elif cell.tag in (W + "sdt", W + "customXml"):
                        for inner in cell.iter(W + "tc"):
                            _walk(inner, styles, out, "table_cell")
        elif tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "moveTo"):
            _walk(child, styles, out, cell_kind)


def _parent_table(row):
    parent = row.getparent()
    while parent is not None and parent.tag != W + "tbl":
        parent = parent.getparent()
    return parent


def _paragraph_text(paragraph) -> str:
    parts: list[str] = []

    def visit(element) -> None:
        for child in element:
            tag = child.tag
            if tag in _TEXT:
                parts.append(child.text or "")
            elif tag in _TAB:
                parts.append("\t")
            elif tag in _NEWLINE:
                parts.append("\n")
            elif tag == W + "noBreakHyphen":
                parts.append("-")
            elif tag in _DESCEND:
                visit(child)
            # everything else (w:del, w:moveFrom, w:delText, w:instrText, comments, footnote references,
            # drawings, text boxes, properties) is not part of the paragraph's text

    visit(paragraph)
    return "".join(parts)


def _kind(paragraph, styles: dict) -> str:
    ppr = paragraph.find(W + "pPr")
    style = ""
    if ppr is not None:
        pstyle = ppr.find(W + "pStyle")
        if pstyle is not None:
            style_id = pstyle.get(W + "val") or ""
            style = styles.get(style_id, style_id.lower())
        if ppr.find(W + "outlineLvl") is not None:
            return "heading"
        if ppr.find(W + "numPr") is not None:
            return "list_item"
    if style.startswith(("heading", "kop", "title", "titel")):
        return "heading"
    if style.startswith(("list", "lijst")):
        return "list_item"
    return "paragraph"
