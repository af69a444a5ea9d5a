"""Table for the ``opencomms_passives`` component, from the training split only.

Usage: python training/passives.py TRAIN.conllu OUT.json

For every participle with a 'zijn' auxiliary/copula in the training data: how often that 'zijn' is
``aux:pass``, ``aux`` or ``cop``, keyed by the participle's lower-case form and by its lemma.
"""
from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

LABELS = ("aux:pass", "aux", "cop")


def read_sentences(path: Path):
    sent = []
    for line in path.open(encoding="utf-8"):
        if line.startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) == 10 and cols[0].isdigit():
            sent.append(cols)
        elif sent:
            yield sent
            sent = []
    if sent:
        yield sent


def build(train: Path) -> dict:
    table: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for sent in read_sentences(train):
        for t in sent:
            if t[2] != "zijn" or t[7] not in LABELS or not t[6].isdigit() or t[6] == "0":
                continue
            head = sent[int(t[6]) - 1]
            if "VerbForm=Part" not in head[5]:
                continue
            table[head[1].lower()][t[7]] += 1
            if head[2] != "_":
                table[head[2].lower()][t[7]] += 1
    return {k: dict(v) for k, v in sorted(table.items())}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("train", type=Path)
    ap.add_argument("out", type=Path)
    args = ap.parse_args()
    table = build(args.train)
    args.out.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(len(table), "participles")


if __name__ == "__main__":
    main()
