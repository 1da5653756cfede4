"""The dispute (geschil), its parties, points, recusals and stored deadlines.

``Dispute.state`` is the legal state. It changes only through the ``@transition`` methods below,
which are pure: they check guards on the dispute's own data and set its fields. Saving, the audit
event and side effects are the services' job (disputes/services/).
"""

import threading
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from .. import guards, termwords, visibility
from ..errors import ImmutableRecord
from ..states import CONCLUDED_STATES, REMEDY_RETURN_STATES, TRANSITIONS, DisputeState
from .agreement import LocalAgreement
from .party import Organisation, StaffRole

_REFRESH_LOCK = threading.RLock()


class DisputeKind(models.TextChoices):
    TOTSTANDKOMING = "totstandkoming", _("Totstandkoming van prestatieafspraken")
    NAKOMING = "nakoming", _("Nakoming van prestatieafspraken")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Verzoeker")
    RESPONDENT = "respondent", _("Verweerder")
    #: a party to the agreement that is neither applicant nor respondent, invited to give its view (Awb 4:8);
    #: it sees the case as the parties do and answers its invitation; joined as party it becomes a respondent
    INTERESTED = "interested", _("Belanghebbende (partij bij de afspraken)")


class DisputeQuerySet(models.QuerySet):
    def delete(self):
        raise ImmutableRecord(_("Geschillen worden nooit verwijderd."))

    def visible_to(self, user) -> "DisputeQuerySet":
        """The disputes ``user`` may see at all; everything else is a 404 (quality.md, Access).

        Staff see every submitted case, except commission members who declared a conflict of
        interest. Party members see the cases of their organisations; a draft only its applicants. A
        representative (gemachtigde) sees the filed cases they represent a party in.
        The one place of this rule: ``permissions.can_view_dispute`` and ``get_dispute_for_user_or_404``
        call it; what it reads about the user comes from ``disputes.visibility`` (below the models).
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        roles = visibility.roles(user)  # cached on the user for the request
        staff = Q(pk__in=[])
        if roles & {StaffRole.SECRETARY, StaffRole.MINISTER_OFFICIAL} or user.is_superuser:
            staff = ~Q(state=DisputeState.DRAFT)
        elif roles & {StaffRole.COMMISSION_CHAIR, StaffRole.COMMISSION_MEMBER}:
            staff = ~Q(state=DisputeState.DRAFT) & ~Q(recusals__user=user)
        # a representative (gemachtigde) sees the filed cases they were authorised for, and no other
        represented_ids = list(visibility.representations(user))
        represented = Q(pk__in=represented_ids) & ~Q(state=DisputeState.DRAFT) if represented_ids else Q(pk__in=[])
        org_ids = list(visibility.organisation_ids(user))
        if not org_ids:
            # no party organisation: the staff rule alone, without a join over every case's parties (at 100,000
            # cases that join cost the worklist a third of a second, docs/load.md)
            return self.filter(staff | represented)
        applicant = Q(parties__organisation_id__in=org_ids, parties__role=PartyRole.APPLICANT)
        # respondents and the others of the agreement invited to give their view see a case once it is filed
        respondent = Q(parties__organisation_id__in=org_ids,
                       parties__role__in=(PartyRole.RESPONDENT, PartyRole.INTERESTED)) & ~Q(state=DisputeState.DRAFT)
        visible_ids = self.model.objects.filter(staff | applicant | respondent | represented).values("pk")
        return self.filter(pk__in=visible_ids)


def _t(name: str) -> dict:
    """The decorator arguments of a transition, from the table in states.py."""
    spec = TRANSITIONS[name]
    target = spec.target
    if target == "return":
        target = RETURN_VALUE(*REMEDY_RETURN_STATES)
    return {"field": "state", "source": list(spec.sources), "target": target}


class Dispute(ConcurrentTransitionMixin, models.Model):
    """A geschil put to the Minister under Woningwet art. 44, from draft to closed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case_number = models.CharField(_("zaaknummer"), max_length=20, unique=True, null=True, blank=True)
    kind = models.CharField(_("soort geschil"), max_length=20, choices=DisputeKind.choices)
    rule_set = models.CharField(_("regelset"), max_length=40)
    agreement = models.ForeignKey(
        LocalAgreement, on_delete=models.PROTECT, related_name="disputes", verbose_name=_("prestatieafspraken")
    )
    organisations = models.ManyToManyField(Organisation, through="DisputeParty", related_name="disputes")
    arose_on = models.DateField(_("geschil ontstaan op"), null=True, blank=True)
    title = models.CharField(_("korte omschrijving"), max_length=200, blank=True)

    state = FSMField(_("status"), max_length=32, choices=DisputeState.choices, default=DisputeState.DRAFT,
                     protected=True)
    #: Incremented by every service that changes the case; forms send the version they showed so a
    #: stale form is refused as "changed by someone else".
    version = models.PositiveIntegerField(default=1)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("aangemaakt op"))
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    decided_at = models.DateTimeField(_("uitspraak op"), null=True, blank=True)
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)

    remedy_return_state = models.CharField(max_length=32, blank=True, choices=DisputeState.choices)
    remedy_supplied = models.BooleanField(_("verzuim hersteld"), null=True, blank=True)
    efforts_sufficient = models.BooleanField(_("inspanningen voldoende"), null=True, blank=True)
    efforts_reason = models.TextField(_("motivering toets inspanningen"), blank=True, max_length=10000)
    hearing_skipped_reason = models.TextField(_("reden schriftelijke behandeling"), blank=True, max_length=10000)
    inadmissibility_reasons = models.JSONField(_("redenen niet-ontvankelijkheid"), default=list, blank=True)
    decision_drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("uitspraak opgesteld door"),
    )
    decision_adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("uitspraak vastgesteld door"),
    )
    #: How a settlement ended the case (Awb/procedure.md §0): the applicants' withdrawal or an agreement
    #: signed by all parties; empty unless settled.
    settlement_basis = models.CharField(_("grondslag schikking"), max_length=20, blank=True)
    #: A bezwaar (objection) against the binding decision was received: the case stays open (not closed).
    objection_received_at = models.DateTimeField(_("bezwaar ontvangen op"), null=True, blank=True)
    #: Joined (gevoegd) with this lead case about the same agreement: from the hearing to the decision the group
    #: takes its steps together, in the lead case (disputes/services/joined.py); each keeps its number and points.
    joined_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="joined_cases",
        verbose_name=_("gevoegd bij"),
    )

    objects = DisputeQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        #: the worklist filters on state and the lists sort newest first (docs/workflow.md, "Werkvoorraad")
        indexes = [
            models.Index(fields=["state", "case_number"], name="dispute_state_number"),
            models.Index(fields=["-submitted_at", "-created_at"], name="dispute_newest_first"),
            # the archive newest-ended first (workflow/archive.py): an index scan for a page, not a sort of every
            # ended case (docs/workflow.md, "Archief")
            models.Index(Coalesce("decided_at", "ended_at").desc(), F("case_number").desc(),
                         name="dispute_concluded_newest",
                         condition=Q(state__in=sorted(CONCLUDED_STATES), submitted_at__isnull=False)),
        ]
        verbose_name = _("geschil")
        verbose_name_plural = _("geschillen")
        permissions = [("view_all_disputes", "Kan alle geschillen zien")]

    def __str__(self) -> str:
        return self.case_number or _("concept %(id)s") % {"id": str(self.pk)[:8]}

    def delete(self, *args, **kwargs):
        """Cases are never hard-deleted (quality.md): a case ends by a transition, not by deletion."""
        raise ImmutableRecord(_("Geschillen worden nooit verwijderd."))

    # -- transitions (pure: guards and own fields only) -------------------------------------------
    @transition(**_t("submit"), conditions=[guards.can_be_submitted])
    def submit(self, *, submitted_at, case_number: str) -> None:
        self.submitted_at = submitted_at
        self.case_number = case_number

    @transition(**_t("start_review"))
    def start_review(self) -> None:
        pass

    @transition(**_t("request_remedy"))
    def request_remedy(self) -> None:
        self.remedy_return_state = self.state
        self.remedy_supplied = None

    @transition(**_t("supply_remedy"))
    def supply_remedy(self) -> str:
        self.remedy_supplied = True
        return self.remedy_return_state

    @transition(**_t("lapse_remedy"))
    def lapse_remedy(self) -> str:
        self.remedy_supplied = False
        return self.remedy_return_state

    @transition(**_t("pass_admissibility"), conditions=[guards.admissibility_complete])
    def pass_admissibility(self) -> None:
        pass

    @transition(**_t("accept"), conditions=[guards.efforts_sufficient])
    def accept(self) -> None:
        pass

    @transition(**_t("declare_inadmissible"))
    def declare_inadmissible(self, *, reasons: list[str], decided_at, adopted_by) -> None:
        self.inadmissibility_reasons = list(reasons)
        self.decided_at = decided_at
        self.decision_adopted_by = adopted_by

    @transition(**_t("close_responses"))
    def close_responses(self) -> None:
        pass

    @transition(**_t("request_information"))
    def request_information(self) -> None:
        pass

    @transition(**_t("schedule_hearing"))
    def schedule_hearing(self) -> None:
        pass

    @transition(**_t("record_hearing"))
    def record_hearing(self) -> None:
        pass

    @transition(**_t("cancel_hearing"))
    def cancel_hearing(self) -> None:
        pass

    @transition(**_t("skip_hearing"))
    def skip_hearing(self, *, reason: str) -> None:
        self.hearing_skipped_reason = reason

    @transition(**_t("issue_advice"), conditions=[guards.advice_complete])
    def issue_advice(self) -> None:
        pass

    @transition(**_t("decide"), conditions=[guards.decision_complete])
    def decide(self, *, decided_at, adopted_by) -> None:
        self.decided_at = decided_at
        self.decision_adopted_by = adopted_by

    @transition(**_t("extend_decision_term"))
    def extend_decision_term(self) -> None:
        pass

    @transition(**_t("withdraw"))
    def withdraw(self, *, at) -> None:
        self.ended_at = at

    @transition(**_t("settle"))
    def settle(self, *, at) -> None:
        self.ended_at = at

    @transition(**_t("close"))
    def close(self, *, at) -> None:
        self.ended_at = at

    def refresh_from_db(self, *args, **kwargs):
        """django-fsm-2 switches ``protected`` off for the whole model class while it refreshes, which
        races with a refresh in another thread of the same process (gunicorn threads); one at a time."""
        with _REFRESH_LOCK:
            super().refresh_from_db(*args, **kwargs)

    # -- reading helpers ---------------------------------------------------------------------------
    def organisation_ids(self, role: str | None = None) -> set:
        parties = self.parties.all()
        return {p.organisation_id for p in parties if role is None or p.role == role}

    @property
    def rule_set_label(self) -> str:
        """The rule set in words: the law it comes from, and whether it is provisional (not its code)."""
        from .. import rules

        try:
            rule_set = rules.rule_set_by_code(self.rule_set)
        except KeyError:
            return self.rule_set or "-"
        if rule_set.provisional:
            return _("%(law)s (voorlopige regels)") % {"law": rule_set.law}
        return rule_set.law

    def rules_cover_kind(self) -> bool:
        """Whether the rules of the filing day cover this kind of dispute (a nakoming request under a rule set
        without nakoming does not: reason A4). The guards read it (``guards.rule_set_problems``)."""
        from .. import clock, rules

        filed_on = clock.localdate(self.submitted_at) if self.submitted_at else clock.today()
        return rules.kind_covered(self.kind, code=self.rule_set, filed_on=filed_on)


class DisputeParty(models.Model):
    """An organisation's part in a dispute: applicant (verzoeker) or respondent (verweerder)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="dispute_parties")
    role = models.CharField(_("rol"), max_length=20, choices=PartyRole.choices)
    responded_at = models.DateTimeField(_("verweer ingediend op"), null=True, blank=True)
    late_response_allowed = models.BooleanField(_("te laat verweer toegestaan"), default=False)
    #: An applicant that withdrew its part of a joint request (the case goes on for the others).
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dispute", "organisation"], name="one_role_per_organisation")
        ]
        ordering = ["role", "organisation__name"]
        verbose_name = _("partij")
        verbose_name_plural = _("partijen")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class Admissibility(models.TextChoices):
    PENDING = "pending", _("Nog niet beoordeeld")
    ADMISSIBLE = "admissible", _("Ontvankelijk")
    INADMISSIBLE = "inadmissible", _("Niet-ontvankelijk")


class InadmissibilityReason(models.TextChoices):
    A1 = "A1", _("A1 buiten de termijn of buiten het tijdvak ingediend")
    A2 = "A2", _("A2 gaat niet over prestatieafspraken")
    A3 = "A3", _("A3 gaat over de inhoud van gemeentelijk beleid")
    A4 = "A4", _("A4 nakoming onder een regelset zonder nakoming")
    A5 = "A5", _("A5 geen volledige impasse")
    A6 = "A6", _("A6 onvoldoende eigen inspanningen")
    A7 = "A7", _("A7 geen woonvisie of volkshuisvestingsbeleid")
    A8 = "A8", _("A8 onvolledig en niet hersteld")
    A9 = "A9", _("A9 verzoeker is geen bevoegde partij")


class Finding(models.TextChoices):
    UPHELD = "upheld", _("Gegrond")
    REJECTED = "rejected", _("Ongegrond")
    MANIFESTLY_UNREASONABLE = "manifestly_unreasonable", _("Kennelijk onredelijk")
    NOT_MANIFESTLY_UNREASONABLE = "not_manifestly_unreasonable", _("Niet kennelijk onredelijk")

    @classmethod
    def for_kind(cls, kind: str) -> tuple["Finding", ...]:
        """The findings on the merits that fit a kind of dispute: for totstandkoming whether a party's proposal
        or conduct was manifestly unreasonable (procedure.md §6), for nakoming whether the request is
        well-founded (was the agreement kept). One place for the forms and the services."""
        if kind == DisputeKind.NAKOMING:
            return (cls.UPHELD, cls.REJECTED)
        return (cls.MANIFESTLY_UNREASONABLE, cls.NOT_MANIFESTLY_UNREASONABLE)


class DisputePoint(models.Model):
    """One geschilpunt: positions, admissibility, the commission's advice, the Minister's decision."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="points")
    number = models.PositiveSmallIntegerField(_("nummer"))
    key = models.SlugField(_("sleutel"), max_length=40, help_text=_("korte naam, uniek binnen het geschil"))
    title = models.CharField(_("geschilpunt"), max_length=300)

    admissibility = models.CharField(
        _("ontvankelijkheid"), max_length=16, choices=Admissibility.choices, default=Admissibility.PENDING
    )
    inadmissibility_reasons = models.JSONField(_("redenen"), default=list, blank=True)
    admissibility_note = models.TextField(_("toelichting ontvankelijkheid"), blank=True, max_length=10000)

    advice_finding = models.CharField(_("bevinding advies"), max_length=32, choices=Finding.choices, blank=True)
    advice_recommendation = models.TextField(_("aanbeveling"), blank=True, max_length=20000)

    #: The commission's advice and the Minister's decision on the point's admissibility: the secretariat's
    #: ``admissibility`` is a proposal (procedure.md §0); empty means "not (yet) given".
    advice_admissibility = models.CharField(
        _("advies ontvankelijkheid"), max_length=16, choices=Admissibility.choices, blank=True
    )
    decision_admissibility = models.CharField(
        _("beslissing ontvankelijkheid"), max_length=16, choices=Admissibility.choices, blank=True
    )
    decision_follows_advice = models.BooleanField(_("volgt het advies"), null=True, blank=True)
    decision_finding = models.CharField(_("beslissing"), max_length=32, choices=Finding.choices, blank=True)
    decision_reason = models.TextField(_("motivering afwijking"), blank=True, max_length=20000)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["dispute", "number"], name="unique_point_number"),
            models.UniqueConstraint(fields=["dispute", "key"], name="unique_point_key"),
        ]
        verbose_name = _("geschilpunt")
        verbose_name_plural = _("geschilpunten")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class PointPosition(models.Model):
    """A party's position (standpunt) on a dispute point."""

    point = models.ForeignKey(DisputePoint, on_delete=models.CASCADE, related_name="positions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("standpunt"), max_length=20000)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["point", "organisation"], name="one_position_per_party_per_point")
        ]
        verbose_name = _("standpunt")
        verbose_name_plural = _("standpunten")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.text[:60]}"


class Recusal(models.Model):
    """A commission member's declared conflict of interest: from then on they see nothing of the case."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="recusals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recusals")
    reason = models.TextField(_("reden"), max_length=2000)
    declared_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dispute", "user"], name="one_recusal_per_member")]
        verbose_name = _("verschoning")
        verbose_name_plural = _("verschoningen")

    def __str__(self) -> str:
        return f"{self.user} - {self.dispute}"


class CaseNumberCounter(models.Model):
    """The last case number issued per year; read and incremented under a row lock, never MAX()+1."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class DeadlineKind(models.TextChoices):
    FILING = "filing", _("Indieningstermijn")
    REMEDY = "remedy", _("Hersteltermijn")
    RESPONSE = "response", _("Verweertermijn")
    INFORMATION = "information", _("Termijn inlichtingen")
    DECISION = "decision", _("Beslistermijn")
    OBJECTION = "objection", _("Bezwaartermijn")


#: codes stored as a closed deadline's note (the response round's, before they were stored in words)
DEADLINE_NOTE_WORDS = {
    "all_responded": _("alle verweerders hebben verweer gevoerd"),
    "deadline_passed": _("de verweertermijn is verstreken"),
}

#: how a deadline ended, as ``services`` store it in Dutch in the note (after what the deadline was for, " - "):
#: shown in the reader's language
CLOSING_NOTE_WORDS = {
    "tijdig ingediend": _("tijdig ingediend"),
    "te laat ingediend (A1)": _("te laat ingediend (A1)"),
    "ingetrokken": _("ingetrokken"),
    "hersteld": _("hersteld"),
    "niet hersteld": _("niet hersteld"),
    "beslist": _("beslist"),
    "geschikt": _("geschikt"),
    "verstreken": _("verstreken"),
    "herstelbesluit": _("herstelbesluit"),
    "beantwoord": _("beantwoord"),
    "beantwoord (te laat)": _("beantwoord (te laat)"),
    "alle verweerders hebben verweer gevoerd": _("alle verweerders hebben verweer gevoerd"),
    "de verweertermijn is verstreken": _("de verweertermijn is verstreken"),
}


def note_in_words(note: str) -> str:
    """A deadline's note as a person reads it, in the active language: the codes older versions stored
    (``all_responded``) and the Dutch words of how it ended (``tijdig ingediend``, ``... - hersteld``) in words;
    what a person typed (the remedy asked, the question) as typed."""
    note = str(note or "")
    for words in (DEADLINE_NOTE_WORDS, CLOSING_NOTE_WORDS):
        if note in words:
            return str(words[note])
    head, sep, tail = note.rpartition(" - ")
    if sep and tail in CLOSING_NOTE_WORDS:
        return f"{head} - {CLOSING_NOTE_WORDS[tail]}"
    return note


class Deadline(models.Model):
    """A deadline of a case, stored with the explanation of how its due date was reached."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("termijn"), max_length=16, choices=DeadlineKind.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("voor partij"),
    )
    starts_on = models.DateField(_("aanvang"))
    nominal_end = models.DateField(_("nominaal einde"))
    due = models.DateField(_("uiterste datum"))
    explanation = models.JSONField(_("toelichting"), default=list)
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["due", "pk"]
        indexes = [
            models.Index(fields=["kind", "closed_at", "due"]),
            # the worklist's due dates per case (next open deadline, open decision term): one probe per case
            models.Index(fields=["dispute", "due"], condition=Q(closed_at__isnull=True), name="deadline_open_by_case"),
            # the open decision terms soonest first (the urgent section), and joined per case for the sort
            models.Index(fields=["due", "dispute"], condition=Q(closed_at__isnull=True, kind="decision"),
                         name="deadline_open_decision"),
        ]
        verbose_name = _("termijn")
        verbose_name_plural = _("termijnen")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due:%d-%m-%Y}"

    @property
    def note_in_words(self) -> str:
        """The note as a person reads it: the codes older versions stored (``all_responded``) in words, and how
        the deadline ended in the active language (:func:`note_in_words`)."""
        return note_in_words(self.note)

    @property
    def explanation_in_words(self) -> list[str]:
        """The stored (Dutch) explanation in the active language, for a screen (``disputes.termwords``)."""
        return termwords.explanation_in_words(self.explanation)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ReminderKind(models.TextChoices):
    PARTY = "party", _("Herinnering aan partij")
    STAFF_NEAR = "staff_near", _("Beslistermijn nadert")
    STAFF_PASSED = "staff_passed", _("Beslistermijn verstreken")


class DeadlineReminder(models.Model):
    """A reminder sent about a deadline; at most one of each kind, so a rerun sends nothing twice."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["deadline", "kind"], name="one_reminder_per_kind")]
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} - {self.deadline}"
