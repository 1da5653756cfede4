"""The pre-checks of admissibility (procedure.md §3, §4, §7): the domain rule the portal shows a party
before filing and the staff pages show as it stood on the filing day (workflow/casefile.py), one
implementation for both.

Two layers: ``facts_of(dispute)`` reads what the checks need from the database; ``checks_from(facts)``
is a pure function of those facts (unit-tested without a database). A failed check is a *warning*
the party may still file with (the secretary decides on admissibility), except the problems the
transition guards make impossible (``guards.submission_problems``): those are *errors*.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from . import clock, guards
from .atw import add_period, compute_term, format_date_nl
from .models import DocumentType
from .rules import RuleSet, rule_set_on

OK = "ok"
WARNING = "warning"
ERROR = "error"


@dataclass(frozen=True)
class Check:
    code: str
    ok: bool
    #: what a failure means: ``warning`` (may still file) or ``error`` (cannot file)
    severity: str
    message: str
    explanation: tuple[str, ...] = ()

    @property
    def blocking(self) -> bool:
        return not self.ok and self.severity == ERROR


#: Documents a filing needs (procedure.md §3 "must be attached") and those that help, per kind.
REQUIRED_DOCUMENTS = {
    "totstandkoming": (
        DocumentType.VERZOEK,
        DocumentType.BOD,
        DocumentType.WOONVISIE,
        DocumentType.VERSLAG_OVERLEG,
        DocumentType.CONCEPT_PRESTATIEAFSPRAKEN,
        DocumentType.CORRESPONDENTIE,
    ),
    "nakoming": (
        DocumentType.VERZOEK,
        DocumentType.ONDERTEKENDE_PRESTATIEAFSPRAKEN,
        DocumentType.MONITOR,
        DocumentType.INGEBREKESTELLING,
    ),
}
RECOMMENDED_DOCUMENTS = {
    "totstandkoming": (
        DocumentType.UITNODIGING_OVERLEG,
        DocumentType.INDICATIE_MIDDELEN,
        DocumentType.PROCESAFSPRAKEN,
        DocumentType.VERSLAG_MEDIATION,
        DocumentType.MACHTIGING,
    ),
    "nakoming": (
        DocumentType.REACTIE_WEDERPARTIJ,
        DocumentType.CORRESPONDENTIE,
        DocumentType.VERSLAG_MEDIATION,
        DocumentType.MACHTIGING,
    ),
}
#: Documents whose absence the guard already reports (an error, not a warning).
GUARDED_DOCUMENTS = {"nakoming": (DocumentType.ONDERTEKENDE_PRESTATIEAFSPRAKEN,)}


@dataclass(frozen=True)
class Facts:
    kind: str
    arose_on: date | None
    today: date
    rules: RuleSet
    overleg_started_on: date | None = None
    first_bod_on: date | None = None
    effort_count: int = 0
    #: dates of the notices to comply (ingebrekestellingen) and answers in the effort log
    notices: tuple[date, ...] = ()
    answers: tuple[date, ...] = ()
    document_types: frozenset = field(default_factory=frozenset)
    guard_problems: tuple[str, ...] = ()


def facts_of(dispute, *, today: date | None = None) -> Facts:
    """Everything the checks need, read from the draft, its agreement and the agreement's effort log."""
    today = today or clock.today()
    entries = list(dispute.agreement.effort_entries.values_list("kind", "occurred_on"))
    bods = sorted(d for k, d in entries if k == "bod")
    return Facts(
        kind=dispute.kind,
        arose_on=dispute.arose_on,
        today=today,
        rules=rule_set_on(today),
        overleg_started_on=dispute.agreement.overleg_started_on,
        first_bod_on=bods[0] if bods else None,
        effort_count=len(entries),
        notices=tuple(sorted(d for k, d in entries if k == "notice_to_comply")),
        answers=tuple(sorted(d for k, d in entries if k == "answer")),
        document_types=frozenset(dispute.documents.current().values_list("doc_type", flat=True)),
        guard_problems=tuple(guards.submission_problems(dispute)),
    )


def prechecks(dispute, *, today: date | None = None) -> list[Check]:
    return checks_from(facts_of(dispute, today=today))


def checks_from(facts: Facts) -> list[Check]:
    """The pre-checks in the order the review page shows them: what blocks first, then the rest."""
    checks = [Check("guard", False, ERROR, problem) for problem in facts.guard_problems]
    checks += [c for c in (
        _rule_set(facts),
        _filing_term(facts),
        _window(facts),
        _overleg(facts),
        _notice(facts),
        _effort_log(facts),
    ) if c is not None]
    checks.append(_documents(facts))
    return checks


def filing_term(arose_on: date, rules: RuleSet):
    """The filing term: ``filing_weeks`` after the day the dispute arose, Atw applied."""
    return compute_term(arose_on, weeks=rules.filing_weeks)


def _rule_set(facts: Facts) -> Check | None:
    if facts.kind in facts.rules.kinds:
        return None
    return Check(
        "rule_set", False, WARNING,
        _("De regels die vandaag gelden kennen geen geschillen over nakoming. Het secretariaat beoordeelt "
          "of uw verzoek in behandeling kan worden genomen."),
        (_("Regelset: %(code)s (reden A4)") % {"code": facts.rules.code},),
    )


def _filing_term(facts: Facts) -> Check | None:
    if facts.arose_on is None:
        return None  # the guard says the date is missing
    term = filing_term(facts.arose_on, facts.rules)
    explanation = (
        _("Woningwet art. 44 lid 4: indienen binnen %(weeks)d weken na het ontstaan van het geschil.")
        % {"weeks": facts.rules.filing_weeks},
        *term.explanation,
    )
    if facts.today <= term.due:
        return Check(
            "filing_term", True, WARNING,
            _("U dient op tijd in. De indieningstermijn loopt tot en met %(due)s.") % {"due": format_date_nl(term.due)},
            explanation,
        )
    return Check(
        "filing_term", False, WARNING,
        _("De indieningstermijn is verstreken op %(due)s. U kunt toch indienen; het secretariaat beoordeelt of "
          "het verzoek te laat is (reden A1).") % {"due": format_date_nl(term.due)},
        explanation,
    )


def in_window(day: date, window) -> bool:
    """Whether ``day`` falls in a yearly window ((month, day), (month, day)), inclusive, which may wrap the year."""
    (m1, d1), (m2, d2) = window
    start, end, here = (m1, d1), (m2, d2), (day.month, day.day)
    if start <= end:
        return start <= here <= end
    return here >= start or here <= end


def _window(facts: Facts) -> Check | None:
    window = facts.rules.window
    if facts.kind != "totstandkoming" or window is None:
        return None
    (m1, d1), (m2, d2) = window
    months = [_("januari"), _("februari"), _("maart"), _("april"), _("mei"), _("juni"), _("juli"), _("augustus"),
              _("september"), _("oktober"), _("november"), _("december")]
    span = _("%(d1)d %(m1)s tot en met %(d2)d %(m2)s") % {"d1": d1, "m1": months[m1 - 1], "d2": d2,
                                                          "m2": months[m2 - 1]}
    explanation = (
        _("Het ministerie neemt verzoeken over de totstandkoming van prestatieafspraken aan van %(span)s.")
        % {"span": span},
        _("Vandaag is het %(today)s.") % {"today": format_date_nl(facts.today)},
    )
    if in_window(facts.today, window):
        return Check("window", True, WARNING, _("U dient in binnen het tijdvak (%(span)s).") % {"span": span},
                     explanation)
    return Check(
        "window", False, WARNING,
        _("Vandaag valt buiten het tijdvak voor indienen (%(span)s). U kunt toch indienen; het secretariaat "
          "beoordeelt of het verzoek in behandeling kan worden genomen.") % {"span": span},
        explanation,
    )


def _overleg(facts: Facts) -> Check | None:
    if facts.kind != "totstandkoming":
        return None
    months = facts.rules.overleg_months
    start, source = facts.overleg_started_on, _("de startdatum van het overleg bij de prestatieafspraken")
    if start is None and facts.first_bod_on is not None:
        start, source = facts.first_bod_on, _("het eerste bod in het overleglogboek")
    if start is None:
        return Check(
            "overleg", False, WARNING,
            _("Het is niet bekend wanneer het overleg begon. Leg het bod vast in het overleglogboek, zodat blijkt "
              "dat er %(months)d maanden overleg is geweest.") % {"months": months},
            (_("Woningwet art. 44 lid 4: een geschil kan worden voorgelegd als het overleg niet binnen %(months)d "
               "maanden tot afspraken leidt.") % {"months": months},),
        )
    mark = add_period(start, months=months)
    explanation = (
        _("Woningwet art. 44 lid 4: een geschil kan worden voorgelegd als het overleg niet binnen %(months)d "
          "maanden tot afspraken leidt.") % {"months": months},
        _("Het overleg begon op %(start)s (bron: %(source)s).") % {"start": format_date_nl(start), "source": source},
        _("%(months)d maanden later: %(mark)s. Deze termijn wordt niet verlengd door de Algemene termijnenwet "
          "(langer dan 3 maanden, art. 4).") % {"months": months, "mark": format_date_nl(mark)},
    )
    if facts.today >= mark:
        return Check("overleg", True, WARNING,
                     _("Er is meer dan %(months)d maanden overleg gevoerd (sinds %(start)s).")
                     % {"months": months, "start": format_date_nl(start)}, explanation)
    return Check(
        "overleg", False, WARNING,
        _("Het overleg duurt nog geen %(months)d maanden: die zijn om op %(mark)s. Een verzoek dat eerder wordt "
          "ingediend kan niet-ontvankelijk zijn.") % {"months": months, "mark": format_date_nl(mark)},
        explanation,
    )


def _notice(facts: Facts) -> Check | None:
    """For nakoming: when the dispute arose according to the log (the answer, or 4 weeks of silence)."""
    if facts.kind != "nakoming" or not facts.notices:
        return None  # without a notice the guard already says what is missing
    notice = facts.notices[-1]
    answers = [a for a in facts.answers if a >= notice]
    if answers:
        arose = answers[0]
        how = _("de wederpartij reageerde op %(answer)s op de ingebrekestelling van %(notice)s") % {
            "answer": format_date_nl(arose), "notice": format_date_nl(notice)}
    else:
        silence = compute_term(notice, weeks=facts.rules.filing_weeks)
        arose = silence.due
        how = _("de ingebrekestelling van %(notice)s bleef %(weeks)d weken onbeantwoord (tot en met %(due)s)") % {
            "notice": format_date_nl(notice), "weeks": facts.rules.filing_weeks, "due": format_date_nl(arose)}
    explanation = (
        _("Bij nakoming ontstaat het geschil als de wederpartij reageert op de ingebrekestelling, of als die "
          "%(weeks)d weken onbeantwoord blijft.") % {"weeks": facts.rules.filing_weeks},
        _("Volgens het overleglogboek: %(how)s.") % {"how": how},
    )
    if facts.arose_on is not None and facts.arose_on < notice:
        return Check(
            "notice", False, WARNING,
            _("De datum waarop het geschil ontstond ligt vóór de ingebrekestelling (%(notice)s). Controleer de datum.")
            % {"notice": format_date_nl(notice)},
            explanation,
        )
    return Check("notice", True, WARNING,
                 _("Volgens het overleglogboek ontstond het geschil op %(arose)s.") % {"arose": format_date_nl(arose)},
                 explanation)


def _effort_log(facts: Facts) -> Check:
    explanation = (_("Partijen moeten aantonen dat zij er alles aan hebben gedaan om er samen uit te komen. "
                     "Het secretariaat toetst dit aan de hand van het overleglogboek."),)
    if facts.effort_count:
        return Check("effort_log", True, WARNING,
                     _("Het overleglogboek bevat %(count)d regel(s).") % {"count": facts.effort_count}, explanation)
    return Check("effort_log", False, WARNING,
                 _("Het overleglogboek is leeg. Leg vast wanneer en hoe u heeft overlegd."), explanation)


def missing_documents(kind: str, present) -> list[str]:
    return [t for t in REQUIRED_DOCUMENTS.get(kind, ()) if t not in present]


def _documents(facts: Facts) -> Check:
    guarded = GUARDED_DOCUMENTS.get(facts.kind, ())
    missing = [t for t in missing_documents(facts.kind, facts.document_types) if t not in guarded]
    labels = [str(DocumentType(t).label) for t in missing]
    explanation = (_("Bij dit soort geschil horen: %(types)s.") % {
        "types": ", ".join(str(DocumentType(t).label) for t in REQUIRED_DOCUMENTS.get(facts.kind, ()))},)
    if not missing:
        return Check("documents", True, WARNING, _("Alle vereiste documenten zijn toegevoegd."), explanation)
    return Check(
        "documents", False, WARNING,
        _("Nog niet toegevoegd: %(types)s. U kunt toch indienen; het secretariaat kan u vragen het verzoek aan "
          "te vullen.") % {"types": ", ".join(labels)},
        explanation,
    )
