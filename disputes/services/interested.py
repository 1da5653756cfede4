"""The others of the agreement (issue 12, defect 9): a gemeente, corporation or tenants' organisation that made
the performance agreements but is neither applicant nor respondent in the dispute.

Before deciding, the Minister lets an interested party that can be expected to object give its view (Awb
art. 4:8): the secretariat invites such an organisation in the written round. The invitation makes it an
*interested party* of the case (``PartyRole.INTERESTED``): its members see the case as the parties do and answer
the invitation as any question of the secretariat, with its own term (``answer_information``). When the dispute
concerns it as much as the others, the secretariat joins it as a party: it becomes a respondent (verweerder),
bound by the decision and addressed by its letters.

Not built yet: joining related disputes about the same agreement for joint handling (one hearing, one advice);
see the note on issue 12.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import Confidentiality, Dispute, DisputeParty, Organisation, PartyRole
from ._core import change, lock, on_commit_notify, require_operation, service
from .proceedings import ask


def others_of_the_agreement(dispute: Dispute):
    """The organisations of the case's agreement that are no party to the case (yet), by name (one query)."""
    agreement = dispute.agreement_id
    return (Organisation.objects
            .filter(Q(agreements_as_municipality=agreement) | Q(agreements_as_corporation=agreement)
                    | Q(agreements_as_tenant_organisation=agreement))
            .exclude(pk__in=dispute.parties.values("organisation_id"))
            .distinct().order_by("name"))


def interested_parties(dispute: Dispute) -> list[DisputeParty]:
    return list(dispute.parties.filter(role=PartyRole.INTERESTED).select_related("organisation"))


def default_question(dispute: Dispute) -> str:
    return _(
        "U bent partij bij de prestatieafspraken %(year)s waarover dit geschil gaat, maar geen partij in het "
        "geschil. Voordat de Minister beslist, kunt u uw zienswijze geven (artikel 4:8 Algemene wet "
        "bestuursrecht). De stukken van het geschil staan in het portaal."
    ) % {"year": dispute.agreement.year}


@service
def dispute_invite_view(
    *, dispute: Dispute, actor, organisation: Organisation, question: str = "", deadline: date | None = None,
    documents=(), expected_version=None,
) -> Dispute:
    """The secretariat invites another party to the agreement to give its view (Awb 4:8), with a term."""
    dispute = lock(dispute, expected_version=expected_version)
    require_operation(dispute, "invite_view", actor=actor)
    existing = dispute.parties.filter(organisation=organisation).first()
    if existing is not None and existing.role != PartyRole.INTERESTED:
        raise ValidationError({"organisation": _("%(name)s is al partij in dit geschil.") % {
            "name": organisation.name}})
    if existing is None and not others_of_the_agreement(dispute).filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": _(
            "%(name)s is geen partij bij de prestatieafspraken waarover dit geschil gaat."
        ) % {"name": organisation.name}})
    if existing is None:
        DisputeParty.objects.create(dispute=dispute, organisation=organisation, role=PartyRole.INTERESTED)
    invited = change(dispute, actor=actor, kind="view_invited", organisation=organisation,
                     visibility=Confidentiality.PARTIES,
                     payload={"organisation": organisation.name, "source": "Awb art. 4:8",
                              "audience": {"organisations": [str(organisation.pk)], "roles": ["secretary"]}})
    on_commit_notify(invited)
    ask(dispute, actor=actor, party=organisation, question=question.strip() or default_question(dispute),
        deadline=deadline, documents=documents, payload={"view": True})
    return dispute


@service
def dispute_join_party(*, dispute: Dispute, actor, organisation: Organisation, reason: str,
                       expected_version=None) -> Dispute:
    """The secretariat joins an interested party as a party (respondent): the dispute concerns it as much as
    the others, and the decision will bind it."""
    dispute = lock(dispute, expected_version=expected_version)
    require_operation(dispute, "join_party", actor=actor)
    party = dispute.parties.filter(organisation=organisation, role=PartyRole.INTERESTED).first()
    if party is None:
        raise ValidationError({"organisation": _(
            "Alleen een belanghebbende die is uitgenodigd voor een zienswijze kan als partij worden toegevoegd."
        )})
    if not reason.strip():
        raise ValidationError({"reason": _("Motiveer waarom deze organisatie partij wordt.")})
    party.role = PartyRole.RESPONDENT
    party.save(update_fields=["role"])
    event = change(dispute, actor=actor, kind="party_joined", organisation=organisation,
                   visibility=Confidentiality.PARTIES,
                   payload={"organisation": organisation.name, "role": PartyRole.RESPONDENT, "reason": reason,
                            "audience": {"organisations": [str(pk) for pk in dispute.organisation_ids()],
                                         "roles": ["secretary"]}})
    on_commit_notify(event)
    return dispute
