"""Lemma post-processing for the bundled pipeline: UD Dutch compound and particle-verb lemmas.

UD Dutch (Alpino) lemmas mark the parts of compounds and separable verbs with ``_``:
``basisniveau`` → ``basis_niveau``, ``vrouwentoernooi`` → ``vrouw_toernooi`` (linking *s*/*en* dropped,
every part lemmatised), ``afgekort`` → ``af_korten``, ``zocht (…) op`` → ``op_zoeken``. The edit-tree
lemmatizer learns this for words it saw in training but not for new compounds, and it cannot see a
particle that stands apart in the clause. This component runs after it and

- splits the lemma of a noun, adjective or verb whose form was not seen in training into known parts
  (parts vocabulary: the training lemmas and their compound parts; the head is lemmatised through the
  training form table or taken from the lemmatizer);
- joins the particle of a separable verb (a ``compound:prt`` dependent) to the verb's lemma, and drops
  a particle the lemmatizer invented when the word has none.

Its data (``compounds.json``, ~0.3 MB) is built from the training split by ``training/compounds.py`` and
saved with the pipeline. Registered as the spaCy factory ``opencomms_compounds`` through the
``spacy_factories`` entry point, so ``spacy.load`` of the bundled model works without importing
opencomms first.
"""

from __future__ import annotations

import json
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

SPLIT_POS = {"NOUN", "ADJ", "VERB"}
LINKS = ("s", "en", "n", "e")  # linking elements dropped in UD lemmas: vrouwentoernooi → vrouw_toernooi
MIN_PART = 3
MIN_HEAD = 3
MIN_WORD = 6
MAX_WORD = 40  # longer 'words' are codes or run-together text: the split search is quadratic in length
FILE = "compounds.json"
# prefixes and suffixes that look like words: ver|trek, her|denken, omroep|ster, bezienswaardig|heden
NOT_PARTS = {"ver", "her", "mis", "ont", "een", "ter", "ten", "wel", "aller", "oer"}
NOT_HEADS = {"heid", "heden", "ster", "sters", "ter", "ters", "ten", "ing", "ingen", "tje", "tjes", "der",
             "ders", "aar", "aars", "baar", "lijk", "lijke", "isch", "ische", "ig", "ige", "loos", "loze",
             "achtig", "achtige", "schap", "dom", "nis", "sel", "ling", "lingen", "erij", "ist", "isten"}


class Compounds:
    def __init__(self, data: dict | None = None):
        self.data = data or {"forms": {}, "lemmas": [], "parts": [], "particles": [], "whole": []}
        self._index()

    def _index(self) -> None:
        d = self.data
        self.forms: dict[str, str] = d["forms"]  # lower-case training form -> its (joined-free) lemma
        self.lemmas = set(d["lemmas"])  # lower-case training lemmas with '_' removed
        self.parts = set(d["parts"])  # lower-case words that may be a part of a compound
        self.particles = set(d["particles"])  # separable-verb particles (op, aan, terug …)
        self.nouns = set(d.get("nouns", ()))  # inflected noun forms (jaren, kranten)
        self.whole = set(d.get("whole", ()))  # frequent Dutch words: lexicalised, never split

    # -- serialisation (spaCy component protocol)
    def to_disk(self, path, exclude=()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / FILE).write_text(json.dumps(self.data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    def from_disk(self, path, exclude=()):
        self.data = json.loads((Path(path) / FILE).read_text(encoding="utf-8"))
        self._index()
        return self

    def initialize(self, get_examples=None, nlp=None, data: dict | None = None):
        if data is not None:
            self.data = data
            self._index()

    # -- the component
    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            pos = token.pos_
            lemma = token.lemma_
            if pos == "PROPN" and lemma != token.text and lemma.lower() == token.lower_:
                token.lemma_ = token.text  # names keep their spelling: 'Atkins', not 'atkins'
            if pos not in SPLIT_POS:
                continue
            new = self.particle_lemma(token, lemma) if pos == "VERB" else None
            if new is None:
                new = self.compound_lemma(token.lower_, lemma, pos)
            if new is not None and new != lemma:
                token.lemma_ = new
        return doc

    def particle_lemma(self, token, lemma: str) -> str | None:
        prts = [c for c in token.children if c.dep_ == "compound:prt" and c.lower_ in self.particles]
        base = lemma
        head, sep, rest = lemma.partition("_")
        if sep and head.lower() in self.particles:
            base = rest
        if prts:
            if base.lower() not in self.lemmas and "_" not in self.forms.get(token.lower_, "_"):
                base = self.forms[token.lower_]  # 'zochten' (… op): the lemmatizer's 'zochten' is no verb
            return f"{prts[0].lower_}_{base}"
        if base != lemma and not token.lower_.startswith(head.lower()) and not any(
            t.lower_ == head.lower() for t in token.doc[token.i + 1 : token.sent.end]
        ):
            return base  # 'gezet' → 'op_zetten': the particle is neither in the word nor beside it
        return None

    def compound_lemma(self, form: str, lemma: str, pos: str) -> str | None:
        joined = lemma.replace("_", "")
        known = self.forms.get(form)
        if known and "_" not in lemma and (
            joined.lower() not in self.lemmas or "_" in known and known.replace("_", "") == joined.lower()
        ):
            return known  # a seen word: 'jeugdverhal' (no known lemma) → 'jeugd_verhaal', 'basisniveau' → 'basis_niveau'
        if not MIN_WORD <= len(form) <= MAX_WORD or not form.isalpha() or not joined.isalpha():
            return None
        if form in self.forms or joined.lower() in self.lemmas or form in self.whole:
            return None  # seen whole in training, or a frequent word: lexicalised
        low = joined.lower()
        best = None
        # the head is the longest known final part; the rest must split into known parts
        for i in range(MIN_PART - 1 if pos == "VERB" else MIN_PART, len(form) - MIN_HEAD + 1):
            head = self._head(form, low, i)
            if head is None:
                continue
            left = self._segment(form[:i], pos)
            if left is None:
                continue
            cand = (len(left), i)
            if best is None or cand < best[0]:
                best = (cand, left + [head])
        if best is None:
            return None
        parts = best[1]
        if lemma[:1].isupper() and not parts[0][:1].isupper():
            parts[0] = lemma[:1] + parts[0][1:] if lemma[:1].lower() == parts[0][:1] else parts[0]
        return "_".join(parts)

    def _head(self, form: str, low: str, i: int) -> str | None:
        prefix = form[:i]
        if low.startswith(prefix) and len(low) - i >= MIN_HEAD:
            head = low[i:]
            if (head in self.lemmas or head in self.parts) and head not in NOT_HEADS:
                return head
        head_form = form[i:]
        if head_form in self.forms and head_form not in NOT_HEADS:
            return self.forms[head_form]
        return None

    def _segment(self, text: str, pos: str) -> list[str] | None:
        """Fewest known parts (with optional linking elements) that make up ``text``."""
        n = len(text)
        best: list[list[str] | None] = [None] * (n + 1)
        best[0] = []
        for j in range(1, n + 1):
            for i in range(j):
                if best[i] is None:
                    continue
                part = self._part(text[i:j], pos, first=i == 0)
                if part is None:
                    continue
                cand = best[i] + [part]
                if best[j] is None or len(cand) < len(best[j]):
                    best[j] = cand
        return best[n]

    def _part(self, piece: str, pos: str, first: bool) -> str | None:
        if pos == "VERB" and first and piece in self.particles:
            return piece
        if len(piece) < MIN_PART or piece in NOT_PARTS:
            return None
        if piece in self.parts:
            return piece
        for link in LINKS:
            if piece.endswith(link) and len(piece) - len(link) >= MIN_PART:
                stem = piece[: -len(link)]
                if stem in self.parts:
                    return stem
        lemma = self.forms.get(piece) if piece in self.nouns else None
        if lemma and lemma in self.parts:
            return lemma  # jaren → jaar, decennia → decennium
        return None


@Language.factory("opencomms_compounds", assigns=["token.lemma"], requires=["token.lemma", "token.pos"])
def make_compounds(nlp: Language, name: str) -> Compounds:
    return Compounds()
