"""Who may do what on which case. Per-object rules live here and nowhere else.

Every rule is a plain predicate ``can_<verb>(user, dispute) -> bool``; ``require`` turns a False
into a ``NotPermitted``. Views load cases through ``get_dispute_for_user_or_404`` so a case the user
may not see answers exactly like a case that does not exist.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils.translation import gettext as _

from .errors import NotPermitted
from .models import (
    ApiScope,
    ArchiveRole,
    CaseSeatRole,
    Confidentiality,
    Dispute,
    DossierAudience,
    PartyRole,
    StaffRole,
)
from .states import OPERATIONS, TRANSITIONS, Actor, DisputeState
from .visibility import organisation_ids, roles  # re-exported: permissions.roles(user) etc.


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise NotPermitted(message or _("U heeft geen toestemming voor deze handeling."))


def has_role(user, *wanted: str) -> bool:
    return bool(roles(user) & set(wanted))


def is_staff_member(user) -> bool:
    return has_role(user, *StaffRole.values)


def can_view_dashboard(user) -> bool:
    """The dashboard's figures over all cases (/werk/overzicht/): the secretariat and the ministry's officials;
    the commission advises per case and sees no figures across them."""
    return bool(user.is_active and (user.is_superuser or has_role(user, StaffRole.SECRETARY,
                                                                  StaffRole.MINISTER_OFFICIAL)))


def can_manage_organisations(user) -> bool:
    """Party organisations, their memberships and invitations (/werk/organisaties/, docs/accounts.md): the
    secretariat (and superusers)."""
    return bool(user is not None and user.is_authenticated and user.is_active
                and (user.is_superuser or has_role(user, StaffRole.SECRETARY)))


def can_publish(user) -> bool:
    """Publishing decisions without personal data (docs/publication.md): the secretariat prepares, reviews and a
    second member of it approves (four eyes: ``services.publication.reviewers_excluded``)."""
    return can_manage_organisations(user)


def can_edit_letter_templates(user) -> bool:
    """The wording of the letters (/werk/brieven/, docs/letters.md): the secretariat (and superusers)."""
    return can_manage_organisations(user)


def _archive_role(user, role: str) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and has_role(user, role))


def can_manage_records(user) -> bool:
    """The record manager (docs/archive.md): builds destruction lists of cases whose term has passed, and makes
    the transfer export of cases to be kept. Sees the archive's lists, not the cases' contents."""
    return _archive_role(user, ArchiveRole.RECORD_MANAGER)


def can_review_destruction(user) -> bool:
    """The reviewer of a destruction list (the secretariat's own verdict on its cases): approves or sends back."""
    return _archive_role(user, ArchiveRole.REVIEWER)


def can_approve_destruction(user) -> bool:
    """The archivist: the last verdict on a destruction list, after the reviewer; then the files are destroyed."""
    return _archive_role(user, ArchiveRole.ARCHIVIST)


def is_archive_staff(user) -> bool:
    """Any of the archive's three roles (they log in with the staff's second factor)."""
    return can_manage_records(user) or can_review_destruction(user) or can_approve_destruction(user)


def can_manage_applications(user) -> bool:
    """Connected applications, their keys and subscriptions (/werk/applicaties/, docs/api.md): the secretariat."""
    return can_manage_organisations(user)


def application_of(user):
    """The connected application a request acts for (the API's key authentication sets ``request.user`` to the
    application's own account), or None for a person."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.api_application
    except ObjectDoesNotExist:  # a person, not an application
        return None


def application_may(user, scope: str) -> bool:
    """Whether the request's application holds ``scope`` (``ApiScope``) and is not revoked."""
    application = application_of(user)
    return bool(application is not None and application.revoked_at is None and scope in application.scopes
                and scope in ApiScope.values)


def application_sees(user, dispute: Dispute) -> bool:
    """Whether the request's application may see this case at all: a filed case (never a draft) of one of its
    kinds (every kind when it names none). Any other case answers 404, as one that does not exist. The same rule
    as the API's querysets (``disputes.api.visibility.case_filter``), for one case in a service."""
    application = application_of(user)
    return bool(application is not None and application.revoked_at is None
                and dispute.state != DisputeState.DRAFT and dispute.submitted_at is not None
                and (not application.kinds or dispute.kind in application.kinds))


def application_export_audiences(user, dispute: Dispute) -> list[str]:
    """The versions of the dossier a connected application may request and download (``services.dossier``
    asks this for an application's account instead of its staff and party rules): with the scope
    ``exports:write`` on a case it sees, the party version, and the full version too when it may read internal
    documents (``max_confidentiality`` internal). Its account holds no role: this is its only way to a dossier."""
    if not (application_may(user, ApiScope.REQUEST_EXPORTS) and application_sees(user, dispute)):
        return []
    if application_of(user).max_confidentiality == Confidentiality.INTERNAL:
        return [DossierAudience.FULL, DossierAudience.PARTY]
    return [DossierAudience.PARTY]


def can_request_export_as_application(user, dispute: Dispute, audience: str) -> bool:
    """A connected application's request for (and download of) ``audience`` of the dossier of ``dispute``."""
    return audience in application_export_audiences(user, dispute)


def can_record_posting(user, dispute: Dispute) -> bool:
    """Recording that a sent letter went by post (``services.letter_copy_posted``): a connected application with
    the scope ``letters:write`` on a case it sees (the post room's system); nobody on the web."""
    return application_may(user, ApiScope.RECORD_POST) and application_sees(user, dispute)


def active_party_ids(dispute: Dispute, role: str | None = None) -> set:
    """The organisations that act as ``role`` (or as any party) on the case: an applicant that withdrew its part
    of a joint request (``DisputeParty.withdrawn_at``) no longer does. It still sees the case as a former party
    (``Dispute.objects.visible_to``) and hears of it, since the binding decision concerns the agreement it is a
    party to; it can do nothing on it any more (procedure.md §0)."""
    return {p.organisation_id for p in dispute.parties.all()
            if (role is None or p.role == role) and p.withdrawn_at is None}


def party_organisations(user, dispute: Dispute, role: str) -> set:
    """The user's organisations that are ``role`` (applicant/respondent) in this dispute (and have not withdrawn)."""
    return organisation_ids(user, dispute) & active_party_ids(dispute, role)


def is_former_applicant(user, dispute: Dispute) -> bool:
    """Whether the user belongs only to applicants of this case that have withdrawn their part."""
    withdrawn = {p.organisation_id for p in dispute.parties.all()
                 if p.role == PartyRole.APPLICANT and p.withdrawn_at is not None}
    mine = organisation_ids(user, dispute)
    return bool(mine & withdrawn) and not mine & active_party_ids(dispute)


def is_applicant(user, dispute: Dispute) -> bool:
    return bool(party_organisations(user, dispute, PartyRole.APPLICANT))


def is_respondent(user, dispute: Dispute) -> bool:
    return bool(party_organisations(user, dispute, PartyRole.RESPONDENT))


def is_interested(user, dispute: Dispute) -> bool:
    """A member of another party to the agreement invited to give its view (Awb 4:8)."""
    return bool(party_organisations(user, dispute, PartyRole.INTERESTED))


def _first_by_name(organisation_ids_: set):
    from .models import Organisation

    if not organisation_ids_:
        return None
    return Organisation.objects.filter(pk__in=organisation_ids_).order_by("name").first()


def acting_organisation(user, dispute: Dispute, role: str | None = None):
    """The party organisation ``user`` acts for on this case (optionally: as ``role``), from membership, never
    from input; the first by name when the user belongs to several; None for someone who is no party."""
    return _first_by_name(organisation_ids(user, dispute) & active_party_ids(dispute, role))


def member_organisation(user, dispute: Dispute):
    """The party organisation of this case that ``user`` is a member of (the first by name), ignoring what they
    represent: only a member appoints or ends a representative (gemachtigde) for its organisation."""
    return _first_by_name(organisation_ids(user) & active_party_ids(dispute))


def can_appoint_representative(user, dispute: Dispute) -> bool:
    """A member of a party (not a representative) while the operations table allows it now."""
    return may(user, dispute, "request_representation") and bool(organisation_ids(user) & active_party_ids(dispute))


def can_end_representation(user, representation) -> bool:
    """The secretariat, or a member of the represented organisation (the representative themselves too: they may
    step down), while the operations table allows it."""
    dispute = representation.dispute
    if not may(user, dispute, "end_representation"):
        return False
    if has_role(user, StaffRole.SECRETARY) or user.is_superuser:
        return True
    return representation.organisation_id in organisation_ids(user) or representation.user_id == user.pk


def acting_organisation_in_overleg(user, agreement):
    """The organisation ``user`` acts for in the overleg of ``agreement`` (before any case exists)."""
    return _first_by_name(organisation_ids(user) & agreement.party_ids())


def can_view_dispute(user, dispute: Dispute) -> bool:
    return Dispute.objects.visible_to(user).filter(pk=dispute.pk).exists()


def get_dispute_for_user_or_404(user, **lookup) -> Dispute:
    """The case, loaded through the user's visible queryset; 404 when absent or not theirs."""
    try:
        return Dispute.objects.visible_to(user).get(**lookup)
    except (Dispute.DoesNotExist, ValueError) as exc:
        raise Http404(_("Geschil niet gevonden.")) from exc


#: The staff role that acts as each kind of staff actor (procedure.md §5, column "who").
_ACTOR_ROLES = {
    Actor.SECRETARY: (StaffRole.SECRETARY,),
    Actor.COMMISSION_MEMBER: (StaffRole.COMMISSION_MEMBER,),
    Actor.COMMISSION_CHAIR: (StaffRole.COMMISSION_CHAIR,),
    Actor.MINISTER_OFFICIAL: (StaffRole.MINISTER_OFFICIAL,),
    # System transitions run from the periodic task (actor None); the secretary may trigger them by
    # hand once their condition holds (e.g. close the response round after the deadline).
    Actor.SYSTEM: (StaffRole.SECRETARY,),
}


def actors_of(user, dispute: Dispute) -> frozenset[str]:
    """As which kinds of actor (``states.Actor``) ``user`` (None = the system) acts on this case: applicant
    and/or respondent by membership; staff roles only on a case they can see (a recused member is none).
    The system's operations may also be done by hand by the secretary (e.g. closing the response round)."""
    if user is None:
        return frozenset({Actor.SYSTEM})
    if not user.is_active:
        return frozenset()
    # cached on the user object for the request, like its roles and organisations (visibility.py); a change
    # to the case (a recusal, say) bumps its version and so asks again
    cache = user.__dict__.setdefault("_dispute_actors", {})
    key = (dispute.pk, dispute.version)
    if key not in cache:
        cache[key] = _actors_of(user, dispute)
    return cache[key]


#: the party role of an organisation -> the actor its members act as
_PARTY_ACTORS = {PartyRole.APPLICANT: Actor.APPLICANT, PartyRole.RESPONDENT: Actor.RESPONDENT,
                 PartyRole.INTERESTED: Actor.INTERESTED}


def _actors_of(user, dispute: Dispute) -> frozenset[str]:
    # as party_organisations: the user's organisations in the case that have not withdrawn (one pass)
    mine = organisation_ids(user, dispute)
    actors = {_PARTY_ACTORS[p.role] for p in dispute.parties.all()
              if p.organisation_id in mine and p.withdrawn_at is None}
    staff = {actor for actor, wanted in _ACTOR_ROLES.items() if has_role(user, *wanted)}
    if Actor.COMMISSION_CHAIR in staff and not _chairs_the_case(user, dispute):
        staff.discard(Actor.COMMISSION_CHAIR)
    if staff and can_view_dispute(user, dispute):
        actors |= staff
    return frozenset(actors)


def _chairs_the_case(user, dispute: Dispute) -> bool:
    """Once the commission is composed for the case, only its seated chair acts as the chair (ADR 0017); before,
    every chair on the roster may (e.g. to hand a case back), and the advice waits for a composition."""
    seats = dispute.joined_to.commission_seats if dispute.joined_to_id else dispute.commission_seats  # a group
    seated = seats.filter(ended_at__isnull=True, role=CaseSeatRole.CHAIR).values_list("user_id", flat=True).first()
    return seated is None or seated == user.pk


def may_ever(user, dispute: Dispute, operation: str) -> bool:
    """Whether ``user`` is someone who may do ``operation`` on this case in some state (who, not when)."""
    return bool(actors_of(user, dispute) & OPERATIONS[operation].actors)


def may(user, dispute: Dispute, operation: str) -> bool:
    """Whether ``user`` may do ``operation`` on ``dispute`` in its current state (OPERATIONS: who and when)."""
    allowed = OPERATIONS[operation].allowed
    return any(dispute.state in allowed[actor] for actor in actors_of(user, dispute) & allowed.keys())


def available_actions(user, dispute: Dispute) -> frozenset[str]:
    """Every operation ``user`` may do on ``dispute`` now, by role and state (the operations table).

    The one answer the party portal, the staff pages and the scenario runner read. Conditions on the case's
    own data (has this respondent already filed, is a question waiting for this party) are the services'
    and guards' business, not this table's."""
    actors = actors_of(user, dispute)
    return frozenset(
        name for name, op in OPERATIONS.items()
        if any(dispute.state in op.allowed[actor] for actor in actors & op.allowed.keys())
    )


def can_fire(user, dispute: Dispute, transition: str) -> bool:
    """Whether ``user`` (None = the system) may fire ``transition`` on ``dispute`` at all (who, not when:
    the state is checked by the transition itself)."""
    assert transition in TRANSITIONS, transition
    return may_ever(user, dispute, transition)


def can_respond(user, dispute: Dispute) -> bool:
    return user is not None and is_respondent(user, dispute)


def upload_levels(user, dispute: Dispute) -> tuple[str, ...]:
    """The confidentiality levels at which the user may add documents to the case: parties to their
    own case at the parties' level; staff at every level they can see; a commission member (not the
    chair) only the commission's own notes (``commission``)."""
    if user is None:
        return ()
    if is_applicant(user, dispute) or is_respondent(user, dispute):
        return ("parties",)
    if not can_view_dispute(user, dispute):
        return ()
    if has_role(user, StaffRole.SECRETARY, StaffRole.MINISTER_OFFICIAL, StaffRole.COMMISSION_CHAIR):
        return visible_confidentialities(user, dispute)
    if has_role(user, StaffRole.COMMISSION_MEMBER):
        return ("commission",)
    return ()


def can_upload(user, dispute: Dispute, confidentiality: str = "parties") -> bool:
    return confidentiality in upload_levels(user, dispute)


def can_assess(user, dispute: Dispute) -> bool:
    """Admissibility per point and the effort review: the secretary."""
    return user is not None and has_role(user, StaffRole.SECRETARY) and can_view_dispute(user, dispute)


def can_advise(user, dispute: Dispute) -> bool:
    return user is not None and has_role(user, StaffRole.COMMISSION_CHAIR) and can_view_dispute(user, dispute)


def can_decide(user, dispute: Dispute) -> bool:
    return user is not None and has_role(user, StaffRole.MINISTER_OFFICIAL) and can_view_dispute(user, dispute)


def can_recuse(user, dispute: Dispute) -> bool:
    return (
        user is not None
        and has_role(user, StaffRole.COMMISSION_MEMBER, StaffRole.COMMISSION_CHAIR)
        and can_view_dispute(user, dispute)
    )


def decision_preparer_ids(dispute: Dispute) -> set:
    """Who prepared the binding decision: whoever uploaded a draft of it and every official who recorded a
    decision per point (procedure.md §0, four eyes). None of them may adopt it, with or without a draft."""
    ids = set(dispute.events.filter(kind__in=("point_decided", "decision_drafted"))
              .values_list("actor_id", flat=True))
    ids.add(dispute.decision_drafted_by_id)
    return ids - {None}


def may_adopt_decision(user, dispute: Dispute) -> bool:
    """Four eyes: whoever prepared the binding decision (``decision_preparer_ids``) cannot adopt it."""
    return user is not None and user.pk not in decision_preparer_ids(dispute)


def can_record_effort(user, agreement) -> bool:
    """Any member of a party to the overleg may keep its effort log."""
    return user is not None and bool(organisation_ids(user) & agreement.party_ids())


def visible_confidentialities(user, dispute: Dispute) -> tuple[str, ...]:
    """Which document confidentiality levels the user may see on a case they can see."""
    if has_role(user, StaffRole.SECRETARY, StaffRole.MINISTER_OFFICIAL) or user.is_superuser:
        return ("parties", "commission", "internal")
    if has_role(user, StaffRole.COMMISSION_MEMBER, StaffRole.COMMISSION_CHAIR):
        return ("parties", "commission")
    return ("parties",)
