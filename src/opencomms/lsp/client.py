"""A tiny JSON-RPC client for a language server over stdio: for the tests and the latency benchmark.

It starts the server as a subprocess, frames messages with ``Content-Length`` headers, reads replies on
a thread, answers the server's own requests (``window/workDoneProgress/create``, ``workspace/...``) with
``null`` and keeps every notification, each stamped with the ``time.perf_counter()`` of its arrival.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable


@dataclass
class Message:
    data: dict
    received: float  # time.perf_counter() when it was read

    @property
    def method(self) -> str | None:
        return self.data.get("method")

    @property
    def params(self) -> Any:
        return self.data.get("params")


class LspClient:
    def __init__(self, command: list[str] | None = None, env: dict | None = None, cwd=None, stderr=None):
        self.command = command or [sys.executable, "-m", "opencomms", "lsp"]
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=stderr if stderr is not None else subprocess.DEVNULL, env=env, cwd=cwd,
        )
        self.ids = itertools.count(1)
        self.responses: dict[int, Message] = {}
        self.notifications: list[Message] = []
        self.requests: list[Message] = []  # requests the server sent us
        self._cond = threading.Condition()
        self._write_lock = threading.Lock()
        self._closed = False
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    # --- wire ----------------------------------------------------------------------------------------

    def _send(self, payload: dict) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        with self._write_lock:
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def _read_loop(self) -> None:
        stream = self.process.stdout
        try:
            while True:
                length = None
                while True:
                    line = stream.readline()
                    if not line:
                        return
                    line = line.strip()
                    if not line:
                        break
                    name, _, value = line.partition(b":")
                    if name.lower() == b"content-length":
                        length = int(value.strip())
                if length is None:
                    continue
                data = json.loads(stream.read(length).decode("utf-8"))
                message = Message(data, time.perf_counter())
                if "id" in data and "method" in data:  # a request from the server
                    self.requests.append(message)
                    self._send({"jsonrpc": "2.0", "id": data["id"], "result": None})
                    continue
                with self._cond:
                    if "id" in data:
                        self.responses[data["id"]] = message
                    else:
                        self.notifications.append(message)
                    self._cond.notify_all()
        finally:
            with self._cond:
                self._closed = True
                self._cond.notify_all()

    # --- API -----------------------------------------------------------------------------------------

    def notify(self, method: str, params: Any = None) -> float:
        """Send a notification; returns the perf_counter() just before sending."""
        sent = time.perf_counter()
        self._send({"jsonrpc": "2.0", "method": method, "params": params})
        return sent

    def request(self, method: str, params: Any = None, timeout: float = 30) -> Any:
        msg_id = next(self.ids)
        self._send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        deadline = time.perf_counter() + timeout
        with self._cond:
            while msg_id not in self.responses:
                left = deadline - time.perf_counter()
                if left <= 0 or self._closed:
                    raise TimeoutError(f"no reply to {method} within {timeout} s")
                self._cond.wait(left)
            data = self.responses.pop(msg_id).data
        if "error" in data:
            raise RuntimeError(f"{method} failed: {data['error']}")
        return data.get("result")

    def wait_for(self, method: str, match: Callable[[Any], bool] = lambda params: True, timeout: float = 30,
                 after: int = 0) -> Message:
        """The first notification ``method`` (from index ``after`` on) whose params satisfy ``match``."""
        deadline = time.perf_counter() + timeout
        with self._cond:
            while True:
                for message in self.notifications[after:]:
                    if message.method == method and match(message.params):
                        return message
                left = deadline - time.perf_counter()
                if left <= 0 or self._closed:
                    raise TimeoutError(f"no {method} within {timeout} s")
                self._cond.wait(left)

    def mark(self) -> int:
        """An index into the notifications, for ``wait_for(after=...)``."""
        with self._cond:
            return len(self.notifications)

    def initialize(self, root_uri: str | None = None, options: dict | None = None, capabilities: dict | None = None) -> dict:
        result = self.request("initialize", {
            "processId": None,
            "rootUri": root_uri,
            "capabilities": capabilities if capabilities is not None else {
                "general": {"positionEncodings": ["utf-16"]},
                "textDocument": {"publishDiagnostics": {"versionSupport": True}, "hover": {"contentFormat": ["markdown"]}},
                "workspace": {"workspaceEdit": {"documentChanges": True}},
            },
            "initializationOptions": options or {},
        })
        self.notify("initialized", {})
        return result

    def close(self, timeout: float = 10) -> int:
        try:
            if self.process.poll() is None:
                self.request("shutdown", None, timeout=timeout)
                self.notify("exit")
            return self.process.wait(timeout=timeout)
        except (TimeoutError, OSError, subprocess.TimeoutExpired, RuntimeError):
            self.process.kill()
            return self.process.wait()
        finally:
            for stream in (self.process.stdin, self.process.stdout):
                try:
                    stream.close()
                except OSError:
                    pass

    def __enter__(self) -> "LspClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def apply_edits(text: str, edits: list[dict], encoding: str = "utf-16") -> str:
    """Apply LSP TextEdits (non-overlapping) to ``text``, last first, as an editor does."""
    from opencomms.lsp.positions import LineIndex

    index = LineIndex(text, encoding)
    spans = []
    for edit in edits:
        r = edit["range"]
        spans.append((index.offset(r["start"]["line"], r["start"]["character"]),
                      index.offset(r["end"]["line"], r["end"]["character"]), edit["newText"]))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text
