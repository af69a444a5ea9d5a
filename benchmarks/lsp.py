"""Latency of the language server, measured with a real client over stdio (opencomms.lsp.client).

Usage:
    python benchmarks/lsp.py [--text FILE] [--words 600] [--edits 40] [--starts 3] [--model PATH] [--json]

What it prints (targets from issue 7):
- time to first diagnostics: from starting ``python -m opencomms lsp`` until the first
  ``textDocument/publishDiagnostics`` for a document opened right after ``initialize`` (median of
  ``--starts`` fresh processes, and once more with an empty cache folder, as on the very first start);
  target <= 3 s;
- warm latency: from sending ``textDocument/didChange`` (one word inserted or removed, incremental sync)
  until ``publishDiagnostics`` for that version, with the debounce set to 0 through
  ``initializationOptions`` so only the work is measured (median and p90 of ``--edits`` changes, each
  sent after the previous result arrived); target <= 100 ms median. Measured twice in the same run:
  with incremental analysis (the default) and with the whole text analysed on every change;
- for comparison, the whole-text check in-process (``Checker.check_one``) in this process.

The document defaults to the bundled examples (examples/*.md, *.txt), repeated and cut to ``--words``
words of Dutch prose.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from opencomms.lsp.client import LspClient  # noqa: E402
from opencomms.resources import CACHE_ENV  # noqa: E402

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def document(path: str | None, words: int) -> str:
    if path:
        texts = [Path(path).read_text(encoding="utf-8")]
    else:
        texts = [FRONT_MATTER.sub("", p.read_text(encoding="utf-8"))
                 for p in sorted((ROOT / "examples").glob("*")) if p.suffix in (".md", ".txt")]
    paragraphs = [p.strip() for t in texts for p in re.split(r"\n\s*\n", t) if p.strip()]
    out, count = [], 0
    while count < words:
        for paragraph in paragraphs:
            left = words - count
            tokens = paragraph.split()
            if len(tokens) > left:
                paragraph = " ".join(tokens[:left]) + "."
                tokens = tokens[:left]
            out.append(paragraph)
            count += len(tokens)
            if count >= words:
                break
    return "\n\n".join(out) + "\n"


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system, all threads) a process has used so far; None where /proc is missing.
    On a shared machine this is the figure that does not depend on what else runs."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def command(model: str | None) -> list[str]:
    cmd = [sys.executable, "-m", "opencomms", "lsp", "--status", "off"]
    return cmd + (["--model", model] if model else [])


def first_diagnostics(text: str, model: str | None, env: dict | None = None) -> tuple[float, float, float | None]:
    """(seconds to the initialize reply, seconds to the first diagnostics, both from process start; CPU
    seconds the server had used by then)."""
    client = LspClient(command(model), env=env)
    try:
        client.initialize(ROOT.as_uri(), {"debounce_ms": 0})
        initialized = time.perf_counter() - client.started
        client.notify("textDocument/didOpen", {"textDocument": {"uri": (ROOT / "bench.md").as_uri(),
                                                                "languageId": "markdown", "version": 1, "text": text}})
        message = client.wait_for("textDocument/publishDiagnostics", timeout=120)
        return initialized, message.received - client.started, cpu_seconds(client.process.pid)
    finally:
        client.close()


def warm_latency(text: str, model: str | None, edits: int, incremental: bool = True) -> tuple[list[float], int, float | None]:
    """Seconds from didChange to the diagnostics of that version, for ``edits`` one-word changes; the
    number of findings; the server's mean CPU seconds per change."""
    client = LspClient(command(model))
    uri = (ROOT / "bench.md").as_uri()
    try:
        client.initialize(ROOT.as_uri(), {"debounce_ms": 0, "settle_ms": 0, "incremental": incremental})
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                                                                "text": text}})
        first = client.wait_for("textDocument/publishDiagnostics", timeout=120)
        findings = len(first.params["diagnostics"])
        # insert and remove "derhalve " at the start of the third line, alternately
        line = 2 if text.count("\n") > 2 else 0
        times = []
        cpu_before = cpu_seconds(client.process.pid)
        for version in range(2, edits + 2):
            if version % 2 == 0:
                change = {"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
                          "text": "derhalve "}
            else:
                change = {"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 9}},
                          "text": ""}
            mark = client.mark()
            sent = client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                            "contentChanges": [change]})
            got = client.wait_for("textDocument/publishDiagnostics",
                                  lambda p, v=version: p.get("version") == v, timeout=60, after=mark)
            times.append(got.received - sent)
        cpu_after = cpu_seconds(client.process.pid)
        cpu = (cpu_after - cpu_before) / edits if cpu_before is not None and cpu_after is not None else None
        return times, findings, cpu
    finally:
        client.close()


def in_process(text: str, model: str | None, repeat: int) -> list[float]:
    from opencomms.fixer import source_from_text
    from opencomms.runner import Checker

    checker = Checker(model=model)
    source = source_from_text(text, str(ROOT / "bench.md"), "markdown")
    checker.check_one(source)
    times = []
    for i in range(repeat):
        edited = source_from_text(("derhalve " if i % 2 == 0 else "") + text, str(ROOT / "bench.md"), "markdown")
        start = time.perf_counter()
        checker.check_one(edited)
        times.append(time.perf_counter() - start)
    return times


def _median(values, digits: int):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), digits) if values else None


def _load():
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--text", help="a Dutch text to use instead of the examples")
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--model", help="spaCy pipeline (default: the bundled one)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    text = document(args.text, args.words)
    words = len(text.split())
    with tempfile.TemporaryDirectory() as empty:  # rules, word lists and patterns not yet in the cache
        cold_start = first_diagnostics(text, args.model, {**os.environ, CACHE_ENV: empty})
    starts = [first_diagnostics(text, args.model) for _ in range(args.starts)]
    warm, findings, warm_cpu = warm_latency(text, args.model, args.edits)
    whole, _, whole_cpu = warm_latency(text, args.model, args.edits, incremental=False)
    local = in_process(text, args.model, args.edits)
    cold = statistics.median(s[1] for s in starts)
    median = statistics.median(warm)
    p90 = sorted(warm)[max(0, round(0.9 * len(warm)) - 1)]
    local_median = statistics.median(local)
    figures = {
        "document_words": words,
        "findings": findings,
        "starts": args.starts,
        "initialize_reply_s_median": round(statistics.median(s[0] for s in starts), 3),
        "first_diagnostics_s_median": round(cold, 3),
        "first_diagnostics_s_all": [round(s[1], 3) for s in starts],
        "first_diagnostics_server_cpu_s_median": _median([s[2] for s in starts], 2),
        "first_diagnostics_empty_cache_s": round(cold_start[1], 3),
        "first_diagnostics_empty_cache_server_cpu_s": round(cold_start[2], 2) if cold_start[2] is not None else None,
        "edits": len(warm),
        "did_change_to_diagnostics_ms_median": round(median * 1000, 1),
        "did_change_to_diagnostics_ms_p90": round(p90 * 1000, 1),
        "did_change_to_diagnostics_ms_min": round(min(warm) * 1000, 1),
        "did_change_server_cpu_ms_mean": round(warm_cpu * 1000, 1) if warm_cpu is not None else None,
        "whole_text_did_change_ms_median": round(statistics.median(whole) * 1000, 1),
        "whole_text_server_cpu_ms_mean": round(whole_cpu * 1000, 1) if whole_cpu is not None else None,
        "load_average": _load(),
        "incremental_speedup": round(statistics.median(whole) / median, 2),
        "in_process_check_ms_median": round(local_median * 1000, 1),
        "target_first_diagnostics_s": 3.0,
        "target_did_change_ms_median": 100.0,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"document: {words} words, {findings} findings (debounce 0 ms); load average {figures['load_average']} "
          f"on {_cores()} cores: wall times include waiting for the CPU, CPU times do not")
    print(f"time to first diagnostics: median {cold:.2f} s over {args.starts} starts "
          f"({', '.join(f'{s[1]:.2f}' for s in starts)}; initialize reply after "
          f"{figures['initialize_reply_s_median']:.2f} s; server CPU {figures['first_diagnostics_server_cpu_s_median']} s)"
          f"  target <= 3 s: {'met' if cold <= 3 else 'NOT met'}")
    print(f"  the first start with an empty cache (rules, word lists, hyphenation patterns parsed): "
          f"{cold_start[1]:.2f} s (server CPU {figures['first_diagnostics_empty_cache_server_cpu_s']} s)")
    print(f"didChange -> publishDiagnostics, warm: median {median * 1000:.1f} ms, p90 {p90 * 1000:.1f} ms, "
          f"min {min(warm) * 1000:.1f} ms over {len(warm)} edits (server CPU {figures['did_change_server_cpu_ms_mean']} ms "
          f"per change)  target <= 100 ms: {'met' if median <= 0.1 else 'NOT met'}")
    print(f"  with the whole text analysed on every change (incremental: false): median "
          f"{figures['whole_text_did_change_ms_median']:.1f} ms (server CPU {figures['whole_text_server_cpu_ms_mean']} ms)"
          f" -> incremental is {figures['incremental_speedup']}x faster")
    print(f"whole-text check in-process (Checker.check_one): median {local_median * 1000:.1f} ms")


if __name__ == "__main__":
    main()
