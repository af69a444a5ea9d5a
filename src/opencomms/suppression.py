"""Inline suppression: comments in a document that switch rules off for part of it.

In Markdown and HTML::

    <!-- opencomms-disable begrijpelijk.passive -->   …   <!-- opencomms-enable begrijpelijk.passive -->
    <!-- opencomms-disable-next-line begrijpelijk.officialese, begrijpelijk.long-word -->

and, for the whole file, a comment in Markdown front matter::

    ---
    title: Persbericht
    # opencomms-disable een-stem.terminology
    ---

Rule ids are separated by commas or spaces; no id means every rule; a rule set name (``begrijpelijk``)
means every rule of that set; a rule's old id (alias) works too. ``disable`` holds until an ``enable``
naming the same id, or until the end of the file; an ``enable`` without ids ends every open
``disable``. ``disable-next-line`` covers the next line with text (blank lines are skipped). A finding
is suppressed when its start lies in a covered range.

A suppression that suppresses nothing is itself reported, as ``opencomms.unused-suppression`` (level
warning), so exceptions do not outlive the text they were made for; so is an id that names neither a rule
that ran nor a bundled rule (a typo). Ids of bundled rules that did not run on this document (another profile, a missing
pipeline capability, a rule switched off in the configuration) are not reported: their comments are not
stale, just idle here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from opencomms.finding import Finding, Level

RULE_ID = "opencomms.unused-suppression"
CATEGORY = "suppression"

_COMMENT = re.compile(r"<!--[ \t\r\n]*opencomms-(disable-next-line|disable|enable)(?![\w-])(.*?)-->", re.S)
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_FRONT_COMMENT = re.compile(r"^[ \t]*#[ \t]*opencomms-disable(?![\w-])([^\r\n]*)", re.M)
_SEPARATOR = re.compile(r"[\s,]+")


@dataclass
class Suppression:
    """One rule id (or ``None``: all rules) switched off from ``start`` to ``end`` by one comment."""

    rule: str | None
    start: int
    end: int
    comment_start: int
    comment_end: int
    used: bool = False

    def covers(self, finding: Finding, resolve) -> bool:
        return self.start <= finding.offset < self.end and (self.rule is None or finding.rule in resolve(self.rule))


def parse(source) -> list[Suppression]:
    """Every suppression in the document, in order of appearance."""
    text = source.text
    out: list[Suppression] = []
    front = _FRONT_MATTER.match(text) if source.format == "markdown" else None
    if front and front.group(1):
        base = front.start(1)
        for m in _FRONT_COMMENT.finditer(front.group(1)):
            for rule in _ids(m.group(1)):
                out.append(Suppression(rule, 0, len(text), base + m.start(), base + m.end()))
    if source.format not in ("markdown", "html"):
        return out
    open_ranges: list[Suppression] = []
    for m in _COMMENT.finditer(text):
        kind, ids = m.group(1), _ids(m.group(2))
        if kind == "disable":
            for rule in ids:
                record = Suppression(rule, m.end(), len(text), m.start(), m.end())
                out.append(record)
                open_ranges.append(record)
        elif kind == "enable":
            for record in list(open_ranges):
                if ids == [None] or record.rule in ids:
                    record.end = m.start()
                    open_ranges.remove(record)
        else:
            start, end = _next_line(source, m.end())
            for rule in ids:
                out.append(Suppression(rule, start, end, m.start(), m.end()))
    return out


def _ids(raw: str) -> list[str | None]:
    ids = [part for part in _SEPARATOR.split(raw.strip()) if part]
    return ids or [None]


def _next_line(source, offset: int) -> tuple[int, int]:
    """The offsets of the first line after the one ``offset`` is on that has checked text."""
    text, checked = source.text, source.checked
    pos = text.find("\n", offset)
    while pos != -1:
        start = pos + 1
        pos = text.find("\n", start)
        stop = len(text) if pos == -1 else pos
        if checked[start:stop].strip():
            return start, min(stop + 1, len(text))
    return len(text), len(text)


@lru_cache(maxsize=1)
def bundled_ids() -> frozenset[str]:
    """Ids and rule set names of the bundled rules (read from file names; nothing is compiled)."""
    from opencomms.resources import RULES_DIR
    from opencomms.ruleset import rule_files

    try:
        ids = {rule_id for rule_id, _path in rule_files([RULES_DIR])}
    except Exception:  # no bundled rules: every inactive id counts as unknown
        ids = set()
    return frozenset(ids | {rule_id.split(".")[0] for rule_id in ids})


def apply(source, findings: list[Finding], rules) -> list[Finding]:
    """The findings that no suppression covers, plus one finding per suppression that covered none."""
    suppressions = parse(source)
    if not suppressions:
        return findings
    active = {rule.id for rule in rules}
    aliases: dict[str, set[str]] = {}
    for rule in rules:
        for alias in rule.aliases:
            aliases.setdefault(alias, set()).add(rule.id)

    def resolve(name: str) -> set[str]:
        if name in active:
            return {name}
        if name in aliases:
            return aliases[name]
        return {rule_id for rule_id in active if rule_id.split(".")[0] == name}

    kept = []
    for finding in findings:
        covered = False
        for suppression in suppressions:
            if suppression.covers(finding, resolve):
                suppression.used = True
                covered = True
        if not covered:
            kept.append(finding)
    for suppression in suppressions:
        if suppression.used:
            continue
        if suppression.rule is not None and not resolve(suppression.rule):
            if suppression.rule in bundled_ids():
                continue  # a real rule that did not run here
            kept.append(_unused(source, suppression, unknown=True))
            continue
        kept.append(_unused(source, suppression))
    kept.sort(key=lambda f: f.sort_key)
    return kept


def _unused(source, suppression: Suppression, unknown: bool = False) -> Finding:
    start, end = suppression.comment_start, suppression.comment_end
    if unknown:
        message = (f"Er bestaat geen regel '{suppression.rule}', dus deze uitzondering onderdrukt niets. "
                   "Controleer de schrijfwijze; 'opencomms rules' toont alle regels.")
    elif suppression.rule is None:
        message = "Deze uitzondering onderdrukt geen enkele melding. Haal de opmerking weg."
    else:
        message = (f"De uitzondering voor '{suppression.rule}' onderdrukt geen enkele melding. "
                   f"Haal '{suppression.rule}' uit de opmerking, of haal de opmerking weg.")
    return Finding.at(source, start, end, rule=RULE_ID, category=CATEGORY, principle="", level=Level.warning,
                      message=message, scope="document")
