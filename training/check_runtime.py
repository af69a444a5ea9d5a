"""Runtime behaviour checks for the bundled pipeline (sentence boundaries, abbreviations,
preset sentence starts, whitespace tokens).

Usage: python training/check_runtime.py [MODEL_DIR]

Prints, for each check, what the parser does (a) as-is and (b) with the runtime
measures that opencomms' loader applies (tokenizer special cases for abbreviations, a
component before the parser that marks the token after an abbreviation as
`is_sent_start = False`).
"""
from __future__ import annotations

import sys
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.symbols import ORTH

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MODEL = ROOT / "src" / "opencomms" / "model" / "nl_opencomms"

ABBREVIATIONS = [
    "o.a.", "bijv.", "m.b.t.", "i.v.m.", "d.d.", "jl.", "art.", "mr.", "drs.", "ir.", "prof.", "dhr.",
    "mevr.", "t.a.v.", "z.s.m.", "e.d.", "jan.", "febr.", "mrt.", "apr.", "jun.", "jul.", "aug.",
    "sept.", "okt.", "nov.", "dec.", "nr.", "blz.", "p.", "incl.", "excl.", "ca.", "vs.", "etc.",
    "enz.", "resp.", "z.o.z.", "n.a.v.", "m.u.v.", "t.z.t.", "dr.", "ing.", "bv.", "o.b.v.",
]
try:  # use the runtime loader's list when the package is importable
    sys.path.insert(0, str(ROOT / "src"))
    from opencomms.nlp.pipeline import ABBREVIATIONS as _RUNTIME_ABBREVIATIONS

    ABBREVIATIONS = sorted(set(ABBREVIATIONS) | set(_RUNTIME_ABBREVIATIONS))
except Exception:  # pragma: no cover - standalone use
    pass
ABBR_LOWER = {a.lower() for a in ABBREVIATIONS}


TITLES = {"dhr.", "mevr.", "mw.", "mr.", "drs.", "ir.", "ing.", "prof.", "dr.", "ds.", "art.", "nr.", "blz.", "pag.", "p."}


@Language.component("opencomms_no_break_after_abbrev")
def no_break_after_abbrev(doc):
    """Forbid a sentence start right after a known abbreviation when the next token starts
    with a lower-case letter or a digit, or when the abbreviation is a title/reference word
    that never ends a sentence (dhr., mr., art., ...). Other abbreviations followed by a
    capital (e.g. '... op 1 dec. Dan ...') are left to the parser."""
    for tok in doc[:-1]:
        low = tok.text.lower()
        if low in ABBR_LOWER:
            nxt = doc[tok.i + 1]
            if nxt.is_space:
                continue
            if low in TITLES or nxt.text[:1].islower() or nxt.text[:1].isdigit():
                nxt.is_sent_start = False
    return doc


@Language.component("opencomms_space_no_start")
def space_no_start(doc):
    """Whitespace tokens never start a sentence: they stay with the preceding sentence."""
    for tok in doc[1:]:
        if tok.is_space:
            tok.is_sent_start = False
    return doc


def abbreviation_suite(nlp) -> tuple[int, int, list]:
    """Two-sentence texts with each abbreviation in the middle of the first sentence
    (followed by a lower-case word, a capitalised name, a number) and, for months and
    etc./enz., at the end of the first sentence. Returns (ok, total, failures)."""
    months = {"jan.", "febr.", "feb.", "mrt.", "apr.", "jun.", "jul.", "aug.", "sept.", "sep.", "okt.", "nov.", "dec."}
    cases = []
    for a in ABBREVIATIONS:
        cases += [
            f"Het besluit is {a} genomen door de gemeente. Daarna volgt de rest.",
            f"Wij spraken met {a} Jansen over het plan. Daarna volgt de rest.",
            f"Dit staat in {a} 12 van de regeling. Daarna volgt de rest.",
        ]
        if a in months:
            cases.append(f"Wij sturen u de stukken op 1 {a} Dan hoort u meer van ons.")
        if a in {"etc.", "enz.", "e.d."}:
            cases.append(f"Het gaat om huur, water, gas {a} De gemeente betaalt mee.")
    fails = []
    for text, doc in zip(cases, nlp.pipe(cases)):
        if len(list(doc.sents)) != 2:
            fails.append(" | ".join(s.text for s in doc.sents))
    return len(cases) - len(fails), len(cases), fails


def sents(doc):
    return [s.text for s in doc.sents]


def main() -> None:
    model = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_MODEL
    nlp = spacy.load(model)
    text = "Dit is o.a. een test met dhr. Jansen, bijv. op 3 jan. 2024 i.v.m. de wet. Tweede zin."
    more = [
        "Volgens art. 12 van de wet moet mr. De Vries z.s.m. reageren t.a.v. het besluit d.d. 4 febr. 2023. Daarna volgt de rest.",
        "De brief is door prof. Bakker en drs. Smit ondertekend. Ir. Jansen en mevr. Pieters waren er ook, m.b.t. de planning e.d. Dat was het.",
        "Wij sturen u de stukken op 1 dec. Dan hoort u meer.",
    ]
    print("== 1. abbreviations, tokenizer as shipped")
    for t in [text] + more:
        d = nlp(t)
        print(len(list(d.sents)), "sents |", " | ".join(sents(d)))
        print("   tokens:", [x.text for x in d][:40])

    for a in ABBREVIATIONS:
        for variant in {a, a.capitalize(), a.upper()}:
            nlp.tokenizer.add_special_case(variant, [{ORTH: variant}])
    print("\n== 2. with tokenizer special cases only")
    for t in [text] + more:
        d = nlp(t)
        print(len(list(d.sents)), "sents |", " | ".join(sents(d)))

    ok, n, fails = abbreviation_suite(nlp)
    print(f"suite: {ok}/{n} texts split into exactly 2 sentences; failures: {fails[:8]}")

    nlp.add_pipe("opencomms_no_break_after_abbrev", before="parser")
    ok, n, fails = abbreviation_suite(nlp)
    print(f"\nsuite with no-break component: {ok}/{n} exactly 2 sentences; failures: {fails[:8]}")
    print("\n== 3. special cases + is_sent_start=False after abbreviations (component before parser)")
    for t in [text] + more:
        d = nlp(t)
        print(len(list(d.sents)), "sents |", " | ".join(sents(d)))
    nlp.remove_pipe("opencomms_no_break_after_abbrev")

    print("\n== 4. preset is_sent_start=True before the parser (Markdown block boundaries)")

    @Language.component("preset_starts")
    def preset_starts(doc):
        for tok in doc:
            if tok.text in {"Kopje", "Lijstpunt"}:
                tok.is_sent_start = True
        return doc

    nlp.add_pipe("preset_starts", before="parser")
    for t in ["Dit is de inleiding van het stuk Kopje over de wet en de regels die gelden",
              "Wij doen dit omdat Lijstpunt een twee drie de burger recht heeft op duidelijke taal."]:
        d = nlp(t)
        starts = [x.text for x in d if x.is_sent_start]
        print(len(list(d.sents)), "sents | starts:", starts, "|", " | ".join(sents(d)))
    nlp.remove_pipe("preset_starts")

    print("\n== 5. whitespace tokens (masked regions replaced by spaces, newlines)")
    ws_texts = [
        "De minister heeft het besluit genomen.            Het wordt door de Kamer besproken.",
        "De aanvraag wordt                 beoordeeld door de gemeente.\n\nU krijgt binnen 8 weken een besluit.",
        "Het formulier\nmoet worden ingevuld\ndoor de aanvrager.\n\n\nDaarna wordt het verwerkt.",
        "                    \n\n    De regeling is per 1 januari gewijzigd.",
    ]
    for t in ws_texts:
        d = nlp(t)
        print("   [as is]", len(list(d.sents)), "sents, whitespace-only sentences:",
              sum(all(x.is_space for x in s) for s in d.sents))
        nlp.add_pipe("opencomms_space_no_start", before="parser")
        d = nlp(t)
        nlp.remove_pipe("opencomms_space_no_start")
        print("   [with opencomms_space_no_start]", len(list(d.sents)), "sents, whitespace-only sentences:",
              sum(all(x.is_space for x in s) for s in d.sents))
        print(repr(t[:60]))
        print("   ", len(list(d.sents)), "sents:", [s.text for s in d.sents])
        print("   ", [(x.text, x.pos_, x.dep_, x.head.i, x.lemma_) for x in d if x.is_space or x.dep_ in ("aux:pass", "obl:agent", "nsubj:pass")])
        bad = [x.text for x in d if not x.is_space and x.head.is_space]
        print("    tokens headed by a whitespace token:", bad)


if __name__ == "__main__":
    main()
