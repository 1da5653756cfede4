"""Forms of the party portal: explicit field lists, Dutch labels, accessible error attributes.

No form carries an organisation, a state, an uploader or a hash: those come from the membership
and the services. Forms that change a case carry ``expected_version`` (the version the user saw),
so a stale form becomes "het geschil is intussen gewijzigd" (409).
"""

from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .. import clock
from ..models import DisputeKind, DocumentType, EffortKind
from ..services.drafts import EFFORT_DOCUMENT_TYPES, FILING_DOCUMENT_TYPES, PARTY_DOCUMENT_TYPES
from ..services.proceedings import ANSWER_DOCUMENT_TYPES
from ..uploads import check_upload, clean_display_name

DATE_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d-%m-%y"]
#: Before this date there was no dispute procedure under Woningwet art. 44 (Woningwet 2015).
EARLIEST_DATE = date(2015, 7, 1)


def max_files_per_request() -> int:
    return getattr(settings, "PORTAL_MAX_FILES_PER_REQUEST", 20)


def max_bytes_per_request() -> int:
    return getattr(settings, "PORTAL_MAX_UPLOAD_REQUEST_BYTES", 200 * 1024 * 1024)


def max_bytes_per_file() -> int:
    return settings.MAX_UPLOAD_BYTES


def _mb(n: int) -> int:
    return n // (1024 * 1024)


def _choices(codes) -> list[tuple[str, str]]:
    return [(c, DocumentType(c).label) for c in codes]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one field name; cleans to a list (empty when optional and none sent)."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/pdf,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def upload_limit_errors(files) -> list[str]:
    """The per-request limits: number of files and their total size."""
    errors = []
    if len(files) > max_files_per_request():
        errors.append(
            _("U kunt ten hoogste %(max)d bestanden tegelijk toevoegen; u koos er %(count)d. Voeg ze in delen toe.")
            % {"max": max_files_per_request(), "count": len(files)}
        )
    total = sum(f.size or 0 for f in files)
    if total > max_bytes_per_request():
        errors.append(
            _("De bestanden zijn samen groter dan %(max)d MB. Voeg ze in delen toe.")
            % {"max": _mb(max_bytes_per_request())}
        )
    return errors


def file_errors(files) -> list[str]:
    """Each refused file with its reason, named ("verslag.pdf: Dit PDF-bestand is beveiligd ...")."""
    errors = []
    for f in files:
        try:
            check_upload(f)
        except ValidationError as exc:
            errors.append(f"{clean_display_name(f.name or '')}: {' '.join(exc.messages)}")
        finally:
            if hasattr(f, "seek"):
                f.seek(0)
    return errors


class PortalForm(forms.Form):
    """Adds ``aria-describedby`` for hints and errors and ``aria-invalid`` to fields with errors. The ids end in
    ``hint_suffix`` and ``error_suffix``, as the template that renders the form writes them (portal/_field.html;
    the staff pages' workflow/_form.html uses ``_helptext`` and ``_error``)."""

    required_css_class = "required"
    hint_suffix = "-hint"
    error_suffix = "-error"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}{self.hint_suffix}"

    def full_clean(self):
        super().full_clean()
        self.mark_errors()

    def mark_errors(self):
        for name in getattr(self, "_errors", None) or {}:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                ids = [i for i in (attrs.get("aria-describedby", ""), f"{self[name].auto_id}{self.error_suffix}") if i]
                attrs["aria-describedby"] = " ".join(dict.fromkeys(" ".join(ids).split()))


class VersionedForm(PortalForm):
    expected_version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1,
        error_messages={"required": _("Het formulier is onvolledig verstuurd. Laad de pagina opnieuw."),
                        "invalid": _("Het formulier is onvolledig verstuurd. Laad de pagina opnieuw.")},
    )


class KindForm(VersionedForm):
    kind = forms.ChoiceField(
        label=_("Waarover gaat het geschil?"), choices=DisputeKind.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Kies waarover het geschil gaat.")},
    )

    def __init__(self, *args, versioned: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not versioned:
            del self.fields["expected_version"]


class AgreementForm(VersionedForm):
    agreement = forms.ModelChoiceField(
        label=_("Over welke prestatieafspraken gaat het geschil?"), queryset=None, widget=forms.RadioSelect,
        empty_label=None, error_messages={"required": _("Kies de prestatieafspraken waarover het geschil gaat."),
                                          "invalid_choice": _("Kies een van de genoemde prestatieafspraken.")},
    )

    def __init__(self, *args, agreements, versioned: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements
        if not versioned:
            del self.fields["expected_version"]


class PartiesForm(VersionedForm):
    co_applicants = forms.ModelMultipleChoiceField(
        label=_("Dienen andere organisaties het verzoek samen met u in? (niet verplicht)"), queryset=None,
        required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies alleen organisaties die aan dit overleg deelnemen.")},
    )
    respondents = forms.ModelMultipleChoiceField(
        label=_("Tegen welke organisatie(s) richt het geschil zich?"), queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies ten minste één organisatie waartegen het geschil zich richt."),
                        "invalid_choice": _("Kies alleen organisaties die aan dit overleg deelnemen.")},
    )

    def __init__(self, *args, organisations, versioned: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_applicants"].queryset = organisations
        self.fields["respondents"].queryset = organisations
        if not versioned:
            del self.fields["expected_version"]

    def clean(self):
        data = super().clean()
        both = set(data.get("co_applicants") or []) & set(data.get("respondents") or [])
        if both:
            self.add_error("respondents", _("Een organisatie kan niet zowel verzoeker als verweerder zijn: %(names)s.")
                           % {"names": ", ".join(sorted(o.name for o in both))})
        return data


class DutchDateField(forms.DateField):
    input_formats = DATE_FORMATS
    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "date"})
    default_error_messages = {
        "invalid": _("Vul een bestaande datum in als dag-maand-jaar, bijvoorbeeld 05-01-2017."),
        "required": _("Vul de datum in."),
    }

    def validate(self, value):
        super().validate(value)
        if value is not None and value > clock.today():
            raise ValidationError(_("Deze datum ligt in de toekomst."), code="future")
        if value is not None and value < EARLIEST_DATE:
            raise ValidationError(_("Deze datum ligt vóór 1 juli 2015, toen de geschilbeslechting begon."),
                                  code="too_early")


class DateForm(VersionedForm):
    arose_on = DutchDateField(
        label=_("Op welke datum is het geschil ontstaan?"),
        help_text=_("Bijvoorbeeld de datum van het overleg waarin bleek dat u er samen niet uitkomt. Schrijf de "
                    "datum als dag-maand-jaar, bijvoorbeeld 05-01-2017."),
    )
    title = forms.CharField(
        label=_("Korte omschrijving van het geschil"), max_length=200,
        help_text=_("Eén zin, bijvoorbeeld: Geen overeenstemming over het aantal nieuwe sociale huurwoningen."),
        error_messages={"required": _("Vul een korte omschrijving in."),
                        "max_length": _("Gebruik ten hoogste %(limit_value)d tekens (nu %(show_value)d).")},
    )


class PointForm(PortalForm):
    point_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(
        label=_("Geschilpunt"), max_length=300, required=False,
        help_text=_("Waarover verschilt u van mening? Eén onderwerp per geschilpunt."),
        error_messages={"max_length": _("Gebruik ten hoogste %(limit_value)d tekens (nu %(show_value)d).")},
    )
    position = forms.CharField(
        label=_("Uw standpunt"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wat vindt uw organisatie, en waarom?"),
        error_messages={"max_length": _("Gebruik ten hoogste %(limit_value)d tekens (nu %(show_value)d).")},
    )

    def clean(self):
        data = super().clean()
        title, position = (data.get("title") or "").strip(), (data.get("position") or "").strip()
        if data.get("point_id") and not title:
            self.add_error("title", _("Beschrijf het geschilpunt of verwijder het."))
        elif not data.get("point_id") and not title and position:
            self.add_error("title", _("Beschrijf het geschilpunt bij dit standpunt."))
        return data


PointFormSet = forms.formset_factory(PointForm, extra=0, max_num=100, validate_max=True, absolute_max=100)


class CheckedFilesMixin:
    """A form with a ``files`` field: refuse too many or too large files for one request and, unless
    ``check_each_file`` is off, every file that fails the content check (disputes/uploads.py)."""

    check_each_file = True

    def clean_files(self):
        files = self.cleaned_data["files"]
        errors = upload_limit_errors(files) or (file_errors(files) if self.check_each_file else [])
        if errors:
            raise ValidationError(errors)
        return files


class EffortForm(CheckedFilesMixin, PortalForm):
    kind = forms.ChoiceField(label=_("Soort"), choices=[("", _("Kies een soort"))] + list(EffortKind.choices),
                             error_messages={"required": _("Kies de soort logboekregel.")})
    occurred_on = DutchDateField(label=_("Datum"), help_text=_("Dag-maand-jaar, bijvoorbeeld 01-07-2016."))
    participants = forms.CharField(
        label=_("Deelnemers (niet verplicht)"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Welke organisaties of personen waren erbij?"),
    )
    summary = forms.CharField(
        label=_("Samenvatting"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wat is er besproken, voorgesteld of afgesproken?"),
        error_messages={"required": _("Vul een samenvatting in.")},
    )
    doc_type = forms.ChoiceField(
        label=_("Soort document (als u documenten toevoegt)"), required=False,
        choices=[("", _("Geen documenten"))] + _choices(EFFORT_DOCUMENT_TYPES),
    )
    files = MultipleFileField(label=_("Documenten (PDF, niet verplicht)"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("files") and not data.get("doc_type"):
            self.add_error("doc_type", _("Kies de soort document."))
        return data


class UploadForm(CheckedFilesMixin, PortalForm):
    """Documents of a draft: one type, one or more files. Each file is checked and stored on its own."""

    doc_type = forms.ChoiceField(
        label=_("Soort document"), choices=[("", _("Kies een soort"))] + _choices(FILING_DOCUMENT_TYPES),
        error_messages={"required": _("Kies de soort document.")},
    )
    files = MultipleFileField(
        label=_("Bestanden (PDF)"),
        help_text=_("U kunt meerdere bestanden tegelijk kiezen."),
        error_messages={"required": _("Kies een of meer bestanden.")},
    )

    #: each file is checked on its own when it is stored, so one bad file does not refuse the others
    check_each_file = False


class RemedyForm(CheckedFilesMixin, VersionedForm):
    """The applicant's completion (aanvulling): one file field per document type the secretariat asked for
    (``requested``: ``(code, label, supplied)`` from ``review.remedy_request``), and other documents of a type
    the applicant chooses, with a note. All files together keep to the per-request limits."""

    doc_type = forms.ChoiceField(
        label=_("Soort document"),
        choices=_choices((DocumentType.AANVULLING, *FILING_DOCUMENT_TYPES)), required=False,
    )
    files = MultipleFileField(label=_("Documenten (PDF)"), required=False,
                              help_text=_("De stukken waarom het secretariaat vroeg."))
    note = forms.CharField(
        label=_("Toelichting"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Licht uw aanvulling toe, of leg uit waarom een stuk ontbreekt."),
    )

    def __init__(self, *args, requested=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.requested = [code for code, _label, _supplied in requested]
        for code, label, supplied in requested:
            self.fields[f"file_{code}"] = MultipleFileField(
                label=label, required=False,
                help_text=_("Al toegevoegd; u kunt een nieuwe versie sturen.") if supplied else "",
            )
        if self.requested:
            self.fields["files"].label = _("Andere documenten (PDF)")
            self.fields["files"].help_text = _("Stukken die niet in de lijst hierboven staan.")
        self.order_fields(["expected_version", *(f"file_{c}" for c in self.requested), "doc_type", "files", "note"])

    @property
    def requested_fields(self):
        return [self[f"file_{code}"] for code in self.requested]

    def clean(self):
        data = super().clean()
        for code in self.requested:
            errors = file_errors(data.get(f"file_{code}") or [])
            if errors:
                self.add_error(f"file_{code}", errors)
        everything = [f for _t, f in self.documents()]
        limits = upload_limit_errors(everything)
        if limits:
            raise ValidationError(limits)
        if not everything and not (data.get("note") or "").strip() and not self.errors:
            raise ValidationError(_("Voeg de gevraagde stukken toe of licht uw aanvulling toe."))
        return data

    def documents(self) -> list[tuple[str, object]]:
        """``(doc_type, file)`` for every file sent: those under a requested type first, then the others."""
        data = getattr(self, "cleaned_data", {})
        pairs = [(code, f) for code in self.requested for f in data.get(f"file_{code}") or []]
        return pairs + [(data.get("doc_type") or DocumentType.AANVULLING, f) for f in data.get("files") or []]


class SubmitDocumentsForm(CheckedFilesMixin, VersionedForm):
    """A party adds documents to its case at an open step (to the parties' bundle of that step)."""

    doc_type = forms.ChoiceField(
        label=_("Soort document"), choices=[("", _("Kies een soort"))] + _choices(PARTY_DOCUMENT_TYPES),
        error_messages={"required": _("Kies de soort document.")},
    )
    files = MultipleFileField(label=_("Documenten (PDF)"),
                              error_messages={"required": _("Kies ten minste één PDF-bestand.")})
    note = forms.CharField(
        label=_("Toelichting (niet verplicht)"), max_length=10000, required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Waarom voegt u deze stukken toe? Het secretariaat en de andere partijen lezen dit."),
    )


class InformationForm(CheckedFilesMixin, VersionedForm):
    """The answer to one information request addressed to the user's organisation."""

    request = forms.TypedChoiceField(
        label=_("Welke vraag beantwoordt u?"), coerce=int, widget=forms.RadioSelect,
        error_messages={"required": _("Kies de vraag die u beantwoordt."),
                        "invalid_choice": _("Deze vraag staat niet (meer) open. Laad de pagina opnieuw.")},
    )
    answer = forms.CharField(
        label=_("Uw antwoord"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Alle partijen en de adviescommissie kunnen uw antwoord lezen."),
    )
    doc_type = forms.ChoiceField(
        label=_("Soort document"), choices=_choices(ANSWER_DOCUMENT_TYPES), initial=DocumentType.ANTWOORD,
        required=False,
        help_text=_("Vraagt het secretariaat om een reactie op het verweer (repliek) of op de repliek (dupliek)? "
                    "Kies dan die soort."),
    )
    files = MultipleFileField(label=_("Documenten (PDF, niet verplicht)"), required=False,
                              help_text=_("Stukken die bij uw antwoord horen."))

    def __init__(self, *args, requests, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].choices = [
            (r.deadline.pk, _("%(question)s (aan %(party)s, uiterlijk %(due)s)") % {
                "question": Truncator(r.question).chars(120), "party": r.deadline.organisation.name,
                "due": f"{r.deadline.due:%d-%m-%Y}"})
            for r in requests
        ]
        if len(requests) == 1:
            self.fields["request"].initial = requests[0].deadline.pk

    def clean(self):
        data = super().clean()
        if not data.get("files") and not (data.get("answer") or "").strip() and not self.errors:
            raise ValidationError(_("Geef uw antwoord of voeg een document toe."))
        return data


class RespondForm(CheckedFilesMixin, VersionedForm):
    files = MultipleFileField(label=_("Verweerschrift (PDF)"), required=False,
                              help_text=_("Uw schriftelijke reactie op het verzoek, met eventuele bijlagen."))

    def __init__(self, *args, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.points = list(points)
        for point in self.points:
            self.fields[f"position_{point.key}"] = forms.CharField(
                label=_("Uw standpunt over geschilpunt %(number)d: %(title)s")
                % {"number": point.number, "title": point.title},
                max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 4}),
            )

    def position_fields(self):
        return [self[f"position_{p.key}"] for p in self.points]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not data.get("files") and not any((data.get(f"position_{p.key}") or "").strip() for p in self.points):
            raise ValidationError(
                _("Voeg een verweerschrift toe of geef uw standpunt over ten minste één geschilpunt.")
            )
        return data

    def positions(self) -> dict[str, str]:
        return {
            p.key: self.cleaned_data[f"position_{p.key}"].strip()
            for p in self.points if (self.cleaned_data.get(f"position_{p.key}") or "").strip()
        }


class ConfirmForm(VersionedForm):
    """One checkbox to confirm; its error repeats what the box says, so the message matches the box."""

    confirm = forms.BooleanField()

    def __init__(self, *args, label, required_message, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = label
        self.fields["confirm"].error_messages["required"] = required_message


class WithdrawForm(ConfirmForm):
    reason = forms.CharField(
        label=_("Reden (niet verplicht)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
    )


class SimpleVersionForm(VersionedForm):
    """A button that changes the case (e.g. take a document out of the draft)."""


class RepresentativeForm(VersionedForm):
    """A member of a party authorises a person outside its organisation for this case (a gemachtigde), with the
    signed machtiging as a PDF; the secretariat checks it before the person gets access."""

    name = forms.CharField(label=_("Naam van de gemachtigde"), max_length=150,
                           widget=forms.TextInput(attrs={"autocomplete": "off"}),
                           error_messages={"required": _("Vul de naam van de gemachtigde in.")})
    email = forms.EmailField(label=_("E-mailadres van de gemachtigde"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "off"}),
                             help_text=_("Hierheen stuurt het secretariaat de uitnodiging, na de controle."),
                             error_messages={"required": _("Vul het e-mailadres van de gemachtigde in."),
                                             "invalid": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.")})
    authorisation = forms.FileField(
        label=_("Machtiging (PDF)"),
        help_text=_("De machtiging, ondertekend door iemand die uw organisatie mag vertegenwoordigen: wie wordt "
                    "gemachtigd, voor welk geschil, en door wie namens de organisatie."),
        error_messages={"required": _("Voeg de machtiging toe (een PDF-bestand).")})

    def clean_authorisation(self):
        uploaded = self.cleaned_data["authorisation"]
        errors = upload_limit_errors([uploaded]) or file_errors([uploaded])
        if errors:
            raise ValidationError(errors)
        return uploaded


class EndRepresentationForm(PortalForm):
    reason = forms.CharField(label=_("Reden (niet verplicht)"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
