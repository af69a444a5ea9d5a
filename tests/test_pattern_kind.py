"""The pattern kind hands spaCy only the cheap part of each pattern and tests the rest on the matched tokens
(checks/pattern.py). Its matches must be exactly spaCy's own for the whole patterns. Real rules, real pipeline."""

from __future__ import annotations

from spacy.matcher import DependencyMatcher, Matcher

from opencomms.checks import pattern
from opencomms.nlp.pipeline import make_doc
from opencomms.readers import text as text_reader
from opencomms.ruleset import load_rules

TEXT = """Er wordt op dit moment hard gewerkt aan een nieuwe versie van de regeling. Aan de website wordt gewerkt.
U wordt binnen een week gebeld door een medewerker van de gemeente. Het risico moet vooraf worden onderzocht.
De aanvraag is door de burgemeester goedgekeurd. Hierbij wordt gebruik gemaakt van de basisregistratie.
De arbeidsongeschiktheidsverzekering en de informatiebeveiligingsstandaarden veranderen volgend jaar.
Conformiteitsbeoordelingsprocedures duren lang. Wij onderzoeken de jurisprudentie en de bestuursrechtelijke
handhavingsbevoegdheden. De producten die door de overheid gemaakt worden, zijn gratis. Dit kan worden bereikt
door samen te werken. We weten nog niet of de regeling kan worden verlengd. De subsidie is verstrekt.
Er is door de minister besloten dat de maatregel doorgaat. Het plan wordt door de complexiteit vertraagd."""


def _doc(checker, text=TEXT):
    return checker.nlp(make_doc(checker.nlp, text_reader.parse(text.encode("utf-8"), "t.txt")))


def _spacy_spans(check, doc):
    """What spaCy's own matchers find for the rule's whole patterns, as the pattern kind reports spans."""
    spans = set()
    if check.patterns:
        matcher = Matcher(doc.vocab)
        matcher.add("p", check.patterns)
        spans |= {(doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)) for _, s, e in matcher(doc)}
    for p in check.dep_patterns:
        dep = DependencyMatcher(doc.vocab)
        dep.add("d", [p])
        for _, ids in dep(doc):
            ids = [t for node, t in zip(p, ids) if not check.report or node["RIGHT_ID"] in check.report]
            spans.add((doc[min(ids)].idx, doc[max(ids)].idx + len(doc[max(ids)].text)))
    return spans


def test_split_patterns_find_what_spacy_finds_for_the_whole_patterns(checker):
    doc = _doc(checker)
    rules = [r for r in load_rules() if isinstance(r.check, pattern.Check)]
    assert {r.id for r in rules} >= {"begrijpelijk.passive", "begrijpelijk.long-word", "begrijpelijk.difficult-word"}
    split_somewhere = False
    for rule in rules:
        check = rule.check
        split_somewhere |= any(any(tests) for _, tests in check._token_split + check._dep_split)
        expected = _spacy_spans(check, doc)
        found = check.spans(doc)
        assert found == expected, rule.id
        assert expected, f"{rule.id}: the test text should give it something to find"
    assert split_somewhere  # the costly tests really are taken out of spaCy's patterns


def test_a_short_in_list_becomes_variants_and_extension_tests_leave_spacy():
    variants, tests = pattern._split_node({"DEP": {"IN": ["ROOT", "conj"]}, "LEMMA": {"IN": ["moeten", "kunnen"]},
                                           "_": {"oc_main_clause": True}})
    assert variants == [{"DEP": "ROOT"}, {"DEP": "conj"}]
    assert len(tests) == 2  # the lemma list and the extension
    kept, tests = pattern._split_node({"TEXT": {"REGEX": "^a{22,}$"}, "_": {"oc_parts": {">=": 3}}})
    assert kept == [{"TEXT": {"REGEX": "^a{22,}$"}}] and len(tests) == 1  # nothing exact left: spaCy keeps the regex


def test_a_pattern_rule_compiled_inside_a_memory_zone_works_after_the_zone(checker):
    """Match keys are strings in the vocabulary; one added inside a memory zone is gone after it."""
    rule = next(r for r in load_rules() if r.id == "begrijpelijk.long-word")
    with checker.nlp.memory_zone():
        doc = _doc(checker, "De arbeidsongeschiktheidsverzekering verandert.")
        assert [doc.text[h.start:h.end] for h in rule.check.run(doc)] == ["arbeidsongeschiktheidsverzekering"]
    doc = _doc(checker, "De informatiebeveiligingsstandaarden veranderen.")
    assert [doc.text[h.start:h.end] for h in rule.check.run(doc)] == ["informatiebeveiligingsstandaarden"]
