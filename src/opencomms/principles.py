"""The five scored aspects, grouped under the three cabinet principles (Uitgangspunten 2024)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Aspect:
    id: str
    title: str  # Dutch, shown to the writer
    principle: str  # roman numeral of the cabinet principle
    principle_title: str
    heading: str  # the heading in the source document this aspect rests on


ASPECTS: dict[str, Aspect] = {
    a.id: a
    for a in (
        Aspect(
            "eerlijk-feitelijk",
            "Eerlijk en feitelijk",
            "I",
            "Eerlijk, feitelijk en duidelijk informeren",
            "Eerlijk en realistisch",
        ),
        Aspect(
            "begrijpelijk",
            "Begrijpelijk",
            "I",
            "Eerlijk, feitelijk en duidelijk informeren",
            "Begrijpelijke informatie",
        ),
        Aspect(
            "dilemmalogica",
            "Wat we wel en niet weten",
            "I",
            "Eerlijk, feitelijk en duidelijk informeren",
            "Eerlijk en realistisch (dilemmalogica)",
        ),
        Aspect(
            "aanspreekbaar",
            "Aanspreekbaar",
            "II",
            "Aanspreekbaar en aandacht voor iedereen",
            "Direct contact",
        ),
        Aspect(
            "een-stem",
            "Eén stem",
            "III",
            "Eenheid om het verschil te maken",
            "Afstemming om in eigen woorden dezelfde boodschap te brengen",
        ),
    )
}

CATEGORIES: dict[str, str] = {
    "officialese": "ambtelijke taal",
    "difficult-word": "moeilijk woord",
    "long-sentence": "lange zin",
    "long-paragraph": "lange alinea",
    "passive": "lijdende vorm",
    "nominalisation": "naamwoordstijl",
    "abbreviation": "afkorting",
    "anglicism": "Engels woord",
    "number-density": "veel getallen",
    "unsourced-claim": "bewering zonder bron",
    "absolute-claim": "absolute bewering",
    "vague": "vaag",
    "promotional": "wervende taal",
    "hedging": "stapeling van voorbehouden",
    "dilemma": "dilemma",
    "certainty": "zekerheid over de toekomst",
    "confidentiality": "vertrouwelijkheid",
    "address": "aanspreekvorm",
    "contact": "contact",
    "polarisation": "wij-zij-taal",
    "terminology": "terminologie",
    "key-message": "kernboodschap",
    "readability": "leesbaarheid",
    "suppression": "uitzondering",
}
