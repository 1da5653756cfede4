"""Destruction under the Archiefwet (issue 17, item 6; docs/archive.md "Vernietiging", ADR 0022).

The whole way through the three roles with real cases, real files in the private storage and a real PDF parsed back:
the record manager lists cases whose term passed, the reviewer sends one back and then approves, the archivist
approves, the worker destroys. Afterwards the files are gone, what stays is the minimal record and the certificate,
the audit trail keeps that it happened without its details, a published decision stays in the register, and the
integrity check is quiet. Plus the four-eyes refusals, and that nothing is destroyed before the completed review.
"""

import io
import os
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from disputes import clock, services
from disputes.errors import NotPermitted
from disputes.models import (
    Bundle,
    CaseRetention,
    DestructionItem,
    DestructionItemStatus,
    DestructionList,
    DestructionStatus,
    Dispute,
    DisputeEvent,
    DisputePoint,
    Document,
    DocumentRetention,
    DocumentText,
    DossierExport,
    Invitation,
    Letter,
    LetterCopy,
    Nomination,
    Notification,
    PointPosition,
    Publication,
    PublicationStatus,
    Replacement,
    Representation,
    SearchEntry,
)
from disputes.models.event import ERASED_PAYLOAD
from disputes.services import archive
from disputes.services.dossier import dossier_request_export
from disputes.services.integrity import run_check
from tests import factories
from tests.factories import case_in_state, representative

pytestmark = pytest.mark.django_db

TODAY = date(2031, 1, 6)


@pytest.fixture
def roles(world):
    """The archive's three roles, one person each, with their names (they sign the certificate), and a second
    reviewer who is not assigned."""
    people = {}
    for key, username, role, first, last in (
        ("manager", "rm", "record_manager", "Rita", "Recordbeheer"),
        ("reviewer", "rv", "archive_reviewer", "Bram", "Beoordeelaar"),
        ("archivist", "ar", "archivist", "Anke", "Archivaris"),
        ("other_reviewer", "rv2", "archive_reviewer", "Otto", "Anders"),
    ):
        user = factories.staff(username, role)
        user.first_name, user.last_name = first, last
        user.save()
        people[key] = user
    return people


def _due(dispute, *, years_ago: int = 1, nomination=Nomination.DESTROY) -> CaseRetention:
    """The case's retention (assigned when it ended, or made here), set to be destroyed and due before TODAY."""
    ended = clock.localdate(dispute.decided_at or dispute.ended_at)
    retention, _ = CaseRetention.objects.update_or_create(dispute=dispute, defaults={
        "outcome": "ingetrokken", "category": "GPA-4", "description": "Verzoek ingetrokken",
        "nomination": nomination, "years": 5, "source_date": ended,
        "action_date": TODAY - timedelta(days=365 * years_ago), "assigned_at": clock.now()})
    return retention


def _stored_files(storage) -> set[str]:
    root = storage.location
    return {os.path.relpath(os.path.join(folder, name), root)
            for folder, _, names in os.walk(root) for name in names}


def _pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages).split())


@pytest.fixture
def cases(world, django_capture_on_commit_callbacks):
    """A withdrawn case with a representative (a machtiging, an invitation, letters), and a decided case with a
    dossier export, e-mails sent and a published decision; both due for destruction on TODAY."""
    withdrawn = case_in_state(world, "submitted")
    representative(world, withdrawn)
    services.dispute_withdraw(dispute=Dispute.objects.get(pk=withdrawn.pk), actor=world.tenant)
    decided = case_in_state(world, "decided")
    second_secretary = factories.staff("sec2", "secretary")
    publication = services.publication_prepare(dispute=decided, actor=world.secretary)
    services.replacement_add(publication_=publication, actor=world.secretary, original="Geschilpunt p1",
                             replacement="[geschilpunt]", reason="Noemt een adres")
    services.publication_approve(publication_=publication, actor=second_secretary)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_request_export(dispute=Dispute.objects.get(pk=decided.pk), actor=world.secretary, audience="full")
    clock.set_now(factories.moment("2031-01-06 10:00"))
    withdrawn, decided = Dispute.objects.get(pk=withdrawn.pk), Dispute.objects.get(pk=decided.pk)
    _due(withdrawn)
    _due(decided)
    return withdrawn, decided


def _approved_list(roles, dispute_ids, *, document_case_ids=()) -> DestructionList:
    made = services_create(roles, dispute_ids, document_case_ids=document_case_ids)
    archive.destruction_list_submit(actor=roles["manager"], destruction_list=made, reviewer=roles["reviewer"],
                                    archivist=roles["archivist"])
    archive.destruction_list_review(actor=roles["reviewer"], destruction_list=made, sent_back={})
    archive.destruction_list_approve(actor=roles["archivist"], destruction_list=made, sent_back={})
    made.refresh_from_db()
    assert made.status == DestructionStatus.READY_TO_DESTROY
    return made


def services_create(roles, dispute_ids, *, document_case_ids=()) -> DestructionList:
    return archive.destruction_list_create(actor=roles["manager"], name="Vernietigingslijst 2031-1",
                                           case_ids=[str(pk) for pk in dispute_ids],
                                           document_case_ids=[str(pk) for pk in document_case_ids])


def test_the_whole_way_through_the_three_roles(world, roles, cases, private_storage, client,
                                               django_capture_on_commit_callbacks):
    withdrawn, decided = cases
    manager, reviewer, archivist = roles["manager"], roles["reviewer"], roles["archivist"]
    # what is there before: files of both cases, rows pointing at them
    documents = {d.pk: (d.file.name, d.display_name) for d in Document.objects.filter(dispute__in=cases)}
    export = DossierExport.objects.get(dispute=decided)
    case_files = {name for name, _ in documents.values()} | {export.pdf_file.name, export.zip_file.name}
    assert case_files <= _stored_files(private_storage) and len(documents) >= 4
    assert Representation.objects.filter(dispute=withdrawn).exists()
    assert Invitation.objects.filter(representation__dispute=withdrawn).exists()
    assert Letter.objects.filter(dispute__in=cases).exists() and LetterCopy.objects.exists()
    assert Notification.objects.filter(event__dispute=decided).exists()
    assert PointPosition.objects.filter(point__dispute__in=cases).exists()
    assert Replacement.objects.filter(publication__dispute=decided).exists()
    representative_name = Representation.objects.get(dispute=withdrawn).name

    # the candidates: both cases, due on TODAY
    candidates = archive.destruction_candidates(today=TODAY)
    assert {r.dispute_id for r in candidates} == {withdrawn.pk, decided.pk}
    made = archive.destruction_list_create(actor=manager, name="Vernietigingslijst 2031-1",
                                           case_ids=[str(withdrawn.pk), str(decided.pk)])
    items = {item.dispute_id: item for item in made.items.all()}
    assert items[decided.pk].case_number == decided.case_number
    assert items[decided.pk].municipality == "Gemeente Leiderdorp" and items[decided.pk].kind == decided.kind
    # on an open list, a case is no candidate for another
    assert not archive.destruction_candidates(today=TODAY).exists()

    # the reviewer sends the withdrawn case back; the record manager keeps it and explains; submitted again
    archive.destruction_list_submit(actor=manager, destruction_list=made, reviewer=reviewer, archivist=archivist)
    with pytest.raises(ValidationError):  # a reason per case sent back
        archive.destruction_list_review(actor=reviewer, destruction_list=made,
                                        sent_back={items[withdrawn.pk].pk: "  "})
    archive.destruction_list_review(actor=reviewer, destruction_list=made,
                                    sent_back={items[withdrawn.pk].pk: "Loopt hier nog een klacht over?"})
    made.refresh_from_db()
    assert made.status == DestructionStatus.CHANGES_REQUESTED
    assert made.reviews.get().item_reviews.get().item == items[withdrawn.pk]
    archive.destruction_list_update(actor=manager, destruction_list=made, comment="Nagevraagd: geen klacht.")
    archive.destruction_list_submit(actor=manager, destruction_list=made, reviewer=reviewer, archivist=archivist)
    archive.destruction_list_review(actor=reviewer, destruction_list=made, sent_back={})
    made.refresh_from_db()
    assert made.status == DestructionStatus.INTERNALLY_REVIEWED
    # nothing is destroyed before the archivist approved
    with pytest.raises(ValidationError):
        archive.destruction_list_destroy(actor=manager, destruction_list=made)
    with pytest.raises(ValidationError):
        archive.destroy_pending(made.pk)
    assert Document.objects.filter(dispute__in=cases).count() == len(documents)
    archive.destruction_list_approve(actor=archivist, destruction_list=made, sent_back={}, comment="Akkoord.")

    with django_capture_on_commit_callbacks(execute=True):  # the outbox hands the work to the worker
        archive.destruction_list_destroy(actor=manager, destruction_list=made)

    made.refresh_from_db()
    assert made.status == DestructionStatus.DESTROYED and made.destroyed_at is not None
    assert set(made.items.values_list("status", flat=True)) == {DestructionItemStatus.DESTROYED}
    # the files are gone from the private storage, and every row that held or pointed at them
    assert not case_files & _stored_files(private_storage)
    assert not Document.objects.filter(pk__in=documents).exists()
    assert not DocumentText.objects.filter(document_id__in=documents).exists()
    for model, lookup in ((Bundle, "dispute__in"), (DossierExport, "dispute__in"), (Letter, "dispute__in"),
                          (LetterCopy, "letter__dispute__in"), (Representation, "dispute__in"),
                          (Invitation, "representation__dispute__in"), (PointPosition, "point__dispute__in"),
                          (Notification, "event__dispute__in"), (SearchEntry, "dispute__in"),
                          (Replacement, "publication__dispute__in")):
        assert not model.objects.filter(**{lookup: cases}).exists(), model.__name__
    # the minimal record stays: the case, its number, kind, gemeente, dates and parties, without its free texts
    for case in cases:
        kept = Dispute.objects.get(pk=case.pk)
        assert kept.case_number == case.case_number and kept.state == case.state
        assert kept.submitted_at == case.submitted_at and kept.parties.count() == case.parties.count()
        assert kept.title == "" and kept.efforts_reason == "" and kept.hearing_skipped_reason == ""
        assert not DisputePoint.objects.filter(dispute=kept).exclude(title="").exists()
        retention = CaseRetention.objects.get(dispute=kept)
        assert retention.destroyed_at is not None and retention.destruction_list_id == made.pk
        # the audit trail keeps that things happened, not what: every event's details erased but the last
        events = list(DisputeEvent.objects.filter(dispute=kept).order_by("at", "pk"))
        destroyed = [e for e in events if e.kind == "case_destroyed"]
        assert len(destroyed) == 1 and destroyed[0].visibility == "internal"
        assert set(destroyed[0].payload) == {"list", "documents", "exports", "letters", "publications"}
        assert destroyed[0].payload["list"] == made.name
        assert all(e.payload == ERASED_PAYLOAD for e in events if e.kind != "case_destroyed")
        assert {"submit", "document_added"} <= {e.kind for e in events}
    # a published decision stays in the register, without the text before pseudonymisation
    publication = Publication.objects.get(dispute=decided)
    assert publication.status == PublicationStatus.PUBLISHED and publication.published_sections
    assert bytes(publication.pdf).startswith(b"%PDF") and publication.sections == []
    assert client.get(reverse("register-detail", args=[publication.slug])).status_code == 200

    # the certificate: the cases' numbers and the three officials, none of the destroyed names
    certificate = bytes(made.certificate)
    text = _pdf_text(certificate)
    assert "Verklaring van vernietiging" in text and made.name in text
    for case in cases:
        assert case.case_number in text
    for name in ("Rita Recordbeheer", "Bram Beoordeelaar", "Anke Archivaris", "GPA-4", "Gemeente Leiderdorp"):
        assert name in text
    for _, display_name in documents.values():
        assert display_name not in text
    assert representative_name not in text and "Geschilpunt" not in text
    assert PdfReader(io.BytesIO(certificate)).trailer["/Root"]["/MarkInfo"]["/Marked"]

    # the integrity check does not alarm: the rows went with their files
    report = run_check(mail=False)
    assert report.clean and report.missing == 0 and report.mismatched == 0
    assert not DisputeEvent.objects.filter(dispute__in=cases, kind="integrity_failure").exists()
    # the staff case page still opens, on what is left
    client.force_login(world.secretary)
    assert client.get(reverse("workflow:case", args=[decided.pk])).status_code == 200
    client.force_login(world.tenant)  # and the party's, with its timeline of erased events
    assert client.get(reverse("portal:dispute", args=[withdrawn.pk])).status_code == 200
    # running the worker again changes nothing
    assert archive.destroy_pending(made.pk) == 0
    assert DisputeEvent.objects.filter(dispute__in=cases, kind="case_destroyed").count() == 2


def test_four_eyes_and_roles(world, roles, cases):
    withdrawn, decided = cases
    manager, reviewer, archivist, other = (roles[k] for k in ("manager", "reviewer", "archivist", "other_reviewer"))
    with pytest.raises(NotPermitted):  # only a record manager builds a list
        archive.destruction_list_create(actor=reviewer, name="Lijst", case_ids=[str(withdrawn.pk)])
    CaseRetention.objects.filter(dispute=decided).update(action_date=TODAY + timedelta(days=1))
    for not_a_candidate in (decided.pk, world.agreement.pk, "zaak-1"):  # term not passed, no case, nonsense
        with pytest.raises(ValidationError):  # only candidates
            archive.destruction_list_create(actor=manager, name="Lijst", case_ids=[str(not_a_candidate)])
    made = archive.destruction_list_create(actor=manager, name="Lijst", case_ids=[str(withdrawn.pk)])
    with pytest.raises(ValidationError):  # on an open list already
        archive.destruction_list_create(actor=manager, name="Nog een", case_ids=[str(withdrawn.pk)])
    # three different people, each in their role
    for chosen_reviewer, chosen_archivist in ((manager, archivist), (reviewer, reviewer), (archivist, archivist),
                                              (world.secretary, archivist), (reviewer, other)):
        with pytest.raises(ValidationError):
            archive.destruction_list_submit(actor=manager, destruction_list=made, reviewer=chosen_reviewer,
                                            archivist=chosen_archivist)
    second_manager = factories.staff("rm2", "record_manager")
    with pytest.raises(NotPermitted):  # only the list's own record manager
        archive.destruction_list_submit(actor=second_manager, destruction_list=made, reviewer=reviewer,
                                        archivist=archivist)
    archive.destruction_list_submit(actor=manager, destruction_list=made, reviewer=reviewer, archivist=archivist)
    with pytest.raises(NotPermitted):  # another reviewer than the one assigned
        archive.destruction_list_review(actor=other, destruction_list=made, sent_back={})
    with pytest.raises(NotPermitted):  # the archivist does not review
        archive.destruction_list_review(actor=archivist, destruction_list=made, sent_back={})
    with pytest.raises(ValidationError):  # the archivist comes after the reviewer
        archive.destruction_list_approve(actor=archivist, destruction_list=made, sent_back={})
    archive.destruction_list_review(actor=reviewer, destruction_list=made, sent_back={})
    with pytest.raises(NotPermitted):
        archive.destruction_list_approve(actor=reviewer, destruction_list=made, sent_back={})
    # the archivist sends it back: to the record manager, and then through the reviewer again
    item = made.items.get()
    archive.destruction_list_approve(actor=archivist, destruction_list=made, sent_back={item.pk: "Nog niet."})
    made.refresh_from_db()
    assert made.status == DestructionStatus.CHANGES_REQUESTED
    archive.destruction_list_update(actor=manager, destruction_list=made, remove_item_ids=[item.pk],
                                    comment="Van de lijst gehaald.")
    item.refresh_from_db()
    assert item.status == DestructionItemStatus.REMOVED
    with pytest.raises(ValidationError):  # an empty list is not submitted
        archive.destruction_list_submit(actor=manager, destruction_list=made, reviewer=reviewer, archivist=archivist)
    # a case taken off is a candidate again
    assert withdrawn.pk in {r.dispute_id for r in archive.destruction_candidates(today=TODAY)}
    with pytest.raises(ValidationError):  # never destroyed without the completed review
        archive.destruction_list_destroy(actor=manager, destruction_list=made)
    assert Document.objects.filter(dispute=withdrawn).exists()


def test_nothing_is_destroyed_before_ready_to_destroy(world, roles, cases):
    withdrawn, _ = cases
    made = archive.destruction_list_create(actor=roles["manager"], name="Lijst", case_ids=[str(withdrawn.pk)])
    # even a list forced into DESTROYING (a bug, a hand in the database) without the reviews destroys nothing
    DestructionList.objects.filter(pk=made.pk).update(status=DestructionStatus.DESTROYING)
    with pytest.raises(ValidationError):
        archive.destroy_pending(made.pk)
    assert Document.objects.filter(dispute=withdrawn).exists()
    assert not CaseRetention.objects.get(dispute=withdrawn).destroyed_at
    # a list approved, then the case's term extended before the worker ran: the case stays
    DestructionList.objects.filter(pk=made.pk).update(status=DestructionStatus.NEW)
    archive.destruction_list_submit(actor=roles["manager"], destruction_list=made, reviewer=roles["reviewer"],
                                    archivist=roles["archivist"])
    archive.destruction_list_review(actor=roles["reviewer"], destruction_list=made, sent_back={})
    archive.destruction_list_approve(actor=roles["archivist"], destruction_list=made, sent_back={})
    CaseRetention.objects.filter(dispute=withdrawn).update(action_date=TODAY + timedelta(days=365))
    archive.destruction_list_destroy(actor=roles["manager"], destruction_list=made)
    assert archive.destroy_pending(made.pk) == 0
    assert Document.objects.filter(dispute=withdrawn).exists()
    assert made.items.get().status == DestructionItemStatus.REMOVED


def test_documents_with_a_shorter_term_go_alone(world, roles, cases, private_storage):
    withdrawn, decided = cases
    # the decided case is kept; its acknowledgement letter and the machtiging of the other case have shorter terms
    CaseRetention.objects.filter(dispute=decided).update(nomination=Nomination.KEEP,
                                                          action_date=TODAY + timedelta(days=3650))
    letter_document = LetterCopy.objects.filter(letter__dispute=decided).select_related("document").first().document
    DocumentRetention.objects.update_or_create(document=letter_document, defaults={
        "category": "GPA-9", "years": 1, "action_date": TODAY - timedelta(days=30)})
    others = set(Document.objects.filter(dispute=decided).exclude(pk=letter_document.pk).values_list("pk", flat=True))
    assert decided.pk in {d.pk for d in archive.document_candidates(today=TODAY)}
    assert withdrawn.pk not in {d.pk for d in archive.document_candidates(today=TODAY)}  # itself due
    made = _approved_list(roles, [], document_case_ids=[decided.pk])
    archive.destruction_list_destroy(actor=roles["manager"], destruction_list=made)
    archive.destroy_pending(made.pk)
    made.refresh_from_db()
    assert made.status == DestructionStatus.DESTROYED
    assert not Document.objects.filter(pk=letter_document.pk).exists()
    assert letter_document.file.name not in _stored_files(private_storage)
    assert set(Document.objects.filter(dispute=decided).values_list("pk", flat=True)) == others
    event = DisputeEvent.objects.get(dispute=decided, kind="documents_destroyed")
    assert event.payload == {"list": made.name, "documents": 1}
    # the case itself stays as it was, details included
    assert DisputeEvent.objects.filter(dispute=decided).exclude(payload=ERASED_PAYLOAD).count() > 1
    assert CaseRetention.objects.get(dispute=decided).destroyed_at is None
    assert not archive.document_candidates(today=TODAY).filter(pk=decided.pk).exists()
    assert run_check(mail=False).clean
    assert DestructionItem.objects.get(destruction_list=made).status == DestructionItemStatus.DESTROYED


def test_the_workflow_forgets_the_hearing_invitations_it_sent(world, roles, django_capture_on_commit_callbacks):
    """The workflow's own rows with personal data (the e-mail addresses of the hearing invitations it sent) go with
    the case, through ``signals.case_destroyed``; its process and tasks stay."""
    from workflow.models import DisputeProcess, HearingInvitation

    with django_capture_on_commit_callbacks(execute=True):  # the invitations leave through the outbox
        case = case_in_state(world, "hearing_scheduled")
    assert HearingInvitation.objects.filter(event__dispute=case).exists()
    services.dispute_withdraw(dispute=Dispute.objects.get(pk=case.pk), actor=world.tenant)
    clock.set_now(factories.moment("2031-01-06 10:00"))
    _due(Dispute.objects.get(pk=case.pk))
    made = _approved_list(roles, [case.pk])
    archive.destruction_list_destroy(actor=roles["manager"], destruction_list=made)
    archive.destroy_pending(made.pk)
    assert not HearingInvitation.objects.filter(event__dispute=case).exists()
    assert DisputeProcess.objects.filter(dispute=case).exists()
    assert DestructionList.objects.get(pk=made.pk).status == DestructionStatus.DESTROYED
