"""Builds small archives of Dutch documents for the audit tests (our own sentences; no shared data).

Not a test module by itself: ``make_archive`` is imported by tests/test_audit.py and tests/test_audit_report.py.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

PLAIN = [
    "Vanaf 1 januari krijgt u de toeslag elke maand op uw rekening.",
    "Wij helpen u graag als u vragen heeft over de nieuwe regels.",
    "Bel ons op werkdagen tussen 9.00 en 17.00 uur.",
    "De gemeente maakt de straat in het voorjaar veilig voor fietsers.",
    "U hoeft niets te doen: wij passen uw gegevens zelf aan.",
    "Het kabinet wil dat meer mensen een betaalbaar huis vinden.",
    "We weten nog niet hoeveel woningen er precies bij komen.",
    "Lees op onze website wat de regeling voor u betekent.",
    "De minister praat volgende week met de provincies over de plannen.",
    "Heeft u een klacht? Stuur ons dan een bericht.",
]
OFFICIAL = [
    "Derhalve wordt u verzocht het formulier teneinde verdere vertraging te voorkomen per omgaande te retourneren.",
    "In het kader van de uitvoering van de regeling wordt door de gemeente middels een nader te bepalen procedure "
    "een besluit genomen ten aanzien van de aanvragen die in voorkomende gevallen aanvullend worden beoordeeld.",
    "Het is absoluut zeker dat deze maatregel altijd voor iedereen de beste oplossing is.",
    "Naar aanleiding van uw schrijven delen wij u mede dat uw verzoek thans in behandeling is genomen.",
    "Teneinde de dienstverlening te optimaliseren zal er een herijking van de processen plaatsvinden.",
    "De kosten bedragen 4,3 miljard euro en 72 procent van de burgers is tevreden.",
    "Ten behoeve van de implementatie wordt door het ministerie een integrale aanpak gehanteerd.",
]
ORGS = ["Ministerie van Binnenlandse Zaken", "Ministerie van Financiën", "Gemeente Utrecht", "Provincie Gelderland"]
TYPES = ["persbericht", "kamerbrief", "webtekst", "nieuwsbericht"]


def text_for(i: int, rng: random.Random) -> str:
    share = (i % 5) / 5  # documents range from plain to officialese
    paragraphs = []
    for _ in range(rng.randint(2, 4)):
        sentences = [rng.choice(OFFICIAL) if rng.random() < share else rng.choice(PLAIN) for _ in range(rng.randint(2, 5))]
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def make_archive(root: Path, n: int = 24, seed: int = 7, bad: bool = True) -> dict:
    """``n`` documents (Markdown with front matter, and plain text described by index.csv), plus two bad ones.

    Returns {"root", "index", "good", "bad"}.
    """
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    index_rows = []
    for i in range(n):
        org, kind = ORGS[i % len(ORGS)], TYPES[(i // 2) % len(TYPES)]
        year, month = 2019 + i % 6, 1 + (i * 5) % 12
        folder = root / f"{year}"
        folder.mkdir(exist_ok=True)
        title = f"Bericht {i + 1} over de nieuwe regels"
        body = text_for(i, rng)
        if i % 3 == 0:
            path = folder / f"bericht-{i + 1:03d}.txt"
            path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
            index_rows.append({"file": path.relative_to(root).as_posix(), "organisatie": org, "soort": kind,
                               "datum": f"{year}-{month:02d}-15", "titel": title})
        else:
            path = folder / f"bericht-{i + 1:03d}.md"
            path.write_text(
                f"---\ntitle: \"{title}\"\ndate: {year}-{month:02d}-{1 + i % 27:02d}\norganisation: {org}\n"
                f"type: {kind}\n---\n\n# {title}\n\n{body}\n",
                encoding="utf-8",
            )
    bad_files = []
    if bad:
        binary = root / "kapot" / "binair.txt"
        binary.parent.mkdir(exist_ok=True)
        binary.write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
        hostile = root / "kapot" / "voorwerk.md"
        hostile.write_text("---\ntitle: [niet afgesloten\n---\n\nTekst.\n", encoding="utf-8")
        bad_files = [binary, hostile]
    index = root / "index.csv"
    with index.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", "organisatie", "soort", "datum", "titel"])
        writer.writeheader()
        writer.writerows(index_rows)
    (root / "index.json").write_text(json.dumps(index_rows, ensure_ascii=False), encoding="utf-8")
    return {"root": root, "index": index, "good": n, "bad": len(bad_files)}
