"""OpenDocument text (.odt, odfpy): paragraphs, headings, lists and tables in reading order.

Like the DOCX reader: ``Source.text`` is the extracted text, paragraphs separated by a blank line, and
every finding carries ``{"paragraph": n, "character": c}``; when the file records page breaks
(``text:soft-page-break``, written by LibreOffice on save) also ``"page"``. Comments (annotations),
notes, tracked deletions and text in drawings are left out. Whitespace follows the ODF rules:
runs of white space collapse to one space, ``text:s`` adds spaces, ``text:tab`` a tab and
``text:line-break`` a line break. The archive is checked for ZIP bombs before odfpy opens it.
"""

from __future__ import annotations

import io
import re

from opencomms.errors import InputError
from opencomms.readers.docx import build, check_zip
from opencomms.source import Source

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
DC = "http://purl.org/dc/elements/1.1/"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"

_WHITE = re.compile(r"[ \t\r\n]+")
# Inline containers whose content is part of the paragraph text.
_INLINE = {(TEXT, n) for n in ("span", "a", "meta", "ruby", "ruby-base", "bookmark-ref", "reference-ref",
                               "sequence", "date", "time", "page-number", "chapter", "title", "subject",
                               "author-name", "sender-name", "hidden-text", "conditional-text")}
# Block containers walked for their paragraphs.
_SECTIONS = {(TEXT, "section"), (TEXT, "list-header"), (TEXT, "list-item"), (TABLE, "table-header-rows"),
             (TABLE, "table-rows"), (TABLE, "table-row-group"), (TABLE, "table-row"), (OFFICE, "text")}


class _State:
    def __init__(self) -> None:
        self.page = 1
        self.breaks = False
        self.paragraphs: list[tuple[str, str]] = []
        self.pages: list[int] = []


def parse(data: bytes, name: str) -> Source:
    check_zip(data, name, "ODT")
    try:
        from odf import opendocument

        document = opendocument.load(io.BytesIO(data))
        if getattr(document, "text", None) is None or not document.mimetype.startswith("application/vnd.oasis.opendocument.text"):
            raise InputError(f"not an OpenDocument text file (it is {document.mimetype or 'unknown'})", name)
        state = _State()
        _walk(document.text, state, None)
        metadata = _metadata(document)
    except InputError:
        raise
    except ImportError:
        raise InputError("reading this format needs the package odfpy (pip install odfpy)", name) from None
    except Exception as exc:  # odfpy, expat and zipfile raise many types on broken files
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"not a valid ODT file ({text[:200]})", name) from None
    return build(name, state.paragraphs, "odt", metadata, state.pages if state.breaks else None)


def _walk(element, state: _State, kind: str | None) -> None:
    for child in element.childNodes:
        qname = getattr(child, "qname", None)
        if qname is None:
            continue
        if qname in ((TEXT, "p"), (TEXT, "h")):
            page = state.page
            text = _paragraph_text(child, state).strip(" ")
            state.paragraphs.append((text, kind or ("heading" if qname[1] == "h" else "paragraph")))
            state.pages.append(page)
        elif qname == (TEXT, "list"):
            _walk(child, state, "list_item" if kind != "table_cell" else kind)
        elif qname == (TABLE, "table"):
            _walk(child, state, "table_cell")
        elif qname == (TABLE, "table-cell"):
            _walk(child, state, "table_cell")
        elif qname == (TEXT, "soft-page-break"):
            state.page += 1
            state.breaks = True
        elif qname in _SECTIONS:
            _walk(child, state, kind)
        # tracked changes (deleted text), table of contents, forms and declarations are not the text


def _paragraph_text(paragraph, state: _State) -> str:
    parts: list[str] = []

    def visit(element) -> None:
        for child in element.childNodes:
            qname = getattr(child, "qname", None)
            if qname is None:
                if getattr(child, "nodeType", None) == child.TEXT_NODE:
                    parts.append(_WHITE.sub(" ", child.data))
                continue
            if qname == (TEXT, "s"):
                count = child.getAttrNS(TEXT, "c")
                parts.append(" " * min(int(count) if count and count.isdigit() else 1, 1000))
            elif qname == (TEXT, "tab"):
                parts.append("\t")
            elif qname == (TEXT, "line-break"):
                parts.append("\n")
            elif qname == (TEXT, "soft-page-break"):
                state.page += 1
                state.breaks = True
            elif qname in _INLINE:
                visit(child)
            # office:annotation (comments), text:note, text:change markers, drawings: not text

    visit(paragraph)
    return "".join(parts).replace("\u00ad", "")


def _metadata(document) -> dict:
    found: dict = {}
    names = {(DC, "title"): "title", (DC, "creator"): "author", (META, "initial-creator"): "author",
             (META, "creation-date"): "created", (DC, "description"): "description", (DC, "date"): "date"}
    meta = getattr(document, "meta", None)
    for child in getattr(meta, "childNodes", []):
        key = names.get(getattr(child, "qname", None))
        if key and key not in found:
            value = str(child).strip()
            if value:
                found[key] = value
    return found
