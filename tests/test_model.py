"""The bundled model as spaCy loads it, its compound lemmas, and the organisation entities opencomms adds."""

from __future__ import annotations

import subprocess
import sys

import pytest
from spacy.tokens import Doc

from opencomms.nlp import pipeline
from opencomms.readers import text


def _doc(nlp, raw: str):
    return nlp(pipeline.make_doc(nlp, text.parse(raw.encode("utf-8"), "t")))


def test_plain_spacy_load_in_a_fresh_process_finds_the_opencomms_parts(tmp_path):
    # no opencomms import: the factories and the tokenizer come from the package's entry points
    code = (
        "import spacy, sys; nlp = spacy.load(sys.argv[1]); doc = nlp('Het basisniveau van de vrouwentoernooien.');"
        "print(*nlp.pipe_names[-2:], len(nlp.tokenizer.rules), [t.lemma_ for t in doc][1], [t.lemma_ for t in doc][4])"
    )
    out = subprocess.run([sys.executable, "-c", code, str(pipeline.BUNDLED)], capture_output=True, text=True,
                         cwd=tmp_path, check=True).stdout.split()
    assert out[:2] == ["opencomms_compounds", "opencomms_passives"]
    assert 300 < int(out[2]) < 1000  # the stored special cases, not spaCy's ~4,700 Dutch defaults
    assert out[3:] == ["basis_niveau", "vrouw_toernooi"]


@pytest.mark.parametrize(
    "sentence, word, lemma",
    [
        ("Wij zochten het adres op.", "zochten", "op_zoeken"),  # particle apart in the clause
        ("De klimaatdoelen van de provincie zijn besproken.", "klimaatdoelen", "klimaat_doel"),
        ("De verkeersveiligheid is belangrijk.", "verkeersveiligheid", "verkeer_veiligheid"),  # linking s dropped
        ("De gemeente heeft de aanvraag afgewezen.", "afgewezen", "af_wijzen"),
        ("De samenwerking met de gemeente is goed.", "samenwerking", "samenwerking"),  # frequent word: whole
        ("Pieter Atkins schreef het rapport.", "Atkins", "Atkins"),  # names keep their capital
    ],
)
def test_compound_and_particle_lemmas(sentence, word, lemma):
    nlp = pipeline.load()
    doc = _doc(nlp, sentence)
    assert {t.text: t.lemma_ for t in doc}[word] == lemma


def test_organisations_are_entities_with_canonical_name_and_abbreviation():
    nlp = pipeline.load()
    doc = _doc(nlp, "De IB-Groep en het ministerie van Infrastructuur en Milieu werken samen met het UWV en de IND.")
    ents = {e.text: e for e in doc.ents}
    assert set(ents) == {"IB-Groep", "ministerie van Infrastructuur en Milieu", "UWV", "IND"}
    assert all(e.label_ == "ORG" for e in doc.ents)
    assert ents["IB-Groep"].ent_id_ == "Dienst Uitvoering Onderwijs"
    assert ents["IB-Groep"]._.oc_organisation.abbreviation == "DUO"
    assert ents["IB-Groep"]._.oc_outdated and ents["ministerie van Infrastructuur en Milieu"]._.oc_outdated
    assert ents["ministerie van Infrastructuur en Milieu"]._.oc_organisation.abbreviation == "IenW"
    assert not ents["UWV"]._.oc_outdated
    assert ents["UWV"].ent_id_ == "Uitvoeringsinstituut Werknemersverzekeringen"


@pytest.mark.parametrize("model", [None, "blank"])
def test_every_pipeline_has_organisation_entities(model):
    nlp = pipeline.load(model)
    assert "ents" in pipeline.capabilities(nlp)
    doc = _doc(nlp, "Vraag het na bij de Belastingdienst of bij DUO.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Belastingdienst", "ORG"), ("DUO", "ORG")]
    # a lower-case 'duo' is a word, not the organisation
    assert not _doc(nlp, "Ze vormen een sterk duo.").ents


@pytest.mark.parametrize(
    "sentence, word, pos",
    [
        ("Hij werd derde in de race.", "werd", "VERB"),  # 'worden' as a main verb (UD Dutch: no copula 'worden')
        ("De burgemeester werd boos.", "werd", "VERB"),
        ("Wat heb je nu eigenlijk?", "heb", "VERB"),  # 'hebben' as a main verb
        ("Het plan wordt volgend jaar uitgevoerd.", "wordt", "AUX"),  # a passive auxiliary stays AUX
        ("De minister is ziek.", "is", "AUX"),  # the copula 'zijn' stays AUX
        ("Zij is vorige week overleden.", "is", "AUX"),
    ],
)
def test_auxiliaries_are_aux_only_as_auxiliaries(sentence, word, pos):
    doc = _doc(pipeline.load(), sentence)
    assert {t.text: t.pos_ for t in doc}[word] == pos


def test_a_common_auxiliary_attached_as_auxiliary_becomes_aux():
    # the tagger's VERB against the parser's 'aux': the relation wins for the common auxiliaries only
    nlp = pipeline.load()
    words = ["Zij", "hebben", "het", "gelezen", "en", "staan", "gelezen"]
    doc = Doc(nlp.vocab, words=words, pos=["PRON", "VERB", "PRON", "VERB", "CCONJ", "VERB", "VERB"],
              heads=[3, 3, 3, 3, 6, 6, 3], deps=["nsubj", "aux", "obj", "ROOT", "cc", "aux", "conj"],
              lemmas=["zij", "hebben", "het", "lezen", "en", "staan", "lezen"])
    doc = nlp.get_pipe("opencomms_passives")(doc)
    assert [t.pos_ for t in doc] == ["PRON", "AUX", "PRON", "VERB", "CCONJ", "VERB", "VERB"]
