"""``opencomms audit``: real archives, real worker processes, a real Dask LocalCluster, real kill -9.

The archive is built by tests/test_audit_corpus.py from our own Dutch sentences.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_audit_corpus import make_archive

from opencomms.audit import metadata
from opencomms.errors import InputError


def rows(db: Path) -> tuple[list, list]:
    """Documents and findings as comparable tuples (no ids or timestamps)."""
    conn = sqlite3.connect(db)
    docs = conn.execute(
        "SELECT name, status, hash, score, score_begrijpelijk, score_aanspreekbaar, organisation, doctype, date, title,"
        " profile, words, sentences, findings, errors, warnings, suggestions, metrics, error FROM documents ORDER BY name"
    ).fetchall()
    findings = conn.execute(
        "SELECT d.name, f.rule, f.level, f.offset, f.end_offset, f.line, f.column, f.message, f.text, f.suggestion"
        " FROM findings f JOIN documents d ON d.id = f.document_id ORDER BY 1, 4, 5, 2"
    ).fetchall()
    conn.close()
    return docs, findings


def status(cli, db: Path) -> dict:
    proc = cli("audit", "status", "--db", db, "--format", "json")
    assert proc.returncode == 0, proc.stderr.decode()
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    """One archive (24 good documents, 2 bad ones), audited with two local worker processes."""
    from conftest import run_cli

    base = tmp_path_factory.mktemp("audit")
    archive = make_archive(base / "archive")
    db = base / "audit.sqlite"
    proc = run_cli("audit", archive["root"], "--db", db, "--workers", "2", "--index", archive["index"],
                   "--index-field", "type=soort", cwd=base)
    return {"base": base, "db": db, "proc": proc, **archive}


def test_audit_records_every_document_with_scores_and_findings(audited, cli):
    proc = audited["proc"]
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode()
    assert "Audit klaar: 26 documenten" in out
    assert "gecontroleerd 24" in out and "mislukt 2" in out
    info = status(cli, audited["db"])
    assert {k: info[k] for k in ("documents", "done", "failed", "pending")} == {
        "documents": 26, "done": 24, "failed": 2, "pending": 0}
    assert info["complete"] is True and info["findings"] > 0
    docs, findings = rows(audited["db"])
    done = [d for d in docs if d[1] == "done"]
    assert all(d[3] is not None and 0 <= d[3] <= 100 for d in done)
    assert all(d[11] > 0 for d in done)  # words
    # the findings column agrees with the finding rows, and no finding is stored twice
    per_doc: dict[str, int] = {}
    for f in findings:
        per_doc[f[0]] = per_doc.get(f[0], 0) + 1
    assert all(per_doc.get(d[0], 0) == d[13] for d in done)
    assert len(set(findings)) == len(findings)
    # officialese documents score lower than plain ones (bericht 5 is 80% officialese, bericht 1 plain)
    score = {d[0]: d[3] for d in done}
    assert score["2023/bericht-005.md"] < score["2019/bericht-001.txt"]


def test_failed_documents_are_recorded_with_their_reason(audited):
    docs, _ = rows(audited["db"])
    failed = {d[0]: d[18] for d in docs if d[1] == "failed"}
    assert set(failed) == {"kapot/binair.txt", "kapot/voorwerk.md"}
    assert "binary" in failed["kapot/binair.txt"]
    assert "front matter" in failed["kapot/voorwerk.md"]


def test_metadata_comes_from_front_matter_and_the_index(audited):
    docs = {d[0]: d for d in rows(audited["db"])[0]}
    md = docs["2020/bericht-002.md"]  # front matter
    assert md[6:10] == ("Ministerie van Financiën", "persbericht", "2020-06-02", "Bericht 2 over de nieuwe regels")
    txt = docs["2019/bericht-001.txt"]  # index.csv
    assert txt[6:10] == ("Ministerie van Binnenlandse Zaken", "persbericht", "2019-01-15", "Bericht 1 over de nieuwe regels")
    # a document type that names a profile selects it
    assert md[10] == "persbericht" and docs["2021/bericht-003.md"][10] == "kamerbrief"
    assert docs["2020/bericht-008.md"][10] == "default"  # nieuwsbericht is not a profile


def test_rerun_skips_unchanged_documents_and_redoes_changed_ones(audited, cli, tmp_path):
    db = tmp_path / "copy.sqlite"
    src = sqlite3.connect(audited["db"])
    dst = sqlite3.connect(db)
    src.backup(dst)
    src.close()
    dst.close()
    before = rows(db)
    proc = cli("audit", audited["root"], "--db", db, "--workers", "2", "--index", audited["index"],
               "--index-field", "type=soort", "--format", "json", cwd=audited["base"])
    assert proc.returncode == 0, proc.stderr.decode()
    summary = json.loads(proc.stdout)
    assert (summary["checked"], summary["skipped"], summary["failed"]) == (0, 26, 0)
    assert rows(db) == before
    # other settings cannot be mixed into the same database
    proc = cli("audit", audited["root"], "--db", db, "--profile", "webtekst")
    assert proc.returncode == 2
    assert "other settings" in proc.stderr.decode() and proc.stderr.decode().count("\n") == 1


def test_changed_touched_and_reindexed_documents(tmp_path, cli):
    archive = tmp_path / "archive"
    archive.mkdir()
    for name, text in (("a.txt", "Wij helpen u graag."), ("b.txt", "Derhalve is dit zo."), ("c.txt", "Bel ons gerust.")):
        (archive / name).write_text(text + "\n", encoding="utf-8")
    index = tmp_path / "index.csv"
    index.write_text("file,organisatie\narchive/c.txt,Gemeente Utrecht\n", encoding="utf-8")
    db = tmp_path / "audit.sqlite"
    args = ("audit", archive, "--db", db, "--workers", "1", "--index", index, "--format", "json")
    assert cli(*args, cwd=tmp_path).returncode == 0
    (archive / "a.txt").write_text("Teneinde dit te bereiken, wordt derhalve gehandeld.\n", encoding="utf-8")
    os.utime(archive / "b.txt")  # same content, new time: hashed, found unchanged, skipped
    index.write_text("file,organisatie\narchive/c.txt,Gemeente Zwolle\n", encoding="utf-8")
    proc = cli(*args, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    summary = json.loads(proc.stdout)
    assert (summary["checked"], summary["skipped"]) == (1, 2)
    docs = {d[0]: d for d in rows(db)[0]}
    assert docs["c.txt"][6] == "Gemeente Zwolle"  # the new index applies without checking again
    findings = {f[1] for f in rows(db)[1] if f[0] == "a.txt"}
    assert "begrijpelijk.officialese" in findings


def test_dask_local_cluster_gives_the_same_rows(audited, cli):
    pytest.importorskip("distributed")
    db = audited["base"] / "dask.sqlite"
    proc = cli("audit", audited["root"], "--db", db, "--local-cluster", "2", "--index", audited["index"],
               "--index-field", "type=soort", "--batch-size", "4", cwd=audited["base"])
    assert proc.returncode == 0, proc.stderr.decode()
    assert "dask LocalCluster, 2 processen" in proc.stdout.decode()
    assert rows(db) == rows(audited["db"])
    conn = sqlite3.connect(db)
    engine, workers = conn.execute("SELECT engine, workers FROM runs").fetchone()
    assert (engine, workers) == ("dask LocalCluster", 2)


def _wait_for_rows(db: Path, at_least: int, proc, timeout: float = 240) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"audit ended early: {proc.returncode} {proc.stderr.read().decode()}")
        if db.exists():
            try:
                conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
                n = conn.execute("SELECT COUNT(*) FROM documents WHERE status != 'pending'").fetchone()[0]
                conn.close()
                if n >= at_least:
                    return n
            except sqlite3.Error:
                pass
        time.sleep(0.2)
    raise AssertionError("no rows appeared in time")


def _start(args, cwd):
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.Popen([sys.executable, "-m", "opencomms", *map(str, args)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def test_kill_9_and_ctrl_c_then_rerun_loses_and_duplicates_nothing(tmp_path, cli, checker):
    from opencomms import readers

    archive = make_archive(tmp_path / "archive", n=60, seed=11)
    db = tmp_path / "audit.sqlite"
    args = ["audit", archive["root"], "--db", db, "--workers", "1", "--batch-size", "2"]

    # 1. kill -9 the whole process group half-way
    proc = _start(args, tmp_path)
    _wait_for_rows(db, 6, proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    first = status(cli, db)
    assert first["documents"] == 62 and 6 <= first["done"] + first["failed"] < 62 and first["pending"] > 0

    # 2. run again, then Ctrl-C (SIGINT to the process group, as a terminal does)
    proc = _start(args, tmp_path)
    _wait_for_rows(db, first["done"] + first["failed"] + 4, proc)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert "onderbroken" in err.decode() and "Traceback" not in err.decode()
    second = status(cli, db)
    assert second["last_run"]["status"] == "interrupted"
    assert second["done"] + second["failed"] > first["done"] + first["failed"]

    # 3. the same command finishes the job and skips what was done
    proc = cli(*args, "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    summary = json.loads(proc.stdout)
    assert summary["skipped"] == second["done"] + second["failed"]
    assert summary["checked"] + summary["failed"] + summary["skipped"] == 62
    final = status(cli, db)
    assert (final["documents"], final["done"], final["failed"], final["pending"]) == (62, 60, 2, 0)

    # every document has exactly the findings a single clean check gives
    docs, findings = rows(db)
    assert len({d[0] for d in docs}) == len(docs) == 62
    assert len(set(findings)) == len(findings)
    stored: dict[str, list] = {}
    for f in findings:
        stored.setdefault(f[0], []).append((f[1], f[3], f[4]))
    profiles = {d[0]: d[10] for d in docs}
    for path in sorted(Path(archive["root"]).rglob("bericht-*")):
        name = path.relative_to(archive["root"]).as_posix()
        source = readers.read(path)
        source.metadata["opencomms-profile"] = profiles[name]  # the audit picks the profile from the type
        result = checker.check_one(source)
        expected = sorted((f.rule, f.offset, f.end_offset) for f in result.findings)
        assert sorted(stored.get(name, [])) == expected, name


def test_unusable_database_is_refused_and_left_untouched(tmp_path, cli):
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "a.txt").write_text("Een korte zin.\n", encoding="utf-8")
    notes = tmp_path / "notes.txt"
    notes.write_text("mijn aantekeningen\n", encoding="utf-8")
    proc = cli("audit", archive, "--db", notes)
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert err.count("\n") == 1 and "notes.txt" in err and "not an SQLite database" in err
    assert notes.read_text(encoding="utf-8") == "mijn aantekeningen\n"

    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE klanten (naam TEXT)")
    conn.commit()
    conn.close()
    data = other.read_bytes()
    proc = cli("audit", archive, "--db", other)
    assert proc.returncode == 2 and "something else" in proc.stderr.decode()
    assert other.read_bytes() == data

    for args, message in (
        (("audit", tmp_path / "missing", "--db", tmp_path / "x.sqlite"), "no such file or directory"),
        (("audit", "status", "--db", tmp_path / "none.sqlite"), "no such audit database"),
        (("audit", "report", "--db", tmp_path / "none.sqlite", "--html", tmp_path / "r.html"), "no such audit database"),
        (("audit", archive, "--db", tmp_path / "x.sqlite", "--index", tmp_path / "index.csv"), "no such index file"),
    ):
        proc = cli(*args)
        assert proc.returncode == 2, args
        assert message in proc.stderr.decode() and "Traceback" not in proc.stderr.decode()
    assert not (tmp_path / "none.sqlite").exists()


def test_a_pipeline_that_cannot_load_stops_the_run_with_one_line(tmp_path, cli):
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "a.txt").write_text("Een korte zin.\n", encoding="utf-8")
    proc = cli("audit", archive, "--db", tmp_path / "a.sqlite", "--workers", "1", "--model", tmp_path / "geen-model")
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert err.count("\n") == 1 and "geen-model" in err and "not found" in err
    info = json.loads(cli("audit", "status", "--db", tmp_path / "a.sqlite", "--format", "json").stdout)
    assert (info["documents"], info["pending"], info["last_run"]["status"]) == (1, 1, "interrupted")


def test_worker_batch_isolates_a_failing_document(checker):
    from opencomms.audit import work

    items = [
        {"id": 1, "path": "/archief/goed.txt", "name": "goed.txt", "data": "Wij helpen u graag.".encode(), "doctype": None},
        {"id": 2, "path": "/archief/kapot.txt", "name": "kapot.txt", "data": b"\x00\x01" * 50, "doctype": None},
        {"id": 3, "path": "/archief/brief.md", "name": "brief.md", "data": "---\ntype: kamerbrief\n---\n\nDerhalve is dit zo.\n".encode(),
         "doctype": None},
    ]
    answer = work.process_batch(items, {"model": None, "config": None, "profile": None})
    statuses = [(r["id"], r["status"]) for r in answer["results"]]
    assert statuses == [(1, "done"), (2, "failed"), (3, "done")]
    assert answer["results"][2]["profile"] == "kamerbrief"
    assert any(f["rule"] == "begrijpelijk.officialese" for f in answer["results"][2]["findings"])
    json.dumps(answer)  # only plain data crosses process boundaries


def test_dates_and_metadata_are_normalised():
    assert metadata.parse_date("2024-03-07") == "2024-03-07"
    assert metadata.parse_date("2024-03-07T10:00:00+01:00") == "2024-03-07"
    assert metadata.parse_date("7-3-2024") == "2024-03-07"
    assert metadata.parse_date("donderdag 7 maart 2024") == "2024-03-07"
    assert metadata.parse_date("2024") == "2024"
    assert metadata.parse_date("2024-13-01") is None and metadata.parse_date("gisteren") is None
    meta = metadata.normalise({"Titel": "Uit het document", "DCTERMS.creator": "Ministerie van Financiën",
                               "datum": "1 mei 2023"}, {"soort": "persbericht"}, "Kop", "x/bericht.md")
    assert meta == {"title": "Uit het document", "date": "2023-05-01", "year": 2023,
                    "organisation": "Ministerie van Financiën", "doctype": "persbericht"}
    fallback = metadata.normalise({}, None, None, "archief/2021-06-30-nieuws.txt")
    assert (fallback["date"], fallback["title"], fallback["organisation"]) == ("2021-06-30", "2021-06-30-nieuws", None)
    assert metadata.parse_fields(["type=collection"]) == {"doctype": ("collection",)}
    with pytest.raises(InputError):
        metadata.parse_fields(["kleur=rood"])


def test_index_files_csv_and_json(tmp_path):
    (tmp_path / "docs").mkdir()
    csv_path = tmp_path / "docs" / "index.csv"
    csv_path.write_text("bestand;organisatie;datum\nbrief.txt;Gemeente Utrecht;2022-01-05\n", encoding="utf-8")
    assert list(metadata.read_index(csv_path)) == [
        (str((tmp_path / "docs" / "brief.txt").resolve()),
         {"bestand": "brief.txt", "organisatie": "Gemeente Utrecht", "datum": "2022-01-05"})]
    json_path = tmp_path / "index.json"
    json_path.write_text(json.dumps({"docs/brief.txt": {"type": "webtekst"}}), encoding="utf-8")
    assert list(metadata.read_index(json_path)) == [(str((tmp_path / "docs" / "brief.txt").resolve()), {"type": "webtekst"})]
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(InputError, match="entry 1 is not an object"):
        list(metadata.read_index(bad))
