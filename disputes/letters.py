"""The law's parts of the letters (disputes/letterbook.py makes the letters themselves, docs/letters.md): who the
Minister is and under which function her officials sign, who receives an extension notice and at which address,
the rechtsmiddelenclausule of each kind of letter, and the reasons of inadmissibility in words. Not editable by the
secretariat: these follow the law and the configuration.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from .models import Dispute


def minister() -> str:
    return getattr(settings, "MINISTER_TITLE", "de Minister van Volkshuisvesting en Ruimtelijke Ordening")


def mandate_function() -> str:
    """The function of the official who signs for the Minister under mandate (configuration)."""
    return getattr(settings, "MINISTER_MANDATE_FUNCTION", "de directeur Woningmarkt")


def upper_first(value: str) -> str:
    """The first letter in capitals, the rest as it is (``str.capitalize`` would lower "Minister")."""
    return value[:1].upper() + value[1:]


#: the capacity in which an organisation receives an extension notice (BTIV art. 40 lid 2)
NOTICE_CAPACITIES = ("applicant", "respondent", "municipality")


def extension_addressees(dispute: Dispute) -> list[tuple[str, object]]:
    """Who receives the notice of an extension of the decision term (BTIV art. 40 lid 2): every party to the
    case, as ``(capacity, organisation)``, and the college van B&W of the gemeente of the agreement, as
    ``("municipality", gemeente)``, also when the gemeente is itself a party or is none."""
    parties = [(p.role, p.organisation) for p in dispute.parties.select_related("organisation")]
    return [*parties, ("municipality", dispute.agreement.municipality)]


def notice_addresses(organisation, capacity: str) -> list[str]:
    """The e-mail addresses a letter to ``organisation`` goes to: a party's members and its general address;
    the college van B&W at the gemeente's general address (``Organisation.email``), or, when it has none, the
    gemeente's members. Empty: the organisation cannot be reached."""
    members = sorted({m.user.email for m in organisation.memberships.filter(ended_at__isnull=True)
                      .select_related("user") if m.user.is_active and m.user.email})
    general = [organisation.email] if organisation.email else []
    if capacity == "municipality":
        return general or members
    return sorted(set(members) | set(general))


def remedies_clause(kind: str) -> str:
    """The rechtsmiddelenclausule: what the addressee can do against this letter."""
    if kind == "herstelbesluit":
        return _correction_remedies()
    if kind == "niet_ontvankelijk":
        return _(
            "Bent u het niet eens met deze beslissing? Dan kunt u binnen zes weken na de dag van verzending "
            "een bezwaarschrift indienen bij %(minister)s (artikel 6:7 en 6:8 Algemene wet bestuursrecht). "
            "Vermeld in het bezwaarschrift ten minste uw naam en adres, de datum, het zaaknummer en de redenen "
            "van uw bezwaar, en onderteken het."
        ) % {"minister": minister()}
    if kind == "bindende_uitspraak" and settings.DECISION_REMEDY == "beroep":
        return _(
            "Bent u het niet eens met deze bindende uitspraak? Dan kunt u binnen zes weken na de dag "
            "van verzending van deze uitspraak beroep instellen bij %(court)s (artikel 6:7, 6:8 en 7:1 "
            "Algemene wet bestuursrecht). Vermeld in het beroepschrift ten minste uw naam en adres, de datum, "
            "het zaaknummer van deze uitspraak en de redenen van uw beroep, en onderteken het."
        ) % {"court": settings.DECISION_APPEAL_BODY}
    if kind == "bindende_uitspraak":
        return _(
            "Bent u het niet eens met deze bindende uitspraak? Dan kunt u binnen zes weken na de dag "
            "van verzending van deze uitspraak een bezwaarschrift indienen bij %(minister)s (artikel 6:7 "
            "en 6:8 Algemene wet bestuursrecht). Vermeld in het bezwaarschrift ten minste uw naam en adres, "
            "de datum, het zaaknummer van deze uitspraak en de redenen van uw bezwaar, en onderteken het."
        ) % {"minister": minister()}
    if kind == "verlengingsbericht":
        return _(
            "Tegen deze mededeling staat geen afzonderlijk bezwaar of beroep open; u kunt uw bezwaren "
            "betrekken bij een bezwaar tegen de bindende uitspraak (artikel 6:3 Algemene wet bestuursrecht)."
        )
    return _(
        "Deze brief is geen besluit in de zin van de Algemene wet bestuursrecht; er staat geen bezwaar "
        "of beroep tegen open. Uw rechten blijven bewaard tot de bindende uitspraak."
    )


def reasons_in_words(codes) -> str:
    """Reason codes as the words of their labels (A3 -> "A3 gaat over de inhoud van gemeentelijk beleid")."""
    from .models import InadmissibilityReason

    return "; ".join(str(InadmissibilityReason(c).label) if c in InadmissibilityReason.values else str(c)
                     for c in codes)


def _correction_remedies() -> str:
    if settings.DECISION_REMEDY == "beroep":
        return _(
            "Bent u het niet eens met dit herstelbesluit? Dan kunt u binnen zes weken na de dag van verzending "
            "ervan beroep instellen bij %(court)s (artikel 6:7, 6:8 en 7:1 Algemene wet bestuursrecht). Vermeld "
            "het zaaknummer en de redenen van uw beroep, en onderteken het."
        ) % {"court": settings.DECISION_APPEAL_BODY}
    return _(
        "Bent u het niet eens met dit herstelbesluit? Dan kunt u binnen zes weken na de dag van verzending ervan "
        "een bezwaarschrift indienen bij %(minister)s (artikel 6:7 en 6:8 Algemene wet bestuursrecht). Vermeld "
        "ten minste uw naam en adres, de datum, het zaaknummer en de redenen van uw bezwaar, en onderteken het."
    ) % {"minister": minister()}
