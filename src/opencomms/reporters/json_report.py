"""``--format json``: the versioned report contract ``opencomms/report/v1`` (see README)."""

from __future__ import annotations

import json


def render(report, stream, color: bool = False) -> None:
    json.dump(report.to_dict(), stream, ensure_ascii=False, indent=2)
    stream.write("\n")
