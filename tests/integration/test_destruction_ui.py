"""The destruction lists' pages (``/werk/archief/vernietiging/``; issue 17, item 6; docs/workflow.md
"Vernietigingslijsten"): the record manager, the reviewer and the archivist each see their forms at the right
moment, a list runs through the three roles to the destruction, errors are shown on the page, and nobody else gets
in. The case pages (staff and party) say when a case was destroyed."""

import io
import uuid

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfReader

from disputes.models import (
    ArchiveRole,
    CaseRetention,
    DestructionItemStatus,
    DestructionList,
    DestructionStatus,
    Document,
)
from disputes.services import archive
from disputes.services.integrity import run_check
from tests.factories import case_in_state, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles(world):
    world.record_manager = staff("recordmanager", ArchiveRole.RECORD_MANAGER)
    world.archive_reviewer = staff("beoordelaar", ArchiveRole.REVIEWER)
    world.archivist = staff("archivaris", ArchiveRole.ARCHIVIST)
    for user, (first, last) in ((world.record_manager, ("Rita", "Recordman")),
                                (world.archive_reviewer, ("Bea", "Oordeel")),
                                (world.archivist, ("Arie", "Vist"))):
        user.first_name, user.last_name = first, last
        user.save()
    return world


@pytest.fixture
def due(roles, at):
    """Two withdrawn cases (a withdrawal is kept 5 years by the shipped selectielijst table), and the clock six
    years later: both are candidates for destruction."""
    cases = [case_in_state(roles, "withdrawn") for _ in range(2)]
    at("2023-03-01 10:00")
    return cases


def said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def url(name, destruction_list=None) -> str:
    return reverse(f"workflow:{name}", args=[destruction_list.pk] if destruction_list is not None else [])


def files_of(case) -> list[str]:
    return [d.file.name for d in Document.objects.filter(dispute=case)]


def test_a_list_runs_through_the_three_roles_to_the_destruction(client, roles, due, private_storage,
                                                                 django_capture_on_commit_callbacks):
    world = roles
    kept, destroyed = due
    stored = files_of(destroyed)
    assert stored and all(private_storage.exists(name) for name in stored)

    # the record manager: the candidates, then a new list with both cases
    client.force_login(world.record_manager)
    page = client.get(url("destruction-lists")).content.decode()
    assert kept.case_number in page and destroyed.case_number in page
    assert "Nieuwe vernietigingslijst" in page
    page = client.get(url("destruction-list-new")).content.decode()
    assert f'value="{kept.pk}"' in page and f'value="{destroyed.pk}"' in page
    response = client.post(url("destruction-list-new"),
                           {"name": "Vernietiging 2023", "case_ids": [str(kept.pk), str(destroyed.pk)]})
    made = DestructionList.objects.get()
    assert response.status_code == 302 and response["Location"] == url("destruction-list", made)
    page = client.get(url("destruction-list", made)).content.decode()
    assert "Vernietiging 2023" in page and kept.case_number in page and "Gemeente Leiderdorp" in page
    assert "Indienen ter beoordeling" in page and "Bea Oordeel" in page and "Arie Vist" in page

    # submitted to the reviewer and the archivist
    response = client.post(url("destruction-list-submit", made),
                           {"reviewer": world.archive_reviewer.pk, "archivist": world.archivist.pk})
    assert response.status_code == 302, response.content.decode()[:3000]
    made.refresh_from_db()
    assert made.status == DestructionStatus.READY_TO_REVIEW
    page = client.get(url("destruction-list", made)).content.decode()
    assert "wacht op het oordeel van Bea Oordeel" in page and "Oordeel geven" not in page

    # the reviewer sends the case that is kept back, with a reason
    client.force_login(world.archive_reviewer)
    assert client.get(reverse("home"))["Location"] == url("destruction-lists")
    page = client.get(url("destruction-list", made)).content.decode()
    assert "Uw oordeel als beoordelaar" in page and "Indienen ter beoordeling" not in page
    item = made.items.get(dispute=kept)
    response = client.post(url("destruction-list-review", made),
                           {"decision": "sent_back", f"reason_{item.pk}": "Er loopt nog een bezwaar"})
    assert response.status_code == 302 and "teruggestuurd" in said(response)
    made.refresh_from_db()
    assert made.status == DestructionStatus.CHANGES_REQUESTED

    # the record manager sees the reason and takes that case off; the list goes to the reviewer again
    client.force_login(world.record_manager)
    page = client.get(url("destruction-list", made)).content.decode()
    assert "Er loopt nog een bezwaar" in page and "Teruggestuurde zaken verwerken" in page
    response = client.post(url("destruction-list-update", made), {"remove": [item.pk], "comment": "Eruit"})
    assert response.status_code == 302, response.content.decode()[:3000]
    made.refresh_from_db()
    item.refresh_from_db()
    assert made.status == DestructionStatus.READY_TO_REVIEW and item.status == DestructionItemStatus.REMOVED

    # the reviewer, then the archivist approve
    client.force_login(world.archive_reviewer)
    response = client.post(url("destruction-list-review", made), {"decision": "approved", "comment": "Akkoord"})
    assert response.status_code == 302 and "archivaris" in said(response)
    client.force_login(world.archivist)
    page = client.get(url("destruction-list", made)).content.decode()
    assert "Uw oordeel als archivaris" in page and "Er loopt nog een bezwaar" in page  # the earlier verdicts
    response = client.post(url("destruction-list-approve", made), {"decision": "approved"})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == DestructionStatus.READY_TO_DESTROY
    # the archivist may not start the destruction
    assert client.get(url("destruction-list-destroy", made)).status_code == 403

    # the record manager: the confirmation page, then the destruction
    client.force_login(world.record_manager)
    page = client.get(url("destruction-list", made)).content.decode()
    assert url("destruction-list-destroy", made) in page
    page = client.get(url("destruction-list-destroy", made)).content.decode()
    assert "Dit kan niet ongedaan worden gemaakt." in page and destroyed.case_number in page
    assert "Wat blijft" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("destruction-list-destroy", made))
    assert response.status_code == 302 and response["Location"] == url("destruction-list", made)
    made.refresh_from_db()
    assert made.status == DestructionStatus.DESTROYED and made.certificate

    # the files are gone from the storage, the other case's stay
    assert not any(private_storage.exists(name) for name in stored)
    assert all(private_storage.exists(name) for name in files_of(kept))
    page = client.get(url("destruction-list", made)).content.decode()
    assert "zijn vernietigd op 01-03-2023" in page and url("destruction-list-certificate", made) in page

    # the certificate, for each of the three roles
    for user in (world.record_manager, world.archive_reviewer, world.archivist):
        client.force_login(user)
        response = client.get(url("destruction-list-certificate", made))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert destroyed.case_number in text and kept.case_number not in text

    # the case pages say so; no document is left to link to
    client.force_login(world.secretary)
    page = client.get(reverse("workflow:case", args=[destroyed.pk])).content.decode()
    assert "Vernietigd op 01-03-2023 (vernietigingslijst Vernietiging 2023)." in page
    assert "De documenten van deze zaak zijn vernietigd." in page and "/documenten/" not in page
    page = client.get(reverse("workflow:case", args=[kept.pk])).content.decode()
    assert "Vernietigd op" not in page and 'id="archief"' in page
    client.force_login(world.tenant)
    page = client.get(reverse("portal:dispute", args=[destroyed.pk])).content.decode()
    assert "Het dossier van dit geschil is vernietigd op 01-03-2023 volgens de Archiefwet." in page
    page = client.get(reverse("portal:dispute", args=[kept.pk])).content.decode()
    assert "is vernietigd op" not in page

    # and the integrity check raises no alarm: the destroyed documents are gone, not missing
    report = run_check(mail=False)
    assert report.clean, report.summary()


def test_the_case_page_shows_the_retention_of_an_ended_case(client, roles, due):
    client.force_login(roles.secretary)
    page = client.get(reverse("workflow:case", args=[due[0].pk])).content.decode()
    retention = CaseRetention.objects.get(dispute=due[0])
    assert 'id="archief"' in page and "Archiefnominatie" in page and retention.category in page
    assert retention.action_date.strftime("%d-%m-%Y") in page and "Vernietigd op" not in page


def test_errors_are_shown_on_the_page(client, roles, due):
    world = roles
    client.force_login(world.record_manager)
    # no name, no case
    response = client.post(url("destruction-list-new"), {"name": ""})
    page = response.content.decode()
    assert response.status_code == 400 and 'id="error-summary"' in page
    assert "Geef de lijst een naam." in page and 'aria-invalid="true"' in page
    response = client.post(url("destruction-list-new"), {"name": "Leeg"})
    assert response.status_code == 400 and "Kies ten minste één zaak voor de lijst." in response.content.decode()
    # a case that is no candidate: refused by the form
    response = client.post(url("destruction-list-new"), {"name": "Lijst", "case_ids": [str(uuid.uuid4())]})
    assert response.status_code == 400 and 'id="error-summary"' in response.content.decode()
    assert not DestructionList.objects.exists()

    made = archive.destruction_list_create(actor=world.record_manager, name="Lijst", case_ids=[due[0].pk])
    # the submit form: nothing chosen; then the same person as reviewer and archivist (the service refuses)
    response = client.post(url("destruction-list-submit", made), {})
    page = response.content.decode()
    assert response.status_code == 400 and "Kies een beoordelaar." in page and "Kies een archivaris." in page
    both = staff("beide", ArchiveRole.REVIEWER)
    both.groups.add(*world.archivist.groups.all())
    response = client.post(url("destruction-list-submit", made), {"reviewer": both.pk, "archivist": both.pk})
    page = response.content.decode()
    assert response.status_code == 400 and "drie verschillende" in page and 'id="error-summary"' in page
    made.refresh_from_db()
    assert made.status == DestructionStatus.NEW

    archive.destruction_list_submit(actor=world.record_manager, destruction_list=made,
                                    reviewer=world.archive_reviewer, archivist=world.archivist)
    item = made.items.get()
    client.force_login(world.archive_reviewer)
    # sent back without a reason; approved with a reason; no choice
    response = client.post(url("destruction-list-review", made), {"decision": "sent_back"})
    assert response.status_code == 400 and "Geef bij ten minste één zaak de reden" in response.content.decode()
    response = client.post(url("destruction-list-review", made),
                           {"decision": "approved", f"reason_{item.pk}": "Toch niet"})
    assert response.status_code == 400 and "maar koos akkoord" in response.content.decode()
    response = client.post(url("destruction-list-review", made), {})
    assert response.status_code == 400 and "Kies akkoord of terugsturen." in response.content.decode()
    made.refresh_from_db()
    assert made.status == DestructionStatus.READY_TO_REVIEW and not made.reviews.exists()

    # a verdict in the wrong state (the archivist's before the reviewer's): the service's message on the page
    client.force_login(world.archivist)
    response = client.post(url("destruction-list-approve", made), {"decision": "approved"})
    assert response.status_code == 400 and "Dit kan niet bij een vernietigingslijst met de status" in \
        response.content.decode()
    # the destruction of a list not approved: back to the list with a message
    client.force_login(world.record_manager)
    response = client.get(url("destruction-list-destroy", made))
    assert response.status_code == 302 and "niet goedgekeurd" in said(response)
    response = client.post(url("destruction-list-destroy", made))
    assert response.status_code == 400 and 'id="error-summary"' in response.content.decode()
    made.refresh_from_db()
    assert made.status == DestructionStatus.READY_TO_REVIEW


def test_progress_is_shown_while_the_list_is_destroyed(client, roles, due):
    world = roles
    made = archive.destruction_list_create(actor=world.record_manager, name="Lijst", case_ids=[c.pk for c in due])
    archive.destruction_list_submit(actor=world.record_manager, destruction_list=made,
                                    reviewer=world.archive_reviewer, archivist=world.archivist)
    archive.destruction_list_review(actor=world.archive_reviewer, destruction_list=made, sent_back={})
    archive.destruction_list_approve(actor=world.archivist, destruction_list=made, sent_back={})
    archive.destruction_list_destroy(actor=world.record_manager, destruction_list=made)  # the worker not yet run
    client.force_login(world.archivist)
    page = client.get(url("destruction-list", made)).content.decode()
    assert "0 van 2 zaken vernietigd." in page and "Pagina vernieuwen" in page
    assert url("destruction-list-certificate", made) not in page
    assert client.get(url("destruction-list-certificate", made)).status_code == 404


def test_who_may_use_the_pages(client, roles, due, settings):
    world = roles
    made = archive.destruction_list_create(actor=world.record_manager, name="Lijst", case_ids=[due[0].pk])
    lists = url("destruction-lists")
    # anonymous: the log-in page; other staff and parties: 403
    assert client.get(lists)["Location"].startswith(reverse("login"))
    for user in (world.secretary, world.official, world.chair, world.tenant):
        client.force_login(user)
        for target in (lists, url("destruction-list", made), url("destruction-list-new")):
            response = client.get(target)
            assert response.status_code == 403, (user, target)
            assert "recordmanager, de beoordelaar en de archivaris" in response.content.decode()
    # a list that does not exist: 404
    client.force_login(world.archivist)
    missing = reverse("workflow:destruction-list", args=[uuid.uuid4()])
    assert client.get(missing).status_code == 404
    # the archivist and the reviewer read the list, but neither makes nor submits one
    assert client.get(url("destruction-list", made)).status_code == 200
    assert client.get(url("destruction-list-new")).status_code == 403
    response = client.post(url("destruction-list-submit", made),
                           {"reviewer": world.archive_reviewer.pk, "archivist": world.archivist.pk})
    assert response.status_code == 403
    # another reviewer than the one the list went to: no form, and a POST is refused with the reason
    archive.destruction_list_submit(actor=world.record_manager, destruction_list=made,
                                    reviewer=world.archive_reviewer, archivist=world.archivist)
    other = staff("beoordelaar2", ArchiveRole.REVIEWER)
    client.force_login(other)
    assert "Uw oordeel" not in client.get(url("destruction-list", made)).content.decode()
    response = client.post(url("destruction-list-review", made), {"decision": "approved"})
    assert response.status_code == 403 and "Alleen de beoordelaar aan wie de lijst is voorgelegd" in \
        response.content.decode()

    # the archive's roles see no case: not the staff case page, not the worklist; their menu has their own pages only
    for user in (world.record_manager, world.archive_reviewer, world.archivist):
        client.force_login(user)
        assert client.get(reverse("workflow:case", args=[due[0].pk])).status_code == 404
        assert client.get(reverse("workflow:worklist")).status_code == 403
        assert client.get(reverse("portal:dispute", args=[due[0].pk])).status_code == 404
        page = client.get(lists).content.decode()
        assert "Vernietigingslijsten" in page and f'href="{reverse("workflow:worklist")}"' not in page
        assert f'href="{reverse("workflow:archive")}"' not in page and "Mijn geschillen" not in page
        assert due[0].case_number not in page  # on no list: not even its number

    # with the second factor on, the archive's roles log in with it like staff
    settings.STAFF_TWO_FACTOR = True
    TOTPDevice.objects.create(user=world.archivist, name="app", confirmed=True)
    client.force_login(world.archivist)
    response = client.get(lists)
    assert response.status_code == 302 and response["Location"].startswith(reverse("two-factor-verify"))
