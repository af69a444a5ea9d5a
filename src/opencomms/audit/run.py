"""Running an audit: find files, skip finished ones, feed batches to an engine, write results as they come.

The main process walks the archive, reads and hashes each file, and is the only writer of the database.
Work goes out in batches of plain data to one of two engines that run the same function
(:func:`opencomms.audit.work.process_batch`):

- :class:`LocalEngine`: a ``ProcessPoolExecutor`` of ``--workers`` processes (spawned), each with one
  Checker built by the initializer;
- :class:`DaskEngine`: a Dask ``distributed`` cluster (``--scheduler tcp://…``) or a ``LocalCluster``
  started for the run (``--local-cluster N``).

Memory stays flat: the list of files lives in the database, not in memory, and at most
``2 × workers + 1`` batches (and at most ``MAX_IN_FLIGHT_BYTES`` of file contents) are in flight.
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import hashlib
import json
import logging
import multiprocessing
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from opencomms import discovery, readers
from opencomms.audit import work
from opencomms.audit.metadata import normalise, read_index
from opencomms.audit.store import ASPECT_COLUMNS, Store, now
from opencomms.errors import InputError, OpencommsError

MAX_BATCH_BYTES = 1024 * 1024  # a batch closes at --batch-size documents or this many bytes
MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024


@dataclass
class AuditOptions:
    paths: list[str]
    db: str
    workers: int = 0  # 0: the number of cores
    scheduler: str | None = None
    local_cluster: int | None = None
    index: str | None = None
    index_fields: dict = field(default_factory=dict)
    profile: str | None = None
    config: str | None = None
    model: str | None = None
    input_format: str | None = None
    include: tuple = ()
    exclude: tuple = ()
    gitignore: bool = True
    batch_size: int = 32
    retry_failed: bool = False
    rehash: bool = False

    def worker_options(self) -> dict:
        config = str(Path(self.config).resolve()) if self.config else None
        return {"model": self.model, "config": config, "profile": self.profile, "input_format": self.input_format}

    def settings(self) -> dict:
        """What makes results comparable; a database keeps to one set."""
        return {"model": self.model, "profile": self.profile,
                "config": str(Path(self.config).resolve()) if self.config else None}


@dataclass
class Summary:
    files: int = 0
    checked: int = 0
    skipped: int = 0
    failed: int = 0
    words: int = 0
    seconds: float = 0.0
    engine: str = ""
    workers: int = 0
    status: str = "running"
    score_sum: float = 0.0
    scored: int = 0

    def to_dict(self) -> dict:
        return {
            "status": self.status,
            "files": self.files,
            "checked": self.checked,
            "skipped": self.skipped,
            "failed": self.failed,
            "words": self.words,
            "seconds": round(self.seconds, 3),
            "documents_per_second": round(self.checked / self.seconds, 2) if self.seconds else None,
            "words_per_second": round(self.words / self.seconds, 1) if self.seconds else None,
            "mean_score": round(self.score_sum / self.scored, 1) if self.scored else None,
            "engine": self.engine,
            "workers": self.workers,
        }


# -- engines ---------------------------------------------------------------------------------------


class LocalEngine:
    """Worker processes on this machine; each loads the pipeline once (the pool's initializer)."""

    def __init__(self, workers: int, options: dict):
        self.workers = workers
        self.options = options
        self.name = "local"
        self.pool = self._pool()

    def _pool(self) -> cf.ProcessPoolExecutor:
        pool = cf.ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=work.initialize,
            initargs=(self.options,),
        )
        # start every worker now (the pool starts one per submitted task): they load the pipeline while
        # this process walks the archive
        for _ in range(self.workers):
            pool.submit(os.getpid)
        return pool

    def submit(self, items: list[dict]):
        try:
            return self.pool.submit(work.process_batch, items, self.options)
        except cf.process.BrokenProcessPool:
            self.recover()
            return self.pool.submit(work.process_batch, items, self.options)

    def wait(self, futures: list, timeout: float) -> list:
        done, _ = cf.wait(futures, timeout=timeout, return_when=cf.FIRST_COMPLETED)
        return list(done)

    def recover(self) -> None:
        """After a worker died (crash, out of memory) the pool is broken: start a new one."""
        if getattr(self.pool, "_broken", False):
            self.close(cancel=True)
            self.pool = self._pool()

    def close(self, cancel: bool = False) -> None:
        if cancel:
            processes = list((getattr(self.pool, "_processes", None) or {}).values())
            self.pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                if process.is_alive():
                    process.terminate()
            for process in processes:
                process.join(timeout=5)
        else:
            self.pool.shutdown(wait=True)


class DaskEngine:
    """The same per-batch function on a Dask ``distributed`` cluster."""

    def __init__(self, options: dict, scheduler: str | None = None, local_workers: int | None = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise OpencommsError(
                "--scheduler and --local-cluster need Dask: pip install 'dask[distributed]'"
            ) from None
        self.options = options
        self.cluster = None
        logging.getLogger("distributed").setLevel(logging.ERROR)
        try:
            if scheduler:
                self.client = Client(scheduler, timeout="30s")
                self.name = f"dask {scheduler}"
            else:
                self.cluster = LocalCluster(
                    n_workers=local_workers, threads_per_worker=1, processes=True, dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self.client = Client(self.cluster)
                self.name = "dask LocalCluster"
        except OSError as exc:
            raise OpencommsError(f"cannot reach the Dask scheduler {scheduler!r} ({exc})") from None
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def submit(self, items: list[dict]):
        return self.client.submit(work.process_batch, items, self.options, pure=False)

    def wait(self, futures: list, timeout: float) -> list:
        from distributed import wait
        from distributed.utils import TimeoutError as DaskTimeout

        try:
            done, _ = wait(futures, timeout=timeout, return_when="FIRST_COMPLETED")
        except (DaskTimeout, TimeoutError):
            return []
        return list(done)

    def recover(self) -> None:
        pass  # Dask reschedules work of lost workers itself

    def close(self, cancel: bool = False) -> None:
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()


# -- the run ---------------------------------------------------------------------------------------


class Audit:
    def __init__(self, options: AuditOptions, progress: Callable | None = None):
        self.options = options
        self.progress = progress or (lambda event, **data: None)
        self.summary = Summary()
        self.pipeline: dict | None = None
        self.answers = 0  # batches answered
        self.crashes = 0  # batches lost in a row (worker died)

    def files(self) -> Iterator[tuple[str, str]]:
        """(absolute path, display name) of every file to audit, streamed from the walk."""
        opts = self.options
        for raw in opts.paths:
            root = Path(raw)
            if root.is_dir():
                for path in discovery.walk(root, opts.include, opts.exclude, opts.gitignore):
                    yield str(path.resolve()), path.relative_to(root).as_posix() if len(opts.paths) == 1 else path.as_posix()
            elif root.exists() or root.is_symlink():
                yield str(root.resolve()), root.as_posix() if len(opts.paths) > 1 else root.name
            else:
                raise InputError("no such file or directory", raw)

    def run(self) -> Summary:
        opts = self.options
        for raw in opts.paths:
            if not Path(raw).exists():
                raise InputError("no such file or directory", raw)
        if opts.index and not Path(opts.index).is_file():
            raise InputError("no such index file", opts.index)
        store = Store(opts.db)
        try:
            store.check_settings(opts.settings())
            if opts.index:
                store.load_index(read_index(Path(opts.index), opts.index_fields))
            return self._run(store)
        finally:
            store.close()

    def _run(self, store: Store) -> Summary:
        opts, s = self.options, self.summary
        started = time.perf_counter()  # the run's time includes starting the workers
        engine = self._engine()
        s.engine, s.workers = engine.name, engine.workers
        run_id = store.begin_run(engine.name, engine.workers)
        previous_term = signal.getsignal(signal.SIGTERM)
        if threading_main():
            signal.signal(signal.SIGTERM, _terminate)
        try:
            self.progress("discover")
            s.files = store.discover(self.files(), run_id)
            store.forget_missing(run_id)
            if not s.files:
                raise InputError("no files to audit", " ".join(opts.paths))
            self.progress("start", total=s.files, engine=engine.name, workers=engine.workers)
            self._execute(store, engine, run_id)
            s.status = "finished"
        except BaseException:
            s.status = "interrupted"
            engine.close(cancel=True)
            raise
        else:
            engine.close()
        finally:
            s.seconds = time.perf_counter() - started
            if threading_main():
                signal.signal(signal.SIGTERM, previous_term)
            try:
                store.finish_run(run_id, s.status, s.__dict__, s.seconds)
            except Exception:
                pass
        return s

    def _engine(self):
        opts = self.options
        options = opts.worker_options()
        if opts.scheduler or opts.local_cluster:
            return DaskEngine(options, scheduler=opts.scheduler, local_workers=opts.local_cluster)
        return LocalEngine(opts.workers or os.cpu_count() or 1, options)

    # -- feeding the engine --------------------------------------------------------------------

    def _items(self, store: Store, run_id: int) -> Iterator[dict]:
        opts = self.options
        for row in store.seen(run_id):
            path = row["path"]
            index_json = store.index_for(path)
            try:
                st = os.stat(path)
            except OSError as exc:
                self._fail_direct(store, row, {}, f"cannot be read ({exc.strerror or exc})", index_json)
                continue
            finished = row["status"] == "done" or (row["status"] == "failed" and not opts.retry_failed)
            unchanged = row["size"] == st.st_size and row["mtime_ns"] == st.st_mtime_ns
            if finished and unchanged and not opts.rehash:
                self._skip(store, row, index_json, {})
                continue
            try:
                data = readers.read_bytes(Path(path))
            except InputError as exc:
                self._fail_direct(store, row, {"size": st.st_size, "mtime_ns": st.st_mtime_ns}, exc.message, index_json)
                continue
            digest = hashlib.sha256(data).hexdigest()
            stat = {"size": st.st_size, "mtime_ns": st.st_mtime_ns}
            if finished and row["hash"] == digest:
                self._skip(store, row, index_json, stat)
                continue
            index_meta = json.loads(index_json) if index_json else None
            doctype = normalise(None, index_meta, None, row["name"], opts.index_fields)["doctype"] if index_meta else None
            yield {"id": row["id"], "path": path, "name": row["name"], "data": data, "doctype": doctype,
                   "hash": digest, **stat, "index_metadata": index_json}

    def _skip(self, store: Store, row, index_json: str | None, stat: dict) -> None:
        """An unchanged, finished document: count it; refresh its index metadata if the index changed."""
        self.summary.skipped += 1
        fields = dict(stat) if stat and (stat["size"] != row["size"] or stat["mtime_ns"] != row["mtime_ns"]) else {}
        if store.has_index and index_json != row["index_metadata"]:
            source_meta = json.loads(row["source_metadata"]) if row["source_metadata"] else {}
            index_meta = json.loads(index_json) if index_json else {}
            meta = normalise(source_meta, index_meta, row["title"], row["name"], self.options.index_fields)
            fields.update({k: meta[k] for k in ("title", "date", "year", "organisation", "doctype")})
            fields["index_metadata"] = index_json
            fields["metadata"] = json.dumps({**source_meta, **index_meta}, ensure_ascii=False, default=str)
        if fields:
            store.update_metadata(row["id"], fields)
        self.progress("advance", skipped=1)

    def _fail_direct(self, store: Store, row, stat: dict, reason: str, index_json: str | None) -> None:
        item = {"id": row["id"], "name": row["name"], "hash": None, "index_metadata": index_json, **stat}
        store.write([self._record(item, work.failed(item, reason))])
        self.summary.failed += 1
        self.progress("advance", failed=1)

    def _execute(self, store: Store, engine, run_id: int) -> None:
        opts = self.options
        max_in_flight = 2 * engine.workers + 1
        in_flight: dict = {}
        retry: collections.deque = collections.deque()
        in_flight_bytes = 0

        def submit(batch: list[dict]) -> None:
            nonlocal in_flight_bytes
            in_flight[engine.submit([_wire(item) for item in batch])] = batch
            in_flight_bytes += sum(len(item["data"]) for item in batch)

        def collect() -> None:
            nonlocal in_flight_bytes
            for future in engine.wait(list(in_flight), timeout=0.5):
                batch = in_flight.pop(future)
                in_flight_bytes -= sum(len(item["data"]) for item in batch)
                try:
                    answer = future.result()
                except OpencommsError:
                    raise  # the workers cannot start (model, configuration or rules): no document can be checked
                except Exception as exc:  # a worker died (crash, out of memory) or the cluster lost it
                    engine.recover()
                    self.crashes += 1
                    if self.crashes >= 10 or (self.crashes >= 3 and not self.answers):
                        raise OpencommsError(
                            f"the worker processes keep stopping ({type(exc).__name__}: {exc}); nothing more was checked"
                        ) from None
                    self._crashed(store, batch, exc, retry)
                    continue
                self.answers += 1
                self.crashes = 0
                if self.pipeline is None and answer.get("pipeline"):
                    self.pipeline = answer["pipeline"]
                    store.set_run_pipeline(run_id, self.pipeline)
                records = [self._record(item, result) for item, result in zip(batch, answer["results"])]
                if records:
                    records[0]["rules"] = answer.get("rules", [])
                store.write(records)
                self._count(records)
            self.progress("tick")

        def make_room() -> None:
            while in_flight and (len(in_flight) >= max_in_flight or in_flight_bytes >= MAX_IN_FLIGHT_BYTES):
                collect()

        def drain_retries() -> None:
            while retry:
                make_room()
                submit(retry.popleft())

        batch: list[dict] = []
        batch_bytes = 0
        for item in self._items(store, run_id):
            batch.append(item)
            batch_bytes += len(item["data"])
            if len(batch) >= opts.batch_size or batch_bytes >= MAX_BATCH_BYTES:
                drain_retries()
                make_room()
                submit(batch)
                batch, batch_bytes = [], 0
        if batch:
            drain_retries()
            make_room()
            submit(batch)
        while in_flight or retry:
            drain_retries()
            if in_flight:
                collect()

    def _crashed(self, store: Store, batch: list[dict], exc: BaseException, retry: collections.deque) -> None:
        """Retry the documents of a lost batch one by one; a document that is lost twice alone fails."""
        if len(batch) > 1:
            retry.extend([item] for item in batch)
            return
        item = batch[0]
        item["attempt"] = item.get("attempt", 0) + 1
        if item["attempt"] < 3:
            retry.append([item])
            return
        reason = f"the worker checking it stopped ({type(exc).__name__}: {exc})".strip()
        record = self._record(item, work.failed(item, reason))
        store.write([record])
        self._count([record])

    def _count(self, records: list[dict]) -> None:
        s = self.summary
        checked = failed = words = 0
        for rec in records:
            doc = rec["document"]
            if doc["status"] == "done":
                checked += 1
                words += doc.get("words") or 0
                if doc.get("score") is not None:
                    s.score_sum += doc["score"]
                    s.scored += 1
            else:
                failed += 1
        s.checked += checked
        s.failed += failed
        s.words += words
        self.progress("advance", checked=checked, failed=failed, words=words)

    def _record(self, item: dict, result: dict) -> dict:
        """A database record (document columns + findings) from a worker's result."""
        index_json = item.get("index_metadata")
        index_meta = json.loads(index_json) if index_json else {}
        source_meta = result.get("source_metadata") or {}
        meta = normalise(source_meta, index_meta, result.get("title_guess"), item["name"], self.options.index_fields)
        doc = {
            "status": result["status"],
            "error": result.get("error"),
            "hash": item.get("hash"),
            "size": item.get("size"),
            "mtime_ns": item.get("mtime_ns"),
            "title": meta["title"],
            "date": meta["date"],
            "year": meta["year"],
            "organisation": meta["organisation"],
            "doctype": meta["doctype"],
            "metadata": json.dumps({**source_meta, **index_meta}, ensure_ascii=False, default=str),
            "source_metadata": json.dumps(source_meta, ensure_ascii=False, default=str) if source_meta else None,
            "index_metadata": index_json,
            "checked_at": now(),
        }
        aspects = result.get("aspects") or {}
        counts = result.get("counts") or {}
        doc.update({
            "format": result.get("format"),
            "encoding": result.get("encoding"),
            "profile": result.get("profile"),
            "words": result.get("words"),
            "sentences": result.get("sentences"),
            "score": result.get("score"),
            "findings": len(result.get("findings", ())) if result["status"] == "done" else None,
            "errors": counts.get("error"),
            "warnings": counts.get("warning"),
            "suggestions": counts.get("suggestion"),
            "metrics": json.dumps(result["metrics"], ensure_ascii=False) if "metrics" in result else None,
            "skipped_rules": json.dumps(result["skipped"], ensure_ascii=False) if "skipped" in result else None,
        })
        for aspect, column in ASPECT_COLUMNS.items():
            doc[column] = aspects.get(aspect)
        return {"id": item["id"], "document": doc, "findings": result.get("findings", [])}


def _wire(item: dict) -> dict:
    """What crosses to a worker: only what it needs."""
    return {"id": item["id"], "path": item["path"], "name": item["name"], "data": item["data"],
            "doctype": item.get("doctype")}


def _terminate(signum, frame):
    raise KeyboardInterrupt


def threading_main() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def default_workers() -> int:
    return os.cpu_count() or 1

