"""Scores 0-100 per aspect and overall, from findings weighted by level and normalised by length.

For each aspect::

    penalty = sum(weight[level] for findings in sentences and paragraphs) * 100 / max(words, 100)
            + sum(weight[level] * DOCUMENT_FACTOR for document-level findings)
    score   = round(100 * exp(-penalty / SCALE))

weights: suggestion 1, warning 3, error 8; DOCUMENT_FACTOR 2; SCALE 15. So one warning per 100 words
gives 82, one error per 100 words 59; a long text is not punished for being long. The overall score is
the mean of the aspects that had at least one rule run. The inputs are in the report.
"""

from __future__ import annotations

import math

from opencomms.finding import Level
from opencomms.principles import ASPECTS

WEIGHTS = {Level.suggestion: 1, Level.warning: 3, Level.error: 8}
DOCUMENT_FACTOR = 2
SCALE = 15


def score(result) -> dict:
    words = (result.metrics or {}).get("words", 0)
    norm = 100 / max(words, 100)
    active = {rule.principle for rule in result.rules}
    aspects = []
    for aspect_id, aspect in ASPECTS.items():
        findings = [f for f in result.findings if f.principle == aspect_id]
        counts = {level.name: sum(1 for f in findings if f.level == level) for level in Level}
        penalty = sum(WEIGHTS[f.level] * (DOCUMENT_FACTOR if f.scope == "document" else norm) for f in findings)
        value = round(100 * math.exp(-penalty / SCALE)) if aspect_id in active else None
        aspects.append({
            "id": aspect_id,
            "principle": aspect.principle,
            "title": aspect.title,
            "principle_title": aspect.principle_title,
            "score": value,
            "findings": counts,
            "penalty": round(penalty, 2),
        })
    scored = [a["score"] for a in aspects if a["score"] is not None]
    overall = round(sum(scored) / len(scored)) if scored else None
    return {"score": overall, "principles": aspects}
