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
        (
            "atw-reach",
            "The Atw applies to terms set by a wet or AMvB: the filing term, the decision term and its extension, the "
            "objection term. Terms the secretariat sets itself (remedy term, response term, information request) are "
            "computed as set, also when they end on a Saturday, Sunday or holiday, and their explanation does not "
            "cite Atw art. 1. Every deadline is labelled with its legal source, stored and on the case pages.",
            "Algemene termijnenwet art. 1 lid 1 (\"een in een wet gestelde termijn\") [law]; procedure.md §0 and §7 "
            "[design]",
            ("disputes.atw.TERM_SOURCES", "disputes.atw.compute_term", "disputes.services.deadlines.set_term",
             "disputes.templatetags.terms.term_source"),
            ("tests/unit/test_atw.py::test_a_term_set_by_the_secretariat_is_computed_as_set",
             "tests/unit/test_atw.py::test_the_term_sources_say_which_terms_the_atw_covers",
             "tests/integration/test_filing_and_term_sources.py::test_a_remedy_term_chosen_by_the_secretariat_is_kept_as_set",
             "tests/integration/test_filing_and_term_sources.py::test_statutory_terms_name_their_source_in_the_stored_explanation",
             "tests/integration/test_filing_and_term_sources.py::test_the_case_pages_label_each_deadline_with_its_legal_source"),
        ),
        (
            "awb-4-15-suspension",
            "A request to complete the filing (herstel verzuim) suspends the decision term from the day after the "
            "request until, not including, the day the request is completed or the remedy term passed unused (taken "
            "as the remedy term's last day).",
            "Awb art. 4:15 lid 1 onder a [law]; the day of lapse [design]",
            ("disputes.services.deadlines.suspend_decision_term",),
            ("tests/integration/test_filing_and_term_sources.py::test_the_decision_term_is_suspended_until_not_including_the_day_of_completion",
             "tests/integration/test_filing_and_term_sources.py::test_completion_the_day_after_the_request_suspends_nothing",
             "tests/integration/test_services.py::test_remedy_request_suspends_the_decision_term"),
        ),
        (
            "extension-from-nominal-end",
            "An extension of the decision term counts from the term's nominal end, not from the working day the Atw "
            "moved its last day to.",
            "BTIV art. 40 lid 2 [law]; Algemene termijnenwet art. 1 only moves the last day [law]; procedure.md §0 "
            "[design]",
            ("disputes.atw.extend_term", "disputes.services.deadlines.extend_decision_term"),
            ("tests/unit/test_atw.py::test_extend_term_counts_from_the_nominal_end",
             "tests/unit/test_atw.py::test_an_extension_from_good_friday_is_not_counted_from_the_tuesday_after_easter",
             "tests/integration/test_filing_and_term_sources.py::test_an_extension_of_the_decision_term_counts_from_its_nominal_end"),
        ),
    ),
    # -- filing: one filing-term computation for the portal, the staff pages and the stored deadline --------
    *_rules(
        "Indienen",
        (
            "filing-term",
            "A request is filed within four weeks after the dispute arose, Atw applied. One computation decides the "
            "date the term runs from and the term; the portal's date step and pre-checks, the staff case file and the "
            "stored filing deadline all use it.",
            "Woningwet art. 44 lid 4 [law]; Algemene termijnenwet art. 1 and 2 [law]",
            ("disputes.admissibility.filing_term_for", "disputes.services.filing.dispute_submit"),
            ("tests/integration/test_filing_and_term_sources.py::test_the_stored_filing_deadline_runs_from_the_six_month_mark_when_the_typed_date_is_earlier",
             "tests/integration/test_filing_and_term_sources.py::test_the_wizards_date_step_shows_the_same_filing_term_as_the_review",
             "tests/integration/test_portal_prechecks.py::test_filing_term_for_returns_the_date_used_its_source_and_the_conflict",
             "tests/integration/test_portal_prechecks.py::test_the_filing_term_is_extended_by_the_atw_when_it_ends_on_a_holiday"),
        ),
        (
            "filing-after-six-months",
            "A totstandkoming dispute can be put to the Minister only once the overleg has not led to agreements "
            "within six months. The filing term runs from the later of the typed date and the six-month mark; a "
            "typed date before the mark gives one warning that says which date is used and why.",
            "Woningwet art. 44 lid 4 [law]; the later of the two dates [design]",
            ("disputes.admissibility.filing_term_for",),
            ("tests/integration/test_portal_prechecks.py::test_a_totstandkoming_dispute_typed_before_the_six_month_mark_gets_one_warning_from_that_mark",
             "tests/integration/test_portal_prechecks.py::test_six_months_of_overleg_from_the_agreement_or_the_first_bod"),
        ),
        (
            "filing-window",
            "The ministry takes totstandkoming requests from 1 July to 29 January; when the last day is a Saturday, "
            "Sunday or holiday, the next working day is still inside the window.",
            "ministry window [src]; Algemene termijnenwet art. 1 applied to its last day [design]",
            ("disputes.admissibility.window_extension",),
            ("tests/integration/test_portal_prechecks.py::test_the_windows_last_day_is_extended_by_the_atw",
             "tests/integration/test_portal_prechecks.py::test_the_window_runs_from_1_july_to_29_january"),
        ),
        (
            "filing-nakoming-date",
            "A nakoming dispute arises when the other party answers the notice to comply, or when the notice stays "
            "unanswered for four weeks (effort log). A typed date later than that, or before the notice, is not "
            "used: the filing term runs from the log's date, with one warning saying so.",
            "procedure.md §3 [design]; Woningwet art. 44 lid 4 [law]",
            ("disputes.admissibility.filing_term_for",),
            ("tests/integration/test_portal_prechecks.py::test_nakoming_typed_later_than_the_log_is_judged_by_the_log",
             "tests/integration/test_portal_prechecks.py::test_nakoming_typed_before_the_notice_uses_the_log_in_one_warning",
             "tests/integration/test_filing_and_term_sources.py::test_the_nakoming_filing_term_of_a_draft_follows_the_log_when_the_typed_date_is_later"),
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
    *_rules(
        "De adviescommissie",
        (
            "commission-per-case",
            "The commission advises as a commission: per case the secretariat seats a chair and members from the "
            "roster (COMMISSION_MEMBERS_PER_CASE members besides the chair); nobody who recused on the case.",
            "Instellingsbesluit Adviescommissie geschilbeslechting prestatieafspraken (Stcrt. 2016, 14908) [law]; "
            "the number per case [conf], docs/adr/0017",
            ("disputes.services.commission.dispute_compose_commission",),
            ("tests/integration/test_commission.py::test_the_secretariat_seats_a_chair_and_members_from_the_roster",
             "tests/integration/test_commission.py::test_a_composition_outside_the_roster_or_the_number_is_refused"),
        ),
        (
            "deputy-on-recusal",
            "A seated member who declares a conflict of interest leaves the seat at once; a deputy from the roster "
            "takes it, and the composition's history keeps who left, why, and who stepped in.",
            "Instellingsbesluit (deputies); Awb art. 2:4 (no bias) [law]",
            ("disputes.services.commission.end_seat_on_recusal", "disputes.services.commission.dispute_replace_seat"),
            ("tests/integration/test_commission.py::test_a_recused_member_leaves_the_seat_and_a_deputy_steps_in",),
        ),
        (
            "composition-named",
            "The composition is named on the case page and in the dossier, ended seats included.",
            "Instellingsbesluit [law]; where it is shown [design]",
            ("disputes.dossier.content._commission", "workflow.casefile.commission_seats"),
            ("tests/integration/test_commission.py::test_the_dossier_names_the_composition_and_who_stepped_in",
             "tests/integration/test_commission.py::test_the_case_page_composes_the_commission_and_shows_it"),
        ),
    ),
    *_rules(
        "Intrekking en schikking",
        (
            "withdrawal-own-part",
            "An applicant's withdrawal (intrekking) ends only its own part of a joint request: the case goes on for "
            "the other applicants, with their terms; the withdrawing applicant's own open terms end. The case ends "
            "as withdrawn when the last applicant has withdrawn. A draft is withdrawn as a whole.",
            "Woningwet art. 44 lid 4 (each party to the overleg may put the dispute to the Minister, so each "
            "applicant's request stands on its own) [law]; procedure.md §0 [design]",
            ("disputes.services.filing.dispute_withdraw", "disputes.guards.withdrawal_problems",
             "disputes.states.PARTIAL_EVENTS"),
            ("tests/integration/test_withdrawal_and_settlement.py::test_one_co_applicant_withdrawing_leaves_the_case_running_for_the_other",
             "tests/integration/test_withdrawal_and_settlement.py::test_the_last_applicant_withdrawing_ends_the_case",
             "tests/integration/test_withdrawal_and_settlement.py::test_withdrawing_closes_the_applicants_own_open_terms_only",
             "tests/integration/test_withdrawal_and_settlement.py::test_a_draft_is_withdrawn_as_a_whole_as_before",
             "tests/unit/test_procedure_tables.py::"
             "test_a_withdrawal_that_leaves_other_applicants_is_the_withdraw_operation_without_its_transition"),
        ),
        (
            "withdrawn-applicant-former-party",
            "An applicant that has withdrawn no longer acts as applicant and cannot withdraw twice; it keeps reading "
            "the case and hears of it as a former party, since the binding decision concerns the agreement it is a "
            "party to (it remains an interested party).",
            "Awb art. 1:2 (belanghebbende) [law]; what it may still do [design]",
            ("disputes.permissions.active_party_ids", "disputes.permissions.is_former_applicant"),
            ("tests/integration/test_withdrawal_and_settlement.py::test_a_former_applicant_no_longer_acts_as_applicant_and_cannot_withdraw_twice",
             "tests/integration/test_withdrawal_and_settlement.py::test_the_party_page_the_staff_page_and_the_dossier_show_who_withdrew_when"),
        ),
        (
            "withdrawal-shown",
            "Who withdrew when is shown on the parties' case page, the staff case page, the dossier's cover and in "
            "the letters (a notice of withdrawal: whether the case goes on, and for whom); every party is told.",
            "procedure.md §0 [design]",
            ("disputes.letterbook.KINDS", "disputes.dossier.content.collect", "disputes.portal.case.case_context"),
            ("tests/integration/test_withdrawal_and_settlement.py::test_the_party_page_the_staff_page_and_the_dossier_show_who_withdrew_when",
             "tests/integration/test_withdrawal_and_settlement.py::test_the_withdrawal_letter_names_who_withdrew_when",
             "tests/integration/test_withdrawal_and_settlement.py::test_every_party_hears_of_a_co_applicants_withdrawal"),
        ),
        (
            "settlement-needs-a-basis",
            "A settlement ends the case only on a basis the secretary records, never on the secretary's own say-so: "
            "a vaststellingsovereenkomst signed by every party still in the case, or the withdrawal (intrekking) "
            "of every remaining applicant, each with its document; the basis is kept on the case and the "
            "signatories in the audit trail.",
            "BW art. 7:900 (vaststellingsovereenkomst) [law]; procedure.md §0 [design]",
            ("disputes.services.decision.dispute_settle",),
            ("tests/integration/test_withdrawal_and_settlement.py::test_the_secretary_cannot_settle_on_their_own_say_so",
             "tests/integration/test_withdrawal_and_settlement.py::test_a_settlement_agreement_must_be_signed_by_every_party",
             "tests/integration/test_withdrawal_and_settlement.py::test_an_agreement_needs_its_document_and_signatories_only_from_the_parties",
             "tests/integration/test_withdrawal_and_settlement.py::test_a_settlement_by_withdrawal_needs_every_remaining_applicant",
             "tests/integration/test_withdrawal_and_settlement.py::test_the_staff_settlement_form_asks_for_the_basis_and_the_signatories"),
        ),
    ),
    *_rules(
        "Na de uitspraak",
        (
            "awb-6-9-closing",
            "The case does not close before a week after the end of the objection term has passed: an objection "
            "posted before the term ended is in time if it arrives no later than a week after it. The case closes "
            "the day after that week; the Atw is applied to the week's end too (it is a term set by a wet; a later "
            "end never closes a case too early). The date is computed in one place, with its explanation.",
            "Awb art. 6:7, 6:8 and 6:9 lid 2 [law]; Algemene termijnenwet art. 1 [law]; procedure.md §0 [design]",
            ("disputes.services.aftercare.closing_term", "disputes.services.aftercare.closing_problems",
             "disputes.services.decision.dispute_close", "disputes.services.enforcement.enforce_deadlines"),
            ("tests/integration/test_aftercare.py::test_the_case_does_not_close_before_the_week_after_the_objection_term",
             "tests/integration/test_aftercare.py::test_the_closing_date_is_computed_once_with_its_explanation",
             "tests/integration/test_aftercare.py::test_the_week_of_awb_6_9_ending_on_a_holiday_moves_like_any_statutory_term"),
        ),
        (
            "objection-received-keeps-the-case-open",
            "A bezwaarschrift received against the binding decision is recorded on the case by the ministry (the "
            "secretary or the Minister's official) with the day it arrived, the document and whether it came within "
            "the term or the week after it; the case then stays open (it is not closed) while the bezwaar runs, and "
            "its dossier can still be exported and sent on. A bezwaar is never recorded before the decision or with "
            "a date in the future.",
            "Awb art. 6:4 lid 1, 6:9 and 7:1 [law]; procedure.md §0 [design]",
            ("disputes.services.aftercare.dispute_record_objection", "disputes.services.aftercare.closing_problems"),
            ("tests/integration/test_aftercare.py::test_a_received_objection_is_recorded_and_keeps_the_case_open",
             "tests/integration/test_aftercare.py::test_recording_an_objection_is_refused_without_a_document_in_the_future_or_for_a_party",
             "tests/integration/test_aftercare.py::test_the_staff_record_an_objection_and_a_herstelbesluit_on_the_case_page"),
        ),
        (
            "herstelbesluit",
            "An obvious error (kennelijke verschrijving) in the binding decision is corrected by a herstelbesluit of "
            "the Minister (its official), with what was corrected, its own letter with a rechtsmiddelenclausule and "
            "its own audit event, sent to every party. It is a besluit with its own objection term, so the case "
            "does not close before that term and its week have passed. Only while the case is decided (not after "
            "it was closed).",
            "Awb art. 1:3, 3:45 and 6:7 [law]; correction of a kennelijke verschrijving: case law [src]; "
            "procedure.md §0 [design]",
            ("disputes.services.aftercare.dispute_correct_decision", "disputes.letterbook.KINDS"),
            ("tests/integration/test_aftercare.py::test_a_herstelbesluit_corrects_an_obvious_error_with_its_own_letter_and_event",
             "tests/integration/test_aftercare.py::test_a_herstelbesluit_needs_a_reason_and_the_ministers_official"),
        ),
        (
            "late-decision-marked",
            "A decision (binding decision or inadmissibility) taken after the due date of the decision term, with "
            "its suspensions and extensions, is marked \"te laat beslist\" with both dates on the parties' case page, "
            "the staff case page, the worklist and the dossier's cover and timeline; one function decides it.",
            "BTIV art. 40 lid 1 and 2 [law]; Awb art. 4:15 [law]; procedure.md §0 [design]",
            ("disputes.selectors.late_decision", "disputes.selectors.late_decisions"),
            ("tests/integration/test_aftercare.py::test_a_decision_after_the_decision_term_is_late_and_one_in_time_is_not",
             "tests/integration/test_aftercare.py::test_an_extended_term_counts_when_judging_lateness",
             "tests/integration/test_aftercare.py::test_every_page_of_a_late_case_says_so",
             "tests/integration/test_aftercare.py::test_a_case_decided_in_time_is_not_called_late"),
        ),
    ),
    *_rules(
        "Termijnen",
        (
            "extension-notice",
            "An extension of the decision term (at most the rule set's weeks each time) takes effect only with its "
            "written, reasoned notice, sent before the term ends to the parties and to the college van B&W of the "
            "gemeente of the agreement, also when the gemeente is no party; after the term it is refused, and "
            "without a reason or an address to send the notice to it does not take effect.",
            "BTIV 2015 art. 40 lid 2 [law]; procedure.md §0",
            ("disputes.services.decision.dispute_extend_decision_term", "disputes.letters.extension_addressees",
             "disputes.letters.notice_addresses", "disputes.tasks.send_letter"),
            ("tests/integration/test_decision_safeguards.py::test_an_extension_needs_its_reason",
             "tests/integration/test_decision_safeguards.py::"
             "test_the_extension_notice_goes_to_every_party_and_to_b_and_w_of_the_gemeente",
             "tests/integration/test_decision_safeguards.py::"
             "test_without_an_address_for_b_and_w_the_extension_does_not_take_effect",
             "tests/integration/test_decision_safeguards.py::test_an_extension_after_the_term_sends_no_notice",
             "tests/integration/test_deadline_enforcement.py::"
             "test_repeated_extensions_each_add_up_to_four_weeks_and_are_explained"),
        ),
    ),
    *_rules(
        "Beslissing",
        (
            "four-eyes",
            "The official who drafts the binding decision or records the decision on a point never adopts it "
            "(four eyes), with or without an uploaded draft; the adoption task is not offered to them.",
            "segregation of duties [design]; procedure.md §0, §2",
            ("disputes.permissions.decision_preparer_ids", "disputes.services.decision.dispute_decide",
             "workflow.nodes.FourEyesTask"),
            ("tests/integration/test_decision_safeguards.py::"
             "test_who_decided_the_points_cannot_adopt_the_decision_even_without_a_draft",
             "tests/integration/test_decision_safeguards.py::"
             "test_the_adoption_task_is_not_offered_to_who_decided_the_points",
             "tests/integration/test_services.py::test_the_drafter_of_a_decision_cannot_adopt_it"),
        ),
        (
            "decision-from-the-minister",
            "The binding decision is the Minister's: the letter comes from the Minister and is signed \"De Minister "
            "van Volkshuisvesting en Ruimtelijke Ordening, namens deze,\" with the function of the official who "
            "signs under mandate (MINISTER_MANDATE_FUNCTION), not by the commission's secretariat; so is the "
            "extension notice.",
            "Woningwet art. 44 lid 4 [law]; Awb art. 10:1, 10:10 (mandate) [law]",
            ("disputes.letterbook.KINDS", "disputes.letterbook.signature"),
            ("tests/integration/test_decision_safeguards.py::test_the_binding_decision_comes_from_the_minister_namens_deze",),
        ),
        (
            "decision-inadmissible-points-in-words",
            "The binding decision gives the reasons for every inadmissible point in words (the reason's label and "
            "the point's own explanation), not as a code.",
            "Awb art. 3:46, 3:47 [law]",
            ("disputes.letters.reasons_in_words",),
            ("tests/integration/test_decision_safeguards.py::"
             "test_the_binding_decision_gives_the_reasons_of_an_inadmissible_point_in_words",),
        ),
        (
            "finding-fits-the-kind",
            "The finding on the merits of a point fits the kind of dispute: for totstandkoming whether a party's "
            "proposal or conduct was manifestly unreasonable (kennelijk onredelijk), for nakoming whether the "
            "request is well-founded (gegrond / ongegrond); the advice and decision forms offer only those, and "
            "the services refuse the others.",
            "procedure.md §6 [src]",
            ("disputes.models.Finding", "disputes.services.decision.point_advise",
             "disputes.services.decision.point_decide"),
            ("tests/integration/test_findings_per_kind.py::test_the_forms_offer_the_findings_of_the_kind",
             "tests/integration/test_findings_per_kind.py::test_the_advice_refuses_a_finding_that_does_not_fit",
             "tests/integration/test_findings_per_kind.py::test_the_decision_refuses_a_finding_that_does_not_fit"),
        ),
    ),
    # -- admissibility: the secretariat proposes, the commission advises, the Minister decides ----------------
    *_rules(
        "Ontvankelijkheid",
        (
            "admissibility-verdict-is-a-proposal",
            "The secretariat's verdict on a point's admissibility is a proposal. The commission may advise "
            "otherwise (with its reasons in words, and reason codes when it advises inadmissible a point proposed "
            "admissible); the Minister decides the admissibility of every point, following the advice or departing "
            "from it with a reason, and may judge on the merits a point the secretariat proposed inadmissible. "
            "The binding decision is not adopted before every point's admissibility is decided.",
            "Woningwet art. 44 lid 4 [law]; procedure.md §0 [design]",
            ("disputes.services.decision.point_advise", "disputes.services.decision.point_decide",
             "disputes.guards.advice_problems", "disputes.guards.decision_problems",
             "disputes.dossier.content.collect"),
            ("tests/integration/test_admissibility_safeguards.py::test_the_minister_decides_a_point_the_secretariat_proposed_inadmissible",
             "tests/integration/test_admissibility_safeguards.py::test_the_commission_advises_and_the_minister_departs_on_a_point_proposed_inadmissible",
             "tests/integration/test_admissibility_safeguards.py::test_the_minister_may_judge_on_the_merits_a_point_proposed_inadmissible",
             "tests/integration/test_dossier_decided_admissibility.py::"
             "test_the_cover_gives_the_ministers_decision_on_a_point_proposed_inadmissible",
             "tests/integration/test_dossier_decided_admissibility.py::"
             "test_the_point_page_shows_the_proposal_the_advice_and_the_ministers_decision_in_words",
             "tests/integration/test_scenarios.py::test_every_demo_scenario_runs_green"),
        ),
        (
            "inadmissible-as-a-whole-is-the-ministers-reasoned-decision",
            "Declaring the request inadmissible as a whole is a decision of the Minister (its official), not of "
            "the secretariat. It gives reasons in words for every point, consistent with the secretariat's "
            "verdicts per point: a point found admissible is declared inadmissible only by an explicit departure "
            "with reasons and a note, or on a ground found for the request as a whole (insufficient own efforts, "
            "A6; nakoming the rules do not cover, A4). Every party receives the decision with its letter.",
            "Awb art. 3:46, 3:47 [law]; procedure.md §0 [design]",
            ("disputes.services.review.dispute_declare_inadmissible",
             "disputes.services.review._inadmissibility_per_point", "disputes.services.review.case_grounds",
             "disputes.letters.reasons_in_words"),
            ("tests/integration/test_admissibility_safeguards.py::test_whole_case_inadmissibility_needs_reasons_in_words_for_every_point",
             "tests/integration/test_admissibility_safeguards.py::test_whole_case_inadmissibility_cannot_silently_contradict_a_point_found_admissible",
             "tests/integration/test_admissibility_safeguards.py::test_whole_case_inadmissibility_is_sent_to_the_parties_with_its_letter",
             "tests/integration/test_admissibility_safeguards.py::test_efforts_found_insufficient_are_the_reason_for_every_point"),
        ),
        (
            "not-treating-an-incomplete-request",
            "A request that stays incomplete is not treated (A8) only after a remedy was asked and its term "
            "passed, and at the latest four weeks after the remedy term (the Atw applied); after that the request "
            "must be treated. Documents an applicant sends after the remedy term, before the decision, are shown "
            "to the staff and must be weighed; the decision records how.",
            "Awb art. 4:5 lid 1 and 4 [law]; a remedy received late but before the decision is weighed: case law "
            "[src]",
            ("disputes.services.review.not_treating_deadline", "disputes.services.review.late_remedy",
             "disputes.services.review.dispute_declare_inadmissible", "workflow.casefile.late_remedy"),
            ("tests/integration/test_admissibility_safeguards.py::test_not_treating_an_incomplete_request_is_refused_four_weeks_after_the_remedy_term",
             "tests/integration/test_admissibility_safeguards.py::test_not_treating_an_incomplete_request_within_four_weeks_is_allowed",
             "tests/integration/test_admissibility_safeguards.py::test_a_remedy_after_the_lapse_is_shown_and_must_be_weighed"),
        ),
    ),
    *_rules(
        "Volgorde van de stappen",
        (
            "hearing-within-the-decision-term",
            "A hearing is not planned or moved to a day after the last day of the decision term as it then stands "
            "(with its suspensions and extensions): the term is extended first, or the secretariat records why the "
            "hearing is later all the same; that reason is kept with the hearing's event.",
            "Awb art. 3:2 (zorgvuldigheid) [law]; BTIV art. 40 (beslistermijn) [law]; procedure.md §0 [design]",
            ("disputes.services.proceedings._after_the_decision_term",
             "disputes.services.proceedings.dispute_schedule_hearing",
             "disputes.services.proceedings.dispute_reschedule_hearing"),
            ("tests/integration/test_step_order.py::test_a_hearing_after_the_decision_term_is_refused_naming_the_terms_end",
             "tests/integration/test_step_order.py::"
             "test_a_hearing_after_the_term_with_its_reason_is_planned_and_the_reason_recorded",
             "tests/integration/test_step_order.py::"
             "test_moving_the_hearing_past_the_term_is_refused_unless_a_reason_is_recorded",
             "tests/integration/test_step_order.py::test_after_an_extension_the_same_hearing_needs_no_reason"),
        ),
        (
            "minutes-after-the-hearing",
            "The hearing is recorded as held, with its minutes, only once its planned moment has passed; minutes "
            "added to the case before that moment are not its minutes.",
            "Awb art. 3:2 (zorgvuldigheid) [law]; procedure.md §0 [design]",
            ("disputes.services.proceedings.dispute_record_hearing",),
            ("tests/integration/test_step_order.py::test_the_minutes_cannot_be_recorded_before_the_hearing_has_taken_place",
             "tests/integration/test_step_order.py::"
             "test_minutes_added_to_the_case_before_the_hearing_do_not_count_as_its_minutes"),
        ),
        (
            "advice-after-the-information",
            "The commission does not issue its advice while a question of the secretariat to a party is still open: "
            "the answer is registered first (by the party, or by the secretariat for an answer that came in "
            "otherwise), or the chair records why the commission advises all the same; that reason and the open "
            "questions are kept with the advice's event.",
            "Awb art. 3:2 (zorgvuldigheid) [law]; procedure.md §0 [design]",
            ("disputes.services.decision._open_requests_at_advice", "disputes.services.decision.dispute_issue_advice"),
            ("tests/integration/test_step_order.py::test_advice_is_refused_while_an_information_request_is_open",
             "tests/integration/test_step_order.py::test_advice_follows_once_the_secretariat_has_registered_the_answer",
             "tests/integration/test_step_order.py::"
             "test_advice_with_an_open_request_and_a_reason_records_the_reason_and_the_request"),
        ),
    ),
    # -- rule sets and nakoming ----------------------------------------------------------------------------
    *_rules(
        "Regelsets en nakoming",
        (
            "rule-set-dates",
            "A dispute is judged by the rule set in force on its filing day. The Woningwet's dispute provisions "
            "apply from 1 July 2016 (totstandkoming only); the nakoming rule set of the Wet versterking regie "
            "volkshuisvesting has no commencement date in law, so it is in force only from a date an installation "
            "configures (NAKOMING_EFFECTIVE_FROM, no default), and every screen relying on it says it is "
            "provisional.",
            "Woningwet art. 44 lid 4-5 [law]; Kamerstuk 36 512 (no commencement date) [law]; procedure.md §0 "
            "[conf]",
            ("disputes.rules.rule_set_on", "disputes.rules.DISPUTE_PROVISIONS_FROM", "disputes.rules.kind_covered"),
            ("tests/integration/test_nakoming_rules.py::test_the_setting_has_no_default",
             "tests/integration/test_nakoming_rules.py::test_without_a_configured_date_no_rule_set_covers_nakoming",
             "tests/integration/test_nakoming_rules.py::test_a_configured_date_puts_the_provisional_rule_set_in_force",
             "tests/integration/test_nakoming_rules.py::"
             "test_the_old_rule_set_starts_with_the_dispute_provisions_on_1_july_2016",
             "tests/integration/test_nakoming_rules.py::"
             "test_under_a_configured_date_the_screens_say_the_rules_are_provisional"),
        ),
        (
            "nakoming-inadmissible-without-its-rule-set",
            "A nakoming request filed when no rule set covering nakoming is in force is inadmissible (A4): the "
            "portal says so at filing, and the product refuses every step towards a decision on the merits "
            "(admissibility passed, acceptance, advice, decision); the way out is the inadmissibility of the "
            "whole request, with the A4 ground in words.",
            "Woningwet art. 44 lid 4 (totstandkoming only) [law]; Awb art. 3:46 [law]",
            ("disputes.guards.rule_set_problems", "disputes.services.review.case_grounds",
             "disputes.admissibility.checks_from"),
            ("tests/integration/test_nakoming_rules.py::"
             "test_the_portal_says_at_filing_that_a_nakoming_request_is_inadmissible_a4",
             "tests/integration/test_nakoming_rules.py::"
             "test_a_nakoming_request_under_a_rule_set_without_nakoming_cannot_pass_admissibility",
             "tests/integration/test_nakoming_rules.py::"
             "test_a_nakoming_case_whose_rule_set_is_no_longer_in_force_cannot_be_accepted",
             "tests/integration/test_nakoming_rules.py::"
             "test_a_nakoming_case_is_not_advised_or_decided_on_the_merits_without_its_rule_set",
             "tests/integration/test_scenarios.py::test_every_demo_scenario_runs_green"),
        ),
    ),
    # -- the others of the agreement ------------------------------------------------------------------------
    *_rules(
        "De anderen bij de afspraken",
        (
            "view-of-the-others-of-the-agreement",
            "A gemeente, corporation or tenants' organisation that made the agreement but is no party to the dispute "
            "can be invited, in the written round, to give its view before the Minister decides, with a term; it "
            "then sees the case as the parties do and answers in the portal. Only the others of the agreement can "
            "be invited; an interested party signs no settlement.",
            "Awb art. 4:8 [law]; Woningwet art. 44 lid 4 (the parties to the agreement) [law]",
            ("disputes.services.interested.dispute_invite_view", "disputes.services.interested.others_of_the_agreement",
             "disputes.models.dispute.DisputeQuerySet.visible_to"),
            ("tests/integration/test_interested_parties.py::test_only_the_others_of_the_agreement_can_be_invited",
             "tests/integration/test_interested_parties.py::"
             "test_the_invitation_is_a_question_with_its_term_and_makes_an_interested_party",
             "tests/integration/test_interested_parties.py::"
             "test_the_interested_party_reads_the_case_and_gives_its_view_in_the_portal",
             "tests/integration/test_interested_parties.py::test_an_interested_party_does_not_sign_a_settlement"),
        ),
        (
            "join-as-party",
            "The secretariat can join an invited interested party as a party (respondent), with a reason, until the "
            "commission advises: the decision then binds it and its letters address it.",
            "Woningwet art. 44 lid 4 [law]; procedure.md §0 [design]",
            ("disputes.services.interested.dispute_join_party",),
            ("tests/integration/test_interested_parties.py::test_the_secretariat_joins_an_interested_party_as_respondent",
             "tests/integration/test_interested_parties.py::test_the_staff_case_page_invites_and_joins"),
        ),
        (
            "joined-cases",
            "Related disputes about the same agreement can be joined in the written round and handled together: "
            "one hearing, one advice and the decisions at one moment, set in the lead case for the whole group, all "
            "or nothing; each case keeps its own number, parties and points, and the commission advises and the "
            "Minister decides on every point in its own case. A joined case's own steps are refused with the lead's "
            "number; no chains.",
            "Awb art. 3:2 (careful preparation), 4:8 [law]; procedure.md §0 [design]",
            ("disputes.services.joined.dispute_join_cases", "disputes.services.joined.joint_step",
             "disputes.guards.composition_problems"),
            ("tests/integration/test_joined_cases.py::"
             "test_only_cases_of_one_agreement_in_the_written_round_are_joined_once",
             "tests/integration/test_joined_cases.py::test_one_hearing_for_the_group_set_in_the_lead_case",
             "tests/integration/test_joined_cases.py::"
             "test_one_advice_only_when_every_case_of_the_group_has_its_points_advised",
             "tests/integration/test_joined_cases.py::test_the_pages_name_the_group"),
        ),
    ),
    # -- rows added per area (filing, withdrawal, nakoming, decision, inadmissibility, after the decision) --
]


def by_key() -> dict[str, LegalRule]:
    return {rule.key: rule for rule in RULES}
