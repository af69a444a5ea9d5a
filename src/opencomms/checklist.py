"""The writer's checklist: points of the principles that no rule can judge (``rules/checklist.yaml``)."""

from __future__ import annotations

from functools import lru_cache

from opencomms import yamlfile
from opencomms.principles import ASPECTS
from opencomms.resources import RULES_DIR

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["items"],
    "properties": {
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["principle", "heading", "question"],
                "properties": {
                    "principle": {"enum": list(ASPECTS)},
                    "heading": {"type": "string"},
                    "question": {"type": "string"},
                    "profiles": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}


@lru_cache(maxsize=1)
def _items() -> tuple[dict, ...]:
    path = RULES_DIR / "checklist.yaml"
    if not path.is_file():
        return ()
    located = yamlfile.load(path)
    yamlfile.validate(located, SCHEMA)
    return tuple(located.data["items"])


def for_profile(profile: str) -> list[dict]:
    return [
        {"principle": i["principle"], "heading": i["heading"], "question": i["question"]}
        for i in _items()
        if not i.get("profiles") or profile in i["profiles"]
    ]
