"""Readability features per sentence and per document, computed from our own segmentation.

Plain features (always): words per sentence, syllables per word, Flesch-Douma and Leesindex A (Brouwer)
as legacy indicators, share of long words, share of infrequent content words (familiarity: wordfreq Zipf, compounds by their parts).
Features that need the parse (LiNT-style, when the pipeline has them): words per clause (a clause is a
finite verb), content words per finite verb, and the mean over sentences of the longest dependency.
"""

from __future__ import annotations

from spacy.lang.nl.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span, Token

from opencomms.nlp.syllables import syllables
from opencomms.nlp.words import familiarity

ZIPF_INFREQUENT = 3.0  # below this Zipf frequency a content word counts as infrequent
LONG_WORD_LETTERS = 13  # a word of this many letters or more counts as long
CONTENT_POS = {"NOUN", "VERB", "ADJ", "ADV"}


def is_word(token: Token) -> bool:
    return not token.is_space and not token.is_punct and any(c.isalnum() for c in token.text)


def is_finite_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and "Fin" in token.morph.get("VerbForm")


def is_content_word(token: Token, has_pos: bool) -> bool:
    if not token.is_alpha or token.lower_ in STOP_WORDS:
        return False
    if has_pos:
        return token.pos_ in CONTENT_POS
    return True


def sentence_features(sent: Span, has_pos: bool, has_dep: bool) -> dict:
    words = [t for t in sent if is_word(t)]
    n = len(words)
    syl = sum(syllables(t.text) for t in words)
    content = [t for t in words if is_content_word(t, has_pos)]
    feats = {
        "start": sent.start_char,
        "end": sent.end_char,
        "words": n,
        "syllables": syl,
        "long_words": sum(1 for t in words if sum(c.isalpha() for c in t.text) >= LONG_WORD_LETTERS),
        "content_words": len(content),
        "infrequent_words": sum(1 for t in content if (not has_pos or t.pos_ != "PROPN") and familiarity(t.lower_) < ZIPF_INFREQUENT),
        "finite_verbs": None,
        "max_dependency_length": None,
    }
    if has_pos:
        feats["finite_verbs"] = sum(1 for t in sent if is_finite_verb(t))
    if has_dep:
        lengths = [abs(t.i - t.head.i) for t in sent if is_word(t) and t.head is not t]
        feats["max_dependency_length"] = max(lengths, default=0)
    return feats


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if b else None


def document_features(sentences: list[dict], paragraphs: int) -> dict:
    """Aggregate per-sentence features to the document level (only sentences with words count)."""
    sents = [s for s in sentences if s["words"]]
    words = sum(s["words"] for s in sents)
    syl = sum(s["syllables"] for s in sents)
    wps = words / len(sents) if sents else 0.0
    spw = syl / words if words else 0.0
    content = sum(s["content_words"] for s in sents)
    feats: dict = {
        "words": words,
        "sentences": len(sents),
        "paragraphs": paragraphs,
        "words_per_sentence": round(wps, 2),
        "syllables_per_word": round(spw, 3),
        "flesch_douma": round(206.84 - 0.93 * wps - 77 * spw, 1) if words else None,
        "leesindex_a": round(195 - 2 * wps - 66.7 * spw, 1) if words else None,
        "long_word_share": _ratio(sum(s["long_words"] for s in sents), words),
        "infrequent_word_share": _ratio(sum(s["infrequent_words"] for s in sents), content),
        "words_per_clause": None,
        "content_words_per_finite_verb": None,
        "max_dependency_length": None,
    }
    if sents and sents[0]["finite_verbs"] is not None:
        clauses = sum(max(s["finite_verbs"], 1) for s in sents)
        finite = sum(s["finite_verbs"] for s in sents)
        feats["words_per_clause"] = _ratio(words, clauses)
        feats["content_words_per_finite_verb"] = _ratio(content, finite)
    if sents and sents[0]["max_dependency_length"] is not None:
        feats["max_dependency_length"] = round(sum(s["max_dependency_length"] for s in sents) / len(sents), 2)
    return feats


# Our own LiNT-style level (1 = easy, about B1; 4 = very hard): each feature scores 0-3 against these
# limits, the level is 1 + the mean rounded half up (Python's round() would take 0.5 down but 1.5 up).
# Tuned on plain-language web texts (level 1-2) and formal letters (3-4); see README "Readability level".
LEVEL_LIMITS = {
    "words_per_clause": (8, 10, 13),
    "words_per_sentence": (12, 16, 22),
    "long_word_share": (0.04, 0.07, 0.11),
    "infrequent_word_share": (0.05, 0.10, 0.18),
    "max_dependency_length": (5, 7, 9),
}


def readability_level(feats: dict) -> int | None:
    points = []
    for key, limits in LEVEL_LIMITS.items():
        value = feats.get(key)
        if key == "words_per_sentence" and feats.get("words_per_clause") is not None:
            continue  # clauses say more than sentences when the parse is there
        if value is None:
            continue
        points.append(sum(1 for limit in limits if value > limit))
    if not points or not feats.get("words"):
        return None
    return 1 + int(sum(points) / len(points) + 0.5)


def analyse(doc: Doc, has_pos: bool, has_dep: bool) -> None:
    sentences = [sentence_features(sent, has_pos, has_dep) for sent in doc.sents]
    doc._.oc_sentences = sentences
    feats = document_features(sentences, len(doc._.oc_blocks or ()) or 1)
    feats["level"] = readability_level(feats)
    doc._.oc_readability = feats
