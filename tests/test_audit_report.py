"""``opencomms audit report``: the HTML report (self-contained, accessible, rendered by headless Chromium) and
the CSV/Parquet exports, made from a real audit database."""

from __future__ import annotations

import csv
import re
import shutil
import sqlite3
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from test_audit_corpus import make_archive

from opencomms.audit import html as report_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from conftest import run_cli

    base = tmp_path_factory.mktemp("report")
    archive = make_archive(base / "archive", n=24, seed=3)
    db = base / "audit.sqlite"
    proc = run_cli("audit", archive["root"], "--db", db, "--workers", "2", "--index", archive["index"],
                   "--index-field", "type=soort", cwd=base)
    assert proc.returncode == 0, proc.stderr.decode()
    out = {name: base / name for name in ("audit.html", "audit.csv", "audit.parquet", "findings.csv")}
    args = ["audit", "report", "--db", db, "--html", out["audit.html"], "--csv", out["audit.csv"],
            "--findings-csv", out["findings.csv"]]
    try:
        import pyarrow  # noqa: F401

        args += ["--parquet", out["audit.parquet"]]
    except ImportError:
        pass
    proc = run_cli(*args, cwd=base)
    assert proc.returncode == 0, proc.stderr.decode()
    return {"base": base, "db": db, **out}


class Page(HTMLParser):
    """Collects what the accessibility and self-containment checks need."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.stack: list[str] = []
        self.svg_titles: dict[str, str] = {}
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in ("title", "desc") and "svg" in self.stack and attrs.get("id"):
            self._in = attrs["id"]
            self.svg_titles[self._in] = ""
        if tag not in ("meta", "br", "line", "rect", "circle", "path", "input"):
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in ("title", "desc"):
            self._in = None
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if self._in:
            self.svg_titles[self._in] += data


def test_exports_have_one_row_per_document_and_per_finding(report):
    conn = sqlite3.connect(report["db"])
    documents = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    findings = conn.execute("SELECT COUNT(*) FROM findings").fetchone()[0]
    with report["audit.csv"].open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == documents == 26
    assert {"path", "organisation", "doctype", "score", "score_begrijpelijk", "metric_words_per_sentence"} <= set(rows[0])
    done = [r for r in rows if r["status"] == "done"]
    assert all(0 <= int(r["score"]) <= 100 for r in done)
    with report["findings.csv"].open(encoding="utf-8", newline="") as handle:
        assert sum(1 for _ in csv.reader(handle)) == findings + 1
    if report["audit.parquet"].exists():
        import pyarrow.parquet as pq

        table = pq.read_table(report["audit.parquet"])
        assert table.num_rows == documents
        assert table.schema.field("score").type == "int64"
        assert sorted(table.column("path").to_pylist()) == sorted(r["path"] for r in rows)


def test_html_is_self_contained_dutch_and_accessible(report):
    text = report["audit.html"].read_text(encoding="utf-8")
    page = Page()
    page.feed(text)
    tags = page.tags
    assert tags[0] == ("html", {"lang": "nl"})
    # no network at view time: nothing loaded from elsewhere
    assert not [a for t, a in tags if "src" in a or (t == "link" and "href" in a)]
    assert not re.search(r"@import|url\(|https?://(?!www\.w3\.org/2000/svg)", text)
    # one h1, then h2 sections
    assert [t for t, _ in tags if t == "h1"] == ["h1"]
    headings = [t for t, _ in tags if re.fullmatch(r"h[1-6]", t)]
    assert headings[0] == "h1" and set(headings[1:]) == {"h2"}
    # every chart is an image with a title and a description, and has a table next to it
    charts = [a for t, a in tags if t == "svg"]
    assert len(charts) >= 6
    for a in charts:
        assert a["role"] == "img"
        title_id, desc_id = a["aria-labelledby"].split()
        assert page.svg_titles[title_id].strip() and page.svg_titles[desc_id].strip()
    assert sum(1 for t, _ in tags if t == "table") >= 7
    assert sum(1 for t, a in tags if t == "th" and a.get("scope") in ("col", "row")) > 20
    for label in ("In het kort", "Verdeling van de scores", "Verloop in de tijd", "Per organisatie", "Per soort document",
                  "Regels die het vaakst afgaan", "Laagst scorende documenten", "Niet gecontroleerd"):
        assert label in text


def _luminance(color: str) -> float:
    rgb = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_colours_meet_wcag_contrast():
    white = "#ffffff"
    for _, _, color in report_html.BANDS:
        assert contrast(color, white) >= 4.5, color  # marks (≥3) and white badge text (≥4.5)
    for color, _, _ in report_html.SERIES:
        assert contrast(color, white) >= 3, color
    for color in (report_html.INK, report_html.MUTED, report_html.ACCENT, report_html.OVERALL_COLOR):
        assert contrast(color, white) >= 4.5, color
    for background in re.findall(r"\[data-band=\w+\]\{background:(#[0-9a-f]{6})\}", report_html.STYLE):
        assert contrast(report_html.INK, background) >= 4.5, background
    assert contrast(white, report_html.ACCENT) >= 7  # the header


def _chromium(url: str, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
         f"--user-data-dir={tmp_path / 'chromium-profile'}", "--enable-logging=stderr", "--v=0", *extra, url],
        capture_output=True, timeout=180,
    )


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (CI installs Debian's chromium package)")
def test_report_renders_in_headless_chromium_without_script_errors(report, tmp_path):
    url = report["audit.html"].resolve().as_uri()
    proc = _chromium(url, tmp_path, "--dump-dom")
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    dom = proc.stdout.decode()
    logs = proc.stderr.decode(errors="replace")
    assert re.search(r'<html lang="nl" data-ready="1"', dom), logs[-2000:]
    assert re.search(r'<div id="js-errors" role="alert" hidden=""></div>', dom)
    assert "Uncaught" not in logs and "CONSOLE" not in logs
    assert len(re.findall(r'<svg id="chart-[a-z]+" class="chart"', dom)) >= 6
    assert re.search(r'<form id="filters" class="filters" aria-labelledby', dom)  # the script showed the filters

    # a filter in the address (#o=0: the first organisation) recomputes the numbers
    proc = _chromium(url + "#o=0&y=2021", tmp_path, "--dump-dom")
    dom = proc.stdout.decode()
    assert 'data-ready="1"' in dom
    selection = re.search(r'<p id="selection"[^>]*>([^<]*)</p>', dom).group(1)
    assert selection.startswith("Selectie: Organisatie: Gemeente Utrecht · Jaar: 2021")
    conn = sqlite3.connect(report["db"])
    expected = conn.execute("SELECT COUNT(*) FROM documents WHERE status='done' AND organisation='Gemeente Utrecht'"
                            " AND year=2021").fetchone()[0]
    assert f"({expected} documenten)" in selection
    docs = re.search(r'data-kpi="docs"><p class="kpi-label">Documenten</p><p class="kpi-value">(\d+)</p>', dom)
    assert int(docs.group(1)) == expected


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_script_errors_would_be_caught(report, tmp_path):
    """The check above can fail: a broken script is reported in the page."""
    broken = tmp_path / "broken.html"
    text = report["audit.html"].read_text(encoding="utf-8")
    broken.write_text(text.replace('var D = JSON.parse(', 'var D = JSON.parse("{" + '), encoding="utf-8")
    dom = _chromium(broken.as_uri(), tmp_path, "--dump-dom").stdout.decode()
    assert 'data-ready="error"' in dom and "Fout in het script" in dom


def test_report_of_an_audit_without_any_checked_document(tmp_path, cli):
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "binair.txt").write_bytes(b"\x00" * 64)
    db = tmp_path / "audit.sqlite"
    proc = cli("audit", archive, "--db", db, "--workers", "1")
    assert proc.returncode == 0, proc.stderr.decode()
    proc = cli("audit", "report", "--db", db, "--html", tmp_path / "r.html", "--csv", tmp_path / "r.csv")
    assert proc.returncode == 0, proc.stderr.decode()
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Niet gecontroleerd" in text and "Geen documenten met een datum" in text
    proc = cli("audit", "report", "--db", db)
    assert proc.returncode == 2 and "--html" in proc.stderr.decode()
    proc = cli("audit", "report", "--db", db, "--csv", db)
    assert proc.returncode == 2 and "overwrite" in proc.stderr.decode()
