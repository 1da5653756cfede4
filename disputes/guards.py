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


def admissibility_problems(dispute) -> list[str]:
    points = list(dispute.points.all())
    if any(p.admissibility == "pending" for p in points):
        return [_("Nog niet over elk geschilpunt is de ontvankelijkheid beoordeeld.")]
    if not any(p.admissibility == "admissible" for p in points):
        return [_("Geen enkel geschilpunt is ontvankelijk; verklaar het verzoek niet-ontvankelijk.")]
    return []


def admissibility_complete(dispute) -> bool:
    return not admissibility_problems(dispute)


def efforts_problems(dispute) -> list[str]:
    if dispute.efforts_sufficient is None:
        return [_("De inspanningen zijn nog niet getoetst.")]
    if not dispute.efforts_sufficient:
        return [_("De inspanningen zijn als onvoldoende beoordeeld.")]
    return []


def efforts_sufficient(dispute) -> bool:
    return not efforts_problems(dispute)


def advice_problems(dispute) -> list[str]:
    if dispute.points.filter(admissibility="admissible", advice_finding="").exists():
        return [_("Niet elk ontvankelijk geschilpunt heeft een bevinding van de adviescommissie.")]
    return []


def advice_complete(dispute) -> bool:
    return not advice_problems(dispute)


def decision_problems(dispute) -> list[str]:
    if dispute.points.filter(admissibility="admissible", decision_finding="").exists():
        return [_("Niet over elk ontvankelijk geschilpunt is een beslissing genomen.")]
    return []


def decision_complete(dispute) -> bool:
    return not decision_problems(dispute)


#: transition name -> the function that explains why its guard fails
GUARD_PROBLEMS = {
    "submit": submission_problems,
    "pass_admissibility": admissibility_problems,
    "accept": efforts_problems,
    "issue_advice": advice_problems,
    "decide": decision_problems,
}
