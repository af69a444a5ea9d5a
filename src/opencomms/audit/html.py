"""The audit report: one self-contained HTML file (no network, no external files) for a meeting screen.

Everything is computed in SQL aggregates, so the report of a million documents is as small as that of a
thousand. Charts are inline SVG drawn here in Python (``role="img"`` with ``<title>`` and ``<desc>``), each
followed by a table with the same numbers. The page reads fine without JavaScript; a little inline script
adds filters (organisation, year, document type): it recomputes the numbers from an embedded aggregate
"cube" and moves the bars and lines that Python drew. When it has run it sets ``data-ready="1"`` on
``<html>``; errors are written into ``#js-errors``.

Labels are Dutch (B1): this is read by communicators, not by developers.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections import defaultdict
from pathlib import Path

from opencomms import __version__
from opencomms.atomic import write_text
from opencomms.audit.store import ASPECT_COLUMNS, Store
from opencomms.principles import ASPECTS, CATEGORIES
from opencomms.report import amount, nl

MAX_ORGS = 24
MAX_TYPES = 14
MAX_RULES = 12
LOWEST = 15
UNKNOWN = "Onbekend"
OTHER_ORGS = "Overige organisaties"
OTHER_TYPES = "Overige soorten"

# Score bands (text on white ≥ 4.5:1, marks ≥ 3:1; checked in tests/test_audit_report.py)
BANDS = [(80, "goed", "#1c6e3d"), (60, "matig", "#8a5a00"), (0, "zwak", "#b0302a")]
# Series colours for the lines (≥ 3:1 on white), each with its own dash and marker, so colour is not the only cue
SERIES = [
    ("#1f4e99", "", "circle"),
    ("#b2401e", "6 3", "square"),
    ("#1c6e3d", "2 3", "triangle"),
    ("#7b3fa0", "8 3 2 3", "diamond"),
    ("#7a5a00", "1 2", "circle"),
]
OVERALL_COLOR = "#1a1a1a"
INK = "#1a1a1a"
MUTED = "#555555"
GRID = "#d0d0d0"
ACCENT = "#154273"

MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def n_documents(n) -> str:
    """'1 document', '12.345 documenten'."""
    return amount(n, "document", "documenten", nl)


def band(score) -> tuple[str, str]:
    if score is None:
        return "geen score", MUTED
    for low, name, color in BANDS:
        if score >= low:
            return name, color
    return BANDS[-1][1], BANDS[-1][2]


def period_label(period: str) -> str:
    if len(period) == 7:
        return f"{MONTHS[int(period[5:7]) - 1]} {period[:4]}"
    return period


# -- data --------------------------------------------------------------------------------------------


def gather(store: Store) -> dict:
    """Every number the report shows, from SQL aggregates (memory does not grow with the archive)."""
    conn = store.conn
    aspects = list(ASPECTS)
    cols = [ASPECT_COLUMNS[a] for a in aspects]
    status = {row[0]: row[1] for row in conn.execute("SELECT status, COUNT(*) FROM documents GROUP BY status")}
    years = [r[0] for r in conn.execute("SELECT DISTINCT year FROM documents WHERE status='done' AND year IS NOT NULL ORDER BY year")]
    by_year = len(years) >= 3 or not years
    # by year over three years or more, else by month (documents dated only by year then stay off the time line)
    period_sql = "CAST(year AS TEXT)" if by_year else "CASE WHEN length(date) >= 7 THEN substr(date, 1, 7) END"

    def top(column: str, limit: int) -> list[str]:
        rows = conn.execute(
            f"SELECT {column}, COUNT(*) AS n FROM documents WHERE status='done' AND {column} IS NOT NULL"
            f" GROUP BY {column} ORDER BY n DESC, {column} LIMIT ?", (limit + 1,)).fetchall()
        names = [r[0] for r in rows]
        return names[:limit] if len(names) > limit else names

    orgs = top("organisation", MAX_ORGS)
    types = top("doctype", MAX_TYPES)
    org_index = {name: i for i, name in enumerate(orgs)}
    type_index = {name: i for i, name in enumerate(types)}
    org_labels = orgs + [OTHER_ORGS, UNKNOWN]
    type_labels = types + [OTHER_TYPES, UNKNOWN]

    def oi(name):
        return len(orgs) + 1 if name is None else org_index.get(name, len(orgs))

    def ti(name):
        return len(types) + 1 if name is None else type_index.get(name, len(types))

    bins = ", ".join(f"SUM(CASE WHEN score >= {lo} AND score < {lo + 10 if lo < 90 else 101} THEN 1 ELSE 0 END)"
                     for lo in range(0, 100, 10))
    aspect_sql = ", ".join(f"SUM({c}), COUNT({c})" for c in cols)
    sql = (
        f"SELECT organisation, doctype, {period_sql} AS period, COUNT(*), SUM(COALESCE(words, 0)),"
        f" SUM(COALESCE(findings, 0)), SUM(score), COUNT(score), {aspect_sql}, {bins}"
        " FROM documents WHERE status='done' GROUP BY organisation, doctype, period"
    )
    cube: dict[tuple, list] = {}
    width = 5 + 2 * len(cols) + 10
    for row in conn.execute(sql):
        key = (oi(row[0]), ti(row[1]), row[2] or "")
        values = [v or 0 for v in row[3:]]
        cell = cube.setdefault(key, [0] * width)
        for i, v in enumerate(values):
            cell[i] += v
    periods = sorted({k[2] for k in cube if k[2]})

    top_rules = conn.execute(
        "SELECT f.rule, COUNT(*) AS n, COUNT(DISTINCT f.document_id) FROM findings f JOIN documents d ON d.id=f.document_id"
        " WHERE d.status='done' GROUP BY f.rule ORDER BY n DESC, f.rule LIMIT ?", (MAX_RULES,)).fetchall()
    rule_ids = [r[0] for r in top_rules]
    rule_info = {r["id"]: dict(r) for r in conn.execute("SELECT * FROM rules")}
    rule_cube: dict[tuple, list] = {}
    if rule_ids:
        marks = ", ".join("?" * len(rule_ids))
        for row in conn.execute(
            f"SELECT d.organisation, d.doctype, {period_sql.replace('year', 'd.year').replace('date', 'd.date')},"
            " f.rule, COUNT(*), COUNT(DISTINCT f.document_id)"
            f" FROM findings f JOIN documents d ON d.id=f.document_id WHERE d.status='done' AND f.rule IN ({marks})"
            " GROUP BY 1, 2, 3, 4", rule_ids):
            key = (oi(row[0]), ti(row[1]), row[2] or "", rule_ids.index(row[3]))
            cell = rule_cube.setdefault(key, [0, 0])
            cell[0] += row[4]
            cell[1] += row[5]

    lowest = _lowest(conn, cols, oi, ti, period_sql)
    failed = conn.execute("SELECT name, error FROM documents WHERE status='failed' ORDER BY name LIMIT 50").fetchall()
    last_run = conn.execute("SELECT * FROM runs WHERE status='finished' ORDER BY id DESC LIMIT 1").fetchone()
    pipeline = json.loads(last_run["pipeline"]) if last_run and last_run["pipeline"] else {}
    dates = conn.execute("SELECT MIN(date), MAX(date), SUM(date IS NULL) FROM documents WHERE status='done'").fetchone()
    return {
        "aspects": aspects,
        "status": status,
        "org_labels": org_labels,
        "type_labels": type_labels,
        "periods": periods,
        "by_year": by_year,
        "cube": cube,
        "rule_ids": rule_ids,
        "rule_info": rule_info,
        "rule_cube": rule_cube,
        "lowest": lowest,
        "failed": failed,
        "failed_total": status.get("failed", 0),
        "pipeline": pipeline,
        "date_range": (dates[0], dates[1]),
        "undated": dates[2] or 0,
    }


def _lowest(conn, cols, oi, ti, period_sql) -> list[dict]:
    """The lowest-scoring documents overall and per organisation, type and year (for the filters)."""
    picked: dict[int, None] = {}
    queries = [
        f"SELECT id FROM documents WHERE status='done' AND score IS NOT NULL ORDER BY score, words DESC, id LIMIT {LOWEST}",
    ]
    for column in ("organisation", "doctype", "year"):
        queries.append(
            "SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY " + column + " ORDER BY score, words DESC, id) AS r"
            " FROM documents WHERE status='done' AND score IS NOT NULL) WHERE r <= 5"
        )
    for q in queries:
        for (doc_id,) in conn.execute(q):
            picked.setdefault(doc_id, None)
    if not picked:
        return []
    ids = list(picked)
    rows = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        rows += conn.execute(
            f"SELECT id, name, title, date, year, organisation, doctype, words, score, {', '.join(cols)}"
            f" FROM documents WHERE id IN ({marks})", chunk).fetchall()
    rows.sort(key=lambda r: (r["score"], -(r["words"] or 0), r["id"]))
    overall = set(ids[:LOWEST])
    out = []
    for row in rows:
        findings = conn.execute(
            "SELECT rule, category, level, text, message, suggestion FROM findings WHERE document_id=?"
            " ORDER BY CASE level WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, offset LIMIT 3",
            (row["id"],)).fetchall()
        out.append({**dict(row), "o": oi(row["organisation"]), "t": ti(row["doctype"]),
                    "in_overall": row["id"] in overall, "top": [dict(f) for f in findings]})
    return out


# -- aggregation (the same arithmetic the inline script does for a filtered selection) ---------------


def aggregate(data: dict, keep=lambda key: True) -> dict:
    n_aspects = len(data["aspects"])
    total = [0] * (5 + 2 * n_aspects + 10)
    per_org: dict[int, list] = defaultdict(lambda: [0, 0, 0] + [0] * (2 * n_aspects))
    per_type: dict[int, list] = defaultdict(lambda: [0, 0, 0] + [0] * (2 * n_aspects))
    per_period: dict[str, list] = defaultdict(lambda: [0, 0] + [0] * (2 * n_aspects))
    for key, cell in data["cube"].items():
        if not keep(key):
            continue
        for i, v in enumerate(cell):
            total[i] += v
        for target in (per_org[key[0]], per_type[key[1]]):
            target[0] += cell[0]
            target[1] += cell[3]
            target[2] += cell[4]
            for i in range(2 * n_aspects):
                target[3 + i] += cell[5 + i]
        if key[2]:
            p = per_period[key[2]]
            p[0] += cell[3]
            p[1] += cell[4]
            for i in range(2 * n_aspects):
                p[2 + i] += cell[5 + i]
    rules = defaultdict(lambda: [0, 0])
    for key, cell in data["rule_cube"].items():
        if keep(key[:3]):
            rules[key[3]][0] += cell[0]
            rules[key[3]][1] += cell[1]
    return {"total": total, "org": per_org, "type": per_type, "period": per_period, "rules": rules}


def _mean(s, c):
    return s / c if c else None


# -- SVG ------------------------------------------------------------------------------------------


def _svg(chart_id: str, title: str, desc: str, width: int, height: int, body: str, extra: str = "") -> str:
    return (
        f'<svg id="{chart_id}" class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" {extra}>'
        f'<title id="{chart_id}-title">{esc(title)}</title><desc id="{chart_id}-desc">{esc(desc)}</desc>'
        f"{body}</svg>"
    )


def _short(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def hbars(chart_id: str, title: str, desc: str, rows: list[dict], value_max: float = 100,
          label_width: int = 250, unit: str = "", width: int = 760, label_chars: int = 34) -> str:
    """Horizontal bars. rows: {key, label, value, text, color, tip}. Bars are keyed for the filter script."""
    row_h, top = 30, 26
    plot = width - label_width - 110
    height = top + row_h * max(1, len(rows)) + 10
    parts = []
    for frac in (0, 0.25, 0.5, 0.75, 1):
        x = label_width + plot * frac
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 6}" y2="{height - 8}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{x:.1f}" y="{top - 10}" font-size="12" fill="{MUTED}" text-anchor="middle">'
                     f'{esc(nl(value_max * frac) + unit)}</text>')
    for i, row in enumerate(rows):
        y = top + i * row_h
        value = row.get("value")
        w = 0 if value is None else plot * max(0.0, min(1.0, value / value_max))
        parts.append(
            f'<g class="row" data-k="{esc(row["key"])}" transform="translate(0,{y})">'
            f'<text x="{label_width - 10}" y="{row_h / 2 + 5:.0f}" font-size="14" fill="{INK}" text-anchor="end">'
            f'{esc(_short(row["label"], label_chars))}<title>{esc(row["label"])}</title></text>'
            f'<rect x="{label_width}" y="5" height="{row_h - 10}" width="{w:.1f}" fill="{row.get("color", ACCENT)}" rx="2">'
            f'<title>{esc(row.get("tip", ""))}</title></rect>'
            f'<text class="v" x="{label_width + w + 6:.1f}" y="{row_h / 2 + 5:.0f}" font-size="14" fill="{INK}">'
            f'{esc(row.get("text", ""))}</text></g>'
        )
    extra = f'data-kind="hbars" data-x0="{label_width}" data-len="{plot}" data-max="{value_max}" data-rowh="{row_h}" data-top="{top}"'
    return _svg(chart_id, title, desc, width, height, "".join(parts), extra)


def histogram(chart_id: str, bins: list[int]) -> str:
    width, height, left, top, bottom = 560, 260, 56, 20, 50
    plot_w, plot_h = width - left - 20, height - top - bottom
    peak = max(bins) or 1
    bw = plot_w / len(bins)
    parts = []
    for frac in (0, 0.5, 1):
        y = top + plot_h * (1 - frac)
        parts.append(f'<line x1="{left}" x2="{width - 20}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(f'<text class="tick" data-frac="{frac}" x="{left - 8}" y="{y + 4:.1f}" font-size="12" fill="{MUTED}" '
                     f'text-anchor="end">{nl(peak * frac)}</text>')
    for i, count in enumerate(bins):
        lo = i * 10
        name, color = band(lo)
        h = plot_h * count / peak
        x = left + i * bw
        label = f"{lo}–{lo + 9 if i < 9 else 100}"
        parts.append(
            f'<g class="bin" data-k="{i}"><rect x="{x + 4:.1f}" width="{bw - 8:.1f}" y="{top + plot_h - h:.1f}" height="{h:.1f}" '
            f'fill="{color}" rx="2"><title>Score {label}: {n_documents(count)}</title></rect>'
            f'<text class="v" x="{x + bw / 2:.1f}" y="{top + plot_h - h - 5:.1f}" font-size="12" fill="{INK}" '
            f'text-anchor="middle">{nl(count) if count else ""}</text>'
            f'<text x="{x + bw / 2:.1f}" y="{height - bottom + 18}" font-size="12" fill="{MUTED}" text-anchor="middle">{label}</text></g>'
        )
    parts.append(f'<text x="{left + plot_w / 2:.0f}" y="{height - 8}" font-size="13" fill="{INK}" text-anchor="middle">'
                 "score (0–100)</text>")
    parts.append(f'<text x="14" y="{top + plot_h / 2:.0f}" font-size="13" fill="{INK}" text-anchor="middle" '
                 f'transform="rotate(-90 14 {top + plot_h / 2:.0f})">documenten</text>')
    extra = f'data-kind="histogram" data-base="{top + plot_h}" data-len="{plot_h}"'
    total = sum(bins)
    desc = (f"Staafdiagram van {nl(total)} documenten verdeeld over tien scoregroepen van 0 tot 100. "
            f"Meeste documenten in groep {bins.index(max(bins)) * 10}–{bins.index(max(bins)) * 10 + 9}." if total else
            "Nog geen documenten met een score.")
    return _svg(chart_id, "Verdeling van de scores", desc, width, height, "".join(parts), extra)


def _marker(shape: str, x: float, y: float, color: str, attrs: str) -> str:
    if shape == "square":
        return f'<rect {attrs} x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{color}"/>'
    if shape == "triangle":
        return (f'<path {attrs} d="M{x:.1f},{y - 5:.1f} l5,9 h-10 z" fill="{color}"/>')
    if shape == "diamond":
        return f'<path {attrs} d="M{x:.1f},{y - 5:.1f} l5,5 l-5,5 l-5,-5 z" fill="{color}"/>'
    return f'<circle {attrs} cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{color}"/>'


def lines(chart_id: str, periods: list[str], series: list[dict], desc: str) -> str:
    """Scores (0–100) per period; series: {key, label, values: {period: score}, color, dash, marker, width}."""
    width, height, left, right, top, bottom = 900, 360, 44, 220, 16, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(periods)
    step = plot_w / max(1, n - 1) if n > 1 else 0
    xs = {p: left + (i * step if n > 1 else plot_w / 2) for i, p in enumerate(periods)}
    parts = []
    for v in range(0, 101, 20):
        y = top + plot_h * (1 - v / 100)
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" font-size="12" fill="{MUTED}" text-anchor="end">{v}</text>')
    every = max(1, -(-n // 12))
    for i, p in enumerate(periods):
        if i % every == 0 or i == n - 1:
            parts.append(f'<text x="{xs[p]:.1f}" y="{height - bottom + 18}" font-size="12" fill="{MUTED}" '
                         f'text-anchor="middle">{esc(period_label(p))}</text>')
    for s in series:
        d, pen = [], "M"
        for p in periods:
            v = s["values"].get(p)
            if v is None:
                pen = "M"
                continue
            d.append(f"{pen}{xs[p]:.1f},{top + plot_h * (1 - v / 100):.1f}")
            pen = "L"
        parts.append(f'<g class="series" data-k="{esc(s["key"])}">'
                     f'<path d="{" ".join(d)}" fill="none" stroke="{s["color"]}" stroke-width="{s.get("width", 2.5)}" '
                     f'stroke-dasharray="{s.get("dash", "")}" stroke-linejoin="round"/>')
        for p in periods:
            v = s["values"].get(p)
            y = top + plot_h * (1 - (v or 0) / 100)
            attrs = (f'class="pt" data-p="{esc(p)}" data-x="{xs[p]:.1f}"' + ("" if v is not None else ' visibility="hidden"'))
            marker = _marker(s["marker"], xs[p], y, s["color"], attrs)
            tip = f"{s['label']}, {period_label(p)}: {nl(v) if v is not None else 'geen documenten'}"
            parts.append(marker.replace("/>", f"><title>{esc(tip)}</title></{marker.split()[0][1:]}>", 1))
        parts.append("</g>")
    # legend
    for i, s in enumerate(series):
        y = top + 10 + i * 24
        x = left + plot_w + 16
        parts.append(f'<line x1="{x}" x2="{x + 26}" y1="{y}" y2="{y}" stroke="{s["color"]}" stroke-width="{s.get("width", 2.5)}" '
                     f'stroke-dasharray="{s.get("dash", "")}"/>')
        parts.append(_marker(s["marker"], x + 13, y, s["color"], 'class="legend"'))
        parts.append(f'<text x="{x + 32}" y="{y + 4}" font-size="13" fill="{INK}">{esc(_short(s["label"], 26))}</text>')
    extra = f'data-kind="lines" data-top="{top}" data-len="{plot_h}"'
    return _svg(chart_id, "Scores door de tijd per aspect", desc, width, height, "".join(parts), extra)


# -- page ------------------------------------------------------------------------------------------


def _table(caption: str, head: list[str], rows: list[list], table_id: str = "", numeric: frozenset | set = frozenset()) -> str:
    """A data table; each row is [row header html, *cells, tr attributes]; a cell is html or (html, td attributes)."""
    out = [f'<table id="{table_id}">' if table_id else "<table>", f"<caption>{esc(caption)}</caption><thead><tr>"]
    out += [f'<th scope="col"{" class=num" if i in numeric else ""}>{esc(h)}</th>' for i, h in enumerate(head)]
    out.append("</tr></thead><tbody>")
    for row in rows:
        cells, attrs = row[:-1], row[-1]
        out.append(f"<tr {attrs}>" if attrs else "<tr>")
        for i, cell in enumerate(cells):
            text, extra = cell if isinstance(cell, tuple) else (cell, "")
            if i == 0:
                out.append(f'<th scope="row">{text}</th>')
            else:
                out.append(f'<td{" class=num" if i in numeric else ""}{extra}>{text}</td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _figure(section_id: str, heading: str, intro: str, svg: str, table: str) -> str:
    return (
        f'<section id="{section_id}" class="card" aria-labelledby="{section_id}-h">'
        f'<h2 id="{section_id}-h">{esc(heading)}</h2><p class="intro">{intro}</p>'
        f"<figure>{svg}<details><summary>Toon de cijfers als tabel</summary>{table}</details></figure></section>"
    )


def render(data: dict, title: str = "Audit van de communicatie", generated: str | None = None) -> str:
    aspects = data["aspects"]
    n_aspects = len(aspects)
    agg = aggregate(data)
    total = agg["total"]
    n_docs, words, findings = total[0], total[1], total[2]
    mean = _mean(total[3], total[4])
    bins = total[5 + 2 * n_aspects:]
    good = sum(bins[8:])
    weak = sum(bins[:6])
    generated = generated or dt.date.today().isoformat()
    first, last = data["date_range"]
    span = ""
    if first and last:
        span = f"{first[:4]}" if first[:4] == last[:4] else f"{first[:4]}–{last[:4]}"

    # KPIs
    kpis = [
        ("docs", "Documenten", nl(n_docs), "gecontroleerd"),
        ("mean", "Gemiddelde score", nl(mean), "van 100"),
        ("good", "Goed (80 of hoger)", f"{nl(100 * good / n_docs) if n_docs else '–'}%", n_documents(good)),
        ("weak", "Zwak (onder 60)", f"{nl(100 * weak / n_docs) if n_docs else '–'}%", n_documents(weak)),
        ("density", "Bevindingen", nl(1000 * findings / words, 1) if words else "–", "per 1.000 woorden"),
    ]
    kpi_html = "".join(
        f'<div class="kpi" data-kpi="{key}"><p class="kpi-label">{esc(label)}</p><p class="kpi-value">{esc(value)}</p>'
        f'<p class="kpi-sub">{esc(sub)}</p></div>' for key, label, value, sub in kpis)

    # aspect bars
    aspect_rows = []
    for i, a in enumerate(aspects):
        v = _mean(total[5 + 2 * i], total[6 + 2 * i])
        name, color = band(v)
        aspect_rows.append({"key": f"a{i}", "label": ASPECTS[a].title, "value": v, "text": nl(v), "color": color,
                            "tip": f"{ASPECTS[a].title}: gemiddeld {nl(v)} ({name})"})
    aspect_svg = hbars("chart-aspects", "Gemiddelde score per aspect",
                       "Liggende staven met de gemiddelde score van 0 tot 100 per aspect: "
                       + "; ".join(f"{r['label']} {r['text']}" for r in aspect_rows) + ".", aspect_rows,
                       width=560, label_width=200, label_chars=26)
    aspect_table = _table("Gemiddelde score per aspect", ["Aspect", "Uitgangspunt", "Gemiddelde score"], [
        [esc(ASPECTS[a].title), esc(f"{ASPECTS[a].principle}. {ASPECTS[a].principle_title}"),
         (nl(r["value"]), f' data-cell="a{i}"'), ""] for i, (a, r) in enumerate(zip(aspects, aspect_rows))
    ], numeric={2})

    hist_svg = histogram("chart-histogram", bins)
    hist_table = _table("Aantal documenten per scoregroep", ["Score", "Documenten"], [
        [f"{i * 10}–{i * 10 + 9 if i < 9 else 100}", (nl(c), f' data-cell="b{i}"'), ""] for i, c in enumerate(bins)],
        numeric={1})

    # time lines
    periods = data["periods"]
    series = []
    for i, a in enumerate(aspects):
        color, dash, marker = SERIES[i % len(SERIES)]
        values = {p: _mean(cell[2 + 2 * i], cell[3 + 2 * i]) for p, cell in agg["period"].items()}
        series.append({"key": f"a{i}", "label": ASPECTS[a].title, "values": values, "color": color, "dash": dash,
                       "marker": marker})
    series.append({"key": "all", "label": "Totaal", "values": {p: _mean(c[0], c[1]) for p, c in agg["period"].items()},
                   "color": OVERALL_COLOR, "dash": "", "marker": "circle", "width": 4})
    unit = "jaar" if data["by_year"] else "maand"
    if periods:
        time_desc = (f"Lijndiagram met de gemiddelde score (0–100) per {unit} van {period_label(periods[0])} tot "
                     f"{period_label(periods[-1])}, één lijn per aspect en een dikke lijn voor het totaal.")
        time_svg = lines("chart-time", periods, series, time_desc)
    else:
        time_svg = '<p class="empty">Geen documenten met een datum: er is geen verloop te tonen.</p>'
    time_table = _table(f"Gemiddelde score per {unit}", [unit.capitalize()] + [s["label"] for s in series], [
        [esc(period_label(p))] + [(nl(s["values"].get(p)), f' data-cell="t:{esc(p)}:{s["key"]}"') for s in series] + [""]
        for p in periods], numeric=set(range(1, len(series) + 1)))
    undated = data["undated"]
    time_intro = (f"Gemiddelde score per {unit}. Zo ziet u of teksten beter worden."
                  + (f" {n_documents(undated)} zonder datum {'telt' if undated == 1 else 'tellen'} hier niet mee." if undated else ""))

    # organisations and types
    def group_section(kind: str, labels: list[str], heading: str, noun: str) -> str:
        per = agg[kind]
        rows, table_rows = [], []
        for idx, label in enumerate(labels):
            cell = per.get(idx)
            if not cell or not cell[0]:
                continue
            v = _mean(cell[1], cell[2])
            name, color = band(v)
            rows.append({"key": str(idx), "label": label, "value": v, "text": f"{nl(v)}  (n={nl(cell[0])})",
                         "color": color, "tip": f"{label}: gemiddeld {nl(v)} over {n_documents(cell[0])}"})
            aspect_cells = []
            for i in range(n_aspects):
                av = _mean(cell[3 + 2 * i], cell[4 + 2 * i])
                aspect_cells.append((nl(av), f' data-cell="{kind}:{idx}:a{i}" data-band="{band(av)[0]}"'))
            table_rows.append([esc(label), (nl(cell[0]), f' data-cell="{kind}:{idx}:n"'),
                               (nl(v), f' data-cell="{kind}:{idx}:all" data-band="{name}"'), *aspect_cells,
                               f'data-k="{idx}"'])
        rows.sort(key=lambda r: -(r["value"] or 0))
        svg = hbars(f"chart-{kind}", f"Gemiddelde score per {noun}",
                    f"Liggende staven met de gemiddelde score (0–100) per {noun}, hoogste eerst: "
                    + "; ".join(f"{r['label']} {nl(r['value'])}" for r in rows[:8]) + ("…" if len(rows) > 8 else "."),
                    rows, width=900, label_width=330, label_chars=42)
        heat = _table(f"Gemiddelde score per {noun} en aspect",
                      [noun.capitalize(), "Documenten", "Totaal"] + [ASPECTS[a].title for a in aspects],
                      table_rows, table_id=f"heat-{kind}", numeric=set(range(1, 3 + n_aspects)))
        return (
            f'<section id="{kind}" class="card" aria-labelledby="{kind}-h"><h2 id="{kind}-h">{esc(heading)}</h2>'
            f'<p class="intro">Gemiddelde score per {noun}, met het aantal documenten (n). '
            f'De tabel eronder laat per aspect zien waar het beter kan.</p>'
            f'<figure>{svg}</figure><div class="scroll">{heat}</div></section>'
        )

    org_section = group_section("org", data["org_labels"], "Per organisatie", "organisatie")
    type_section = group_section("type", data["type_labels"], "Per soort document", "soort document")

    # rules
    rule_rows, rule_table = [], []
    infos = [data["rule_info"].get(rule_id, {}) for rule_id in data["rule_ids"]]
    categories = [CATEGORIES.get(i.get("category") or "", i.get("category") or "") for i in infos]
    for idx, (rule_id, info, category) in enumerate(zip(data["rule_ids"], infos, categories)):
        count, docs = agg["rules"].get(idx, [0, 0])
        aspect = ASPECTS.get(info.get("principle") or "")
        label = category.capitalize() if category else rule_id
        if not category or categories.count(category) > 1:
            label = f"{label} ({rule_id.split('.')[-1]})" if category else rule_id
        share = 100 * docs / n_docs if n_docs else 0
        tip = f"{label} [{rule_id}]: {nl(count)} keer, in {nl(share)}% van de documenten. {info.get('title') or ''}".strip()
        rule_rows.append({"key": str(idx), "label": label, "value": share, "text": f"{nl(share)}%  ·  {nl(count)}×",
                          "color": ACCENT, "tip": tip})
        rule_table.append([esc(label), esc(rule_id), esc(aspect.title if aspect else ""),
                           (nl(count), f' data-cell="r:{idx}:n"'), (f"{nl(share)}%", f' data-cell="r:{idx}:share"'),
                           esc(info.get("title") or ""), ""])
    rule_rows_sorted = sorted(rule_rows, key=lambda r: -r["value"])
    if rule_rows:
        rules_svg = hbars("chart-rules", "Regels die het vaakst afgaan",
                          "Liggende staven: in welk deel van de documenten elke regel minstens één keer afgaat. "
                          + "; ".join(f"{r['label']} {r['text']}" for r in rule_rows_sorted[:5]) + ".",
                          rule_rows_sorted, value_max=100, label_width=330, unit="%", width=900, label_chars=42)
    else:
        rules_svg = '<p class="empty">Geen bevindingen.</p>'
    rules_tab = _table("Regels die het vaakst afgaan",
                       ["Regel", "Code", "Aspect", "Aantal keer", "In documenten", "Wat de regel zoekt"],
                       rule_table, numeric={3, 4})

    takeaways = _takeaways(data, agg, aspect_rows, rule_rows_sorted, n_docs, mean, good, weak)
    lowest_html = _lowest_table(data)
    failed_html = _failed(data)
    filters = _filters(data)
    method = _method(data)
    payload = _payload(data)

    subtitle = " · ".join(x for x in (
        n_documents(n_docs), f"{nl(words)} woorden", f"periode {span}" if span else "",
        f"gemaakt op {generated}") if x)
    body = f"""
<header class="masthead"><div class="wrap"><p class="kicker">opencomms · kabinetsbrede uitgangspunten voor communicatie (2024)</p>
<h1>{esc(title)}</h1><p class="subtitle" id="subtitle">{esc(subtitle)}</p></div></header>
<main class="wrap">
{takeaways}
{filters}
<p id="selection" class="selection" aria-live="polite">Alle documenten.</p>
<section aria-labelledby="kpi-h" class="kpis"><h2 id="kpi-h" class="sr-only">Kerncijfers</h2>{kpi_html}</section>
<div class="grid">
{_figure("aspects", "Score per aspect", "Gemiddelde score van 0 tot 100 op elk van de vijf aspecten. "
         "<span class='legend-band'><span class='sw goed'></span>goed (80+) <span class='sw matig'></span>matig (60–79) "
         "<span class='sw zwak'></span>zwak (onder 60)</span>", aspect_svg, aspect_table)}
{_figure("distribution", "Verdeling van de scores", "Hoeveel documenten in elke scoregroep vallen.", hist_svg, hist_table)}
</div>
{_figure("time", "Verloop in de tijd", time_intro, time_svg, time_table)}
{org_section}
{type_section}
{_figure("rules", "Regels die het vaakst afgaan", "Het deel van de documenten waarin een regel minstens één keer iets vindt, "
         "en hoe vaak in totaal.", rules_svg, rules_tab)}
{lowest_html}
{failed_html}
{method}
<div id="js-errors" role="alert" hidden></div>
</main>
<footer class="wrap foot"><p>Gemaakt met opencomms {esc(__version__)}. Dit bestand werkt zonder internet.</p></footer>
<script type="application/json" id="audit-data">{payload}</script>
<script>{SCRIPT}</script>
"""
    return (f'<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="generator" content="opencomms {esc(__version__)}">'
            f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>{body}</body></html>\n")


def _takeaways(data, agg, aspect_rows, rule_rows, n_docs, mean, good, weak) -> str:
    """Four or five plain sentences for the top of the page (about the whole archive)."""
    if not n_docs:
        return ""
    points = [(f"De {nl(n_docs)} teksten scoren" if n_docs != 1 else "De tekst scoort") + f" gemiddeld <strong>{nl(mean)} van 100</strong>. "
              f"{nl(100 * good / n_docs)}% scoort goed (80 of hoger), {nl(100 * weak / n_docs)}% zwak (onder 60)."]
    scored = [r for r in aspect_rows if r["value"] is not None]
    if len(scored) >= 2:
        best = max(scored, key=lambda r: r["value"])
        worst = min(scored, key=lambda r: r["value"])
        points.append(f"Het sterkst is <strong>{esc(best['label'])}</strong> ({nl(best['value'])}), "
                      f"het zwakst <strong>{esc(worst['label'])}</strong> ({nl(worst['value'])}).")
    periods = [(p, c) for p, c in sorted(agg["period"].items()) if c[1] >= 5]
    if len(periods) >= 2:
        (p0, c0), (p1, c1) = periods[0], periods[-1]
        v0, v1 = c0[0] / c0[1], c1[0] / c1[1]
        diff = round(v1) - round(v0)
        change = ("bleef de score gelijk" if diff == 0 else
                  f"steeg de score met {nl(diff)} {'punt' if diff == 1 else 'punten'}" if diff > 0 else
                  f"daalde de score met {nl(-diff)} {'punt' if diff == -1 else 'punten'}")
        points.append(f"Van {esc(period_label(p0))} tot {esc(period_label(p1))} {change}: van {nl(v0)} naar {nl(v1)}.")
    if rule_rows:
        top = rule_rows[0]
        points.append(f"Wat het vaakst opvalt: <strong>{esc(top['label'].lower())}</strong>, "
                      f"in {nl(top['value'])}% van de documenten.")
    groups = [(data["org_labels"][i], c[1] / c[2]) for i, c in agg["org"].items()
              if c[2] >= 5 and data["org_labels"][i] not in (UNKNOWN, OTHER_ORGS)]
    if len(groups) >= 2:
        hi = max(groups, key=lambda g: g[1])
        lo = min(groups, key=lambda g: g[1])
        points.append(f"Tussen organisaties loopt de gemiddelde score uiteen van {nl(lo[1])} ({esc(lo[0])}) "
                      f"tot {nl(hi[1])} ({esc(hi[0])}).")
    items = "".join(f"<li>{p}</li>" for p in points)
    return (f'<section id="takeaways" class="card takeaways" aria-labelledby="takeaways-h">'
            f'<h2 id="takeaways-h">In het kort</h2><ul>{items}</ul>'
            f'<p class="muted">Over het hele archief, ook als u hieronder een filter kiest.</p></section>')


def _filters(data: dict) -> str:
    def options(labels):
        return "".join(f'<option value="{i}">{esc(label)}</option>' for i, label in enumerate(labels))

    years = sorted({p[:4] for p in data["periods"]})
    return (
        '<form id="filters" class="filters" hidden aria-labelledby="filters-h"><h2 id="filters-h" class="sr-only">Filters</h2>'
        '<label>Organisatie <select name="o"><option value="">Alle organisaties</option>'
        f'{options(data["org_labels"])}</select></label>'
        '<label>Jaar <select name="y"><option value="">Alle jaren</option>'
        + "".join(f'<option value="{y}">{y}</option>' for y in years) + "</select></label>"
        '<label>Soort document <select name="t"><option value="">Alle soorten</option>'
        f'{options(data["type_labels"])}</select></label>'
        '<button type="reset">Alles tonen</button></form>'
    )


def _lowest_table(data: dict) -> str:
    rows = []
    for doc in data["lowest"]:
        name, color = band(doc["score"])
        top = "".join(
            f'<li><span class="lvl {esc(f["level"])}">{esc(LEVEL_NL.get(f["level"], f["level"]))}</span> '
            f'{esc(f["message"])}' + (f' <q>{esc(_short(f["text"], 80))}</q>' if f["text"] and f["text"] not in (f["message"] or "") else "")
            + "</li>" for f in doc["top"])
        meta = " · ".join(esc(x) for x in (doc["organisation"], doc["doctype"], doc["date"]) if x)
        hidden = "" if doc["in_overall"] else " hidden"
        rows.append(
            f'<tr data-o="{doc["o"]}" data-t="{doc["t"]}" data-y="{doc["year"] or ""}"{hidden}>'
            f'<td class="num score" data-band="{name}">{nl(doc["score"])}</td>'
            f'<th scope="row"><span class="doc-title">{esc(doc["title"])}</span><span class="doc-path">{esc(doc["name"])}</span>'
            f'<span class="doc-meta">{meta}</span></th>'
            f'<td>{f"<ul class=top>{top}</ul>" if top else "<span class=muted>geen bevindingen</span>"}</td></tr>'
        )
    if not rows:
        return ""
    return (
        '<section id="lowest" class="card" aria-labelledby="lowest-h"><h2 id="lowest-h">Laagst scorende documenten</h2>'
        f'<p class="intro">De {LOWEST} documenten met de laagste score, met de belangrijkste bevindingen. '
        "Begin hier als u teksten wilt verbeteren.</p>"
        '<div class="scroll"><table id="lowest-table"><caption class="sr-only">Laagst scorende documenten</caption>'
        '<thead><tr><th scope="col" class="num">Score</th><th scope="col">Document</th><th scope="col">Belangrijkste bevindingen</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></div><p id="lowest-empty" class="muted" hidden>Geen documenten in deze selectie.</p></section>'
    )


LEVEL_NL = {"error": "fout", "warning": "let op", "suggestion": "tip"}


def _failed(data: dict) -> str:
    total = data["failed_total"]
    if not total:
        return ""
    items = "".join(f"<li><code>{esc(r['name'])}</code>: {esc(r['error'])}</li>" for r in data["failed"])
    more = f"<p>En nog {nl(total - len(data['failed']))} andere.</p>" if total > len(data["failed"]) else ""
    return (
        '<section id="failed" class="card" aria-labelledby="failed-h"><h2 id="failed-h">Niet gecontroleerd</h2>'
        f"<p class=\"intro\">{n_documents(total)} {'kon' if total == 1 else 'konden'} niet worden gelezen of gecontroleerd. "
        "Ze tellen niet mee in de cijfers hierboven. De reden staat erbij (technisch).</p>"
        f"<details><summary>Toon de documenten</summary><ul class=\"failed\">{items}</ul>{more}</details></section>"
    )


def _method(data: dict) -> str:
    pipeline = data["pipeline"]
    model = pipeline.get("model") or "onbekend"
    aspects = "".join(f"<li><strong>{esc(ASPECTS[a].title)}</strong>: uitgangspunt {esc(ASPECTS[a].principle)}, "
                      f"{esc(ASPECTS[a].principle_title)}</li>" for a in data["aspects"])
    return (
        '<section id="method" class="card" aria-labelledby="method-h"><h2 id="method-h">Hoe komen deze cijfers tot stand?</h2>'
        "<p>opencomms leest elk document en zoekt met taalregels naar punten uit de kabinetsbrede uitgangspunten voor "
        "communicatie. Elk aspect krijgt een score van 0 tot 100. Hoe meer en hoe zwaardere bevindingen per 100 woorden, "
        "hoe lager de score. Eén ‘let op’ per 100 woorden geeft ongeveer 82, één ‘fout’ per 100 woorden ongeveer 59. "
        "De totaalscore is het gemiddelde van de aspecten.</p>"
        f"<ul>{aspects}</ul>"
        "<p>Een score is een signaal, geen oordeel: lees bij een lage score de tekst zelf. "
        f"Taalmodel: <code>{esc(model)}</code>.</p></section>"
    )


def _payload(data: dict) -> str:
    cube = [[k[0], k[1], k[2], *v] for k, v in data["cube"].items()]
    rules = [[k[0], k[1], k[2], k[3], *v] for k, v in data["rule_cube"].items()]
    payload = {"aspects": len(data["aspects"]), "periods": data["periods"], "cube": cube, "rules": rules,
               "nrules": len(data["rule_ids"])}
    # "</" must not end the script element early
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def write(store: Store, path: str | Path, title: str = "Audit van de communicatie") -> None:
    write_text(path, render(gather(store), title=title))


STYLE = """
:root{--ink:#1a1a1a;--muted:#555;--line:#d0d0d0;--bg:#f3f5f8;--card:#fff;--accent:#154273;--goed:#1c6e3d;--matig:#8a5a00;--zwak:#b0302a}
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg);line-height:1.5;font-size:16px}
.wrap{max-width:1240px;margin:0 auto;padding:0 20px}
.masthead{background:var(--accent);color:#fff;padding:18px 0 22px;margin-bottom:18px}
.masthead h1{margin:2px 0 4px;font-size:2rem}
.kicker{margin:0;font-size:.9rem;opacity:.95}
.subtitle{margin:0;font-size:1.05rem}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.filters{display:flex;flex-wrap:wrap;gap:12px 20px;align-items:end;background:var(--card);padding:12px 16px;border-radius:8px;border:1px solid var(--line)}
.filters label{display:flex;flex-direction:column;font-weight:600;font-size:.95rem}
.filters select,.filters button{font:inherit;padding:6px 8px;min-width:12rem;max-width:24rem;border:1px solid #767676;border-radius:4px;background:#fff;color:var(--ink)}
.filters button{min-width:auto;cursor:pointer}
.selection{margin:10px 2px;color:var(--muted)}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:14px;margin:8px 0 18px}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px}
.kpi p{margin:0}.kpi-label{font-weight:600;color:var(--muted)}.kpi-value{font-size:2.4rem;font-weight:700;line-height:1.2}
.kpi-sub{color:var(--muted);font-size:.95rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:18px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin:0 0 18px}
.card h2{margin:0 0 4px;font-size:1.35rem}
.intro{margin:0 0 8px;color:var(--muted)}
figure{margin:0}
svg.chart{width:100%;height:auto;display:block}
details{margin-top:6px}summary{cursor:pointer;color:var(--accent);font-weight:600}
table{border-collapse:collapse;width:100%;font-size:.95rem}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid var(--ink)}
.num{text-align:right;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto}
[data-band=goed]{background:#dcefe3}[data-band=matig]{background:#fbecc8}[data-band=zwak]{background:#f8dcda}
td.score{font-size:1.3rem;font-weight:700}
.doc-title{display:block;font-weight:600}.doc-path,.doc-meta{display:block;font-weight:400;color:var(--muted);font-size:.88rem}
ul.top{margin:0;padding-left:1.1rem}ul.top q{color:var(--muted)}
.lvl{display:inline-block;font-size:.78rem;font-weight:700;padding:0 5px;border-radius:3px;color:#fff;background:var(--muted)}
.lvl.error{background:var(--zwak)}.lvl.warning{background:var(--matig)}.lvl.suggestion{background:var(--accent)}
.legend-band{display:inline-block;margin-left:6px}.sw{display:inline-block;width:.9em;height:.9em;margin:0 4px 0 8px;vertical-align:-1px;border-radius:2px}
.sw.goed{background:var(--goed)}.sw.matig{background:var(--matig)}.sw.zwak{background:var(--zwak)}
.takeaways p{margin:0}.takeaways ul{margin:4px 0 6px;padding-left:1.3rem;font-size:1.12rem}.takeaways li{margin:2px 0}
.muted{color:var(--muted)}.empty{color:var(--muted);font-style:italic}
#js-errors{background:#f8dcda;border:2px solid var(--zwak);padding:10px;border-radius:6px}
.foot{color:var(--muted);font-size:.9rem;padding-bottom:30px}
:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
@media print{.filters,details summary{display:none}.card{break-inside:avoid}}
"""

SCRIPT = r"""
(function () {
  "use strict";
  var root = document.documentElement;
  var errorBox = document.getElementById("js-errors");
  function fail(message) {
    errorBox.hidden = false;
    var p = document.createElement("p");
    p.textContent = "Fout in het script: " + message;
    errorBox.appendChild(p);
    root.setAttribute("data-ready", "error");
  }
  window.addEventListener("error", function (e) { fail(e.message || String(e)); });
  try {
    var D = JSON.parse(document.getElementById("audit-data").textContent);
    var A = D.aspects, BINS = 5 + 2 * A;
    var form = document.getElementById("filters");
    var fmt = function (v, d) {
      if (v === null || v === undefined || isNaN(v)) { return "\u2013"; }
      return v.toLocaleString("nl-NL", {minimumFractionDigits: d || 0, maximumFractionDigits: d || 0});
    };
    var band = function (v) { return v === null ? "" : v >= 80 ? "goed" : v >= 60 ? "matig" : "zwak"; };
    var COLORS = {goed: "#1c6e3d", matig: "#8a5a00", zwak: "#b0302a"};
    var mean = function (s, c) { return c ? s / c : null; };

    function aggregate(o, y, t) {
      var total = [], org = {}, typ = {}, per = {}, rules = {}, i, k;
      for (i = 0; i < BINS + 10; i++) { total.push(0); }
      function keep(c) {
        return (o === "" || c[0] === +o) && (t === "" || c[1] === +t) && (y === "" || c[2].slice(0, 4) === y);
      }
      D.cube.forEach(function (c) {
        if (!keep(c)) { return; }
        var v = c.slice(3);
        for (i = 0; i < v.length; i++) { total[i] += v[i]; }
        [[org, c[0]], [typ, c[1]]].forEach(function (pair) {
          var m = pair[0], key = pair[1];
          if (!m[key]) { m[key] = []; for (k = 0; k < 3 + 2 * A; k++) { m[key].push(0); } }
          m[key][0] += v[0]; m[key][1] += v[3]; m[key][2] += v[4];
          for (k = 0; k < 2 * A; k++) { m[key][3 + k] += v[5 + k]; }
        });
        if (c[2]) {
          if (!per[c[2]]) { per[c[2]] = []; for (k = 0; k < 2 + 2 * A; k++) { per[c[2]].push(0); } }
          per[c[2]][0] += v[3]; per[c[2]][1] += v[4];
          for (k = 0; k < 2 * A; k++) { per[c[2]][2 + k] += v[5 + k]; }
        }
      });
      D.rules.forEach(function (r) {
        if (!keep(r)) { return; }
        if (!rules[r[3]]) { rules[r[3]] = [0, 0]; }
        rules[r[3]][0] += r[4]; rules[r[3]][1] += r[5];
      });
      return {total: total, org: org, type: typ, period: per, rules: rules};
    }

    function setText(sel, text) {
      var el = document.querySelector(sel);
      if (el) { el.textContent = text; }
    }
    function setCell(key, text, b) {
      var el = document.querySelector('[data-cell="' + key + '"]');
      if (!el) { return; }
      el.textContent = text;
      if (el.hasAttribute("data-band")) { el.setAttribute("data-band", b || ""); }
    }

    function hbars(svgId, rows, sort) {
      var svg = document.getElementById(svgId);
      if (!svg) { return; }
      var x0 = +svg.getAttribute("data-x0"), len = +svg.getAttribute("data-len"), max = +svg.getAttribute("data-max");
      var rowh = +svg.getAttribute("data-rowh"), top = +svg.getAttribute("data-top");
      var groups = Array.prototype.slice.call(svg.querySelectorAll("g.row"));
      groups.forEach(function (g) {
        var r = rows[g.getAttribute("data-k")] || {value: null, text: "geen documenten", tip: ""};
        var w = r.value === null ? 0 : len * Math.max(0, Math.min(1, r.value / max));
        var rect = g.querySelector("rect");
        rect.setAttribute("width", w.toFixed(1));
        if (r.color) { rect.setAttribute("fill", r.color); }
        rect.querySelector("title").textContent = r.tip;
        var v = g.querySelector("text.v");
        v.setAttribute("x", (x0 + w + 6).toFixed(1));
        v.textContent = r.text;
        g.setAttribute("opacity", r.value === null ? "0.45" : "1");
        g._sort = r.value === null ? -1 : r.value;
      });
      if (sort) {
        groups.sort(function (a, b) { return b._sort - a._sort; });
        groups.forEach(function (g, i) { g.setAttribute("transform", "translate(0," + (top + i * rowh) + ")"); });
      }
    }

    function update() {
      var o = form.elements.o.value, y = form.elements.y.value, t = form.elements.t.value;
      var g = aggregate(o, y, t), T = g.total, n = T[0], i;
      var bins = T.slice(BINS, BINS + 10);
      var good = bins[8] + bins[9], weak = 0;
      for (i = 0; i < 6; i++) { weak += bins[i]; }
      setText('[data-kpi="docs"] .kpi-value', fmt(n));
      setText('[data-kpi="mean"] .kpi-value', fmt(mean(T[3], T[4])));
      setText('[data-kpi="good"] .kpi-value', n ? fmt(100 * good / n) + "%" : "\u2013");
      setText('[data-kpi="good"] .kpi-sub', fmt(good) + " documenten");
      setText('[data-kpi="weak"] .kpi-value', n ? fmt(100 * weak / n) + "%" : "\u2013");
      setText('[data-kpi="weak"] .kpi-sub', fmt(weak) + " documenten");
      setText('[data-kpi="density"] .kpi-value', T[1] ? fmt(1000 * T[2] / T[1], 1) : "\u2013");

      var parts = [];
      [["o", "Organisatie"], ["y", "Jaar"], ["t", "Soort"]].forEach(function (f) {
        var s = form.elements[f[0]];
        if (s.value !== "") { parts.push(f[1] + ": " + s.options[s.selectedIndex].text); }
      });
      setText("#selection", (parts.length ? "Selectie: " + parts.join(" \u00b7 ") : "Alle documenten") +
        " (" + fmt(n) + (n === 1 ? " document)." : " documenten)."));

      var rows = {};
      for (i = 0; i < A; i++) {
        var v = mean(T[5 + 2 * i], T[6 + 2 * i]);
        rows["a" + i] = {value: v, text: fmt(v), color: COLORS[band(v)], tip: fmt(v)};
        setCell("a" + i, fmt(v));
      }
      hbars("chart-aspects", rows, false);

      var hist = document.getElementById("chart-histogram");
      var peak = Math.max.apply(null, bins) || 1;
      var base = +hist.getAttribute("data-base"), hl = +hist.getAttribute("data-len");
      Array.prototype.forEach.call(hist.querySelectorAll("g.bin"), function (gb) {
        var k = +gb.getAttribute("data-k"), c = bins[k], h = hl * c / peak, rect = gb.querySelector("rect");
        rect.setAttribute("y", (base - h).toFixed(1));
        rect.setAttribute("height", h.toFixed(1));
        var label = rect.querySelector("title").textContent.split(":")[0];
        rect.querySelector("title").textContent = label + ": " + fmt(c) + " documenten";
        var tv = gb.querySelector("text.v");
        tv.setAttribute("y", (base - h - 5).toFixed(1));
        tv.textContent = c ? fmt(c) : "";
        setCell("b" + k, fmt(c));
      });
      Array.prototype.forEach.call(hist.querySelectorAll("text.tick"), function (tk) {
        tk.textContent = fmt(peak * +tk.getAttribute("data-frac"));
      });

      var time = document.getElementById("chart-time");
      if (time) {
        var top = +time.getAttribute("data-top"), tl = +time.getAttribute("data-len");
        Array.prototype.forEach.call(time.querySelectorAll("g.series"), function (s) {
          var key = s.getAttribute("data-k"), d = [], pen = "M";
          Array.prototype.forEach.call(s.querySelectorAll(".pt"), function (pt) {
            var p = pt.getAttribute("data-p"), cell = g.period[p], val = null;
            if (cell) {
              val = key === "all" ? mean(cell[0], cell[1]) : mean(cell[2 + 2 * +key.slice(1)], cell[3 + 2 * +key.slice(1)]);
            }
            var x = +pt.getAttribute("data-x");
            setCell("t:" + p + ":" + key, fmt(val));
            var title = pt.querySelector("title");
            title.textContent = title.textContent.split(":")[0] + ": " + (val === null ? "geen documenten" : fmt(val));
            if (val === null) { pt.setAttribute("visibility", "hidden"); pen = "M"; return; }
            var yy = top + tl * (1 - val / 100);
            pt.removeAttribute("visibility");
            if (pt.tagName === "circle") { pt.setAttribute("cy", yy.toFixed(1)); }
            else if (pt.tagName === "rect") { pt.setAttribute("y", (yy - 4).toFixed(1)); }
            else {
              var dd = pt.getAttribute("d").replace(/^M([\d.]+),([\d.-]+)/, "M$1," + (yy - 5).toFixed(1));
              pt.setAttribute("d", dd);
            }
            d.push(pen + x.toFixed(1) + "," + yy.toFixed(1));
            pen = "L";
          });
          s.querySelector("path:not(.pt)").setAttribute("d", d.join(" "));
        });
      }

      ["org", "type"].forEach(function (kind) {
        var per = g[kind], rows2 = {};
        Object.keys(per).forEach(function (idx) {
          var c = per[idx], v2 = mean(c[1], c[2]);
          if (!c[0]) { return; }
          rows2[idx] = {value: v2, text: fmt(v2) + "  (n=" + fmt(c[0]) + ")", color: COLORS[band(v2)], tip: fmt(v2)};
        });
        hbars("chart-" + kind, rows2, true);
        var table = document.getElementById("heat-" + kind);
        if (!table) { return; }
        Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (tr) {
          var idx = tr.getAttribute("data-k"), c = per[idx];
          tr.hidden = !c || !c[0];
          if (!c) { return; }
          setCell(kind + ":" + idx + ":n", fmt(c[0]));
          var v3 = mean(c[1], c[2]);
          setCell(kind + ":" + idx + ":all", fmt(v3), band(v3));
          for (var a = 0; a < A; a++) {
            var av = mean(c[3 + 2 * a], c[4 + 2 * a]);
            setCell(kind + ":" + idx + ":a" + a, fmt(av), band(av));
          }
        });
      });

      var rrows = {};
      for (i = 0; i < D.nrules; i++) {
        var rc = g.rules[i] || [0, 0], share = n ? 100 * rc[1] / n : 0;
        rrows[i] = {value: share, text: fmt(share) + "%  \u00b7  " + fmt(rc[0]) + "\u00d7", tip: fmt(rc[0]) + "\u00d7"};
        setCell("r:" + i + ":n", fmt(rc[0]));
        setCell("r:" + i + ":share", fmt(share) + "%");
      }
      hbars("chart-rules", rrows, true);

      var shown = 0, filtered = o !== "" || y !== "" || t !== "";
      var trs = document.querySelectorAll("#lowest-table tbody tr");
      Array.prototype.forEach.call(trs, function (tr) {
        var ok = (o === "" || tr.getAttribute("data-o") === o) && (t === "" || tr.getAttribute("data-t") === t) &&
          (y === "" || tr.getAttribute("data-y") === y);
        var show = ok && shown < 15 && (filtered || tr.getAttribute("data-first") === "1");
        tr.hidden = !show;
        if (show) { shown++; }
      });
      var empty = document.getElementById("lowest-empty");
      if (empty) { empty.hidden = shown > 0 || !trs.length; }
    }

    Array.prototype.forEach.call(document.querySelectorAll("#lowest-table tbody tr"), function (tr) {
      tr.setAttribute("data-first", tr.hidden ? "0" : "1");
    });
    form.hidden = false;
    form.addEventListener("change", update);
    form.addEventListener("reset", function () { setTimeout(update, 0); });
    var params = new URLSearchParams(window.location.hash.slice(1));
    ["o", "y", "t"].forEach(function (k) { if (params.has(k)) { form.elements[k].value = params.get(k); } });
    update();
    if (root.getAttribute("data-ready") !== "error") { root.setAttribute("data-ready", "1"); }
  } catch (e) {
    fail(e && e.message ? e.message : String(e));
  }
})();
"""
