"""The report of one run: every document's result, the failures, and the exit code they lead to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from opencomms import __version__
from opencomms.finding import Level

if TYPE_CHECKING:  # the CLI imports this module; spaCy is loaded only when a command needs it
    from opencomms.engine import Result

SCHEMA_ID = "opencomms/report/v1"


def amount(n: int, one: str, many: str, number=str) -> str:
    """'1 fout', '3 fouten': a count with its noun in Dutch number agreement (the reader sees it); ``number``
    writes the count (:func:`nl` for the audit's '12.345')."""
    return f"{number(n)} {one if n == 1 else many}"


def nl(number, decimals: int = 0) -> str:
    """A number the Dutch way: 12.345,6 ('–' for none)."""
    if number is None:
        return "–"
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


EXIT_OK = 0
EXIT_FAIL = 1
EXIT_ERROR = 2


@dataclass
class Failure:
    path: str
    message: str

    def to_dict(self) -> dict:
        return {"path": self.path, "error": self.message}


@dataclass
class Report:
    results: list[Result]
    pipeline: dict
    failures: list[Failure] = field(default_factory=list)
    fail_on: str = "error"
    fail_under: float | None = None
    across: list | None = None  # concepts named differently across the documents (check --across)

    def checked(self) -> str:
        """'1 document gecontroleerd', '3 documenten gecontroleerd'."""
        return f"{amount(len(self.results), 'document', 'documenten')} gecontroleerd"

    def tally(self) -> str:
        """'1 fout, 10 waarschuwingen, 1 suggestie' (and the unreadable files, if any)."""
        counts = {level: sum(1 for r in self.results for f in r.findings if f.level == level) for level in Level}
        text = (f"{amount(counts[Level.error], 'fout', 'fouten')}, "
                f"{amount(counts[Level.warning], 'waarschuwing', 'waarschuwingen')}, "
                f"{amount(counts[Level.suggestion], 'suggestie', 'suggesties')}")
        if self.failures:
            text += f"; {amount(len(self.failures), 'bestand', 'bestanden')} niet te lezen"
        return text

    def exit_code(self) -> int:
        if self.failures:
            return EXIT_ERROR
        threshold = None if self.fail_on == "never" else Level.parse(self.fail_on)
        for result in self.results:
            if threshold is not None and any(f.level >= threshold for f in result.findings):
                return EXIT_FAIL
            score = result.scores.get("score")
            if self.fail_under is not None and score is not None and score < self.fail_under:
                return EXIT_FAIL
        return EXIT_OK

    def to_dict(self) -> dict:
        return {
            "schema": SCHEMA_ID,
            "tool": {"name": "opencomms", "version": __version__},
            "pipeline": {"model": self.pipeline.get("model"), "version": self.pipeline.get("version"),
                         "capabilities": self.pipeline.get("capabilities", [])},
            "documents": [document_dict(r) for r in self.results],
            "errors": [f.to_dict() for f in self.failures],
            **({"across": self.across} if self.across is not None else {}),
            "summary": {
                "documents": len(self.results),
                "failed": len(self.failures),
                "findings": {level.name: sum(1 for r in self.results for f in r.findings if f.level == level)
                             for level in Level},
            },
        }


def document_dict(result: Result) -> dict:
    metrics = result.metrics or {}
    return {
        "path": result.source.path,
        "format": result.source.format,
        "profile": result.profile,
        "words": metrics.get("words", 0),
        "sentences": metrics.get("sentences", 0),
        "score": result.scores.get("score"),
        "principles": result.scores.get("principles", []),
        "metrics": metrics,
        "skipped_rules": [s.to_dict() for s in result.skipped],
        "findings": [f.to_dict() for f in result.findings],
        "checklist": result.checklist,
    }
