"""Benchmark the bundled Dutch pipeline: load time and nlp.pipe throughput (one process).

Usage:
    python benchmarks/pipeline.py [--model PATH] [--texts GLOB ...] [--loads 5] [--repeat 1]

Texts default to /work/shared/data/gov-dev/*/*.txt (read at run time, never copied), or
$OPENCOMMS_BENCH_TEXTS (a glob). Load time is the median of several fresh `spacy.load`
calls, each in its own subprocess (import of spaCy itself is reported separately).
Throughput counts non-whitespace tokens per second of `nlp.pipe` over paragraphs.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MODEL = ROOT / "src" / "opencomms" / "model" / "nl_opencomms"
DEFAULT_TEXTS = os.environ.get("OPENCOMMS_BENCH_TEXTS", "/work/shared/data/gov-dev/*/*.txt")

_LOAD_SNIPPET = """
import json, sys, time
t0 = time.perf_counter()
import spacy
t1 = time.perf_counter()
c1 = time.process_time()
nlp = spacy.load(sys.argv[1])
t2 = time.perf_counter()
c2 = time.process_time()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "load_cpu_s": c2 - c1}))
"""


def measure_load(model: Path, n: int) -> dict:
    loads, imports, cpus = [], [], []
    for _ in range(n):
        out = subprocess.run([sys.executable, "-c", _LOAD_SNIPPET, str(model)], check=True,
                             capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        loads.append(r["load_s"])
        imports.append(r["import_s"])
        cpus.append(r["load_cpu_s"])
    return {"load_s_median": statistics.median(loads), "load_s_all": loads,
            "load_cpu_s_median": statistics.median(cpus),
            "import_spacy_s_median": statistics.median(imports)}


def read_paragraphs(patterns: list[str]) -> list[str]:
    paras = []
    for pat in patterns:
        for f in sorted(glob.glob(pat)):
            text = Path(f).read_text(encoding="utf8", errors="replace")
            paras += [p.strip() for p in text.split("\n\n") if p.strip()]
    return paras


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    ap.add_argument("--texts", nargs="*", default=[DEFAULT_TEXTS])
    ap.add_argument("--loads", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=1, help="passes over the texts")
    ap.add_argument("--batch-size", type=int, default=256)
    args = ap.parse_args()

    load = measure_load(args.model, args.loads)
    print(f"model            {args.model}")
    print(f"import spacy     {load['import_spacy_s_median']:.3f} s (median)")
    print(f"spacy.load       {load['load_s_median']:.3f} s (median of {args.loads} fresh processes: "
          + ", ".join(f"{x:.3f}" for x in load["load_s_all"]) + ")")
    print(f"spacy.load (CPU) {load['load_cpu_s_median']:.3f} s CPU time (median; wall minus waiting for a busy machine)")

    import spacy

    nlp = spacy.load(args.model)
    paras = read_paragraphs(args.texts)
    if not paras:
        print(f"no texts found for {args.texts}; pass --texts GLOB", file=sys.stderr)
        sys.exit(2)
    list(nlp.pipe(paras[:50]))  # warm-up
    words = 0
    t0 = time.perf_counter()
    c0 = time.process_time()
    for _ in range(args.repeat):
        for doc in nlp.pipe(paras, batch_size=args.batch_size):
            words += sum(1 for t in doc if not t.is_space)
    dt = time.perf_counter() - t0
    dc = time.process_time() - c0
    wps = words / dt
    wps_cpu = words / dc
    print(f"texts            {len(paras)} paragraphs, {words} words, {dt:.2f} s")
    print(f"throughput       {wps:,.0f} words/s wall (nlp.pipe, one process, batch_size={args.batch_size})")
    print(f"throughput (CPU) {wps_cpu:,.0f} words per CPU-second (threads: OMP/BLAS as set in the environment)")
    try:
        print(f"machine load     {os.getloadavg()[0]:.2f} (1-min load average, {os.cpu_count()} cores)")
    except OSError:
        pass
    print(f"vs targets       load {load['load_s_median'] / 1.0:.2f}x of 1.0 s max ({load['load_s_median'] / 0.5:.2f}x of 0.5 s goal); "
          f"throughput {wps / 5000:.2f}x of 5,000 min ({wps / 10000:.2f}x of 10,000 goal)")
    print(json.dumps({"load_s": round(load["load_s_median"], 4), "load_cpu_s": round(load["load_cpu_s_median"], 4),
                      "words_per_s": round(wps), "words_per_cpu_s": round(wps_cpu), "words": words}))


if __name__ == "__main__":
    main()
