"""The filing wizard: a draft is prepared step by step and saved at every step.

Steps: (1) kind, (2) agreement and parties, (3) date and short description, (4) dispute points with
the applicant's positions, (5) the effort log of the agreement, (6) documents, (7) review with the
pre-checks, (8) submit and confirmation. The draft exists from step 2 on (it needs an agreement);
step 1 of a new filing only carries the chosen kind to step 2 in the address.
Each view: parse the form, make one service call, redirect; errors are shown on the page. The form
checks the input's shape, the draft service (disputes/services/drafts.py) the rules; ``common.run``
puts a service's errors on the form. The pages on a draft that are one form and one service call
(kind, agreement, parties, date) are entries of ``FORM_STEPS``, served by one view (``form_step_view``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from .. import admissibility, guards, permissions, services
from ..errors import NOT_IN_THIS_STATE, Conflict, NotPermitted
from ..models import Dispute, DisputeKind, Document, DocumentType, Organisation, PartyRole
from ..services import drafts
from ..states import DisputeState
from ..uploads import clean_display_name
from . import common, forms
from .common import error_summary, run

STEPS = (
    ("kind", gettext_lazy("Soort geschil"), "portal:draft-kind"),
    ("parties", gettext_lazy("Overleg en partijen"), "portal:draft-parties"),
    ("date", gettext_lazy("Datum en omschrijving"), "portal:draft-date"),
    ("points", gettext_lazy("Geschilpunten"), "portal:draft-points"),
    ("efforts", gettext_lazy("Overleglogboek"), "portal:draft-efforts"),
    ("documents", gettext_lazy("Documenten"), "portal:draft-documents"),
    ("review", gettext_lazy("Controleren en indienen"), "portal:draft-review"),
)
STEP_KEYS = [key for key, _label, _url in STEPS]

#: What each document type is, in plain words (shown next to the checklist).
DOCUMENT_HINTS = {
    "verzoek": gettext_lazy("Uw brief aan de Minister: 'Geschil artikel 44 Woningwet', gedateerd en ondertekend, "
                            "met een beschrijving van het geschil."),
    "bod": gettext_lazy("Het overzicht van voorgenomen werkzaamheden dat de corporatie vóór 1 juli stuurde."),
    "woonvisie": gettext_lazy("De woonvisie of het volkshuisvestingsbeleid van de gemeente."),
    "verslag_overleg": gettext_lazy("Verslagen van de overleggen over de prestatieafspraken."),
    "concept_prestatieafspraken": gettext_lazy("De laatste versie van de afspraken waarover u niet eens werd."),
    "correspondentie": gettext_lazy("Brieven en e-mails tussen de partijen over de afspraken."),
    "uitnodiging_overleg": gettext_lazy("De uitnodiging van de corporatie om te overleggen."),
    "indicatie_middelen": gettext_lazy("De indicatie van de middelen die de corporatie wil inzetten."),
    "procesafspraken": gettext_lazy("Afspraken over hoe het overleg zou verlopen."),
    "verslag_mediation": gettext_lazy("Het verslag van een bemiddeling, als die er was."),
    "machtiging": gettext_lazy("Nodig als iemand anders het verzoek namens uw organisatie indient."),
    "ondertekende_prestatieafspraken": gettext_lazy("De ondertekende afspraken, met de bepaling(en) waarover het "
                                                    "geschil gaat."),
    "monitor": gettext_lazy("Waaruit blijkt dat een afspraak niet wordt nagekomen, zoals de monitor of de "
                            "jaarverantwoording."),
    "ingebrekestelling": gettext_lazy("De brief waarin u de andere partij vroeg de afspraak alsnog na te komen."),
    "reactie_wederpartij": gettext_lazy("Het antwoord op de ingebrekestelling, als dat er is."),
}


# -- helpers ----------------------------------------------------------------------------------------------------

def completion(dispute: Dispute) -> dict[str, bool]:
    """Which steps hold what they need (the review step is never 'done' before submission)."""
    roles = set(dispute.parties.values_list("role", flat=True))
    present = set(dispute.documents.current().values_list("doc_type", flat=True))
    present |= admissibility.log_document_types(dispute.agreement)  # the effort log's documents count too
    return {
        "kind": bool(dispute.kind),
        "parties": PartyRole.RESPONDENT in roles,
        "date": dispute.arose_on is not None and bool(dispute.title),
        "points": dispute.points.exists(),
        "efforts": dispute.agreement.effort_entries.exists(),
        "documents": not admissibility.missing_documents(dispute.kind, present),
        "review": False,
    }


def steps_nav(dispute: Dispute | None, current: str) -> list[dict]:
    done = completion(dispute) if dispute is not None else {}
    return [
        {
            "number": i, "key": key, "label": label, "current": key == current, "done": done.get(key, False),
            "url": reverse(url, args=[dispute.pk]) if dispute is not None else None,
        }
        for i, (key, label, url) in enumerate(STEPS, start=1)
    ]


def next_url(dispute: Dispute, key: str) -> str:
    index = STEP_KEYS.index(key)
    return reverse(STEPS[min(index + 1, len(STEPS) - 1)][2], args=[dispute.pk])


def prev_url(dispute: Dispute | None, key: str) -> str | None:
    index = STEP_KEYS.index(key)
    if index == 0:
        return reverse("home")
    if dispute is None:
        return None
    return reverse(STEPS[index - 1][2], args=[dispute.pk])


def first_open_step(dispute: Dispute) -> str:
    done = completion(dispute)
    for key, _label, url in STEPS:
        if not done[key]:
            return reverse(url, args=[dispute.pk])
    return reverse("portal:draft-review", args=[dispute.pk])


def _load_draft(request, pk, dispute=None):
    """(dispute, None) for a draft of the user's organisation; otherwise (None, response)."""
    dispute = dispute or common.load_case(request, pk)
    if not permissions.may_ever(request.user, dispute, "edit_draft"):
        return None, common.forbidden_response(
            request, _("Alleen de verzoekende organisatie kan dit concept wijzigen.")
        )
    if not permissions.may(request.user, dispute, "edit_draft"):
        if request.method == "GET":
            messages.info(request, _("Dit geschil is al ingediend. U ziet hier de stand van zaken."))
            return None, redirect("portal:dispute", dispute.pk)
        return None, common.forbidden_response(request, _("Dit geschil is al ingediend; het concept kan niet meer "
                                                          "worden gewijzigd."))
    return dispute, None


def _page(request, template, dispute, step, context, status=200):
    base = {
        "dispute": dispute,
        "steps": steps_nav(dispute, step),
        "step": step,
        "step_number": STEP_KEYS.index(step) + 1,
        "step_count": len(STEPS),
        "prev_url": prev_url(dispute, step),
    }
    base.update(context)
    return render(request, template, base, status=status)


def _version(dispute) -> dict:
    return {"expected_version": dispute.version}


def _saved(request, dispute, step):
    messages.success(request, _("Opgeslagen."))
    if request.POST.get("action") == "save":
        return redirect(request.path)
    return redirect(next_url(dispute, step))


# -- a new filing before the draft exists: step 1 (kind) -------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def new_kind(request):
    """Step 1 of a new filing. Nothing is stored yet: the kind goes to step 2 in the address."""
    agreements = common.agreements_for(request.user)
    if not agreements.exists():
        return render(request, "portal/no_agreement.html", status=200)
    form = forms.KindForm(request.POST or None, versioned=False, initial={"kind": request.GET.get("soort")})
    if request.method == "POST" and form.is_valid():
        return redirect(reverse("portal:new-agreement") + "?" + urlencode({"soort": form.cleaned_data["kind"]}))
    return _page(request, "portal/wizard/kind.html", None, "kind", {"form": form, "errors": error_summary(form)})


# -- a new filing: step 2 (agreement, then parties; saving creates the draft) ----------------------------------------

def _new_kind_or_none(request):
    kind = request.GET.get("soort")
    return kind if kind in DisputeKind.values else None


@login_required
@require_http_methods(["GET"])
def new_agreement(request):
    """Step 2a of a new filing: which agreement (skipped when the user's organisations have only one)."""
    kind = _new_kind_or_none(request)
    if kind is None:
        return redirect("portal:new")
    agreements = common.agreements_for(request.user)
    if not agreements.exists():
        return render(request, "portal/no_agreement.html")
    form = forms.AgreementForm(request.GET if "agreement" in request.GET else None, agreements=agreements,
                               versioned=False)
    if agreements.count() == 1 and "agreement" not in request.GET:
        return redirect(reverse("portal:new-parties") + "?" + urlencode({"soort": kind,
                                                                         "agreement": agreements[0].pk}))
    if form.is_bound and form.is_valid():
        return redirect(reverse("portal:new-parties") + "?" + urlencode(
            {"soort": kind, "agreement": form.cleaned_data["agreement"].pk}))
    return _page(request, "portal/wizard/agreement.html", None, "parties", {
        "form": form, "errors": error_summary(form) if form.is_bound else [], "kind": kind, "method": "get",
        "prev_url": reverse("portal:new") + "?" + urlencode({"soort": kind}),
    })


@login_required
@require_http_methods(["GET", "POST"])
def new_parties(request):
    """Step 2b of a new filing: the parties. Saving creates the draft (``services.dispute_file``)."""
    kind = _new_kind_or_none(request)
    agreement = None
    if request.GET.get("agreement"):
        agreement = common.get_agreement_for_user_or_404(request.user, request.GET["agreement"])
    if kind is None or agreement is None:
        return redirect("portal:new")
    own = permissions.acting_organisation_in_overleg(request.user, agreement)
    others = [o for o in common.agreement_parties(agreement) if o.pk != own.pk]
    queryset = Organisation.objects.filter(pk__in=[o.pk for o in others]).order_by("name")
    form = forms.PartiesForm(request.POST or None, organisations=queryset, versioned=False)
    if request.method == "POST" and form.is_valid():
        outcome = run(request, form, lambda: services.dispute_file(
            actor=request.user, agreement=agreement, kind=kind,
            applicants=[own, *form.cleaned_data["co_applicants"]], respondents=list(form.cleaned_data["respondents"]),
            arose_on=None, points=[]))
        if outcome.response:
            return outcome.response
        if outcome.ok:
            messages.success(request, _("Uw concept is opgeslagen. U kunt later verdergaan via Mijn geschillen."))
            return redirect("portal:draft-date", outcome.value.pk)
    return _page(request, "portal/wizard/parties.html", None, "parties", {
        "form": form, "errors": error_summary(form), "agreement": agreement, "own": own, "kind": kind,
        "prev_url": reverse("portal:new-agreement") + "?" + urlencode({"soort": kind, "agreement": agreement.pk}),
        "change_agreement_url": reverse("portal:new-agreement") + "?" + urlencode({"soort": kind}),
    })


# -- steps 1-3 on the draft: one form, one service call, from the registry -------------------------------------------

class StepPage:
    """What a step's hooks may read: the draft, the user and (once per request) their applicant organisations."""

    def __init__(self, user, dispute: Dispute):
        self.user, self.dispute = user, dispute

    @cached_property
    def own_ids(self) -> set:
        return permissions.party_organisations(self.user, self.dispute, PartyRole.APPLICANT)


def _nothing(page: StepPage) -> dict:
    return {}


@dataclass(frozen=True)
class FormStep:
    """A page of the wizard on a draft that is one form and one service call (``form_step_view``).

    The form's cleaned data, without ``expected_version``, are the service's keyword arguments, so a form's
    fields are named like its service's arguments. Hooks take a ``StepPage`` and return a dict.
    """

    nav: str  #: the step of the progress bar (``STEPS``) the page belongs to
    template: str
    form_class: type
    service: Callable  #: a draft service: ``service(dispute=, actor=, expected_version=, **cleaned_data)``
    initial: Callable[[StepPage], dict]
    form_kwargs: Callable[[StepPage], dict] = _nothing
    context: Callable[[StepPage], dict] = _nothing
    #: where the page goes after saving; empty: "Alleen opslaan" stays, "Opslaan en verder" goes to the next step
    next: str = ""
    saved: str = gettext_lazy("Opgeslagen.")


def _parties_initial(page: StepPage) -> dict:
    parties = common.parties_by_role(page.dispute)
    return {"co_applicants": [p.organisation_id for p in parties["applicant"] if p.organisation_id not in page.own_ids],
            "respondents": [p.organisation_id for p in parties["respondent"]]}


def _parties_context(page: StepPage) -> dict:
    own = Organisation.objects.filter(pk__in=page.own_ids).order_by("name")
    return {"agreement": page.dispute.agreement, "own": ", ".join(o.name for o in own), "kind": page.dispute.kind,
            "change_agreement_url": reverse("portal:draft-agreement", args=[page.dispute.pk])}


def _date_context(page: StepPage) -> dict:
    """The filing term as the review page and the stored deadline compute it (admissibility.filing_term_for)."""
    if page.dispute.arose_on is None:
        return {"term": None}
    return {"term": admissibility.filing_term_for(admissibility.facts_of(page.dispute))}


#: The registry of the form pages on a draft (URL name ``portal:draft-<name>``, view ``draft_<name>``).
FORM_STEPS = {
    "kind": FormStep(
        nav="kind", template="portal/wizard/kind.html", form_class=forms.KindForm, service=drafts.draft_set_kind,
        initial=lambda page: {"kind": page.dispute.kind},
    ),
    "agreement": FormStep(
        nav="parties", template="portal/wizard/agreement.html", form_class=forms.AgreementForm,
        service=drafts.draft_set_agreement,
        initial=lambda page: {"agreement": page.dispute.agreement_id},
        form_kwargs=lambda page: {"agreements": common.agreements_for(page.user)},
        context=lambda page: {"method": "post", "prev_url": reverse("portal:draft-parties", args=[page.dispute.pk])},
        next="portal:draft-parties", saved=gettext_lazy("Opgeslagen. Kies nu de partijen bij deze prestatieafspraken."),
    ),
    "parties": FormStep(
        nav="parties", template="portal/wizard/parties.html", form_class=forms.PartiesForm,
        service=drafts.draft_set_parties, initial=_parties_initial, context=_parties_context,
        form_kwargs=lambda page: {"organisations": Organisation.objects.filter(
            pk__in=page.dispute.agreement.party_ids() - page.own_ids).order_by("name")},
    ),
    "date": FormStep(
        nav="date", template="portal/wizard/date.html", form_class=forms.DateForm,
        service=drafts.draft_set_date_and_title, context=_date_context,
        initial=lambda page: {"arose_on": f"{page.dispute.arose_on:%d-%m-%Y}" if page.dispute.arose_on else "",
                              "title": page.dispute.title},
    ),
}


def form_step_view(name: str):
    """The view of ``FORM_STEPS[name]``: the form with the draft's data; a valid POST makes the one service call
    and goes on, a refused one shows the form with the errors."""
    step = FORM_STEPS[name]

    def view(request, pk):
        dispute, response = _load_draft(request, pk)
        if response:
            return response
        page = StepPage(request.user, dispute)
        form = step.form_class(request.POST or None, initial={**step.initial(page), **_version(dispute)},
                               **step.form_kwargs(page))
        if request.method == "POST" and form.is_valid():
            arguments = dict(form.cleaned_data)
            expected_version = arguments.pop("expected_version")
            outcome = run(request, form, lambda: step.service(
                dispute=dispute, actor=request.user, expected_version=expected_version, **arguments))
            if outcome.response:
                return outcome.response
            if outcome.ok:
                if step.next:
                    messages.success(request, step.saved)
                    return redirect(step.next, dispute.pk)
                return _saved(request, dispute, step.nav)
        return _page(request, step.template, dispute, step.nav,
                     {"form": form, "errors": error_summary(form), **step.context(page)})

    view.__name__ = view.__qualname__ = f"draft_{name}"
    view.__doc__ = f"Wizard page '{name}' on a draft (``FORM_STEPS``)."
    return login_required(require_http_methods(["GET", "POST"])(view))


draft_kind = form_step_view("kind")
draft_agreement = form_step_view("agreement")
draft_parties = form_step_view("parties")
draft_date = form_step_view("date")


# -- step 4: dispute points -------------------------------------------------------------------------------------

def _points_saved(request, dispute, *, removed: bool):
    if removed:
        messages.success(request, _("Het geschilpunt is verwijderd; de andere zijn opnieuw genummerd."))
        return redirect(request.path + "#points")
    if request.POST.get("action") == "add":
        messages.success(request, _("Opgeslagen. U kunt nu nog een geschilpunt toevoegen."))
        return redirect(request.path + "#nieuw-geschilpunt")
    return _saved(request, dispute, "points")


@login_required
@require_http_methods(["GET", "POST"])
def draft_points(request, pk):
    dispute, response = _load_draft(request, pk)
    if response:
        return response
    own_ids = permissions.party_organisations(request.user, dispute, PartyRole.APPLICANT)
    points = list(dispute.points.prefetch_related("positions"))
    initial = [
        {"point_id": p.pk, "title": p.title,
         "position": next((pos.text for pos in p.positions.all() if pos.organisation_id in own_ids), "")}
        for p in points
    ] + [{}]
    version_form = forms.SimpleVersionForm(request.POST or None, initial=_version(dispute))
    version_form.anchor = "points"
    if request.method == "POST":
        formset = forms.PointFormSet(request.POST, prefix="points")
        remove = request.POST.get("remove") or ""
        if formset.is_valid() and version_form.is_valid():
            points = [{"id": f.cleaned_data.get("point_id"), "title": f.cleaned_data.get("title", ""),
                       "position": f.cleaned_data.get("position", "")} for f in formset.forms]
            outcome = run(request, version_form, lambda: drafts.draft_points_save(
                dispute=dispute, actor=request.user, points=points, remove=[remove] if remove else [],
                expected_version=version_form.cleaned_data["expected_version"]))
            if outcome.response:
                return outcome.response
            if outcome.ok:
                return _points_saved(request, dispute, removed=bool(remove))
    else:
        formset = forms.PointFormSet(initial=initial, prefix="points")
    return _page(request, "portal/wizard/points.html", dispute, "points", {
        "formset": formset, "version_form": version_form, "errors": error_summary(formset, version_form),
    })


@login_required
@require_POST
def draft_point_remove(request, pk, point):
    dispute, response = _load_draft(request, pk)
    if response:
        return response
    point = common.get_object_or_404_same(dispute.points.all(), pk=point)
    form = forms.SimpleVersionForm(request.POST)
    if form.is_valid():
        number = point.number
        outcome = run(request, form, lambda: drafts.draft_point_remove(
            point=point, actor=request.user, expected_version=form.cleaned_data["expected_version"]))
        if outcome.response:
            return outcome.response
        if outcome.ok:
            messages.success(request, _("Geschilpunt %(number)d is verwijderd; de andere zijn opnieuw genummerd.")
                             % {"number": number})
            return redirect(reverse("portal:draft-points", args=[dispute.pk]) + "#points")
    for error in form.non_field_errors() or [_("Het formulier is onvolledig verstuurd. Laad de pagina opnieuw.")]:
        messages.error(request, error)
    return redirect("portal:draft-points", dispute.pk)


# -- step 5: the effort log -------------------------------------------------------------------------------------

#: the fields of a new effort-log entry a person fills in (an entry with none of them filled is no entry)
EFFORT_FIELDS = ("kind", "occurred_on", "participants", "summary", "doc_type")


def _empty_entry(request) -> bool:
    return not request.FILES and not any(str(request.POST.get(name, "")).strip() for name in EFFORT_FIELDS)


def effort_page(request, *, agreement, dispute, template, extra=None, status_on_get=200, then_url=None):
    """The effort log of an agreement with a form to add an entry (wizard step 5, case page, agreement page).

    With ``then_url`` (the wizard) the form's "Verder" button saves a filled-in entry before going on, goes on at
    once when nothing was filled in, and stays with the errors when the entry is incomplete: nothing typed is lost
    (issue 13, item 1)."""
    going_on = then_url is not None and request.method == "POST" and "verder" in request.POST
    if going_on and _empty_entry(request):
        return redirect(then_url)
    form = forms.EffortForm(request.POST or None, request.FILES or None)
    form.anchor = "nieuwe-regel"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = run(request, form, lambda: drafts.effort_record_with_documents(
            agreement=agreement, actor=request.user, kind=data["kind"], occurred_on=data["occurred_on"],
            summary=data["summary"], participants=data["participants"],
            documents=[(data["doc_type"], f) for f in data["files"]]))
        if outcome.response:
            return outcome.response
        if outcome.ok:
            messages.success(request, _("De regel is toegevoegd aan het overleglogboek."))
            return redirect(then_url if going_on else request.path + "#logboek")
    context = {
        "form": form, "errors": error_summary(form), "agreement": agreement,
        "entries": list(common.effort_entries(agreement)),
        "can_add": permissions.can_record_effort(request.user, agreement),
        **(extra or {}),
    }
    if dispute is not None and dispute.state == DisputeState.DRAFT and "steps" not in context:
        return _page(request, template, dispute, "efforts", context)
    return render(request, template, {"dispute": dispute, **context})


@login_required
@require_http_methods(["GET", "POST"])
def draft_efforts(request, pk):
    dispute, response = _load_draft(request, pk)
    if response:
        return response
    following = next_url(dispute, "efforts")
    return effort_page(request, agreement=dispute.agreement, dispute=dispute, template="portal/wizard/efforts.html",
                       extra={"needs_notice": guards.notice_to_comply_missing(dispute), "next_url": following},
                       then_url=following)


# -- step 6: documents ------------------------------------------------------------------------------------------

def checklist(dispute, documents) -> list[dict]:
    """One row per document type the kind needs or recommends: how many files the draft holds (``count``) and how
    many the agreement's effort log already holds (``in_log``; they count, so the party need not add them again)."""
    counts: dict[str, int] = {}
    for doc in documents:
        counts[doc.doc_type] = counts.get(doc.doc_type, 0) + 1
    in_log: dict[str, int] = {}
    for doc_type in (Document.objects.current().filter(effort_entry__agreement=dispute.agreement_id)
                     .values_list("doc_type", flat=True)):
        in_log[doc_type] = in_log.get(doc_type, 0) + 1
    rows = []
    for required, codes in ((True, admissibility.REQUIRED_DOCUMENTS.get(dispute.kind, ())),
                            (False, admissibility.RECOMMENDED_DOCUMENTS.get(dispute.kind, ()))):
        for code in codes:
            rows.append({"code": code, "label": DocumentType(code).label, "required": required,
                         "count": counts.get(code, 0), "in_log": in_log.get(code, 0),
                         "hint": DOCUMENT_HINTS.get(code, "")})
    return rows


def _documents_page(request, dispute, *, form=None, results=None, extra_forms=(), status=200):
    documents = list(dispute.documents.current().select_related("organisation").order_by("uploaded_at", "pk"))
    form = form or forms.UploadForm()
    form.anchor = "upload"
    return _page(request, "portal/wizard/documents.html", dispute, "documents", {
        "form": form, "documents": documents, "checklist": checklist(dispute, documents), "results": results or [],
        "errors": error_summary(form, *extra_forms), "max_files": forms.max_files_per_request(),
        "max_mb": forms.max_bytes_per_request() // (1024 * 1024),
        "max_file_mb": forms.max_bytes_per_file() // (1024 * 1024),
        "version": dispute.version,
    }, status=status)


def _files_added(count: int) -> str:
    return ngettext("%(count)d bestand toegevoegd.", "%(count)d bestanden toegevoegd.", count) % {"count": count}


@login_required
@require_http_methods(["GET"])
def draft_documents(request, pk):
    dispute, response = _load_draft(request, pk)
    if response:
        return response
    added = request.GET.get("toegevoegd", "")
    if added.isdigit() and 0 < int(added) <= forms.max_files_per_request():
        # the upload script comes back here after all files were stored
        messages.success(request, _files_added(int(added)))
        return redirect("portal:draft-documents", dispute.pk)
    return _documents_page(request, dispute)


def _json_error(message: str, status: int):
    return JsonResponse({"ok": False, "errors": [message], "results": []}, status=status)


@login_required
@require_POST
def draft_upload(request, pk):
    """Add files to the draft. The browser script posts one file per request and shows a progress bar;
    without script the plain form posts them all. Each file is checked and stored on its own, so one
    refused file does not cost the others; every refusal is reported next to the file's name."""
    as_json = common.wants_json(request)
    dispute = common.load_case(request, pk)
    if not permissions.is_applicant(request.user, dispute):
        if as_json:
            return _json_error(_("Alleen de verzoekende organisatie kan dit concept wijzigen."), 403)
        return common.forbidden_response(request)
    if dispute.state != DisputeState.DRAFT:
        message = _("Dit geschil is al ingediend; het concept kan niet meer worden gewijzigd.")
        return _json_error(message, 400) if as_json else common.forbidden_response(request, message)
    form = forms.UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        if as_json:
            messages_ = [str(e) for errors in form.errors.values() for e in errors]
            return JsonResponse({"ok": False, "errors": messages_, "results": [],
                                 "fields": {k: [str(e) for e in v] for k, v in form.errors.items()}}, status=400)
        return _documents_page(request, dispute, form=form)
    results = []
    for uploaded in form.cleaned_data["files"]:
        name = clean_display_name(uploaded.name or "")
        try:
            document = drafts.draft_add_document(dispute=dispute, actor=request.user, uploaded=uploaded,
                                                 doc_type=form.cleaned_data["doc_type"])
        except ValidationError as exc:
            results.append({"name": name, "ok": False, "message": " ".join(exc.messages)})
        except (NotPermitted, Conflict, *NOT_IN_THIS_STATE) as exc:
            results.append({"name": name, "ok": False, "message": common.message_of(exc)})
        else:
            results.append({"name": document.display_name, "ok": True, "id": str(document.pk),
                            "message": _("Toegevoegd als %(type)s.") % {"type": document.get_doc_type_display()}})
    dispute.version = Dispute.objects.values_list("version", flat=True).get(pk=dispute.pk)
    all_ok = all(r["ok"] for r in results)
    if as_json:
        return JsonResponse({"ok": all_ok, "results": results, "errors": [], "version": dispute.version},
                            status=200 if all_ok else 400)
    if all_ok:
        messages.success(request, _files_added(len(results)))
        return redirect("portal:draft-documents", dispute.pk)
    return _documents_page(request, dispute, results=results)


@login_required
@require_POST
def draft_document_withdraw(request, pk, document):
    dispute, response = _load_draft(request, pk)
    if response:
        return response
    doc = common.get_object_or_404_same(dispute.documents.current(), pk=document)
    form = forms.SimpleVersionForm(request.POST)
    if form.is_valid():
        outcome = run(request, form, lambda: drafts.draft_withdraw_document(
            document=doc, actor=request.user, expected_version=form.cleaned_data["expected_version"]))
        if outcome.response:
            return outcome.response
        if outcome.ok:
            messages.success(request, _("'%(name)s' is uit het concept gehaald.") % {"name": doc.display_name})
            return redirect("portal:draft-documents", dispute.pk)
    form.anchor = "documenten"
    return _documents_page(request, dispute, extra_forms=[form])


# -- step 7 and 8: review, submit, confirmation -----------------------------------------------------------------

def review_context(dispute, user) -> dict:
    checks = admissibility.prechecks(dispute)
    parties = common.parties_by_role(dispute)
    own_ids = permissions.party_organisations(user, dispute, PartyRole.APPLICANT)
    points = list(dispute.points.prefetch_related("positions__organisation"))
    documents = list(dispute.documents.current().order_by("uploaded_at", "pk"))
    return {
        "checks": checks,
        "blocking": [c for c in checks if c.blocking],
        "warnings": [c for c in checks if not c.ok and not c.blocking],
        "passed": [c for c in checks if c.ok],
        "applicants": parties["applicant"],
        "respondents": parties["respondent"],
        "points": points,
        "own_ids": own_ids,
        "documents": documents,
        "entries": list(common.effort_entries(dispute.agreement)),
        "checklist": checklist(dispute, documents),
    }


@login_required
@require_http_methods(["GET", "POST"])
def draft_review(request, pk):
    dispute = common.load_case(request, pk)
    if dispute.state != DisputeState.DRAFT and permissions.is_applicant(request.user, dispute):
        return redirect("portal:submitted", dispute.pk)  # e.g. the second click of a double submit
    dispute, response = _load_draft(request, pk, dispute)
    if response:
        return response
    form = forms.ConfirmForm(
        request.POST or None, initial=_version(dispute),
        label=_("Ik verklaar dat ik dit verzoek mag indienen namens mijn organisatie en dat de gegevens naar "
                "waarheid zijn ingevuld."),
        required_message=_("Vink aan dat u dit verzoek mag indienen namens uw organisatie en dat de gegevens naar "
                           "waarheid zijn ingevuld."),
    )
    form.anchor = "indienen"
    if request.method == "POST" and form.is_valid():
        outcome = run(request, form, lambda: services.dispute_submit(
            dispute=dispute, actor=request.user, expected_version=form.cleaned_data["expected_version"]))
        if outcome.response:
            if Dispute.objects.filter(pk=dispute.pk).exclude(state=DisputeState.DRAFT).exists():
                return redirect("portal:submitted", dispute.pk)
            return outcome.response
        if outcome.ok:
            return redirect("portal:submitted", dispute.pk)
    return _page(request, "portal/wizard/review.html", dispute, "review", {
        "form": form, "errors": error_summary(form), **review_context(dispute, request.user),
    })


@login_required
@require_http_methods(["GET"])
def draft_resume(request, pk):
    """From "Mijn geschillen": back to the first step that still needs something."""
    dispute, response = _load_draft(request, pk)
    if response:
        return response
    return redirect(first_open_step(dispute))


@login_required
@require_http_methods(["GET"])
def submitted(request, pk):
    dispute = common.load_case(request, pk)
    if dispute.state == DisputeState.DRAFT:
        return redirect("portal:draft-review", dispute.pk)
    if not permissions.is_applicant(request.user, dispute):
        return redirect("portal:dispute", dispute.pk)
    decision = dispute.deadlines.filter(kind="decision").order_by("-created_at").first()
    acknowledgement = Document.objects.current().filter(dispute=dispute, doc_type="ontvangstbevestiging").first()
    return render(request, "portal/submitted.html", {
        "dispute": dispute, "decision": decision, "acknowledgement": acknowledgement,
    })
