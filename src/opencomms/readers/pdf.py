"""PDF (pypdf): the text layer, page by page; every finding carries ``{"page": n}``.

``Source.text`` is the extracted text: pages separated by a blank line, lines as the PDF lays them out,
so line and column refer to that text. Words hyphenated at a line end are joined while extracting
("weten-\\nschappen" → "wetenschappen"; "Noord-\\nHolland" keeps its hyphen: the next line starts with a
capital). Blocks are separated by blank lines; a PDF often has none between paragraphs, so a page may be
one block, and paragraph-length checks are less precise than for other formats.

Refused with one clear message: an encrypted PDF that does not open with an empty password, a PDF
without a text layer (a scan), more than ``MAX_PAGES`` pages, and anything pypdf cannot read.
"""

from __future__ import annotations

import io
import logging
import re

from opencomms.errors import InputError
from opencomms.readers.text import join_regions, split_blocks, url_masked
from opencomms.source import Source

MAX_PAGES = 2000
# a lower-case letter, a hyphen at the end of the line, the word going on in lower case on the next line
# (not before "en", "of", "tot": "midden-\nen kleinbedrijf" keeps its hyphen)
_HYPHENATED = re.compile(r"(?<=[a-zà-ÿ])[-\u00ad][ \t]*\n[ \t]*(?=[a-zà-ÿ])(?!(?:en|of|tot)\b)")
_TRAILING = re.compile(r"[ \t]+\n")
_BLANKS = re.compile(r"\n{3,}")


def join_hyphenation(text: str) -> str:
    return _HYPHENATED.sub("", text)


def parse(data: bytes, name: str) -> Source:
    if b"%PDF-" not in data[:1024]:
        raise InputError("not a PDF file (no %PDF header)", name)
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # warnings about sloppy PDFs are not the writer's
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:
                opened = 0
            if not opened:
                raise InputError("encrypted PDF (password protected): cannot be read", name)
        count = len(reader.pages)
        if count > MAX_PAGES:
            raise InputError(f"PDF has {count} pages (the limit is {MAX_PAGES})", name)
        pages = [_page_text(page) for page in reader.pages]
        info = reader.metadata or {}
        metadata = {
            key: str(info.get(field)).strip()
            for key, field in (("title", "/Title"), ("author", "/Author"), ("created", "/CreationDate"),
                               ("description", "/Subject"))
            if info.get(field) and str(info.get(field)).strip()
        }
    except InputError:
        raise
    except ImportError:
        raise InputError("reading this format needs the package pypdf (pip install pypdf)", name) from None
    except Exception as exc:  # pypdf raises many types on broken files
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"not a valid PDF file ({text[:200]})", name) from None
    if not any(page.strip() for page in pages):
        raise InputError("PDF has no text layer (scanned?): run OCR first", name)
    text, regions = join_regions([(page, {"page": number}) for number, page in enumerate(pages, 1)])
    checked = url_masked(text)
    return Source(name, text, checked, split_blocks(text, checked, 0, len(text)), "pdf", "utf-8", metadata, regions)


def _page_text(page) -> str:
    text = page.extract_text() or ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = _TRAILING.sub("\n", text)
    text = join_hyphenation(text)
    text = text.replace("\u00ad", "")
    return _BLANKS.sub("\n\n", text).strip("\n")
