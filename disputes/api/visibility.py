"""What a connected application sees (issue 18, docs/api.md): the one place of the API's visibility rule.

- never a draft (``DisputeState.DRAFT``), nor anything of one;
- only cases of the application's kinds (``ApiApplication.kinds``; empty: every kind);
- documents and events up to its highest confidentiality (``ApiApplication.max_confidentiality``), documents as
  the web shows them (``Document.objects.current()``: not withdrawn from a draft, no legacy dossier rows);
- of a case's events only those since its submission (the draft's history stays with its applicants, as on the
  respondents' pages: ``selectors.without_draft_history``);
- the commission's advice per point once it is issued, the Minister's decision per point once it is adopted;
- the dossier's party version, the full version too for an application cleared up to ``internal``.

Everything else answers 404, exactly like an object that does not exist. The scope a request needs (403 without
it) is ``permissions.ScopePermission``'s business, not this module's.
"""

from django.db.models import F, Q, QuerySet

from ..models import (
    ApiApplication,
    Confidentiality,
    Dispute,
    DisputeEvent,
    DisputeKind,
    Document,
    DossierAudience,
    DossierExport,
)
from ..states import DisputeState

#: the confidentiality levels in ascending order (the order ``Confidentiality`` lists them)
LEVELS = tuple(Confidentiality.values)


def levels(application: ApiApplication) -> tuple[str, ...]:
    """The confidentiality levels up to and including the application's highest."""
    highest = application.max_confidentiality if application.max_confidentiality in LEVELS else LEVELS[0]
    return LEVELS[:LEVELS.index(highest) + 1]


def kinds(application: ApiApplication) -> tuple[str, ...]:
    wanted = [kind for kind in (application.kinds or []) if kind in DisputeKind.values]
    return tuple(wanted) if application.kinds else tuple(DisputeKind.values)


def case_filter(application: ApiApplication, prefix: str = "") -> Q:
    """The condition on a case (through ``prefix``, e.g. ``dispute__``) for the application to see it."""
    return ~Q(**{f"{prefix}state": DisputeState.DRAFT}) & Q(**{f"{prefix}kind__in": kinds(application)}) & Q(
        **{f"{prefix}submitted_at__isnull": False})


def cases(application: ApiApplication) -> QuerySet[Dispute]:
    return Dispute.objects.filter(case_filter(application))


def documents(application: ApiApplication) -> QuerySet[Document]:
    return Document.objects.current().filter(
        case_filter(application, "dispute__"), dispute__isnull=False, confidentiality__in=levels(application))


def events(application: ApiApplication) -> QuerySet[DisputeEvent]:
    return DisputeEvent.objects.filter(
        case_filter(application, "dispute__"), visibility__in=levels(application),
        at__gte=F("dispute__submitted_at"))


def audiences(application: ApiApplication) -> tuple[str, ...]:
    """The dossier versions the application may follow and download."""
    if Confidentiality.INTERNAL in levels(application):
        return (DossierAudience.PARTY, DossierAudience.FULL)
    return (DossierAudience.PARTY,)


def exports(application: ApiApplication) -> QuerySet[DossierExport]:
    return DossierExport.objects.filter(case_filter(application, "dispute__"),
                                        audience__in=audiences(application))


#: states in which the commission's advice per point is out (issued, then decided on)
ADVICE_SHOWN = frozenset({DisputeState.ADVICE_ISSUED, DisputeState.DECIDED})


def advice_shown(dispute: Dispute) -> bool:
    """Whether the commission's advice per point is issued: while it deliberates, its draft is its own."""
    return dispute.state in ADVICE_SHOWN or (dispute.decided_at is not None and dispute.state != DisputeState.DRAFT)


def decision_shown(dispute: Dispute) -> bool:
    """Whether the Minister's decision is adopted (a draft per point is the officials' own until then)."""
    return dispute.decided_at is not None
