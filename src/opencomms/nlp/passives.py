"""Auxiliaries the parser and tagger get wrong, corrected after the parse (bundled pipeline).

'zijn' + participle is a passive (``aux:pass``: *het is geregeld*), a perfect tense (``aux``: *hij is
overleden*, *het is gebeurd*) or a copula (``cop``: *zij is betrokken*) depending on the verb. The parser
often labels all three ``aux:pass``. This component relabels an ``aux:pass`` of 'zijn' with the label that
the training data gives for the same participle (by form, else by lemma) when that label is clearly another
one; and an ``aux:pass`` whose head is a noun or adjective that does not look like a participle (*werd
derde*) becomes ``cop``. The table (``passives.json``) is built from the training split by
``training/passives.py``. It runs after the lemmatizer, whose lemmas it reads.

In UD Dutch a verb is ``AUX`` only as an auxiliary (``aux``, ``aux:pass``) or, for 'zijn', as a copula;
'worden', 'hebben' or 'gaan' as a main verb (*werd derde*, *wat heb je?*, *nu gaan er meer*) is ``VERB``.
The tagger often says ``AUX`` for those; where the parse does not attach such a token as an auxiliary,
it becomes ``VERB`` (on the tune and eval splits: UPOS +0.003 each). 'zijn' keeps its tag: where the
parse gives it another relation, the parse is more often wrong than the tag. The other way round, one of
the common auxiliaries ('hebben', 'worden', 'zullen', …) tagged ``VERB`` but attached as an auxiliary
becomes ``AUX`` (UPOS +0.001 on tune and on eval).
Registered as the spaCy factory ``opencomms_passives`` (``spacy_factories`` entry point).
"""

from __future__ import annotations

import json
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

FILE = "passives.json"
MIN_SHARE = 0.6
AUXILIARY = {"aux", "aux:pass"}  # the relations of an AUX other than 'zijn'
AUXILIARY_VERBS = {"hebben", "zijn", "worden", "zullen", "kunnen", "moeten", "mogen"}


class Passives:
    def __init__(self, table: dict | None = None):
        self.table: dict[str, dict[str, int]] = table or {}

    def to_disk(self, path, exclude=()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / FILE).write_text(json.dumps(self.table, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    def from_disk(self, path, exclude=()):
        self.table = json.loads((Path(path) / FILE).read_text(encoding="utf-8"))
        return self

    def initialize(self, get_examples=None, nlp=None, table: dict | None = None):
        if table is not None:
            self.table = table

    def label(self, aux, head) -> str | None:
        """The label for an ``aux:pass`` token, or None to keep it."""
        form = head.lower_
        if head.pos_ not in ("VERB", "AUX") or "Part" not in head.morph.get("VerbForm"):
            # a noun or adjective that cannot be a mistagged participle ('geboren', 'hernomen')
            plain = head.pos_ in ("NOUN", "PROPN", "ADJ", "NUM", "PRON") and form not in self.table
            return "cop" if plain and not form.endswith(("en", "d", "t")) else None
        if aux.lemma_ != "zijn":
            return None
        counts = self.table.get(form) or self.table.get(head.lemma_.lower())
        if not counts:
            return None
        best = max(counts, key=counts.get)
        if best != "aux:pass" and counts[best] / sum(counts.values()) >= MIN_SHARE:
            return best
        return None

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            if token.dep_ == "aux:pass" and token.head is not token:
                new = self.label(token, token.head)
                if new:
                    token.dep_ = new
            if token.pos_ == "AUX" and token.dep_ not in AUXILIARY and token.lemma_ != "zijn":
                token.pos_ = "VERB"
            elif token.pos_ == "VERB" and token.dep_ in AUXILIARY and token.lemma_ in AUXILIARY_VERBS:
                token.pos_ = "AUX"
        return doc


@Language.factory("opencomms_passives", assigns=["token.dep", "token.pos"],
                  requires=["token.dep", "token.lemma", "token.morph", "token.pos"])
def make_passives(nlp: Language, name: str) -> Passives:
    return Passives()
