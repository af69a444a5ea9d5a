"""Syllable counts on words with known counts, including the cases pyphen alone gets wrong."""

import pytest

from opencomms.nlp.syllables import syllables

KNOWN = {
    "economie": 4, "overheid": 3, "idee": 2, "radio": 3, "bioscoop": 3, "agenda": 3, "video": 3,
    "België": 3, "energie": 3, "opa": 2, "ideaal": 3, "ambtenaar": 3, "informatie": 4, "eerlijk": 2,
    "aanspreekbaar": 3, "communicatie": 5, "uitgangspunten": 4, "ministerie": 4, "ook": 1, "oorlog": 2,
    "euro": 2, "uur": 1, "auto": 2, "eigenlijk": 3, "onderzoek": 3, "organisatie": 5, "politie": 3,
    "zee": 1, "geïnformeerd": 4, "coöperatie": 5, "museum": 3, "theater": 3, "januari": 4, "beleid": 2,
    "maatregelen": 4, "uitvoering": 3, "iedereen": 3, "situatie": 4, "ei": 1, "e-mail": 2, "nieuw": 1,
    "mooi": 1, "koeien": 2, "kabinet": 3, "Rijksoverheid": 4, "derhalve": 3, "bewerkstelligen": 5,
    "rijbewijs": 3, "ziekenhuis": 3, "zorgverzekering": 5,
}


@pytest.mark.parametrize("word,count", sorted(KNOWN.items()))
def test_known_counts(word, count):
    assert syllables(word) == count


def test_no_letters():
    assert syllables("2024") == 0


def test_patterns_from_the_cache_hyphenate_as_parsed_ones(tmp_path, monkeypatch):
    import pyphen

    from opencomms.nlp import syllables as module
    from opencomms.resources import CACHE_ENV

    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    path = pyphen.LANGUAGES[pyphen.language_fallback("nl_NL")]
    monkeypatch.delitem(pyphen.hdcache, path, raising=False)
    parsed = module._hyphenator()  # parses and writes the cache
    assert list((tmp_path / "pyphen").iterdir())
    monkeypatch.delitem(pyphen.hdcache, path)
    cached = module._hyphenator()
    assert cached.hd is not parsed.hd and cached.hd.patterns == parsed.hd.patterns
    for word in [*KNOWN, "lettergrepen", "zorgverzekeringswet", "conformiteitsbeoordeling"]:
        assert cached.positions(word) == parsed.positions(word)
