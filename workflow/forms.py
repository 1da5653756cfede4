"""The staff's forms: explicit fields only. State, case, organisation, uploader and hash never come
from input; every form that changes a case carries the version the user saw (``expected_version``).

``documents()`` turns a form's file fields into the ``[(doc_type, uploaded_file)]`` list the
services take; ``error_fields`` maps the services' error keys onto the form's own fields.
"""

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
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
from disputes.services.drafts import FILING_DOCUMENT_TYPES
from disputes.services.review import late_remedy

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
    requested = forms.MultipleChoiceField(
        label=_("Gevraagde stukken"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(t.value, t.label) for t in FILING_DOCUMENT_TYPES],
        help_text=_("Vink elk stuk aan dat ontbreekt; de verzoeker ziet de lijst en kan ze in één keer sturen."),
    )
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
    """The Minister's decision that the request is inadmissible as a whole: per point the reason codes and the
    reasons in words (proposed from the secretariat's verdict), an explicit departure for a point the
    secretariat found admissible, and how a remedy that came after the remedy term was weighed."""

    notice = pdf_field(
        _("Besluit niet-ontvankelijkheid (eigen versie)"),
        help_text=_("Optioneel; PDF-bestand. Zonder upload wordt de brief uit de gegevens hieronder gemaakt en aan "
                    "partijen gestuurd."),
    )
    document_fields = {"notice": "mededeling_ontvankelijkheid"}
    error_fields = {"documents": "notice", "points": None}

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dispute_points = list(dispute.points.order_by("number")) if dispute is not None else []
        for point in self.dispute_points:
            n = point.number
            verdict = point.get_admissibility_display()
            if point.inadmissibility_reasons:
                verdict = f"{verdict} ({', '.join(point.inadmissibility_reasons)})"
            self.fields[f"p{n}_reasons"] = forms.MultipleChoiceField(
                label=_("Geschilpunt %(n)d: %(title)s - redenen") % {"n": n, "title": point.title},
                choices=InadmissibilityReason.choices, required=False, widget=forms.CheckboxSelectMultiple,
                help_text=_("Voorstel van het secretariaat: %(verdict)s.") % {"verdict": verdict},
            )
            self.fields[f"p{n}_note"] = forms.CharField(
                label=_("Geschilpunt %(n)d - motivering in woorden (komt in de brief)") % {"n": n},
                required=False, max_length=10000, widget=textarea(3),
            )
            if point.admissibility == "admissible":
                self.fields[f"p{n}_depart"] = forms.BooleanField(
                    label=_("Geschilpunt %(n)d - afwijken van het oordeel van het secretariaat (ontvankelijk)")
                    % {"n": n}, required=False,
                    help_text=_("Alleen met redenen en een motivering hierboven."),
                )
        late = late_remedy(dispute) if dispute is not None else []
        if late:
            listed = ", ".join(f"{d.display_name} ({clock.localdate(d.uploaded_at):%d-%m-%Y})" for d in late)
            self.fields["late_remedy_weighed"] = forms.CharField(
                label=_("Hoe zijn de stukken gewogen die na de hersteltermijn binnenkwamen?"),
                max_length=10000, widget=textarea(3),
                help_text=_("Na het verstrijken van de hersteltermijn ontvangen: %(docs)s. Deze stukken moeten bij "
                            "de beslissing worden betrokken (artikel 4:5 Awb).") % {"docs": listed},
            )

    def points(self) -> dict:
        """Per point key what the service takes: reasons, note, depart."""
        data = self.cleaned_data
        return {
            p.key: {"reasons": data.get(f"p{p.number}_reasons") or [], "note": data.get(f"p{p.number}_note", ""),
                    "depart": bool(data.get(f"p{p.number}_depart"))}
            for p in self.dispute_points
        }


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
    after_term_reason = forms.CharField(
        label=_("Reden voor een hoorzitting na de beslistermijn"), required=False, max_length=2000,
        widget=textarea(3),
        help_text=_("Alleen nodig als de hoorzitting na het einde van de beslistermijn valt; verleng anders eerst "
                    "de beslistermijn. De reden wordt vastgelegd."),
    )
    document_fields = {"invitation": "uitnodiging_hoorzitting"}
    error_fields = {"documents": "invitation"}

    def clean_hearing_at(self):
        hearing_at = self.cleaned_data["hearing_at"]
        _not_too_far_ahead(clock.localdate(hearing_at) if hearing_at else None)
        return hearing_at


class RescheduleHearingForm(ScheduleHearingForm):
    field_order = ["hearing_at", "place", "reason", "invitation", "after_term_reason"]
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


#: the commission's or the Minister's view of a point's admissibility: "" keeps the proposal (or the advice)
def _admissibility_field(label, keep_label):
    return forms.TypedChoiceField(
        label=label, required=False, widget=forms.RadioSelect, empty_value=None,
        coerce=lambda value: None if value in ("", None) else _to_bool(value),
        choices=(("", keep_label), ("1", _("Ontvankelijk")), ("0", _("Niet-ontvankelijk"))),
    )


def _reasons_field():
    return forms.MultipleChoiceField(
        label=_("Redenen bij niet-ontvankelijkheid"), choices=InadmissibilityReason.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nodig als een punt dat het secretariaat ontvankelijk vond toch niet-ontvankelijk is."),
    )


class PointAdviceForm(VersionedForm):
    admissible = _admissibility_field(
        _("Ontvankelijkheid (het oordeel van het secretariaat is een voorstel)"),
        _("Zoals voorgesteld door het secretariaat"),
    )
    reasons = _reasons_field()
    finding = forms.ChoiceField(
        label=_("Bevinding (bij een ontvankelijk punt)"), choices=Finding.choices, widget=forms.RadioSelect,
        required=False,
    )
    recommendation = forms.CharField(
        label=_("Aanbeveling en motivering"), required=False, max_length=20000, widget=textarea(3),
        help_text=_("Verplicht als de commissie afwijkt van het voorstel over de ontvankelijkheid."),
    )

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dispute is not None:  # only the findings that fit the kind of dispute
            self.fields["finding"].choices = [(f.value, f.label) for f in Finding.for_kind(dispute.kind)]


class IssueAdviceForm(VersionedForm):
    advice = pdf_field(_("Advies van de adviescommissie"), help_text=_("PDF-bestand; verplicht als het nog ontbreekt."))
    cover_letter = pdf_field(_("Aanbiedingsbrief"), help_text=_("Optioneel; PDF-bestand."))
    open_requests_reason = forms.CharField(
        label=_("Reden om te adviseren terwijl een vraag om inlichtingen openstaat"), required=False,
        max_length=2000, widget=textarea(3),
        help_text=_("Alleen nodig als een vraag om inlichtingen nog niet is beantwoord; het secretariaat kan een "
                    "binnengekomen antwoord eerst registreren. De reden wordt vastgelegd."),
    )
    document_fields = {"advice": "advies", "cover_letter": "aanbiedingsbrief"}
    error_fields = {"documents": "advice"}


class PointDecisionForm(VersionedForm):
    follow_advice = forms.TypedChoiceField(
        label=_("Beslissing"), coerce=_to_bool, widget=forms.RadioSelect,
        choices=(("1", _("Het advies volgen")), ("0", _("Afwijken van het advies"))),
    )
    admissible = _admissibility_field(
        _("Ontvankelijkheid (bij afwijken)"), _("Zoals geadviseerd (of voorgesteld door het secretariaat)")
    )
    reasons = _reasons_field()
    decision = forms.ChoiceField(
        label=_("Andere beslissing (bij afwijken, over een ontvankelijk punt)"), required=False,
        choices=(("", _("- kies -")), *Finding.choices),
    )
    reason = forms.CharField(
        label=_("Motivering (verplicht bij afwijken)"), required=False, max_length=20000, widget=textarea(3)
    )

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dispute is not None:  # only the findings that fit the kind of dispute
            self.fields["decision"].choices = [("", _("- kies -"))] + [
                (f.value, f.label) for f in Finding.for_kind(dispute.kind)]

    def clean(self):
        data = super().clean()
        if data.get("follow_advice") is False:
            if not data.get("decision") and data.get("admissible") is not False:
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
    """The extension's reason goes into the verlengingsbericht, which the service generates and sends."""

    weeks = forms.IntegerField(label=_("Verlengen met (weken)"), min_value=1, max_value=52)
    reason = forms.CharField(
        label=_("Reden"), max_length=2000, widget=textarea(3),
        help_text=_("Verplicht: de reden staat in het verlengingsbericht aan partijen en aan het college van B&W."),
    )


class SettleForm(VersionedForm):
    """A settlement is recorded on its basis (procedure.md §0): the agreement signed by every party, or the
    withdrawal by every remaining applicant; the secretary ticks who signed, and adds the signed document."""

    basis = forms.ChoiceField(
        label=_("Grondslag"), widget=forms.RadioSelect,
        choices=(("agreement", _("Vaststellingsovereenkomst, ondertekend door alle partijen")),
                 ("withdrawal", _("Intrekking door alle verzoekers"))),
    )
    signed_by = forms.ModelMultipleChoiceField(
        label=_("Ondertekend door"), queryset=Organisation.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text=_("Bij een vaststellingsovereenkomst: elke partij. Bij intrekking: elke verzoeker die nog niet "
                    "had ingetrokken."),
    )
    document = pdf_field(_("Ondertekend stuk (vaststellingsovereenkomst of intrekking)"), required=True)
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=2000, widget=textarea(3))
    error_fields = {"documents": "document"}

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dispute is not None:
            self.fields["signed_by"].queryset = Organisation.objects.filter(
                dispute_parties__dispute=dispute, dispute_parties__withdrawn_at__isnull=True
            ).order_by("name")

    def documents(self) -> list:
        doc_type = "vaststellingsovereenkomst" if self.cleaned_data["basis"] == "agreement" else "intrekking"
        return [(doc_type, self.cleaned_data["document"])]


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


class RecordObjectionForm(VersionedForm):
    """A bezwaarschrift against the binding decision came in (services.dispute_record_objection)."""

    received_on = forms.DateField(label=_("Ontvangen op"), widget=DateInput(),
                                  help_text=_("De dag waarop het bezwaarschrift bij het ministerie binnenkwam."))
    objector = forms.ModelChoiceField(label=_("Ingediend door"), queryset=Organisation.objects.none(),
                                      required=False, empty_label=_("Een ander dan een partij / onbekend"))
    letter = pdf_field(_("Bezwaarschrift"), required=True, help_text=_("PDF-bestand, zoals ontvangen."))
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=2000, widget=textarea(3))
    document_fields = {"letter": "overig"}  # DocumentType has no bezwaarschrift (its choices need a migration)
    error_fields = {"documents": "letter"}

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dispute is not None:
            self.fields["objector"].queryset = Organisation.objects.filter(
                dispute_parties__dispute=dispute).distinct().order_by("name")


class CorrectDecisionForm(VersionedForm):
    """A herstelbesluit: an obvious error in the decision corrected (services.dispute_correct_decision)."""

    reason = forms.CharField(label=_("Wat wordt hersteld?"), max_length=5000, widget=textarea(4),
                             help_text=_("Bijvoorbeeld: in punt 2 staat 2016 waar 2017 is bedoeld."))
    letter = pdf_field(_("Ondertekend herstelbesluit"), help_text=_(
        "Optioneel; PDF-bestand. Leeg laten: het herstelbesluit wordt gemaakt uit de gegevens van het geschil."))
    document_fields = {"letter": "bindende_uitspraak"}
    error_fields = {"documents": "letter"}


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


class ComposeCommissionForm(VersionedForm):
    """The secretariat seats the chair and the members for this case, from the commission's roster."""

    chair = forms.ModelChoiceField(label=_("Voorzitter"), queryset=get_user_model().objects.none(),
                                   widget=forms.RadioSelect)
    members = forms.ModelMultipleChoiceField(label=_("Leden"), queryset=get_user_model().objects.none(),
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        from disputes.services import commission

        for name, role in (("chair", "chair"), ("members", "member")):
            field = self.fields[name]
            field.queryset = commission.roster(role)
            field.label_from_instance = _person
        self.fields["members"].help_text = _("Kies %(need)d leden; wie zich in dit geschil verschoonde kan niet "
                                             "zitting nemen.") % {"need": commission.members_per_case()}


class InviteViewForm(VersionedForm):
    """Another party to the agreement is invited to give its view (Awb 4:8; services.dispute_invite_view)."""

    organisation = forms.ModelChoiceField(label=_("Welke organisatie?"), queryset=Organisation.objects.none(),
                                          widget=forms.RadioSelect)
    question = forms.CharField(label=_("Uitnodiging"), required=False, max_length=10000, widget=textarea(4),
                               help_text=_("Leeg laten voor de standaardtekst: een uitnodiging om een zienswijze te "
                                           "geven over het geschil, met verwijzing naar artikel 4:8 Awb."))
    deadline = forms.DateField(label=_("Zienswijze uiterlijk op"), required=False, widget=DateInput(),
                               help_text=_("Leeg laten voor de standaardtermijn (twee weken)."))
    letter = pdf_field(_("Uitnodiging (brief)"), help_text=_("Optioneel; PDF-bestand."))
    document_fields = {"letter": "vraag_inlichtingen"}
    error_fields = {"documents": "letter"}

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dispute is not None:
            from disputes.services.interested import others_of_the_agreement

            self.fields["organisation"].queryset = others_of_the_agreement(dispute)

    def clean_deadline(self):
        _not_too_far_ahead(self.cleaned_data["deadline"])
        return self.cleaned_data["deadline"]


class JoinPartyForm(VersionedForm):
    """An interested party is joined as party, a respondent (services.dispute_join_party)."""

    organisation = forms.ModelChoiceField(label=_("Welke belanghebbende?"), queryset=Organisation.objects.none(),
                                          widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Waarom wordt deze organisatie partij?"), max_length=2000, widget=textarea(3))

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dispute is not None:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                dispute_parties__dispute=dispute, dispute_parties__role=PartyRole.INTERESTED).order_by("name")


class JoinCasesForm(VersionedForm):
    """Another case about the same agreement is joined to this one (services.dispute_join_cases)."""

    other = forms.ModelChoiceField(label=_("Welke zaak wordt bij deze zaak gevoegd?"), queryset=None,
                                   widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Waarom worden de zaken samen behandeld?"), max_length=2000, widget=textarea(3))

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        from disputes.models import Dispute

        self.fields["other"].queryset = joinable_cases(dispute) if dispute is not None else Dispute.objects.none()
        self.fields["other"].label_from_instance = lambda case: f"{case.case_number} - {case.title}"


def joinable_cases(dispute):
    """The other cases of the same agreement in the written round that are not joined (one query)."""
    from disputes.models import Dispute
    from disputes.states import DisputeState

    return (Dispute.objects.filter(agreement_id=dispute.agreement_id, state=DisputeState.EXCHANGE,
                                   joined_to__isnull=True, joined_cases__isnull=True)
            .exclude(pk=dispute.pk).order_by("case_number"))


class ReplaceSeatForm(VersionedForm):
    """A deputy (or another member of the roster) takes a seat: after a recusal, or for another reason."""

    seat = forms.TypedChoiceField(label=_("Welke zetel?"), coerce=int, widget=forms.RadioSelect)
    user = forms.ModelChoiceField(label=_("Nieuw lid"), queryset=get_user_model().objects.none())
    reason = forms.CharField(label=_("Reden"), max_length=300, widget=textarea(2))

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        from disputes.services import commission

        if dispute is not None:
            seats = commission.seats_to_replace(dispute) + commission.active_seats(dispute)
            self.fields["seat"].choices = [
                (seat.pk, f"{seat.get_role_display()}: {_person(seat.user)}"
                          + (f" ({_('zetel vrij')})" if seat.ended_at else "")) for seat in seats]
        self.fields["user"].queryset = commission.roster("member") | commission.roster("chair")
        self.fields["user"].label_from_instance = _person


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Toewijzen aan"), queryset=get_user_model().objects.none())

    def __init__(self, *args, colleagues=None, **kwargs):
        super().__init__(*args, **kwargs)
        if colleagues is not None:
            self.fields["assignee"].queryset = colleagues
            self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.username


class PlainSelect(forms.Select):
    """A select written out directly: Django renders every option through a template, which for the gemeente
    filter's few hundred options cost the worklist tens of milliseconds a request (docs/load.md)."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((str(v), mark_safe(" selected") if str(v) in chosen else "", label) for v, label in self.choices),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options)


class WorklistFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Status"), required=False, widget=PlainSelect)
    kind = forms.ChoiceField(label=_("Soort"), required=False, widget=PlainSelect)
    gemeente = forms.ChoiceField(label=_("Gemeente"), required=False, widget=PlainSelect)

    def __init__(self, *args, states=(), kinds=(), municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = ("", _("Alle"))
        self.fields["state"].choices = [everything, *states]
        self.fields["kind"].choices = [everything, *kinds]
        self.fields["gemeente"].choices = [everything, *municipalities]
