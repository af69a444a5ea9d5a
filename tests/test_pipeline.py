"""The Dutch pipeline: sentence boundaries around abbreviations and blocks, readability features, the parse."""

from __future__ import annotations

import json

import pytest

from opencomms.nlp import pipeline
from opencomms.readers import markdown, text


def _doc(checker, raw: str, reader=text):
    source = reader.parse(raw.encode("utf-8"), "t")
    return checker.nlp(pipeline.make_doc(checker.nlp, source))


ABBREVIATION_TEXT = (
    "Dit geldt o.a. voor dhr. Jansen en mevr. De Vries, bijv. op 3 jan. 2024 i.v.m. de wet, m.b.t. art. 4 "
    "t.a.v. prof. dr. ir. Smit d.d. 12 febr. jl. en z.s.m. daarna. Tweede zin staat hier."
)


@pytest.mark.parametrize("model", [None, "blank"])
def test_abbreviations_do_not_end_sentences(model):
    nlp = pipeline.load(model)
    doc = nlp(pipeline.make_doc(nlp, text.parse(ABBREVIATION_TEXT.encode(), "t")))
    sentences = [s.text.strip() for s in doc.sents if s.text.strip()]
    assert len(sentences) == 2, sentences
    assert sentences[1] == "Tweede zin staat hier."


@pytest.mark.parametrize("model", [None, "blank"])
def test_ordinary_words_and_acronyms_do_end_sentences(model):
    nlp = pipeline.load(model)
    raw = "Uw aanvraag gaat naar de IND. Dat weet ik al. Ik doe mijn best. Wij danken u. Klaar."
    doc = nlp(pipeline.make_doc(nlp, text.parse(raw.encode(), "t")))
    assert len([s for s in doc.sents if s.text.strip()]) == 5


@pytest.mark.parametrize("model", [None, "blank"])
def test_quotes_stay_with_their_sentence(model):
    nlp = pipeline.load(model)
    raw = 'Minister De Vries zei: "Wonen moet betaalbaar blijven." Daarna ging het debat verder.'
    doc = nlp(pipeline.make_doc(nlp, text.parse(raw.encode(), "t")))
    assert [s.text for s in doc.sents] == ['Minister De Vries zei: "Wonen moet betaalbaar blijven."',
                                           "Daarna ging het debat verder."]


@pytest.mark.parametrize("model", [None, "blank"])
def test_sentence_starts_without_a_full_stop_and_a_capital(model):
    """Converted text loses line breaks and writers slip: a number after a full stop, a lower-case word after
    '?', a sentence opener after a heading or an initial still start a sentence; names and titles do not."""
    nlp = pipeline.load(model)
    raw = ("We testten het formulier. 5 inwoners gebruikten een laptop. Werkt het al? dan kunt u zich aanmelden. "
           "Knop B. Een kleiner aantal koos de andere knop. Plannen voor de acute vraag Deze plannen starten vroeg. "
           "Doelen zonder taak Er ontstaat een lijst. Hij las Het Parool en sprak met J. Een Jansen van het team Wij Zijn Er.")
    doc = nlp(pipeline.make_doc(nlp, text.parse(raw.encode(), "t")))
    assert [s.text.strip() for s in doc.sents] == [
        "We testten het formulier.", "5 inwoners gebruikten een laptop.", "Werkt het al?", "dan kunt u zich aanmelden.",
        "Knop B.", "Een kleiner aantal koos de andere knop.", "Plannen voor de acute vraag", "Deze plannen starten vroeg.",
        "Doelen zonder taak", "Er ontstaat een lijst.", "Hij las Het Parool en sprak met J. Een Jansen van het team Wij Zijn Er."]


def test_blocks_force_sentence_starts(checker):
    doc = _doc(checker, "# Kop zonder punt\n\nEerste zin van de alinea. Tweede zin.\n\n- punt een\n- punt twee\n", markdown)
    sentences = [s.text.strip() for s in doc.sents if s.text.strip()]
    assert sentences == ["Kop zonder punt", "Eerste zin van de alinea.", "Tweede zin.", "punt een", "punt twee"]


def test_readability_features_on_real_text(checker):
    doc = _doc(checker, "Betaalt u huur? Dan krijgt u misschien huurtoeslag. Dat is geld voor de economie van uw huishouden.")
    feats = doc._.oc_readability
    assert feats["words"] == 17 and feats["sentences"] == 3
    assert feats["words_per_sentence"] == pytest.approx(17 / 3, abs=0.01)
    assert 1.2 < feats["syllables_per_word"] < 2.0
    assert feats["flesch_douma"] == pytest.approx(206.84 - 0.93 * feats["words_per_sentence"] - 77 * feats["syllables_per_word"], abs=0.2)
    # LiNT-style features come from the parse of the bundled model
    assert feats["words_per_clause"] is not None and feats["max_dependency_length"] is not None
    assert feats["level"] in (1, 2)
    per_sentence = doc._.oc_sentences
    assert [s["words"] for s in per_sentence if s["words"]] == [3, 5, 9]


def test_bundled_model_is_used_and_parses(checker):
    info = checker.pipeline_info()
    assert info["model"] == "nl_opencomms"
    assert {"pos", "lemma", "dep", "morph"} <= set(info["capabilities"])
    doc = checker.nlp("Uw aanvraag wordt binnen acht weken beoordeeld.")
    assert any(t.dep_ == "aux:pass" for t in doc)
    assert [t.lemma_.lower() for t in doc][:3] == ["uw", "aanvraag", "worden"]


def test_fallback_reports_skipped_rules(cli, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Uw aanvraag wordt binnen acht weken beoordeeld.\n", encoding="utf-8")
    doc = json.loads(cli("check", f, "--model", "blank", "--format", "json").stdout)["documents"][0]
    skipped = {s["rule"]: s["reason"] for s in doc["skipped_rules"]}
    assert "begrijpelijk.passive" in skipped and "dep" in skipped["begrijpelijk.passive"]
    out = cli("check", f, "--model", "blank").stdout.decode()
    assert "overgeslagen: begrijpelijk.passive" in out


def test_batches_by_tokens_give_the_same_results_as_one_by_one(checker):
    """Checker.run closes a batch at MAX_BATCH_TOKENS as well as at batch_size: same findings either way."""
    from pathlib import Path

    from opencomms import readers
    from opencomms.runner import MAX_BATCH_TOKENS

    examples = sorted(Path(__file__).parent.parent.glob("examples/*.*"))
    sources = [readers.read(p) for p in examples]
    long_text = "\n\n".join(s.text for s in sources)
    copies = -(-MAX_BATCH_TOKENS // len(checker.nlp.make_doc(long_text))) + 1
    sources.insert(1, text.parse(("\n\n".join([long_text] * copies)).encode("utf-8"), "lang.txt"))
    assert len(pipeline.make_doc(checker.nlp, sources[1])) > MAX_BATCH_TOKENS

    def key(result):
        return [(f.rule, f.line, f.column, f.message) for f in result.findings], result.scores

    batched = [key(r) for r in checker.run(sources, batch_size=3)]
    alone = [key(checker.check_one(s)) for s in sources]
    assert batched == alone
    assert batched[1][0] and batched[0][0]  # the long text and the 1985 letter have findings
