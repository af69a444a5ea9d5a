"""Document metadata for audits: date, organisation, document type and title.

Sources, first found wins per field:

1. the sidecar index (``--index index.csv`` or ``.json``), one row or object per file;
2. the document itself: front matter, HTML ``<meta>``, DOCX core properties (``Source.metadata``);
3. fallbacks: the first heading (or first line) as title, a date in the file path (``2024-03-12``).

Keys are matched case-insensitively against the aliases below, so ``Datum``, ``DCTERMS.created`` and
``date`` all give the date. ``--index-field type=collection`` adds a column name of your own.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path
from typing import Iterator

from opencomms.errors import InputError

FIELDS = ("title", "date", "organisation", "doctype")

ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "titel", "dcterms.title", "dc.title", "og:title", "onderwerp", "subject"),
    "date": (
        "date", "datum", "published", "publicatiedatum", "publication_date", "pubdate", "issued",
        "dcterms.issued", "dcterms.date", "dcterms.created", "dc.date", "created", "article:published_time",
        "modified", "dcterms.modified", "datum_publicatie",
    ),
    "organisation": (
        "organisation", "organization", "organisatie", "ministerie", "ministry", "department", "afzender",
        "publisher", "dcterms.publisher", "dc.publisher", "dcterms.creator", "owner", "overheid.authority",
    ),
    "doctype": (
        "doctype", "document_type", "documenttype", "document-type", "documentsoort", "soort", "type",
        "dcterms.type", "dc.type", "category", "categorie", "opencomms-profile", "profile",
    ),
}

PATH_KEYS = ("path", "file", "bestand", "filename", "pad")

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "febr": 2, "maart": 3, "mrt": 3, "april": 4, "apr": 4,
    "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8, "september": 9, "sep": 9,
    "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_ISO = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?\s*$")
_DMY = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")
_WORDS = re.compile(r"^\s*(?:\w+dag\s+)?(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})\s*$", re.I)
_IN_PATH = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_]?(0[1-9]|1[0-2])[-_]?(0[1-9]|[12]\d|3[01])(?!\d)")
_MAX_TEXT = 300


def plain(value):
    """A JSON-safe copy of front-matter values (dates become ISO strings, unknown types strings)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def parse_date(value) -> str | None:
    """An ISO date (``YYYY-MM-DD``, or ``YYYY-MM`` / ``YYYY`` when that is all there is), or None."""
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(int(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    m = _ISO.match(text)
    if m:
        return _iso(int(m.group(1)), m.group(2) and int(m.group(2)), m.group(3) and int(m.group(3)))
    m = _DMY.match(text)
    if m:
        return _iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = _WORDS.match(text)
    if m and m.group(2).lower() in MONTHS:
        return _iso(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
    return None


def _iso(year: int, month: int | None, day: int | None) -> str | None:
    if not 1000 <= year <= 2999:
        return None
    if not month:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if not day:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _lookup(meta: dict, field: str, extra: dict[str, tuple[str, ...]]) -> object:
    if not meta:
        return None
    lowered = {str(k).strip().lower(): v for k, v in meta.items()}
    for alias in extra.get(field, ()) + ALIASES[field]:
        value = lowered.get(alias.lower())
        if value not in (None, "", [], {}):
            if isinstance(value, list):
                value = value[0]
            return value
    return None


def _text(value) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text[:_MAX_TEXT] or None


def normalise(source_meta: dict | None, index_meta: dict | None, title_guess: str | None, path: str,
              extra: dict[str, tuple[str, ...]] | None = None) -> dict:
    """The four audit fields (plus year and period) from index, document and fallbacks."""
    extra = extra or {}
    out: dict = {}
    for field in FIELDS:
        value = _lookup(index_meta or {}, field, extra)
        if value is None:
            value = _lookup(source_meta or {}, field, extra)
        out[field] = value
    date = parse_date(out["date"])
    if date is None:
        m = _IN_PATH.search(Path(path).as_posix())
        date = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    out["date"] = date
    out["year"] = int(date[:4]) if date else None
    out["title"] = _text(out["title"]) or _text(title_guess) or Path(path).stem
    out["organisation"] = _text(out["organisation"])
    out["doctype"] = _text(out["doctype"])
    return out


def parse_fields(specs: list[str]) -> dict[str, tuple[str, ...]]:
    """``--index-field type=collection`` → {"doctype": ("collection",)}."""
    names = {"type": "doctype", "doctype": "doctype", "date": "date", "datum": "date", "title": "title",
             "titel": "title", "organisation": "organisation", "organization": "organisation",
             "organisatie": "organisation", "path": "path", "file": "path"}
    out: dict[str, tuple[str, ...]] = {}
    for spec in specs:
        field, sep, column = spec.partition("=")
        key = names.get(field.strip().lower())
        if not sep or not column.strip() or key is None:
            raise InputError(
                f"--index-field {spec!r}: use FIELD=COLUMN with FIELD one of: path, title, date, organisation, type"
            )
        out[key] = out.get(key, ()) + (column.strip(),)
    return out


def read_index(path: Path, extra: dict[str, tuple[str, ...]] | None = None) -> Iterator[tuple[str, dict]]:
    """(resolved document path, metadata) for each row of a CSV index or entry of a JSON index.

    Paths in the index are relative to the index file's folder (or absolute). JSON is either a list of
    objects with a ``path`` (or ``file``) key, or an object mapping path → metadata.
    """
    extra = extra or {}
    name = str(path)
    base = path.resolve().parent
    path_keys = tuple(k.lower() for k in extra.get("path", ()) + PATH_KEYS)

    def resolve(value) -> str:
        return str((base / str(value).strip()).resolve())

    suffix = path.suffix.lower()
    if suffix not in (".csv", ".tsv", ".txt", ".json"):
        raise InputError("the index must be a .csv, .tsv or .json file", name)
    try:
        if suffix == ".json":
            yield from _json_index(path, name, resolve, path_keys)
            return
        with path.open(encoding="utf-8-sig", newline="") as handle:
            head = handle.read(4096)
            try:
                dialect = csv.Sniffer().sniff(head, delimiters=",;\t") if head.strip() else csv.excel
            except csv.Error:
                dialect = csv.excel
            handle.seek(0)
            reader = csv.DictReader(handle, dialect=dialect)
            columns = {c.lower(): c for c in (reader.fieldnames or []) if c}
            column = next((columns[k.lower()] for k in path_keys if k.lower() in columns), None)
            if column is None:
                raise InputError(f"the index has no path column (one of: {', '.join(path_keys)})", name)
            for row in reader:
                value = row.get(column)
                if value:
                    yield resolve(value), {k: v for k, v in row.items() if k and v not in (None, "")}
    except UnicodeDecodeError:
        raise InputError("the index is not UTF-8 text", name) from None
    except csv.Error as exc:
        raise InputError(f"invalid CSV ({exc})", name) from None
    except OSError as exc:
        raise InputError(f"cannot read the index ({exc.strerror or exc})", name) from None


def _json_index(path: Path, name: str, resolve, path_keys) -> Iterator[tuple[str, dict]]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON at line {exc.lineno} ({exc.msg})", name) from None
    if isinstance(doc, dict):
        for key, meta in doc.items():
            if isinstance(meta, dict):
                yield resolve(key), plain(meta)
        return
    if not isinstance(doc, list):
        raise InputError("a JSON index must be a list of objects or an object of path → metadata", name)
    for i, item in enumerate(doc):
        if not isinstance(item, dict):
            raise InputError(f"entry {i + 1} is not an object", name)
        key = next((item[k] for k in item if str(k).lower() in path_keys and item[k]), None)
        if key is None:
            raise InputError(f"entry {i + 1} has no path (one of: {', '.join(path_keys)})", name)
        yield resolve(key), plain(item)
