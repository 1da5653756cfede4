"""Transition guards (django-fsm ``conditions=``): questions about the dispute's own data.

Each guard has a ``*_problems`` twin that says in words what is missing, so a service can give a
clear message instead of a bare "transition not allowed". The guard is simply "no problems".
"""

from django.utils.translation import gettext as _


def submission_problems(dispute) -> list[str]:
    """What stops a draft from being filed. The law makes a filing without these impossible."""
    problems = []
    parties = list(dispute.parties.all())
    applicants = {p.organisation_id for p in parties if p.role == "applicant"}
    respondents = {p.organisation_id for p in parties if p.role == "respondent"}
    if not applicants:
        problems.append(_("Geef aan welke organisatie(s) het verzoek indienen."))
    if not respondents:
        problems.append(_("Geef aan tegen welke organisatie(s) het geschil zich richt."))
    if not dispute.points.exists():
        problems.append(_("Beschrijf ten minste één geschilpunt."))
    if dispute.arose_on is None:
        problems.append(_("Vul de datum in waarop het geschil is ontstaan."))
    if dispute.kind == "nakoming":
        if notice_to_comply_missing(dispute):
            problems.append(
                _("Bij een geschil over nakoming hoort een ingebrekestelling in het overleglogboek.")
            )
        if not dispute.documents.current().filter(doc_type="ondertekende_prestatieafspraken").exists():
            problems.append(
                _("Bij een geschil over nakoming moeten de ondertekende prestatieafspraken worden bijgevoegd.")
            )
    return problems


def notice_to_comply_missing(dispute) -> bool:
    """A nakoming dispute needs a notice to comply (ingebrekestelling) in the effort log: the one rule the
    filing guard and the wizard's effort-log step read (the pre-checks read its date in admissibility.py)."""
    return dispute.kind == "nakoming" and not dispute.agreement.effort_entries.filter(kind="notice_to_comply").exists()


def can_be_submitted(dispute) -> bool:
    return not submission_problems(dispute)


def rule_set_problems(dispute) -> list[str]:
    """A case of a kind its rule set does not cover cannot be decided on the merits: a nakoming request under a
    rule set without nakoming (Woningwet art. 44 as it stands; the Wet versterking regie volkshuisvesting has no
    commencement date until one is configured) is inadmissible, reason A4. The way out is the inadmissibility of
    the whole request (``declare_inadmissible``); this guard refuses every step towards a decision on the
    merits (``pass_admissibility``, ``accept``, ``issue_advice``, ``decide``)."""
    if dispute.rules_cover_kind():
        return []
    return [
        _("Over dit verzoek kan niet inhoudelijk worden beslist: de regels die op de dag van indienen golden "
          "(regelset %(code)s) kennen geen geschillen over %(kind)s. Het verzoek is niet-ontvankelijk (reden A4); "
          "verklaar het geheel niet-ontvankelijk.") % {"code": dispute.rule_set or "-", "kind": dispute.kind}
    ]


def admissibility_problems(dispute) -> list[str]:
    points = list(dispute.points.all())
    if any(p.admissibility == "admissible" for p in points) and (problems := rule_set_problems(dispute)):
        return problems
    if any(p.admissibility == "pending" for p in points):
        return [_("Nog niet over elk geschilpunt is de ontvankelijkheid beoordeeld.")]
    if not any(p.admissibility == "admissible" for p in points):
        return [_("Geen enkel geschilpunt is ontvankelijk; verklaar het verzoek niet-ontvankelijk.")]
    return []


def admissibility_complete(dispute) -> bool:
    return not admissibility_problems(dispute)


def efforts_problems(dispute) -> list[str]:
    if problems := rule_set_problems(dispute):
        return problems
    if dispute.efforts_sufficient is None:
        return [_("De inspanningen zijn nog niet getoetst.")]
    if not dispute.efforts_sufficient:
        return [_("De inspanningen zijn als onvoldoende beoordeeld.")]
    return []


def efforts_sufficient(dispute) -> bool:
    return not efforts_problems(dispute)


def composition_problems(dispute) -> list[str]:
    """What the case's commission lacks before it can advise: its seated chair and
    ``COMMISSION_MEMBERS_PER_CASE`` members (docs/adr/0017-the-commission-per-case.md); empty when complete."""
    from django.conf import settings

    # a joined case is advised by the commission seated for its lead case (disputes/services/joined.py)
    seated = dispute.joined_to.commission_seats if dispute.joined_to_id else dispute.commission_seats
    roles = list(seated.filter(ended_at__isnull=True).values_list("role", flat=True))
    if not roles:
        return [_("De samenstelling van de adviescommissie voor dit geschil is nog niet vastgesteld.")]
    problems, need = [], int(getattr(settings, "COMMISSION_MEMBERS_PER_CASE", 2))
    if "chair" not in roles:
        problems.append(_("De commissie heeft voor dit geschil geen voorzitter."))
    if roles.count("member") < need:
        problems.append(_("De commissie heeft voor dit geschil %(have)d van de %(need)d leden.")
                        % {"have": roles.count("member"), "need": need})
    return problems


def advice_problems(dispute) -> list[str]:
    if problems := rule_set_problems(dispute):
        return problems
    if problems := composition_problems(dispute):
        return problems
    # the point as the commission advises it: its own advice on admissibility, else the secretariat's proposal
    if any((p.advice_admissibility or p.admissibility) == "admissible" and not p.advice_finding
           for p in dispute.points.all()):
        return [_("Niet elk ontvankelijk geschilpunt heeft een bevinding van de adviescommissie.")]
    return []


def advice_complete(dispute) -> bool:
    return not advice_problems(dispute)


def decision_problems(dispute) -> list[str]:
    if problems := rule_set_problems(dispute):
        return problems
    points = list(dispute.points.all())
    # the secretariat's verdict on admissibility is a proposal: the Minister decides every point's admissibility
    if any(not p.decision_admissibility for p in points):
        return [_("Niet over de ontvankelijkheid van elk geschilpunt is beslist (het oordeel van het "
                  "secretariaat is een voorstel).")]
    if any(p.decision_admissibility == "admissible" and not p.decision_finding for p in points):
        return [_("Niet over elk ontvankelijk geschilpunt is een beslissing genomen.")]
    return []


def decision_complete(dispute) -> bool:
    return not decision_problems(dispute)


def withdrawal_problems(dispute) -> list[str]:
    """The case ends by withdrawal when its last applicant has withdrawn (procedure.md §0: a co-applicant's
    withdrawal ends only its own part of a joint request); a draft is withdrawn as a whole."""
    from .states import DisputeState

    if dispute.state == DisputeState.DRAFT:
        return []
    if any(p.role == "applicant" and p.withdrawn_at is None for p in dispute.parties.all()):
        return [_("Niet elke verzoeker heeft het verzoek ingetrokken; het geschil loopt door voor de andere "
                  "verzoekers.")]
    return []


#: transition name -> the function that explains why its guard fails
GUARD_PROBLEMS = {
    "withdraw": withdrawal_problems,
    "submit": submission_problems,
    "pass_admissibility": admissibility_problems,
    "accept": efforts_problems,
    "issue_advice": advice_problems,
    "decide": decision_problems,
}
