"""The language server as a real subprocess over stdio, driven with JSON-RPC messages: initialize,
didOpen, diagnostics (with UTF-16 positions after emoji), didChange (incremental, CRLF), code actions
applied to the text, hover, fix-all, status notices and configuration errors. Plus the position maths."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from opencomms.lsp.client import LspClient, apply_edits
from opencomms.lsp.positions import LineIndex, apply_change, units

TEXT = (
    "# Besluit 😀\n"
    "\n"
    "Wij 𝔘 hebben derhalve besloten de regeling te verlengen. Heeft u vragen? Bel ons.\n"
)


def _client(tmp_path: Path, options: dict | None = None, capabilities: dict | None = None) -> LspClient:
    env = {**os.environ, "NO_COLOR": "1"}
    client = LspClient([sys.executable, "-m", "opencomms", "lsp"], env=env, cwd=tmp_path)
    client.initialize(Path(tmp_path).as_uri(), {"debounce_ms": 0, **(options or {})}, capabilities)
    return client


def _open(client: LspClient, uri: str, text: str, language: str = "markdown", version: int = 1) -> dict:
    mark = client.mark()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language, "version": version, "text": text}})
    return client.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == uri, timeout=120, after=mark).params


def _change(client: LspClient, uri: str, version: int, changes: list[dict]) -> dict:
    mark = client.mark()
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": changes})
    return client.wait_for("textDocument/publishDiagnostics",
                           lambda p: p["uri"] == uri and p.get("version") == version, timeout=120, after=mark).params


def _slice(text: str, rng: dict) -> str:
    index = LineIndex(text)
    return text[index.offset(rng["start"]["line"], rng["start"]["character"]):
                index.offset(rng["end"]["line"], rng["end"]["character"])]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lsp")
    client = _client(folder)
    yield client, folder
    assert client.close() == 0


def test_initialize_advertises_what_the_server_does(tmp_path):
    client = LspClient([sys.executable, "-m", "opencomms", "lsp"], cwd=tmp_path)
    result = client.initialize(tmp_path.as_uri(), {"debounce_ms": 0})
    caps = result["capabilities"]
    assert result["serverInfo"]["name"] == "opencomms"
    assert caps["positionEncoding"] == "utf-16"
    assert caps["hoverProvider"] and caps["textDocumentSync"]["change"] == 2  # incremental
    assert set(caps["codeActionProvider"]["codeActionKinds"]) == {"quickfix", "source.fixAll.opencomms"}
    assert client.close() == 0


def test_diagnostics_on_open_with_utf16_columns_code_action_and_hover(server):
    client, folder = server
    uri = (folder / "besluit.md").as_uri()
    params = _open(client, uri, TEXT)
    assert params["version"] == 1
    diags = {d["code"]: d for d in params["diagnostics"]}
    d = diags["begrijpelijk.officialese"]
    # 'Wij 𝔘 hebben ' : the Fraktur letter is outside the BMP, so it counts 2 UTF-16 code units
    assert d["range"] == {"start": {"line": 2, "character": 14}, "end": {"line": 2, "character": 22}}
    assert _slice(TEXT, d["range"]) == "derhalve"
    assert d["severity"] == 2 and d["source"] == "opencomms" and "ambtelijke taal" in d["message"]

    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}})
    titles = [a["title"] for a in actions]
    assert titles[0] == "Vervang 'derhalve' door 'daarom'" and actions[0]["isPreferred"] is True
    assert "Vervang 'derhalve' door 'dus'" in titles
    edit = actions[0]["edit"]["documentChanges"][0]
    assert edit["textDocument"] == {"uri": uri, "version": 1}
    assert apply_edits(TEXT, edit["edits"]) == TEXT.replace("derhalve", "daarom")

    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": {"line": 2, "character": 17}})
    value = hover["contents"]["value"]
    assert hover["contents"]["kind"] == "markdown" and hover["range"] == d["range"]
    assert "begrijpelijk.officialese" in value and "Waarom" in value and "**Beter:**" in value and "- daarom" in value
    assert client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}) is None

    status = client.wait_for("window/showMessage", lambda p: "besluit.md" in p["message"])
    assert status.params["type"] == 3 and "score" in status.params["message"] and "Begrijpelijk" in status.params["message"]


def test_incremental_changes_crlf_and_stale_results(server):
    client, folder = server
    uri = (folder / "brief.txt").as_uri()
    text = "Geachte heer,\r\n\r\nWij hebben het besluit genomen.\r\nDat is alles.\r\n"
    params = _open(client, uri, text, language="plaintext")
    assert not [d for d in params["diagnostics"] if d["code"] == "begrijpelijk.officialese"]
    # insert 'derhalve ' on line 2 (after a CRLF line break), then rename a word on line 3 in the same batch
    params = _change(client, uri, 2, [
        {"range": {"start": {"line": 2, "character": 11}, "end": {"line": 2, "character": 11}}, "text": "derhalve "},
        {"range": {"start": {"line": 3, "character": 4}, "end": {"line": 3, "character": 6}}, "text": "was"},
    ])
    expected = "Geachte heer,\r\n\r\nWij hebben derhalve het besluit genomen.\r\nDat was alles.\r\n"
    found = [d for d in params["diagnostics"] if d["code"] == "begrijpelijk.officialese"]
    assert len(found) == 1 and _slice(expected, found[0]["range"]) == "derhalve"
    assert found[0]["range"]["start"] == {"line": 2, "character": 11}

    # a whole-document change, then the fix applied by the client: the finding is gone
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": found[0]["range"],
                                                         "context": {"diagnostics": found}})
    fixed = apply_edits(expected, actions[0]["edit"]["documentChanges"][0]["edits"])
    assert fixed == expected.replace("derhalve", "daarom")
    params = _change(client, uri, 3, [{"text": fixed}])
    assert not [d for d in params["diagnostics"] if d["code"] == "begrijpelijk.officialese"]

    # close: diagnostics are cleared
    mark = client.mark()
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    cleared = client.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == uri and p["diagnostics"] == [],
                              after=mark)
    assert cleared.params["diagnostics"] == []
    assert client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 12}}) is None


def test_fix_all_source_action_is_guarded_and_complete(server):
    client, folder = server
    uri = (folder / "alles.md").as_uri()
    text = "Wij hebben derhalve besloten. Dit geldt voor huurders alsmede voor eigenaren.\n"
    _open(client, uri, text)
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
        "context": {"diagnostics": [], "only": ["source.fixAll"]}})
    assert [a["kind"] for a in actions] == ["source.fixAll.opencomms"]
    assert "2 veilige vervangingen" in actions[0]["title"]
    result = apply_edits(text, actions[0]["edit"]["documentChanges"][0]["edits"])
    assert result == "Wij hebben daarom besloten. Dit geldt voor huurders en voor eigenaren.\n"


def test_config_errors_are_shown_once_and_the_server_lives_on(server):
    client, folder = server
    broken = folder / "kapot"
    broken.mkdir()
    (broken / "opencomms.yaml").write_text("fail_on: loud\n", encoding="utf-8")
    uri = (broken / "a.md").as_uri()
    params = _open(client, uri, "Wij hebben derhalve besloten.\n")
    assert params["diagnostics"] == []
    message = client.wait_for("window/showMessage", lambda p: p["type"] == 1)
    assert "opencomms.yaml" in message.params["message"] and "fail_on" in message.params["message"]
    # repaired on disk: the next check picks the new configuration up without a restart
    (broken / "opencomms.yaml").write_text("fail_on: error\n", encoding="utf-8")
    params = _change(client, uri, 2, [{"text": "Wij hebben derhalve besloten.\n\n"}])
    assert any(d["code"] == "begrijpelijk.officialese" for d in params["diagnostics"])


def test_status_as_progress_and_as_notification(tmp_path):
    capabilities = {"window": {"workDoneProgress": True}, "general": {"positionEncodings": ["utf-8"]},
                    "workspace": {"workspaceEdit": {"documentChanges": False}}}
    client = _client(tmp_path, {"status": "progress"}, capabilities)
    uri = (tmp_path / "a.md").as_uri()
    text = "Ë 😀 Wij hebben derhalve besloten.\n"
    params = _open(client, uri, text)
    d = next(d for d in params["diagnostics"] if d["code"] == "begrijpelijk.officialese")
    # UTF-8 positions were negotiated: Ë is 2 bytes, the emoji 4
    assert d["range"]["start"] == {"line": 0, "character": len("Ë 😀 Wij hebben ".encode())}
    end = client.wait_for("$/progress", lambda p: p["value"]["kind"] == "end")
    assert "score" in end.params["value"]["message"]
    assert any(r.method == "window/workDoneProgress/create" for r in client.requests)
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": d["range"],
                                                         "context": {"diagnostics": [d]}})
    assert apply_edits(text, actions[0]["edit"]["changes"][uri], "utf-8") == text.replace("derhalve", "daarom")
    assert client.close() == 0

    client = _client(tmp_path, {"opencomms": {"status": "notification"}})
    _open(client, uri, text)
    note = client.wait_for("opencomms/status")
    assert note.params["uri"] == uri and note.params["version"] == 1 and isinstance(note.params["score"], int)
    assert {p["id"] for p in note.params["principles"]} >= {"begrijpelijk"}
    assert not [n for n in client.notifications if n.method == "window/showMessage"]
    assert client.close() == 0


# --- positions ---------------------------------------------------------------------------------------------


def test_line_index_units_and_line_breaks():
    text = "a😀b\r\nc\rd\ne\x0cf\u2028g"
    index = LineIndex(text)
    assert index.position(text.index("b")) == (0, 3)  # the emoji is 2 UTF-16 units
    assert index.position(text.index("c")) == (1, 0)  # after CR LF
    assert index.position(text.index("d")) == (2, 0)  # after a lone CR
    assert index.position(text.index("g")) == (3, 4)  # form feed and U+2028 do not end a line in LSP
    assert index.position(text.index("\n")) == (0, 4)  # inside CR LF: the end of the line
    assert LineIndex(text, "utf-8").position(text.index("b")) == (0, 5)
    assert LineIndex(text, "utf-32").position(text.index("b")) == (0, 2)
    assert index.offset(0, 99) == text.index("\r")  # clamped to the line
    assert index.offset(99, 0) == len(text)
    assert apply_change("ab\r\ncd", (1, 1), (1, 1), "X") == "ab\r\ncXd"
    assert units("😀é") == 3 and units("😀é", "utf-8") == 6 and units("😀é", "utf-32") == 2


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \r\n\t😀𝔘éЖ\x0c\u2028")), max_size=40), st.data())
def test_line_index_round_trip(text, data):
    offset = data.draw(st.integers(0, len(text)))
    if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n":
        offset -= 1  # between CR and LF is no position of its own
    for encoding in ("utf-16", "utf-8", "utf-32"):
        index = LineIndex(text, encoding)
        assert index.offset(*index.position(offset)) == offset


# --- incremental analysis -----------------------------------------------------------------------------------


def test_incremental_analysis_matches_the_whole_text_on_the_examples(checker):
    """Per-block analysis (editor) and whole-text analysis (check) can in principle differ near block edges
    (the tok2vec window); on the bundled examples they must not (docs/editors.md gives the figures)."""
    from opencomms.lsp.analysis import IncrementalAnalyser
    from opencomms.readers import read

    analyser = IncrementalAnalyser(checker.nlp)

    def keys(result):
        return [(f.rule, f.offset, f.end_offset, f.level, f.message) for f in result.findings]

    for path in sorted((ROOT / "examples").glob("*")):
        source = read(path)
        whole = checker.check_one(source)
        parts = checker.check_doc(source, analyser.doc(source), checker.settings(source))
        assert analyser.doc(source).text == source.checked
        assert keys(parts) == keys(whole), path.name
        assert parts.scores["score"] == whole.scores["score"], path.name


def test_incremental_analysis_reanalyses_only_edited_blocks(checker):
    from opencomms.fixer import source_from_text
    from opencomms.lsp.analysis import IncrementalAnalyser

    analyser = IncrementalAnalyser(checker.nlp)
    text = (ROOT / "examples" / "webtekst.md").read_text(encoding="utf-8")
    source = source_from_text(text, "webtekst.md", "markdown")
    analyser.doc(source)
    before = analyser.analysed
    paragraph = next(b for b in source.blocks if b.kind == "paragraph")
    edited = text[:paragraph.start] + "Wij hebben derhalve besloten. " + text[paragraph.start:]
    result = checker.check_doc(source_from_text(edited, "webtekst.md", "markdown"),
                               analyser.doc(source_from_text(edited, "webtekst.md", "markdown")), checker.settings(source))
    assert analyser.analysed - before == 1  # only the edited paragraph went through the pipeline again
    assert any(f.rule == "begrijpelijk.officialese" and f.text == "derhalve" for f in result.findings)
