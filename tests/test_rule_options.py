"""Options of the rule kinds that the YAML examples cannot show: a word reported once per document, names and
table rows skipped, main clauses only. Real rules, real pipeline."""

from __future__ import annotations

from opencomms import engine
from opencomms.nlp.pipeline import make_doc
from opencomms.readers import text as text_reader
from opencomms.ruleset import load_rules


def _check(checker, rule_id: str, text: str):
    """The findings of one rule on a text, as `opencomms check` makes them."""
    source = text_reader.parse(text.encode("utf-8"), "example.txt")
    runnable, _ = engine.runnable([r for r in load_rules() if r.id == rule_id], checker.caps)
    return engine.check(source, checker.nlp(make_doc(checker.nlp, source)), runnable)


def _findings(checker, rule_id: str, text: str):
    return [f.text for f in _check(checker, rule_id, text)]


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


def test_skip_quotes_ignores_words_inside_a_quotation_across_sentences(checker):
    text = ("De jury zei: “Om hieraan te kunnen participeren is het register nodig. Het helpt derhalve veel "
            "organisaties.” Wij willen derhalve doorgaan.")
    assert _findings(checker, "begrijpelijk.officialese", text) == ["derhalve"]


def test_skip_law_ignores_legal_enumerations_and_contract_clauses_but_not_guidance(checker):
    law = ("De aanbieder zorgt voor het volgende:\n\n"
           "a. de aanbieder heeft een plan opgesteld indien de test daadwerkelijk plaatsvindt;\n\n"
           "b. de gegevens worden na afloop gewist.")
    contract = "De opdrachtnemer waarborgt tevens dat de software daadwerkelijk herbruikbaar is."
    guidance = "Test het systeem pas als het daadwerkelijk klaar is. Doe dat tevens met echte gebruikers."
    assert not _findings(checker, "begrijpelijk.officialese", law)
    assert not _findings(checker, "begrijpelijk.officialese", contract)
    assert _findings(checker, "begrijpelijk.officialese", guidance) == ["daadwerkelijk", "tevens"]
    bare = "Opdrachtgever laat het een ieder vrij om de software daadwerkelijk te hergebruiken."
    client = "Als opdrachtgever wil je tevens weten of de software daadwerkelijk herbruikbaar is."
    assert not _findings(checker, "begrijpelijk.officialese", bare)
    assert _findings(checker, "begrijpelijk.officialese", client) == ["tevens", "daadwerkelijk"]
    model = "De broncode wordt binnen [termijn] tevens gepubliceerd onder de [open source licentie]."
    assert not _findings(checker, "begrijpelijk.officialese", model)
    assert _findings(checker, "begrijpelijk.officialese", model.replace("[termijn]", "een maand")
                     .replace("[open source licentie]", "EUPL")) == ["tevens"]
    clause = "Alle onder de overeenkomst ontwikkelde broncode wordt tevens gepubliceerd."
    assert not _findings(checker, "begrijpelijk.officialese", clause)
    assert _findings(checker, "begrijpelijk.officialese", clause.replace("onder de overeenkomst ", "")) == ["tevens"]


def test_skip_law_ignores_restated_norms_and_ai_act_text(checker):
    bio = ("Er vindt zonering plaats binnen de technische infrastructuur conform de uitgangspunten die zijn vastgelegd "
           "in een operationeel beleidsdocument, waarbij minimaal sprake is van scheiding tussen vertrouwde en "
           "onvertrouwde netwerken (BIO 9.4.2).")
    act = ("Aanbieders of potentiële aanbieders kunnen zelf of in samenwerking met een of meer "
           "gebruiksverantwoordelijken tests uitvoeren indien de markttoezichtautoriteit daadwerkelijk heeft ingestemd.")
    guidance = ("Aanbieders van software leggen tevens vast hoe het systeem werkt, zodat de organisatie die het "
                "gebruikt daadwerkelijk kan nagaan of het systeem doet wat het moet doen en of de risico's bekend zijn.")
    for rule in ("begrijpelijk.officialese", "begrijpelijk.long-sentence"):
        assert not _findings(checker, rule, bio)
        assert not _findings(checker, rule, act)
    title = "aia-23 Logs voor hoog-risico-AI-systemen moeten worden bewaard door de gebruiksverantwoordelijke"
    assert not _findings(checker, "begrijpelijk.passive", title)
    assert _findings(checker, "begrijpelijk.passive", title.replace("aia-23 ", "").replace("de gebruiksverantwoordelijke", "de gemeente"))
    assert _findings(checker, "begrijpelijk.officialese", guidance) == ["tevens", "daadwerkelijk"]
    assert _findings(checker, "begrijpelijk.long-sentence", guidance)



def test_skip_law_ignores_a_text_quoted_after_a_lead_in_that_names_it(checker):
    demand = "In het contract staat de eis: alle verbeteringen dienen te worden gemeld aan de community."
    definition = "De AVG definieert profilering als een verwerking waarbij aspecten van een persoon worden geëvalueerd, met name zijn gedrag."
    assert not _findings(checker, "begrijpelijk.officialese", demand)
    assert not _findings(checker, "begrijpelijk.officialese", definition)
    assert _findings(checker, "begrijpelijk.officialese", demand.replace("staat de eis:", "staat dat")) == ["dienen te"]
    assert _findings(checker, "begrijpelijk.officialese", definition.replace("De AVG definieert", "Wij zien")) == ["met name"]
    lead_in = "Om deze reden staat in het contract tevens de eis: alle verbeteringen dienen te worden gemeld."
    assert _findings(checker, "begrijpelijk.officialese", lead_in) == ["Om deze reden", "tevens"]  # the writer's words
    own = "Het onderzoek omvat de aktetekst: het is tevens meer dan lezen."  # 'aktetekst' is not a lead-in
    assert _findings(checker, "begrijpelijk.officialese", own) == ["tevens"]

def test_only_after_reports_dan_wel_as_or_not_as_then(checker):
    assert _findings(checker, "begrijpelijk.officialese", "Stuur het formulier per post dan wel per e-mail.")
    assert not _findings(checker, "begrijpelijk.officialese", "De code is dan wel openbaar, maar niet herbruikbaar.")


def test_long_sentence_counts_a_quoted_title_or_remark_as_one_word(checker):
    quoted = ("Voor meer informatie over deze keuze verwijs ik je graag naar de uitgebreide blogpost “Aanbeveling voor "
              "de Git-werkplaats van de overheid” die Jan Vlug vorig jaar over dit onderwerp schreef.")
    assert _words_of(_findings(checker, "begrijpelijk.long-sentence", quoted.replace("“", "").replace("”", ""))) == [30]
    assert not _findings(checker, "begrijpelijk.long-sentence", quoted)
    term = ("Met het oog op het beleidsprincipe ‘eenmalig inwinnen, meervoudig gebruik’ en het streven om middels "
            "innovatie productieprocessen efficiënter in te richten, is het project in 2023 met veel partners gestart.")
    assert _findings(checker, "begrijpelijk.long-sentence", term)  # a quoted term of four words counts word by word


def _words_of(texts):
    return [len(t.split()) for t in texts]


def test_long_sentence_counts_the_parts_of_a_sentence_the_parse_ran_together(checker):
    # the parse takes both as one sentence of 31 and 33 words: a sentence end before a number or a bracket
    first = ("Ook hebben 4 ondernemers meegedaan aan het onderzoek, voor hen is een specifiek prototype gemaakt wat "
             "de profielservice context voor een onderneming weerspiegelt. 8 gesprekken zijn online gevoerd en 6 fysiek.")
    second = ("Hierbij moeten we oppassen de buffer niet te groot te nemen, om te voorkomen dat polygonen over wegen "
              "komen te liggen die wel degelijk bestaan. (Denk aan bruggen waarover landbouwvoertuigen wel mogen gaan.)")
    assert not _findings(checker, "begrijpelijk.long-sentence", first)
    assert not _findings(checker, "begrijpelijk.long-sentence", second)
    third = ("Het geeft een overzicht van de vereisten in het licht van mogelijk reeds bestaande governance, maatregelen, "
             "etc. Het doel van de impactanalyse is om een betere inschatting te kunnen maken van de benodigde acties.")
    assert not _findings(checker, "begrijpelijk.long-sentence", third)
    longer = first.replace("voor een onderneming", "voor een onderneming of een stichting met personeel en vrijwilligers")
    assert _findings(checker, "begrijpelijk.long-sentence", longer)
    # a label, a colon and a sentence: the sentence counts, not the label
    label = ("Verwijzingen buiten de beslisboom en de rekenhulp van de gemeente: Maak een prototype waarin de gebruiker "
             "geen nadere informatie hoeft op te zoeken op een site buiten de beslisboom.")
    assert not _findings(checker, "begrijpelijk.long-sentence", label)
    plain = ("De rode draad van het advies aan de gemeente: informeer al vroeg, wees eerlijk over wat de gemeente moet "
             "en kiest, laat ruimte voor meedenken en informeer na een locatiekeuze persoonlijk.")
    assert _findings(checker, "begrijpelijk.long-sentence", plain)



def test_long_sentence_reports_a_sentence_read_in_short_steps_one_level_lower(checker):
    # 31 words: a warning; the colon splits it into 19 and 12 words, each within the limit of 28
    colon = ("Voor de aanvraag van de toeslag hebt u een paar dingen nodig die u vooraf bij elkaar moet zoeken: uw DigiD, "
             "het inkomen van uw huishouden, de huurprijs en uw rekeningnummer.")
    levels = lambda text: [f.level.name for f in _check(checker, "begrijpelijk.long-sentence", text)]
    assert levels(colon) == ["suggestion"]
    assert levels(colon.replace("zoeken:", "zoeken, zoals")) == ["warning"]
    # 37 words, parts of 25 and 12: an error becomes a warning
    longer = colon.replace("nodig die", "nodig voor de aanvraag bij de Belastingdienst die")
    assert levels(longer) == ["warning"]
    # a part longer than the limit keeps the level
    long_lead = colon.replace("nodig die", "nodig voor de aanvraag bij de Belastingdienst en bij de gemeente die")
    assert levels(long_lead) == ["error"]
    # 31 words, 23 without the aside in brackets
    aside = ("Producten die niet aan een zaak gekoppeld zijn en die al zijn afgerond (zoals een betaalde boete of een "
             "verleende vergunning) kunt u weghalen van de overzichtspagina in uw persoonlijke omgeving.")
    assert levels(aside) == ["suggestion"]
    assert levels(aside.replace("(", "").replace(")", "")) == ["warning"]

def test_suggestions_speak_to_the_reader_the_way_the_text_does(checker):
    """A text that says 'je' to its reader gets example sentences with 'je'; one that says 'u' keeps 'u'."""
    def suggestion(text):
        findings = _check(checker, "begrijpelijk.passive", text)
        assert findings, text
        return findings[0].suggestions[0]

    je = suggestion("Je aanvraag moet door de gemeente worden beoordeeld. Daarna krijg je een brief. Heb je vragen?")
    u = suggestion("Uw aanvraag moet door de gemeente worden beoordeeld. Daarna krijgt u een brief. Heeft u vragen?")
    assert "je aanvraag" in je and "uw aanvraag" not in je
    assert "uw aanvraag" in u and "je aanvraag" not in u


def test_a_regex_that_needs_the_end_of_its_sentence_still_finds_it_without_a_space_after(checker):
    """The regexes of a word list search each sentence on its own: a look-ahead for the end of the sentence
    sees that end, also where the next sentence follows without a space."""
    for text in ("De stijging is fors.De daling niet.", "De kosten zijn fors!Dat is jammer."):
        assert _findings(checker, "eerlijk-feitelijk.vague-quantifier", text) == ["fors"], text


def test_a_word_list_note_is_part_of_the_message(checker):
    """The lexicon's note (when the first alternative may not fit) reaches the writer; no note, no stray space."""
    text = "Stuur eventuele vragen naar de gemeente. Dit doen wij derhalve niet."
    messages = {f.text: f.message for f in _check(checker, "begrijpelijk.officialese", text)}
    assert messages["eventuele"] == ("'eventuele' is ambtelijke taal. Schrijf liever 'mogelijke'. "
                                     "Of schrap het woord als het niets toevoegt. Mag iets maar hoeft het "
                                     "niet, schrijf dan 'naar keuze', 'als u wilt' of 'als je wilt'.")
    assert messages["derhalve"] == "'derhalve' is ambtelijke taal. Schrijf liever 'daarom'."


def test_reflexive_realiseren_is_beseffen_not_maken(checker):
    """'We realiseren ons dat' means 'beseffen', also with 'me' or 'zich' after the verb; a building project stays 'maken'."""
    text = "We realiseren ons dat dit lastig is. U realiseert zich dat niet. De gemeente realiseert 200 woningen."
    first = {f.text: f.suggestions[0] for f in _check(checker, "begrijpelijk.officialese", text)}
    assert first == {"realiseren ons": "beseffen", "realiseert zich": "beseft", "realiseert": "maakt"}


def test_a_word_with_a_plain_or_field_sense_is_a_suggestion(checker):
    """The lexicon's level overrides the rule's: 'realiseren' may mean 'beseffen' or be a field term, 'derhalve' is
    always officialese."""
    text = "We realiseren een nieuwe school. Derhalve stoppen we."
    levels = {f.text: f.level.name for f in _check(checker, "begrijpelijk.officialese", text)}
    assert levels == {"realiseren": "suggestion", "Derhalve": "warning"}


def test_officialese_nouns_and_verbs_are_suggestions_linking_words_and_phrases_warnings(checker):
    """levels_by_pos: the part of speech in this sentence decides, unless the entry sets a level ('plaatsgevonden'
    is stiff in every sense, like 'vindt plaats')."""
    text = ("De werkzaamheden hebben plaatsgevonden. Derhalve sturen wij eventuele vragen door ten behoeve van het plan. "
            "Wij verstrekken de gegevens.")
    levels = {f.text: f.level.name for f in _check(checker, "begrijpelijk.officialese", text)}
    assert levels == {"werkzaamheden": "suggestion", "plaatsgevonden": "warning", "Derhalve": "warning",
                      "eventuele": "warning", "ten behoeve van": "warning", "verstrekken": "suggestion"}


def _messages(checker, rule_id: str, text: str):
    return [(f.message, f.suggestions) for f in _check(checker, rule_id, text)]


def test_occurrence_message_names_the_words_it_counted(checker):
    text = ("Na beoordeling van de aanvraag en verificatie van de gegevens door de afdeling volgt binnen zes weken de "
            "verstrekking van de subsidie aan de aanvrager.")
    [(message, _)] = _messages(checker, "begrijpelijk.nominalisation", text)
    assert "'beoordeling', 'verificatie' en 'verstrekking'" in message


def test_substitution_suggests_the_alternative_in_the_matched_form(checker):
    [(plural, plural_alts), (single, single_alts)] = _messages(
        checker, "begrijpelijk.officialese", "De vraagstukken zijn groot. Dat vraagstuk lossen we op.")
    assert "Schrijf liever 'vragen'" in plural and plural_alts == ("vragen", "problemen")
    assert "Schrijf liever 'vraag'" in single and single_alts == ("vraag", "probleem")


def test_webtekst_reports_a_sentence_of_21_to_25_words_as_a_suggestion():
    from opencomms.runner import Checker

    web = Checker(profile="webtekst")
    words = ("Als je vragen hebt over je coronabewijs of over de app kun je ons elke werkdag tussen negen en vijf uur "
             "bellen op het gratis nummer van de helpdesk of ons een bericht sturen via het formulier op de website").split()
    levels = {}
    for n in (20, 23, 27, 31):
        result = web.check_one(text_reader.parse((" ".join(words[:n]) + ".").encode("utf-8"), "web.txt"))
        levels[n] = [f.level.name for f in result.findings if f.rule == "begrijpelijk.long-sentence"]
    assert levels == {20: [], 23: ["suggestion"], 27: ["warning"], 31: ["error"]}
