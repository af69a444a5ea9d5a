"""The per-batch function that every audit engine runs: local worker processes and Dask workers alike.

Input and output are plain data. An item is ``{"id", "path", "name", "data": bytes, "doctype"}``; the
answer is ``{"results": [one dict per item, in order], "rules": [...], "pid": ...}``. Each process builds one
:class:`~opencomms.runner.Checker` (the pipeline is loaded once) and runs every batch through
``Checker.run`` (``nlp.pipe`` batching) inside ``nlp.memory_zone()``, so a long audit does not grow the
vocabulary. A document that cannot be read or checked becomes a ``failed`` result; it never fails the batch.

A worker process of the local pool does nothing else, so its memory zone spans many batches: it is closed
(and the other memory clean-ups run) after every ``MAINTENANCE_WORDS`` words. Between clean-ups the
tokenizer cache and the vocabulary stay warm, as in one long ``nlp.pipe``. Elsewhere (a Dask worker, a test
calling :func:`process_batch`) each batch has its own zone.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import threading
from pathlib import Path

from opencomms import config as configuration
from opencomms import readers
from opencomms.audit.metadata import normalise, plain
from opencomms.errors import OpencommsError
from opencomms.finding import Level

_checkers: dict[tuple, object] = {}
_pipeline_info: dict[int, dict] = {}  # per Checker (they live as long as the process): the same for every batch
_lock = threading.Lock()
_MAX_CONTEXT = 400
_MAX_TEXT = 200
MAINTENANCE_WORDS = 40_000  # memory clean-up (and, in a dedicated worker, a new memory zone) after this many words


class _Zone:
    """The memory zone batches run in, and when to clean up."""

    def __init__(self):
        self.dedicated = False  # a local pool worker: one zone across batches
        self.stack: contextlib.ExitStack | None = None
        self.words = 0  # checked since the last clean-up

    def enter(self, nlp):
        """A context for one batch: a fresh memory zone, or (in a dedicated worker) the long-lived one."""
        if not self.dedicated:
            return nlp.memory_zone()
        if self.stack is None:
            self.stack = contextlib.ExitStack()
            self.stack.enter_context(nlp.memory_zone())
        return contextlib.nullcontext()

    def close(self) -> None:
        if self.stack is not None:
            self.stack.close()
            self.stack = None

    def after_batch(self, words: int) -> None:
        self.words += words
        if self.words < MAINTENANCE_WORDS:
            trim_caches()  # cheap unless a cache is full
            return
        self.close()
        self.words = 0
        release_memory()


_zone = _Zone()


def _key(options: dict) -> tuple:
    return (options.get("model"), options.get("config"), options.get("profile"))


def get_checker(options: dict):
    """The process's Checker for these options, built (and warmed up) once."""
    key = _key(options)
    with _lock:
        checker = _checkers.get(key)
        if checker is None:
            from opencomms.runner import Checker

            _zone.close()  # the rules must compile outside any memory zone

            checker = Checker(model=options.get("model"), config_path=options.get("config"),
                              profile=options.get("profile"))
            # compile the rules outside any memory zone, so their matchers' strings stay in the vocabulary:
            # the profile's, or those of every profile a document type may choose
            for name in [options["profile"]] if options.get("profile") else configuration.profiles():
                warmup = readers.parse_bytes("Dit is een korte zin.".encode(), "warmup.txt", "text")
                warmup.metadata = {"opencomms-profile": name}
                checker.check_one(warmup)
            warm_tokenizer(checker.nlp)
            _checkers[key] = checker
            # the pipeline, rules and word lists live as long as the process: keep them out of the
            # full collection that runs after each batch (it then takes milliseconds, not 150 ms)
            gc.collect()
            gc.freeze()
        return checker


TOKENIZER_WARMUP_WORDS = 10_000


def warm_tokenizer(nlp) -> None:
    """Tokenize the most frequent Dutch words once, outside any memory zone.

    Inside a memory zone spaCy's tokenizer caches nothing, so every word of every batch would be split
    from scratch. The cache entries made here stay for the life of the process (a fixed 10,000 words, and
    the first 1,000 capitalised as at the start of a sentence): about half the tokenizer's work in a zone.
    """
    from wordfreq import top_n_list

    words = top_n_list("nl", TOKENIZER_WARMUP_WORDS)
    # one text: the tokenizer caches each space-separated word as it would alone (0.02 s, not 0.4 s one by one)
    nlp.tokenizer(" ".join(words + [w.capitalize() for w in words[:1_000]]))


def initialize(options: dict) -> None:
    """Worker-process initializer: Ctrl-C is the main process's business; load the pipeline now.

    A model or configuration error is not raised here (that would only break the pool without a message):
    the first batch raises it again, and the main process stops the run with it.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _zone.dedicated = True
    try:
        get_checker(options)
    except OpencommsError:
        pass


def process_batch(items: list[dict], options: dict) -> dict:
    try:
        checker = get_checker(options)
    except OpencommsError as exc:
        raise OpencommsError(str(exc)) from None  # keep the location in the message: it crosses a process boundary
    results: dict[int, dict] = {}
    parsed = []
    for item in items:
        try:
            fmt = options.get("input_format") or readers.format_for(Path(item["path"]))
            source = readers.parse_bytes(item["data"], item["path"], fmt)
        except OpencommsError as exc:
            results[item["id"]] = failed(item, exc.message)
            continue
        except Exception as exc:  # a reader bug on hostile input must not stop the audit
            results[item["id"]] = failed(item, f"reader crashed: {type(exc).__name__}: {exc}")
            continue
        source_meta = plain(dict(source.metadata))
        _apply_doctype_profile(source, item, options, source_meta)
        parsed.append((item, source, source_meta))
    rules: dict[str, dict] = {}
    if parsed:
        try:
            with _zone.enter(checker.nlp):
                for (item, source, meta), result in zip(parsed, checker.run([s for _, s, _ in parsed], batch_size=len(parsed))):
                    results[item["id"]] = done(item, source, meta, result, rules)
        except Exception:
            # isolate the document that broke the batch: check the rest one by one
            for item, source, meta in parsed:
                if results.get(item["id"], {}).get("status") == "done":
                    continue
                try:
                    with _zone.enter(checker.nlp):
                        results[item["id"]] = done(item, source, meta, checker.check_one(source), rules)
                except Exception as exc:
                    results[item["id"]] = failed(item, f"check crashed: {type(exc).__name__}: {exc}")
    _zone.after_batch(sum(r.get("words") or 0 for r in results.values()))
    info = _pipeline_info.get(id(checker)) or _pipeline_info.setdefault(id(checker), checker.pipeline_info())
    return {"results": [results[item["id"]] for item in items], "rules": list(rules.values()), "pid": os.getpid(),
            "pipeline": info}


CACHE_LIMIT = 20_000


def _malloc_trim():
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl): nothing to do
        return None


_MALLOC_TRIM = _malloc_trim()


def release_memory(limit: int = CACHE_LIMIT) -> None:
    """Keep a long-running worker's memory flat (after each batch, or every ``MAINTENANCE_WORDS`` words).

    - Per-word caches grow with every new word of the archive. opencomms' own (word frequency,
      syllables) are LRU caches of a fixed size, which keep the frequent words; pyphen's hyphenation
      cache and wordfreq's own cache are emptied when they pass ``limit`` entries (:func:`trim_caches`).
    - A few objects of spaCy's parser sit in reference cycles, which only a full garbage collection frees.
    - A batch with one long document makes the model's buffers large; glibc keeps freed memory in its
      arenas, so ``malloc_trim`` hands it back to the system.
    """
    trim_caches(limit)
    gc.collect()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def trim_caches(limit: int = CACHE_LIMIT) -> None:
    """Empty the libraries' own unbounded per-word caches once they pass ``limit`` entries.

    opencomms' per-word caches (``opencomms.nlp.words``, ``opencomms.nlp.syllables``) are bounded LRU
    caches and keep the most used words; pyphen and wordfreq, called only on a miss there, are not.
    """
    caches = []
    try:
        import pyphen

        caches += [getattr(h, "cache", None) for h in list(getattr(pyphen, "hdcache", {}).values())]
    except ImportError:  # pragma: no cover - a dependency of opencomms
        pass
    try:
        import wordfreq

        caches.append(getattr(wordfreq, "_wf_cache", None))
    except ImportError:  # pragma: no cover - a dependency of opencomms
        pass
    for cache in caches:
        if isinstance(cache, dict) and len(cache) > limit:
            cache.clear()


def _apply_doctype_profile(source, item: dict, options: dict, source_meta: dict) -> None:
    """A document type that names a profile (persbericht, kamerbrief, …) selects it, unless one was chosen."""
    if options.get("profile") or source.metadata.get("opencomms-profile") or source.metadata.get("profile"):
        return
    doctype = item.get("doctype") or normalise(source_meta, None, None, item["name"])["doctype"]
    if doctype and doctype.strip().lower() in configuration.profiles():
        source.metadata = {**source.metadata, "opencomms-profile": doctype.strip().lower()}


def failed(item: dict, reason: str) -> dict:
    return {"id": item["id"], "status": "failed", "error": reason}


def _title_guess(source) -> str | None:
    blocks = source.blocks
    block = next((b for b in blocks if b.kind == "heading"), None) or (blocks[0] if blocks else None)
    if block is None:
        return None
    text = " ".join(source.checked[block.start:block.end].split())
    return text[:160] or None


def done(item: dict, source, source_meta: dict, result, rules: dict) -> dict:
    for rule in result.rules:
        if rule.id not in rules:
            title = " ".join((rule.description or "").strip().split("\n")[0].split())
            rules[rule.id] = {"id": rule.id, "principle": rule.principle, "category": rule.category,
                              "level": rule.level.name, "title": title[:200]}
    findings = []
    counts = {level.name: 0 for level in Level}
    for f in result.findings:
        counts[f.level.name] += 1
        findings.append({
            "rule": f.rule, "category": f.category, "principle": f.principle, "level": f.level.name,
            "line": f.line, "column": f.column, "end_line": f.end_line, "end_column": f.end_column,
            "offset": f.offset, "end_offset": f.end_offset, "text": f.text[:_MAX_TEXT], "message": f.message,
            "suggestion": f.suggestions[0] if f.suggestions else None, "context": (f.context or "")[:_MAX_CONTEXT],
        })
    metrics = plain(result.metrics or {})
    return {
        "id": item["id"],
        "status": "done",
        "format": source.format,
        "encoding": source.encoding,
        "profile": result.profile,
        "source_metadata": source_meta,
        "title_guess": _title_guess(source),
        "words": metrics.get("words", 0),
        "sentences": metrics.get("sentences", 0),
        "score": result.scores.get("score"),
        "aspects": {a["id"]: a["score"] for a in result.scores.get("principles", [])},
        "counts": counts,
        "metrics": metrics,
        "skipped": [s.to_dict() for s in result.skipped],
        "findings": findings,
    }
