"""``--format markdown``: a summary for a pull-request comment.

A heading with the totals, a table with one row per document (score and counts per level), then per
document with findings a collapsible table of them (place, level, message, suggestion). Long lists are
cut at ``MAX_ROWS`` per document so the comment stays under the size limits of code hosts.
"""

from __future__ import annotations

import html

from opencomms.finding import Level
from opencomms.report import amount

LABEL = {Level.error: "fout", Level.warning: "waarschuwing", Level.suggestion: "suggestie"}
MAX_ROWS = 50


def cell(value) -> str:
    text = " ".join(str(value).split())
    for char in "\\|`*_<>[]":
        text = text.replace(char, "\\" + char)
    return text


def render(report, stream, color: bool = False) -> None:
    status = "✅" if report.exit_code() == 0 else "❌"
    w = stream.write
    w(f"### {status} opencomms: {report.checked()}\n\n")
    w(f"{report.tally()}.\n\n")
    if report.results:
        w("| Document | Profiel | Score | Fouten | Waarschuwingen | Suggesties |\n")
        w("|---|---|---:|---:|---:|---:|\n")
        for result in report.results:
            c = {level: sum(1 for f in result.findings if f.level == level) for level in Level}
            score = result.scores.get("score")
            w(f"| {cell(result.source.path)} | {cell(result.profile)} | {'-' if score is None else score} "
              f"| {c[Level.error]} | {c[Level.warning]} | {c[Level.suggestion]} |\n")
        w("\n")
    for failure in report.failures:
        w(f"- ⚠️ **{cell(failure.path)}**: niet te lezen ({cell(failure.message)})\n")
    if report.failures:
        w("\n")
    for result in report.results:
        if not result.findings:
            continue
        path = result.source.path
        w(f"<details><summary>Bevindingen in <code>{html.escape(path)}</code> ({len(result.findings)})</summary>\n\n")
        w("| Plaats | Niveau | Melding | Beter | Regel |\n|---|---|---|---|---|\n")
        for finding in result.findings[:MAX_ROWS]:
            where = f"{finding.line}:{finding.column}"
            if finding.location.get("page"):
                where += f" (p. {finding.location['page']})"
            w(f"| {where} | {LABEL[finding.level]} | {cell(finding.message)} "
              f"| {cell(' | '.join(finding.suggestions[:3]))} | `{finding.rule}` |\n")
        if len(result.findings) > MAX_ROWS:
            w(f"\n… en nog {amount(len(result.findings) - MAX_ROWS, 'bevinding', 'bevindingen')}; zie het volledige rapport.\n")
        w("\n</details>\n\n")
