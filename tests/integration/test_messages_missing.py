"""Messages that were missing (issue 16, item 5): the secretariat hears of a new filing, and every e-mail about
a case carries the link to it: the portal's case page for the parties, the staff case page for staff."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from disputes import clock, services
from disputes.models import Dispute, DisputeEvent, Notification, StaffRole
from disputes.tasks import notify_event, recipients_for
from tests.factories import case_in_state, moment, staff

pytestmark = pytest.mark.django_db

SITE = "https://geschil.example.nl"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.WORKFLOW_STRICT = True
    settings.SITE_URL = SITE


def links(dispute) -> tuple[str, str]:
    return (SITE + reverse("portal:dispute", args=[dispute.pk]), SITE + reverse("workflow:case", args=[dispute.pk]))


def test_the_secretariat_hears_of_a_new_filing_with_a_link_to_the_staff_case_page(
    world, django_capture_on_commit_callbacks
):
    second = staff("sec2", StaffRole.SECRETARY)
    gone = staff("sec-weg", StaffRole.SECRETARY)
    gone.is_active = False
    gone.save()
    clock.set_now(moment("2017-01-16 10:00"))
    dispute = world.file()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.dispute_submit(dispute=dispute, actor=world.tenant)
    dispute = Dispute.objects.get(pk=dispute.pk)
    event = DisputeEvent.objects.get(dispute=dispute, kind="submit")
    secretariat = sorted([world.secretary.email, second.email])
    assert recipients_for(event) == sorted(["anna@example.nl", "bert@example.nl", "gerda@example.nl", *secretariat])
    portal, staff_page = links(dispute)
    filed = {m.to[0]: m for m in mail.outbox if dispute.case_number in m.subject}
    for address in secretariat:
        assert staff_page in filed[address].body and portal not in filed[address].body
        assert "beoordeel of het ontvankelijk is" in filed[address].body
    for address in ("anna@example.nl", "bert@example.nl", "gerda@example.nl"):
        assert portal in filed[address].body and staff_page not in filed[address].body
        assert "Het secretariaat beoordeelt eerst" in filed[address].body
    assert "sec-weg@example.nl" not in filed and "chair@example.nl" not in filed  # inactive; not the secretariat
    # recorded once per address, so a second run sends nothing twice
    assert Notification.objects.filter(event=event, recipient=world.secretary.email).count() == 1
    assert notify_event(event_id=event.pk) == 0


def test_a_later_step_is_not_sent_to_the_secretariat(world, django_capture_on_commit_callbacks):
    dispute = case_in_state(world, "submitted")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.dispute_start_review(dispute=dispute, actor=world.secretary)
    assert world.secretary.email not in {m.to[0] for m in mail.outbox}


@pytest.mark.parametrize("state", ["closed", "hearing_scheduled"])
def test_every_e_mail_about_a_case_links_to_it(world, state, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dispute = case_in_state(world, state)
    if state == "hearing_scheduled":
        with django_capture_on_commit_callbacks(execute=True):
            services.dispute_cancel_hearing(dispute=Dispute.objects.get(pk=dispute.pk),
                                            actor=world.secretary, reason="Zaal niet beschikbaar")
    portal, staff_page = links(dispute)
    staff_addresses = set(get_user_model().objects.filter(groups__name__in=StaffRole.values)
                          .values_list("email", flat=True))
    about_the_case = [m for m in mail.outbox if dispute.case_number in m.subject]
    assert len({m.subject for m in about_the_case}) >= 5  # several kinds of message, not one
    for message in about_the_case:
        (address,) = message.to
        expected = staff_page if address in staff_addresses else portal
        assert expected in message.body, (address, message.subject)
