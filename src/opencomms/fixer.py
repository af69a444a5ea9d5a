"""Applying fixes: data ``(offset, end_offset, replacement)`` applied to the original text in reverse
order; overlapping fixes are refused (the later one is dropped)."""

from __future__ import annotations

from opencomms.finding import Fix


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
