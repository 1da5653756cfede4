"""A party's case page and the actions open to it: supply a remedy, add documents, withdraw, respond, keep the
effort log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from .. import clock, permissions, selectors, services
from ..models import Admissibility, CaseRetention, DeadlineKind, Dispute, DocumentType, PartyRole
from ..services import review
from ..states import CONCLUDED_STATES, OPEN_STATES, DisputeState
from . import common, forms, guidance, representatives, timeline
from .common import APPLICANT, FORMER_APPLICANT, INTERESTED, RESPONDENT, STAFF, error_summary, run

DOSSIER_PANEL = "dossier/_export_panel.html"
#: a party finds its dossier export on the case once the Minister has decided
DOSSIER_PANEL_STATES = (DisputeState.DECIDED, DisputeState.CLOSED)


def dossier_panel_available() -> bool:
    """Whether the dossier team's export panel exists (it is included on decided and closed cases)."""
    try:
        get_template(DOSSIER_PANEL)
    except TemplateDoesNotExist:
        return False
    return True


def _my_respondent_parties(user, dispute, parties):
    org_ids = permissions.organisation_ids(user, dispute)
    return [p for p in parties if p.organisation_id in org_ids]


def case_context(request, dispute) -> dict:
    """Everything the party case page shows, for the user's role on the case."""
    user = request.user
    role = common.role_of(user, dispute)
    if role == FORMER_APPLICANT and dispute.state == DisputeState.WITHDRAWN:
        role = APPLICANT  # the last applicants withdrew: the case ended by their withdrawal, told as before
    parties = common.parties_by_role(dispute)
    mine = _my_respondent_parties(user, dispute, parties[RESPONDENT])
    responded = bool(mine) and all(p.responded_at for p in mine)
    guide_role = guidance.RESPONDENT_DONE if role == RESPONDENT and responded else (role or APPLICANT)
    guide = guidance.guidance_for(dispute.state, guide_role)
    withdrawn = [p for p in parties[APPLICANT] if p.withdrawn_at]
    if role == FORMER_APPLICANT:
        guide = _former_applicant_guidance(user, dispute, withdrawn)
    org_ids = permissions.organisation_ids(user, dispute)
    deadlines = list(dispute.deadlines.select_related("organisation").order_by("due", "pk"))
    if role != STAFF:
        deadlines = [d for d in deadlines if d.organisation_id is None or d.organisation_id in org_ids]
    due = guidance.deadline_for(guide, deadlines, org_ids)

    documents = list(selectors.documents_for(user, dispute))
    events = selectors.events_for(user, dispute)
    if role == RESPONDENT:
        events = selectors.without_draft_history(events, dispute)
    # the latest events, with a link to the whole timeline (?verloop=alle), as on the staff case page
    shown_events, earlier_events = selectors.latest_events(events, whole=request.GET.get("verloop") == "alle")
    remedy = review.remedy_request(dispute) if dispute.state == DisputeState.AWAITING_REMEDY else None

    points = list(dispute.points.prefetch_related("positions__organisation"))
    destroyed_at = _destroyed_at(dispute)
    available = (permissions.available_actions(user, dispute) if role in (APPLICANT, RESPONDENT, INTERESTED)
                 else frozenset())
    actions = []
    if "edit_draft" in available:
        actions.append({"url": "portal:draft-resume", "label": _("Verder met indienen"), "primary": True})
    if "supply_remedy" in available:
        actions.append({"url": "portal:remedy", "label": _("Verzoek aanvullen (herstel verzuim)"), "primary": True})
    if "respond" in available and not responded:
        actions.append({"url": "portal:respond", "label": _("Verweer indienen"), "primary": True})
    if "answer_information" in available and guidance.waiting_question(dispute.state, deadlines, org_ids):
        actions.append({"url": "portal:information", "label": _("Vraag om inlichtingen beantwoorden"),
                        "primary": True})
    if "submit_documents" in available:
        actions.append({"url": "portal:submit-documents", "label": _("Stukken toevoegen"), "primary": False})
    if "record_effort" in available:
        actions.append({"url": "portal:case-efforts", "label": _("Overleglogboek aanvullen"), "primary": False})
    can_appoint = permissions.can_appoint_representative(user, dispute) if role in (APPLICANT, RESPONDENT) else False
    if can_appoint:
        actions.append({"url": "portal:representatives", "label": _("Gemachtigde aanmelden"), "primary": False})
    if "withdraw" in available and role == APPLICANT:
        label = _("Concept intrekken") if dispute.state == DisputeState.DRAFT else _("Verzoek intrekken")
        actions.append({"url": "portal:withdraw", "label": label, "primary": False, "warning": True})

    return {
        "dispute": dispute,
        "role": role,
        "role_label": {APPLICANT: _("verzoeker"), RESPONDENT: _("verweerder"), STAFF: _("medewerker"),
                       FORMER_APPLICANT: _("verzoeker geweest"),
                       INTERESTED: _("belanghebbende, uitgenodigd voor een zienswijze")}.get(role, ""),
        "guidance": guide,
        "due": due,
        "due_text": guidance.due_text(due),
        "applicants": parties[APPLICANT],
        "withdrawn_applicants": withdrawn,
        "respondents": parties[RESPONDENT],
        "interested": parties[INTERESTED],
        # joined cases (disputes/services/joined.py): the lead's number, or the numbers joined to this lead case
        "joined_with": ([dispute.joined_to.case_number] if dispute.joined_to_id else
                        list(dispute.joined_cases.order_by("case_number").values_list("case_number", flat=True))),
        "points": points,
        "deadlines": deadlines,
        "documents": documents,
        "timeline": timeline.timeline(shown_events, points),
        "earlier_events": earlier_events,
        "entries": list(common.effort_entries(dispute.agreement)),
        "actions": actions,
        "remedy_request": remedy,
        "information": selectors.information_requests(dispute) if dispute.state != DisputeState.DRAFT else [],
        "responded": responded,
        # gemachtigden (docs/accounts.md): those of the user's party on this case; whom the user represents
        "representations": (representatives.representations_for(user, dispute)
                            if role in (APPLICANT, RESPONDENT, INTERESTED) else []),
        "can_appoint": can_appoint,
        "representing": _representing(user, dispute),
        "show_dossier_panel": (dispute.state in DOSSIER_PANEL_STATES and dossier_panel_available()
                               and destroyed_at is None),
        # the case's files and personal data were destroyed under the Archiefwet (docs/archive.md)
        "destroyed_at": destroyed_at,
    }


def _destroyed_at(dispute):
    """When the case's files and personal data were destroyed (None: not); one query, only for an ended case."""
    if dispute.state not in CONCLUDED_STATES:
        return None
    return (CaseRetention.objects.filter(dispute=dispute, destroyed_at__isnull=False)
            .values_list("destroyed_at", flat=True).first())


def _representing(user, dispute) -> list[str]:
    """The names of the parties ``user`` represents on this case (as a gemachtigde, not as a member)."""
    represented = permissions.organisation_ids(user, dispute) - permissions.organisation_ids(user)
    if not represented:
        return []
    return sorted(p.organisation.name for p in dispute.parties.all() if p.organisation_id in represented)


def _former_applicant_guidance(user, dispute, withdrawn) -> guidance.Guidance:
    """What an applicant that withdrew its part of a joint request reads: it no longer takes part; the case
    went on for the others."""
    org_ids = permissions.organisation_ids(user, dispute)
    mine = [p for p in withdrawn if p.organisation_id in org_ids]
    when = clock.localdate(mine[0].withdrawn_at).strftime("%d-%m-%Y") if mine else ""
    now = _("U heeft uw deel van het verzoek ingetrokken op %(date)s.") % {"date": when}
    if dispute.state in OPEN_STATES:
        now += " " + _("Het geschil loopt door voor de andere verzoekers, tot zij ook intrekken of de Minister "
                       "beslist.")
    else:
        now += " " + _("Het geschil is voor de andere verzoekers doorgegaan; de status is nu: %(state)s.") % {
            "state": dispute.get_state_display()}
    return guidance.Guidance(
        now,
        _("U hoeft niets meer te doen en kunt in dit geschil niets meer indienen. U kunt het geschil blijven "
          "inzien en krijgt bericht van de uitkomst."),
    )


@login_required
@require_http_methods(["GET"])
def case_page(request, pk):
    dispute = common.load_case(request, pk)
    if common.role_of(request.user, dispute) == STAFF:
        return redirect("dispute-detail", dispute.pk)
    return render(request, "portal/case.html", case_context(request, dispute))


def render_case_page(request, dispute):
    """For ``/geschillen/<uuid>/``: parties see the same page as at ``/portaal/geschillen/<uuid>/``."""
    return render(request, "portal/case.html", case_context(request, dispute))


def _action_page(request, template, dispute, form, **extra):
    return render(request, template, {"dispute": dispute, "form": form, "errors": error_summary(form), **extra})


@login_required
@require_http_methods(["GET", "POST"])
def remedy(request, pk):
    dispute = common.load_case(request, pk)
    if not permissions.is_applicant(request.user, dispute):
        return common.forbidden_response(request, _("Alleen de verzoeker kan het verzoek aanvullen."))
    asked = review.remedy_request(dispute)
    form = forms.RemedyForm(request.POST or None, request.FILES or None, requested=asked.requested if asked else (),
                            initial={"expected_version": dispute.version, "doc_type": DocumentType.AANVULLING})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = run(request, form, lambda: services.dispute_supply_remedy(
            dispute=dispute, actor=request.user, note=data["note"], expected_version=data["expected_version"],
            documents=form.documents()))
        if outcome.response:
            return outcome.response
        if outcome.ok:
            messages.success(request, _("Uw aanvulling is ontvangen. Het secretariaat gaat verder met de beoordeling."))
            return redirect("portal:dispute", dispute.pk)
    deadline = dispute.deadlines.filter(kind=DeadlineKind.REMEDY, closed_at__isnull=True).order_by("-created_at")
    deadline = deadline.first()
    return _action_page(request, "portal/remedy.html", dispute, form,
                        open=dispute.state == DisputeState.AWAITING_REMEDY, asked=asked,
                        deadline=deadline, due_text=guidance.due_text(deadline))


@login_required
@require_http_methods(["GET", "POST"])
def submit_documents(request, pk):
    """A party adds documents to its case at an open step; the secretariat and the other parties are told."""
    dispute = common.load_case(request, pk)
    if "submit_documents" not in permissions.available_actions(request.user, dispute):
        return common.forbidden_response(
            request, _("Alleen partijen kunnen stukken toevoegen, en alleen zolang het geschil in behandeling is."))
    form = forms.SubmitDocumentsForm(request.POST or None, request.FILES or None,
                                     initial={"expected_version": dispute.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = run(request, form, lambda: services.dispute_submit_documents(
            dispute=dispute, actor=request.user, note=data["note"], expected_version=data["expected_version"],
            documents=[(data["doc_type"], f) for f in data["files"]]))
        if outcome.response:
            return outcome.response
        if outcome.ok:
            messages.success(request, ngettext(
                "Uw stuk is toegevoegd aan het dossier. Het secretariaat en de andere partijen krijgen bericht.",
                "Uw %(count)d stukken zijn toegevoegd aan het dossier. Het secretariaat en de andere partijen "
                "krijgen bericht.", len(data["files"])) % {"count": len(data["files"])})
            return redirect("portal:dispute", dispute.pk)
    return _action_page(request, "portal/submit_documents.html", dispute, form)


@login_required
@require_http_methods(["GET", "POST"])
def respond(request, pk):
    dispute = common.load_case(request, pk)
    if not permissions.is_respondent(request.user, dispute):
        return common.forbidden_response(request, _("Alleen een verweerder kan verweer indienen."))
    points = [p for p in dispute.points.prefetch_related("positions__organisation")
              if p.admissibility != Admissibility.INADMISSIBLE]
    form = forms.RespondForm(request.POST or None, request.FILES or None, points=points,
                             initial={"expected_version": dispute.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = run(request, form, lambda: services.dispute_respond(
            dispute=dispute, actor=request.user, documents=[("verweerschrift", f) for f in data["files"]],
            positions=form.positions(), expected_version=data["expected_version"]))
        if outcome.response:
            return outcome.response
        if outcome.ok:
            messages.success(request, _("Uw verweer is ontvangen. Alle partijen kunnen het nu lezen."))
            return redirect("portal:dispute", dispute.pk)
    deadline = dispute.deadlines.filter(kind=DeadlineKind.RESPONSE).order_by("-created_at").first()
    mine = _my_respondent_parties(request.user, dispute, dispute.parties.filter(role="respondent"))
    return _action_page(request, "portal/respond.html", dispute, form,
                        open=permissions.may(request.user, dispute, "respond")
                        and not all(p.responded_at for p in mine),
                        rows=list(zip(points, form.position_fields(), strict=True)), deadline=deadline,
                        due_text=guidance.due_text(deadline))


@login_required
@require_http_methods(["GET", "POST"])
def information(request, pk):
    """Answer an information request addressed to the user's organisation."""
    dispute = common.load_case(request, pk)
    if common.role_of(request.user, dispute) not in (APPLICANT, RESPONDENT, INTERESTED):
        return common.forbidden_response(request, _("Alleen de partij aan wie de vraag is gesteld, kan antwoorden."))
    requests = selectors.open_information_requests(dispute, permissions.organisation_ids(request.user, dispute))
    form = forms.InformationForm(request.POST or None, request.FILES or None, requests=requests,
                                 initial={"expected_version": dispute.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = run(request, form, lambda: services.dispute_answer_information(
            dispute=dispute, actor=request.user, deadline_id=data["request"], answer=data["answer"],
            documents=[(data["doc_type"] or "antwoord", f) for f in data["files"]],
            expected_version=data["expected_version"]))
        if outcome.response:
            return outcome.response
        if outcome.ok:
            messages.success(request, _("Uw antwoord is ontvangen. Alle partijen en het secretariaat krijgen "
                                        "hiervan bericht."))
            return redirect("portal:dispute", dispute.pk)
    late = [r for r in requests if r.deadline.due < clock.today()]
    return _action_page(request, "portal/information.html", dispute, form, requests=requests, late=late,
                        open=bool(requests) and permissions.may(request.user, dispute, "answer_information"))


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    dispute = common.load_case(request, pk)
    # a former applicant (it withdrew already, perhaps in another tab) is told so, and a stale form gets the 409
    former = permissions.is_former_applicant(request.user, dispute)
    if not (permissions.is_applicant(request.user, dispute) or former):
        return common.forbidden_response(request, _("Alleen de verzoeker kan het verzoek intrekken."))
    form = forms.WithdrawForm(request.POST or None, initial={"expected_version": dispute.version},
                              label=_("Ja, ik trek dit verzoek in. Ik weet dat dit niet ongedaan kan worden gemaakt."),
                              required_message=_("Vink aan dat u dit verzoek intrekt en weet dat dit niet ongedaan "
                                                 "kan worden gemaakt."))
    if request.method == "POST" and form.is_valid():
        outcome = run(request, form, lambda: services.dispute_withdraw(
            dispute=dispute, actor=request.user, reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["expected_version"]))
        if outcome.response:
            return outcome.response
        if outcome.ok:
            if permissions.active_party_ids(Dispute.objects.get(pk=dispute.pk), PartyRole.APPLICANT):
                messages.success(request, _("Uw deel van het verzoek is ingetrokken. Het geschil loopt door voor de "
                                            "andere verzoekers. Alle partijen krijgen hiervan bericht."))
            else:
                messages.success(request, _("Het verzoek is ingetrokken. Alle partijen krijgen hiervan bericht."))
            return redirect("portal:dispute", dispute.pk)
    own = permissions.acting_organisation(request.user, dispute, PartyRole.APPLICANT)
    others = sorted(p.organisation.name for p in dispute.parties.select_related("organisation")
                    if p.role == PartyRole.APPLICANT and p.withdrawn_at is None and p.organisation != own)
    return _action_page(request, "portal/withdraw.html", dispute, form,
                        open=permissions.may(request.user, dispute, "withdraw"), former=former,
                        others=others if dispute.state != DisputeState.DRAFT else [])


@login_required
@require_http_methods(["GET", "POST"])
def case_efforts(request, pk):
    """The effort log of the case's agreement: any party of the case reads it and adds entries."""
    from .wizard import effort_page

    dispute = common.load_case(request, pk)
    if common.role_of(request.user, dispute) not in (APPLICANT, RESPONDENT):
        return common.forbidden_response(request, _("Alleen partijen bij het overleg houden het logboek bij."))
    return effort_page(request, agreement=dispute.agreement, dispute=dispute, template="portal/case_efforts.html",
                       extra={"steps": None})


@login_required
@require_http_methods(["GET", "POST"])
def agreement_log(request, agreement):
    """The effort log of an agreement, kept during the year, long before any dispute."""
    from .wizard import effort_page

    agreement = common.get_agreement_for_user_or_404(request.user, agreement)
    return effort_page(request, agreement=agreement, dispute=None, template="portal/agreement_log.html")
