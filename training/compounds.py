"""Data for the ``opencomms_compounds`` lemma component, from the training split only.

Usage: python training/compounds.py TRAIN.conllu OUT.json [--zipf Z]

- forms: lower-case training form -> most frequent lemma (content words), for lemmatising compound parts
- lemmas: lower-case training lemmas with '_' removed (words seen whole are never split)
- parts: training lemmas and the parts of training compound lemmas (+ Dutch words with wordfreq Zipf
  frequency >= Z when --zipf is given)
- particles: first parts of separable-verb lemmas seen at least 3 times (op, aan, terug, …)
"""
from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

CONTENT = {"NOUN", "ADJ", "VERB", "ADV", "NUM", "ADP"}


def read_tokens(path: Path):
    for line in path.open(encoding="utf-8"):
        if line.startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) == 10 and cols[0].isdigit():
            yield cols[1], cols[2], cols[3]


def build(train: Path, zipf: float | None = None, whole_zipf: float | None = None, min_particle: int = 5) -> dict:
    form_lemmas: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    nouns = set()  # plural/inflected noun forms: parts are lemmatised only through these (jaren → jaar)
    lemmas, parts = set(), set()
    particles = collections.Counter()
    for form, lemma, upos in read_tokens(train):
        if lemma == "_" or not lemma:
            continue  # unannotated (probable unseen compound in the 2017 files)
        low = lemma.lower()
        if upos in CONTENT and form.isalpha():
            first, sep, rest = low.partition("_")
            # 'brak' (… door) → 'breken': a particle that is not part of the word stays out
            in_word = not (upos == "VERB" and sep and not form.lower().startswith(first))
            form_lemmas[form.lower()][low if in_word else rest] += 1
            if upos == "NOUN" and form.lower() != low:
                nouns.add(form.lower())
        if upos not in CONTENT:
            continue
        lemmas.add(low.replace("_", ""))
        for p in low.split("_"):
            if len(p) >= 3 and p.isalpha():
                parts.add(p)
        if upos == "VERB" and "_" in low and not low.startswith("te_"):
            particles[low.split("_")[0]] += 1
    if zipf is not None:
        from wordfreq import iter_wordlist, zipf_frequency

        for w in iter_wordlist("nl"):
            if zipf_frequency(w, "nl") < zipf:
                break
            if len(w) >= 3 and w.isalpha():
                parts.add(w)
    whole = []
    if whole_zipf is not None:
        from wordfreq import iter_wordlist, zipf_frequency

        for w in iter_wordlist("nl"):
            if zipf_frequency(w, "nl") < whole_zipf:
                break
            if len(w) >= 6 and w.isalpha() and w not in form_lemmas:
                whole.append(w)
    forms = {f: c.most_common(1)[0][0] for f, c in sorted(form_lemmas.items())}
    return {
        "forms": forms,
        "lemmas": sorted(lemmas),
        "parts": sorted(parts),
        "particles": sorted(p for p, n in particles.items() if n >= min_particle and p.isalpha() and len(p) <= 6),
        "whole": sorted(whole),
        "nouns": sorted(n for n in nouns if form_lemmas[n].most_common(1)[0][0] != n),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("train", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--zipf", type=float, default=None)
    ap.add_argument("--whole-zipf", type=float, default=None)
    ap.add_argument("--min-particle", type=int, default=5)
    args = ap.parse_args()
    data = build(args.train, args.zipf, args.whole_zipf, args.min_particle)
    args.out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print({k: len(v) for k, v in data.items()}, f"{args.out.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
