"""Every letter of the procedure from its shipped wording (issue 16, docs/letters.md): rendered for a case in the
state it belongs to, parsed back from the PDF for the addressee, the reference and the signature; the wording is
checked when it is saved; a draft is edited, sent and recorded with its template version."""

import io

import pikepdf
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from disputes import letterbook, services
from disputes.errors import NotPermitted, OperationNotAllowed
from disputes.models import LetterStatus, LetterTemplate
from tests.factories import case_in_state

pytestmark = pytest.mark.django_db

#: letter kind -> the state of a case it is written in (case_in_state), and what the case alone does not say
CASES = {
    "ontvangstbevestiging": ("submitted", {}),
    "verzoek_herstel": ("awaiting_remedy", {}),
    "mededeling_ontvankelijkheid": ("awaiting_response", {}),
    "niet_ontvankelijk": ("decided", {}),
    "uitnodiging_verweer": ("awaiting_response", {}),
    "vraag_inlichtingen": ("exchange", {}),
    "uitnodiging_hoorzitting": ("hearing_scheduled", {}),
    "verslag_hoorzitting": ("deliberation", {}),
    "verlengingsbericht": ("exchange", {"reason": "Het geschil is ingewikkeld."}),
    "aanbieding_advies": ("advice_issued", {}),
    "bindende_uitspraak": ("decided", {}),
    "herstelbesluit": ("decided", {"reason": "In punt 1 staat 2016 waar 2017 is bedoeld."}),
    "mededeling_intrekking": ("withdrawn", {}),
    "mededeling_schikking": ("settled", {}),
}


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_table_covers_every_kind():
    assert set(CASES) == set(letterbook.KINDS)


@pytest.mark.parametrize("kind", sorted(letterbook.KINDS))
def test_the_shipped_wording_is_valid(kind):
    subject, body = letterbook.shipped(kind)
    assert letterbook.check(kind, subject, body) == {}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_every_letter_renders_with_addressee_reference_and_signature(world, kind):
    state, context = CASES[kind]
    case = case_in_state(world, state)
    if kind == "vraag_inlichtingen":
        services.dispute_request_information(dispute=case, actor=world.secretary, party=world.corporatie,
                                             question="Hoeveel woningen zijn in 2016 opgeleverd?")
        context = {"deadline": case.deadlines.filter(kind="information").latest("created_at").pk}
    spec = letterbook.KINDS[kind]
    addressees = spec.addressees(case, context)
    assert addressees, kind
    addressee = addressees[0]
    subject, body = letterbook.shipped(kind)
    pdf = letterbook.render_pdf(kind, case, addressee, subject=subject, body=body, on=case.created_at.date(),
                                context=context, signer=world.secretary)
    text = text_of(pdf)
    assert addressee.name.split()[0] in text and addressee.name in text.replace("\n", " "), text[:400]
    assert case.case_number in text  # the reference
    assert "Pagina 1 van" in text
    if spec.sender == letterbook.MINISTER:
        assert "namens deze" in text and "De directeur Woningmarkt" in text
    else:
        assert "Met vriendelijke groet" in text
    if kind == "bindende_uitspraak":
        assert "Bezwaar" in text and "zes weken" in text  # the rechtsmiddelenclausule
    if kind == "vraag_inlichtingen":
        assert "Hoeveel woningen zijn in 2016 opgeleverd?" in text
    assert "((" not in text and "))" not in text  # no placeholder left unfilled
    with pikepdf.open(io.BytesIO(pdf)) as document:  # tagged, with a language (PDF/UA) and PDF/A
        assert "/StructTreeRoot" in document.Root and str(document.Root.Lang).startswith("nl")
        assert "pdfaid" in document.open_metadata().__str__() or document.open_metadata().get("pdfaid:part") == "2"


def test_the_extension_notice_also_goes_to_the_college_of_the_gemeente(world):
    case = case_in_state(world, "exchange")
    capacities = [a.capacity for a in letterbook.KINDS["verlengingsbericht"].addressees(case, {})]
    assert "municipality" in capacities
    municipality = next(a for a in letterbook.KINDS["verlengingsbericht"].addressees(case, {})
                        if a.capacity == "municipality")
    assert municipality.salutation == "Geacht college van burgemeester en wethouders,"


@pytest.mark.parametrize(("body", "problem"), [
    ("Geachte ((naam)), zaak ((zaaknummer)).", "Onbekend invulveld ((naam))"),
    ("Geen nummer in deze brief.", "Het invulveld ((zaaknummer)) ontbreekt"),
    ("Zaak ((zaaknummer)): ((geschilpunten)) in een zin.", "zet het op een eigen regel"),
    ("Zaak ((zaaknummer)) (( half", "zonder passende tegenhanger"),
])
def test_a_wording_with_a_wrong_placeholder_is_refused_when_saved(world, body, problem):
    with pytest.raises(ValidationError) as refused:
        services.letter_template_save(actor=world.secretary, kind="ontvangstbevestiging", subject="Ontvangst",
                                      body=body)
    assert any(problem in message for message in refused.value.message_dict["body"])
    assert not LetterTemplate.objects.filter(kind="ontvangstbevestiging", version__gt=1).exists()


def test_versions_and_the_reset_to_the_shipped_wording(world):
    first = services.current_template("uitnodiging_verweer")
    assert first.version == 1 and first.shipped
    second = services.letter_template_save(
        actor=world.secretary, kind="uitnodiging_verweer", subject="Uitnodiging verweer ((zaaknummer))",
        body="Dien uw verweer in vóór ((verweertermijn)) in zaak ((zaaknummer)).", note="Korter")
    assert (second.version, second.created_by, second.shipped) == (2, world.secretary, False)
    with pytest.raises(NotPermitted):
        services.letter_template_save(actor=world.chair, kind="uitnodiging_verweer", subject="x ((zaaknummer))",
                                      body="((zaaknummer)) ((verweertermijn))")
    reset = services.letter_template_reset(actor=world.secretary, kind="uitnodiging_verweer")
    assert reset.version == 3 and reset.shipped and (reset.subject, reset.body) == letterbook.shipped(
        "uitnodiging_verweer")


def test_draft_edit_and_send_a_letter(world, django_capture_on_commit_callbacks):
    case = case_in_state(world, "awaiting_response")
    letter = services.letter_draft(dispute=case, actor=world.secretary, kind="uitnodiging_verweer")
    assert letter.status == LetterStatus.DRAFT and letter.template.version == 1
    assert services.letter_draft(dispute=case, actor=world.secretary, kind="uitnodiging_verweer") == letter
    letter = services.letter_edit(letter=letter, actor=world.secretary, subject=letter.subject,
                                  body=letter.body + "\nWij zien uw verweer graag tegemoet.\n")
    assert letter.edited
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(letter=letter, actor=world.secretary)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT and letter.sent_by == world.secretary
    copies = list(letter.copies.select_related("document"))
    assert {c.organisation for c in copies} == {world.corporatie, world.gemeente}  # the respondents
    for copy in copies:
        assert copy.document.dispute == case and copy.document.doc_type == "correspondentie"
        with copy.document.file.open("rb") as handle:
            text = text_of(handle.read())
        assert copy.addressee in text and "Wij zien uw verweer graag tegemoet." in text
    event = case.events.get(kind="letter_sent", payload__kind="uitnodiging_verweer")
    assert event.payload["template_version"] == 1 and event.payload["edited"] is True
    # the respondents hear that a letter is waiting, without the document
    told = [m for m in mail.outbox if world.corp_user.email in m.to]
    assert told and not told[0].attachments
    assert "Uitnodiging tot het indienen van een verweerschrift GPA-" in told[0].body
    # sent once
    with pytest.raises(ValidationError):
        services.letter_send(letter=letter, actor=world.secretary)


def test_a_letter_that_does_not_fit_the_state_is_refused(world):
    case = case_in_state(world, "exchange")
    with pytest.raises(OperationNotAllowed):
        services.letter_draft(dispute=case, actor=world.secretary, kind="bindende_uitspraak")
    with pytest.raises(NotPermitted):
        services.letter_draft(dispute=case, actor=world.tenant, kind="uitnodiging_hoorzitting")


def test_every_letter_kind_is_produced_for_the_demo_cases():
    """The demo (``manage.py load_demo``): each kind for a demo case in a state it fits (else any filed case),
    read back for the addressee and the reference."""
    from django.core.management import call_command

    from disputes.models import Dispute
    from disputes.states import DisputeState

    call_command("load_demo", "--password", "demo-wachtwoord-2026", stdout=io.StringIO(), stderr=io.StringIO())
    filed = Dispute.objects.exclude(state=DisputeState.DRAFT).order_by("case_number")
    for kind, spec in letterbook.KINDS.items():
        fitting = [c for c in filed if c.state in spec.states] + list(filed)
        case, addressees = next((c, spec.addressees(c, {})) for c in fitting if spec.addressees(c, {}))
        template = services.current_template(kind)
        text = text_of(letterbook.render_pdf(kind, case, addressees[0], subject=template.subject, body=template.body,
                                             on=case.submitted_at.date()))
        assert case.case_number in text and addressees[0].name in text, kind
