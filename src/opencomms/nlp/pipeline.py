"""Loads the Dutch pipeline once per process and adds opencomms' own components.

Order of preference: the ``model`` asked for (a path, an installed package name, or ``blank`` for the
fallback below); else the bundled
``nl_opencomms`` pipeline in ``opencomms/model/``; else ``spacy.blank("nl")`` with a sentencizer and
the lookup lemmatizer from spacy-lookups-data (no POS, morphology or parse: rules that need those are
skipped and reported).

Three components are added to every pipeline:
- ``opencomms_blocks`` forces a sentence start at each block (paragraph, heading, list item) the reader
  found; it runs before the parser, or after the sentencizer in the fallback.
- ``opencomms_organisations``, an ``entity_ruler`` built from ``lexicons/organisaties.yaml``: every name,
  variant, abbreviation and predecessor of a government organisation becomes an ``ORG`` entity whose
  ``ent_id_`` is the canonical name; ``span._.oc_organisation`` gives the lexicon entry (``term``,
  ``abbreviation``, ``kind``) and ``span._.oc_outdated`` whether the text is a predecessor's name.
- ``opencomms_readability`` computes readability features once into ``doc._.oc_readability`` and
  ``doc._.oc_sentences``.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from opencomms.errors import ConfigError
from opencomms.nlp import readability
from opencomms.nlp import tokenizer  # noqa: F401  (registers the tokenizer the bundled model's config names)

BUNDLED = Path(__file__).resolve().parents[1] / "model" / "nl_opencomms"
FALLBACK_NAME = "blank_nl_fallback"

# Dutch abbreviations that end in a full stop and must never end a sentence or be split.
ABBREVIATIONS = """
o.a. a.s. bijv. bv. b.v. m.b.t. i.v.m. d.d. jl. art. mr. drs. ir. ing. prof. dr. dhr. mevr. mw. t.a.v. z.s.m.
e.d. e.a. enz. etc. i.p.v. t.z.t. c.q. resp. m.i.v. vs. ca. incl. excl. nr. tel. o.b.v. n.a.v. i.o.m. m.n.
d.w.z. m.a.w. t.o.v. z.g.a.n. zgn. ong. evt. pag. blz. vnl. w.o. a.d.h.v. p.p. p.a. e.v. i.c.m. i.h.k.v. t.b.v.
jan. febr. feb. mrt. apr. jun. jul. aug. sept. sep. okt. nov. dec. min. max. gem. cf. vgl. nl. o.l.v. n.v.t.
""".split()

CAPABILITIES = ("lemma", "pos", "morph", "dep", "ents")

_lock = threading.Lock()
_cache: dict[tuple, Language] = {}


def register_extensions() -> None:
    for name, default in (("oc_blocks", None), ("oc_readability", None), ("oc_sentences", None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Span.has_extension("oc_organisation"):
        Span.set_extension("oc_organisation", getter=lambda span: _organisations()[0].get(span.ent_id_))
    if not Span.has_extension("oc_outdated"):
        Span.set_extension("oc_outdated", getter=lambda span: span.text in _organisations()[1].get(span.ent_id_, ()))


register_extensions()


SENTENCE_END = (".", "!", "?", "…")  # not ':' or ';': 'Hij zei: "Kom."' is one sentence
FULL_STOPS = {".", "!", "?", "…"}
CLOSERS = {'"', "'", "”", "’", ")", "]", "»"}
_ABBREVIATION_FORMS = {a.lower() for a in ABBREVIATIONS}


def _may_end_sentence(word: str) -> bool:
    return not word or (word.endswith(SENTENCE_END) and word.lower() not in _ABBREVIATION_FORMS)


# Words that start a sentence and are never part of a name or title: after a heading that lost its line break
# ('Plannen voor de acute vraag Deze plannen worden ...') or an initial that was a sentence's last word ('Knop B.
# Een veel kleiner aantal ...') they begin a new sentence
SENTENCE_OPENERS = {"Deze", "Dit", "Omdat", "Hoewel", "Wanneer", "Wij", "We", "Ik", "Hierbij", "Daarom", "Daarnaast",
                    "Bovendien", "Daarna", "Toen", "Een", "Er"}


def _starts_sentence(token, before: str) -> bool:
    """A sentence start the text shows without a full stop and a capital: a number after a full stop
    ('... see). 5 inwoners hebben ...'), a lower-case word right after '?' or '!' ('... bouwen? dan is het
    ...'), or an opener word (``SENTENCE_OPENERS``) after a word or an initial."""
    text = token.text  # most tokens are ruled out by their text alone: this runs on every token of every document
    if before in FULL_STOPS:
        number = text.isdigit()
        if not number and not (before in ("?", "!") and text.isalpha() and text.islower()):
            return False
    elif text not in SENTENCE_OPENERS:
        return False
    doc, i = token.doc, token.i
    prev = doc[i - 1]
    if not prev.whitespace_:
        return False
    if before in FULL_STOPS and not number:
        return prev.text == before  # '?' itself, not a closing quote after it
    # a number or an opener is followed by a lower-case word ('5 inwoners', 'Deze plannen'), not by a name
    if i + 1 == len(doc) or not (doc[i + 1].text.isalpha() and doc[i + 1].text.islower()):
        return False
    if before in FULL_STOPS:
        return True
    if text == "Een":  # only after an initial ('Knop B. Een ...'): elsewhere it may open a title
        return len(prev.text) == 2 and prev.text[0].isupper() and prev.text[1] == "."
    return prev.text.isalpha()


@Language.component("opencomms_blocks", assigns=["token.is_sent_start"])
def blocks_component(doc: Doc) -> Doc:
    """Sentence boundaries the parser must respect: a sentence starts at every block (paragraph, heading,
    list item) and nowhere else unless the text before it can end a sentence (not after 'o.a.' or a
    word without a full stop)."""
    blocks = doc.user_data.get("oc_blocks")
    doc._.oc_blocks = blocks
    if not len(doc):
        return doc
    starts = sorted(start for start, _end, _kind in blocks) if blocks else []
    values = numpy.zeros((len(doc), 1), dtype="int64")  # 1 starts a sentence, -1 does not, 0 parser decides
    values[0, 0] = 1
    j = 0
    before = ""  # the last token that is not whitespace or a closing quote/bracket
    for token in doc:
        i = token.i
        if i:
            while j < len(starts) and starts[j] < token.idx:
                j += 1
            if j < len(starts) and token.idx == starts[j]:
                values[i, 0] = 1
                j += 1
            elif token.is_space:
                values[i, 0] = -1  # runs of spaces (masked markup) never make a sentence of their own
            elif token.text in CLOSERS and not doc[i - 1].whitespace_:
                values[i, 0] = -1  # a closing quote or bracket stays with its sentence
            elif _starts_sentence(token, before):
                values[i, 0] = 1
            elif not _may_end_sentence(before):
                values[i, 0] = -1
            elif before in FULL_STOPS and token.text[:1].isupper() and (doc[i - 1].whitespace_ or doc[i - 1].is_space):
                values[i, 0] = 1  # full stop, space, capital: a new sentence
        if not token.is_space and token.text not in CLOSERS:
            before = token.text
    doc.from_array([SENT_START], values.astype("uint64"))  # spaCy stores -1 as its two's complement
    return doc


@Language.factory("opencomms_readability", default_config={"has_pos": False, "has_dep": False})
def make_readability(nlp: Language, name: str, has_pos: bool, has_dep: bool):
    def component(doc: Doc) -> Doc:
        readability.analyse(doc, has_pos, has_dep)
        return doc

    return component


def _ends_sentences(form: str) -> bool:
    """A tokenizer exception like 'al.', 'best.' or 'IND.' that would glue a sentence-final word to its
    full stop, so that the sentence does not end there."""
    from wordfreq import zipf_frequency

    base = form[:-1]
    if not form.endswith(".") or "." in base or not base.isalpha():
        return False
    if len(base) == 1:
        return base.islower()  # 'u.' ends 'Wij danken u.'; capitals are initials ('J. de Vries')
    if base.isupper():
        return True  # acronyms at the end of a sentence: 'door de IND.'
    return zipf_frequency(base.lower(), "nl") >= 3.0


def tune_tokenizer(nlp: Language) -> None:
    """Dutch abbreviations stay one token and never end a sentence; spaCy's own exceptions that glue
    ordinary sentence-final words to their full stop are removed."""
    ours = set(ABBREVIATIONS) | {a[:1].upper() + a[1:] for a in ABBREVIATIONS}
    rules = nlp.tokenizer.rules
    nlp.tokenizer.rules = {k: v for k, v in rules.items() if k in ours or not _ends_sentences(k)}
    for form in ours:
        nlp.tokenizer.add_special_case(form, [{"ORTH": form}])


ORGANISATIONS = "organisaties"  # the lexicon of government organisations


@functools.lru_cache(maxsize=1)
def _organisations() -> tuple[dict, dict]:
    """Canonical name -> lexicon entry, and canonical name -> its predecessors' names."""
    from opencomms import lexicons

    if ORGANISATIONS not in lexicons.available():
        return {}, {}
    entries = lexicons.load(ORGANISATIONS).entries
    return {e.term: e for e in entries}, {e.term: frozenset(e.predecessors) for e in entries}


def add_organisations(nlp: Language) -> None:
    """An entity ruler for government organisations (label ORG, id = canonical name), matched on the exact
    spelling of the lexicon's names, variants, abbreviations and predecessors."""
    entries, _ = _organisations()

    # phrase patterns (PhraseMatcher on the exact spelling): built with the tokenizer once per name, and
    # about 100 times faster per document than the same names as token patterns (60 gov-dev texts: 0.04 s vs 3.7 s)
    patterns = [
        {"label": "ORG", "pattern": name, "id": term}
        for term, e in entries.items()
        for name in dict.fromkeys((e.term, *e.variants, e.abbreviation, *e.predecessors))
        if name
    ]
    if not patterns:
        return
    # first in the pipeline, so that adding the phrase patterns runs only the tokenizer over them
    where = {"before": "ner"} if "ner" in nlp.pipe_names else {"first": True}
    ruler = nlp.add_pipe("entity_ruler", name="opencomms_organisations", **where)
    ruler.add_patterns(patterns)


def capabilities(nlp: Language) -> set[str]:
    names = set(nlp.pipe_names)
    factories = {nlp.get_pipe_meta(n).factory for n in names}
    caps = set()
    if factories & {"lemmatizer", "trainable_lemmatizer", "edit_tree_lemmatizer"}:
        caps.add("lemma")
    if factories & {"tagger", "morphologizer"}:
        caps.add("pos")
    if "morphologizer" in factories:
        caps.add("morph")
    if "parser" in factories:
        caps.add("dep")
    if factories & {"ner", "entity_ruler", "span_ruler"}:
        caps.add("ents")
    return caps


def _blank() -> Language:
    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.meta["name"] = FALLBACK_NAME
    return nlp


def _load_base(model: str | None) -> Language:
    if model == "blank":
        return _blank()
    if model:
        try:
            return spacy.load(model)
        except OSError:
            raise ConfigError(
                f"model {model!r} not found: give the path of a spaCy pipeline or the name of an installed one"
            ) from None
    if (BUNDLED / "meta.json").exists():
        return spacy.load(BUNDLED)
    return _blank()


def load(model: str | None = None) -> Language:
    """The pipeline for ``model`` (None: bundled or fallback), loaded once per process."""
    key = (model or "",)
    with _lock:
        if key in _cache:
            return _cache[key]
        nlp = _load_base(model)
        tune_tokenizer(nlp)
        caps = capabilities(nlp)
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("opencomms_blocks", before="parser")
        elif "senter" in nlp.pipe_names:
            nlp.add_pipe("opencomms_blocks", after="senter")
        elif "sentencizer" in nlp.pipe_names:
            nlp.add_pipe("opencomms_blocks", after="sentencizer")
        else:
            nlp.add_pipe("sentencizer", first=True)
            nlp.add_pipe("opencomms_blocks", after="sentencizer")
        add_organisations(nlp)
        nlp.add_pipe(
            "opencomms_readability",
            config={"has_pos": "pos" in caps and "morph" in caps, "has_dep": "dep" in caps},
        )
        _cache[key] = nlp
        return nlp


def model_name(nlp: Language) -> str:
    name, lang = nlp.meta.get("name", "unknown"), nlp.meta.get("lang", "nl")
    return name if name == FALLBACK_NAME or name.startswith(f"{lang}_") else f"{lang}_{name}"


def describe(nlp: Language) -> dict:
    return {
        "model": model_name(nlp),
        "version": nlp.meta.get("version", "0.0.0"),
        "spacy": spacy.__version__,
        "components": [n for n in nlp.pipe_names if not n.startswith("opencomms_")],
        "capabilities": sorted(capabilities(nlp)),
    }


def make_doc(nlp: Language, source) -> Doc:
    """A tokenised Doc of the checked text with the reader's blocks attached."""
    doc = nlp.make_doc(source.checked)
    doc.user_data["oc_blocks"] = [(b.start, b.end, b.kind) for b in source.blocks]
    doc.user_data["oc_text"] = source.checked  # = doc.text, which spaCy rebuilds from the tokens on every access
    return doc


def analyse(nlp: Language, sources, batch_size: int = 32):
    """Run the pipeline over sources, yielding (source, doc) in order."""
    pairs = ((make_doc(nlp, source), source) for source in sources)
    for doc, source in nlp.pipe(pairs, batch_size=batch_size, as_tuples=True):
        yield source, doc
