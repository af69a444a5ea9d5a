"""Writes that never leave a half-written file: a temporary file in the same folder, then a rename.

:func:`atomic_open` is the one primitive (streams, exports); :func:`write_bytes` and :func:`write_text`
write a whole file. ``before_replace`` runs right before the rename and may raise to keep the old file
(``opencomms fix`` uses it to refuse a file that changed on disk meanwhile).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Callable

from opencomms.errors import OpencommsError


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "wb", before_replace: Callable[[], None] | None = None,
                error: type[OpencommsError] = OpencommsError, **kwargs):
    """Open a temporary file next to ``path``; on success fsync it, keep the permissions and rename it."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise error(f"cannot write ({exc.strerror or exc})", str(path)) from None
    try:
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o644)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_bytes(path: str | Path, data: bytes) -> None:
    with atomic_open(path, "wb") as handle:
        handle.write(data)


def write_text(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    write_bytes(path, text.encode(encoding))
