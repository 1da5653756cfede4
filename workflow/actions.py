"""What staff can do on the pages under /werk/: each action is one form and one service call.

Task actions belong to a task (``TASK_ACTIONS[node name]``); case actions are offered on the case
page whenever the operations table (``disputes.states.OPERATIONS``, through
``permissions.may``) allows the user's role in the case's state, and the case's own data allow them
(extension, settlement, late response, documents, recusal). Every ``perform`` makes exactly one call
into ``disputes.services`` (or ``workflow.services`` for assignment) and returns nothing; the views map
the domain's errors.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from disputes import permissions, services
from disputes.models import PartyRole, StaffRole
from disputes.services.proceedings import current_hearing, hearing_moment
from disputes.services.review import case_grounds
from disputes.states import Actor

from . import forms


@dataclass(frozen=True)
class Action:
    slug: str
    label: str
    form_class: type
    perform: Callable
    #: a per-point action shows one form per dispute point (``point`` is passed to ``perform``)
    per_point: bool = False
    #: only points that are admissible (advice and decision are given on those only)
    admissible_points_only: bool = False
    #: a short explanation shown above the form
    help: str = ""
    #: the operation (disputes.states.OPERATIONS) it performs: who may, in which states (case actions)
    operation: str = ""
    #: user, dispute -> what the case's own data add to the table (e.g. an open question to answer)
    when: Callable = field(default=lambda user, dispute: True)
    #: extra keyword arguments for the form: dispute, user -> dict
    form_kwargs: Callable = field(default=lambda dispute, user: {})
    #: initial values of an unbound form: dispute, point -> dict
    initial: Callable = field(default=lambda dispute, point: {})
    #: the destructive or final actions get a warning colour/text
    final: bool = False
    #: what the confirmation says once it is done, as a sentence without its full stop ("De ontvankelijkheid is
    #: vastgelegd"); per-point actions add the points ("... voor geschilpunten 1 en 3.")
    done: str = ""

    @property
    def done_text(self) -> str:
        return str(self.done) if self.done else _("Gedaan: %(action)s") % {"action": self.label}

    def allowed(self, user, dispute) -> bool:
        """May this user use this action on the case now: the operations table, then the case's data."""
        return (not self.operation or permissions.may(user, dispute, self.operation)) and self.when(user, dispute)


def _version(form) -> int:
    return form.cleaned_data["expected_version"]


def _has_others_of_the_agreement(dispute) -> bool:
    from disputes.services.interested import others_of_the_agreement

    return others_of_the_agreement(dispute).exists()


# -- task actions ----------------------------------------------------------------------------------
START_REVIEW = Action(
    "start_review", _("Beoordeling starten"), forms.ConfirmForm,
    lambda request, dispute, form, point=None: services.dispute_start_review(
        dispute=dispute, actor=request.user, expected_version=_version(form)),
    help=_("De ontvangst is gecontroleerd; het secretariaat begint met de beoordeling van de ontvankelijkheid."),
    operation="start_review",
)
POINT_ADMISSIBILITY = Action(
    "point_admissibility", _("Ontvankelijkheid vastleggen"), forms.PointAdmissibilityForm,
    lambda request, dispute, form, point=None: services.point_decide_admissibility(
        point=point, actor=request.user, admissible=form.cleaned_data["admissible"],
        reasons=form.cleaned_data["reasons"], note=form.cleaned_data["note"], expected_version=_version(form)),
    per_point=True,
    done=_("De ontvankelijkheid is vastgelegd"),
    initial=lambda dispute, point: {
        "admissible": {"admissible": "1", "inadmissible": "0"}.get(point.admissibility),
        "reasons": point.inadmissibility_reasons, "note": point.admissibility_note,
    },
    operation="decide_point_admissibility",
)
PASS_ADMISSIBILITY = Action(
    "pass_admissibility", _("Ontvankelijkheid vaststellen"), forms.ConfirmForm,
    lambda request, dispute, form, point=None: services.dispute_pass_admissibility(
        dispute=dispute, actor=request.user, expected_version=_version(form)),
    help=_("Over elk geschilpunt is beslist en ten minste één punt is ontvankelijk: door naar de toets van de "
           "inspanningen."),
    operation="pass_admissibility",
)
REQUEST_REMEDY = Action(
    "request_remedy", _("Herstel verzuim vragen"), forms.RequestRemedyForm,
    lambda request, dispute, form, point=None: services.dispute_request_remedy(
        dispute=dispute, actor=request.user, reason=form.cleaned_data["reason"],
        requested=form.cleaned_data["requested"], deadline=form.cleaned_data["deadline"],
        documents=form.documents(), expected_version=_version(form)),
    help=_("De verzoeker moet het verzoek aanvullen; de beslistermijn is zolang opgeschort."),
    operation="request_remedy",
)
ASSESS_EFFORTS = Action(
    "assess_efforts", _("Inspanningen beoordelen"), forms.EffortsForm,
    lambda request, dispute, form, point=None: services.dispute_assess_efforts(
        dispute=dispute, actor=request.user, sufficient=form.cleaned_data["sufficient"],
        reason=form.cleaned_data["reason"], expected_version=_version(form)),
    initial=lambda dispute, point: {
        "sufficient": {True: "1", False: "0"}.get(dispute.efforts_sufficient), "reason": dispute.efforts_reason,
    },
    done=_("De beoordeling van de inspanningen is vastgelegd"),
    operation="assess_efforts",
)
ACCEPT = Action(
    "accept", _("In behandeling nemen"), forms.ConfirmForm,
    lambda request, dispute, form, point=None: services.dispute_accept(
        dispute=dispute, actor=request.user, expected_version=_version(form)),
    help=_("De inspanningen zijn voldoende: de verweerders krijgen de verweertermijn (standaard vier weken)."),
    operation="accept",
)
def _declare_inadmissible_initial(dispute, point) -> dict:
    """Per point the secretariat's verdict as the proposal: its codes and note, or for a point found admissible
    the ground found for the whole request (insufficient efforts, nakoming without rules), if any."""
    grounds = case_grounds(dispute)
    initial = {}
    for p in dispute.points.order_by("number"):
        if p.admissibility == "inadmissible":
            initial[f"p{p.number}_reasons"] = list(p.inadmissibility_reasons)
            initial[f"p{p.number}_note"] = p.admissibility_note
        elif grounds:
            initial[f"p{p.number}_reasons"] = sorted(grounds)
            initial[f"p{p.number}_note"] = "\n".join(grounds[code] for code in sorted(grounds))
    return initial


DECLARE_INADMISSIBLE = Action(
    "declare_inadmissible", _("Geheel niet-ontvankelijk verklaren"), forms.DeclareInadmissibleForm,
    lambda request, dispute, form, point=None: services.dispute_declare_inadmissible(
        dispute=dispute, actor=request.user, points=form.points(),
        late_remedy_weighed=form.cleaned_data.get("late_remedy_weighed", ""), documents=form.documents(),
        expected_version=_version(form)),
    form_kwargs=lambda dispute, user: {"dispute": dispute},
    initial=_declare_inadmissible_initial,
    help=_("Dit is de beslissing namens de Minister, met per geschilpunt de redenen in woorden; de brief gaat naar "
           "alle partijen en de bezwaartermijn gaat lopen. Het oordeel van het secretariaat per punt is een "
           "voorstel: wie een punt dat ontvankelijk is bevonden toch niet-ontvankelijk verklaart, wijkt daar "
           "uitdrukkelijk en gemotiveerd van af. Niet behandelen wegens een niet hersteld verzuim (A8) kan tot vier "
           "weken na de hersteltermijn (artikel 4:5 Awb)."),
    final=True,
    operation="declare_inadmissible",
)
REQUEST_INFORMATION = Action(
    "request_information", _("Inlichtingen vragen"), forms.RequestInformationForm,
    lambda request, dispute, form, point=None: services.dispute_request_information(
        dispute=dispute, actor=request.user, party=form.cleaned_data["party"], question=form.cleaned_data["question"],
        deadline=form.cleaned_data["deadline"], documents=form.documents(), expected_version=_version(form)),
    form_kwargs=lambda dispute, user: {"dispute": dispute},
    help=_("Een vraag aan één partij, met een eigen termijn. De taak blijft open."),
    done=_("De vraag om inlichtingen is verstuurd"),
    operation="request_information",
)
SCHEDULE_HEARING = Action(
    "schedule_hearing", _("Hoorzitting plannen"), forms.ScheduleHearingForm,
    lambda request, dispute, form, point=None: services.dispute_schedule_hearing(
        dispute=dispute, actor=request.user, hearing_at=form.cleaned_data["hearing_at"],
        place=form.cleaned_data["place"], documents=form.documents(),
        after_term_reason=form.cleaned_data["after_term_reason"], expected_version=_version(form)),
    help=_("Alle leden van de partijen krijgen een uitnodiging per e-mail met een agenda-bestand (.ics)."),
    operation="schedule_hearing",
)
SKIP_HEARING = Action(
    "skip_hearing", _("Schriftelijk afdoen"), forms.SkipHearingForm,
    lambda request, dispute, form, point=None: services.dispute_skip_hearing(
        dispute=dispute, actor=request.user, reason=form.cleaned_data["reason"], expected_version=_version(form)),
    help=_("Geen hoorzitting: de commissie beraadslaagt op de stukken. Motiveer waarom dat volstaat."),
    operation="skip_hearing",
)
RECORD_HEARING = Action(
    "record_hearing", _("Verslag vastleggen"), forms.RecordHearingForm,
    lambda request, dispute, form, point=None: services.dispute_record_hearing(
        dispute=dispute, actor=request.user, documents=form.documents(), expected_version=_version(form)),
    help=_("Met het verslag gaat het geschil naar de beraadslaging van de commissie."),
    operation="record_hearing",
)
POINT_ADVICE = Action(
    "point_advise", _("Advies per geschilpunt vastleggen"), forms.PointAdviceForm,
    lambda request, dispute, form, point=None: services.point_advise(
        point=point, actor=request.user, finding=form.cleaned_data["finding"],
        recommendation=form.cleaned_data["recommendation"], admissible=form.cleaned_data["admissible"],
        reasons=form.cleaned_data["reasons"], expected_version=_version(form)),
    # every point: the secretariat's verdict on admissibility is a proposal the commission may advise on
    per_point=True,
    done=_("Het advies is vastgelegd"),
    form_kwargs=lambda dispute, user: {"dispute": dispute},
    initial=lambda dispute, point: {
        "admissible": {"admissible": "1", "inadmissible": "0"}.get(point.advice_admissibility, ""),
        "finding": point.advice_finding or None, "recommendation": point.advice_recommendation,
    },
    operation="advise_point",
)
ISSUE_ADVICE = Action(
    "issue_advice", _("Advies uitbrengen"), forms.IssueAdviceForm,
    lambda request, dispute, form, point=None: services.dispute_issue_advice(
        dispute=dispute, actor=request.user, documents=form.documents(),
        open_requests_reason=form.cleaned_data["open_requests_reason"], expected_version=_version(form)),
    help=_("Het advies gaat naar de Minister. Elk ontvankelijk geschilpunt heeft een bevinding nodig."),
    operation="issue_advice",
)
POINT_DECISION = Action(
    "point_decide", _("Beslissing per geschilpunt vastleggen"), forms.PointDecisionForm,
    lambda request, dispute, form, point=None: services.point_decide(
        point=point, actor=request.user, follow_advice=form.cleaned_data["follow_advice"],
        decision=form.cleaned_data["decision"], reason=form.cleaned_data["reason"],
        admissible=form.cleaned_data["admissible"], reasons=form.cleaned_data["reasons"],
        expected_version=_version(form)),
    # every point: the Minister decides each point's admissibility too (the secretariat's verdict is a proposal)
    per_point=True,
    done=_("De beslissing is vastgelegd"),
    form_kwargs=lambda dispute, user: {"dispute": dispute},
    initial=lambda dispute, point: {
        "follow_advice": {True: "1", False: "0"}.get(point.decision_follows_advice),
        "admissible": "" if point.decision_follows_advice is not False else
        {"admissible": "1", "inadmissible": "0"}.get(point.decision_admissibility, ""),
        "decision": "" if point.decision_follows_advice else point.decision_finding,
        "reason": point.decision_reason,
    },
    operation="decide_point",
)
DRAFT_DECISION = Action(
    "draft_decision", _("Ontwerpuitspraak vastleggen"), forms.DraftDecisionForm,
    lambda request, dispute, form, point=None: services.dispute_draft_decision(
        dispute=dispute, actor=request.user, documents=form.documents()),
    help=_("Daarna stelt een andere ambtenaar de uitspraak vast (vier ogen): wie de uitspraak opstelt of de "
           "beslissingen per geschilpunt vastlegt, kan haar niet vaststellen."),
    operation="draft_decision",
)
DECIDE = Action(
    "decide", _("Bindende uitspraak vaststellen"), forms.DecideForm,
    lambda request, dispute, form, point=None: services.dispute_decide(
        dispute=dispute, actor=request.user, documents=form.documents(), expected_version=_version(form)),
    help=_("De uitspraak gaat naar alle partijen; de bezwaartermijn van zes weken gaat lopen."),
    final=True,
    operation="decide",
)

#: node name -> the actions on its task page, in the order they are shown
TASK_ACTIONS: dict[str, tuple[Action, ...]] = {
    "register": (START_REVIEW,),
    "assess_admissibility": (POINT_ADMISSIBILITY, PASS_ADMISSIBILITY, REQUEST_REMEDY),
    "declare_inadmissible": (DECLARE_INADMISSIBLE,),
    "review_efforts": (ASSESS_EFFORTS, ACCEPT, REQUEST_REMEDY),
    "plan_hearing": (REQUEST_INFORMATION, SCHEDULE_HEARING),
    "choose_written_procedure": (SKIP_HEARING,),
    "record_hearing": (RECORD_HEARING,),
    "prepare_advice": (POINT_ADVICE, ISSUE_ADVICE),
    "draft_decision": (POINT_DECISION, DRAFT_DECISION),
    "adopt_decision": (DECIDE,),
}


# -- case actions ----------------------------------------------------------------------------------
def _current_hearing_initial(dispute) -> dict:
    event = current_hearing(dispute)
    if event is None:
        return {}
    return {"hearing_at": hearing_moment(event).strftime("%Y-%m-%dT%H:%M"), "place": event.payload.get("place", "")}


CASE_ACTIONS: dict[str, Action] = {
    a.slug: a
    for a in (
        Action(
            "verlengen", _("Beslistermijn verlengen"), forms.ExtendTermForm,
            lambda request, dispute, form, point=None: services.dispute_extend_decision_term(
                dispute=dispute, actor=request.user, weeks=form.cleaned_data["weeks"],
                reason=form.cleaned_data["reason"], expected_version=_version(form)),
            done=_("De beslistermijn is verlengd"),
            operation="extend_decision_term",
            help=_("Ten hoogste vier weken per keer, alleen vóór het einde van de lopende termijn. Het "
                   "verlengingsbericht met de reden wordt gemaakt en verstuurd aan alle partijen en aan het college "
                   "van B&W van de gemeente van de prestatieafspraken, ook als die geen partij is (art. 40 lid 2 "
                   "BTIV); pas dan gaat de verlenging in."),
        ),
        Action(
            "schikking", _("Schikking vastleggen"), forms.SettleForm,
            lambda request, dispute, form, point=None: services.dispute_settle(
                dispute=dispute, actor=request.user, basis=form.cleaned_data["basis"],
                signed_by=list(form.cleaned_data["signed_by"]), documents=form.documents(),
                note=form.cleaned_data["note"], expected_version=_version(form)),
            done=_("De schikking is vastgelegd"),
            operation="settle",
            form_kwargs=lambda dispute, user: {"dispute": dispute},
            help=_("Partijen zijn het alsnog eens geworden. Leg vast waarop de schikking berust: een "
                   "vaststellingsovereenkomst die alle partijen hebben ondertekend, of de intrekking door alle "
                   "verzoekers. Het secretariaat kan een geschil niet op eigen gezag als geschikt afsluiten."),
            final=True,
        ),
        Action(
            "te-laat-verweer", _("Te laat verweer toestaan"), forms.AllowLateResponseForm,
            lambda request, dispute, form, point=None: services.dispute_allow_late_response(
                dispute=dispute, actor=request.user, organisation=form.cleaned_data["organisation"]),
            done=_("Te laat verweer is toegestaan"),
            operation="allow_late_response",
            form_kwargs=lambda dispute, user: {"dispute": dispute},
            help=_("Deze verweerder mag na de verweertermijn nog verweer indienen."),
        ),
        Action(
            "verweerronde-sluiten", _("Verweerronde sluiten"), forms.ConfirmForm,
            lambda request, dispute, form, point=None: services.dispute_close_responses(
                dispute=dispute, actor=request.user, expected_version=_version(form)),
            done=_("De verweerronde is gesloten"),
            operation="close_responses",
            help=_("Kan zodra alle verweerders hebben gereageerd of de verweertermijn is verstreken; anders sluit "
                   "de ronde vanzelf."),
        ),
        Action(
            "hoorzitting-wijzigen", _("Hoorzitting wijzigen"), forms.RescheduleHearingForm,
            lambda request, dispute, form, point=None: services.dispute_reschedule_hearing(
                dispute=dispute, actor=request.user, hearing_at=form.cleaned_data["hearing_at"],
                place=form.cleaned_data["place"], reason=form.cleaned_data["reason"], documents=form.documents(),
                after_term_reason=form.cleaned_data["after_term_reason"], expected_version=_version(form)),
            done=_("De hoorzitting is gewijzigd"),
            operation="reschedule_hearing",
            initial=lambda dispute, point: _current_hearing_initial(dispute),
            help=_("Een andere datum, tijd of plaats. Alle partijen krijgen een nieuwe uitnodiging die de vorige "
                   "vervangt, ook in hun agenda."),
        ),
        Action(
            "hoorzitting-afzeggen", _("Hoorzitting afzeggen"), forms.CancelHearingForm,
            lambda request, dispute, form, point=None: services.dispute_cancel_hearing(
                dispute=dispute, actor=request.user, reason=form.cleaned_data["reason"],
                expected_version=_version(form)),
            done=_("De hoorzitting is afgezegd"),
            operation="cancel_hearing",
            help=_("De hoorzitting gaat niet door. Het geschil gaat terug naar de schriftelijke ronde: plan een "
                   "nieuwe hoorzitting of laat de voorzitter schriftelijk afdoen. Alle partijen krijgen bericht."),
            final=True,
        ),
        Action(
            "inlichtingen-ontvangen", _("Antwoord op vraag om inlichtingen registreren"), forms.RecordAnswerForm,
            lambda request, dispute, form, point=None: services.dispute_answer_information(
                dispute=dispute, actor=request.user, deadline_id=form.cleaned_data["request"],
                answer=form.cleaned_data["answer"], documents=form.documents(), expected_version=_version(form)),
            done=_("Het antwoord is geregistreerd"),
            operation="answer_information",
            # on the staff page only the secretary's way in, for an answer that came by post
            when=lambda user, dispute: Actor.SECRETARY in permissions.actors_of(user, dispute)
            and dispute.deadlines.filter(kind="information", closed_at__isnull=True).exists(),
            form_kwargs=lambda dispute, user: {"dispute": dispute},
            help=_("Voor een antwoord dat per post of e-mail binnenkwam. Partijen antwoorden anders zelf in het "
                   "portaal. De termijn van de vraag sluit; alle partijen krijgen bericht."),
        ),
        Action(
            "herinnering", _("Herinnering sturen"), forms.ReminderForm,
            lambda request, dispute, form, point=None: services.dispute_send_reminder(
                dispute=dispute, actor=request.user, deadline_id=form.cleaned_data["deadline"],
                expected_version=_version(form)),
            done=_("De herinnering is verstuurd"),
            operation="send_reminder",
            when=lambda user, dispute: bool(services.reminder_deadlines(dispute)),
            form_kwargs=lambda dispute, user: {"dispute": dispute},
            help=_("Een e-mail aan de partij(en) die vóór deze termijn nog iets moeten doen, naast de automatische "
                   "herinnering drie werkdagen vooraf. Hoogstens één per termijn per dag."),
        ),
        Action(
            "document", _("Document toevoegen"), forms.DocumentForm,
            lambda request, dispute, form, point=None: services.document_upload(
                dispute=dispute, actor=request.user, uploaded=form.cleaned_data["file"],
                doc_type=form.cleaned_data["doc_type"], confidentiality=form.cleaned_data["confidentiality"]),
            done=_("Het document is toegevoegd"),
            operation="add_document",
            when=lambda user, dispute: bool(permissions.upload_levels(user, dispute)),
            form_kwargs=lambda dispute, user: {"levels": permissions.upload_levels(user, dispute)},
            help=_("Bijvoorbeeld interne aantekeningen van de commissie: kies dan 'Alleen medewerkers en "
                   "adviescommissie'; partijen zien die nooit."),
        ),
        Action(
            "verschonen", _("Verschonen (belangenconflict melden)"), forms.RecuseForm,
            lambda request, dispute, form, point=None: services.dispute_recuse(
                dispute=dispute, actor=request.user, reason=form.cleaned_data["reason"]),
            done=_("Uw verschoning is vastgelegd"),
            operation="recuse",
            help=_("Daarna ziet u niets meer van dit geschil: niet in de werkvoorraad, niet in uw taken en niet "
                   "in het dossier. Dit is niet terug te draaien."),
            final=True,
        ),
        Action(
            "bezwaar-ontvangen", _("Bezwaar ontvangen"), forms.RecordObjectionForm,
            lambda request, dispute, form, point=None: services.dispute_record_objection(
                dispute=dispute, actor=request.user, received_on=form.cleaned_data["received_on"],
                objector=form.cleaned_data["objector"], documents=form.documents(), note=form.cleaned_data["note"],
                expected_version=_version(form)),
            done=_("Het bezwaar is geregistreerd"),
            operation="record_objection",
            form_kwargs=lambda dispute, user: {"dispute": dispute},
            help=_("Een bezwaarschrift tegen de bindende uitspraak is binnengekomen. Het geschil blijft daarna open "
                   "(het wordt niet automatisch afgesloten); het dossier kan worden gemaakt en doorgestuurd."),
        ),
        Action(
            "herstelbesluit", _("Herstelbesluit vaststellen"), forms.CorrectDecisionForm,
            lambda request, dispute, form, point=None: services.dispute_correct_decision(
                dispute=dispute, actor=request.user, reason=form.cleaned_data["reason"], documents=form.documents(),
                expected_version=_version(form)),
            done=_("Het herstelbesluit is vastgesteld"),
            operation="correct_decision",
            help=_("Alleen voor een kennelijke verschrijving in de uitspraak (een vergissing die iedereen ziet), "
                   "niet voor een andere beslissing. Alle partijen krijgen het herstelbesluit; daartegen loopt een "
                   "eigen bezwaartermijn, en het geschil sluit niet vóór die termijn en de week daarna."),
            final=True,
        ),
        Action(
            "commissie", _("Commissie samenstellen"), forms.ComposeCommissionForm,
            lambda request, dispute, form, point=None: services.dispute_compose_commission(
                dispute=dispute, actor=request.user, chair=form.cleaned_data["chair"],
                members=form.cleaned_data["members"], expected_version=_version(form)),
            done=_("De commissie is samengesteld"),
            operation="compose_commission",
            when=lambda user, dispute: dispute.joined_to_id is None and not dispute.commission_seats.exists(),
            help=_("De commissie adviseert als commissie: een voorzitter en leden van de lijst, per geschil. Het "
                   "advies wordt vastgesteld door deze voorzitter namens de leden."),
        ),
        Action(
            "zienswijze-vragen", _("Belanghebbende uitnodigen voor een zienswijze"), forms.InviteViewForm,
            lambda request, dispute, form, point=None: services.dispute_invite_view(
                dispute=dispute, actor=request.user, organisation=form.cleaned_data["organisation"],
                question=form.cleaned_data["question"], deadline=form.cleaned_data["deadline"],
                documents=form.documents(), expected_version=_version(form)),
            done=_("De belanghebbende is uitgenodigd voor een zienswijze"),
            operation="invite_view",
            when=lambda user, dispute: _has_others_of_the_agreement(dispute),
            form_kwargs=lambda dispute, user: {"dispute": dispute},
            help=_("Een gemeente, corporatie of huurdersorganisatie die partij is bij de prestatieafspraken maar "
                   "niet bij het geschil, kan haar zienswijze geven voordat de Minister beslist (artikel 4:8 Awb). "
                   "Zij ziet daarna het geschil zoals de partijen en beantwoordt de uitnodiging in het portaal."),
        ),
        Action(
            "partij-toevoegen", _("Belanghebbende als partij toevoegen"), forms.JoinPartyForm,
            lambda request, dispute, form, point=None: services.dispute_join_party(
                dispute=dispute, actor=request.user, organisation=form.cleaned_data["organisation"],
                reason=form.cleaned_data["reason"], expected_version=_version(form)),
            done=_("De belanghebbende is als partij toegevoegd"),
            operation="join_party",
            when=lambda user, dispute: any(p.role == PartyRole.INTERESTED for p in dispute.parties.all()),
            form_kwargs=lambda dispute, user: {"dispute": dispute},
            help=_("De belanghebbende wordt verweerder: de bindende uitspraak bindt haar en de brieven worden ook "
                   "aan haar gericht."),
        ),
        Action(
            "zaken-voegen", _("Zaken voegen"), forms.JoinCasesForm,
            lambda request, dispute, form, point=None: services.dispute_join_cases(
                dispute=dispute, actor=request.user, other=form.cleaned_data["other"],
                reason=form.cleaned_data["reason"], expected_version=_version(form)),
            done=_("De zaken zijn gevoegd"),
            operation="join_cases",
            when=lambda user, dispute: dispute.joined_to_id is None and forms.joinable_cases(dispute).exists(),
            form_kwargs=lambda dispute, user: {"dispute": dispute},
            help=_("Een ander geschil over dezelfde prestatieafspraken wordt samen met dit geschil behandeld: één "
                   "hoorzitting, één advies en de uitspraken op één moment, in deze zaak (de hoofdzaak). Elke zaak "
                   "houdt haar eigen nummer, partijen en geschilpunten."),
        ),
        Action(
            "commissielid-vervangen", _("Lid van de commissie vervangen"), forms.ReplaceSeatForm,
            lambda request, dispute, form, point=None: services.dispute_replace_seat(
                dispute=dispute, actor=request.user, seat=dispute.commission_seats.get(pk=form.cleaned_data["seat"]),
                user=form.cleaned_data["user"], reason=form.cleaned_data["reason"], expected_version=_version(form)),
            done=_("Het lid van de commissie is vervangen"),
            operation="replace_commission_seat",
            when=lambda user, dispute: dispute.commission_seats.exists(),
            form_kwargs=lambda dispute, user: {"dispute": dispute},
            help=_("Na een verschoning neemt een plaatsvervanger de vrije zetel in; de oude zetel blijft in de "
                   "geschiedenis van het geschil zichtbaar."),
        ),
    )
}

ROLE_LABELS = {
    StaffRole.SECRETARY: _("secretariaat"),
    StaffRole.COMMISSION_CHAIR: _("voorzitter adviescommissie"),
    StaffRole.COMMISSION_MEMBER: _("adviescommissie"),
    StaffRole.MINISTER_OFFICIAL: _("ambtenaren namens de Minister"),
}
