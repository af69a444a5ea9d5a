"""The one Finding type that checks produce and every reporter consumes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import IntEnum


class Level(IntEnum):
    suggestion = 1
    warning = 2
    error = 3

    @classmethod
    def parse(cls, name: str) -> "Level":
        return cls[name]


LEVEL_NAMES = [level.name for level in Level]


@dataclass(frozen=True)
class Fix:
    """Replace ``source[offset:end_offset]`` by ``replacement``."""

    offset: int
    end_offset: int
    replacement: str


@dataclass(frozen=True)
class Finding:
    rule: str
    category: str
    principle: str
    level: Level
    offset: int
    end_offset: int
    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    message: str
    suggestions: tuple[str, ...] = ()
    scope: str = "sentence"
    fix: Fix | None = None
    context: str = ""  # the sentence (or paragraph) the finding sits in, for reports
    context_offset: int = 0  # offset of ``context`` in the source
    location: dict = field(default_factory=dict, compare=False, hash=False)  # extra, per format (page, paragraph)

    @classmethod
    def at(cls, source, start: int, end: int, *, context: tuple[int, int] | None = None, **fields) -> "Finding":
        """A finding for ``source.text[start:end]``: positions, text and context (the given range, or the
        finding itself, stripped of surrounding whitespace) come from the source."""
        text = source.text
        ctx_start, ctx_end = context or (start, end)
        raw = text[ctx_start:ctx_end]
        line, column = source.position(start)
        end_line, end_column = source.position(end)
        return cls(offset=start, end_offset=end, line=line, column=column, end_line=end_line,
                   end_column=end_column, text=text[start:end], context=raw.strip(),
                   context_offset=ctx_start + len(raw) - len(raw.lstrip()), location=source.locate(start), **fields)

    @property
    def sort_key(self) -> tuple:
        return (self.offset, self.end_offset, self.rule)

    def to_dict(self) -> dict:
        data = {
            "rule": self.rule,
            "category": self.category,
            "principle": self.principle,
            "level": self.level.name,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "offset": self.offset,
            "end_offset": self.end_offset,
            "text": self.text,
            "message": self.message,
            "suggestions": list(self.suggestions),
            "scope": self.scope,
        }
        if self.fix is not None:
            data["fix"] = asdict(self.fix)
        if self.location:
            data["location"] = dict(self.location)
        return data
