"""The pattern kind matches patterns on the Doc's token columns (checks/treematch.py) instead of with spaCy's
matchers. Its matches must be exactly spaCy's own. Real rules, real pipeline, real text."""

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


def test_column_matching_finds_what_spacy_finds(checker):
    doc = _doc(checker)
    rules = [r for r in load_rules() if isinstance(r.check, pattern.Check)]
    assert {r.id for r in rules} >= {"begrijpelijk.passive", "begrijpelijk.long-word", "begrijpelijk.difficult-word"}
    for rule in rules:
        check = rule.check
        assert None not in check._trees, f"{rule.id}: every bundled pattern is matched on the columns"
        expected = _spacy_spans(check, doc)
        found = check.spans(doc)
        assert found == expected, rule.id
        assert expected, f"{rule.id}: the test text should give it something to find"


SPEC = {"id": "x.y", "kind": "pattern", "scope": "sentence"}


def _check(**fields):
    class Ctx:
        def error(self, spec, path, message):
            return ValueError(message)

    return pattern.Check({**SPEC, **fields}, Ctx())


def test_token_sequences_flags_lengths_and_relations_match_as_in_spacy(checker):
    doc = _doc(checker, TEXT + " Het is 12 procent. De ICT-afdeling en de IND werken samen met Utrecht.")
    cases = [
        _check(patterns=[[{"LOWER": "wordt"}, {"IS_ALPHA": True, "LENGTH": {">=": 4}}]]),  # a sequence
        _check(patterns=[[{"LIKE_NUM": True}, {"LOWER": {"IN": ["procent", "%"]}}]]),
        _check(patterns=[[{"IS_UPPER": True, "POS": {"NOT_IN": ["VERB"]}}]]),
        _check(patterns=[[{"IS_TITLE": True, "IS_SENT_START": False}]]),
        _check(patterns=[[{"LEMMA": "worden"}, {"OP": "*"}, {"POS": "VERB"}]]),  # a quantifier: spaCy matches it
        _check(dependency_patterns=[[  # from a child up to its head ('<') and a left child ('>--')
            {"RIGHT_ID": "aux", "RIGHT_ATTRS": {"DEP": "aux:pass"}},
            {"LEFT_ID": "aux", "REL_OP": "<", "RIGHT_ID": "verb", "RIGHT_ATTRS": {"POS": "VERB"}},
            {"LEFT_ID": "verb", "REL_OP": ">--", "RIGHT_ID": "subj", "RIGHT_ATTRS": {"DEP": {"IN": ["nsubj:pass", "obl"]}}},
        ]]),
        _check(dependency_patterns=[[
            {"RIGHT_ID": "v", "RIGHT_ATTRS": {"POS": "VERB"}},
            {"LEFT_ID": "v", "REL_OP": ">++", "RIGHT_ID": "o", "RIGHT_ATTRS": {"DEP": "obl"}},
        ]]),
        _check(dependency_patterns=[[  # '.' in a dependency pattern stays within a sentence: left to spaCy
            {"RIGHT_ID": "p", "RIGHT_ATTRS": {"ORTH": "."}},
            {"LEFT_ID": "p", "REL_OP": ".", "RIGHT_ID": "n", "RIGHT_ATTRS": {"IS_TITLE": True}},
        ]]),
    ]
    for k, check in enumerate(cases):
        expected = _spacy_spans(check, doc)
        assert check.spans(doc) == expected, (check.patterns, check.dep_patterns)
        assert expected or k == 7, (check.patterns, check.dep_patterns)
    assert cases[4]._trees == [None] and cases[7]._trees == [None]  # left to spaCy
    assert all(None not in check._trees for k, check in enumerate(cases) if k not in (4, 7))


def test_a_pattern_rule_compiled_inside_a_memory_zone_works_after_the_zone(checker):
    """Match keys are strings in the vocabulary; one added inside a memory zone is gone after it."""
    rule = next(r for r in load_rules() if r.id == "begrijpelijk.long-word")
    with checker.nlp.memory_zone():
        doc = _doc(checker, "De arbeidsongeschiktheidsverzekering verandert.")
        assert [doc.text[h.start:h.end] for h in rule.check.run(doc)] == ["arbeidsongeschiktheidsverzekering"]
    doc = _doc(checker, "De informatiebeveiligingsstandaarden veranderen.")
    assert [doc.text[h.start:h.end] for h in rule.check.run(doc)] == ["informatiebeveiligingsstandaarden"]
