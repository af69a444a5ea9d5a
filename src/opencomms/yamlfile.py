"""Safe YAML loading that remembers where every value sits, for errors like ``file:12:3: field: ...``.

Files read with :func:`load` are cached in the user's cache folder (``$OPENCOMMS_CACHE_DIR``, else
``$XDG_CACHE_HOME/opencomms`` or ``~/.cache/opencomms``; an empty ``OPENCOMMS_CACHE_DIR`` turns it off):
one entry per file with the parsed data, the positions and the schemas it passed, valid only for the
exact text it was made from. Parsing and validating the bundled rules and word lists costs 0.4 s of
CPU; reading them from the cache 0.01 s. A file that fails validation is never marked, so its error is
reported every time, the same as without a cache.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import sys
from pathlib import Path

import yaml

from opencomms.errors import ConfigError
from opencomms.resources import cache_dir, read_cached, write_cached


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ten times faster
_FORMAT = f"opencomms-yaml 1 python {sys.version_info[0]}.{sys.version_info[1]} pyyaml {yaml.__version__} {_Loader.__name__}"


class Located:
    """Data loaded from a YAML file plus the (line, column) of each path into it."""

    def __init__(self, path: str, data, marks: dict[tuple, tuple[int, int]]):
        self.path = path
        self.data = data
        self.marks = marks
        self.cached: _Entry | None = None  # set by load(): where this file's cache entry lives

    def where(self, keys=()) -> str:
        keys = tuple(keys)
        while keys and keys not in self.marks:
            keys = keys[:-1]
        line, col = self.marks.get(keys, (1, 1))
        return f"{self.path}:{line}:{col}"

    def error(self, keys, message: str) -> ConfigError:
        field = ".".join(str(k) for k in keys)
        return ConfigError(f"{field}: {message}" if field else message, self.where(keys))


def _walk(node, path: tuple, marks: dict) -> None:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _walk(value_node, path + (key,), marks)
            marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), marks)


def load_text(text: str, path: str) -> Located:
    loader = _Loader(text)
    try:  # one pass: compose the node tree (with marks), then construct the data from it
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"invalid YAML: {problem}", where) from None
    finally:
        loader.dispose()
    marks: dict = {}
    if node is not None:
        _walk(node, (), marks)
    return Located(path, data, marks)


def load(path: str | Path) -> Located:
    """A YAML file with the positions of its values, from the cache when the file has not changed."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("no such file", str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot be read ({exc})", str(path)) from None
    entry = _Entry.find(Path(path), text)
    located = entry.read(str(path)) if entry is not None else None
    if located is None:
        located = load_text(text, str(path))
        if entry is not None:
            entry.keep(located)
    return located


class _Entry:
    """The cache entry of one file: (format, text digest, schemas passed, marshalled (data, marks))."""

    def __init__(self, path: Path, digest: str):
        self.path = path
        self.digest = digest
        self.schemas: set[str] = set()
        self.payload: bytes | None = None  # (data, marks) as first parsed, before anyone changed them

    @classmethod
    def find(cls, file: Path, text: str) -> "_Entry | None":
        directory = cache_dir()
        if directory is None:
            return None
        try:
            where = str(file.resolve())
        except (OSError, RuntimeError):
            return None
        name = hashlib.sha256(where.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        return cls(directory / "yaml" / f"{name}.marshal", digest)

    def read(self, path: str) -> Located | None:
        try:
            fmt, digest, schemas, payload = read_cached(self.path)
            if fmt != _FORMAT or digest != self.digest:
                return None
            data, marks = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return None  # missing, stale or damaged: parse the file
        self.schemas, self.payload = set(schemas), payload
        located = Located(path, data, marks)
        located.cached = self
        return located

    def keep(self, located: Located) -> None:
        """Remember a freshly parsed file, to be written once it has passed validation."""
        try:
            self.payload = marshal.dumps((located.data, located.marks))
        except ValueError:
            return  # values marshal cannot hold (dates): not cached
        located.cached = self

    def write(self) -> None:
        write_cached(self.path, (_FORMAT, self.digest, sorted(self.schemas), self.payload))


def _schema_digest(schema: dict) -> str:
    return hashlib.sha256(json.dumps(schema, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:32]


def validate(located: Located, schema: dict) -> None:
    """Check against a JSON schema; raise one ConfigError for the first (deepest-path) problem.

    A file from the cache that passed this schema before is not checked again."""
    entry = located.cached
    digest = _schema_digest(schema) if entry is not None else None
    if entry is not None and digest in entry.schemas:
        return
    _validate(located, schema)
    if entry is not None:
        entry.schemas.add(digest)
        entry.write()


def _validate(located: Located, schema: dict) -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(located.data), key=lambda e: (list(e.absolute_path), e.message))
    if not errors:
        return
    error = errors[0]
    best = jsonschema.exceptions.best_match([error])
    keys = list(best.absolute_path)
    message = best.message
    if best.validator == "additionalProperties":
        extra = sorted(set(best.instance) - set(best.schema.get("properties", {})))
        if extra:
            keys = keys + [extra[0]]
            allowed = ", ".join(sorted(best.schema.get("properties", {})))
            message = f"unknown field (allowed here: {allowed})"
    elif best.validator == "enum":
        message = f"must be one of: {', '.join(map(str, best.validator_value))} (got {best.instance!r})"
    raise located.error(keys, message)
