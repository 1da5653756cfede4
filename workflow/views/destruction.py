"""Destruction lists (``/werk/archief/vernietiging/``; issue 17, item 6; docs/workflow.md "Vernietigingslijsten";
docs/archive.md): the record manager builds a list of ended cases whose archiefactiedatum has passed (or whose
documents' shorter term has), chooses a reviewer and an archivist, the reviewer and then the archivist approve it or
send cases back with a reason, the record manager removes what was sent back and submits again, and once the
archivist approved, the record manager has the files and personal data destroyed. What stays is the list (the
minimal record of each case) and the verklaring van vernietiging as PDF.

The pages are for the archive's three roles only (``permissions.is_archive_staff``): they hold no staff role and see
no case's contents, only what the list copied (case number, kind, gemeente, dates, category). Other staff and parties
get 403, an anonymous visitor the log-in page, a list that does not exist 404. Every change is one POST through its
service (``disputes.services.archive``); a ValidationError lands on the form it belongs to (with the error summary),
NotPermitted is the 403 page with its message.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from disputes import permissions
from disputes.errors import NOT_IN_THIS_STATE, Conflict, NotPermitted
from disputes.models import (
    ArchiveRole,
    DestructionItemStatus,
    DestructionList,
    DestructionStatus,
    ReviewDecision,
)
from disputes.portal.common import add_validation_error, error_summary
from disputes.portal.forms import PortalForm
from disputes.services import archive as archive_services

from .base import page_message, render_error

#: The errors of a service call shown on the page (a refused transition, a list changed meanwhile)
PAGE_ERRORS = (Conflict, *NOT_IN_THIS_STATE)


class ArchiveStaffView(View):
    """Pages of the archive's roles (recordmanager, beoordelaar, archivaris), apart from the staff's pages: log-in
    first, then one of the three roles, else the 403 page."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.is_archive_staff(request.user):
            return render_error(request, 403, _("Deze pagina's zijn voor de recordmanager, de beoordelaar en de "
                                                "archivaris van het archief."))
        try:
            return super().dispatch(request, *args, **kwargs)
        except NotPermitted as exc:
            return render_error(request, 403, str(exc), back_url=_back_url(kwargs))


def _back_url(kwargs) -> str:
    if "list_pk" in kwargs:
        return reverse("workflow:destruction-list", args=[kwargs["list_pk"]])
    return reverse("workflow:destruction-lists")


def _list_or_404(list_pk) -> DestructionList:
    found = DestructionList.objects.select_related("author", "reviewer", "archivist").filter(pk=list_pk).first()
    if found is None:
        raise Http404(_("Vernietigingslijst niet gevonden."))
    return found


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _role_users(role: str):
    return (get_user_model().objects.filter(is_active=True, groups__name=role)
            .order_by("last_name", "first_name", "username").distinct())


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _name(obj)


class ArchiveForm(PortalForm):
    """The accessible form base of the portal, with the ids the staff pages' workflow/_form.html writes."""

    hint_suffix = "_helptext"
    error_suffix = "_error"


# -- the forms ----------------------------------------------------------------------------------------------------

class CandidateChoiceField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class NewListForm(ArchiveForm):
    name = forms.CharField(
        label=gettext_lazy("Naam van de lijst"), max_length=200,
        help_text=gettext_lazy("Bijvoorbeeld: Vernietiging 2026, eerste lijst."),
        error_messages={"required": gettext_lazy("Geef de lijst een naam.")})
    case_ids = CandidateChoiceField(
        label=gettext_lazy("Zaken waarvan de bewaartermijn is verstreken (hele zaak)"), required=False)
    document_case_ids = CandidateChoiceField(
        label=gettext_lazy("Zaken met documenten waarvan de kortere bewaartermijn is verstreken (alleen die "
                           "documenten)"), required=False)

    def __init__(self, *args, cases=(), document_cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_ids"].choices = [(str(r.dispute_id), _candidate_label(r.dispute, r)) for r in cases]
        self.fields["document_case_ids"].choices = [(str(d.pk), _candidate_label(d, None)) for d in document_cases]
        if not cases:
            del self.fields["case_ids"]
        if not document_cases:
            del self.fields["document_case_ids"]

    def clean(self):
        data = super().clean()
        if not data.get("case_ids") and not data.get("document_case_ids") and not self.has_error("name"):
            raise ValidationError(_("Kies ten minste één zaak voor de lijst."))
        return data


def _candidate_label(dispute, retention) -> str:
    parts = [dispute.case_number, dispute.get_kind_display(), dispute.agreement.municipality.name]
    if retention is not None:
        parts.append(_("archiefactiedatum %(date)s") % {"date": retention.action_date.strftime("%d-%m-%Y")})
        parts.append(_("categorie %(category)s") % {"category": retention.category})
    return ", ".join(parts)


class SubmitForm(ArchiveForm):
    reviewer = UserChoiceField(
        label=gettext_lazy("Beoordelaar"), queryset=get_user_model().objects.none(), empty_label="",
        help_text=gettext_lazy("Beoordeelt de lijst als eerste, namens het secretariaat."),
        error_messages={"required": gettext_lazy("Kies een beoordelaar.")})
    archivist = UserChoiceField(
        label=gettext_lazy("Archivaris"), queryset=get_user_model().objects.none(), empty_label="",
        help_text=gettext_lazy("Geeft na de beoordelaar het laatste oordeel."),
        error_messages={"required": gettext_lazy("Kies een archivaris.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = _role_users(ArchiveRole.REVIEWER)
        self.fields["archivist"].queryset = _role_users(ArchiveRole.ARCHIVIST)


class VerdictForm(ArchiveForm):
    """The reviewer's or archivist's verdict: the whole list approved, or cases sent back, each with its reason."""

    APPROVE, SEND_BACK = ReviewDecision.APPROVED.value, ReviewDecision.SENT_BACK.value

    decision = forms.ChoiceField(
        label=gettext_lazy("Uw oordeel"), widget=forms.RadioSelect,
        choices=[(ReviewDecision.APPROVED.value, gettext_lazy("Akkoord: alle zaken op de lijst mogen worden "
                                                               "vernietigd")),
                 (ReviewDecision.SENT_BACK.value, gettext_lazy("Terugsturen: een of meer zaken niet vernietigen, "
                                                                "met de reden"))],
        error_messages={"required": gettext_lazy("Kies akkoord of terugsturen.")})
    comment = forms.CharField(label=gettext_lazy("Toelichting bij uw oordeel"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"reason_{item.pk}"] = forms.CharField(
                label=_("Reden om zaak %(case)s terug te sturen") % {"case": item.case_number}, required=False,
                max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Alleen invullen als deze zaak niet mag worden vernietigd."))
        # the hints of the reasons were added after PortalForm set aria-describedby
        for item in self.items:
            name = f"reason_{item.pk}"
            self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}{self.hint_suffix}"

    def clean(self):
        data = super().clean()
        reasons = self.sent_back()
        if data.get("decision") == self.SEND_BACK and not reasons:
            raise ValidationError(_("Geef bij ten minste één zaak de reden om haar terug te sturen."))
        if data.get("decision") == self.APPROVE and reasons:
            raise ValidationError(_("U gaf een reden om een zaak terug te sturen, maar koos akkoord. Kies "
                                    "terugsturen, of maak de redenen leeg."))
        return data

    def sent_back(self) -> dict:
        data = getattr(self, "cleaned_data", {})
        return {item.pk: data[f"reason_{item.pk}"].strip() for item in self.items
                if (data.get(f"reason_{item.pk}") or "").strip()}


class UpdateForm(ArchiveForm):
    remove = forms.MultipleChoiceField(
        label=gettext_lazy("Van de lijst halen"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Een teruggestuurde zaak die u laat staan, gaat opnieuw naar de beoordelaar; geef dan "
                               "in de toelichting aan waarom."))
    comment = forms.CharField(label=gettext_lazy("Toelichting"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove"].choices = [(str(item.pk), item.case_number) for item in items]


# -- the pages ----------------------------------------------------------------------------------------------------

class DestructionListsView(ArchiveStaffView):
    """Every destruction list with its status; for the record manager also the candidates."""

    def get(self, request):
        lists = list(DestructionList.objects.select_related("author", "reviewer", "archivist"))
        context = {"lists": lists, "nav": "destruction", "archive_user": True,
                   "may_create": permissions.can_manage_records(request.user)}
        if context["may_create"]:
            context["cases"] = list(_candidates())
            context["document_cases"] = list(_document_candidates())
        return render(request, "workflow/destruction/lists.html", context)


def _candidates():
    return (archive_services.destruction_candidates()
            .select_related("dispute__agreement__municipality").order_by("action_date", "dispute__case_number"))


def _document_candidates():
    return archive_services.document_candidates().select_related("agreement__municipality").order_by("case_number")


class DestructionListNewView(ArchiveStaffView):
    def _form(self, request, data=None):
        permissions.require(permissions.can_manage_records(request.user),
                            _("Een vernietigingslijst maakt de recordmanager."))
        return NewListForm(data, cases=list(_candidates()), document_cases=list(_document_candidates()))

    def get(self, request):
        return self._page(request, self._form(request))

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = archive_services.destruction_list_create(
                    actor=request.user, name=data["name"], case_ids=data.get("case_ids") or (),
                    document_case_ids=data.get("document_case_ids") or ())
            except ValidationError as exc:
                add_validation_error(form, exc)
            except PAGE_ERRORS as exc:
                form.add_error(None, page_message(exc))
            else:
                messages.success(request, _("De vernietigingslijst „%(name)s” is gemaakt. Kies een beoordelaar en "
                                            "een archivaris en dien haar in.") % {"name": made.name})
                return redirect("workflow:destruction-list", made.pk)
        return self._page(request, form, status=400)

    @staticmethod
    def _page(request, form, status=200):
        form.anchor = "lijst-maken"
        context = {"form": form, "errors": error_summary(form) if form.is_bound else [], "nav": "destruction",
                   "archive_user": True, "has_candidates": len(form.fields) > 1}
        return render(request, "workflow/destruction/new.html", context, status=status)


class DestructionListView(ArchiveStaffView):
    def get(self, request, list_pk):
        return self.page(request, _list_or_404(list_pk))

    @staticmethod
    def page(request, found, *, status=200, submit_form=None, verdict_form=None, update_form=None):
        user = request.user
        items = list(found.items.order_by("action_date", "case_number"))
        listed = [i for i in items if i.status != DestructionItemStatus.REMOVED]
        reviews = list(found.reviews.select_related("by").prefetch_related("item_reviews__item"))
        # the reasons of the latest verdict that sent cases back, per item (the record manager acts on those)
        latest = next((r for r in reversed(reviews) if r.decision == ReviewDecision.SENT_BACK), None)
        reasons = ({ir.item_id: ir.comment for ir in latest.item_reviews.all()}
                   if latest is not None and found.status == DestructionStatus.CHANGES_REQUESTED else {})
        for item in items:
            item.sent_back_reason = reasons.get(item.pk, "")
            item.removed = item.status == DestructionItemStatus.REMOVED
        status_now = found.status
        # the record manager who made the list submits, updates and destroys it (the service's rule too)
        manager = permissions.can_manage_records(user) and found.author_id == user.pk
        forms_shown = []
        context = {"list": found, "items": items, "listed": listed, "reviews": reviews, "nav": "destruction",
                   "archive_user": True, "manager": manager,
                   "destroyed_count": sum(1 for i in listed if i.status == DestructionItemStatus.DESTROYED),
                   "destroying": status_now == DestructionStatus.DESTROYING,
                   "destroyed": status_now == DestructionStatus.DESTROYED}
        if manager and status_now == DestructionStatus.NEW:
            context["submit_form"] = submit_form or SubmitForm()
            forms_shown.append(context["submit_form"])
        if status_now == DestructionStatus.READY_TO_REVIEW and found.reviewer_id == user.pk \
                and permissions.can_review_destruction(user):
            context["verdict_form"] = verdict_form or VerdictForm(items=listed)
            context["verdict_url"] = "workflow:destruction-list-review"
            forms_shown.append(context["verdict_form"])
        if status_now == DestructionStatus.INTERNALLY_REVIEWED and found.archivist_id == user.pk \
                and permissions.can_approve_destruction(user):
            context["verdict_form"] = verdict_form or VerdictForm(items=listed)
            context["verdict_url"] = "workflow:destruction-list-approve"
            forms_shown.append(context["verdict_form"])
        if manager and status_now == DestructionStatus.CHANGES_REQUESTED:
            sent_back = [i for i in listed if i.sent_back_reason]
            context["update_form"] = update_form or UpdateForm(items=sent_back)
            forms_shown.append(context["update_form"])
        context["may_destroy"] = manager and status_now == DestructionStatus.READY_TO_DESTROY
        if status_now in (DestructionStatus.READY_TO_REVIEW, DestructionStatus.INTERNALLY_REVIEWED) \
                and "verdict_form" not in context:
            context["waiting_for"] = found.reviewer if status_now == DestructionStatus.READY_TO_REVIEW \
                else found.archivist
        for key, anchor in (("submit_form", "indienen-formulier"), ("verdict_form", "oordeel-formulier"),
                            ("update_form", "bijwerken-formulier")):
            if key in context:
                context[key].anchor = anchor
        context["errors"] = error_summary(*[f for f in forms_shown if f.is_bound])
        # a form sent for a step the list is no longer (or not yet) at: its errors at the top of the page
        unplaced = [f for f in (submit_form, verdict_form, update_form) if f is not None and f not in forms_shown]
        context["page_errors"] = [str(e) for f in unplaced for errors in f.errors.values() for e in errors]
        context["errors"] += [{"href": "#lijst-fout", "text": text} for text in context["page_errors"]]
        return render(request, "workflow/destruction/detail.html", context, status=status)


class _ListPost(ArchiveStaffView):
    """A POST on one list: the list (404), the form, one service call, back to the list's page."""

    http_method_names = ["post"]

    def run(self, request, found, form, call, success: str, *, page_kwarg: str):
        if form.is_valid():
            try:
                call(form.cleaned_data)
            except ValidationError as exc:
                add_validation_error(form, exc)
            except PAGE_ERRORS as exc:
                form.add_error(None, page_message(exc))
            else:
                messages.success(request, success)
                return redirect("workflow:destruction-list", found.pk)
        return DestructionListView.page(request, _list_or_404(found.pk), status=400, **{page_kwarg: form})


class DestructionListSubmitView(_ListPost):
    def post(self, request, list_pk):
        found = _list_or_404(list_pk)
        permissions.require(permissions.can_manage_records(request.user),
                            _("Een vernietigingslijst dient de recordmanager in."))
        form = SubmitForm(request.POST)
        return self.run(
            request, found, form,
            lambda data: archive_services.destruction_list_submit(
                actor=request.user, destruction_list=found, reviewer=data["reviewer"], archivist=data["archivist"]),
            _("De lijst is ingediend: de beoordelaar is aan de beurt."), page_kwarg="submit_form")


def _verdict_items(found):
    return list(found.items.exclude(status=DestructionItemStatus.REMOVED).order_by("action_date", "case_number"))


class DestructionListReviewView(_ListPost):
    def post(self, request, list_pk):
        found = _list_or_404(list_pk)
        permissions.require(permissions.can_review_destruction(request.user),
                            _("Een vernietigingslijst beoordeelt de beoordelaar."))
        form = VerdictForm(request.POST, items=_verdict_items(found))
        approved = request.POST.get("decision") == VerdictForm.APPROVE
        return self.run(
            request, found, form,
            lambda data: archive_services.destruction_list_review(
                actor=request.user, destruction_list=found, sent_back=form.sent_back(), comment=data["comment"]),
            _("U bent akkoord: de lijst gaat naar de archivaris.") if approved
            else _("De lijst is teruggestuurd naar de recordmanager."), page_kwarg="verdict_form")


class DestructionListUpdateView(_ListPost):
    """The record manager takes cases sent back off the list (or keeps them, with a comment) and submits the list
    again to the same reviewer and archivist: both services in one transaction, so either both or neither."""

    def post(self, request, list_pk):
        found = _list_or_404(list_pk)
        permissions.require(permissions.can_manage_records(request.user),
                            _("Een teruggestuurde lijst werkt de recordmanager bij."))
        form = UpdateForm(request.POST, items=_verdict_items(found))

        def update_and_submit(data):
            with transaction.atomic():
                archive_services.destruction_list_update(
                    actor=request.user, destruction_list=found, remove_item_ids=[int(pk) for pk in data["remove"]],
                    comment=data["comment"])
                archive_services.destruction_list_submit(
                    actor=request.user, destruction_list=found, reviewer=found.reviewer, archivist=found.archivist)

        return self.run(request, found, form, update_and_submit,
                        _("De lijst is bijgewerkt en opnieuw ingediend bij de beoordelaar."), page_kwarg="update_form")


class DestructionListApproveView(_ListPost):
    def post(self, request, list_pk):
        found = _list_or_404(list_pk)
        permissions.require(permissions.can_approve_destruction(request.user),
                            _("Het laatste oordeel over een vernietigingslijst geeft de archivaris."))
        form = VerdictForm(request.POST, items=_verdict_items(found))
        approved = request.POST.get("decision") == VerdictForm.APPROVE
        return self.run(
            request, found, form,
            lambda data: archive_services.destruction_list_approve(
                actor=request.user, destruction_list=found, sent_back=form.sent_back(), comment=data["comment"]),
            _("U hebt de lijst goedgekeurd: de recordmanager kan de zaken nu laten vernietigen.") if approved
            else _("De lijst is teruggestuurd naar de recordmanager."), page_kwarg="verdict_form")


class DestructionListDestroyView(ArchiveStaffView):
    """A confirmation page that says exactly what will be destroyed, then the destruction (in the background)."""

    def _found(self, request, list_pk):
        found = _list_or_404(list_pk)
        permissions.require(permissions.can_manage_records(request.user),
                            _("Het vernietigen laat de recordmanager uitvoeren."))
        return found

    def get(self, request, list_pk, *, page_error: str = "", status: int = 200):
        found = self._found(request, list_pk)
        if found.status != DestructionStatus.READY_TO_DESTROY and not page_error:
            messages.error(request, _("Deze lijst is niet goedgekeurd om te vernietigen."))
            return redirect("workflow:destruction-list", found.pk)
        context = {"list": found, "items": _verdict_items(found), "nav": "destruction", "archive_user": True,
                   "errors": [{"href": "#vernietigen", "text": page_error}] if page_error else []}
        return render(request, "workflow/destruction/destroy.html", context, status=status)

    def post(self, request, list_pk):
        found = self._found(request, list_pk)
        try:
            archive_services.destruction_list_destroy(actor=request.user, destruction_list=found)
        except (ValidationError, *PAGE_ERRORS) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else page_message(exc)
            return self.get(request, list_pk, page_error=text, status=400)
        messages.success(request, _("Het vernietigen is begonnen. Deze pagina toont hoeveel zaken al zijn "
                                    "vernietigd; daarna staat hier de verklaring van vernietiging."))
        return redirect("workflow:destruction-list", found.pk)


class DestructionCertificateView(ArchiveStaffView):
    """The verklaring van vernietiging (PDF), for any of the three roles, once the list is destroyed."""

    def get(self, request, list_pk):
        found = _list_or_404(list_pk)
        certificate = bytes(found.certificate or b"")
        if found.status != DestructionStatus.DESTROYED or not certificate:
            raise Http404(_("Er is nog geen verklaring van vernietiging."))
        response = HttpResponse(certificate, content_type="application/pdf")
        day = found.destroyed_at.strftime("%Y-%m-%d") if found.destroyed_at else ""
        response["Content-Disposition"] = f'attachment; filename="verklaring-van-vernietiging-{day}.pdf"'
        response["Cache-Control"] = "no-store"
        return response
