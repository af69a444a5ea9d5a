"""The checking side of the language server, without the protocol: options, the one warm Checker and the
one worker thread every check runs in.

It imports nothing from pygls, so ``opencomms lsp`` can start loading the pipeline (:meth:`Engine.start`)
before the protocol library is even imported; time to the first diagnostics is mostly loading time.
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from opencomms.errors import OpencommsError

STATUS_MODES = ("message", "progress", "notification", "off")
DEBOUNCE_ENV = "OPENCOMMS_LSP_DEBOUNCE_MS"


@dataclass
class Options:
    debounce_ms: int = 300
    status: str = "message"
    incremental: bool = True  # re-analyse only the changed blocks while typing
    settle_ms: int = 1500  # idle this long after an incremental check: check the whole text once more
    profile: str | None = None
    config: str | None = None
    model: str | None = None

    def update(self, data) -> list[str]:
        """Take the known keys of ``initializationOptions`` (flat or under ``"opencomms"``); returns
        complaints about bad values (the old value stays)."""
        problems: list[str] = []
        if not isinstance(data, dict):
            return problems
        if isinstance(data.get("opencomms"), dict):
            data = data["opencomms"]
        for key in ("debounce_ms", "settle_ms"):
            if key in data:
                try:
                    setattr(self, key, max(0, int(data[key])))
                except (TypeError, ValueError):
                    problems.append(f"{key} must be a number, not {data[key]!r}")
        if "incremental" in data:
            if isinstance(data["incremental"], bool):
                self.incremental = data["incremental"]
            else:
                problems.append(f"incremental must be true or false, not {data['incremental']!r}")
        if "status" in data:
            if data["status"] in STATUS_MODES:
                self.status = data["status"]
            else:
                problems.append(f"status must be one of {', '.join(STATUS_MODES)}, not {data['status']!r}")
        for key in ("profile", "config", "model"):
            if data.get(key):
                setattr(self, key, str(data[key]))
        return problems

    def apply_environment(self) -> None:
        if os.environ.get(DEBOUNCE_ENV) is not None:
            self.update({"debounce_ms": os.environ[DEBOUNCE_ENV]})


class Engine:
    """One Checker, loaded once in the one worker thread that also runs every check."""

    def __init__(self, options: Options):
        self.options = options
        self.options.apply_environment()
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="opencomms-check")
        self.checker = None
        self.analyser = None  # IncrementalAnalyser of the checker's pipeline
        self.load_error: str | None = None
        self._loaded_with: tuple | None = None
        self._stamps: dict[str | None, tuple] = {}  # configuration file -> mtimes of what it uses

    def start(self) -> Future:
        """Start loading (and warming up) the pipeline in the worker thread."""
        return self.worker.submit(self.load)

    def load(self) -> None:
        """Load the Checker for the current options, once per (model, config, profile); worker thread."""
        wanted = (self.options.model, self.options.config, self.options.profile)
        if self._loaded_with == wanted:
            return
        self._loaded_with = wanted
        from opencomms.fixer import source_from_text
        from opencomms.lsp.analysis import IncrementalAnalyser
        from opencomms.runner import Checker

        try:
            self.checker = Checker(model=self.options.model, config_path=self.options.config, profile=self.options.profile)
            self.analyser = IncrementalAnalyser(self.checker.nlp)
            self.load_error = None
            # compiles the rule set and loads word lists and frequency data before the first real check
            self.checker.check_one(source_from_text("Dit is een zin.\n", "<stdin>", "text"))
        except OpencommsError as exc:
            self.checker, self.analyser, self.load_error = None, None, str(exc)
        except Exception as exc:  # a broken pipeline: report it, keep the server up
            self.checker, self.analyser, self.load_error = None, None, f"{type(exc).__name__}: {exc}"

    def check(self, text: str, path: str, fmt: str, incremental: bool = False):
        """Check one version of a document; returns an engine.Result (worker thread).

        ``incremental``: analyse only the blocks not seen before (see :mod:`opencomms.lsp.analysis`);
        otherwise the whole text, exactly as ``opencomms check`` does.
        """
        self.load()
        if self.checker is None:
            raise OpencommsError(self.load_error or "the pipeline is not loaded")
        self.refresh_config(path)
        from opencomms.fixer import source_from_text

        source = source_from_text(text, path, fmt)
        if incremental and self.analyser is not None:
            return self.checker.check_doc(source, self.analyser.doc(source), self.checker.settings(source))
        return self.checker.check_one(source)

    def prime(self, text: str, path: str, fmt: str) -> None:
        """Analyse the blocks of a text into the cache, so the first edit is fast (worker thread)."""
        if self.analyser is None or not self.options.incremental:
            return
        from opencomms.fixer import source_from_text

        try:
            self.analyser.doc(source_from_text(text, path, fmt))
        except OpencommsError:
            pass

    def refresh_config(self, path: str) -> None:
        """Forget cached configuration, rules and word lists when a file they came from has changed, so a
        long-running server follows edits of ``opencomms.yaml`` and of the user's own rules."""
        from opencomms import config as configuration
        from opencomms import lexicons, ruleset, runner

        configuration.discover.cache_clear()
        config = configuration.for_file(None if path == "<stdin>" else path, self.options.config)
        files = [Path(config.path)] if config.path else []
        for directory in config.paths("rule_paths") + config.paths("lexicon_paths"):
            if directory.is_dir():
                files.extend(sorted(directory.rglob("*.y*ml")))
        stamp = tuple((str(f), _mtime(f)) for f in files)
        previous = self._stamps.get(config.path)
        if previous is not None and stamp != previous:
            configuration.load_file.cache_clear()
            configuration.discover.cache_clear()
            runner.compiled_rules.cache_clear()
            ruleset._read.cache_clear()
            lexicons.load_path.cache_clear()
        self._stamps[config.path] = stamp


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1
