"""The letters of a case on the staff side (issue 16, item 4; docs/workflow.md, "Brieven bij een zaak").

Draft -> check -> send: the secretariat (and the Minister's officials: operation ``send_letter``) makes a draft of a
letter kind that fits the case's state now (``letter-draft``, from the case page's section "Brieven"), sees it filled
in for the case and may reword that one letter (``letter-edit``: the wording in use stays as it is), previews the
PDF per addressee (``letter-preview``), and sends it after a confirmation (``letter-send``) or throws the draft away
(``letter-discard``). Each page makes one service call (``disputes.services.letters``); the kinds, placeholders and
addressees are ``disputes.letterbook``. ``LetterView`` (``letter``) is the blank letter of a kind with the wording in
use, for the first addressee, as a PDF.
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
from disputes.errors import NOT_IN_THIS_STATE, Conflict, NotPermitted
from disputes.models import DeadlineKind, Letter, LetterStatus, PartyRole, StaffRole
from disputes.portal.common import error_summary
from disputes.portal.forms import PortalForm

from .base import StaffView, domain_error, page_message

ANCHOR = "#brieven"
OPERATION = "send_letter"

#: an addressee's capacity, in words (letterbook.Addressee.capacity)
CAPACITIES = {
    PartyRole.APPLICANT: gettext_lazy("verzoeker"),
    PartyRole.RESPONDENT: gettext_lazy("verweerder"),
    PartyRole.INTERESTED: gettext_lazy("belanghebbende partij bij de afspraken"),
    "municipality": gettext_lazy("college van burgemeester en wethouders van de gemeente"),
    "minister": gettext_lazy("de Minister"),
}


def capacity_words(capacity: str) -> str:
    return str(CAPACITIES.get(capacity, capacity))


# -- what the case page shows ---------------------------------------------------------------------------------------
def draft_choices(dispute, information) -> dict:
    """What the form "Brief opstellen" offers: the letter kinds (code, title) staff may make in the case's state now,
    and, when a question for information is one of them, the case's questions (``information``:
    ``selectors.information_requests``; without a question that kind is not offered)."""
    kinds = [(code, spec.title) for code, spec in letterbook.KINDS.items()
             if dispute.state in spec.states and (spec.needs != "deadline" or information)]
    asks = any(letterbook.KINDS[code].needs == "deadline" for code, _title in kinds)
    return {"kinds": kinds, "questions": information if asks else []}


def case_letters(dispute) -> dict:
    """The case's open drafts and its sent letters, newest first (two queries however many letters: the letters,
    and the ``letter_sent`` events that name each sent letter's subject as filled in and its copies' documents)."""
    found = list(dispute.letters.exclude(status=LetterStatus.DISCARDED)
                 .select_related("template", "created_by", "sent_by"))
    sent = [letter for letter in found if letter.status == LetterStatus.SENT]
    events = {}
    if sent:
        events = {payload.get("letter"): payload for payload in dispute.events.filter(kind="letter_sent")
                  .order_by("at", "pk").values_list("payload", flat=True)}
    for letter in found:
        letter.title = _title(letter.kind)
        payload = events.get(str(letter.pk), {})
        letter.filled_subject = payload.get("subject") or letter.subject
        letter.sent_copies = [{"addressee": name, "document": document} for name, document
                              in zip(payload.get("addressees", []), payload.get("documents", []), strict=False)]
    return {
        "drafts": [letter for letter in found if letter.status == LetterStatus.DRAFT],
        "sent": sorted(sent, key=lambda letter: letter.sent_at, reverse=True),
    }


def _title(kind: str) -> str:
    spec = letterbook.KINDS.get(kind)
    return spec.title if spec is not None else kind


# -- shared -----------------------------------------------------------------------------------------------------------
def _require(user, dispute) -> None:
    if not permissions.may_ever(user, dispute, OPERATION):
        raise NotPermitted(_("Brieven opstellen en versturen is voor het secretariaat en de ambtenaren van het "
                             "ministerie."))


def _letter(user, pk, letter_pk):
    """The case (as this user may see it) and its letter: 404 for a letter of another case."""
    dispute = permissions.get_dispute_for_user_or_404(user, pk=pk)
    _require(user, dispute)
    letter = (Letter.objects.filter(dispute=dispute, pk=letter_pk)
              .select_related("template", "created_by", "sent_by").first())
    if letter is None or letter.kind not in letterbook.KINDS:
        raise Http404(_("Brief niet gevonden."))
    letter.dispute = dispute
    letter.title = _title(letter.kind)
    return dispute, letter


def _back(pk):
    response = redirect("workflow:case", pk)
    response["Location"] += ANCHOR
    return response


def _signer(kind: str, user):
    """Who signs: the one who sends it, except the Minister's letters (letterbook.signature)."""
    return user if letterbook.KINDS[kind].sender != letterbook.MINISTER else None


def _addressees(dispute, letter) -> list:
    return letterbook.KINDS[letter.kind].addressees(dispute, letter.context)


def _reach(dispute, addressee) -> str:
    """How ``addressee`` hears of the letter when it is sent (services.letters._deliver)."""
    if addressee.organisation is None:
        return _("de brief komt alleen bij de documenten van het geschil")
    if any(p.organisation_id == addressee.organisation.pk for p in dispute.parties.all()):
        return _("krijgt een e-mail dat er een brief klaarstaat in het portaal")
    return _("kan het geschil niet inzien en krijgt de brief zelf per e-mail")


def _normalised(subject: str, body: str) -> tuple[str, str]:
    """As the service stores a wording (services.letters._checked)."""
    return " ".join(subject.split()), body.replace("\r\n", "\n").replace("\r", "\n").strip() + "\n"


def _messages_of(exc) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


class WordingForm(PortalForm):
    subject = forms.CharField(label=gettext_lazy("Onderwerp"), max_length=letterbook.MAX_SUBJECT,
                              widget=forms.TextInput(attrs={"autocomplete": "off"}))
    body = forms.CharField(label=gettext_lazy("Tekst van de brief"), max_length=letterbook.MAX_BODY, strip=False,
                           widget=forms.Textarea(attrs={"rows": 18}),
                           help_text=gettext_lazy(
                               "U past de tekst alleen voor deze brief aan; de tekst in gebruik voor deze soort brief "
                               "blijft zoals hij is. Een invulveld schrijft u als ((naam)): zie de lijst van "
                               "invulvelden. Een alinea eindigt bij een lege regel; een regel die begint met '- ' is "
                               "een opsomming."))

    # the ids workflow/_form.html gives the hint and the error
    hint_suffix = "_helptext"
    error_suffix = "_error"


# -- the pages --------------------------------------------------------------------------------------------------------
class LetterDraftView(StaffView):
    """POST from the case page: a draft of the chosen kind (the open draft of that kind if there is one)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        dispute = permissions.get_dispute_for_user_or_404(request.user, pk=pk)
        _require(request.user, dispute)
        kind = request.POST.get("kind", "")
        spec = letterbook.KINDS.get(kind)
        if spec is None:
            messages.error(request, _("Kies een soort brief."))
            return _back(pk)
        context = {}
        if spec.needs == "deadline":
            questions = set(dispute.deadlines.filter(kind=DeadlineKind.INFORMATION).values_list("pk", flat=True))
            wanted = request.POST.get("deadline", "")
            if wanted:
                if not wanted.isdigit() or int(wanted) not in questions:
                    messages.error(request, _("Kies een vraag om inlichtingen van dit geschil."))
                    return _back(pk)
                context["deadline"] = int(wanted)
        try:
            letter = services.letter_draft(dispute=dispute, actor=request.user, kind=kind, context=context)
        except (ValidationError, *NOT_IN_THIS_STATE) as exc:
            messages.error(request, _messages_of(exc))
            return _back(pk)
        return redirect("workflow:letter-edit", dispute.pk, letter.pk)


class LetterEditView(StaffView):
    """A letter of the case: a draft's wording in a form with its preview; a sent or thrown-away letter read-only."""

    def get(self, request, pk, letter_pk):
        dispute, letter = _letter(request.user, pk, letter_pk)
        form = None
        if letter.status == LetterStatus.DRAFT:
            form = WordingForm(initial={"subject": letter.subject, "body": letter.body})
        return self._render(request, dispute, letter, form)

    def post(self, request, pk, letter_pk):
        dispute, letter = _letter(request.user, pk, letter_pk)
        if letter.status != LetterStatus.DRAFT:
            messages.error(request, _("Deze brief is al verstuurd of weggegooid; maak een nieuw concept."))
            return redirect("workflow:letter-edit", dispute.pk, letter.pk)
        form = WordingForm(request.POST)
        if not form.is_valid():
            return self._render(request, dispute, letter, form)
        sending = request.POST.get("action") == "send"
        subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
        changed = _normalised(subject, body) != (letter.subject, letter.body)
        if changed or not sending:
            try:
                services.letter_edit(letter=letter, actor=request.user, subject=subject, body=body)
            except (Conflict, NotPermitted) as exc:
                return domain_error(request, exc, form, dispute, request.path)
            except ValidationError as exc:
                _errors_on(form, exc)
                return self._render(request, dispute, letter, form)
            except NOT_IN_THIS_STATE as exc:
                return self._render(request, dispute, letter, form, page_error=page_message(exc))
        if sending:
            return redirect("workflow:letter-send", dispute.pk, letter.pk)
        messages.success(request, _("De tekst van deze brief is opgeslagen."))
        return redirect("workflow:letter-edit", dispute.pk, letter.pk)

    def _render(self, request, dispute, letter, form, page_error: str = ""):
        spec = letterbook.KINDS[letter.kind]
        addressees = _addressees(dispute, letter) if letter.status == LetterStatus.DRAFT else []
        preview = None
        if addressees:
            first = addressees[0]
            found = letterbook.values(letter.kind, dispute, first, letter.context)
            preview = {
                "addressee": first,
                "subject": letterbook.plain(letter.subject, found),
                # every value escaped in body_html; its headings one level down, under the page's "Voorbeeld"
                "body": mark_safe(letterbook.body_html(letter.body, found)  # noqa: S308
                                  .replace("<h2>", "<h3>").replace("</h2>", "</h3>")),
            }
        if form is not None:
            form.anchor = "letter-form"
        context = {
            "dispute": dispute, "letter": letter, "spec": spec, "form": form, "page_error": page_error,
            "errors": error_summary(form) if form is not None and form.is_bound else [],
            "addressees": [{"addressee": a, "capacity": capacity_words(a.capacity), "n": n}
                           for n, a in enumerate(addressees, start=1)],
            "placeholders": [{"name": name, "description": letterbook.PLACEHOLDERS[name].description,
                              "required": name in spec.required, "block": letterbook.PLACEHOLDERS[name].block}
                             for name in spec.allowed],
            "preview": preview,
            "copies": ([{"copy": c, "capacity": capacity_words(c.capacity)} for c in letter.copies.order_by("pk")]
                       if letter.status == LetterStatus.SENT else []),
            "is_draft": letter.status == LetterStatus.DRAFT,
            "is_discarded": letter.status == LetterStatus.DISCARDED,
        }
        status = 400 if page_error else 200
        return render(request, "workflow/letter_edit.html", context, status=status)


def _errors_on(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
    form.mark_errors()


class LetterPreviewView(StaffView):
    """The letter as its addressee ``n`` (1, 2, ...) gets it, as a PDF in the browser: the saved wording, today."""

    def get(self, request, pk, letter_pk, n):
        dispute, letter = _letter(request.user, pk, letter_pk)
        addressees = _addressees(dispute, letter)
        if not 1 <= n <= len(addressees):
            raise Http404(_("Deze brief heeft geen geadresseerde met dit nummer."))
        content = letterbook.render_pdf(letter.kind, dispute, addressees[n - 1], subject=letter.subject,
                                        body=letter.body, on=clock.today(), context=letter.context,
                                        signer=_signer(letter.kind, request.user))
        return _pdf(content, f"voorbeeld-{letter.kind}-{dispute.case_number or dispute.pk}-{n}.pdf", inline=True)


class LetterSendView(StaffView):
    """GET: what sending does, to whom; POST: send (one PDF per addressee on the case), back to the case page."""

    def get(self, request, pk, letter_pk):
        dispute, letter = _letter(request.user, pk, letter_pk)
        if letter.status != LetterStatus.DRAFT:
            return redirect("workflow:letter-edit", dispute.pk, letter.pk)
        return self._render(request, dispute, letter)

    def post(self, request, pk, letter_pk):
        dispute, letter = _letter(request.user, pk, letter_pk)
        try:
            services.letter_send(letter=letter, actor=request.user)
        except (Conflict, NotPermitted) as exc:
            return domain_error(request, exc, None, dispute, reverse("workflow:letter-edit", args=[pk, letter_pk]))
        except (ValidationError, *NOT_IN_THIS_STATE) as exc:
            return self._render(request, dispute, letter, page_error=_messages_of(exc))
        copies = list(letter.copies.order_by("pk"))
        messages.success(request, _("De brief '%(title)s' is verstuurd aan %(names)s en staat bij de documenten van "
                                    "het geschil.") % {"title": letter.title,
                                                       "names": ", ".join(c.addressee for c in copies)})
        return _back(dispute.pk)

    def _render(self, request, dispute, letter, page_error: str = ""):
        addressees = _addressees(dispute, letter) if letter.status == LetterStatus.DRAFT else []
        context = {
            "dispute": dispute, "letter": letter, "page_error": page_error,
            "subject": (letterbook.subject_of(letter.kind, dispute, addressees[0], letter.subject, letter.context)
                        if addressees else letter.subject),
            "addressees": [{"addressee": a, "capacity": capacity_words(a.capacity), "reach": _reach(dispute, a)}
                           for a in addressees],
        }
        return render(request, "workflow/letter_send.html", context, status=400 if page_error else 200)


class LetterDiscardView(StaffView):
    """POST: throw a draft away (it stays recorded as thrown away), back to the case page."""

    http_method_names = ["post"]

    def post(self, request, pk, letter_pk):
        dispute, letter = _letter(request.user, pk, letter_pk)
        try:
            services.letter_discard(letter=letter, actor=request.user)
        except (ValidationError, *NOT_IN_THIS_STATE) as exc:
            messages.error(request, _messages_of(exc))
        else:
            messages.success(request, _("Het concept van de brief '%(title)s' is weggegooid.")
                             % {"title": letter.title})
        return _back(dispute.pk)


class LetterView(StaffView):
    """A blank letter of a kind for this case: the wording in use (``services.current_template``), filled in for its
    first addressee, as a PDF to download (the secretariat and the ministry's officials)."""

    def get(self, request, pk, kind):
        dispute = permissions.get_dispute_for_user_or_404(request.user, pk=pk)
        if not permissions.has_role(request.user, StaffRole.SECRETARY, StaffRole.MINISTER_OFFICIAL):
            raise NotPermitted(_("Brieven opstellen is voor het secretariaat en de ambtenaren."))
        spec = letterbook.KINDS.get(kind)
        if spec is None:
            raise Http404(_("Onbekende brief."))
        addressees = spec.addressees(dispute, {})
        if not addressees:
            raise Http404(_("Deze brief heeft in dit geschil (nog) geen geadresseerde."))
        template = services.current_template(kind)
        content = letterbook.render_pdf(kind, dispute, addressees[0], subject=template.subject, body=template.body,
                                        on=clock.today(), context={}, signer=_signer(kind, request.user))
        return _pdf(content, f"{kind}-{dispute.case_number or dispute.pk}.pdf", inline=False)


def _pdf(content: bytes, filename: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
