"""key-message: which of the agreed key messages a text carries, in the writer's own words.

``file`` points to a ``kernboodschappen.yaml`` (set it with ``key_messages:`` in the configuration)::

    topics:
      - topic: Huurtoeslag 2027
        messages:
          - id: hoger
            text: De huurtoeslag gaat in 2027 omhoog voor huishoudens met een laag inkomen.
            terms: [huurtoeslag, omhoog, laag inkomen]

A message counts as carried when one paragraph covers enough of it: 60 % weight on its key ``terms``
(matched on lemma, so inflections count) and 40 % on the content words of its ``text``; the best
paragraph must reach ``min_overlap`` (default 0.5). Missing messages are findings; the coverage of every
message is added to the document's metrics as ``key_messages``. Placeholders: ``{topic}``, ``{text}``.
"""

from __future__ import annotations

from pathlib import Path

from spacy.lang.nl.stop_words import STOP_WORDS

from opencomms import yamlfile
from opencomms.checks.base import Hit, text_of, units
from opencomms.checks.terms import Terms

_MESSAGE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["text"],
    "properties": {
        "id": {"type": "string"},
        "text": {"type": "string", "minLength": 1},
        "terms": {"type": "array", "items": {"type": "string"}},
    },
}
SCHEMA_TOPICS = {
    "type": "array",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["topic", "messages"],
        "properties": {"topic": {"type": "string"}, "messages": {"type": "array", "items": _MESSAGE}},
    },
}
SCHEMA = {"type": "object", "additionalProperties": False, "required": ["topics"], "properties": {"topics": SCHEMA_TOPICS}}

FIELDS = {
    "file": {"type": "string"},
    "topics": SCHEMA_TOPICS,
    "min_overlap": {"type": "number", "minimum": 0, "maximum": 1},
}
REQUIRED: list[str] = []
VARS = {"topic", "text"}


def _content_words(text: str) -> list[str]:
    return sorted({w for w in (p.strip(".,;:!?'\"()").lower() for p in text.split()) if w.isalpha()
                   and w not in STOP_WORDS and len(w) > 2})


class Check:
    def __init__(self, spec: dict, ctx):
        self.spec = spec
        self.needs: set[str] = {"lemma"}
        self.scope = spec["scope"]
        self.min_overlap = spec.get("min_overlap", 0.5)
        self.messages = []
        topics = spec.get("topics", [])
        if spec.get("file"):
            located = yamlfile.load(Path(spec["file"]))
            yamlfile.validate(located, SCHEMA)
            topics = located.data["topics"]
        for topic in topics:
            for i, message in enumerate(topic["messages"]):
                words = _content_words(message["text"])
                self.messages.append({
                    "topic": topic["topic"],
                    "id": message.get("id", f"{topic['topic']}-{i + 1}"),
                    "text": message["text"],
                    "terms": [Terms({"tokens": [t], "match": "lemma"}) for t in message.get("terms", [])],
                    "words": Terms({"tokens": words, "match": "lemma"}) if words else None,
                    "n_words": len(words),
                })

    def _coverage(self, doc, start: int, end: int, message: dict) -> float:
        terms = message["terms"]
        term_share = sum(1 for t in terms if t.find(doc, start, end)) / len(terms) if terms else None
        word_share = None
        if message["words"] is not None:
            found = {text_of(doc)[h.start:h.end].lower() for h in message["words"].find(doc, start, end)}
            word_share = min(1.0, len(found) / message["n_words"])
        if term_share is None:
            return word_share or 0.0
        if word_share is None:
            return term_share
        return 0.6 * term_share + 0.4 * word_share

    def run(self, doc):
        if not self.messages:
            return
        u = units(doc)
        report = []
        for message in self.messages:
            best, where = 0.0, None
            for start, end in u.paragraphs:
                score = self._coverage(doc, start, end, message)
                if score > best:
                    best, where = score, (start, end)
            carried = best >= self.min_overlap
            report.append({"topic": message["topic"], "id": message["id"], "text": message["text"],
                           "carried": carried, "coverage": round(best, 2),
                           "offset": where[0] if carried and where else None})
            if not carried:
                a, b = u.first_words()
                yield Hit(a, b, {"topic": message["topic"], "text": message["text"], "match": text_of(doc)[a:b]})
        doc.user_data["oc_key_messages"] = report
