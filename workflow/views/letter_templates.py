"""The secretariat's wording of the letters (``/werk/brieven/``, issue 16, docs/letters.md, docs/workflow.md
"Brieven"): every letter kind with the version of its wording in use, a kind's editor (subject, body, a note on the
change; the placeholders the kind allows; the version history), a preview on a real case (inline, and the whole
letter as PDF) and a reset to the shipped wording.

For the secretariat only (``permissions.can_edit_letter_templates``); other staff get a 403, parties the staff
area's 403. Thin: saving and resetting are one service call each (``letter_template_save``,
``letter_template_reset``: new versions, checked there); a preview saves nothing (``letterbook.check`` shows what a
save would refuse, ``letterbook.body_html`` escapes every value).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disputes import clock, letterbook, permissions, services
from disputes.models import DeadlineKind, Dispute, LetterTemplate
from disputes.portal.common import add_validation_error, error_summary
from disputes.states import DisputeState

from .base import StaffView, render_error

SENDERS = {
    letterbook.SECRETARIAT: gettext_lazy("secretariaat"),
    letterbook.COMMISSION: gettext_lazy("commissie"),
    letterbook.MINISTER: gettext_lazy("Minister"),
}


class LetterTemplatesBase(StaffView):
    """The secretariat only: other staff get the staff area's 403 (parties get it from ``StaffView``)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and (permissions.is_staff_member(request.user) or request.user.is_superuser) \
                and not permissions.can_edit_letter_templates(request.user):
            return render_error(request, 403, _("De teksten van de brieven beheert het secretariaat."))
        return super().dispatch(request, *args, **kwargs)

    def spec(self, kind: str) -> letterbook.LetterKind:
        if kind not in letterbook.KINDS:
            raise Http404(_("Onbekende soort brief."))
        return letterbook.KINDS[kind]


def _filed(user):
    return Dispute.objects.visible_to(user).exclude(state=DisputeState.DRAFT).exclude(case_number__isnull=True) \
        .order_by("-submitted_at", "-created_at")


def default_case(user, spec: letterbook.LetterKind) -> Dispute | None:
    """The case a preview shows first: the most recent one in a state the letter belongs to, else the most recent
    filed case the user may see."""
    found = _filed(user).filter(state__in=spec.states).first() if spec.states else None
    return found or _filed(user).first()


def find_case(user, number: str) -> Dispute | None:
    return _filed(user).filter(case_number__iexact=number.strip()).first() if number.strip() else None


def letter_context(spec: letterbook.LetterKind, dispute: Dispute) -> dict:
    """What the letter needs besides the case: for a question, the case's latest information deadline."""
    if spec.needs == "deadline":
        deadline = dispute.deadlines.filter(kind=DeadlineKind.INFORMATION).order_by("-created_at", "-pk").first()
        return {"deadline": deadline.pk} if deadline is not None else {}
    return {}


def first_addressee(spec: letterbook.LetterKind, dispute: Dispute, context: dict) -> tuple[letterbook.Addressee, bool]:
    """The letter's first addressee on the case, and whether there is one (else a stand-in without a name)."""
    addressees = spec.addressees(dispute, context)
    if addressees:
        return addressees[0], True
    return letterbook.Addressee(name="-"), False


class LetterTemplatesView(LetterTemplatesBase):
    """Every letter kind, who sends it and the version of its wording in use."""

    def get(self, request):
        rows = []
        for kind, spec in letterbook.KINDS.items():
            rows.append({"kind": kind, "spec": spec, "sender": SENDERS[spec.sender],
                         "template": services.current_template(kind)})
        return render(request, "workflow/letter_templates.html", {"rows": rows, "nav": "letter-templates"})


class LetterTemplateForm(forms.Form):
    """The wording; what may be in it is checked by ``letterbook.check`` (the service, on save), not here."""

    anchor = "id_subject"
    subject = forms.CharField(label=gettext_lazy("Onderwerp"), required=False, strip=False,
                              help_text=gettext_lazy("Eén regel; komt achter “Betreft:”."))
    body = forms.CharField(label=gettext_lazy("Tekst van de brief"), required=False, strip=False,
                           widget=forms.Textarea(attrs={"rows": 24, "cols": 80, "class": "letter-body-input"}),
                           help_text=gettext_lazy("Zonder aanhef en ondertekening: die zet de briefopmaak erbij."))
    note = forms.CharField(label=gettext_lazy("Toelichting op de wijziging"), required=False, max_length=300,
                           help_text=gettext_lazy("Niet verplicht. Staat in de versiegeschiedenis."))


class PreviewCaseForm(forms.Form):
    anchor = "id_zaak"
    zaak = forms.CharField(label=gettext_lazy("Voorbeeld op zaak"), required=False, max_length=20,
                           help_text=gettext_lazy("Het zaaknummer, bijvoorbeeld GPA-2026-0012."))


class LetterTemplateView(LetterTemplatesBase):
    """A kind's editor: GET shows the wording in use; POST ``action=save`` saves a new version, any other action
    shows a preview on a case and saves nothing."""

    def get(self, request, kind):
        spec = self.spec(kind)
        template = services.current_template(kind)
        form = LetterTemplateForm(initial={"subject": template.subject, "body": template.body})
        case = default_case(request.user, spec)
        preview_form = PreviewCaseForm(initial={"zaak": case.case_number if case else ""})
        return self.page(request, spec, template, form, preview_form, case=case)

    def post(self, request, kind):
        spec = self.spec(kind)
        form = LetterTemplateForm(request.POST)
        preview_form = PreviewCaseForm(request.POST)
        form.is_valid()
        data = {name: form.cleaned_data.get(name, "") for name in ("subject", "body", "note")}
        if request.POST.get("action") == "save":
            if not form.errors:
                try:
                    saved = services.letter_template_save(actor=request.user, kind=kind, **data)
                except ValidationError as exc:
                    add_validation_error(form, exc)
                else:
                    messages.success(request, _("Versie %(version)d opgeslagen.") % {"version": saved.version})
                    return redirect("workflow:letter-template", kind)
            preview_form.is_valid()
            case = find_case(request.user, preview_form.cleaned_data.get("zaak", "")) \
                or default_case(request.user, spec)
            return self.page(request, spec, services.current_template(kind), form, preview_form, case=case,
                             status=400)
        # a preview: nothing is saved
        case = None
        if preview_form.is_valid():
            number = preview_form.cleaned_data["zaak"]
            case = find_case(request.user, number) if number.strip() else default_case(request.user, spec)
            if case is None and number.strip():
                preview_form.add_error("zaak", _("Er is geen zaak met zaaknummer %(number)s die u mag zien.")
                                       % {"number": number.strip()})
        # as the service will save it: the subject on one line, the body with plain line ends
        subject = " ".join(data["subject"].split())
        body = data["body"].replace("\r\n", "\n").replace("\r", "\n")
        if not form.errors:
            for field, problems in letterbook.check(kind, subject, body).items():
                form.add_error(field, problems)
        preview = None
        if case is not None and not form.errors and not preview_form.errors:
            preview = self.preview(spec, case, subject, body)
        status = 400 if form.errors or preview_form.errors else 200
        return self.page(request, spec, services.current_template(kind), form, preview_form, case=case,
                         preview=preview, status=status)

    def preview(self, spec, case: Dispute, subject: str, body: str) -> dict:
        context = letter_context(spec, case)
        addressee, addressed = first_addressee(spec, case, context)
        found = letterbook.values(spec.code, case, addressee, context)
        html = letterbook.body_html(body, found)
        # the letter's headings sit below the preview's own heading; body_html escapes every value, so the only
        # <h2> in it are its own
        html = html.replace("<h2>", "<h3>").replace("</h2>", "</h3>")
        return {
            "case": case, "addressee": addressee, "addressed": addressed,
            "subject": letterbook.subject_of(spec.code, case, addressee, subject, context),
            "body": mark_safe(html),  # noqa: S308 - every value escaped in letterbook.body_html
        }

    def page(self, request, spec, template, form, preview_form, *, case=None, preview=None, status=200):
        placeholders = [{"name": name, "description": letterbook.PLACEHOLDERS[name].description,
                         "block": letterbook.PLACEHOLDERS[name].block, "required": name in spec.required}
                        for name in spec.allowed]
        versions = LetterTemplate.objects.filter(kind=spec.code).select_related("created_by").order_by("-version")
        context = {
            "spec": spec, "kind": spec.code, "sender": SENDERS[spec.sender], "template": template,
            "form": form, "preview_form": preview_form, "errors": error_summary(form, preview_form),
            "placeholders": placeholders, "versions": versions, "case": case, "preview": preview,
            "pdf_url": (reverse("workflow:letter-template-preview", args=[spec.code]) + f"?zaak={case.case_number}"
                        if case is not None else ""),
            "nav": "letter-templates",
        }
        return render(request, "workflow/letter_template.html", context, status=status)


class LetterTemplatePreviewView(LetterTemplatesBase):
    """The whole letter as PDF, from the wording in use, for a case's first addressee (``?zaak=<case number>``;
    without it the case the editor shows first)."""

    def get(self, request, kind):
        spec = self.spec(kind)
        number = request.GET.get("zaak", "").strip()
        if number:
            dispute = permissions.get_dispute_for_user_or_404(request.user, case_number=number)
        else:
            dispute = default_case(request.user, spec)
        if dispute is None or dispute.state == DisputeState.DRAFT:
            raise Http404(_("Geschil niet gevonden."))
        template = services.current_template(kind)
        context = letter_context(spec, dispute)
        addressee, _addressed = first_addressee(spec, dispute, context)
        content = letterbook.render_pdf(kind, dispute, addressee, subject=template.subject, body=template.body,
                                        on=clock.today(), context=context,
                                        signer=request.user if spec.sender != letterbook.MINISTER else None)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="voorbeeld-{kind}-{dispute.case_number}.pdf"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "no-store"
        return response


class LetterTemplateResetView(LetterTemplatesBase):
    """A confirmation page (GET), then the shipped wording becomes a new version (POST)."""

    def get(self, request, kind):
        spec = self.spec(kind)
        template = services.current_template(kind)
        subject, body = letterbook.shipped(kind)
        context = {"spec": spec, "kind": kind, "template": template, "nav": "letter-templates",
                   "already": (template.subject, template.body) == (subject, body)}
        return render(request, "workflow/letter_template_reset.html", context)

    def post(self, request, kind):
        self.spec(kind)
        try:
            made = services.letter_template_reset(actor=request.user, kind=kind)
        except ValidationError:
            messages.info(request, _("De meegeleverde tekst is al in gebruik; er is geen nieuwe versie gemaakt."))
        else:
            messages.success(request, _("De meegeleverde tekst is hersteld als versie %(version)d.")
                             % {"version": made.version})
        return redirect("workflow:letter-template", kind)
