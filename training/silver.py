"""Silver part-of-speech data for government-style text, tagged by Debian's ``frog``.

The UD training data is news and Wikipedia; opencomms reads government web pages and letters. This script
takes sentences from plain Dutch text (by default the gov-dev texts that ``spacy pretrain`` already reads;
never the tune or eval texts), tokenises them with a spaCy pipeline (so the tokens are the ones the bundled
model sees at run time), has ``frog`` tag them with CGN tags, and maps each tag to a UD part of speech and
features as the training data does: the most frequent UPOS and FEATS of that CGN tag (and lemma, where the
tag alone does not decide, as for AUX/VERB) in the training sentences of the current UD files, when it covers at least ``--min-share`` of
the cases. Tokens whose tag does not decide are left unannotated, as are lemmas and the parse, so the
morphologizer learns only from what is reliable and the other components learn nothing from these docs.

Measured and not kept (see the model card): not part of ``train.py``'s one command. To train with it,
put OUT.spacy in a folder next to a copy of ``train.spacy`` and give that folder as ``--paths.train``.

Usage: python training/silver.py MODEL DATA_DIR CORPUS_DIR OUT.spacy [--texts GLOB] [--sentences N] [--seed 13]
Needs ``frog`` (Debian: ``apt-get install frog frogdata``).
"""
from __future__ import annotations

import argparse
import collections
import glob
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).parent))
from spacy.tokens import Doc, DocBin

DEFAULT_TEXTS = "/work/shared/data/gov-dev/*/*.txt"


def cgn_to_xpos(tag: str) -> str:
    """frog's 'N(soort,ev,basis,zijd,stan)' → UD's XPOS 'N|soort|ev|basis|zijd|stan'."""
    tag = tag.strip()
    if "(" not in tag:
        return tag
    head, _, rest = tag.partition("(")
    feats = [f for f in rest.rstrip(")").split(",") if f]
    return "|".join([head, *feats])


def mapping(data_dir: Path, corpus: Path, min_share: float) -> tuple[dict, dict]:
    """(XPOS → (UPOS, FEATS)) where the tag decides, and ((XPOS, lemma) → (UPOS, FEATS)) where only both do.

    Counted over the training sentences of the current-annotation files (prepare.py drops XPOS from
    train.conllu, so the sentence ids there select the sentences of the UD files; tune and eval stay out).
    """
    from prepare import CURRENT

    train_ids = {line.split("=", 1)[1].strip() for line in (corpus / "train.conllu").open(encoding="utf8")
                 if line.startswith("# sent_id")}
    by_tag: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    by_lemma: dict[tuple, collections.Counter] = collections.defaultdict(collections.Counter)
    for name in CURRENT.values():
        keep = False
        for line in (data_dir / name).open(encoding="utf8"):
            if line.startswith("# sent_id"):
                keep = line.split("=", 1)[1].strip() in train_ids
            cols = line.rstrip("\n").split("\t")
            if not keep or len(cols) != 10 or not cols[0].isdigit() or cols[4] in ("_", ""):
                continue
            value = (cols[3], cols[5])
            by_tag[cols[4]][value] += 1
            by_lemma[(cols[4], cols[2].lower())][value] += 1
    tags, lemmas = {}, {}
    for tag, counts in by_tag.items():
        value, n = counts.most_common(1)[0]
        if n / sum(counts.values()) >= min_share and sum(counts.values()) >= 3:
            tags[tag] = value
    for key, counts in by_lemma.items():
        if key[0] in tags:
            continue
        value, n = counts.most_common(1)[0]
        if n / sum(counts.values()) >= min_share and sum(counts.values()) >= 3:
            lemmas[key] = value
    return tags, lemmas


def sentences(nlp, pattern: str, limit: int, seed: int) -> list[list[str]]:
    """Sentences of 5 to 40 tokens with letters in most tokens, deduplicated, in a seeded random sample."""
    texts = []
    for path in sorted(glob.glob(pattern)):
        for para in Path(path).read_text(encoding="utf8").split("\n\n"):
            para = " ".join(para.split())
            if len(para) > 40:
                texts.append(para)
    random.Random(seed).shuffle(texts)
    seen, out = set(), []
    for doc in nlp.pipe(texts, batch_size=64):
        for sent in doc.sents:
            words = [t.text for t in sent if not t.is_space]
            key = " ".join(words)
            if not 5 <= len(words) <= 40 or key in seen or "|" in key or "#" in key:
                continue
            if sum(any(c.isalpha() for c in w) for w in words) < 0.7 * len(words):
                continue
            seen.add(key)
            out.append(words)
            if len(out) >= limit:
                return out
    return out


def frog(sents: list[list[str]]) -> list[list[tuple[str, str, str]]]:
    """(word, lemma, CGN tag) per token, frog's tokenizer off (one sentence per line, tokens as given)."""
    if not shutil.which("frog"):
        sys.exit("frog is not installed (Debian: apt-get install frog frogdata)")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.txt"
        src.write_text("\n".join(" ".join(s) for s in sents) + "\n", encoding="utf8")
        out = subprocess.run(["frog", "--skip=tmacnp", "-n", "-t", str(src)], capture_output=True, text=True,
                             cwd=tmp, check=True).stdout
    result, current = [], []
    for line in out.splitlines():
        cols = line.split("\t")
        if len(cols) < 5:
            if current:
                result.append(current)
                current = []
            continue
        current.append((cols[1], cols[2], cols[4]))
    if current:
        result.append(current)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model", help="spaCy pipeline for tokens and sentences (the bundled one)")
    ap.add_argument("data_dir", type=Path, help="the UD Dutch folder (as for prepare.py)")
    ap.add_argument("corpus", type=Path, help="folder with train.conllu (from prepare.py)")
    ap.add_argument("output", type=Path)
    ap.add_argument("--texts", default=DEFAULT_TEXTS)
    ap.add_argument("--sentences", type=int, default=3000)
    ap.add_argument("--min-share", type=float, default=0.95)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()

    nlp = spacy.load(args.model)
    tags, lemmas = mapping(args.data_dir, args.corpus, args.min_share)
    sents = sentences(nlp, args.texts, args.sentences, args.seed)
    tagged = frog(sents)
    if len(tagged) != len(sents):
        sys.exit(f"frog returned {len(tagged)} sentences for {len(sents)}")
    db, stats = DocBin(store_user_data=False), collections.Counter()
    for words, rows in zip(sents, tagged):
        if [r[0] for r in rows] != words:
            stats["sentences skipped (tokens differ)"] += 1
            continue
        values = []
        for word, lemma, tag in rows:
            xpos = cgn_to_xpos(tag)
            values.append(tags.get(xpos) or lemmas.get((xpos, lemma.lower())))
        stats["tokens"] += len(values)
        stats["tokens left unannotated"] += values.count(None)
        doc = Doc(nlp.vocab, words=words, pos=[v[0] if v else "" for v in values])
        for token, value in zip(doc, values):
            if value:  # an unannotated token must have no morph at all: spaCy then treats it as missing
                token.set_morph("" if value[1] == "_" else value[1])
        db.add(doc)
        stats["sentences"] += 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(args.output)
    print(dict(stats), f"{len(tags)} CGN tags and {len(lemmas)} (tag, lemma) pairs decide the UPOS")


if __name__ == "__main__":
    main()
