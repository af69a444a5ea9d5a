"""Rule kinds: one module per kind, one line each in ``KINDS``.

A kind module has ``FIELDS`` (JSON-schema properties of its own fields), ``REQUIRED``, ``VARS`` (message
placeholders it fills) and a ``Check(spec, ctx)`` class with ``needs`` and ``run(doc)`` yielding Hits.
"""

from opencomms.checks import (
    abbreviation,
    conditional,
    consistency,
    existence,
    key_message,
    metric,
    occurrence,
    pattern,
    substitution,
)

KINDS = {
    "existence": existence,
    "substitution": substitution,
    "pattern": pattern,
    "metric": metric,
    "occurrence": occurrence,
    "conditional": conditional,
    "consistency": consistency,
    "abbreviation": abbreviation,
    "key-message": key_message,
}
