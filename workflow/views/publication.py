"""The secretariat's review of a decided case's publication (issue 17, docs/publication.md, "Voorbereiden en
goedkeuren"): prepare the publication version, see every replacement highlighted in the text, add or undo one with
a reason, and a second person approves; a published one is withdrawn with a reason. Every change is a POST through
its service (``disputes.services.publication``), a message and back to the review page; a ValidationError is shown
on the form it belongs to (with the error summary), NotPermitted is a 403 (``StaffView``)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disputes import permissions, publication, services
from disputes.errors import NotPermitted
from disputes.models import PublicationStatus, Replacement
from disputes.portal.common import error_summary
from disputes.services import publication as publication_services

from .base import StaffView, apply_validation_error


def public_path(found) -> str:
    """The publication's page in the public register (disputes/register.py)."""
    return f"/uitspraken/{found.slug}/"


class ReplacementAddForm(forms.Form):
    original = forms.CharField(
        label=gettext_lazy("Tekst die eruit moet"), max_length=300,
        help_text=gettext_lazy("Precies zoals hij in de tekst staat; elke keer dat hij voorkomt, wordt hij vervangen."),
        error_messages={"required": gettext_lazy("Geef de tekst die eruit moet (ten minste twee tekens).")})
    replacement = forms.CharField(
        label=gettext_lazy("Vervangen door"), max_length=100, initial="[persoon]",
        error_messages={"required": gettext_lazy("Geef de tekst die ervoor in de plaats komt, bijvoorbeeld "
                                                 "[persoon].")})
    reason = forms.CharField(label=gettext_lazy("Reden"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": gettext_lazy("Geef de reden.")})


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reden"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": gettext_lazy("Geef de reden.")})


def _undo_form(pk: int, data=None) -> ReasonForm:
    """One form per replacement on the page: the field is ``reason``, its id names the replacement."""
    return ReasonForm(data, auto_id=f"id_undo-{pk}-%s")


def _dispute(user, pk):
    """The case (404 when the user may not see it), for the secretariat only (403 for other staff)."""
    dispute = permissions.get_dispute_for_user_or_404(user, pk=pk)
    if not permissions.can_publish(user):
        raise NotPermitted(_("Publiceren doet het secretariaat."))
    return dispute


def _back(pk, anchor: str = ""):
    response = redirect("workflow:publication", pk)
    if anchor:
        response["Location"] += anchor
    return response


def _messages_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class PublicationView(StaffView):
    """The review page: the text with every active replacement marked, the replacements, and what can be done."""

    def get(self, request, pk):
        return self.page(request, _dispute(request.user, pk))

    @staticmethod
    def page(request, dispute, *, status: int = 200, add_form=None, undo_form=None, undo_pk=None,
             withdraw_form=None, page_error: str = ""):
        found = dispute.publications.order_by("-prepared_at").first()
        context = {"dispute": dispute, "publication": found, "page_error": page_error,
                   "publishable": dispute.state in publication_services.PUBLISHABLE_STATES}
        forms_shown = []
        if found is not None and found.status == PublicationStatus.PREPARED:
            replacements = list(found.replacements.select_related("added_by", "undone_by"))
            active = [r for r in replacements if r.undone_at is None]
            for r in replacements:
                if r.undone_at is None:
                    r.undo_form = (undo_form if undo_form is not None and r.pk == undo_pk
                                   else _undo_form(r.pk))
                    r.undo_form.anchor = f"vervanging-{r.pk}"
                    forms_shown.append(r.undo_form)
            add_form = add_form or ReplacementAddForm(prefix="add")
            add_form.anchor = "vervanging-toevoegen"
            forms_shown.append(add_form)
            excluded = publication_services.reviewers_excluded(found)
            context.update({
                "marked": publication.marked(found.sections, active),
                "replacements": replacements,
                "active_count": len(active),
                "add_form": add_form,
                "excluded": request.user.pk in excluded,
            })
        elif found is not None and found.status == PublicationStatus.PUBLISHED:
            withdraw_form = withdraw_form or ReasonForm(prefix="withdraw")
            withdraw_form.anchor = "intrekken"
            forms_shown.append(withdraw_form)
            context.update({"published": True, "withdraw_form": withdraw_form, "public_url": public_path(found),
                            "replacement_count": found.replacements.filter(undone_at__isnull=True).count()})
        errors = error_summary(*[f for f in forms_shown if f.is_bound])
        if page_error:
            errors.insert(0, {"href": "#publicatie-tekst", "text": page_error})
        context["errors"] = errors
        return render(request, "workflow/publication.html", context, status=status)


class PublicationPrepareView(StaffView):
    http_method_names = ["post"]

    def post(self, request, pk):
        dispute = _dispute(request.user, pk)
        try:
            services.publication_prepare(dispute=dispute, actor=request.user)
        except ValidationError as exc:
            messages.error(request, _messages_of(exc))
            response = redirect("workflow:case", pk)
            response["Location"] += "#publicatie"
            return response
        messages.success(request, _("De publicatieversie is voorbereid. Controleer de vervangingen; een tweede "
                                    "persoon keurt haar goed."))
        return _back(pk)


def _prepared(dispute):
    found = services.current_publication(dispute)
    if found is None or found.status != PublicationStatus.PREPARED:
        return None
    return found


class ReplacementAddView(StaffView):
    http_method_names = ["post"]

    def post(self, request, pk):
        dispute = _dispute(request.user, pk)
        found = _prepared(dispute)
        if found is None:
            messages.error(request, _("Er is geen publicatie in voorbereiding."))
            return _back(pk)
        form = ReplacementAddForm(request.POST, prefix="add")
        if form.is_valid():
            try:
                services.replacement_add(publication_=found, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.error_fields, form.document_fields = {}, []
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("„%(original)s” wordt vervangen door „%(replacement)s”.")
                                 % form.cleaned_data)
                return _back(pk, "#vervangingen")
        return PublicationView.page(request, dispute, status=400, add_form=form)


class ReplacementUndoView(StaffView):
    http_method_names = ["post"]

    def post(self, request, pk, replacement_pk):
        dispute = _dispute(request.user, pk)
        replacement = (Replacement.objects.filter(pk=replacement_pk, publication__dispute=dispute)
                       .select_related("publication").first())
        if replacement is None:
            raise Http404(_("Vervanging niet gevonden."))
        form = _undo_form(replacement.pk, request.POST)
        if form.is_valid():
            try:
                services.replacement_undo(replacement=replacement, actor=request.user,
                                          reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):  # already undone, or no longer in preparation
                    messages.error(request, _messages_of(exc))
                    return _back(pk, "#vervangingen")
                form.error_fields, form.document_fields = {}, []
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("„%(original)s” is teruggezet: het wordt gepubliceerd zoals het er "
                                            "staat.") % {"original": replacement.original})
                return _back(pk, "#vervangingen")
        return PublicationView.page(request, dispute, status=400, undo_form=form, undo_pk=replacement.pk)


class PublicationApproveView(StaffView):
    http_method_names = ["post"]

    def post(self, request, pk):
        dispute = _dispute(request.user, pk)
        found = _prepared(dispute)
        if found is None:
            messages.error(request, _("Er is geen publicatie in voorbereiding."))
            return _back(pk)
        try:
            services.publication_approve(publication_=found, actor=request.user)
        except ValidationError as exc:
            return PublicationView.page(request, dispute, status=400, page_error=_messages_of(exc))
        messages.success(request, _("De uitspraak is gepubliceerd in het openbare register."))
        return _back(pk)


class PublicationWithdrawView(StaffView):
    http_method_names = ["post"]

    def post(self, request, pk):
        dispute = _dispute(request.user, pk)
        found = services.current_publication(dispute)
        if found is None or found.status != PublicationStatus.PUBLISHED:
            messages.error(request, _("Alleen een gepubliceerde uitspraak kan worden ingetrokken."))
            return _back(pk)
        form = ReasonForm(request.POST, prefix="withdraw")
        if form.is_valid():
            try:
                services.publication_withdraw(publication_=found, actor=request.user,
                                              reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                form.error_fields, form.document_fields = {}, []
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("De publicatie is ingetrokken; het register vermeldt dat, met de "
                                            "reden."))
                return _back(pk)
        return PublicationView.page(request, dispute, status=400, withdraw_form=form)
