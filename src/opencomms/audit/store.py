"""The audit database: SQLite in WAL mode, written only by the main process.

Tables (``opencomms audit`` documents them in docs/audit.md):

- ``documents``: one row per file (unique absolute ``path``). A row is created as ``pending`` when the file
  is found, and becomes ``done`` or ``failed`` in the same transaction that writes its findings.
- ``findings``: one row per finding, ``document_id`` → ``documents.id``.
- ``rules``: the rules seen (id, aspect, category, level, title) for the report.
- ``runs``: one row per run (engine, workers, counts, seconds).
- ``meta``: the schema id and the settings the database was made with.

Crash safety: every batch is one transaction (``BEGIN IMMEDIATE`` … ``COMMIT``); a killed run leaves
committed batches complete and the rest ``pending``. ``synchronous=NORMAL`` in WAL mode keeps committed
transactions through a crash or ``kill -9`` of the process (not through a power cut).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Iterable, Iterator

from opencomms.errors import InputError
from opencomms.principles import ASPECTS

SCHEMA_ID = "opencomms/audit/v1"
SQLITE_HEADER = b"SQLite format 3\x00"
ASPECT_COLUMNS = {aspect: "score_" + aspect.replace("-", "_") for aspect in ASPECTS}
LEVELS = ("suggestion", "warning", "error")

_DOCUMENT_COLUMNS = [
    ("id", "INTEGER PRIMARY KEY"),
    ("path", "TEXT NOT NULL UNIQUE"),
    ("name", "TEXT NOT NULL"),
    ("status", "TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed'))"),
    ("hash", "TEXT"),
    ("size", "INTEGER"),
    ("mtime_ns", "INTEGER"),
    ("format", "TEXT"),
    ("encoding", "TEXT"),
    ("profile", "TEXT"),
    ("title", "TEXT"),
    ("date", "TEXT"),
    ("year", "INTEGER"),
    ("organisation", "TEXT"),
    ("doctype", "TEXT"),
    ("metadata", "TEXT"),
    ("source_metadata", "TEXT"),
    ("index_metadata", "TEXT"),
    ("words", "INTEGER"),
    ("sentences", "INTEGER"),
    ("score", "INTEGER"),
    *[(column, "INTEGER") for column in ASPECT_COLUMNS.values()],
    ("findings", "INTEGER"),
    ("errors", "INTEGER"),
    ("warnings", "INTEGER"),
    ("suggestions", "INTEGER"),
    ("metrics", "TEXT"),
    ("skipped_rules", "TEXT"),
    ("error", "TEXT"),
    ("seen_run", "INTEGER"),
    ("checked_run", "INTEGER"),
    ("discovered_at", "TEXT"),
    ("checked_at", "TEXT"),
]

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'running',
    engine TEXT,
    workers INTEGER,
    files INTEGER,
    checked INTEGER DEFAULT 0,
    skipped INTEGER DEFAULT 0,
    failed INTEGER DEFAULT 0,
    words INTEGER DEFAULT 0,
    seconds REAL,
    pipeline TEXT
);
CREATE TABLE IF NOT EXISTS documents ({", ".join(f"{name} {kind}" for name, kind in _DOCUMENT_COLUMNS)});
CREATE INDEX IF NOT EXISTS documents_seen ON documents(seen_run, id);
CREATE INDEX IF NOT EXISTS documents_status ON documents(status);
CREATE TABLE IF NOT EXISTS findings (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    rule TEXT NOT NULL,
    category TEXT,
    principle TEXT,
    level TEXT NOT NULL,
    line INTEGER,
    column INTEGER,
    end_line INTEGER,
    end_column INTEGER,
    offset INTEGER,
    end_offset INTEGER,
    text TEXT,
    message TEXT,
    suggestion TEXT,
    context TEXT
);
CREATE INDEX IF NOT EXISTS findings_document ON findings(document_id);
CREATE INDEX IF NOT EXISTS findings_rule ON findings(rule);
CREATE TABLE IF NOT EXISTS rules (
    id TEXT PRIMARY KEY,
    principle TEXT,
    category TEXT,
    level TEXT,
    title TEXT
);
"""

FINDING_COLUMNS = ("rule", "category", "principle", "level", "line", "column", "end_line", "end_column", "offset",
                   "end_offset", "text", "message", "suggestion", "context")


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


class Store:
    """One open audit database."""

    def __init__(self, path: str | Path, readonly: bool = False):
        """Open (or, unless ``readonly``, create) an audit database; anything else is refused untouched."""
        self.path = Path(path)
        self.has_index = False  # a sidecar index was loaded for this run
        name = str(self.path)
        exists = self.path.exists()
        if exists:
            if self.path.is_dir():
                raise InputError("is a directory, not an audit database", name)
            try:
                with self.path.open("rb") as handle:
                    header = handle.read(len(SQLITE_HEADER))
            except OSError as exc:
                raise InputError(f"cannot be read ({exc.strerror or exc})", name) from None
            if header and header != SQLITE_HEADER:
                raise InputError("is not an SQLite database (nothing was changed)", name)
            exists = bool(header)
        if readonly and not exists:
            raise InputError("no such audit database (run opencomms audit first)", name)
        try:
            if readonly:
                uri = "file:" + str(self.path.resolve()).replace("?", "%3f").replace("#", "%23") + "?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, timeout=60, isolation_level=None, check_same_thread=False)
            else:
                self.conn = sqlite3.connect(name, timeout=60, isolation_level=None, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            if exists:
                self._check_ours(readonly)
            if not readonly:
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
                self.conn.execute("PRAGMA foreign_keys=ON")
                self.conn.execute("PRAGMA temp_store=FILE")
                self.conn.executescript(SCHEMA)
                self.conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_ID,))
                self.conn.execute("INSERT OR IGNORE INTO meta VALUES ('created_at', ?)", (now(),))
        except sqlite3.DatabaseError as exc:
            raise InputError(f"cannot be used as an audit database ({exc})", name) from None

    def _check_ours(self, readonly: bool) -> None:
        tables = {row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables and not readonly:
            return
        schema = None
        if "meta" in tables:
            row = self.conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            schema = row[0] if row else None
        if schema != SCHEMA_ID:
            self.conn.close()
            raise InputError(
                f"is an SQLite database of something else ({'schema ' + schema if schema else 'no opencomms tables'});"
                " nothing was changed",
                str(self.path),
            )

    def close(self) -> None:
        self.conn.close()

    # -- meta ------------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                          (key, value))

    def check_settings(self, settings: dict) -> None:
        """Results made with another profile, model or configuration cannot be mixed in one database."""
        stored = self.get_meta("settings")
        wanted = json.dumps(settings, sort_keys=True)
        if stored is None:
            self.set_meta("settings", wanted)
            return
        if stored != wanted:
            old = json.loads(stored)
            diff = ", ".join(f"{k}: {old.get(k)!r} → {settings.get(k)!r}" for k in sorted(set(old) | set(settings))
                             if old.get(k) != settings.get(k))
            raise InputError(f"this database was made with other settings ({diff}); use another --db",
                             str(self.path))

    # -- runs ------------------------------------------------------------------------------------

    def begin_run(self, engine: str, workers: int, pipeline: dict | None = None) -> int:
        cur = self.conn.execute(
            "INSERT INTO runs (started_at, engine, workers, pipeline) VALUES (?, ?, ?, ?)",
            (now(), engine, workers, json.dumps(pipeline or {})),
        )
        return cur.lastrowid

    def set_run_pipeline(self, run_id: int, pipeline: dict) -> None:
        self.conn.execute("UPDATE runs SET pipeline=? WHERE id=?", (json.dumps(pipeline), run_id))

    def finish_run(self, run_id: int, status: str, counts: dict, seconds: float) -> None:
        self.conn.execute(
            "UPDATE runs SET finished_at=?, status=?, files=?, checked=?, skipped=?, failed=?, words=?, seconds=?"
            " WHERE id=?",
            (now(), status, counts.get("files", 0), counts.get("checked", 0), counts.get("skipped", 0),
             counts.get("failed", 0), counts.get("words", 0), round(seconds, 3), run_id),
        )

    # -- documents -------------------------------------------------------------------------------

    def discover(self, files: Iterable[tuple[str, str]], run_id: int, chunk: int = 1000) -> int:
        """Record (absolute path, display name) pairs as seen in this run; new ones become pending."""
        count = 0
        stamp = now()
        batch: list[tuple] = []

        def flush():
            with self.transaction():
                self.conn.executemany(
                    "INSERT INTO documents (path, name, status, seen_run, discovered_at) VALUES (?, ?, 'pending', ?, ?)"
                    " ON CONFLICT(path) DO UPDATE SET seen_run=excluded.seen_run, name=excluded.name",
                    batch,
                )
            batch.clear()

        for path, name in files:
            batch.append((path, name, run_id, stamp))
            count += 1
            if len(batch) >= chunk:
                flush()
        if batch:
            flush()
        return count

    def forget_missing(self, run_id: int, chunk: int = 500) -> int:
        """Pending rows of earlier runs whose file is gone become failed, so the audit can be complete."""
        last, count = 0, 0
        while True:
            rows = self.conn.execute(
                "SELECT id, path FROM documents WHERE status='pending' AND seen_run<>? AND id>? ORDER BY id LIMIT ?",
                (run_id, last, chunk)).fetchall()
            if not rows:
                return count
            gone = [(now(), row["id"]) for row in rows if not Path(row["path"]).exists()]
            if gone:
                with self.transaction():
                    self.conn.executemany(
                        "UPDATE documents SET status='failed', error='no longer exists', checked_at=? WHERE id=?", gone)
                count += len(gone)
            last = rows[-1]["id"]

    def seen(self, run_id: int, chunk: int = 500) -> Iterator[sqlite3.Row]:
        """The rows found in this run, in discovery order, read in pages (no long-lived cursor)."""
        last = 0
        while True:
            rows = self.conn.execute(
                "SELECT id, path, name, status, hash, size, mtime_ns, index_metadata, source_metadata, title"
                " FROM documents WHERE seen_run=? AND id>? ORDER BY id LIMIT ?",
                (run_id, last, chunk),
            ).fetchall()
            if not rows:
                return
            yield from rows
            last = rows[-1]["id"]

    def transaction(self):
        return _Transaction(self.conn)

    def write(self, records: list[dict]) -> None:
        """Write finished documents (each a dict from :func:`record`) with their findings, in one transaction."""
        with self.transaction():
            for rec in records:
                doc = rec["document"]
                columns = list(doc)
                self.conn.execute(
                    f"UPDATE documents SET {', '.join(f'{c}=?' for c in columns)} WHERE id=?",
                    [doc[c] for c in columns] + [rec["id"]],
                )
                self.conn.execute("DELETE FROM findings WHERE document_id=?", (rec["id"],))
                if rec["findings"]:
                    self.conn.executemany(
                        f"INSERT INTO findings (document_id, {', '.join(FINDING_COLUMNS)})"
                        f" VALUES (?, {', '.join('?' * len(FINDING_COLUMNS))})",
                        [(rec["id"], *(f.get(c) for c in FINDING_COLUMNS)) for f in rec["findings"]],
                    )
                for rule in rec.get("rules", ()):
                    self.conn.execute(
                        "INSERT INTO rules (id, principle, category, level, title) VALUES (?, ?, ?, ?, ?)"
                        " ON CONFLICT(id) DO UPDATE SET principle=excluded.principle, category=excluded.category,"
                        " level=excluded.level, title=excluded.title",
                        (rule["id"], rule.get("principle"), rule.get("category"), rule.get("level"), rule.get("title")),
                    )

    def update_metadata(self, doc_id: int, fields: dict) -> None:
        with self.transaction():
            columns = list(fields)
            self.conn.execute(f"UPDATE documents SET {', '.join(f'{c}=?' for c in columns)} WHERE id=?",
                              [fields[c] for c in columns] + [doc_id])

    # -- index -----------------------------------------------------------------------------------

    def load_index(self, entries: Iterable[tuple[str, dict]], chunk: int = 2000) -> int:
        """Put a sidecar index into a temporary table (on disk, not in memory)."""
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS sidecar (path TEXT PRIMARY KEY, metadata TEXT NOT NULL)")
        self.conn.execute("DELETE FROM sidecar")
        count, batch = 0, []
        for path, meta in entries:
            batch.append((path, json.dumps(meta, ensure_ascii=False, default=str)))
            count += 1
            if len(batch) >= chunk:
                self.conn.executemany("INSERT OR REPLACE INTO sidecar VALUES (?, ?)", batch)
                batch.clear()
        if batch:
            self.conn.executemany("INSERT OR REPLACE INTO sidecar VALUES (?, ?)", batch)
        self.has_index = True
        return count

    def index_for(self, path: str) -> str | None:
        if not self.has_index:
            return None
        row = self.conn.execute("SELECT metadata FROM sidecar WHERE path=?", (path,)).fetchone()
        return row[0] if row else None

    # -- status ----------------------------------------------------------------------------------

    def status(self) -> dict:
        counts = {row[0]: row[1] for row in self.conn.execute("SELECT status, COUNT(*) FROM documents GROUP BY status")}
        total = sum(counts.values())
        done = counts.get("done", 0)
        agg = self.conn.execute(
            "SELECT AVG(score), SUM(words), SUM(findings), MIN(date), MAX(date) FROM documents WHERE status='done'"
        ).fetchone()
        last = self.conn.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        runs = self.conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
        return {
            "db": str(self.path),
            "documents": total,
            "done": done,
            "failed": counts.get("failed", 0),
            "pending": counts.get("pending", 0),
            "complete": total > 0 and counts.get("pending", 0) == 0,
            "findings": agg[2] or 0,
            "words": agg[1] or 0,
            "mean_score": round(agg[0], 1) if agg[0] is not None else None,
            "first_date": agg[3],
            "last_date": agg[4],
            "runs": runs,
            "last_run": None if last is None else {
                "id": last["id"],
                "started_at": last["started_at"],
                "finished_at": last["finished_at"],
                "status": last["status"],
                "engine": last["engine"],
                "workers": last["workers"],
                "checked": last["checked"],
                "skipped": last["skipped"],
                "failed": last["failed"],
                "seconds": last["seconds"],
            },
        }


class _Transaction:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")
        return False
