"""``opencomms fix`` on real files, as a real subprocess: byte-for-byte round trips (CRLF, Windows-1252,
UTF-8 with BOM, UTF-16, front matter), --diff, --interactive driven through standard input, refusing to
overwrite a file that changed on disk, exit codes, and the guard: no fix may make a new error-level
finding appear, checked over every fixable entry of every fixable rule."""

from __future__ import annotations

import codecs
from collections import Counter
import os
import subprocess
import sys
import threading

import pytest
import yaml

from conftest import ROOT
from opencomms import lexicons, yamlfile
from opencomms.errors import InputError
from opencomms.finding import Fix, Level
from opencomms.fixer import (
    Snapshot,
    apply_fixes,
    literal,
    encode_like,
    guard,
    map_back,
    select,
    source_from_text,
    write_if_unchanged,
)
from opencomms.readers import parse_bytes

EXAMPLES = ROOT / "examples"
PLAIN = "Wij hebben derhalve besloten de regeling te verlengen. Heeft u vragen? Bel ons.\n"


def _env():
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)
    return env


# --- the fixer's pieces --------------------------------------------------------------------------------


def test_select_apply_and_map_back():
    text = "aa derhalve bb teneinde cc"
    fixes = [Fix(3, 11, "daarom"), Fix(15, 23, "om"), Fix(5, 9, "x")]  # the last overlaps the first
    chosen = select(fixes)
    assert chosen == [Fix(3, 11, "daarom"), Fix(15, 23, "om")]
    fixed = apply_fixes(text, fixes)
    assert fixed == "aa daarom bb om cc"
    # every offset outside a replacement maps back to the same character
    for new, old in ((0, 0), (2, 2), (9, 11), (10, 12), (12, 14), (15, 23), (16, 24), (len(fixed), len(text))):
        assert fixed[new:new + 1] == text[old:old + 1]
        assert map_back(new, chosen) == old
    assert map_back(3, chosen) == 3 and map_back(13, chosen) == 15  # a replacement's start: the replaced start
    # inside a replacement: its start, or its end for end offsets
    assert map_back(5, chosen) == 3 and map_back(5, chosen, at_end=True) == 11
    assert map_back(9, chosen, at_end=True) == 11


@pytest.mark.parametrize("encoding,data", [
    ("utf-8", "Één zin.\r\nTwee.\r\n".encode("utf-8")),
    ("utf-8-sig", codecs.BOM_UTF8 + "Één zin.\n".encode("utf-8")),
    ("utf-16", codecs.BOM_UTF16_BE + "Één zin.\n".encode("utf-16-be")),
    ("utf-16", codecs.BOM_UTF16_LE + "Één zin.\n".encode("utf-16-le")),
    ("cp1252", "Één ‘zin’ € 5.\r\n".encode("cp1252")),
])
def test_readers_round_trip_byte_for_byte(encoding, data):
    source = parse_bytes(data, "x.txt", "text")
    assert source.encoding == encoding
    assert encode_like(source.text, source.encoding, data) == data


def test_literal_only_where_the_source_has_the_checked_text():
    source = source_from_text("Wij *derhalve* doen [dit](https://derhalve.nl).\n", "x.md", "markdown")
    assert literal(source, Fix(5, 13, "daarom"))  # inside the emphasis
    assert not literal(source, Fix(4, 13, "daarom"))  # includes the blanked '*'


def test_source_from_text_keeps_a_leading_feff_and_markdown_masking():
    source = source_from_text("\ufeffWij hebben derhalve besloten.\n", "x.txt", "text")
    assert source.text.startswith("\ufeff") and len(source.checked) == len(source.text)
    md = source_from_text("---\ntitle: derhalve\n---\n\nWij `derhalve` doen.\n", "x.md", "markdown")
    assert "derhalve" not in md.checked


def test_write_if_unchanged_refuses_a_file_changed_since_it_was_read(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"Wij hebben derhalve besloten.\n")
    snapshot = Snapshot.take(path)
    # same size and mtime, other content: only the hash can tell
    stat = path.stat()
    path.write_bytes(b"Wij hebben DERHALVE besloten.\n")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(InputError, match="changed on disk"):
        write_if_unchanged(snapshot, b"Wij hebben daarom besloten.\n")
    assert path.read_bytes() == b"Wij hebben DERHALVE besloten.\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]  # no temporary file left behind
    fresh = Snapshot.take(path)
    write_if_unchanged(fresh, b"Wij hebben daarom besloten.\n")
    assert path.read_bytes() == b"Wij hebben daarom besloten.\n"
    link = tmp_path / "link.txt"
    link.symlink_to(path)
    write_if_unchanged(Snapshot.take(link), b"Via de link.\n")
    assert link.is_symlink() and path.read_bytes() == b"Via de link.\n"


# --- the command on real files ---------------------------------------------------------------------------


def test_fix_many_encodings_and_line_endings_in_one_run(cli, tmp_path):
    """CRLF + Windows-1252, UTF-8 with BOM, UTF-16 BE, Markdown with front matter: only the replaced words
    change, every other byte stays."""
    files = {
        "crlf.txt": ("Café De Gouden Leeuw: wij hebben derhalve besloten te sluiten.\r\n"
                     "\r\nHeeft u vragen? Bel ons op 1400, of mail ‘info’.\r\n", "cp1252"),
        "bom.txt": ("Wij hebben derhalve besloten. Dit geldt voor huurders alsmede voor eigenaren.\n", "utf-8-sig"),
        "wide.txt": ("Wij hebben derhalve besloten.\nHeeft u vragen? Bel ons.\n", "utf-16-be-bom"),
        "page.md": ("---\ntitle: derhalve blijft staan\n---\n\n# Besluit\n\nWij hebben derhalve besloten.\n"
                    "Code `derhalve` blijft.\n\nHeeft u vragen? Bel ons.", "utf-8"),
    }
    for name, (text, encoding) in files.items():
        data = codecs.BOM_UTF16_BE + text.encode("utf-16-be") if encoding == "utf-16-be-bom" else text.encode(encoding)
        (tmp_path / name).write_bytes(data)
    proc = cli("fix", *sorted(files), "--fail-on", "never", cwd=tmp_path)
    out = proc.stdout.decode()
    assert proc.returncode == 0, proc.stderr.decode()
    assert "crlf.txt:1:" in out and "'derhalve' → 'daarom'" in out and "vervanging" in out

    def expected(text, *swaps):
        for old, new in swaps:
            text = text.replace(old, new, 1)
        return text

    crlf = (tmp_path / "crlf.txt").read_bytes()
    assert crlf == expected(files["crlf.txt"][0], ("derhalve", "daarom")).encode("cp1252")
    assert crlf.count(b"\r\n") == 3 and "Café".encode("cp1252") in crlf
    bom = (tmp_path / "bom.txt").read_bytes()
    assert bom == codecs.BOM_UTF8 + expected(files["bom.txt"][0], ("derhalve", "daarom"), ("alsmede", "en")).encode()
    wide = (tmp_path / "wide.txt").read_bytes()
    assert wide == codecs.BOM_UTF16_BE + expected(files["wide.txt"][0], ("derhalve", "daarom")).encode("utf-16-be")
    page = (tmp_path / "page.md").read_bytes().decode()
    assert page == files["page.md"][0].replace("Wij hebben derhalve", "Wij hebben daarom")
    assert page.startswith("---\ntitle: derhalve blijft staan\n---\n") and "`derhalve`" in page
    assert not page.endswith("\n")  # no newline added at the end
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(files)  # no temporary files left

    again = cli("fix", *sorted(files), "--fail-on", "never", cwd=tmp_path)  # idempotent
    assert again.returncode == 0 and again.stdout.decode().count("niets om automatisch te verbeteren") == 4


def test_fix_diff_writes_nothing_and_patch_applies(cli, tmp_path):
    path = tmp_path / "brief.txt"
    original = ("Geachte heer,\r\n\r\nWij hebben derhalve besloten uw aanvraag toe te kennen.\r\n"
                "Dit geldt alsmede voor uw partner.\r\n").encode("cp1252")
    path.write_bytes(original)
    before = path.stat().st_mtime_ns
    proc = cli("fix", "brief.txt", "--diff", "--fail-on", "never", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert path.read_bytes() == original and path.stat().st_mtime_ns == before
    diff = proc.stdout.decode("cp1252")
    assert diff.startswith("--- a/brief.txt\n+++ b/brief.txt\n")
    assert "-Wij hebben derhalve besloten uw aanvraag toe te kennen.\r\n" in diff
    assert "+Wij hebben daarom besloten uw aanvraag toe te kennen.\r\n" in diff
    assert "vervangingen voorgesteld, niets opgeslagen" in proc.stderr.decode()
    # the diff is the change fix would make: applying it gives what fix writes
    rebuilt = _apply_unified(original.decode("cp1252"), diff)
    cli("fix", "brief.txt", "--fail-on", "never", cwd=tmp_path)
    assert path.read_bytes() == rebuilt.encode("cp1252")


def _apply_unified(text: str, diff: str) -> str:
    """Apply a unified diff made by difflib (whole-line hunks) to ``text``."""
    lines = [line + "\n" for line in text.split("\n")[:-1]] + ([text.split("\n")[-1]] if text.split("\n")[-1] else [])
    out, i = [], 0
    body = diff.split("\n")
    hunks = [n for n, line in enumerate(body) if line.startswith("@@")]
    for n in hunks:
        start = int(body[n].split()[1].split(",")[0].lstrip("-")) - 1
        out.extend(lines[i:start])
        i = start
        for line in body[n + 1:]:
            if line.startswith("@@"):
                break
            if line.startswith(" "):
                out.append(lines[i])
                i += 1
            elif line.startswith("-"):
                i += 1
            elif line.startswith("+"):
                out.append(line[1:] + "\n")
    out.extend(lines[i:])
    return "".join(out)


def test_fix_standard_input_to_standard_output(cli):
    proc = cli("fix", "-", "--fail-on", "never", input=PLAIN)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode() == PLAIN.replace("derhalve", "daarom")
    assert "'derhalve' → 'daarom'" in proc.stderr.decode()


def test_fix_errors_are_one_line_and_other_files_survive(cli, tmp_path):
    (tmp_path / "good.txt").write_text(PLAIN, encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02derhalve")
    proc = cli("fix", "binary.txt", cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and err.count("\n") == 1 and "binary.txt" in err and "Traceback" not in err
    proc = cli("fix", "missing.txt", "good.txt", "binary.txt", cwd=tmp_path)
    assert proc.returncode == 2 and "missing.txt" in proc.stderr.decode()
    proc = cli("fix", "good.txt", "binary.txt", "--fail-on", "never", cwd=tmp_path)
    assert proc.returncode == 2 and "binary.txt" in proc.stderr.decode()
    assert (tmp_path / "good.txt").read_text(encoding="utf-8") == PLAIN.replace("derhalve", "daarom")
    assert (tmp_path / "binary.txt").read_bytes() == b"\x00\x01\x02derhalve"
    # documents that are not plain text are never rewritten: refused by name, skipped in folders
    (tmp_path / "map").mkdir()
    (tmp_path / "map" / "nota.docx").write_bytes(b"PK\x03\x04 not really a document")
    (tmp_path / "map" / "a.md").write_text(PLAIN, encoding="utf-8")
    proc = cli("fix", "map/nota.docx", cwd=tmp_path)
    assert proc.returncode == 2 and "text files only" in proc.stderr.decode()
    proc = cli("fix", "map", "--fail-on", "never", cwd=tmp_path)
    assert proc.returncode == 0 and "nota.docx" not in proc.stdout.decode() + proc.stderr.decode()
    assert (tmp_path / "map" / "nota.docx").read_bytes() == b"PK\x03\x04 not really a document"
    assert (tmp_path / "map" / "a.md").read_text(encoding="utf-8") == PLAIN.replace("derhalve", "daarom")
    proc = cli("fix", "good.txt", "--fail-on", "loud", cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "must be one of" in err and err.count("\n") == 1


def test_fix_exit_code_follows_what_is_left(cli, tmp_path):
    # 40 words: a long-sentence error that no substitution can take away
    long = "Wij hebben derhalve " + " ".join(["besloten"] + ["de regeling"] * 18) + " te verlengen.\n"
    (tmp_path / "long.txt").write_text(long, encoding="utf-8")
    proc = cli("fix", "long.txt", "--diff", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr.decode()
    proc = cli("fix", "long.txt", "--diff", "--fail-on", "never", cwd=tmp_path)
    assert proc.returncode == 0


# --- interactive: stdin drives the prompts --------------------------------------------------------------


INTERACTIVE = "Wij hebben derhalve besloten. Dit geldt voor huurders alsmede voor eigenaren. Wij kijken o.a. naar de kosten.\n"


def test_interactive_choose_alternative_skip_and_accept(cli, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(INTERACTIVE, encoding="utf-8")
    # derhalve: first an invalid answer, then alternative 2 ('dus'); alsmede: skip; o.a.: accept the safe fix
    proc = cli("fix", "-i", "a.txt", "--fail-on", "never", input="x\n2\nn\nj\n", cwd=tmp_path)
    out = proc.stdout.decode()
    assert proc.returncode == 0, proc.stderr.decode()
    assert "Kies een van de opties" in out and "(1/3)" in out and "dus" in out
    assert path.read_text(encoding="utf-8") == INTERACTIVE.replace("derhalve", "dus").replace("o.a.", "onder andere")


def test_interactive_stop_keeps_choices_so_far_and_eof_stops(cli, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(INTERACTIVE, encoding="utf-8")
    proc = cli("fix", "-i", "a.txt", "--fail-on", "never", input="j\ns\n", cwd=tmp_path)
    assert proc.returncode == 0 and "Gestopt" in proc.stdout.decode()
    assert path.read_text(encoding="utf-8") == INTERACTIVE.replace("derhalve", "daarom")
    proc = cli("fix", "-i", "a.txt", "--fail-on", "never", input="", cwd=tmp_path)  # end of input: stop
    assert proc.returncode == 0 and path.read_text(encoding="utf-8") == INTERACTIVE.replace("derhalve", "daarom")


def test_interactive_refuses_to_overwrite_a_file_edited_meanwhile(tmp_path):
    """While fix waits at its prompt, someone saves the file: the answer must not overwrite that."""
    path = tmp_path / "a.txt"
    path.write_text(INTERACTIVE, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "opencomms", "fix", "-i", "a.txt"], cwd=tmp_path, env=_env(),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen = bytearray()
    prompted = threading.Event()

    def read():
        while chunk := proc.stdout.read1(4096):
            seen.extend(chunk)
            if b"Vervangen?" in seen:
                prompted.set()
        prompted.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert prompted.wait(300) and b"Vervangen?" in seen, seen.decode()
    path.write_text("Iemand anders heeft dit bestand intussen opgeslagen.\n", encoding="utf-8")
    _, err = proc.communicate(b"j\nj\nj\n", timeout=300)
    assert proc.returncode == 2, err.decode()
    assert "changed on disk" in err.decode() and err.decode().count("\n") == 1
    assert path.read_text(encoding="utf-8") == "Iemand anders heeft dit bestand intussen opgeslagen.\n"


def test_interactive_and_standard_input_do_not_mix(cli):
    proc = cli("fix", "-i", "-", input=PLAIN)
    assert proc.returncode == 2 and "--interactive" in proc.stderr.decode()


# --- the guard: a fix never adds an error-level finding ---------------------------------------------------


def _long_sentence_case(checker):
    """A sentence just under the long-sentence error threshold that 'o.a.' → 'onder andere' pushes over."""
    for n, extra in ((n, extra) for n in range(5, 30) for extra in ("", "nu ")):
        text = f"Wij kijken {extra}o.a. naar " + ", ".join(["de kosten"] * n) + " van de zorg.\n"
        before = checker.check_one(source_from_text(text, "t.txt", "text"))
        errors = [f for f in before.findings if f.level == Level.error]
        fixed = apply_fixes(text, [f.fix for f in before.findings if f.fix])
        after = checker.check_one(source_from_text(fixed, "t.txt", "text"))
        if not errors and any(f.rule == "begrijpelijk.long-sentence" and f.level == Level.error for f in after.findings):
            return text, before
    pytest.skip("no sentence found that a fix pushes over the long-sentence error threshold")


def test_guard_takes_back_the_fix_that_makes_a_sentence_too_long(checker, cli, tmp_path):
    text, before = _long_sentence_case(checker)
    outcome = guard(checker, before, [f.fix for f in before.findings if f.fix])
    assert outcome.text == text and not outcome.applied
    assert [r.rules for r in outcome.rejected] == [("begrijpelijk.long-sentence",)]
    (tmp_path / "t.txt").write_text(text, encoding="utf-8")
    proc = cli("fix", "t.txt", cwd=tmp_path)
    out = proc.stdout.decode()
    assert proc.returncode == 0, proc.stderr.decode()
    assert "'o.a.' niet vervangen door 'onder andere': dan ontstaat een nieuwe fout (begrijpelijk.long-sentence)" in out, out
    assert (tmp_path / "t.txt").read_text(encoding="utf-8") == text


def _fixable_cases():
    """(rule id, lexicon entry term, surface form) for every fixable entry of every fixable rule."""
    from opencomms.ruleset import load_rules

    cases = []
    for rule in load_rules():
        if not rule.fixable:
            continue
        spec = yamlfile.load(rule.path).data
        if "lexicon" in spec:
            for entry in lexicons.load(spec["lexicon"]).entries:
                if not entry.fixable:
                    continue
                if rule.kind == "abbreviation" and "." not in entry.term:
                    continue
                cases.append((rule.id, entry.term, entry.term))
                cases.extend((rule.id, entry.term, form) for form in entry.forms)
        for term in spec.get("swap", {}):
            cases.append((rule.id, term, term))
    return cases


CARRIER = "De gemeente meldt dat {} de nieuwe regeling per 1 januari voor alle inwoners geldt."


def test_no_fix_adds_an_error_over_every_fixable_entry(checker, tmp_path):
    """Each fixable entry (and inflected form) in a realistic sentence, checked with EVERY rule raised to
    error level: after the guarded fix no new error-level finding exists. Entries whose plain fix would
    have added one are listed (the guard took those fixes back)."""
    from opencomms.ruleset import load_rules
    from opencomms.runner import Checker

    cases = _fixable_cases()
    assert len(cases) > 50, "expected the bundled lexicons to have many fixable entries"
    config = tmp_path / "opencomms.yaml"
    config.write_text(yaml.safe_dump({"rules": {r.id: {"level": "error"} for r in load_rules()}}), encoding="utf-8")
    strict = Checker(config_path=str(config))
    sources = [source_from_text(CARRIER.format(form) + "\n", "case.txt", "text") for _rule, _term, form in cases]
    results = list(strict.run(sources))
    not_found, took_back = [], []
    start = len(CARRIER.split("{}")[0])
    for (rule_id, term, form), result in zip(cases, results):
        fixes = [f.fix for f in result.findings if f.fix is not None and f.rule == rule_id and f.offset == start]
        if not fixes:
            not_found.append((rule_id, form))
            continue
        outcome = guard(strict, result, [f.fix for f in result.findings if f.fix is not None])
        after = strict.check_one(source_from_text(outcome.text, "case.txt", "text"))
        # per rule, never more error-level findings than before (independent of how the guard matches them)
        before_count = Counter(f.rule for f in result.findings if f.level >= Level.error)
        after_count = Counter(f.rule for f in after.findings if f.level >= Level.error)
        grown = {rule: n for rule, n in after_count.items() if n > before_count[rule]}
        assert not grown, f"{rule_id} {form!r}: the fixed text {outcome.text!r} has more errors: {grown}"
        if outcome.rejected:
            took_back.append((rule_id, form, outcome.rejected[0].fix.replacement, outcome.rejected[0].rules))
    terms_not_found = [(r, f) for r, f in not_found if any(c == (r, f, f) for c in cases)]
    terms = sum(1 for _r, term, form in cases if term == form)
    print(f"\n{len(cases)} fixable cases ({terms} terms); guard took back {len(took_back)}; "
          f"terms without a fix: {len(terms_not_found)}; forms not recognised: {len(not_found) - len(terms_not_found)}")
    for item in took_back:
        print("  taken back:", item)
    for item in terms_not_found:
        print("  no fix:", item)
    # The invariant above is the point; this keeps the test from passing vacuously. (Which dotted
    # abbreviations the tokenizer keeps whole depends on the pipeline: those are printed, not failed.)
    assert len(terms_not_found) <= terms // 10, f"most fixable terms produce no fix: {terms_not_found[:20]}"
