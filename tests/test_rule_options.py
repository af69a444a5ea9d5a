"""Options of the rule kinds that the YAML examples cannot show: a word reported once per document, names and
table rows skipped, main clauses only. Real rules, real pipeline."""

from __future__ import annotations

from opencomms import engine
from opencomms.nlp.pipeline import make_doc
from opencomms.readers import text as text_reader
from opencomms.ruleset import load_rules


def _findings(checker, rule_id: str, text: str):
    source = text_reader.parse(text.encode("utf-8"), "example.txt")
    rules = [r for r in load_rules() if r.id == rule_id]
    runnable, _ = engine.runnable(rules, checker.caps)
    doc = checker.nlp(make_doc(checker.nlp, source))
    return [f.text for f in engine.check(source, doc, runnable)]


def test_once_reports_a_long_word_at_its_first_use_only(checker):
    text = ("De conformiteitsbeoordelingsprocedure duurt lang. Daarom begint de conformiteitsbeoordelingsprocedure "
            "vroeg. Ook de informatiebeveiligingsstandaarden veranderen.")
    assert _findings(checker, "begrijpelijk.long-word", text) == [
        "conformiteitsbeoordelingsprocedure", "informatiebeveiligingsstandaarden"]


def test_skip_names_keeps_a_capitalised_word_at_the_start_of_a_sentence(checker):
    text = "Feedback is welkom. Het plan past in de Nederlandse Cybersecurity Strategie. Wij vragen om feedback."
    assert _findings(checker, "begrijpelijk.anglicism", text) == ["Feedback", "feedback"]


def test_skip_tables_ignores_table_rows_but_not_prose(checker):
    row = ("toetsing | De beoordeling van de aanvraag en de verificatie van de gegevens door de afdeling vergunningen "
           "van de gemeente.")
    prose = ("Na beoordeling van de aanvraag en verificatie van de gegevens door de afdeling vergunningen krijgt u "
             "binnen zes weken bericht.")
    assert _findings(checker, "begrijpelijk.nominalisation", f"Begrip | Uitleg\n{row}\n\n{prose}")
    assert not _findings(checker, "begrijpelijk.nominalisation", f"Begrip | Uitleg\n{row}")


def test_modal_passive_only_in_a_main_clause(checker):
    assert _findings(checker, "begrijpelijk.passive", "Het risico moet vooraf worden onderzocht.")
    assert not _findings(checker, "begrijpelijk.passive", "We weten nog niet of de regeling kan worden verlengd.")
