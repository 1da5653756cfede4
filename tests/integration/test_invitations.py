"""Invitations into a party organisation (issue 15, docs/accounts.md "Uitnodigingen"): the secretariat sends a
signed link that works once, for INVITATION_DAYS days; the invitee sets a password (Django's validators) or accepts
with the account they are logged in with; a respondent without an active member is invited at filing through its
general e-mail address; the case page says who can be reached. Every change leaves a history row."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError

from disputes import clock, invitations, services
from disputes.errors import NotPermitted
from disputes.models import AccessLogEntry, Invitation, Membership, OutboxMessage
from disputes.services.accounts import InvitationClosed
from tests.factories import case_in_state

pytestmark = pytest.mark.django_db

PASSWORD = "Zonnebloem-Rivier-2026"


def link_in(message) -> str:
    found = re.search(r"http://[^\s]+/uitnodiging/[^\s/]+/", message.body)
    assert found, message.body
    return found.group(0)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def invite(world, at, django_capture_on_commit_callbacks, mailoutbox):
    """The secretary invites Karin to Rijnhart Wonen; returns (invitation, link path)."""
    at("2017-01-16 10:00")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(actor=world.secretary, organisation=world.corporatie,
                                              email="Karin@Rijnhart.example", name="Karin de Wit")
    assert len(mailoutbox) == 1
    return invitation, path_of(link_in(mailoutbox[0]))


# -- sending --------------------------------------------------------------------------------------------------


def test_the_secretary_sends_an_invitation_through_the_outbox(world, invite, mailoutbox):
    invitation, path = invite
    message = mailoutbox[0]
    assert message.to == ["Karin@rijnhart.example"]  # the domain lower-cased, the local part as typed
    assert "Rijnhart Wonen" in message.subject
    assert "Karin de Wit" in message.body
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    assert OutboxMessage.objects.filter(task="disputes.invitations.send_invitation").count() == 1
    assert invitations.invitation_for_token(path.split("/")[2]) == invitation
    assert invitation.history.count() == 1 and invitation.history.first().history_type == "+"


@pytest.mark.parametrize("who", ["chair", "official", "corp_user", "tenant"])
def test_only_the_secretariat_invites(world, who):
    with pytest.raises(NotPermitted):
        services.invitation_send(actor=getattr(world, who), organisation=world.corporatie, email="x@example.nl")
    assert not Invitation.objects.exists()


def test_an_invitation_needs_a_valid_address_and_not_a_member(world):
    with pytest.raises(ValidationError) as bad:
        services.invitation_send(actor=world.secretary, organisation=world.corporatie, email="geen-adres")
    assert "email" in bad.value.message_dict
    with pytest.raises(ValidationError) as member:
        services.invitation_send(actor=world.secretary, organisation=world.corporatie, email=world.corp_user.email)
    assert "al lid" in member.value.message_dict["email"][0]


def test_a_new_invitation_replaces_the_open_one_to_the_same_address(world, invite, client):
    first, path = invite
    second = services.invitation_send(actor=world.secretary, organisation=world.corporatie,
                                      email="karin@rijnhart.example")
    first.refresh_from_db()
    assert first.revoked_at is not None and second.revoked_at is None
    assert client.get(path).status_code == 410


def test_a_forged_or_mangled_token_is_a_404(world, invite, client):
    invitation, path = invite
    token = path.split("/")[2]
    assert client.get(f"/uitnodiging/{token[:-2]}xx/").status_code == 404
    assert client.get("/uitnodiging/geen-geldige-link/").status_code == 404
    other_salt = signing.Signer(salt="disputes.enrolment").sign_object(str(invitation.pk))
    assert client.get(f"/uitnodiging/{other_salt}/").status_code == 404


# -- accepting --------------------------------------------------------------------------------------------------


def test_accepting_makes_the_account_and_the_membership_and_logs_in(world, invite, client):
    invitation, path = invite
    page = client.get(path)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    text = page.content.decode()
    assert "Rijnhart Wonen" in text and "karin@rijnhart.example" in text
    assert path.split("/")[2] not in text.split("<title>")[1].split("</title>")[0]
    answer = client.post(path, {"first_name": "Karin", "last_name": "de Wit",
                                "password1": PASSWORD, "password2": PASSWORD})
    assert answer.status_code == 302 and answer["Location"] == "/"
    user = get_user_model().objects.get(username="karin@rijnhart.example")
    assert user.check_password(PASSWORD) and user.get_full_name() == "Karin de Wit"
    membership = Membership.objects.get(user=user, organisation=world.corporatie, ended_at__isnull=True)
    invitation.refresh_from_db()
    assert invitation.accepted_at == clock.now() and invitation.accepted_by == user
    assert client.get("/").status_code == 200  # logged in: "Mijn geschillen"
    # the history: the invitation sent and accepted, the membership made, the user made; not the token
    assert [h.history_type for h in invitation.history.order_by("history_date")] == ["+", "~"]
    assert membership.history.count() == 1 and user.history.count() == 1
    via = invitation.history.latest("history_date").history_via
    assert via.startswith("POST /uitnodiging/ ") and path.split("/")[2] not in via
    assert not AccessLogEntry.objects.filter(object__contains=path.split("/")[2]).exists()


def test_the_passwords_must_match_and_pass_the_validators(world, invite, client):
    invitation, path = invite
    different = client.post(path, {"password1": PASSWORD, "password2": PASSWORD + "x"})
    assert different.status_code == 400 and "niet gelijk" in different.content.decode()
    weak = client.post(path, {"password1": "karin@rijnhart", "password2": "karin@rijnhart"})
    assert weak.status_code == 400 and 'id="id_password1-error"' in weak.content.decode()
    short = client.post(path, {"password1": "kort", "password2": "kort"})
    assert short.status_code == 400 and 'id="id_password1-error"' in short.content.decode()
    assert not get_user_model().objects.filter(username="karin@rijnhart.example").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_invitation_works_once(world, invite, client):
    invitation, path = invite
    client.post(path, {"password1": PASSWORD, "password2": PASSWORD})
    client.logout()
    again = client.get(path)
    assert again.status_code == 410
    assert "al aangenomen" in again.content.decode() and "nieuwe uitnodiging" in again.content.decode()
    assert client.post(path, {"password1": PASSWORD, "password2": PASSWORD}).status_code == 410
    with pytest.raises(InvitationClosed):
        services.invitation_accept(invitation=invitation, password=PASSWORD)
    assert get_user_model().objects.filter(email__iexact="karin@rijnhart.example").count() == 1


def test_an_expired_invitation_gets_a_clear_page(world, invite, client):
    invitation, path = invite
    clock.set_now(invitation.expires_at - timedelta(minutes=1))
    assert client.get(path).status_code == 200
    clock.set_now(invitation.expires_at)
    page = client.get(path)
    assert page.status_code == 410 and "verlopen" in page.content.decode()
    assert client.post(path, {"password1": PASSWORD, "password2": PASSWORD}).status_code == 410
    assert invitations.state(invitation) == "expired"
    assert not Membership.objects.filter(organisation=world.corporatie, user__email__iexact=invitation.email).exists()


def test_a_revoked_invitation_gets_a_clear_page(world, invite, client):
    invitation, path = invite
    services.invitation_revoke(actor=world.secretary, invitation=invitation)
    page = client.get(path)
    assert page.status_code == 410 and "ingetrokken" in page.content.decode()
    with pytest.raises(InvitationClosed):
        services.invitation_revoke(actor=world.secretary, invitation=invitation)
    with pytest.raises(NotPermitted):
        services.invitation_revoke(actor=world.chair, invitation=invitation)


def test_a_logged_in_person_accepts_with_their_own_account(world, invite, client):
    invitation, path = invite
    client.force_login(world.gem_user)  # already acts for the gemeente
    page = client.get(path)
    assert "Aannemen met mijn account" in page.content.decode()
    answer = client.post(path, {"action": "account"})
    assert answer.status_code == 302
    assert set(world.gem_user.memberships.filter(ended_at__isnull=True).values_list("organisation_id", flat=True)) \
        == {world.gemeente.pk, world.corporatie.pk}
    invitation.refresh_from_db()
    assert invitation.accepted_by == world.gem_user


def test_an_ended_membership_is_taken_up_again(world, at, client):
    at("2017-01-16 10:00")
    membership = world.corp_user.memberships.get(organisation=world.corporatie)
    services.membership_end(actor=world.secretary, membership=membership)
    invitation = services.invitation_send(actor=world.secretary, organisation=world.corporatie,
                                          email=world.corp_user.email)
    services.invitation_accept(invitation=invitation, user=world.corp_user)
    membership.refresh_from_db()
    assert membership.ended_at is None
    assert membership.history.count() == 3  # made, ended, taken up again


def test_staff_cannot_accept(world, invite, client):
    invitation, path = invite
    client.force_login(world.secretary)
    answer = client.post(path, {"action": "account"})
    assert answer.status_code == 403
    assert "medewerker" in answer.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not AccessLogEntry.objects.filter(object__contains=path.split("/")[2]).exists()


def test_an_address_with_an_account_logs_in_first(world, at, client):
    at("2017-01-16 10:00")
    invitation = services.invitation_send(actor=world.secretary, organisation=world.corporatie,
                                          email=world.gem_user.email)
    path = path_of(invitations.invitation_url(invitation))
    answer = client.post(path, {"password1": PASSWORD, "password2": PASSWORD})
    assert answer.status_code == 400 and "Log in met dat account" in answer.content.decode()


def test_the_mail_is_not_sent_for_an_invitation_revoked_before_it_left(world, at, mailoutbox):
    at("2017-01-16 10:00")
    invitation = services.invitation_send(actor=world.secretary, organisation=world.corporatie, email="a@b.nl")
    services.invitation_revoke(actor=world.secretary, invitation=invitation)
    assert invitations.send_invitation(invitation_id=str(invitation.pk)) == 0
    assert mailoutbox == []


# -- automatic invitations at filing -----------------------------------------------------------------------


def _without_members(organisation):
    for membership in organisation.memberships.filter(ended_at__isnull=True):
        membership.ended_at = clock.now()
        membership.save()


def test_filing_invites_a_respondent_without_members_through_its_general_address(
        world, at, django_capture_on_commit_callbacks, mailoutbox, client):
    at("2017-01-16 10:00")
    world.corporatie.email = "info@rijnhart.example"
    world.corporatie.save()
    _without_members(world.corporatie)  # nobody acts for the corporation
    _without_members(world.gemeente)  # nor for the gemeente, which has no general address either
    draft = world.file()
    with django_capture_on_commit_callbacks(execute=True):
        services.dispute_submit(dispute=draft, actor=world.tenant)
    invitation = Invitation.objects.get()
    assert invitation.organisation == world.corporatie and invitation.email == "info@rijnhart.example"
    assert invitation.dispute_id == draft.pk and invitation.invited_by is None and invitation.kind == "member"
    sent = [m for m in mailoutbox if "/uitnodiging/" in m.body]
    assert len(sent) == 1 and sent[0].to == ["info@rijnhart.example"]
    draft.refresh_from_db()
    assert draft.case_number in sent[0].body
    # the staff case page: per party, the members and invitations; the gemeente cannot be reached
    client.force_login(world.secretary)
    page = client.get(f"/werk/geschillen/{draft.pk}/").content.decode()
    section = page.split('id="invitations-title"')[1].split("</section>")[0]
    assert "info@rijnhart.example" in section and "open" in section
    gemeente = section.split(f'id="uitnodigingen-{world.gemeente.pk}"')[1].split("</li>")[0]
    assert "Geen actief lid en geen algemeen e-mailadres" in gemeente
    corporatie = section.split(f'id="uitnodigingen-{world.corporatie.pk}"')[1].split("</li>")[0]
    assert "Geen actief lid en geen algemeen e-mailadres" not in corporatie
    # the invitees' addresses are the secretariat's business: the commission and the ministry do not see them
    for other in (world.chair, world.official):
        client.force_login(other)
        page = client.get(f"/werk/geschillen/{draft.pk}/").content.decode()
        assert 'id="invitations-title"' not in page and "info@rijnhart.example" not in page
    client.force_login(world.secretary)
    # accepted, it shows as such; the clerk sees the case
    path = path_of(invitations.invitation_url(invitation))
    client.logout()
    client.post(path, {"password1": PASSWORD, "password2": PASSWORD})
    assert client.get(f"/geschillen/{draft.pk}/").status_code == 200
    client.force_login(world.secretary)
    page = client.get(f"/werk/geschillen/{draft.pk}/").content.decode()
    assert "aangenomen" in page.split('id="invitations-title"')[1].split("</section>")[0]


def test_filing_invites_nobody_when_every_respondent_has_a_member(world, django_capture_on_commit_callbacks):
    world.corporatie.email = "info@rijnhart.example"
    world.corporatie.save()
    with django_capture_on_commit_callbacks(execute=True):
        case_in_state(world, "submitted")
    assert not Invitation.objects.exists()


def test_an_open_invitation_is_not_sent_twice(world, at):
    at("2017-01-16 10:00")
    world.corporatie.email = "info@rijnhart.example"
    world.corporatie.save()
    _without_members(world.corporatie)
    services.dispute_submit(dispute=world.file(), actor=world.tenant)
    services.dispute_submit(dispute=world.file(), actor=world.tenant)
    assert Invitation.objects.count() == 1
    clock.set_now(clock.now() + timedelta(days=8))  # expired: the next case invites again
    services.dispute_submit(dispute=world.file(), actor=world.tenant)
    assert Invitation.objects.count() == 2


def test_the_token_stays_out_of_the_logs(world, invite, client, caplog):
    invitation, path = invite
    token = path.split("/")[2]
    caplog.set_level("DEBUG")
    client.post(path, {"password1": "kort", "password2": "kort"})  # 400
    client.force_login(world.secretary)
    client.post(path, {"action": "account"})  # 403
    client.logout()
    services.invitation_revoke(actor=world.secretary, invitation=invitation)
    assert client.get(path).status_code == 410
    assert not [r.getMessage() for r in caplog.records if token in r.getMessage()]
