"""Convert UD Dutch (Alpino + LassySmall) CoNLL-U to spaCy DocBins.

* harmonises the 2017 files towards the current (UD 2.16) annotation where cheap,
* makes a deterministic, document-level, per-treebank split of the *current*
  annotation files into train / tune (checkpoint selection) / eval (reported),
* groups consecutive sentences into documents so that the parser learns
  sentence boundaries.

Usage: python training/prepare.py DATA_DIR OUT_DIR [--seed 13]
"""
from __future__ import annotations

import argparse
import collections
import glob
import json
import random
import re
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

CURRENT = {
    "alpino": "UD_Dutch-Alpino/nl_alpino-ud-dev.conllu",
    "lassysmall": "UD_Dutch-LassySmall/nl_lassysmall-ud-dev.conllu",
}
OLD = {
    "alpino": "UD_Dutch-Alpino/nl_alpino-ud-train-part-2017.conllu",
    "lassysmall": "UD_Dutch-LassySmall/nl_lassysmall-ud-train-2017.conllu",
}
EVAL_FRAC = 0.15
TUNE_FRAC = 0.08
SENTS_PER_DOC = 10

POSS = {
    "mijn": 1, "m'n": 1, "ons": 1, "onze": 1,
    "jouw": 2, "je": 2, "uw": 2, "jullie": 2,
    "zijn": 3, "z'n": 3, "haar": 3, "d'r": 3, "hun": 3,
}
CLOSED = {"DET", "PRON", "ADP", "CCONJ", "SCONJ", "X", "NUM", "ADV", "AUX"}


class Sent:
    __slots__ = ("sid", "text", "toks")

    def __init__(self, sid, text, toks):
        self.sid, self.text, self.toks = sid, text, toks


def read_conllu(path: Path) -> list[Sent]:
    sents, toks, sid, text = [], [], None, None
    for line in path.open(encoding="utf8"):
        line = line.rstrip("\n")
        if not line:
            if toks:
                sents.append(Sent(sid, text, toks))
            toks, sid, text = [], None, None
            continue
        if line.startswith("#"):
            if line.startswith("# sent_id ="):
                sid = line.split("=", 1)[1].strip()
            elif line.startswith("# text ="):
                text = line.split("=", 1)[1].strip()
            elif sid is None and not toks and re.match(r"# \S+\.xml$", line):
                sid = line[2:].strip()  # LassySmall 2017: bare file name comment
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue  # no multiword tokens in these files; skip enhanced empty nodes
        toks.append(
            {
                "id": int(cols[0]), "form": cols[1], "lemma": cols[2], "upos": cols[3],
                "feats": cols[5], "head": int(cols[6]), "dep": cols[7],
                "space": "SpaceAfter=No" not in cols[9],
            }
        )
    if toks:
        sents.append(Sent(sid, text, toks))
    return sents


def doc_id(tb: str, sid: str) -> str:
    if tb == "alpino":
        return sid.split("\\")[0]
    return sid.split(".p.")[0]


# --------------------------------------------------------------------------
# harmonisation of the 2017 annotation


def build_reference(current: list[Sent]):
    """Statistics from the current-annotation training portion."""
    us_lemma: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    plain_lemmas = set()
    components = set()
    upos_of = collections.defaultdict(collections.Counter)
    upos_in_name = collections.defaultdict(collections.Counter)
    upos_mark = collections.defaultdict(collections.Counter)
    feats_of = collections.defaultdict(collections.Counter)
    lemma_of = collections.defaultdict(collections.Counter)
    for s in current:
        flat_heads = {t["head"] for t in s.toks if t["dep"] == "flat"}
        for t in s.toks:
            if t["dep"] == "flat" or t["id"] in flat_heads:
                upos_in_name[t["form"].lower()][t["upos"]] += 1
            if t["dep"] == "mark":
                upos_mark[t["form"].lower()][t["upos"]] += 1
        for t in s.toks:
            lem = t["lemma"]
            low = t["form"].lower()
            upos_of[low][t["upos"]] += 1
            feats_of[(low, t["upos"])][t["feats"]] += 1
            lemma_of[(low, t["upos"])][lem] += 1
            if "_" in lem and lem != "_":
                us_lemma[lem.replace("_", "").lower()][lem] += 1
                for c in lem.lower().split("_"):
                    if len(c) >= 3:
                        components.add(c)
            else:
                plain_lemmas.add(lem.lower())
                if len(lem) >= 3:
                    components.add(lem.lower())
    us_map = {k: c.most_common(1)[0][0] for k, c in us_lemma.items()}
    return (us_map, plain_lemmas, components, upos_of, feats_of, lemma_of, upos_in_name, upos_mark,
            argument_stats(current))


def argument_stats(sents: list[Sent]) -> tuple[dict, dict]:
    """How the current files label prepositional arguments and 'zich', per head lemma.

    - (head lemma, preposition) → Counter of ``obl`` / ``obl:arg`` ('kiezen voor', 'bestaan uit' are
      ``obl:arg``); the 2017 files have no ``obl:arg`` at all.
    - head lemma → Counter of the labels of its 'zich' (``expl:pv`` for 'zich afvragen', ``obj`` for
      'zich wassen'); the 2017 files label every 'zich' ``obj``.
    """
    pairs: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    zich: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for s in sents:
        byid = {t["id"]: t for t in s.toks}
        for t in s.toks:
            head = byid.get(t["head"])
            if head is None:
                continue
            if t["dep"] in ("obl", "obl:arg"):
                case = _case(s.toks, t)
                if case:
                    pairs[(head["lemma"].lower(), case)][t["dep"]] += 1
            if t["form"].lower() == "zich" and t["upos"] == "PRON":
                zich[head["lemma"].lower()][t["dep"]] += 1
    return pairs, zich


def _case(toks: list[dict], t: dict) -> str | None:
    for c in toks:
        if c["head"] == t["id"] and c["dep"] == "case":
            return c["form"].lower()
    return None


def harmonise_arguments(toks: list[dict], ref_args: tuple[dict, dict], stats: collections.Counter) -> None:
    """``obl`` → ``obl:arg`` and 'zich' ``obj`` → ``expl:pv`` where the current files do so.

    A prepositional phrase becomes ``obl:arg`` when its (head lemma, preposition) pair is ``obl:arg`` in at
    least 60 % of at least two cases in the current training files. 'zich' becomes ``expl:pv`` unless the
    current files label the 'zich' of that verb ``obj`` more often (78 % of all 'zich' there are ``expl:pv``).
    """
    pairs, zich = ref_args
    byid = {t["id"]: t for t in toks}
    for t in toks:
        head = byid.get(t["head"])
        if head is None:
            continue
        lemma = head["lemma"].lower()
        if t["dep"] == "obl":
            counts = pairs.get((lemma, _case(toks, t) or ""))
            if counts and sum(counts.values()) >= 2 and counts["obl:arg"] / sum(counts.values()) >= 0.6:
                t["dep"] = "obl:arg"
                stats["obl->obl:arg (head and preposition as in current)"] += 1
        elif t["dep"] == "obj" and t["form"].lower() == "zich" and t["upos"] == "PRON":
            counts = zich.get(lemma)
            if not counts or counts["obj"] <= counts["expl:pv"]:
                t["dep"] = "expl:pv"
                stats["zich obj->expl:pv"] += 1


def confident(counter: collections.Counter, thr=0.9, min_n=3):
    if not counter:
        return None
    val, n = counter.most_common(1)[0]
    tot = sum(counter.values())
    if tot >= min_n and n / tot >= thr:
        return val
    return None


def splittable(lemma: str, components: set[str]) -> bool:
    low = lemma.lower()
    for i in range(3, len(low) - 2):
        head = low[i:]
        if head not in components:
            continue
        left = low[:i]
        for cand in (left, left[:-1] if left.endswith("s") else None,
                     left[:-2] if left.endswith("en") else None,
                     left[:-1] if left.endswith("e") else None):
            if cand and len(cand) >= 3 and cand in components:
                return True
    return False


def reattach_punct_head(toks: list[dict], p: int) -> int:
    """Head for the punctuation token with id p, from the tree over the non-punctuation tokens."""
    n = len(toks)
    is_p = {t["id"]: t["dep"] == "punct" for t in toks}
    head = {t["id"]: t["head"] for t in toks}
    kids = collections.defaultdict(list)
    for i, h in head.items():
        if not is_p[i]:
            kids[h].append(i)
    memo = {}

    def start(i):  # leftmost token of i's non-punctuation subtree
        if i not in memo:
            memo[i] = min([i] + [start(k) for k in kids[i]])
        return memo[i]

    root = next((i for i, h in head.items() if h == 0 and not is_p[i]), 0)
    r = next((j for j in range(p + 1, n + 1) if not is_p[j]), None)
    left = next((j for j in range(p - 1, 0, -1) if not is_p[j]), None)
    if r is None or left is None or root == 0:
        return root
    a = r
    while head[a] != 0 and not is_p[head[a]] and start(head[a]) >= r:
        a = head[a]
    return a


# dependents that belong to the clause, not to a predicate or an infinitive: they move to the new
# clause head when a copula/auxiliary becomes the head (or the head becomes an auxiliary)
CLAUSE_DEPS = {"nsubj", "nsubj:pass", "csubj", "aux", "aux:pass", "mark", "punct", "advcl", "parataxis",
               "expl", "expl:pv", "discourse", "vocative", "dislocated"}
DEGREE_ADVS = {"te", "zeer", "erg", "heel", "zo", "nog", "steeds", "vrij", "best", "echt", "enorm", "uiterst",
               "helemaal", "bijna", "even", "iets", "wat", "extra", "ontzettend", "minder", "meer", "veel", "ook"}
VERB_HEADED_AUX = {"willen", "laten"}  # AUX/aux in 2017, head VERB with an xcomp in the current files
QUANT_ADV = {"meer", "minder", "meest", "minst"}


def promote(toks: list[dict], x: dict, h: dict, keep_advmod: bool) -> None:
    """Make x (a copula/auxiliary of h) the head: x takes h's place, h becomes x's xcomp and the
    clause-level dependents of h move to x."""
    x["head"], x["dep"] = h["head"], h["dep"]
    h["head"], h["dep"] = x["id"], "xcomp"
    for c in toks:
        if c is x or c["head"] != h["id"]:
            continue
        moves = c["dep"] in CLAUSE_DEPS or (c["dep"] == "advmod" and not keep_advmod
                                            and not (c["form"].lower() in DEGREE_ADVS and c["id"] == h["id"] - 1))
        if c["dep"] == "mark" and c["id"] > x["id"]:
            moves = False  # 'te' before the infinitive stays with it
        if moves:
            c["head"] = x["id"]


def harmonise_verbs(toks: list[dict], stats: collections.Counter) -> None:
    """AUX/VERB conventions of the current files: copula 'worden' and the modals 'willen'/'laten' are
    heads (VERB + xcomp), 'moeten' with an infinitive is an auxiliary (AUX/aux); 'meer'/'minder' as
    adverbial modifiers are ADV."""
    by_id = {t["id"]: t for t in toks}
    for x in toks:
        lem = x["lemma"]
        if lem == "worden" and x["upos"] == "AUX" and x["dep"] == "cop" and x["head"] in by_id:
            x["upos"] = "VERB"
            promote(toks, x, by_id[x["head"]], keep_advmod=False)
            stats["copula worden -> VERB head + xcomp"] += 1
        elif lem in VERB_HEADED_AUX and x["upos"] == "AUX" and x["dep"] == "aux" and x["head"] in by_id:
            x["upos"] = "VERB"
            promote(toks, x, by_id[x["head"]], keep_advmod=True)
            stats["willen/laten AUX aux -> VERB head + xcomp"] += 1
    for x in toks:
        if x["lemma"] == "moeten" and x["upos"] == "VERB":
            infs = [c for c in toks if c["head"] == x["id"] and c["dep"] == "xcomp" and c["upos"] in ("VERB", "AUX")]
            if len(infs) != 1:
                continue
            v = infs[0]
            v["head"], v["dep"] = x["head"], x["dep"]
            for c in toks:
                if c["head"] == x["id"] and c is not v:
                    c["head"] = v["id"]
            x["head"], x["dep"], x["upos"] = v["id"], "aux", "AUX"
            stats["moeten VERB + xcomp -> AUX aux"] += 1
    for x in toks:
        if x["form"].lower() in QUANT_ADV and x["upos"] == "PRON" and x["dep"] in ("amod", "obl", "advmod"):
            x["upos"], x["dep"], x["feats"] = "ADV", "advmod", "_" if x["feats"] == "_" else x["feats"]
            stats["meer/minder PRON -> ADV advmod"] += 1


def harmonise_old(sents: list[Sent], ref, stats: collections.Counter, reattach_punct: bool = False,
                  harmonise_aux: bool = True, harmonise_args: bool = True) -> None:
    us_map, plain_lemmas, components, upos_of, feats_of, lemma_of, upos_in_name, upos_mark, ref_args = ref
    for s in sents:
        toks = s.toks
        children = collections.defaultdict(list)
        for t in toks:
            children[t["head"]].append(t)
        for t in toks:
            low = t["form"].lower()
            # dependency label renames
            if t["dep"] == "flat:name":
                t["dep"] = "flat"
                stats["dep flat:name->flat"] += 1
            # possessive pronouns: DET/det -> PRON/nmod:poss + Poss=Yes
            if low in POSS and t["upos"] in ("DET", "PRON") and t["dep"] == "det" and t["head"] > t["id"]:
                t["upos"], t["dep"] = "PRON", "nmod:poss"
                t["feats"] = f"Person={POSS[low]}|Poss=Yes|PronType=Prs"
                lem = confident(lemma_of.get((low, "PRON"), collections.Counter()), 0.8, 1)
                if lem:
                    t["lemma"] = lem
                stats["possessive DET->PRON nmod:poss"] += 1
            # 'als'/'dan' as subordinator: ADP mark -> SCONJ (only where the current data does so;
            # 'te'/'om' stay ADP)
            if t["upos"] == "ADP" and t["dep"] == "mark" and confident(upos_mark.get(low, collections.Counter()), 0.8, 3) == "SCONJ":
                t["upos"] = "SCONJ"
                t["feats"] = "_"
                stats["ADP mark->SCONJ"] += 1
            # ordinals: NUM -> ADJ (current convention)
            if t["upos"] == "NUM" and re.fullmatch(r"[a-zë]+(de|ste)", low) and upos_of.get(low, {}).get("ADJ"):
                t["upos"] = "ADJ"
                f = confident(feats_of.get((low, "ADJ"), collections.Counter()), 0.5, 1)
                t["feats"] = f or "Degree=Pos"
                stats["ordinal NUM->ADJ"] += 1
            # words inside names: 2017 tags every part PROPN, current tags own POS
            if t["upos"] == "PROPN" and (t["dep"] == "flat" or any(c["dep"] == "flat" for c in children[t["id"]])):
                # statistics of the same word inside names in the current data
                # ('Rode Ridder' -> ADJ NOUN, but 'van'/'de' in person names stay PROPN)
                new = confident(upos_in_name.get(low, collections.Counter()), 0.75, 3)
                if new and new != "PROPN":
                    t["upos"] = new
                    f = confident(feats_of.get((low, new), collections.Counter()), 0.5, 1)
                    t["feats"] = f or "_"
                    lem = confident(lemma_of.get((low, new), collections.Counter()), 0.5, 1)
                    if lem:
                        t["lemma"] = lem
                    stats["name part PROPN->own POS"] += 1
            t["feats"] = t["feats"].replace("Abbr=yes", "Abbr=Yes")
        if harmonise_aux:
            harmonise_verbs(toks, stats)
            children = collections.defaultdict(list)
            for t in toks:
                children[t["head"]].append(t)
        # obl:agent: 'door'-phrase attached to a verb with an aux:pass dependent
        for t in toks:
            if t["dep"] == "obl" and any(c["dep"] == "case" and c["form"].lower() == "door" for c in children[t["id"]]):
                if any(c["dep"] == "aux:pass" for c in children[t["head"]]):
                    t["dep"] = "obl:agent"
                    stats["obl->obl:agent"] += 1
        # coordination: UD v1 style (cc attached to the first conjunct) -> UD v2 (cc attached
        # to the following conjunct), as in the current files
        for t in toks:
            if t["dep"] == "cc":
                nxt = [x for x in toks if x["dep"] == "conj" and x["head"] == t["head"] and x["id"] > t["id"]]
                if nxt and t["head"] < t["id"]:
                    t["head"] = min(x["id"] for x in nxt)
                    stats["cc reattached to following conjunct"] += 1
        # LassySmall 2017 attaches (almost) all punctuation to the root; the current files follow
        # the UD guidelines. Re-attach it heuristically: punctuation attaches to the highest node
        # of the phrase that starts right after it; sentence-initial/final punctuation to the root.
        # (This heuristic reproduces 80-84% of the punctuation heads of the current files.)
        if reattach_punct:
            for t in toks:
                if t["dep"] == "punct":
                    t["head"] = reattach_punct_head(toks, t["id"])
                    stats["punct re-attached (LassySmall 2017)"] += 1
        # lemmas
        for t in toks:
            lem = t["lemma"]
            low = t["form"].lower()
            if lem == "_" or "_" in lem:
                continue
            # separable verbs split in the clause: current puts the particle in the verb's lemma
            prts = [c for c in children[t["id"]] if c["dep"] == "compound:prt"]
            if t["upos"] in ("VERB", "AUX") and prts:
                p = prts[0]["form"].lower()
                if not lem.lower().startswith(p):
                    t["lemma"] = f"{p}_{lem}"
                    stats["lemma separable particle"] += 1
                    continue
            key = lem.lower()
            if key in us_map:
                new = us_map[key]
                t["lemma"] = new if lem[:1].islower() or not new[:1].islower() else new[:1].upper() + new[1:]
                stats["lemma compound from current dictionary"] += 1
                continue
            if t["upos"] in CLOSED:
                new = confident(lemma_of.get((low, t["upos"]), collections.Counter()), 0.95, 3)
                if new and new != lem:
                    t["lemma"] = new
                    stats["lemma closed-class from current"] += 1
                continue
            if t["upos"] in ("NOUN", "ADJ", "VERB") and key not in plain_lemmas and len(key) >= 7 and splittable(key, components):
                t["lemma"] = ""  # unknown whether current convention would split it: no supervision
                stats["lemma possible compound -> missing"] += 1
        if harmonise_args:  # after the lemmas: the head lemmas now follow the current conventions
            harmonise_arguments(toks, ref_args, stats)


# --------------------------------------------------------------------------


def to_doc(vocab, sents: list[Sent]) -> Doc:
    words, spaces, lemmas, pos, morphs, heads, deps, starts = [], [], [], [], [], [], [], []
    for s in sents:
        off = len(words)
        for i, t in enumerate(s.toks):
            words.append(t["form"])
            spaces.append(t["space"])
            lemmas.append(t["lemma"] if t["lemma"] not in ("",) else None)
            pos.append(t["upos"])
            morphs.append("" if t["feats"] == "_" else t["feats"])
            if t["head"] is None:  # unannotated head
                heads.append(None)
                deps.append(None)
            else:
                heads.append(off + t["head"] - 1 if t["head"] > 0 else off + i)
                deps.append("ROOT" if t["dep"] == "root" else t["dep"])
            starts.append(i == 0)
        spaces[-1] = True
    spaces[-1] = False
    doc = Doc(vocab, words=words, spaces=spaces, pos=pos, morphs=morphs, heads=heads,
              deps=deps, sent_starts=starts)
    for tok, lem in zip(doc, lemmas):
        if lem is not None:
            tok.lemma_ = lem
    return doc


def group_docs(vocab, sents: list[Sent], n=SENTS_PER_DOC) -> list[Doc]:
    return [to_doc(vocab, sents[i:i + n]) for i in range(0, len(sents), n)]


def split_current(tb: str, sents: list[Sent], seed: int):
    by_doc = collections.OrderedDict()
    for s in sents:
        by_doc.setdefault(doc_id(tb, s.sid), []).append(s)
    ids = sorted(by_doc)
    rng = random.Random(f"{seed}-{tb}")
    rng.shuffle(ids)
    total = len(sents)
    ev, tu, tr = [], [], []
    n_ev = n_tu = 0
    for d in ids:
        if n_ev < EVAL_FRAC * total:
            ev.append(d); n_ev += len(by_doc[d])
        elif n_tu < TUNE_FRAC * total:
            tu.append(d); n_tu += len(by_doc[d])
        else:
            tr.append(d)
    pick = lambda keep: [s for s in sents if doc_id(tb, s.sid) in set(keep)]
    return pick(tr), pick(tu), pick(ev), {"eval_docs": sorted(ev), "tune_docs": sorted(tu)}


def write_conllu(sents: list[Sent], path: Path) -> None:
    with path.open("w", encoding="utf8") as f:
        for s in sents:
            f.write(f"# sent_id = {s.sid}\n")
            for t in s.toks:
                misc = "_" if t["space"] else "SpaceAfter=No"
                head, dep = ("_", "_") if t["head"] is None else (str(t["head"]), t["dep"])
                f.write("\t".join([str(t["id"]), t["form"], t["lemma"] or "_", t["upos"], "_", t["feats"],
                                   head, dep, "_", misc]) + "\n")
            f.write("\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--no-harmonise", action="store_true")
    ap.add_argument("--no-harmonise-aux", action="store_true",
                    help="keep the 2017 AUX/VERB conventions (copula worden, willen/laten, moeten, meer)")
    ap.add_argument("--no-harmonise-args", action="store_true",
                    help="keep the 2017 labels of prepositional arguments (obl) and 'zich' (obj)")
    ap.add_argument("--raw-text", nargs="*", default=[],
                    help="globs of plain-text files for `spacy pretrain` (paragraphs split on blank lines); "
                         "the texts of the UD *train* split are always included, never tune/eval")
    args = ap.parse_args()
    out = args.out_dir
    out.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("nl")
    parts = {"train": [], "tune": [], "eval": []}
    info = {"seed": args.seed, "eval_frac": EVAL_FRAC, "tune_frac": TUNE_FRAC, "files": {}, "split": {}}
    cur_train = []
    for tb, rel in CURRENT.items():
        sents = read_conllu(args.data_dir / rel)
        tr, tu, ev, ids = split_current(tb, sents, args.seed)
        cur_train += tr
        for name, ss in (("train", tr), ("tune", tu), ("eval", ev)):
            parts[name].append((tb + "-current", ss))
            info["split"][f"{tb}-current/{name}"] = {"sentences": len(ss), "tokens": sum(len(s.toks) for s in ss)}
        info["split"][f"{tb}-current/docs"] = ids
        info["files"][rel] = {"sentences": len(sents), "tokens": sum(len(s.toks) for s in sents)}
    ref = build_reference(cur_train)
    stats = collections.Counter()
    for tb, rel in OLD.items():
        sents = read_conllu(args.data_dir / rel)
        for i, s in enumerate(sents):
            s.sid = s.sid or f"{tb}-2017-{i}"
        if not args.no_harmonise:
            harmonise_old(sents, ref, stats, reattach_punct=(tb == "lassysmall"), harmonise_aux=not args.no_harmonise_aux,
                          harmonise_args=not args.no_harmonise_args)
        parts["train"].append((tb + "-2017", sents))
        info["files"][rel] = {"sentences": len(sents), "tokens": sum(len(s.toks) for s in sents)}
        info["split"][f"{tb}-2017/train"] = info["files"][rel]
    info["harmonisation"] = dict(stats)
    for name, groups in parts.items():
        db = DocBin(store_user_data=False)
        all_s = []
        for _, ss in groups:
            for d in group_docs(nlp.vocab, ss):
                db.add(d)
            all_s += ss
        db.to_disk(out / f"{name}.spacy")
        write_conllu(all_s, out / f"{name}.conllu")
        info["split"][f"total/{name}"] = {"sentences": len(all_s), "tokens": sum(len(s.toks) for s in all_s)}
    # raw text for pretraining: UD train sentences (grouped like the docs) + extra plain text
    n_raw = 0
    with (out / "raw.jsonl").open("w", encoding="utf8") as f:
        for _, ss in parts["train"]:
            for i in range(0, len(ss), SENTS_PER_DOC):
                text = " ".join(s.text or " ".join(t["form"] for t in s.toks) for s in ss[i:i + SENTS_PER_DOC])
                f.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
                n_raw += len(text.split())
        for pat in args.raw_text:
            for fp in sorted(glob.glob(pat)):
                for para in Path(fp).read_text(encoding="utf8", errors="replace").split("\n\n"):
                    para = para.strip()
                    if len(para.split()) >= 3:
                        f.write(json.dumps({"text": para}, ensure_ascii=False) + "\n")
                        n_raw += len(para.split())
    info["raw_text"] = {"globs": args.raw_text, "words": n_raw}
    (out / "split.json").write_text(json.dumps(info, indent=1, ensure_ascii=False))
    print(json.dumps({k: v for k, v in info["split"].items() if not k.endswith("/docs")}, indent=1))
    print(json.dumps(info["harmonisation"], indent=1))


if __name__ == "__main__":
    main()
