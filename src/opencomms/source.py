"""A document as read from disk: its text, what of it is checked, and where its blocks are.

Readers never rewrite text. They return the decoded source and a *checked* copy of the same length in
which everything that is not prose (markup, code, URLs, comments, front matter) is blanked with spaces,
newlines kept. Offsets into the checked text are therefore offsets into the source: positions are
computed from them once and never searched for.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Block:
    """A paragraph, heading, list item or table cell: sentences never cross a block boundary."""

    start: int
    end: int
    kind: str = "paragraph"


@dataclass
class Source:
    path: str
    text: str
    checked: str
    blocks: list[Block]
    format: str = "text"
    encoding: str = "utf-8"
    metadata: dict = field(default_factory=dict)
    # per-format extra location (e.g. page or paragraph number) by offset; see ``locate``
    regions: list[tuple[int, dict]] = field(default_factory=list)
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if len(self.checked) != len(self.text):
            raise ValueError("checked text must have the same length as the source text")
        starts = [0]
        find = self.text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._line_starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a code-point offset."""
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def locate(self, offset: int) -> dict:
        """Extra location of an offset for formats with pages or numbered paragraphs."""
        if not self.regions:
            return {}
        index = bisect.bisect_right([start for start, _ in self.regions], offset) - 1
        return dict(self.regions[index][1]) if index >= 0 else {}

    def line_text(self, line: int) -> str:
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r")
