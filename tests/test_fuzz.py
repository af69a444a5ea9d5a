"""Property-based tests (hypothesis) over the readers and the rule loader, bounded in examples.

Whatever the bytes, a reader returns a Source that keeps its invariants or raises InputError; whatever
the YAML, the rule loader returns a Rule or raises ConfigError. Nothing else may escape: no traceback
ever reaches a user. Each test has a fixed example budget (no deadline), about a minute in all.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from opencomms import yamlfile
from opencomms.errors import ConfigError, InputError
from opencomms.readers import READERS
from opencomms.ruleset import compile_rule
from test_formats import make_docx, make_odt, make_pdf

ROOT = Path(__file__).resolve().parents[1]
RULE_FILES = sorted((ROOT / "rules").glob("*/*.yaml"))
# OPENCOMMS_FUZZ_EXAMPLES=5000 fuzzes longer, locally; CI keeps the default budget
FUZZ = settings(max_examples=int(os.environ.get("OPENCOMMS_FUZZ_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)
SEEDS = {
    "docx": make_docx(["Wij hebben derhalve besloten.", "Een tweede\nalinea."]),
    "odt": make_odt(["Wij hebben derhalve besloten.", "Een tweede\nalinea."]),
    "pdf": make_pdf([["Wij hebben derhalve besloten, de weten-", "schappen ook."], ["Tweede pagina."]]),
    "html": b"<html><head><title>T</title></head><body><main><h1>Kop</h1><p>Tekst &amp; meer.</p>"
            b"<ul><li>een<li>twee</ul></main></body></html>",
    "markdown": b"---\ntitle: x\n---\n# Kop\n\nTekst *met* `code` en [link](http://a.b).\n\n- een\n- twee\n",
    "text": "Tekst.\n\n- een\n- twee\n".encode(),
}
PROSE = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)


def check_source(source) -> None:
    """The invariants every reader promises."""
    assert len(source.checked) == len(source.text)
    for a, b in zip(source.text, source.checked):
        if a == "\n":
            assert b == "\n"
    previous_end = 0
    for block in source.blocks:
        assert 0 <= block.start < block.end <= len(source.text)
        assert block.start >= previous_end, "blocks are in order and do not overlap"
        assert source.checked[block.start:block.end].strip()
        assert block.kind in ("paragraph", "heading", "list_item", "table_cell")
        previous_end = block.end
        line, column = source.position(block.start)
        assert source.line_text(line)[column - 1:column] == source.text[block.start] or source.text[block.start] == "\r"
    starts = [start for start, _ in source.regions]
    assert starts == sorted(starts)
    for offset in (0, len(source.text) // 2, len(source.text)):
        source.locate(offset)


def read(fmt: str, data: bytes) -> None:
    try:
        source = READERS[fmt].parse(data, f"fuzz.{fmt}")
    except InputError as exc:
        assert str(exc).startswith(f"fuzz.{fmt}: ")
        if fmt != "markdown":  # known bug, reported: see test_markdown_front_matter_error_is_one_line
            assert "\n" not in exc.message
        return
    check_source(source)


@FUZZ
@given(fmt=st.sampled_from(sorted(READERS)), data=st.binary(max_size=2048))
def test_readers_on_arbitrary_bytes(fmt, data):
    read(fmt, data)


@FUZZ
@given(fmt=st.sampled_from(["text", "markdown", "html"]), text=PROSE,
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_text_readers_on_arbitrary_text(fmt, text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        assume(False)
    read(fmt, data)


@FUZZ
@given(fmt=st.sampled_from(sorted(SEEDS)), seed=st.integers(0, 2**32 - 1), flips=st.integers(1, 8))
def test_readers_on_damaged_documents(fmt, seed, flips):
    """A valid document with a few bytes changed: the deep parsing paths of each reader."""
    rng = random.Random(seed)
    data = bytearray(SEEDS[fmt])
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    read(fmt, bytes(data))


@FUZZ
@given(seed=st.integers(0, 2**32 - 1), which=st.sampled_from(["word/document.xml", "content.xml"]),
       payload=st.binary(max_size=512))
def test_office_readers_on_damaged_parts(seed, which, payload):
    """A valid archive whose main part is replaced by arbitrary bytes (or a truncated copy of itself)."""
    fmt = "docx" if which.startswith("word/") else "odt"
    source = zipfile.ZipFile(io.BytesIO(SEEDS[fmt]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == which:
                data = payload if seed % 2 else data[: seed % max(len(data), 1)]
            target.writestr(info.filename, data)
    read(fmt, buffer.getvalue())


@FUZZ
@given(paragraphs=st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Co")), max_size=80),
                           min_size=1, max_size=6))
def test_generated_documents_keep_their_text(paragraphs):
    """Text written with python-docx and odfpy comes back the same, one block per non-empty paragraph."""
    expected = [" ".join(p.replace("\u00ad", "").split()) for p in paragraphs if p.replace("\u00ad", "").strip()]
    for fmt, make in (("docx", make_docx), ("odt", make_odt)):
        source = READERS[fmt].parse(make(paragraphs), f"g.{fmt}")
        check_source(source)
        assert [" ".join(source.text[b.start:b.end].split()) for b in source.blocks] == expected, fmt
        assert [where["paragraph"] for _, where in source.regions] == list(range(1, len(expected) + 1))


# --- the rule loader -------------------------------------------------------------------------------

VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10**6) | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


def compile_text(text: str, expected_id: str | None) -> None:
    try:
        located = yamlfile.load_text(text, "fuzz.yaml")
        compile_rule(located, expected_id, None, ())
    except ConfigError as exc:
        assert "\n" not in str(exc)  # every rule-file error is one line


@FUZZ
@given(text=st.text(max_size=300))
def test_rule_loader_on_arbitrary_text(text):
    compile_text(text, None)


@FUZZ
@given(index=st.integers(0, max(len(RULE_FILES) - 1, 0)), data=st.data())
def test_rule_loader_on_mutated_rules(index, data):
    """A real rule file with one field replaced, removed or added: a Rule or one ConfigError."""
    path = RULE_FILES[index]
    rule = yaml.safe_load(path.read_text(encoding="utf-8"))
    keys = sorted(rule)
    action = data.draw(st.sampled_from(["replace", "remove", "add", "nested"]))
    if action == "replace":
        key, value = data.draw(st.sampled_from(keys)), data.draw(VALUES)
        # known bug, reported: compile_rule raises TypeError for an unhashable kind (see test below)
        assume(not (key == "kind" and isinstance(value, (list, dict))))
        rule[key] = value
    elif action == "remove":
        rule.pop(data.draw(st.sampled_from(keys)))
    elif action == "add":
        rule[data.draw(st.text(min_size=1, max_size=12))] = data.draw(VALUES)
    else:
        key = data.draw(st.sampled_from([k for k in keys if isinstance(rule[k], (dict, list))] or keys))
        if isinstance(rule[key], dict) and rule[key]:
            rule[key][data.draw(st.sampled_from(sorted(rule[key], key=str)))] = data.draw(VALUES)
        elif isinstance(rule[key], list) and rule[key]:
            rule[key][data.draw(st.integers(0, len(rule[key]) - 1))] = data.draw(VALUES)
        else:
            rule[key] = data.draw(VALUES)
    text = yaml.safe_dump(rule, allow_unicode=True)
    compile_text(text, f"{path.parent.name}.{path.stem}")


def test_rule_kind_that_is_a_list_is_a_config_error():
    with pytest.raises(ConfigError, match="kind"):
        compile_rule(yamlfile.load_text("id: a.b\nkind: [existence]\n", "x.yaml"), "a.b", None, ())


def test_markdown_front_matter_error_is_one_line():
    with pytest.raises(InputError) as info:
        READERS["markdown"].parse(b"---\na: \x1c\n---\nTekst.\n", "a.md")
    assert "\n" not in str(info.value)


def test_rule_error_naming_a_strange_key_is_one_line():
    path = ROOT / "rules" / "begrijpelijk" / "officialese.yaml"
    rule = {**yaml.safe_load(path.read_text(encoding="utf-8")), "\n": 1}
    with pytest.raises(ConfigError) as info:
        compile_rule(yamlfile.load_text(yaml.safe_dump(rule), "x.yaml"), "begrijpelijk.officialese", None, ())
    assert "\n" not in str(info.value)
