"""Markdown (CommonMark + tables + front matter): prose blocks checked, code, URLs and comments not.

markdown-it-py gives the block structure with line ranges; inside each prose block the inline markup
(emphasis, links, code spans, images, HTML tags and comments, template tags) is blanked in place.
"""

from __future__ import annotations

import html
import re

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from opencomms.errors import InputError
from opencomms.readers.text import URL, decode, mask
from opencomms.source import Block, Source

_MD = MarkdownIt("commonmark", {"html": True}).enable("table").use(front_matter_plugin)

# Inline constructs that are never prose, masked whole (order matters: code spans first).
_WHOLE = [
    re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)"),  # code span
    re.compile(r"<!--.*?-->", re.S),  # HTML comment
    re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S),  # Liquid/Jinja/Hugo template tags
    re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)|!\[[^\]\n]*\]\[[^\]\n]*\]"),  # images
    re.compile(r"<(?:https?://|mailto:)[^>\s]+>"),  # autolinks
    re.compile(r"\]\([^)\n]*\)|\]\[[^\]\n]*\]"),  # link destination or reference
    re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"),  # inline HTML tags
    re.compile(r"\\(?=[!-/:-@\[-`{-~])"),  # backslash escapes
    re.compile(r"(?<![\w*])\*{1,3}(?=\S)|(?<=\S)\*{1,3}(?![\w*])"),  # * emphasis delimiters
    re.compile(r"(?<![\w_])_{1,3}(?=\S)|(?<=\S)_{1,3}(?![\w_])"),  # _ emphasis delimiters
    re.compile(r"~~"),
    re.compile(r"\[\^[^\]\n]+\]:?"),  # footnote markers
]
_LINK_OPEN = re.compile(r"(?<!!)\[(?=[^\]\n]*\](?:\(|\[))")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_HEADING_MARK = re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t]+|$)|[ \t]+#+[ \t]*$|^[ \t]{0,3}(?:=+|-+)[ \t]*$", re.M)
_QUOTE_MARK = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.M)
_LIST_MARK = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+\[[ xX]\])?[ \t]+", re.M)
_INDENT = re.compile(r"^[ \t]+", re.M)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer("\n", text):
        starts.append(m.end())
    return starts


def _mask_inline(text: str, chars: list[str], start: int, end: int) -> None:
    for pattern in _WHOLE:
        for m in pattern.finditer(text, start, end):
            mask(chars, m.start(), m.end())
    for m in _LINK_OPEN.finditer(text, start, end):
        mask(chars, m.start(), m.end())
    for m in URL.finditer(text, start, end):
        mask(chars, m.start(), m.end())
    for m in _ENTITY.finditer(text, start, end):
        if chars[m.start()] == "&":
            decoded = html.unescape(m.group())
            if len(decoded) == 1:
                chars[m.start()] = decoded
                mask(chars, m.start() + 1, m.end())


def _trim(chars: list[str], start: int, end: int) -> tuple[int, int]:
    while start < end and chars[start].isspace():
        start += 1
    while end > start and chars[end - 1].isspace():
        end -= 1
    return start, end


def parse(data: bytes, name: str) -> Source:
    text, encoding = decode(data, name)
    try:
        tokens = _MD.parse(text)
    except Exception as exc:  # markdown-it does not raise on valid text; be safe on hostile input
        raise InputError(f"cannot parse Markdown ({exc})", name) from None
    starts = _line_starts(text)
    n_lines = len(starts)

    def span(lines: list[int]) -> tuple[int, int]:
        a, b = lines
        end = starts[b] - 1 if b < n_lines else len(text)
        return starts[a], max(starts[a], end)

    chars = [c if c in "\r\n" else " " for c in text]
    blocks: list[Block] = []
    metadata: dict = {}
    stack: list[str] = []
    for i, tok in enumerate(tokens):
        if tok.type == "front_matter":
            metadata = _front_matter(tok.content, name)
            continue
        if tok.nesting == 1:
            stack.append(tok.type)
        elif tok.nesting == -1 and stack:
            stack.pop()
        if tok.type == "tr_open" and tok.map:
            blocks.extend(_table_row(text, chars, *span(tok.map)))
            continue
        if tok.type != "inline" or not tok.map or "tr_open" in stack:
            continue
        start, end = span(tok.map)
        chars[start:end] = text[start:end]
        parent = stack[-1] if stack else "paragraph_open"
        if parent == "heading_open":
            for m in _HEADING_MARK.finditer(text, start, end):
                mask(chars, m.start(), m.end())
            kind = "heading"
        else:
            kind = "list_item" if "list_item_open" in stack else "paragraph"
            first = _LIST_MARK.match(text, start) if kind == "list_item" else None
            if first:
                mask(chars, first.start(), first.end())
            if "blockquote_open" in stack:
                for m in _QUOTE_MARK.finditer(text, start, end):
                    mask(chars, m.start(), m.end())
            for m in _INDENT.finditer(text, start, end):
                mask(chars, m.start(), m.end())
        _mask_inline(text, chars, start, end)
        a, b = _trim(chars, start, end)
        if b > a:
            blocks.append(Block(a, b, kind))
    checked = "".join(chars)
    return Source(name, text, checked, blocks, "markdown", encoding, metadata)


def _table_row(text: str, chars: list[str], start: int, end: int) -> list[Block]:
    out = []
    cell_start = start
    for m in re.finditer(r"(?<!\\)\||$", text[start:end]):
        pos = start + m.start()
        if pos > cell_start:
            chars[cell_start:pos] = text[cell_start:pos]
            _mask_inline(text, chars, cell_start, pos)
            a, b = _trim(chars, cell_start, pos)
            if b > a:
                out.append(Block(a, b, "table_cell"))
        cell_start = pos + 1
    return out


def _front_matter(content: str, name: str) -> dict:
    try:
        data = yaml.safe_load(content) if content.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 2}" if mark else name
        raise InputError(f"invalid YAML front matter ({getattr(exc, 'problem', exc)})", where) from None
    if not isinstance(data, dict):
        raise InputError("front matter must be a YAML mapping", name)
    return data
