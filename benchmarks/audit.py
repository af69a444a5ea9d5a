"""Benchmark ``opencomms audit``: throughput against bare ``nlp.pipe``, scaling, Dask, and flat memory.

Usage:
    python benchmarks/audit.py [--docs 5000] [--words 60] [--memory-base 500] [--keep DIR]

Builds a corpus of real Dutch text at run time (never committed): sentences from the UD Dutch treebanks
(``# text`` lines of /work/shared/data/ud-dutch/*/*.conllu) and paragraphs of the gov-dev texts
(/work/shared/data/gov-dev/*/*.txt), cut into documents of about ``--words`` words, cycled until there are
``--docs`` documents. Every copy gets its own reference line ("Kenmerk: …") so no two files are equal and
the vocabulary sees new strings. An index.csv gives each document an organisation, a type and a date.

Then, in one run, it prints:
- words/s of bare ``nlp.pipe`` (same pipeline, same texts, in this process, reading excluded);
- words/s of ``Checker.run`` in this process (pipeline + rule checks + scoring: what any audit must do), on
  ``--checker-docs`` documents spread evenly over the corpus;
- words/s of ``opencomms audit --workers 1``, ``--workers 2`` and ``--local-cluster 2`` (real CLI subprocesses,
  a fresh database each; the time is the run's own, from the start of the run to the last row: it includes
  starting the workers and loading the pipeline in each, and excludes Python start-up of the CLI);
- peak memory (RSS of the CLI process and all its children, sampled every 0.1 s) of ``--workers 1`` on
  ``--memory-base`` documents spread evenly over the corpus (1×) and on ten times as many (10×);
- the ratios against the targets: workers 1 ≥ 0.75 × bare, workers 2 ≥ 1.7 × workers 1, memory ≤ 1.2.

Words per CPU-second (CPU time of every process involved) are printed too: on a shared machine they show
the cost of the work apart from how much CPU the other jobs left over. The numbers depend on the machine:
say how many cores it has and what else was running (the load average is printed).
"""

from __future__ import annotations

import argparse
import csv
import glob
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

UD = os.environ.get("OPENCOMMS_BENCH_UD", "/work/shared/data/ud-dutch/*/*.conllu")
GOV = os.environ.get("OPENCOMMS_BENCH_TEXTS", "/work/shared/data/gov-dev/*/*.txt")
ORGS = ["Ministerie van BZK", "Ministerie van Financiën", "Ministerie van VWS", "Ministerie van IenW",
        "Gemeente Utrecht", "Provincie Gelderland", "Belastingdienst", "RVO"]
TYPES = ["persbericht", "nieuwsbericht", "webtekst", "kamerbrief", "blog"]


def units() -> list[str]:
    """Pieces of real Dutch text: UD sentences in groups, gov-dev paragraphs."""
    out: list[str] = []
    for path in sorted(glob.glob(UD)):
        with open(path, encoding="utf-8") as handle:
            out += [line[len("# text = "):].strip() for line in handle if line.startswith("# text = ")]
    for path in sorted(glob.glob(GOV)):
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        out += [p.strip() for p in re.split(r"\n\s*\n", text) if len(p.split()) >= 8]
    return out


def build_corpus(root: Path, docs: int, words: int, seed: int = 1) -> int:
    pieces = units()
    if not pieces:
        sys.exit(f"no texts found ({UD}, {GOV}); set OPENCOMMS_BENCH_UD / OPENCOMMS_BENCH_TEXTS")
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    rows, i, n = [], 0, 0
    while n < docs:
        paragraphs, count = [], 0
        while count < words:
            piece = pieces[i % len(pieces)]
            i += 1
            paragraphs.append(piece)
            count += len(piece.split())
        folder = root / f"map-{n // 1000:03d}"
        folder.mkdir(exist_ok=True)
        name = f"doc-{n:06d}.txt"
        year = 2015 + n % 11
        paragraphs.append(f"Kenmerk: {year}-{n:06d}-{rng.randrange(10**6):06d}.")
        (folder / name).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        rows.append({"file": f"{folder.name}/{name}", "organisatie": ORGS[n % len(ORGS)],
                     "soort": TYPES[(n // 3) % len(TYPES)], "datum": f"{year}-{1 + n % 12:02d}-{1 + n % 28:02d}"})
        n += 1
    with (root / "index.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", "organisatie", "soort", "datum"])
        writer.writeheader()
        writer.writerows(rows)
    return n


def subset(src: Path, dst: Path, docs: int) -> None:
    """``docs`` documents spread evenly over a corpus (the 1× corpus for the memory ratio).

    Every k-th document, not the first ones: the corpus starts with UD sentences and reaches the longer
    gov-dev paragraphs later, so only an even spread has the same mix of lengths as the whole.
    """
    with (src / "index.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows = rows[:: max(1, len(rows) // docs)][:docs]
    for row in rows:
        target = dst / row["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src / row["file"], target)
    with (dst / "index.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def bare_pipe(corpus: Path) -> dict:
    """Words/s of nlp.pipe alone over the same texts (the audit's pipeline, the audit's word count)."""
    from opencomms import readers
    from opencomms.nlp import pipeline

    nlp = pipeline.load(None)
    sources = [readers.read(p) for p in sorted(corpus.rglob("*.txt"))]
    docs = (pipeline.make_doc(nlp, s) for s in sources)
    start, cpu = time.perf_counter(), time.process_time()
    words = 0
    for doc in nlp.pipe(docs, batch_size=32):
        words += (doc._.oc_readability or {}).get("words", 0)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"documents": len(sources), "words": words, "seconds": seconds, "words_per_second": words / seconds,
            "cpu_seconds": cpu, "words_per_cpu_second": words / cpu, "model": pipeline.describe(nlp)["model"]}


def checker_run(corpus: Path, limit: int) -> dict:
    """Words/s of Checker.run in this process (pipeline + rule checks + scoring, no audit machinery)."""
    from opencomms import readers
    from opencomms.runner import Checker

    checker = Checker()
    files = sorted(corpus.rglob("*.txt"))
    sources = [readers.read(p) for p in files[:: max(1, len(files) // limit)][:limit]]  # spread like the corpus
    start, cpu = time.perf_counter(), time.process_time()
    words = sum((r.metrics or {}).get("words", 0) for r in checker.run(sources, batch_size=32))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"documents": len(sources), "words": words, "seconds": seconds, "words_per_second": words / seconds,
            "cpu_seconds": cpu, "words_per_cpu_second": words / cpu}


def tree_sample(pid: int, cpu: dict) -> tuple[int, int]:
    """RSS of a process and of its children now; records each one's CPU time (user + system) in ``cpu``."""
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc] + proc.children(recursive=True)
    except psutil.Error:
        return 0, 0
    main = children = 0
    for p in procs:
        try:
            with p.oneshot():
                rss = p.memory_info().rss
                times = p.cpu_times()
            cpu[p.pid] = max(cpu.get(p.pid, 0.0), times.user + times.system)
            if p.pid == pid:
                main = rss
            else:
                children += rss
        except psutil.Error:
            pass
    return main, children


def audit(corpus: Path, db: Path, *args: str) -> dict:
    cmd = [sys.executable, "-m", "opencomms", "audit", str(corpus), "--db", str(db), "--index",
           str(corpus / "index.csv"), "--index-field", "type=soort", "--no-progress", "--format", "json", *args]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"})
    peak, stop, cpu = [0, 0, 0], threading.Event(), {}

    def sample():
        while not stop.is_set():
            main, children = tree_sample(proc.pid, cpu)
            peak[:] = [max(peak[0], main + children), max(peak[1], main), max(peak[2], children)]
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    stop.set()
    sampler.join()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"audit failed ({proc.returncode}): {err.decode()[-2000:]}")
    summary = json.loads(out)
    summary["wall_seconds"] = wall
    summary["peak_rss_mb"] = peak[0] / 2**20
    summary["peak_main_mb"] = peak[1] / 2**20
    summary["peak_workers_mb"] = peak[2] / 2**20
    summary["cpu_seconds"] = sum(cpu.values())  # of all processes, sampled: a lower bound
    summary["cpu_main_seconds"] = cpu.get(proc.pid, 0.0)
    summary["words_per_cpu_second"] = summary["words"] / summary["cpu_seconds"] if summary["cpu_seconds"] else None
    return summary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=5000, help="documents in the corpus (≥ 5000 for the report)")
    ap.add_argument("--words", type=int, default=60, help="about this many words per document")
    ap.add_argument("--memory-base", type=int, default=0,
                    help="documents of the 1× corpus for the memory ratio (default: docs / 10, so 10× is the corpus)")
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--memory-only", action="store_true", help="only the 1× and 10× memory runs (--workers 1)")
    ap.add_argument("--checker-docs", type=int, default=1000, help="documents for the in-process Checker.run figure")
    ap.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    args = ap.parse_args()
    base = args.memory_base or max(1, args.docs // 10)

    work = args.keep or Path(tempfile.mkdtemp(prefix="opencomms-audit-bench-"))
    corpus, small = work / "corpus", work / "corpus-1x"
    try:
        n = build_corpus(corpus, args.docs, args.words)
        subset(corpus, small, base)
        print(f"machine          {os.cpu_count()} cores, load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(f"corpus           {n} documents of ~{args.words} words (UD Dutch sentences + gov-dev paragraphs)")

        if args.memory_only:
            one = audit(small, work / "memory-1x.sqlite", "--workers", "1")
            ten = audit(corpus, work / "memory-10x.sqlite", "--workers", "1")
            for label, r in (("1×", one), ("10×", ten)):
                print(f"memory {label:<10}{r['peak_rss_mb']:8.0f} MB peak ({r['checked']} documents, --workers 1; "
                      f"main process {r['peak_main_mb']:.0f} MB, worker {r['peak_workers_mb']:.0f} MB)")
            print(f"ratio memory 10× / 1×       {ten['peak_rss_mb'] / one['peak_rss_mb']:.2f}  (target ≤ 1.2)")
            return
        bare = bare_pipe(corpus)
        print(f"bare nlp.pipe    {bare['words_per_second']:8.0f} words/s  ({bare['words']} words, {bare['seconds']:.1f} s, "
              f"{bare['words_per_cpu_second']:.0f} words/CPU-s, {bare['model']})")
        checked = checker_run(corpus, args.checker_docs)
        print(f"Checker.run      {checked['words_per_second']:8.0f} words/s  ({checked['words']} words, in-process, "
              f"{checked['words_per_cpu_second']:.0f} words/CPU-s: pipeline + rule checks, no audit machinery)")
        results = {}
        runs = [("workers 1", ["--workers", "1"]), ("workers 2", ["--workers", "2"])]
        if not args.skip_dask:
            runs.append(("dask local 2", ["--local-cluster", "2"]))
        for label, extra in runs:
            r = audit(corpus, work / f"{label.replace(' ', '-')}.sqlite", *extra)
            results[label] = r
            print(f"audit {label:<11}{r['words_per_second']:8.0f} words/s  ({r['checked']} documents, {r['words']} words, "
                  f"{r['seconds']:.1f} s in the run, {r['wall_seconds']:.1f} s wall; {r['words_per_cpu_second']:.0f} "
                  f"words/CPU-s over all processes, of {r['cpu_seconds']:.0f} CPU-s {r['cpu_main_seconds']:.0f} in the main "
                  f"process; peak {r['peak_rss_mb']:.0f} MB)")
        one = audit(small, work / "memory-1x.sqlite", "--workers", "1")
        ten = results["workers 1"]
        for label, r in (("1×", one), ("10×", ten)):
            print(f"memory {label:<10}{r['peak_rss_mb']:8.0f} MB peak ({r['checked']} documents, --workers 1; "
                  f"main process {r['peak_main_mb']:.0f} MB, worker {r['peak_workers_mb']:.0f} MB)")

        w1, w2 = results["workers 1"]["words_per_second"], results["workers 2"]["words_per_second"]
        ratios = {
            "workers1_vs_bare": w1 / bare["words_per_second"],
            "workers1_vs_checker_run": w1 / checked["words_per_second"],
            "cpu_efficiency_workers1_vs_bare": results["workers 1"]["words_per_cpu_second"] / bare["words_per_cpu_second"],
            "workers2_vs_workers1": w2 / w1,
            "memory_10x_vs_1x": ten["peak_rss_mb"] / one["peak_rss_mb"],
        }
        if "dask local 2" in results:
            ratios["dask2_vs_workers2"] = results["dask local 2"]["words_per_second"] / w2
        print(f"ratio workers 1 / bare      {ratios['workers1_vs_bare']:.2f}  (target ≥ 0.75)")
        print(f"ratio workers 1 / Checker.run {ratios['workers1_vs_checker_run']:.2f}  (the audit machinery's own cost)")
        print(f"ratio words/CPU-s workers 1 / bare {ratios['cpu_efficiency_workers1_vs_bare']:.2f}  (independent of load)")
        print(f"ratio workers 2 / workers 1 {ratios['workers2_vs_workers1']:.2f}  (target ≥ 1.7)")
        print(f"ratio memory 10× / 1×       {ratios['memory_10x_vs_1x']:.2f}  (target ≤ 1.2)")
        if "dask2_vs_workers2" in ratios:
            print(f"ratio dask 2 / workers 2    {ratios['dask2_vs_workers2']:.2f}")
        print(json.dumps({"bare": bare, "checker_run": checked, "audit": results, "memory_1x": one, "ratios": ratios},
                         default=str))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
