"""The legal rules the product implements: each with its source in the law, the code that implements it and
the test that proves it. ``manage.py legal_rules_doc`` writes docs/legal-rules.md from this table, and
tests/unit/test_legal_rules.py checks that the document is current, that every code reference imports and
that every test reference names a test that exists, so the table cannot drift from the code.

A rule belongs here when a lawyer reading the product would ask "where does it say that, and where is it
done?": terms, who decides, what a step needs, what the law forbids. The procedure's numbers themselves live
in ``disputes.rules`` (rule sets); the states and who may do what in ``disputes.states``.

References: ``code`` entries are dotted paths to a module attribute (``disputes.atw.compute_term``);
``tests`` entries are pytest node ids (``tests/unit/test_atw.py::test_good_friday``, or with a class
``path::Class::test``), without parametrisation.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class LegalRule:
    key: str
    #: the rule in one or two sentences, as a lawyer would check it
    rule: str
    #: where it comes from: article, lid, and the tag of procedure.md ([law], [src], [conf], [design])
    source: str
    code: tuple[str, ...]
    tests: tuple[str, ...]
    #: the part of the procedure the rule belongs to (a heading in the document)
    topic: str


def _rules(topic: str, *rows: tuple) -> list[LegalRule]:
    return [LegalRule(key, rule, source, tuple(code), tuple(tests), topic) for key, rule, source, code, tests in rows]


RULES: list[LegalRule] = [
    # -- terms and the Algemene termijnenwet ------------------------------------------------------------
    *_rules(
        "Termijnen",
        (
            "atw-weekend-holiday",
            "A statutory term that ends on a Saturday, Sunday or generally recognised holiday ends on the next "
            "day that is none of these.",
            "Algemene termijnenwet art. 1 lid 1 [law]",
            ("disputes.atw.compute_term",),
            ("tests/unit/test_atw.py::test_four_weeks_ending_on_saturday_moves_to_monday",
             "tests/unit/test_atw.py::test_term_ending_on_easter_monday_moves_to_tuesday"),
        ),
        (
            "atw-holidays",
            "The holidays are Nieuwjaarsdag, Goede Vrijdag, tweede Paasdag, Hemelvaartsdag, tweede Pinksterdag, "
            "both Christmas days, the day the King's birthday is celebrated and 5 May in every year; further "
            "days by Royal Decree are configuration.",
            "Algemene termijnenwet art. 3 [law]",
            ("disputes.atw.atw_holidays",),
            ("tests/unit/test_atw.py::test_holidays_2025", "tests/unit/test_atw.py::test_koningsdag_on_saturday_2025",
             "tests/unit/test_atw.py::test_bevrijdingsdag_non_lustrum_year_extends",
             "tests/unit/test_atw.py::test_explicit_extra_holiday_extends_term"),
        ),
        (
            "atw-two-working-days",
            "A term of at least three days is extended so that it contains at least two days that are not a "
            "Saturday, Sunday or holiday.",
            "Algemene termijnenwet art. 2 [law]",
            ("disputes.atw.compute_term",),
            ("tests/unit/test_atw.py::test_three_day_term_from_friday_extended_by_art_2",
             "tests/unit/test_atw.py::test_two_day_term_not_subject_to_art_2"),
        ),
        (
            "atw-long-terms",
            "The Atw does not extend terms longer than 90 days, 12 weeks or 3 months (such as the six months of "
            "overleg).",
            "Algemene termijnenwet art. 4 [law]",
            ("disputes.atw.compute_term",),
            ("tests/unit/test_atw.py::test_art_4_long_terms_not_extended_on_sunday",
             "tests/unit/test_atw.py::test_art_4_limits_themselves_are_extended"),
        ),
    ),
    *_rules(
        "Keuzes die de wet openlaat (ADR 0016)",
        (
            "advice-to-parties",
            "Parties receive the commission's advice when it is issued; the law asks that a decision relying on an "
            "advice is accompanied by it, so with the decision at the latest.",
            "Awb art. 3:49 [law]; the moment [design], docs/adr/0016",
            ("disputes.services.decision.dispute_issue_advice",),
            ("tests/integration/test_legal_choices.py::test_parties_see_the_advice_when_the_commission_issues_it",),
        ),
        (
            "remedy-against-decision",
            "The remedy against the binding decision is bezwaar to the Minister within six weeks; with "
            "DECISION_REMEDY=beroep (uniform public preparation, Awb 7:1 lid 1 sub d) the clause offers direct "
            "beroep at DECISION_APPEAL_BODY.",
            "Awb art. 6:7, 6:8, 7:1 [law]; the setting [conf], docs/adr/0016",
            ("disputes.letters.remedies_clause",),
            ("tests/integration/test_letters.py::test_the_remedy_against_the_decision_is_bezwaar_unless_configured_as_direct_beroep",
             "tests/integration/test_letters.py::test_the_decision_letter_names_the_objection_term"),
        ),
    ),
    # -- rows added per area (filing, withdrawal, nakoming, decision, inadmissibility, after the decision) --
]


def by_key() -> dict[str, LegalRule]:
    return {rule.key: rule for rule in RULES}
