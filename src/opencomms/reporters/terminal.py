"""The terminal report: per document a score table and readability figures, then the findings by
aspect with ``path:line:col``, the sentence with the match highlighted, the message and the remedy."""

from __future__ import annotations

import re

from rich.console import Console
from rich.table import Table
from rich.text import Text

from opencomms.finding import Level
from opencomms.principles import ASPECTS

_ONE_SPACE = re.compile(r"\s+")

LEVEL_STYLE = {Level.error: "bold red", Level.warning: "yellow", Level.suggestion: "cyan"}
LEVEL_LABEL = {Level.error: "fout", Level.warning: "waarschuwing", Level.suggestion: "suggestie"}
METRIC_LABELS = [
    ("level", "leesniveau (1 makkelijk - 4 zeer moeilijk)"),
    ("words", "woorden"),
    ("sentences", "zinnen"),
    ("words_per_sentence", "woorden per zin"),
    ("words_per_clause", "woorden per deelzin"),
    ("syllables_per_word", "lettergrepen per woord"),
    ("long_word_share", "aandeel lange woorden"),
    ("infrequent_word_share", "aandeel weinig gebruikte woorden"),
    ("max_dependency_length", "gem. langste afstand in de zin"),
    ("content_words_per_finite_verb", "inhoudswoorden per persoonsvorm"),
    ("flesch_douma", "Flesch-Douma (oud)"),
    ("leesindex_a", "Leesindex A (oud)"),
]
CONTEXT_WIDTH = 160


def _score_style(score) -> str:
    if score is None:
        return "dim"
    return "green" if score >= 80 else "yellow" if score >= 60 else "red"


def render(report, stream, color: bool = True) -> None:
    # not a terminal: no colours and no hard line breaks, so every finding stays on its own lines
    console = Console(file=stream, no_color=not color, highlight=False, soft_wrap=not color,
                      width=None if color else 200, force_terminal=color or None)
    for result in report.results:
        _document(console, result)
    for failure in report.failures:
        console.print(Text(f"{failure.path}: fout: {failure.message}", style="bold red"))
    _across(console, report)
    _checklist(console, report)
    _summary(console, report)


def _across(console: Console, report) -> None:
    if report.across is None:
        return
    console.print()
    console.rule(Text("Eén stem: woorden in deze documenten vergeleken", style="bold"))
    if not report.across:
        console.print(Text("Alle documenten gebruiken dezelfde woorden voor dezelfde begrippen."))
    for item in report.across:
        console.print(Text(f"'{item['concept']}' wordt op verschillende manieren genoemd:", style="yellow"))
        for variant in item["variants"]:
            docs = ", ".join(variant["documents"][:5]) + (" …" if len(variant["documents"]) > 5 else "")
            console.print(Text(f"    {variant['term']}: {docs}"))


def _checklist(console: Console, report) -> None:
    questions: list[str] = []
    for result in report.results:
        for item in result.checklist:
            if item["question"] not in questions:
                questions.append(item["question"])
    if questions:
        console.print()
        console.print(Text("Controleer zelf (dit kan opencomms niet beoordelen):", style="bold"))
        for question in questions:
            console.print(Text(f"  [ ] {question}"))


def _document(console: Console, result) -> None:
    path = result.source.path
    scores = result.scores
    console.print()
    console.rule(Text(f"{path}  (profiel: {result.profile})", style="bold"))
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("Aspect")
    table.add_column("Principe")
    table.add_column("Score", justify="right")
    table.add_column("Bevindingen", justify="right")
    for aspect in scores.get("principles", []):
        counts = aspect["findings"]
        value = aspect["score"]
        table.add_row(
            aspect["title"],
            f"{aspect['principle']}. {aspect['principle_title']}",
            Text("-" if value is None else str(value), style=_score_style(value)),
            f"{counts['error']} / {counts['warning']} / {counts['suggestion']}",
        )
    total = scores.get("score")
    table.add_row(Text("Totaal", style="bold"), "", Text("-" if total is None else str(total), style="bold " + _score_style(total)), "fout / waarsch. / sugg.")
    console.print(table)
    metrics = result.metrics or {}
    shown = [f"{label}: {metrics[key]}" for key, label in METRIC_LABELS if metrics.get(key) is not None]
    console.print(Text("Leesbaarheid: " + " · ".join(shown), style="dim"))
    for skipped in result.skipped:
        console.print(Text(f"overgeslagen: {skipped.rule} ({skipped.reason})", style="dim"))
    key_messages = metrics.get("key_messages")
    if key_messages:
        carried = [m for m in key_messages if m["carried"]]
        console.print(Text(f"Kernboodschappen: {len(carried)} van {len(key_messages)} aanwezig", style="bold"))
        for m in key_messages:
            mark = "✓" if m["carried"] else "✗"
            console.print(Text(f"  {mark} {m['topic']}: {m['text']}", style="green" if m["carried"] else "red"))
    groups = [(f"{a.title} ({a.principle}. {a.principle_title})", [f for f in result.findings if f.principle == i])
              for i, a in ASPECTS.items()]
    groups.append(("Overig: opmerkingen over de tekst zelf", [f for f in result.findings if f.principle not in ASPECTS]))
    for title, findings in groups:
        if not findings:
            continue
        console.print()
        console.print(Text(title, style="bold underline"))
        for f in findings:
            _finding(console, path, f)


def _finding(console: Console, path: str, f) -> None:
    head = Text()
    head.append(f"{path}:{f.line}:{f.column}", style="bold")
    head.append("  ")
    head.append(LEVEL_LABEL[f.level], style=LEVEL_STYLE[f.level])
    head.append(f"  {f.message}")
    head.append(f"  [{f.rule}]", style="dim")
    console.print(head)
    if f.context:
        console.print(_context(f))
    if f.suggestions:
        console.print(Text("    beter: " + " | ".join(f.suggestions[:4]), style="green"))


def _context(f) -> Text:
    ctx = f.context
    start = f.offset - f.context_offset
    end = min(len(ctx), start + (f.end_offset - f.offset))
    if start < 0 or start > len(ctx):
        start = end = 0
    # keep the match in view for long sentences
    left = max(0, start - 60)
    right = min(len(ctx), max(end + 60, left + CONTEXT_WIDTH))
    if f.scope != "sentence" and end - start > CONTEXT_WIDTH:
        right = min(len(ctx), left + CONTEXT_WIDTH)
    snippet = Text("    ")
    snippet.append("…" if left > 0 else "")
    pieces = [(ctx[left:start], ""), (ctx[start:min(end, right)], "bold reverse"), (ctx[min(end, right):right], "")]
    for piece, style in pieces:
        # a line break becomes a space; the space beside the match stays ('getoond aan', not 'getoondaan')
        snippet.append(_ONE_SPACE.sub(" ", piece) if "\n" in piece else piece, style=style)
    snippet.append("…" if right < len(ctx) else "")
    return snippet


def _summary(console: Console, report) -> None:
    console.print()
    console.print(Text(f"{report.checked()}: {report.tally()}", style="bold"))
