"""Measure the precision of opencomms' rules on real text: count, sample for judging, and score.

Usage:
    python benchmarks/precision.py [CORPUS] [--glob '*/*.txt'] [--profile NAME]
                                   [--seed 1] [--per-category 25] [--min-total 200] [--sample FILE]
                                   [--judgements CSV] [--findings FILE] [--reuse]

One run:
1. checks every file of the corpus folder (default /work/shared/data/gov-dev, its ``*/*.txt`` files) with the
   ``Checker`` API, exactly as ``opencomms check`` does, and prints the number of findings per rule and per
   category (with the levels), plus the pipeline that produced them. ``--profile-map GLOB=PROFILE`` checks
   some files with a profile (default: ``coronacheck/*=webtekst``, the public web pages of gov-dev; the
   other collections are reports, blogs and guidance, checked with the default profile);
2. draws a stratified, seeded random sample (up to ``--per-category`` findings per category, topped up at
   random from the rest until there are ``--min-total``) into ``--sample`` (default /tmp/precision-sample.jsonl,
   outside the repository: it holds corpus text). Each line has the keys of a finding (file relative to the
   corpus, rule, offset, end_offset), its category, level, matched text, message, suggestions, sentence and
   paragraph, for a person to judge. Findings already judged in ``--judgements`` are not drawn again;
   ``--categories`` limits the draw to some categories (to re-measure only the rules changed after a round);
3. given ``--judgements`` (default benchmarks/precision-judgements.csv, if it exists), prints a precision table
   per category for every judging round in the file, and for all rounds together: findings judged, accepted,
   precision, and an overall figure weighted by how many findings each category has in this run (a
   stratified sample over-represents small categories, so the plain share is not the precision of the
   whole output). It also prints, per round, the precision among judged findings that the current rules
   still produce: judged noise that tuning removed no longer counts. That figure is measured on findings
   that were tuned on; only a fresh round (a new seed, after tuning) is an honest estimate. The last table
   takes each category (that still has findings) from the last round in which it was judged. ``--since ROUND``
   scores only the rounds from that one on. ``--levels warning error`` draws only findings at those levels and
   adds a table of the judged findings that the current rules report at those levels, weighted by the
   category counts at those levels: the precision of what a build fails on.

The judgements file holds only keys and verdicts, never corpus text:
    round,file,rule,offset,end_offset,verdict,reason
``round`` names the judging round (e.g. ``r1-seed1``), ``verdict`` is ``accept`` or ``reject`` and ``reason`` a
short English note. To judge a new round, copy the keys of the sample into the CSV and fill in verdict and
reason.

A second corpus, never tuned on before its first round: the Dutch documentation that NL Design System, gemeente
Utrecht, Den Haag, Rijkshuisstijl Community and RVO ship in npm packages (83 files, 54,090 words; the packages,
versions and source paths are in benchmarks/npm-corpus-index.csv). Its verdicts are in
benchmarks/precision-judgements-npm.csv; score it with ``python benchmarks/precision.py CORPUS2 --profile-map
none=default --judgements benchmarks/precision-judgements-npm.csv --docs-cache /tmp/npm-docs.spacy``.

``--findings`` (default /tmp/precision-findings.jsonl) keeps every finding of the run; ``--reuse`` reads that
file instead of checking the corpus again. ``--docs-cache`` (default /tmp/precision-docs.spacy) keeps the
analysed documents, so that after a change to rules or lexicons only the checks run again; it is rebuilt when
the pipeline (name, version, components, training metadata), the analysis code (``opencomms/nlp``, readers) or
a corpus file changes.
"""

from __future__ import annotations

import argparse
import collections
import csv
import fnmatch
import json
import random
import sys
import time
from pathlib import Path

from spacy.tokens import DocBin

from opencomms.nlp.pipeline import make_doc
from opencomms.readers import read
from opencomms.ruleset import load_rules
from opencomms.runner import Checker

CORPUS = "/work/shared/data/gov-dev"
JUDGEMENTS = Path(__file__).with_name("precision-judgements.csv")
# gov-dev's CoronaCheck pages are public web pages for citizens: check them as the webtekst profile does
PROFILE_MAP = ["coronacheck/*=webtekst"]
FIELDS = ["round", "file", "rule", "offset", "end_offset", "verdict", "reason"]


def key(item: dict) -> tuple:
    return (item["file"], item["rule"], int(item["offset"]), int(item["end_offset"]))


def paragraph_of(source, offset: int) -> str:
    for block in source.blocks:
        if block.start <= offset < max(block.end, block.start + 1):
            return source.text[block.start:block.end]
    return ""


def _analysis_code() -> str:
    """A hash of the code that reads and analyses documents: a change there (sentence boundaries, readers)
    makes cached Docs stale even when the model is the same."""
    import hashlib

    import opencomms

    root = Path(opencomms.__file__).parent
    digest = hashlib.sha256()
    for path in sorted([*root.glob("nlp/*.py"), *root.glob("readers/*.py"), root / "source.py"]):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def analysed(checker: Checker, paths: list[Path], cache: Path | None):
    """(source, doc) pairs; with ``cache``, analysed Docs are stored there and reused while the pipeline and
    the files are unchanged, so re-measuring after a rule change costs seconds instead of minutes."""
    sources = [read(p) for p in paths]
    stamp = json.dumps({"pipeline": checker.pipeline_info(), "meta": checker.nlp.meta, "code": _analysis_code(),
                        "files": [(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in paths]}, sort_keys=True)
    if cache and cache.exists() and cache.with_suffix(".json").exists():
        if cache.with_suffix(".json").read_text(encoding="utf-8") == stamp:
            docs = list(DocBin().from_bytes(cache.read_bytes()).get_docs(checker.nlp.vocab))
            if len(docs) == len(sources):
                print(f"(analysed documents reused from {cache})", file=sys.stderr)
                yield from zip(sources, docs)
                return
    pairs = ((make_doc(checker.nlp, s), s) for s in sources)
    store = DocBin(store_user_data=True) if cache else None
    for doc, source in checker.nlp.pipe(pairs, batch_size=16, as_tuples=True):
        if store is not None:
            store.add(doc)
        yield source, doc
    if store is not None:
        cache.write_bytes(store.to_bytes())
        cache.with_suffix(".json").write_text(stamp, encoding="utf-8")


def collect(corpus: Path, pattern: str, profile: str | None, cache: Path | None,
            profile_map: list[tuple[str, str]] = ()) -> tuple[list[dict], dict, int]:
    paths = sorted(corpus.glob(pattern))
    if not paths:
        sys.exit(f"precision: no files match {pattern!r} under {corpus}")
    checker = Checker(profile=profile)
    checkers = {profile: checker}  # one per profile; they share the loaded pipeline
    findings: list[dict] = []
    words = 0
    started = time.perf_counter()
    for source, doc in analysed(checker, paths, cache):
        rel = Path(source.path).resolve().relative_to(corpus.resolve()).as_posix()
        chosen = next((p for glob, p in profile_map if fnmatch.fnmatch(rel, glob)), profile)
        if chosen not in checkers:
            checkers[chosen] = Checker(profile=chosen)
        own = checkers[chosen]
        result = own.check_doc(source, doc, own.settings(source))
        words += len(source.text.split())
        for f in result.findings:
            findings.append({
                "file": rel, "rule": f.rule, "offset": f.offset, "end_offset": f.end_offset,
                "category": f.category, "level": f.level.name, "scope": f.scope, "line": f.line,
                "text": f.text, "message": f.message, "suggestions": list(f.suggestions),
                "sentence": f.context, "paragraph": paragraph_of(source, f.offset) if f.scope != "document" else "",
            })
    info = checker.pipeline_info()
    info["seconds"] = round(time.perf_counter() - started, 1)
    info["documents"] = len(paths)
    return findings, info, words


def print_counts(findings: list[dict], info: dict, words: int) -> None:
    print(f"pipeline: {info.get('model')} {info.get('version')} (spaCy {info.get('spacy')}), "
          f"{info.get('documents', '?')} documents, {words} words, {len(findings)} findings"
          + (f", {info['seconds']} s" if "seconds" in info else ""))
    by_rule = collections.Counter(f["rule"] for f in findings)
    levels: dict[str, set] = collections.defaultdict(set)
    for f in findings:
        levels[f["rule"]].add(f["level"])
    by_cat = collections.Counter(f["category"] for f in findings)
    print("\nfindings per rule")
    for rule, n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {rule:45} {'/'.join(sorted(levels[rule])):20} {n:6}  ({1000 * n / max(words, 1):.1f} per 1000 words)")
    print("\nfindings per category")
    for cat, n in sorted(by_cat.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {cat:20} {n:6}")


def draw(findings: list[dict], seed: int, per_category: int, min_total: int, exclude: set,
         categories: list[str] | None = None, levels: list[str] | None = None) -> list[dict]:
    rng = random.Random(seed)
    pool = [f for f in findings if key(f) not in exclude and (not categories or f["category"] in categories)
            and (not levels or f["level"] in levels)]
    by_cat: dict[str, list[dict]] = collections.defaultdict(list)
    for f in pool:
        by_cat[f["category"]].append(f)
    sample: list[dict] = []
    for cat in sorted(by_cat):
        items = by_cat[cat]
        sample += rng.sample(items, min(per_category, len(items)))
    chosen = {key(f) for f in sample}
    rest = [f for f in pool if key(f) not in chosen]
    if len(sample) < min_total and rest:
        sample += rng.sample(rest, min(min_total - len(sample), len(rest)))
    sample.sort(key=lambda f: (f["category"], f["rule"], f["file"], f["offset"]))
    return sample


def read_judgements(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for i, row in enumerate(rows, start=2):
        if row.get("verdict") not in ("accept", "reject"):
            sys.exit(f"{path}:{i}: verdict must be accept or reject, not {row.get('verdict')!r}")
    return rows


def table(rows: list[dict], category_of: dict, counts: collections.Counter, title: str) -> None:
    per: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for row in rows:
        cat = category_of.get(row["rule"], "?")
        per[cat][0] += 1
        per[cat][1] += row["verdict"] == "accept"
    judged = sum(v[0] for v in per.values())
    accepted = sum(v[1] for v in per.values())
    if not judged:
        return
    print(f"\n{title}")
    print(f"  {'category':20} {'judged':>6} {'accepted':>8} {'precision':>9}")
    for cat in sorted(per):
        n, a = per[cat]
        print(f"  {cat:20} {n:6} {a:8} {a / n:9.1%}")
    print(f"  {'all (sample)':20} {judged:6} {accepted:8} {accepted / judged:9.1%}")
    total = sum(counts[c] for c in per)
    if total:
        weighted = sum(counts[c] * per[c][1] / per[c][0] for c in per) / total
        print(f"  {'all (weighted)':20} {'':6} {'':8} {weighted:9.1%}   (categories weighted by their finding counts)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", nargs="?", default=CORPUS)
    ap.add_argument("--glob", default="*/*.txt")
    ap.add_argument("--profile", default=None, help="profile for every file (default: the usual discovery)")
    ap.add_argument("--profile-map", action="append", metavar="GLOB=PROFILE",
                    help="profile for files whose path relative to the corpus matches GLOB (repeatable; default: "
                         f"{' '.join(PROFILE_MAP)})")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-category", type=int, default=25)
    ap.add_argument("--min-total", type=int, default=200)
    ap.add_argument("--sample", default="/tmp/precision-sample.jsonl")
    ap.add_argument("--no-sample", action="store_true", help="count and score only")
    ap.add_argument("--categories", nargs="+", metavar="CATEGORY",
                    help="draw only from these categories (to re-measure rules changed after a round)")
    ap.add_argument("--levels", nargs="+", metavar="LEVEL",
                    help="draw only findings at these levels, and score the judged findings the current rules "
                         "report at these levels (the warnings and errors a build fails on: --levels warning error)")
    ap.add_argument("--since", metavar="ROUND", help="score only the rounds from this one on (e.g. r22)")
    ap.add_argument("--judgements", default=str(JUDGEMENTS))
    ap.add_argument("--findings", default="/tmp/precision-findings.jsonl")
    ap.add_argument("--reuse", action="store_true", help="read --findings instead of checking the corpus")
    ap.add_argument("--docs-cache", default="/tmp/precision-docs.spacy",
                    help="keep the analysed documents here and reuse them while pipeline and files are unchanged "
                         "('' to switch off)")
    args = ap.parse_args(argv)

    corpus = Path(args.corpus)
    cache = Path(args.findings)
    if args.reuse:
        lines = cache.read_text(encoding="utf-8").splitlines()
        info, words = json.loads(lines[0]), 0
        words = info.pop("words", 0)
        findings = [json.loads(line) for line in lines[1:]]
    else:
        profile_map = [tuple(item.split("=", 1)) for item in (args.profile_map or PROFILE_MAP) if "=" in item]
        findings, info, words = collect(corpus, args.glob, args.profile,
                                        Path(args.docs_cache) if args.docs_cache else None, profile_map)
        with cache.open("w", encoding="utf-8") as handle:
            handle.write(json.dumps({**info, "words": words}) + "\n")
            for f in findings:
                handle.write(json.dumps(f, ensure_ascii=False) + "\n")
    print_counts(findings, info, words)

    judgements = Path(args.judgements)
    rows = read_judgements(judgements) if judgements.exists() else []
    span = "all rounds"
    if not args.no_sample:
        sample = draw(findings, args.seed, args.per_category, args.min_total, {key(r) for r in rows}, args.categories,
                      args.levels)
        with open(args.sample, "w", encoding="utf-8") as handle:
            for f in sample:
                handle.write(json.dumps(f, ensure_ascii=False) + "\n")
        print(f"\nsample: {len(sample)} findings (seed {args.seed}) written to {args.sample}")

    if rows and args.since:
        first = next((i for i, r in enumerate(rows) if r["round"].split("-")[0] == args.since), None)
        if first is None:
            sys.exit(f"{judgements}: no round {args.since}")
        rows, span = rows[first:], f"rounds {args.since} to {rows[-1]['round'].split('-')[0]}"
    if rows:
        category_of = {rule.id: rule.category for rule in load_rules()}
        category_of.update({f["rule"]: f["category"] for f in findings})
        counts = collections.Counter(f["category"] for f in findings)
        current = {key(f) for f in findings}
        rounds = list(dict.fromkeys(r["round"] for r in rows))
        for name in rounds:
            these = [r for r in rows if r["round"] == name]
            table(these, category_of, counts, f"round {name}: precision as judged")
            still = [r for r in these if key(r) in current]
            if len(still) != len(these):
                table(still, category_of, counts,
                      f"round {name}: judged findings the current rules still produce ({len(still)} of {len(these)})")
        if len(rounds) > 1:
            table(rows, category_of, counts, f"{span}: precision as judged")
            # per category, its most recent round: after each round only the rules that still fell short were
            # changed and then measured again on fresh findings, so this is the current estimate per category
            last = {}
            for row in rows:
                last[category_of.get(row["rule"], "?")] = row["round"]
            latest = [r for r in rows if last[category_of.get(r["rule"], "?")] == r["round"]
                      and counts[category_of.get(r["rule"], "?")]]
            table(latest, category_of, counts,
                  "latest: each category that still has findings, in the last round it was judged")
        if args.levels:
            at = {key(f) for f in findings if f["level"] in args.levels}
            level_counts = collections.Counter(f["category"] for f in findings if f["level"] in args.levels)
            latest_verdicts = {key(r): r for r in rows}  # a finding judged twice counts once, as last judged
            table([r for k, r in latest_verdicts.items() if k in at], category_of, level_counts,
                  f"{span}: judged findings the current rules report as {' or '.join(args.levels)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
