"""Build, train, evaluate and bundle the nl_opencomms spaCy pipeline.

One command (from the repository root):

    python training/train.py /work/shared/data/ud-dutch

Steps:
 1. training/prepare.py: CoNLL-U -> DocBins in training/corpus/ (harmonised 2017 data,
    deterministic document-level split of the current-annotation files: train/tune/eval)
 2. spacy train training/configs/nl_opencomms.cfg (checkpoint selection on `tune`)
 3. add opencomms' components (data from the train split): opencomms_compounds (compound and
    particle-verb lemmas, training/compounds.py) and opencomms_passives (training/passives.py)
 4. training/evaluate.py on the held-out `eval` split
 5. package model-best into src/opencomms/model/nl_opencomms/ with meta.json scores

Options: --output DIR (default training/runs/final), --threads N (default 1),
--skip-train (re-evaluate/package an existing run), --no-package, --config PATH.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

CONFIG = HERE / "configs" / "nl_opencomms.cfg"
CORPUS = HERE / "corpus"  # default; --corpus overrides
DEFAULT_RAW_TEXT = "/work/shared/data/gov-dev/*/*.txt"
PRETRAIN_EPOCHS = 6
PACKAGE_DIR = ROOT / "src" / "opencomms" / "model" / "nl_opencomms"
VERSION = "0.4.1"
COMPOUND_WHOLE_ZIPF = 4.0  # words this frequent (wordfreq) are taken as lexicalised: never split
# whitespace augmentation: the runtime feeds texts in which masked regions are replaced by
# spaces, so the model sees whitespace tokens (" ", "\n", "\n\n") during training
AUGMENTER = {
    "@augmenters": "spacy.combined_augmenter.v1",
    "lower_level": 0.0,
    "orth_level": 0.0,
    "orth_variants": {"single": [], "paired": []},
    "whitespace_level": 0.3,
    "whitespace_per_token": 0.03,
    "whitespace_variants": [" ", "\n", "\n\n", "  ", "   "],
}


def run(cmd: list[str], env=None) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, env=env, cwd=ROOT)


# Tokenizer exceptions kept in the bundled pipeline. spaCy's Dutch defaults carry ~4,700
# special cases (mostly Belgian legal citation abbreviations); a stored tokenizer re-adds all
# of them a second time on load, which doubles the load time. We store a slim set instead:
# spaCy's base exceptions, the Dutch clitics ('s, 't, ...), single-letter initials and common
# Dutch abbreviations. (The opencomms runtime adds its own abbreviation list on top.)
COMMON_ABBREVIATIONS = """
o.a. a.s. bijv. bv. b.v. m.b.t. i.v.m. d.d. jl. art. mr. drs. ir. ing. prof. dr. dhr. mevr. mw. t.a.v. z.s.m.
e.d. e.a. enz. etc. i.p.v. t.z.t. c.q. resp. m.i.v. vs. ca. incl. excl. nr. tel. o.b.v. n.a.v. i.o.m. m.n.
d.w.z. m.a.w. t.o.v. z.g.a.n. zgn. ong. evt. pag. blz. vnl. w.o. a.d.h.v. p.p. p.a. e.v. i.c.m. i.h.k.v. t.b.v.
jan. febr. feb. mrt. apr. jun. jul. aug. sept. sep. okt. nov. dec. min. max. gem. cf. vgl. nl. o.l.v. n.v.t.
afd. alg. bijl. ds. fa. jr. sr. st. lid. par. hfst. sub. red. ed. vert. bijz. betr. verg. kon. nat. Ned.
a.u.b. s.v.p. m.vr.gr. t.w. o.i.d. z.o.z. t.n.v. i.s.m. i.o.v. a.i. b.a. m.a. n.b. o.m. p.m. v.d. v.w.b.
""".split()


def slim_tokenizer_rules(nlp) -> dict:
    import re

    from spacy.lang.tokenizer_exceptions import BASE_EXCEPTIONS

    common = {a.lower() for a in COMMON_ABBREVIATIONS}
    rules = {}
    for orth, tokens in nlp.tokenizer.rules.items():
        if (orth in BASE_EXCEPTIONS or not orth.endswith(".") or re.fullmatch(r"[A-Za-z]\.", orth)
                or orth.lower() in common):
            rules[orth] = tokens
    for abbr in COMMON_ABBREVIATIONS:
        for form in {abbr, abbr[:1].upper() + abbr[1:]}:
            rules.setdefault(form, [{65: form}])  # 65 == ORTH
    return rules


def add_postprocessing(nlp, corpus: Path) -> None:
    """Add opencomms' own components, their data from the train split: compound/particle lemmas
    (src/opencomms/nlp/compounds.py) and the auxiliary corrections (nlp/passives.py)."""
    import compounds
    import passives

    import opencomms.nlp.compounds  # noqa: F401  (register the factories)
    import opencomms.nlp.passives  # noqa: F401

    for name in ("opencomms_compounds", "opencomms_passives"):
        if name in nlp.pipe_names:
            nlp.remove_pipe(name)
    nlp.add_pipe("opencomms_compounds", after="trainable_lemmatizer").initialize(
        data=compounds.build(corpus / "train.conllu", whole_zipf=COMPOUND_WHOLE_ZIPF))
    # last: it reads the lemmas ('zijn', the participle's), which the lemmatizer sets
    nlp.add_pipe("opencomms_passives", after="opencomms_compounds").initialize(
        table=passives.build(corpus / "train.conllu"))


def package(nlp, scores: dict, split: dict, train_seconds: float | None, slim: bool = True) -> None:
    import spacy

    if slim:
        rules = slim_tokenizer_rules(nlp)
        nlp.tokenizer.rules = rules
    nlp.meta.update(
        {
            "name": "nl_opencomms",
            "version": VERSION,
            "description": "Dutch pipeline for opencomms: tok2vec, morphologizer (UPOS+features), "
            "dependency parser (UD labels incl. aux:pass, nsubj:pass, obl:agent; also sentence "
            "boundaries), edit-tree lemmatizer, plus opencomms_passives and opencomms_compounds "
            "(need the opencomms package), trained on UD Dutch Alpino + LassySmall.",
            "license": "CC BY-SA 4.0",
            "author": "opencomms",
            "url": "",
            "email": "",
            "sources": [
                {"name": "UD Dutch Alpino", "url": "https://github.com/UniversalDependencies/UD_Dutch-Alpino",
                 "license": "CC BY-SA 4.0", "author": "Gosse Bouma, Gertjan van Noord"},
                {"name": "UD Dutch LassySmall", "url": "https://github.com/UniversalDependencies/UD_Dutch-LassySmall",
                 "license": "CC BY-SA 4.0", "author": "Gosse Bouma, Gertjan van Noord"},
            ],
            "spacy_version": f">={spacy.about.__version__[:3]}.0,<{spacy.about.__version__[:2]}{int(spacy.about.__version__.split('.')[1]) + 1}.0",
        }
    )
    nlp.meta["lang"] = "nl"
    nlp.meta["opencomms_scores"] = {
        "split": "held-out eval split (15% of the current-annotation UD dev files by document, seed 13); see MODEL_CARD.md",
        **{k: (round(v, 4) if isinstance(v, float) else v) for k, v in scores.items()},
    }
    nlp.meta["opencomms_training"] = {"split": split, "train_seconds": train_seconds}
    nlp.meta["performance"] = {
        "pos_acc": round(scores["upos_acc"], 4),
        "morph_acc": round(scores["morph_acc"], 4),
        "lemma_acc": round(scores["lemma_acc"], 4),
        "dep_uas": round(scores["uas_nopunct"], 4),
        "dep_las": round(scores["las_nopunct"], 4),
        "sents_f": round(scores["sents_f"], 4),
    }
    # loading starts from an empty tokenizer, which the stored one fills (src/opencomms/nlp/tokenizer.py)
    from opencomms.nlp.tokenizer import NAME as TOKENIZER

    nlp.config["nlp"]["tokenizer"] = {"@tokenizers": TOKENIZER}
    # where the training files are in a checkout, not on the machine that trained it (informational)
    nlp.config["paths"].update({"raw_text": "training/corpus/raw.jsonl", "train": "training/corpus/train.spacy",
                                "dev": "training/corpus/tune.spacy"})
    if PACKAGE_DIR.exists():
        shutil.rmtree(PACKAGE_DIR)
    PACKAGE_DIR.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(PACKAGE_DIR)
    size = sum(p.stat().st_size for p in PACKAGE_DIR.rglob("*") if p.is_file())
    print(f"packaged -> {PACKAGE_DIR} ({size / 1e6:.1f} MB)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--output", type=Path, default=HERE / "runs" / "final")
    ap.add_argument("--config", type=Path, default=CONFIG)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--raw-text", nargs="*", default=[DEFAULT_RAW_TEXT],
                    help="globs of plain Dutch text for `spacy pretrain` (default: %(default)s; "
                         "missing files are skipped); the UD train split is always included")
    ap.add_argument("--no-pretrain", action="store_true")
    ap.add_argument("--pretrain-epochs", type=int, default=PRETRAIN_EPOCHS)
    ap.add_argument("--max-steps", type=int, default=None,
                    help="override [training] max_steps and the learning-rate schedule's total_steps (the shipped model: see MODEL_CARD.md)")
    ap.add_argument("--skip-train", action="store_true", help="re-evaluate/package an existing --output run")
    ap.add_argument("--no-augment", action="store_true")
    ap.add_argument("--no-package", action="store_true")
    ap.add_argument("--full-tokenizer-exceptions", action="store_true",
                    help="keep all ~4,700 default Dutch tokenizer exceptions (slower load)")
    args = ap.parse_args()

    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(args.threads)
    corpus = args.corpus
    run([sys.executable, str(HERE / "prepare.py"), str(args.data_dir), str(corpus), "--raw-text", *args.raw_text], env)
    train_seconds = None
    if not args.skip_train:
        t0 = time.time()
        overrides = ["--paths.train", str(corpus / "train.spacy"), "--paths.dev", str(corpus / "tune.spacy"),
                     "--paths.raw_text", str(corpus / "raw.jsonl")]
        if not args.no_pretrain:
            pre_dir = args.output / "pretrain"
            run([sys.executable, "-m", "spacy", "pretrain", str(args.config), str(pre_dir),
                 "--pretraining.max_epochs", str(args.pretrain_epochs), *overrides], env)
            overrides += ["--paths.init_tok2vec", str(pre_dir / f"model{args.pretrain_epochs - 1}.bin")]
        cmd = [sys.executable, "-m", "spacy", "train", str(args.config), "--output", str(args.output), *overrides]
        if not args.no_augment:
            cmd += ["--corpora.train.augmenter", json.dumps(AUGMENTER)]
        if args.max_steps:
            cmd += ["--training.max_steps", str(args.max_steps),
                    "--training.optimizer.learn_rate.total_steps", str(args.max_steps)]
        run(cmd, env)
        train_seconds = round(time.time() - t0)
    best = args.output / "model-best"

    import spacy
    from evaluate import evaluate, load_docs

    nlp = spacy.load(best)
    eval_docs = load_docs(nlp, corpus / "eval.spacy")
    raw = evaluate(nlp, eval_docs)
    add_postprocessing(nlp, corpus)
    scores = evaluate(nlp, eval_docs)
    scores["without_opencomms_components"] = {k: round(raw[k], 4) for k in ("lemma_acc", "auxpass_sent_f", "auxpass_token_las_f")}
    print(json.dumps(scores, indent=1))
    (args.output / "eval_scores.json").write_text(json.dumps(scores, indent=1))
    split = {k: v for k, v in json.loads((corpus / "split.json").read_text())["split"].items() if not k.endswith("/docs")}
    if not args.no_package:
        package(nlp, scores, split, train_seconds, slim=not args.full_tokenizer_exceptions)


if __name__ == "__main__":
    main()
