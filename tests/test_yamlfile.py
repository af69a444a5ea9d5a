"""The YAML cache: the same data, positions and errors as parsing, for exactly the text it was made from."""

from __future__ import annotations

import pytest

from opencomms import lexicons, yamlfile
from opencomms.resources import CACHE_ENV
from opencomms.errors import ConfigError
from opencomms.resources import LEXICONS_DIR

LEXICON = """name: huiswoorden
title: Huiswoorden
purpose: test
source: eigen
licence: CC0
entries:
  - term: derhalve
    alternatives: [daarom]
  - term: thans
    alternatives: [nu]
"""


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


def _load_valid(path):
    located = yamlfile.load(path)
    yamlfile.validate(located, lexicons.SCHEMA)
    return located


def test_a_validated_file_comes_back_from_the_cache_with_the_same_data_and_positions(cache, tmp_path):
    path = tmp_path / "huiswoorden.yaml"
    path.write_text(LEXICON, encoding="utf-8")
    first = _load_valid(path)
    assert len(list((cache / "yaml").iterdir())) == 1
    second = yamlfile.load(path)
    assert second.cached is not None and second.cached.schemas  # read from the cache, schema passed
    parsed = yamlfile.load_text(LEXICON, str(path))
    assert second.data == first.data == parsed.data
    assert second.marks == parsed.marks
    assert second.where(["entries", 1, "term"]) == f"{path}:9:5"
    yamlfile.validate(second, lexicons.SCHEMA)  # passes without validating again


def test_the_bundled_word_lists_are_the_same_from_the_cache(cache):
    for path in sorted(LEXICONS_DIR.glob("*.yaml")):
        parsed = yamlfile.load_text(path.read_text(encoding="utf-8"), str(path))
        _load_valid(path)
        again = yamlfile.load(path)
        assert again.cached is not None
        assert (again.data, again.marks) == (parsed.data, parsed.marks)


def test_an_invalid_file_is_never_marked_and_gives_the_same_error_every_time(cache, tmp_path):
    path = tmp_path / "huiswoorden.yaml"
    path.write_text(LEXICON.replace("alternatives: [nu]", "kleur: rood"), encoding="utf-8")
    errors = []
    for _ in range(2):
        with pytest.raises(ConfigError) as exc:
            _load_valid(path)
        errors.append(str(exc.value))
    assert errors[0] == errors[1]
    assert errors[0].startswith(f"{path}:10:5: entries.1.kleur: unknown field")
    assert not (cache / "yaml").exists()


def test_a_changed_file_is_parsed_again(cache, tmp_path):
    path = tmp_path / "huiswoorden.yaml"
    path.write_text(LEXICON, encoding="utf-8")
    _load_valid(path)
    path.write_text(LEXICON.replace("alternatives: [nu]", "kleur: rood"), encoding="utf-8")
    located = yamlfile.load(path)
    assert located.data["entries"][1] == {"term": "thans", "kleur": "rood"}
    with pytest.raises(ConfigError, match="unknown field"):
        yamlfile.validate(located, lexicons.SCHEMA)


def test_a_damaged_entry_is_ignored_and_replaced(cache, tmp_path):
    path = tmp_path / "huiswoorden.yaml"
    path.write_text(LEXICON, encoding="utf-8")
    _load_valid(path)
    (entry,) = (cache / "yaml").iterdir()
    entry.write_bytes(b"\x00 niet marshal")
    located = yamlfile.load(path)
    assert located.data["entries"][0]["term"] == "derhalve"
    yamlfile.validate(located, lexicons.SCHEMA)
    assert yamlfile.load(path).cached.schemas


def test_an_empty_cache_setting_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, "")
    path = tmp_path / "huiswoorden.yaml"
    path.write_text(LEXICON, encoding="utf-8")
    assert _load_valid(path).cached is None
    assert yamlfile.load(path).cached is None


def test_rules_validate_reports_a_rule_error_the_same_with_a_warm_cache(cli, tmp_path):
    rules = tmp_path / "regels" / "eigen"
    rules.mkdir(parents=True)
    (rules / "geen-wij.yaml").write_text(
        "id: eigen.geen-wij\nkind: existence\nprinciple: aanspreekbaar\ncategory: polarisation\nlevel: warning\n"
        "message: \"{onbekend}\"\ndescription: test\nscope: sentence\nneeds: []\ntokens: [wij]\n"
        "examples: {match: [a, b], no_match: [c, d]}\n", encoding="utf-8")
    env = {CACHE_ENV: str(tmp_path / "cache")}
    first = cli("rules", "validate", tmp_path / "regels", env=env)
    second = cli("rules", "validate", tmp_path / "regels", env=env)
    assert first.returncode == second.returncode == 2
    assert first.stderr == second.stderr
    assert "geen-wij.yaml:6:" in first.stderr.decode() and "placeholder" in first.stderr.decode()
    assert list((tmp_path / "cache" / "yaml").iterdir())  # the file passed its schema: it is cached
