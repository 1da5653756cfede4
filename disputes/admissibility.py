"""The pre-checks of admissibility (procedure.md §3, §4, §7): the domain rule the portal shows a party
before filing and the staff pages show as it stood on the filing day (workflow/casefile.py), one
implementation for both.

Two layers: ``facts_of(dispute)`` reads what the checks need from the database; ``checks_from(facts)``
is a pure function of those facts (unit-tested without a database). A failed check is a *warning*
the party may still file with (the secretary decides on admissibility), except the problems the
transition guards make impossible (``guards.submission_problems``): those are *errors*.
"""

from dataclasses import dataclass, field, replace
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import clock, guards
from .atw import Term, add_period, compute_term, format_date_nl, next_working_day
from .models import Dispute, Document, DocumentType, PartyRole
from .rules import RuleSet, rule_set_on
from .states import OPEN_STATES

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
    #: other cases the check is about, as (pk, case number) pairs: the pages link to them
    cases: tuple[tuple[str, str], ...] = ()

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
    #: types of the documents attached to the agreement's effort log (they count for the checklist too)
    log_document_types: frozenset = field(default_factory=frozenset)
    guard_problems: tuple[str, ...] = ()
    #: open cases (pk, case number) of the same applicant about the same agreement and kind
    open_cases: tuple[tuple[str, str], ...] = ()
    #: who reads the checks: the applicant on the portal (addressed as "u") or the staff, who read about the
    #: applicant ("de verzoeker")
    reader: str = "applicant"


APPLICANT, STAFF = "applicant", "staff"


def _to(facts: Facts, applicant, staff):
    """The sentence for the reader: to the applicant ("U dient ..."), or about the applicant for the staff."""
    return staff if facts.reader == STAFF else applicant


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
        log_document_types=log_document_types(dispute.agreement, until=dispute.submitted_at),
        guard_problems=tuple(guards.submission_problems(dispute)),
        open_cases=open_cases_like(dispute),
    )


def log_document_types(agreement, *, until=None) -> frozenset:
    """The types of the documents attached to the agreement's effort log (up to the moment ``until``, for a filed
    case its filing): part of the file of every case on the agreement, so a filing need not add them again."""
    documents = Document.objects.current().filter(effort_entry__agreement=agreement)
    if until is not None:
        documents = documents.filter(uploaded_at__lte=until)
    return frozenset(documents.values_list("doc_type", flat=True))


def open_cases_like(dispute) -> tuple[tuple[str, str], ...]:
    """The open cases (filed, not concluded) in which an applicant of ``dispute`` is (still) an applicant, about
    the same agreement and of the same kind: (pk, case number), oldest first; ``dispute`` itself excluded, and for
    a filed ``dispute`` the cases filed after it (the first of two is not the second)."""
    applicants = dispute.parties.filter(role=PartyRole.APPLICANT, withdrawn_at__isnull=True).values("organisation")
    cases = Dispute.objects.filter(agreement_id=dispute.agreement_id, kind=dispute.kind, state__in=OPEN_STATES,
                                   parties__role=PartyRole.APPLICANT, parties__withdrawn_at__isnull=True,
                                   parties__organisation__in=applicants).exclude(pk=dispute.pk)
    if dispute.submitted_at is not None:
        cases = cases.filter(submitted_at__lt=dispute.submitted_at)
    cases = cases.distinct().order_by("submitted_at", "pk").values_list("pk", "case_number")
    return tuple((str(pk), number or "") for pk, number in cases)


def prechecks(dispute, *, today: date | None = None, reader: str = APPLICANT) -> list[Check]:
    """The pre-checks of a draft or filed case; ``reader`` is ``APPLICANT`` (the portal) or ``STAFF``."""
    return checks_from(replace(facts_of(dispute, today=today), reader=reader))


def checks_from(facts: Facts) -> list[Check]:
    """The pre-checks in the order the review page shows them: what blocks first, then the rest."""
    checks = [Check("guard", False, ERROR, problem) for problem in facts.guard_problems]
    checks += [c for c in (
        _duplicate(facts),
        _rule_set(facts),
        _filing_term(facts),
        _window(facts),
        _overleg(facts),
        _notice(facts),
        _effort_log(facts),
    ) if c is not None]
    checks.append(_documents(facts))
    return checks


#: Where the date the filing term runs from comes from (``FilingTerm.source``).
TYPED = "typed"  # the date the applicant typed ("ontstaan op")
SIX_MONTHS = "six_months"  # totstandkoming: the six-month mark of the overleg (typed date earlier)
LOG_ANSWER = "log_answer"  # nakoming: the answer to the notice to comply in the effort log
LOG_SILENCE = "log_silence"  # nakoming: the notice to comply went unanswered for the filing weeks


@dataclass(frozen=True)
class FilingTerm:
    """The filing term of a request: the one computation the portal, the staff pages and the stored FILING
    deadline use (``filing_term_for``)."""

    #: the date the applicant typed
    typed: date
    #: the date the term runs from, and where it comes from (TYPED, SIX_MONTHS, LOG_ANSWER, LOG_SILENCE)
    used: date
    source: str
    #: the term (Atw applied) with its explanation
    term: Term
    #: lines saying why ``used`` is the start: the law and where the date comes from
    basis: tuple[str, ...]
    #: when the typed date conflicts with the law or the log: one message saying which date is used and why
    conflict: str = ""

    @property
    def due(self) -> date:
        return self.term.due

    @property
    def why(self) -> tuple[str, ...]:
        """``basis`` plus the conflict, the lines stored before the term's own explanation."""
        return (*self.basis, self.conflict) if self.conflict else self.basis


def _overleg_start(facts: Facts) -> tuple[date, str] | None:
    """When the overleg began: the agreement's start date, else the first bod in the effort log."""
    if facts.overleg_started_on is not None:
        return facts.overleg_started_on, _("de startdatum van het overleg bij de prestatieafspraken")
    if facts.first_bod_on is not None:
        return facts.first_bod_on, _("het eerste bod in het overleglogboek")
    return None


def _arose_by_log(facts: Facts) -> tuple[date, str, str, date] | None:
    """For nakoming: when the dispute arose according to the effort log (date, source, how, notice)."""
    if not facts.notices:
        return None
    notice = facts.notices[-1]
    answers = [a for a in facts.answers if a >= notice]
    if answers:
        how = _("de wederpartij reageerde op %(answer)s op de ingebrekestelling van %(notice)s") % {
            "answer": format_date_nl(answers[0]), "notice": format_date_nl(notice)}
        return answers[0], LOG_ANSWER, how, notice
    arose = compute_term(notice, weeks=facts.rules.filing_weeks).due
    how = _("de ingebrekestelling van %(notice)s bleef %(weeks)d weken onbeantwoord (tot en met %(due)s)") % {
        "notice": format_date_nl(notice), "weeks": facts.rules.filing_weeks, "due": format_date_nl(arose)}
    return arose, LOG_SILENCE, how, notice


def filing_term_for(facts: Facts) -> FilingTerm | None:
    """The filing term (Woningwet art. 44 lid 4: "binnen vier weken na het ontstaan van het geschil"), from
    the date the product decides the dispute arose; ``None`` without a typed date (the guard asks for one).

    - totstandkoming: a dispute can only be put to the Minister once the overleg has not led to agreements
      within six months, so the term runs from the LATER of the typed date and the six-month mark (a typed
      date before the mark would make the term end before filing is possible at all).
    - nakoming: the dispute arises when the other party answers the notice to comply, or when that notice
      stays unanswered for the filing weeks (effort log). A typed date LATER than that, or before the notice,
      is not used: the term runs from the log's date. A typed date between the notice and the log's date is
      used (an earlier answer may be missing from the log).
    When the typed date is not used, ``conflict`` says which date is used and why: one warning, not two.
    """
    typed = facts.arose_on
    if typed is None:
        return None
    weeks = facts.rules.filing_weeks
    basis = [_("Woningwet art. 44 lid 4: indienen binnen %(weeks)d weken na het ontstaan van het geschil.")
             % {"weeks": weeks}]
    used, source, conflict = typed, TYPED, ""
    if facts.kind == "totstandkoming":
        start = _overleg_start(facts)
        if start is not None:
            months = facts.rules.overleg_months
            mark = add_period(start[0], months=months)
            basis.append(
                _("Een geschil kan pas worden voorgelegd als het overleg niet binnen %(months)d maanden tot "
                  "afspraken leidt; het overleg begon op %(start)s (bron: %(source)s), de %(months)d maanden zijn "
                  "om op %(mark)s (niet verlengd door de Algemene termijnenwet: langer dan 3 maanden, art. 4).")
                % {"months": months, "start": format_date_nl(start[0]), "source": start[1],
                   "mark": format_date_nl(mark)})
            if typed < mark:
                used, source = mark, SIX_MONTHS
                conflict = _(
                    "U vulde in dat het geschil ontstond op %(typed)s, maar het overleg duurt pas op %(mark)s "
                    "%(months)d maanden. Eerder kan een geschil niet worden voorgelegd (Woningwet art. 44 lid 4). "
                    "Wij rekenen de indieningstermijn daarom vanaf %(mark)s."
                ) % {"typed": format_date_nl(typed), "mark": format_date_nl(mark), "months": months}
    elif facts.kind == "nakoming":
        by_log = _arose_by_log(facts)
        if by_log is not None:
            arose, log_source, how, notice = by_log
            basis.append(_("Bij nakoming ontstaat het geschil als de wederpartij reageert op de ingebrekestelling, "
                           "of als die %(weeks)d weken onbeantwoord blijft. Volgens het overleglogboek: %(how)s.")
                         % {"weeks": weeks, "how": how})
            if typed > arose:
                used, source = arose, log_source
                conflict = _(
                    "U vulde in dat het geschil ontstond op %(typed)s, maar volgens het overleglogboek ontstond het "
                    "al op %(arose)s. Wij rekenen de indieningstermijn daarom vanaf %(arose)s; een latere datum "
                    "verlengt de termijn niet."
                ) % {"typed": format_date_nl(typed), "arose": format_date_nl(arose)}
            elif typed < notice:
                used, source = arose, log_source
                conflict = _(
                    "U vulde in dat het geschil ontstond op %(typed)s, vóór de ingebrekestelling van %(notice)s. "
                    "Een geschil over nakoming ontstaat pas na de ingebrekestelling; volgens het overleglogboek op "
                    "%(arose)s. Wij rekenen de indieningstermijn daarom vanaf %(arose)s."
                ) % {"typed": format_date_nl(typed), "notice": format_date_nl(notice), "arose": format_date_nl(arose)}
    return FilingTerm(typed=typed, used=used, source=source, term=compute_term(used, weeks=weeks),
                      basis=tuple(basis), conflict=conflict)


def _rule_set(facts: Facts) -> Check | None:
    """Whether the rules of today cover this kind of dispute, and whether they are provisional.

    A nakoming request under a rule set without nakoming is inadmissible (reason A4): the Wet versterking regie
    volkshuisvesting (Kamerstuk 36 512) has no commencement date until one is configured. The party may still
    file (the Minister then declares the request inadmissible, a decision open to objection), so this is a
    warning, said plainly. Under a provisional rule set the party is told the rules are provisional."""
    rules = facts.rules
    if not rules.covers(facts.kind):
        return Check(
            "rule_set", False, WARNING,
            _to(facts,
                _("Uw verzoek is niet-ontvankelijk (reden A4): volgens de regels die vandaag gelden kan de Minister "
                  "geen bindende uitspraak doen over de nakoming van prestatieafspraken. De Wet versterking regie "
                  "volkshuisvesting, die geschillen over nakoming mogelijk maakt, is nog niet in werking getreden. "
                  "Als u toch indient, verklaart de Minister het verzoek niet-ontvankelijk; over de inhoud wordt "
                  "dan niet beslist."),
                _("Het verzoek is niet-ontvankelijk (reden A4): volgens de regels die op deze dag gelden kan de "
                  "Minister geen bindende uitspraak doen over de nakoming van prestatieafspraken. De Wet versterking "
                  "regie volkshuisvesting, die geschillen over nakoming mogelijk maakt, is nog niet in werking "
                  "getreden.")),
            (_("Regelset: %(code)s (%(law)s); die kent alleen geschillen over de totstandkoming van "
               "prestatieafspraken.") % {"code": rules.code, "law": rules.law},
             _("Reden A4: het verzoek gaat over nakoming onder een regelset zonder nakoming.")),
        )
    if rules.provisional:
        return Check(
            "rule_set", False, WARNING,
            _("Voor dit verzoek gelden voorlopige regels (regelset %(code)s). De %(law)s heeft nog geen "
              "vastgestelde datum van inwerkingtreding; de regels kunnen nog veranderen.")
            % {"code": rules.code, "law": rules.law},
            (_("In deze omgeving gelden deze regels vanaf %(date)s (instelling NAKOMING_EFFECTIVE_FROM).")
             % {"date": format_date_nl(rules.effective_from)},) if rules.effective_from else (),
        )
    return None


def _filing_term(facts: Facts) -> Check | None:
    chosen = filing_term_for(facts)
    if chosen is None:
        return None  # the guard says the date is missing
    due = format_date_nl(chosen.due)
    explanation = (*chosen.basis, *chosen.term.explanation)
    if facts.today < chosen.used:  # only when the six months of overleg are not over yet
        status, ok = _to(
            facts,
            _("U kunt indienen vanaf %(used)s tot en met %(due)s. Een verzoek dat eerder wordt ingediend kan "
              "niet-ontvankelijk zijn."),
            _("Indienen kon vanaf %(used)s tot en met %(due)s; het verzoek kwam eerder en kan daarom "
              "niet-ontvankelijk zijn."),
        ) % {"used": format_date_nl(chosen.used), "due": due}, False
    elif facts.today <= chosen.due:
        status, ok = _to(facts, _("U dient op tijd in. De indieningstermijn loopt tot en met %(due)s."),
                         _("Op tijd ingediend. De indieningstermijn liep tot en met %(due)s.")) % {"due": due}, True
    else:
        status, ok = _to(
            facts,
            _("De indieningstermijn is verstreken op %(due)s. U kunt toch indienen; het secretariaat beoordeelt of "
              "het verzoek te laat is (reden A1)."),
            _("De indieningstermijn is verstreken op %(due)s: beoordeel of het verzoek te laat is (reden A1)."),
        ) % {"due": due}, False
    if chosen.conflict:
        return Check("filing_term", False, WARNING, f"{chosen.conflict} {status}", explanation)
    return Check("filing_term", ok, WARNING, status, explanation)


def in_window(day: date, window) -> bool:
    """Whether ``day`` falls in a yearly window ((month, day), (month, day)), inclusive, which may wrap the year.
    The calendar only: :func:`window_extension` adds the Atw."""
    (m1, d1), (m2, d2) = window
    start, end, here = (m1, d1), (m2, d2), (day.month, day.day)
    if start <= end:
        return start <= here <= end
    return here >= start or here <= end


def window_extension(day: date, window) -> tuple[date, date] | None:
    """When ``day`` is after the window's last day only because that day fell on a Saturday, Sunday or Atw
    feestdag: (the last day, the working day it moves to; Atw art. 1). ``None`` otherwise."""
    if in_window(day, window):
        return None
    m2, d2 = window[1]
    for year in (day.year, day.year - 1):
        try:
            last = date(year, m2, d2)
        except ValueError:  # 29 February in a common year
            continue
        if last < day:
            moved = next_working_day(last)
            return (last, moved) if day <= moved else None
    return None


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
        return Check("window", True, WARNING,
                     _to(facts, _("U dient in binnen het tijdvak (%(span)s)."),
                         _("Ingediend binnen het tijdvak (%(span)s).")) % {"span": span},
                     explanation)
    extended = window_extension(facts.today, window)
    if extended is not None:
        last, moved = extended
        return Check(
            "window", True, WARNING,
            _to(facts,
                _("U dient in binnen het tijdvak: de laatste dag, %(last)s, is geen werkdag, zodat u nog kunt "
                  "indienen tot en met %(moved)s (Algemene termijnenwet art. 1)."),
                _("Ingediend binnen het tijdvak: de laatste dag, %(last)s, is geen werkdag, zodat indienen nog kon "
                  "tot en met %(moved)s (Algemene termijnenwet art. 1)."))
            % {"last": format_date_nl(last), "moved": format_date_nl(moved)},
            explanation,
        )
    return Check(
        "window", False, WARNING,
        _to(facts,
            _("Vandaag valt buiten het tijdvak voor indienen (%(span)s). U kunt toch indienen; het secretariaat "
              "beoordeelt of het verzoek in behandeling kan worden genomen."),
            _("Ingediend buiten het tijdvak voor indienen (%(span)s): beoordeel of het verzoek in behandeling kan "
              "worden genomen.")) % {"span": span},
        explanation,
    )


def _overleg(facts: Facts) -> Check | None:
    if facts.kind != "totstandkoming":
        return None
    chosen = filing_term_for(facts)
    if chosen is not None and chosen.source == SIX_MONTHS:
        return None  # the filing-term check says it, once: the term runs from the six-month mark
    months = facts.rules.overleg_months
    start, source = _overleg_start(facts) or (None, "")
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
    """For nakoming: when the dispute arose according to the log (the answer, or 4 weeks of silence). A typed
    date that conflicts with it is the filing-term check's one warning (``filing_term_for``), not a second."""
    by_log = _arose_by_log(facts) if facts.kind == "nakoming" else None
    if by_log is None:
        return None  # without a notice the guard already says what is missing
    arose, _source, how, _notice_on = by_log
    explanation = (
        _("Bij nakoming ontstaat het geschil als de wederpartij reageert op de ingebrekestelling, of als die "
          "%(weeks)d weken onbeantwoord blijft.") % {"weeks": facts.rules.filing_weeks},
        _("Volgens het overleglogboek: %(how)s.") % {"how": how},
    )
    return Check("notice", True, WARNING,
                 _("Volgens het overleglogboek ontstond het geschil op %(arose)s.") % {"arose": format_date_nl(arose)},
                 explanation)


def _effort_log(facts: Facts) -> Check:
    explanation = (_("Partijen moeten aantonen dat zij er alles aan hebben gedaan om er samen uit te komen. "
                     "Het secretariaat toetst dit aan de hand van het overleglogboek."),)
    if facts.effort_count:
        return Check("effort_log", True, WARNING,
                     ngettext("Het overleglogboek bevat %(count)d regel.", "Het overleglogboek bevat %(count)d regels.",
                              facts.effort_count) % {"count": facts.effort_count}, explanation)
    return Check("effort_log", False, WARNING,
                 _to(facts, _("Het overleglogboek is leeg. Leg vast wanneer en hoe u heeft overlegd."),
                     _("Het overleglogboek is leeg: de partijen hebben niet vastgelegd wanneer en hoe zij hebben "
                       "overlegd.")), explanation)


def missing_documents(kind: str, present) -> list[str]:
    return [t for t in REQUIRED_DOCUMENTS.get(kind, ()) if t not in present]


def _duplicate(facts: Facts) -> Check | None:
    """A second open dispute by the same applicant about the same agreement and kind: a warning naming the open
    case(s). Not an error: the secretariat decides (e.g. a new dispute point may justify a second request)."""
    if not facts.open_cases:
        return None
    numbers = ", ".join(number for _pk, number in facts.open_cases)
    return Check(
        "duplicate", False, WARNING,
        _to(facts,
            _("Uw organisatie heeft al een lopend geschil over deze prestatieafspraken van deze soort (zaaknummer "
              "%(numbers)s). Controleer of u dit geschil daar kunt inbrengen; een tweede verzoek over hetzelfde "
              "geschil kan niet-ontvankelijk zijn. U kunt toch indienen."),
            _("De verzoeker heeft al een lopend geschil over deze prestatieafspraken van deze soort (zaaknummer "
              "%(numbers)s). Beoordeel of dit verzoek daar hoort; een tweede verzoek over hetzelfde geschil kan "
              "niet-ontvankelijk zijn.")) % {"numbers": numbers},
        (_("Een lopend geschil is ingediend en nog niet afgerond (geen bindende uitspraak, niet ingetrokken of "
           "geschikt)."),),
        cases=facts.open_cases,
    )


def _documents(facts: Facts) -> Check:
    guarded = GUARDED_DOCUMENTS.get(facts.kind, ())
    present = facts.document_types | facts.log_document_types
    missing = [t for t in missing_documents(facts.kind, present) if t not in guarded]
    labels = [str(DocumentType(t).label) for t in missing]
    explanation = (_("Bij dit soort geschil horen: %(types)s.") % {
        "types": ", ".join(str(DocumentType(t).label) for t in REQUIRED_DOCUMENTS.get(facts.kind, ()))},)
    in_log = [t for t in REQUIRED_DOCUMENTS.get(facts.kind, ())
              if t in facts.log_document_types and t not in facts.document_types]
    if in_log:
        explanation += (_("Al in het overleglogboek (telt mee, niet opnieuw toevoegen): %(types)s.") % {
            "types": ", ".join(str(DocumentType(t).label) for t in in_log)},)
    if not missing:
        return Check("documents", True, WARNING, _("Alle vereiste documenten zijn toegevoegd."), explanation)
    return Check(
        "documents", False, WARNING,
        _to(facts,
            _("Nog niet toegevoegd: %(types)s. U kunt toch indienen; het secretariaat kan u vragen het verzoek aan "
              "te vullen."),
            _("Niet meegestuurd: %(types)s. Vraag de verzoeker zo nodig het verzoek aan te vullen (herstel "
              "verzuim).")) % {"types": ", ".join(labels)},
        explanation,
    )
