"""HTML: the main content is checked, in place, so positions are line and column in the HTML source.

The checked text starts all blank; only the character data of content elements is copied back at its
own offset. Entities are decoded in place: the decoded character takes the ``&`` and the rest of the
reference becomes spaces (``&amp;`` → ``&    ``), so the checked text keeps the source's length.
Known limit: an entity inside a word (``co&ouml;rdinatie``) splits the word in the checked text; pages
written in UTF-8 rarely do this.

What counts as content: when the page has a ``<main>``, only what is inside it; else, when it has
``<article>`` elements, only what is inside them; else the whole ``<body>``. Never: ``head``, ``nav``,
``aside``, ``script``, ``style``, ``template``, ``noscript``, code (``pre``, ``code``, ...), forms and
embedded media; ``header`` and ``footer`` outside ``main``/``article`` (site banners), but a
``header`` inside an article (its title) is kept.

Block elements (``p``, ``h1``-``h6``, ``li``, ``td``, ``th``, ``dd``, ``dt``, ``blockquote``,
``figcaption``, ``div``, ...) start and end blocks: sentences never cross them. ``<br>`` does not.

Metadata: ``<title>``, and ``<meta name=...>`` author, description and date (also ``dcterms.*`` and
``article:published_time``); ``<meta name="opencomms-profile">`` picks the profile, like front matter.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

from opencomms.errors import InputError
from opencomms.readers.text import decode, mask_urls
from opencomms.source import Block, Source

# Elements whose content is never prose.
SKIP_ALWAYS = frozenset(
    "head script style template noscript nav aside pre code kbd samp var svg math "
    "button select option textarea iframe object canvas audio video map form".split()
)
SKIP_OUTSIDE_MAIN = frozenset({"header", "footer"})
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
BLOCK_KIND = {
    **{f"h{i}": "heading" for i in range(1, 7)},
    "li": "list_item",
    "dt": "list_item",
    "dd": "list_item",
    "td": "table_cell",
    "th": "table_cell",
    "caption": "paragraph",
    "p": "paragraph",
    "blockquote": "paragraph",
    "figcaption": "paragraph",
    "div": "paragraph",
    "section": "paragraph",
    "article": "paragraph",
    "main": "paragraph",
    "body": "paragraph",
    "header": "paragraph",
    "footer": "paragraph",
    "address": "paragraph",
    "details": "paragraph",
    "summary": "paragraph",
    "figure": "paragraph",
    "ul": "paragraph",
    "ol": "paragraph",
    "dl": "paragraph",
    "table": "paragraph",
    "tr": "paragraph",
    "hr": "paragraph",
}
# An open element of this kind is closed implicitly when one of these starts (HTML's optional end tags).
IMPLIED_CLOSE = {
    "p": frozenset(BLOCK_KIND) - {"body", "main", "article", "section"},
    "li": frozenset({"li"}),
    "dt": frozenset({"dt", "dd"}),
    "dd": frozenset({"dt", "dd"}),
    "td": frozenset({"td", "th", "tr"}),
    "th": frozenset({"td", "th", "tr"}),
    "tr": frozenset({"tr"}),
}
META_KEYS = {
    "author": "author",
    "dcterms.creator": "author",
    "dc.creator": "author",
    "description": "description",
    "dcterms.description": "description",
    "date": "date",
    "dcterms.date": "date",
    "dcterms.issued": "date",
    "dcterms.created": "date",
    "dc.date": "date",
    "article:published_time": "date",
    "opencomms-profile": "opencomms-profile",
}
_SPACES = {"\xa0", "\u2007", "\u202f"}


class _Events(HTMLParser):
    """Records tags, character data and references with their offsets in the source."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = _line_starts(text)
        self.events: list[tuple] = []
        self.has_main = False
        self.has_article = False

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        self.has_main |= tag == "main"
        self.has_article |= tag == "article"
        self.events.append(("start", tag, attrs, self._offset()))

    def handle_startendtag(self, tag, attrs):
        self.events.append(("start", tag, attrs, self._offset()))
        if tag not in VOID:
            self.events.append(("end", tag, None, self._offset()))

    def handle_endtag(self, tag):
        self.events.append(("end", tag, None, self._offset()))

    def handle_data(self, data):
        self.events.append(("data", data, None, self._offset()))

    def handle_entityref(self, name):
        self._reference("&" + name)

    def handle_charref(self, name):
        self._reference("&#" + name)

    def _reference(self, raw: str) -> None:
        offset = self._offset()
        if self.text.startswith(";", offset + len(raw)):
            raw += ";"
        self.events.append(("ref", raw, None, offset))


def _line_starts(text: str) -> list[int]:
    starts = [0]
    pos = text.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def parse(data: bytes, name: str) -> Source:
    text, encoding = decode(data, name)
    parser = _Events(text)
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:  # HTMLParser is lenient; stay one clean error on anything it refuses
        raise InputError(f"cannot parse HTML ({exc})", name) from None
    chars = [c if c in "\r\n" else " " for c in text]
    metadata: dict = {}
    blocks: list[Block] = []
    stack: list[str] = []  # open elements (lower-case names)
    skip = 0  # depth inside elements that are never prose
    scope = "main" if parser.has_main else "article" if parser.has_article else None
    inside = 0 if scope else 1  # depth inside the content scope (or 1: the whole body)
    in_title = False
    title: list[str] = []
    block_start: int | None = None
    block_end = 0

    def kind() -> str:
        for tag in reversed(stack):
            if tag in BLOCK_KIND:
                return BLOCK_KIND[tag]
        return "paragraph"

    def flush() -> None:
        nonlocal block_start
        if block_start is not None:
            blocks.append(Block(block_start, block_end, current_kind))
            block_start = None

    current_kind = "paragraph"

    def content(start: int, end: int) -> None:
        nonlocal block_start, block_end, current_kind
        a, b = start, end
        while a < b and chars[a].isspace():
            a += 1
        while b > a and chars[b - 1].isspace():
            b -= 1
        if b > a:
            if block_start is None:
                block_start = a
                current_kind = kind()
            block_end = b

    def in_main() -> bool:
        return any(t in ("main", "article") for t in stack)

    def skipping(tag: str) -> bool:
        return tag in SKIP_ALWAYS or (tag in SKIP_OUTSIDE_MAIN and not in_main())

    def pop() -> None:
        nonlocal skip, inside
        open_tag = stack.pop()
        if skip:
            skip -= 1
        elif open_tag in BLOCK_KIND:
            flush()
        if open_tag == scope:
            inside -= 1

    for event, value, attrs, offset in parser.events:
        if event == "start":
            tag = value
            if tag == "title":
                in_title = True
            if tag == "meta":
                _meta(dict(attrs), metadata)
            if tag in VOID:
                if tag == "hr" and not skip:
                    flush()
                continue
            for open_tag, closers in IMPLIED_CLOSE.items():
                if tag in closers and stack and stack[-1] == open_tag:
                    pop()
            if skip or skipping(tag):
                skip += 1
            elif tag in BLOCK_KIND:
                flush()
            if tag == scope:
                inside += 1
            stack.append(tag)
        elif event == "end":
            if value == "title":
                in_title = False
            if value in stack:  # else a stray end tag
                while stack and stack[-1] != value:
                    pop()
                pop()
        elif in_title:
            title.append(value if event == "data" else html.unescape(value))
        elif skip or inside <= 0:
            continue
        elif event == "data":
            end = offset + len(value)
            chars[offset:end] = value
            content(offset, end)
        else:  # a character or entity reference, decoded in place
            decoded = html.unescape(value)
            if decoded == value or len(decoded) > len(value):
                continue  # unknown entity: not prose
            decoded = "".join(" " if c in _SPACES else c for c in decoded)
            chars[offset:offset + len(decoded)] = decoded
            content(offset, offset + len(decoded))
    flush()
    if title and "".join(title).strip():
        metadata.setdefault("title", " ".join("".join(title).split()))
    mask_urls("".join(chars), chars)
    checked = "".join(chars)
    # blocks may have lost their edges to URL masking
    blocks = [b for b in (_trim(checked, blk) for blk in blocks) if b]
    return Source(name, text, checked, blocks, "html", encoding, metadata)


def _trim(checked: str, block: Block) -> Block | None:
    a, b = block.start, block.end
    while a < b and checked[a].isspace():
        a += 1
    while b > a and checked[b - 1].isspace():
        b -= 1
    return Block(a, b, block.kind) if b > a else None


def _meta(attrs: dict, metadata: dict) -> None:
    key = (attrs.get("name") or attrs.get("property") or "").strip().lower()
    field = META_KEYS.get(key)
    value = attrs.get("content")
    if field and value and value.strip():
        metadata.setdefault(field, value.strip())
