"""Exports for analysts: one row per document (CSV or Parquet) and one row per finding (CSV).

Rows stream from the database in pages, so exports of a million documents do not fill memory; each file
is written to a temporary file next to the target and renamed into place (never half-written).
Readability metrics are flattened into ``metric_<name>`` columns.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Iterator

from opencomms.atomic import atomic_open
from opencomms.audit.store import ASPECT_COLUMNS, Store
from opencomms.errors import OpencommsError

DOCUMENT_COLUMNS = [
    "path", "name", "title", "date", "year", "organisation", "doctype", "format", "profile", "status", "error",
    "words", "sentences", "score", *ASPECT_COLUMNS.values(), "findings", "errors", "warnings", "suggestions",
    "hash", "checked_at",
]
FINDING_COLUMNS = ["name", "rule", "principle", "category", "level", "line", "column", "text", "message",
                   "suggestion", "context"]
_INT_COLUMNS = {"year", "words", "sentences", "score", *ASPECT_COLUMNS.values(), "findings", "errors", "warnings",
                "suggestions", "line", "column"}


def metric_names(store: Store) -> list[str]:
    """Scalar readability metrics present in the database, in a stable order."""
    rows = store.conn.execute(
        "SELECT DISTINCT j.key FROM documents d, json_each(d.metrics) j"
        " WHERE d.status='done' AND j.type IN ('integer', 'real', 'text', 'true', 'false') ORDER BY j.key"
    )
    return [row[0] for row in rows]


def document_rows(store: Store, metrics: list[str], page: int = 2000) -> Iterator[dict]:
    last = 0
    while True:
        rows = store.conn.execute(
            f"SELECT id, metrics, {', '.join(DOCUMENT_COLUMNS)} FROM documents WHERE id>? ORDER BY id LIMIT ?",
            (last, page),
        ).fetchall()
        if not rows:
            return
        for row in rows:
            out = {c: row[c] for c in DOCUMENT_COLUMNS}
            values = json.loads(row["metrics"]) if row["metrics"] else {}
            for name in metrics:
                value = values.get(name)
                out["metric_" + name] = value if not isinstance(value, (dict, list)) else json.dumps(value)
            yield out
        last = rows[-1]["id"]


def documents_csv(store: Store, path: str | Path) -> None:
    metrics = metric_names(store)
    columns = DOCUMENT_COLUMNS + ["metric_" + m for m in metrics]
    with atomic_open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in document_rows(store, metrics):
            writer.writerow(row)


def findings_csv(store: Store, path: str | Path, page: int = 5000) -> None:
    with atomic_open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(FINDING_COLUMNS)
        last = 0
        while True:
            rows = store.conn.execute(
                "SELECT f.id, d.name, f.rule, f.principle, f.category, f.level, f.line, f.column, f.text, f.message,"
                " f.suggestion, f.context FROM findings f JOIN documents d ON d.id = f.document_id"
                " WHERE f.id>? ORDER BY f.id LIMIT ?",
                (last, page),
            ).fetchall()
            if not rows:
                break
            writer.writerows([tuple(row)[1:] for row in rows])
            last = rows[-1][0]


def require_pyarrow():
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise OpencommsError("--parquet needs pyarrow: pip install 'opencomms[audit]' (or pip install pyarrow)") from None


def documents_parquet(store: Store, path: str | Path, chunk: int = 10000) -> None:
    require_pyarrow()
    import pyarrow as pa
    import pyarrow.parquet as pq

    metrics = metric_names(store)
    sample = store.conn.execute("SELECT metrics FROM documents WHERE status='done' AND metrics IS NOT NULL LIMIT 200")
    kinds: dict[str, set] = {}
    for (raw,) in sample:
        for key, value in json.loads(raw).items():
            kinds.setdefault(key, set()).add(type(value))
    fields = []
    for column in DOCUMENT_COLUMNS:
        fields.append(pa.field(column, pa.int64() if column in _INT_COLUMNS else pa.string()))
    for name in metrics:
        types = kinds.get(name, set()) - {type(None)}
        if types and types <= {int, bool}:
            kind = pa.int64() if bool not in types else pa.bool_()
        elif types and types <= {int, float}:
            kind = pa.float64()
        else:
            kind = pa.string()
        fields.append(pa.field("metric_" + name, kind))
    schema = pa.schema(fields)

    def coerce(field, value):
        if value is None:
            return None
        if pa.types.is_string(field.type):
            return value if isinstance(value, str) else json.dumps(value)
        if pa.types.is_floating(field.type):
            return float(value) if isinstance(value, (int, float)) else None
        if pa.types.is_integer(field.type):
            return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        return value

    with atomic_open(path, "wb") as handle:
        writer = pq.ParquetWriter(handle, schema, compression="zstd")
        batch: list[dict] = []

        def flush():
            columns = {f.name: [coerce(f, row.get(f.name)) for row in batch] for f in schema}
            writer.write_table(pa.table(columns, schema=schema))
            batch.clear()

        for row in document_rows(store, metrics):
            batch.append(row)
            if len(batch) >= chunk:
                flush()
        if batch:
            flush()
        writer.close()
