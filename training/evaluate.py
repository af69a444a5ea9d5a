"""Evaluate a trained pipeline on a DocBin with gold annotation (gold tokenisation).

Usage: python training/evaluate.py MODEL_DIR CORPUS.spacy [--json OUT.json]

Reports UPOS, morph (full feature string), lemma accuracy, UAS/LAS (both over all
tokens, CoNLL-2018 style, and without punctuation, spaCy style), sentence-boundary F1
and sentence-level aux:pass F1 (a gold sentence counts as passive when any of its tokens
has dep aux:pass; the prediction for the same gold sentence span is compared).
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(nlp, gold_docs, passive_label="aux:pass") -> dict:
    inputs = [Doc(nlp.vocab, words=[t.text for t in d], spaces=[bool(t.whitespace_) for t in d]) for d in gold_docs]
    preds = list(nlp.pipe(inputs, batch_size=64))
    c = collections.Counter()
    for g, p in zip(gold_docs, preds):
        assert len(g) == len(p)
        for gt, pt in zip(g, p):
            c["tok"] += 1
            c["pos"] += gt.pos_ == pt.pos_
            c["morph"] += str(gt.morph) == str(pt.morph)
            if gt.lemma_:
                c["lem_n"] += 1
                c["lem"] += gt.lemma_ == pt.lemma_
                c["lem_nous"] += gt.lemma_.replace("_", "") == pt.lemma_.replace("_", "")
            uas = gt.head.i == pt.head.i
            las = uas and gt.dep_.lower() == pt.dep_.lower()
            c["uas"] += uas
            c["las"] += las
            if gt.pos_ != "PUNCT":
                c["np"] += 1
                c["uas_np"] += uas
                c["las_np"] += las
        # sentence boundaries
        gs = {s.start for s in g.sents}
        ps = {s.start for s in p.sents}
        c["sb_tp"] += len(gs & ps)
        c["sb_fp"] += len(ps - gs)
        c["sb_fn"] += len(gs - ps)
        # sentence-level passive detection
        for s in g.sents:
            gold_pass = any(t.dep_ == passive_label for t in s)
            pred_pass = any(p[i].dep_ == passive_label for i in range(s.start, s.end))
            c["sent"] += 1
            c["pass_tp"] += gold_pass and pred_pass
            c["pass_fp"] += (not gold_pass) and pred_pass
            c["pass_fn"] += gold_pass and not pred_pass
            c["pass_gold"] += gold_pass
        # token-level aux:pass attachment
        for gt, pt in zip(g, p):
            gp, pp = gt.dep_ == passive_label, pt.dep_ == passive_label
            c["auxpass_tp"] += gp and pp and gt.head.i == pt.head.i
            c["auxpass_fp"] += pp and not (gp and gt.head.i == pt.head.i)
            c["auxpass_fn"] += gp and not (pp and gt.head.i == pt.head.i)
    n = c["tok"]
    res = {
        "tokens": n,
        "sentences": c["sent"],
        "upos_acc": c["pos"] / n,
        "morph_acc": c["morph"] / n,
        "lemma_acc": c["lem"] / max(c["lem_n"], 1),
        # informative: ignoring the compound/particle separator '_' (basis_niveau == basisniveau)
        "lemma_acc_ignoring_underscore": c["lem_nous"] / max(c["lem_n"], 1),
        "uas": c["uas"] / n,
        "las": c["las"] / n,
        "uas_nopunct": c["uas_np"] / c["np"],
        "las_nopunct": c["las_np"] / c["np"],
        "sents_f": prf(c["sb_tp"], c["sb_fp"], c["sb_fn"])[2],
        "passive_sentences_gold": c["pass_gold"],
    }
    res["auxpass_sent_p"], res["auxpass_sent_r"], res["auxpass_sent_f"] = prf(c["pass_tp"], c["pass_fp"], c["pass_fn"])
    res["auxpass_token_las_f"] = prf(c["auxpass_tp"], c["auxpass_fp"], c["auxpass_fn"])[2]
    return res


def load_docs(nlp, path: Path):
    return list(DocBin().from_disk(path).get_docs(nlp.vocab))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("model", type=Path)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    nlp = spacy.load(args.model)
    res = evaluate(nlp, load_docs(nlp, args.corpus))
    for k, v in res.items():
        print(f"{k:26s} {v:.4f}" if isinstance(v, float) else f"{k:26s} {v}")
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    sys.exit(main())
