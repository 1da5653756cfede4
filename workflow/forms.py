"""The staff's forms: explicit fields only. State, case, organisation, uploader and hash never come
from input; every form that changes a case carries the version the user saw (``expected_version``).

``documents()`` turns a form's file fields into the ``[(doc_type, uploaded_file)]`` list the
services take; ``error_fields`` maps the services' error keys onto the form's own fields.
"""

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from disputes import clock, selectors
from disputes.models import (
    Confidentiality,
    DocumentType,
    Finding,
    InadmissibilityReason,
    Organisation,
    PartyRole,
)

YES_NO = (("1", _("Ja")), ("0", _("Nee")))


def _to_bool(value) -> bool:
    return value in (True, "1", "true", "True")


def textarea(rows: int = 4):
    return forms.Textarea(attrs={"rows": rows, "cols": 60})


#: A term or a hearing further ahead than this is a typing error (and 9999-12-31 + 2 hours overflows).
MAX_DAYS_AHEAD = 366


def _not_too_far_ahead(day):
    """A chosen deadline or hearing day at most a year after today (the services check the lower bound)."""
    if day is not None and day > clock.today() + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(_("Kies een datum die ten hoogste een jaar na vandaag ligt."), code="too_far")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def pdf_field(label, *, required: bool = False, help_text=""):
    return forms.FileField(
        label=label, required=required, help_text=help_text or _("PDF-bestand."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class VersionedForm(forms.Form):
    """Every change is made against the version of the case the user saw (else: 409)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    #: file field name -> document type code (procedure.md §8)
    document_fields: dict[str, str] = {}
    #: service error key -> form field name
    error_fields: dict[str, str] = {}

    def documents(self) -> list:
        return [
            (doc_type, self.cleaned_data[name])
            for name, doc_type in self.document_fields.items()
            if self.cleaned_data.get(name)
        ]


class ConfirmForm(VersionedForm):
    """A step that needs no input besides the user's confirmation."""


class PointAdmissibilityForm(VersionedForm):
    admissible = forms.TypedChoiceField(
        label=_("Ontvankelijk?"), choices=YES_NO, coerce=_to_bool, widget=forms.RadioSelect
    )
    reasons = forms.MultipleChoiceField(
        label=_("Redenen bij niet-ontvankelijkheid"), choices=InadmissibilityReason.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=10000, widget=textarea(3))

    def clean(self):
        data = super().clean()
        if data.get("admissible") is False and not data.get("reasons"):
            self.add_error("reasons", _("Geef ten minste één reden (A1-A9) voor niet-ontvankelijkheid."))
        return data


class RequestRemedyForm(VersionedForm):
    reason = forms.CharField(label=_("Wat ontbreekt er?"), max_length=10000, widget=textarea())
    deadline = forms.DateField(
        label=_("Hersteltermijn tot en met"), required=False, widget=DateInput(),
        help_text=_("Leeg laten voor de standaardtermijn van de regelset (twee weken)."),
    )
    letter = pdf_field(_("Verzoek om herstel verzuim"), help_text=_("Optioneel; PDF-bestand."))
    document_fields = {"letter": "verzoek_herstel"}
    error_fields = {"documents": "letter"}

    def clean_deadline(self):
        _not_too_far_ahead(self.cleaned_data["deadline"])
        return self.cleaned_data["deadline"]


class EffortsForm(VersionedForm):
    sufficient = forms.TypedChoiceField(
        label=_("Hebben partijen aantoonbaar alles gedaan om het geschil zelf op te lossen?"),
        choices=(("1", _("Ja, voldoende")), ("0", _("Nee, onvoldoende"))), coerce=_to_bool,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Motivering"), max_length=10000, widget=textarea())


class DeclareInadmissibleForm(VersionedForm):
    reasons = forms.MultipleChoiceField(
        label=_("Redenen"), choices=InadmissibilityReason.choices, widget=forms.CheckboxSelectMultiple
    )
    notice = pdf_field(_("Mededeling niet-ontvankelijkheid"), help_text=_("Optioneel; PDF-bestand."))
    document_fields = {"notice": "mededeling_ontvankelijkheid"}
    error_fields = {"documents": "notice"}


class RequestInformationForm(VersionedForm):
    party = forms.ModelChoiceField(label=_("Aan welke partij?"), queryset=Organisation.objects.none())
    question = forms.CharField(
        label=_("Vraag"), max_length=10000, widget=textarea(),
        help_text=_("Ook voor een verzoek om een reactie op het verweer (repliek) of op de repliek (dupliek): de "
                    "partij antwoordt in het portaal en kiest daar die soort document."),
    )
    deadline = forms.DateField(
        label=_("Antwoord uiterlijk op"), required=False, widget=DateInput(),
        help_text=_("Leeg laten voor de standaardtermijn (twee weken)."),
    )
    letter = pdf_field(_("Vraag om inlichtingen"), help_text=_("Optioneel; PDF-bestand."))
    document_fields = {"letter": "vraag_inlichtingen"}
    error_fields = {"documents": "letter"}

    def clean_deadline(self):
        _not_too_far_ahead(self.cleaned_data["deadline"])
        return self.cleaned_data["deadline"]

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dispute is not None:
            self.fields["party"].queryset = Organisation.objects.filter(dispute_parties__dispute=dispute).order_by(
                "name"
            )


class ScheduleHearingForm(VersionedForm):
    hearing_at = forms.DateTimeField(
        label=_("Datum en tijd"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Nederlandse tijd."),
    )
    place = forms.CharField(
        label=_("Plaats of videoverbinding"), max_length=300,
        help_text=_("Adres van de zaal, of de link naar de videoverbinding."),
    )
    invitation = pdf_field(_("Uitnodiging hoorzitting"), help_text=_("Optioneel; PDF-bestand."))
    document_fields = {"invitation": "uitnodiging_hoorzitting"}
    error_fields = {"documents": "invitation"}

    def clean_hearing_at(self):
        hearing_at = self.cleaned_data["hearing_at"]
        _not_too_far_ahead(clock.localdate(hearing_at) if hearing_at else None)
        return hearing_at


class RescheduleHearingForm(ScheduleHearingForm):
    reason = forms.CharField(label=_("Reden van de wijziging"), max_length=2000, widget=textarea(3),
                             help_text=_("Staat in de nieuwe uitnodiging aan alle partijen."))
    invitation = pdf_field(_("Gewijzigde uitnodiging hoorzitting"), help_text=_("Optioneel; PDF-bestand."))


class RecordHearingForm(VersionedForm):
    minutes = pdf_field(_("Verslag hoorzitting"), required=True)
    document_fields = {"minutes": "verslag_hoorzitting"}
    error_fields = {"documents": "minutes"}


class SkipHearingForm(VersionedForm):
    reason = forms.CharField(
        label=_("Waarom is een hoorzitting niet nodig?"), max_length=10000, widget=textarea()
    )


class CancelHearingForm(VersionedForm):
    reason = forms.CharField(label=_("Waarom gaat de hoorzitting niet door?"), max_length=10000, widget=textarea())


class PointAdviceForm(VersionedForm):
    finding = forms.ChoiceField(label=_("Bevinding"), choices=Finding.choices, widget=forms.RadioSelect)
    recommendation = forms.CharField(
        label=_("Aanbeveling"), required=False, max_length=20000, widget=textarea(3)
    )


class IssueAdviceForm(VersionedForm):
    advice = pdf_field(_("Advies van de adviescommissie"), help_text=_("PDF-bestand; verplicht als het nog ontbreekt."))
    cover_letter = pdf_field(_("Aanbiedingsbrief"), help_text=_("Optioneel; PDF-bestand."))
    document_fields = {"advice": "advies", "cover_letter": "aanbiedingsbrief"}
    error_fields = {"documents": "advice"}


class PointDecisionForm(VersionedForm):
    follow_advice = forms.TypedChoiceField(
        label=_("Beslissing"), coerce=_to_bool, widget=forms.RadioSelect,
        choices=(("1", _("Het advies volgen")), ("0", _("Afwijken van het advies"))),
    )
    decision = forms.ChoiceField(
        label=_("Andere beslissing (bij afwijken)"), required=False,
        choices=(("", _("- kies -")), *Finding.choices),
    )
    reason = forms.CharField(
        label=_("Motivering (verplicht bij afwijken)"), required=False, max_length=20000, widget=textarea(3)
    )

    def clean(self):
        data = super().clean()
        if data.get("follow_advice") is False:
            if not data.get("decision"):
                self.add_error("decision", _("Kies de beslissing die van het advies afwijkt."))
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("Wie van het advies afwijkt, moet dat motiveren."))
        return data


class DraftDecisionForm(VersionedForm):
    draft = pdf_field(_("Ontwerpuitspraak"), required=True, help_text=_("PDF-bestand; alleen intern zichtbaar."))
    document_fields = {"draft": "bindende_uitspraak"}
    error_fields = {"documents": "draft"}


class DecideForm(VersionedForm):
    decision = pdf_field(
        _("Bindende uitspraak (definitieve versie voor partijen)"), help_text=_("PDF-bestand; verplicht.")
    )
    document_fields = {"decision": "bindende_uitspraak"}
    error_fields = {"documents": "decision"}


class ExtendTermForm(VersionedForm):
    weeks = forms.IntegerField(label=_("Verlengen met (weken)"), min_value=1, max_value=52)
    reason = forms.CharField(label=_("Reden"), required=False, max_length=2000, widget=textarea(3))
    notice = pdf_field(_("Verlengingsbericht"), help_text=_("Optioneel; PDF-bestand."))
    document_fields = {"notice": "verlengingsbericht"}
    error_fields = {"documents": "notice"}


class SettleForm(VersionedForm):
    settlement = pdf_field(_("Vaststellingsovereenkomst"), required=True)
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=2000, widget=textarea(3))
    document_fields = {"settlement": "vaststellingsovereenkomst"}
    error_fields = {"documents": "settlement"}


class AllowLateResponseForm(VersionedForm):
    organisation = forms.ModelChoiceField(label=_("Verweerder"), queryset=Organisation.objects.none())

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dispute is not None:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                dispute_parties__dispute=dispute, dispute_parties__role=PartyRole.RESPONDENT
            ).order_by("name")


class RecordAnswerForm(VersionedForm):
    """The secretary records the answer to an information request that came in by post or e-mail."""

    request = forms.TypedChoiceField(label=_("Welke vraag is beantwoord?"), coerce=int)
    answer = forms.CharField(label=_("Antwoord (samenvatting)"), max_length=20000, required=False, widget=textarea())
    letter = pdf_field(_("Antwoord"), help_text=_("Optioneel; PDF-bestand, zoals ontvangen."))
    document_fields = {"letter": "antwoord"}
    error_fields = {"documents": "letter"}

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dispute is not None:
            self.fields["request"].choices = [
                (r.deadline.pk, f"{r.deadline.organisation.name}: {Truncator(r.question).chars(100)} "
                                f"({r.deadline.due:%d-%m-%Y})")
                for r in selectors.open_information_requests(dispute, dispute.organisation_ids())
            ]

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("answer") or "").strip() and not data.get("letter"):
            raise forms.ValidationError(_("Vat het antwoord samen of voeg het ontvangen antwoord toe."))
        return data


class ReminderForm(VersionedForm):
    """A reminder by hand to the parties that must still act before one of the case's deadlines."""

    deadline = forms.TypedChoiceField(label=_("Over welke termijn?"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dispute is not None:
            from disputes.services import reminder_deadlines

            self.fields["deadline"].choices = [
                (d.pk, f"{d.get_kind_display()}{f' ({d.organisation.name})' if d.organisation else ''}: "
                       f"{d.due:%d-%m-%Y}")
                for d in reminder_deadlines(dispute)
            ]


class DocumentForm(VersionedForm):
    doc_type = forms.ChoiceField(label=_("Soort document"), choices=DocumentType.choices)
    confidentiality = forms.ChoiceField(label=_("Zichtbaar voor"), choices=Confidentiality.choices)
    file = pdf_field(_("Bestand"), required=True)
    error_fields = {"uploaded": "file"}

    def __init__(self, *args, levels=None, **kwargs):
        super().__init__(*args, **kwargs)
        if levels is not None:
            self.fields["confidentiality"].choices = [c for c in Confidentiality.choices if c[0] in levels]


class RecuseForm(VersionedForm):
    reason = forms.CharField(label=_("Reden van verschoning"), max_length=2000, widget=textarea(3))


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Toewijzen aan"), queryset=get_user_model().objects.none())

    def __init__(self, *args, colleagues=None, **kwargs):
        super().__init__(*args, **kwargs)
        if colleagues is not None:
            self.fields["assignee"].queryset = colleagues
            self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.username


class WorklistFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Soort"), required=False)
    gemeente = forms.ChoiceField(label=_("Gemeente"), required=False)

    def __init__(self, *args, states=(), kinds=(), municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = ("", _("Alle"))
        self.fields["state"].choices = [everything, *states]
        self.fields["kind"].choices = [everything, *kinds]
        self.fields["gemeente"].choices = [everything, *municipalities]
