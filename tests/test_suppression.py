"""Inline suppression in Markdown and HTML, front-matter suppression, and reports of stale suppressions.

Uses the officialese rule (it needs only lemmas, so it runs with every pipeline) on real documents.
"""

from __future__ import annotations

import json

from opencomms import readers
from opencomms.readers import html as html_reader
from opencomms.readers import markdown as markdown_reader
from opencomms.suppression import RULE_ID, parse

OFFICIALESE = "begrijpelijk.officialese"


def check(checker, text: str, name: str = "a.md"):
    reader = html_reader if name.endswith(".html") else markdown_reader
    source = reader.parse(text.encode("utf-8"), name)
    return source, checker.check_one(source).findings


def officialese(findings):
    return [f.text.lower() for f in findings if f.rule == OFFICIALESE]


def unused(findings):
    return [f for f in findings if f.rule == RULE_ID]


def test_without_comments_everything_is_reported(checker):
    _, findings = check(checker, "Wij hebben derhalve besloten.\n\nDit doen wij teneinde te helpen.\n")
    assert officialese(findings) == ["derhalve", "teneinde"]
    assert not unused(findings)


def test_disable_enable_range(checker):
    text = (
        "<!-- opencomms-disable begrijpelijk.officialese -->\n"
        "Wij hebben derhalve besloten.\n\n"
        "Dit doen wij teneinde te helpen.\n"
        "<!-- opencomms-enable begrijpelijk.officialese -->\n\n"
        "Wij hebben derhalve opnieuw besloten.\n"
    )
    source, findings = check(checker, text)
    assert officialese(findings) == ["derhalve"]
    assert [f.line for f in findings if f.rule == OFFICIALESE] == [7]
    assert not unused(findings)


def test_disable_without_enable_runs_to_the_end_and_without_id_means_all(checker):
    text = "Eerst derhalve.\n\n<!-- opencomms-disable -->\n\nDan derhalve en teneinde.\n\nEn ten behoeve van.\n"
    _, findings = check(checker, text)
    assert officialese(findings) == ["derhalve"]
    assert all(f.line == 1 for f in findings)
    assert not unused(findings)


def test_disable_next_line_skips_blank_lines_and_takes_several_ids(checker):
    text = (
        "<!-- opencomms-disable-next-line begrijpelijk.long-word, begrijpelijk.officialese -->\n\n"
        "Wij hebben derhalve besloten.\n"
        "Dit doen wij teneinde te helpen.\n"
    )
    _, findings = check(checker, text)
    assert officialese(findings) == ["teneinde"]  # only the next line with text
    # long-word suppressed nothing on that line: reported, unless that rule did not run here
    stale = unused(findings)
    assert all("begrijpelijk.long-word" in f.message for f in stale)


def test_rule_set_name_covers_its_rules(checker):
    _, findings = check(checker, "<!-- opencomms-disable-next-line begrijpelijk -->\nWij hebben derhalve besloten.\n")
    assert not [f for f in findings if f.rule.startswith("begrijpelijk.")]
    assert not unused(findings)


def test_unused_suppression_is_reported_in_dutch(checker):
    text = (
        "<!-- opencomms-disable-next-line begrijpelijk.officialese -->\n"
        "Wij hebben daarom besloten.\n\n"
        "<!-- opencomms-disable -->\n"
        "<!-- opencomms-enable -->\n\n"
        "<!-- opencomms-disable-next-line begrijpelijk.bestaat-niet -->\n"
        "Gewone zin.\n"
    )
    source, findings = check(checker, text)
    stale = unused(findings)
    assert [(f.line, f.column) for f in stale] == [(1, 1), (4, 1), (7, 1)]
    first, second, third = stale
    assert first.category == "suppression" and first.level.name == "warning"
    assert "'begrijpelijk.officialese' onderdrukt geen enkele melding" in first.message
    assert first.text == "<!-- opencomms-disable-next-line begrijpelijk.officialese -->"
    assert second.message.startswith("Deze uitzondering onderdrukt geen enkele melding")
    assert "Er bestaat geen regel 'begrijpelijk.bestaat-niet'" in third.message
    assert source.text[first.offset:first.end_offset] == first.text


def test_inactive_bundled_rule_is_not_reported(checker):
    # a real rule that this profile does not run (or this pipeline cannot run) makes the comment idle, not stale
    text = "<!-- opencomms-disable-next-line aanspreekbaar.press-contact -->\nGewone zin.\n"
    _, findings = check(checker, text, "webtekst.md")
    assert not unused(findings)


def test_front_matter_comment_applies_to_the_whole_file(checker):
    text = (
        "---\ntitle: Nieuws\n# opencomms-disable begrijpelijk.officialese\n---\n\n"
        "Wij hebben derhalve besloten.\n\nDit doen wij teneinde te helpen.\n"
    )
    source, findings = check(checker, text)
    assert officialese(findings) == [] and not unused(findings)
    assert source.metadata == {"title": "Nieuws"}


def test_html_comments(checker):
    page = (
        "<html><body><main>\n"
        "<!-- opencomms-disable-next-line begrijpelijk.officialese -->\n"
        "<p>Wij hebben derhalve besloten.</p>\n"
        "<p>Dit doen wij teneinde te helpen.</p>\n"
        "</main></body></html>\n"
    )
    _, findings = check(checker, page, "a.html")
    assert officialese(findings) == ["teneinde"]


def test_comments_in_plain_text_are_text():
    source = readers.text.parse(b"<!-- opencomms-disable -->\nWij hebben derhalve besloten.\n", "a.txt")
    assert parse(source) == []


def test_cli_reports_unused_suppression_and_fails_on_warning(cli, tmp_path):
    (tmp_path / "a.md").write_text(
        "<!-- opencomms-disable-next-line begrijpelijk.officialese -->\nWij hebben daarom besloten.\n",
        encoding="utf-8")
    proc = cli("check", "a.md", "--format", "json", "--fail-on", "warning", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)["documents"][0]["findings"]
    assert [(f["rule"], f["line"], f["level"]) for f in findings if f["rule"] == RULE_ID] == [(RULE_ID, 1, "warning")]
