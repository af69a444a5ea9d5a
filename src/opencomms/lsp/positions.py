"""LSP positions ↔ our offsets.

Our offsets and columns count code points. LSP counts lines split on ``\\n``, ``\\r\\n`` and ``\\r`` only (not
on form feeds or U+2028, which ``str.splitlines`` would split on), and characters in the *position
encoding* agreed at ``initialize``: UTF-16 code units by default (a character outside the Basic
Multilingual Plane, such as most emoji, counts 2), or UTF-8 bytes, or UTF-32 (code points).
"""

from __future__ import annotations

import bisect
import re

LINE_BREAK = re.compile(r"\r\n|\r|\n")

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def units(text: str, encoding: str = UTF16) -> int:
    """Length of ``text`` in the code units of ``encoding``."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


class LineIndex:
    """Line starts of one text, for converting offsets to (line, character) and back."""

    def __init__(self, text: str, encoding: str = UTF16):
        self.text = text
        self.encoding = str(encoding)
        self.starts = [0]
        self.ends = []  # where each line's content ends (before its line break)
        for m in LINE_BREAK.finditer(text):
            self.ends.append(m.start())
            self.starts.append(m.end())
        self.ends.append(len(text))

    def position(self, offset: int) -> tuple[int, int]:
        """0-based (line, character) of a code-point offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        offset = min(offset, self.ends[line])  # inside a \r\n pair: the end of the line
        return line, units(self.text[start:offset], self.encoding)

    def offset(self, line: int, character: int) -> int:
        """Code-point offset of a 0-based LSP position (clamped to the line, as the protocol asks)."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self.ends[line]
        if self.encoding == UTF32:
            return min(start + max(character, 0), end)
        count = 0
        for i in range(start, end):
            if count >= character:
                return i
            count += units(self.text[i], self.encoding)
        return end


def apply_change(text: str, start: tuple[int, int], end: tuple[int, int], new: str, encoding: str = UTF16) -> str:
    """``text`` with the LSP range ``start``–``end`` replaced by ``new``."""
    index = LineIndex(text, encoding)
    a, b = index.offset(*start), index.offset(*end)
    if b < a:
        a, b = b, a
    return text[:a] + new + text[b:]
