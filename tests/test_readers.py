"""Readers: decoding, masking of non-prose, blocks, and exact positions in the source file."""

from __future__ import annotations

import codecs

import pytest

from opencomms.errors import InputError
from opencomms.readers import markdown, text


def test_plain_text_utf8_bom_and_cp1252():
    s = text.parse(codecs.BOM_UTF8 + "Één zin.".encode("utf-8"), "a.txt")
    assert s.text == "Één zin." and s.encoding == "utf-8-sig"
    s = text.parse("Café en één.".encode("cp1252"), "b.txt")
    assert s.text == "Café en één." and s.encoding == "cp1252"


def test_binary_is_refused():
    with pytest.raises(InputError, match="binary"):
        text.parse(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "x.md")


def test_plain_text_blocks_and_urls():
    s = text.parse(b"Kop\n\nEerste alinea, zie https://www.rijksoverheid.nl/a.\n- punt een\n- punt twee\n", "a.txt")
    assert [s.text[b.start:b.end] for b in s.blocks] == [
        "Kop",
        "Eerste alinea, zie https://www.rijksoverheid.nl/a.",
        "punt een",
        "punt twee",
    ]
    assert "rijksoverheid" not in s.checked
    assert len(s.checked) == len(s.text)


def test_plain_text_heading_without_blank_line_is_its_own_block():
    s = text.parse(
        b"Advies\nCommuniceer met omwonenden volgens een vaste tijdlijn en bied hen de kans om zelf te reageren.\n"
        b"De rode draad: informeer al vroeg.\nWat verandert er voor u\n"
        b"Vanaf 1 juli 2026 betaalt u minder eigen risico als u vaak naar de huisarts gaat.\n",
        "a.txt",
    )
    assert [(s.text[b.start:b.end], b.kind) for b in s.blocks] == [
        ("Advies", "heading"),
        (
            "Communiceer met omwonenden volgens een vaste tijdlijn en bied hen de kans om zelf te reageren.\n"
            "De rode draad: informeer al vroeg.",
            "paragraph",
        ),
        ("Wat verandert er voor u", "heading"),
        ("Vanaf 1 juli 2026 betaalt u minder eigen risico als u vaak naar de huisarts gaat.", "paragraph"),
    ]


@pytest.mark.parametrize(
    "wrapped",
    [
        # lines that end mid-sentence: the next one starts with a lower-case word, a name, or the line ends on
        # a function word
        "Het kabinet heeft besloten dat de regeling voor\nhuurtoeslag in 2027 eenvoudiger wordt.",
        "De gemeente Den Haag heeft in maart met Erwin\nJansen gesproken over zijn aanvraag.",
        "Het besluit is genomen door de minister van\nVolksgezondheid en door de staatssecretaris.",
        "Wie vragen heeft, kan bellen met\nDigiD of met de gemeente.",
    ],
)
def test_plain_text_hard_wrapped_paragraph_is_not_split(wrapped):
    s = text.parse(wrapped.encode(), "a.txt")
    assert [(s.text[b.start:b.end], b.kind) for b in s.blocks] == [(wrapped, "paragraph")]


MD = """---
title: Test
profile: webtekst
---
# Kop ##

Tekst met **vet** en `code derhalve`. Zie &amp; [de link](http://a.b "t") <!-- derhalve -->
Volgende regel https://www.rijksoverheid.nl/x.

- item een
- item twee

| kolom a | kolom b |
|---|---|
| cel *c* | cel d |

> citaat

```
derhalve in code
```
"""


def test_markdown_masks_everything_but_prose():
    s = markdown.parse(MD.encode(), "a.md")
    assert s.metadata == {"title": "Test", "profile": "webtekst"}
    assert len(s.checked) == len(s.text)
    assert "derhalve" not in s.checked  # code span, comment and fence are not checked
    assert "http" not in s.checked and "title" not in s.checked
    blocks = [s.checked[b.start:b.end] for b in s.blocks]
    assert blocks[0] == "Kop"
    assert "Tekst met   vet   en" in blocks[1] and "de link" in blocks[1]
    assert "item een" in blocks and "item twee" in blocks
    assert {"kolom a", "kolom b", "cel  c", "cel d", "citaat"} <= set(blocks)


def test_positions_are_source_positions():
    s = markdown.parse(MD.encode(), "a.md")
    offset = s.text.index("Volgende")
    line, column = s.position(offset)
    assert s.line_text(line)[column - 1:].startswith("Volgende")
    assert (line, column) == (8, 1)


def test_invalid_front_matter_names_the_line():
    with pytest.raises(InputError) as info:
        markdown.parse(b"---\ntitle: [unclosed\n---\nTekst.\n", "bad.md")
    assert "bad.md:" in str(info.value) and "front matter" in str(info.value)
