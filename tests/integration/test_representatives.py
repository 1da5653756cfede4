"""Representatives (gemachtigden, issue 15 item 4, docs/accounts.md): a party authorises a person outside its
organisation for one case; the secretariat checks the machtiging; the representative sees and acts on that case
only, and every act says "namens"."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from disputes import permissions, services, visibility
from disputes.errors import NotPermitted
from disputes.invitations import token_for
from disputes.models import Dispute, DisputeEvent, Invitation, RepresentationStatus
from disputes.tasks import recipients_for
from tests.factories import case_in_state, member, pdf, representative
from tests.integration.test_portal_case import upload

pytestmark = pytest.mark.django_db


def test_the_visibility_constant_is_the_models_status():
    assert visibility.REPRESENTATION_APPROVED == RepresentationStatus.APPROVED


def test_a_representative_sees_only_the_case_they_represent_a_party_in(world):
    case = case_in_state(world, "awaiting_response")
    other = case_in_state(world, "exchange")  # the same respondent, another case
    user, representation = representative(world, case)
    assert representation.status == RepresentationStatus.APPROVED and representation.user == user
    assert list(Dispute.objects.visible_to(user)) == [case]
    assert permissions.is_respondent(user, case) and not permissions.is_respondent(user, other)
    assert permissions.acting_organisation(user, case) == world.corporatie
    assert permissions.acting_organisation(user, other) is None
    assert permissions.organisation_ids(user) == set()  # no member of any organisation


def test_the_representative_files_the_verweer_namens_the_party(client, world, django_capture_on_commit_callbacks):
    case = case_in_state(world, "awaiting_response")
    user, _ = representative(world, case)
    client.force_login(user)
    body = client.get(reverse("portal:dispute", args=[case.pk])).content.decode()
    assert "U bent in dit geschil gemachtigde namens Rijnhart Wonen (verweerder)" in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:respond", args=[case.pk]), {
            "files": [upload("verweerschrift.pdf")], "position_p1": "Het bod was redelijk",
            "expected_version": case.version})
    assert response.status_code == 302
    assert case.parties.get(organisation=world.corporatie).responded_at is not None
    document = case.documents.get(doc_type="verweerschrift")
    assert document.organisation == world.corporatie and document.uploaded_by == user
    event = case.events.get(kind="responded")
    assert event.actor == user and event.actor_organisation == world.corporatie
    assert event.payload["representative"] == "Gerard de Wit"
    # every timeline says "namens": the parties' page, the staff page and the dossier's
    client.force_login(world.tenant)
    party_page = client.get(reverse("portal:dispute", args=[case.pk])).content.decode()
    assert "Gerard de Wit namens Rijnhart Wonen" in party_page
    client.force_login(world.secretary)
    staff_page = client.get(reverse("workflow:case", args=[case.pk])).content.decode()
    assert "Gerard de Wit namens Rijnhart Wonen" in " ".join(staff_page.split())
    from disputes.dossier.content import by_organisation
    assert by_organisation(event) == "Gemachtigde namens Rijnhart Wonen"
    # a member's own act names no representative
    services.dispute_submit_documents(dispute=case, actor=world.corp_user, documents=[pdf("correspondentie")])
    assert "representative" not in case.events.get(kind="documents_submitted").payload


def test_the_representative_hears_of_the_case_and_of_it_only(world):
    case = case_in_state(world, "awaiting_response")
    other = case_in_state(world, "exchange")
    user, _ = representative(world, case)
    on_case = case.events.filter(kind="accept").first()
    on_other = other.events.filter(kind="accept").first()
    assert user.email in recipients_for(on_case)
    assert user.email not in recipients_for(on_other)
    assert world.corp_user.email in recipients_for(on_other)


def test_asking_checking_and_the_invitation(client, world, django_capture_on_commit_callbacks):
    case = case_in_state(world, "exchange")
    client.force_login(world.corp_user)
    page = client.get(reverse("portal:dispute", args=[case.pk])).content.decode()
    assert reverse("portal:representatives", args=[case.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:representatives", args=[case.pk]), {
            "name": "Mr. A. Jansen", "email": "Jansen@Advocaten.EXAMPLE", "expected_version": case.version,
            "authorisation": upload("machtiging.pdf")})
    assert response.status_code == 302
    representation = case.representations.get()
    assert representation.status == RepresentationStatus.REQUESTED
    assert representation.email == "Jansen@advocaten.example"
    assert representation.authorisation.doc_type == "machtiging"
    assert representation.organisation == world.corporatie
    # the secretariat hears of it, and nobody is invited yet
    assert [m.to for m in mail.outbox] == [[world.secretary.email]]
    assert "Rijnhart Wonen heeft in het geschil" in mail.outbox[0].body and "Mr. A. Jansen" in mail.outbox[0].body
    assert reverse("workflow:case", args=[case.pk]) in mail.outbox[0].body
    assert not Invitation.objects.filter(representation=representation).exists()
    # the secretariat sees it on the case page, with the machtiging, and refuses it without a reason: no
    client.force_login(world.secretary)
    staff_page = client.get(reverse("workflow:case", args=[case.pk])).content.decode()
    assert "Mr. A. Jansen" in staff_page and "machtiging.pdf" in staff_page
    check = reverse("workflow:representation-check", args=[case.pk, representation.pk])
    client.post(check, {"decision": "refuse", "note": ""})
    representation.refresh_from_db()
    assert representation.status == RepresentationStatus.REQUESTED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(check, {"decision": "approve"})
    assert response.status_code == 302 and response["Location"].endswith("#gemachtigden")
    representation.refresh_from_db()
    assert representation.status == RepresentationStatus.APPROVED and representation.checked_by == world.secretary
    invitation = Invitation.objects.get(representation=representation)
    sent = [m for m in mail.outbox if m.to == ["Jansen@advocaten.example"]]
    assert len(sent) == 1 and "gemachtigde namens Rijnhart Wonen" in sent[0].subject
    assert f"geschil {case.case_number}" in sent[0].body
    # the party hears that it was approved
    assert any(world.corp_user.email in m.to for m in mail.outbox)
    # checked once only
    with pytest.raises(ValidationError):
        services.representation_check(representation=representation, actor=world.secretary, approve=False,
                                      note="Toch niet")
    # the representative accepts with a new account and lands on the case
    client.logout()
    url = reverse("invitation-accept", args=[token_for(invitation)])
    assert "heeft u gemachtigd om namens haar te handelen in geschil" in client.get(url).content.decode()
    password = "Gemachtigde-Wachtwoord-2026"
    response = client.post(url, {"first_name": "Anne", "last_name": "Jansen", "password1": password,
                                 "password2": password})
    assert response.status_code == 302 and response["Location"] == reverse("portal:dispute", args=[case.pk])
    page = client.get(response["Location"]).content.decode()
    assert "gemachtigde namens Rijnhart Wonen" in page
    # a representative cannot appoint another one
    assert client.get(reverse("portal:representatives", args=[case.pk])).status_code == 403


def test_a_refused_machtiging_grants_nothing_and_says_why(client, world, django_capture_on_commit_callbacks):
    case = case_in_state(world, "exchange")
    representation = services.representation_request(dispute=case, actor=world.gem_user, name="B. Bos",
                                                      email="bos@example.org", authorisation=pdf("machtiging")[1])
    assert representation.organisation == world.gemeente
    with django_capture_on_commit_callbacks(execute=True):
        services.representation_check(representation=representation, actor=world.secretary, approve=False,
                                      note="De machtiging is niet ondertekend.")
    representation.refresh_from_db()
    assert representation.status == RepresentationStatus.REFUSED
    assert not Invitation.objects.filter(representation=representation).exists()
    client.force_login(world.gem_user)
    body = client.get(reverse("portal:dispute", args=[case.pk])).content.decode()
    assert "De machtiging is niet ondertekend." in body


@pytest.mark.parametrize("who", ["secretary", "member", "representative"])
def test_ending_a_representation_takes_the_case_away(client, world, who):
    case = case_in_state(world, "exchange")
    user, representation = representative(world, case)
    actor = {"secretary": world.secretary, "member": world.corp_user, "representative": user}[who]
    services.representation_end(representation=representation, actor=actor, reason="Opdracht beëindigd")
    representation.refresh_from_db()
    assert representation.status == RepresentationStatus.ENDED and representation.ended_at is not None
    visibility.forget(user)
    assert not Dispute.objects.visible_to(user).exists()
    client.force_login(user)
    assert client.get(reverse("portal:dispute", args=[case.pk])).status_code == 404
    assert case.events.filter(kind="representation_ended").exists()


def test_the_other_party_cannot_end_it_and_an_open_invitation_stops_working(client, world):
    case = case_in_state(world, "exchange")
    representation = services.representation_request(dispute=case, actor=world.corp_user, name="C. de Boer",
                                                      email="boer@example.org", authorisation=pdf("machtiging")[1])
    services.representation_check(representation=representation, actor=world.secretary, approve=True)
    with pytest.raises(NotPermitted):
        services.representation_end(representation=representation, actor=world.tenant)
    invitation = Invitation.objects.get(representation=representation)
    services.representation_end(representation=representation, actor=world.corp_user)
    response = client.get(reverse("invitation-accept", args=[token_for(invitation)]))
    assert response.status_code == 410


def test_nobody_of_the_case_can_be_a_representative(world):
    case = case_in_state(world, "exchange")
    for email in (world.tenant.email, world.secretary.email):  # the other party's member, and staff
        with pytest.raises(ValidationError) as refused:
            services.representation_request(dispute=case, actor=world.corp_user, name="Iemand", email=email,
                                            authorisation=pdf("machtiging")[1])
        assert "email" in refused.value.message_dict
    # someone who became a member of a party after the approval cannot accept
    representation = services.representation_request(dispute=case, actor=world.corp_user, name="D. Dekker",
                                                      email="dekker@example.org", authorisation=pdf("machtiging")[1])
    services.representation_check(representation=representation, actor=world.secretary, approve=True)
    dekker = member("dekker", world.huurders)
    dekker.email = "dekker@example.org"
    dekker.save()
    with pytest.raises(NotPermitted):
        services.invitation_accept(invitation=Invitation.objects.get(representation=representation), user=dekker)


def test_a_representative_cannot_be_asked_for_twice_nor_after_the_decision(world):
    case = case_in_state(world, "exchange")
    services.representation_request(dispute=case, actor=world.corp_user, name="E. Ernst", email="ernst@example.org",
                                    authorisation=pdf("machtiging")[1])
    with pytest.raises(ValidationError):
        services.representation_request(dispute=case, actor=world.corp_user, name="E. Ernst",
                                        email="ERNST@example.org", authorisation=pdf("machtiging")[1])
    decided = case_in_state(world, "decided")
    from disputes.errors import OperationNotAllowed
    with pytest.raises(OperationNotAllowed):
        services.representation_request(dispute=decided, actor=world.corp_user, name="F. Fransen",
                                        email="fransen@example.org", authorisation=pdf("machtiging")[1])
    assert DisputeEvent.objects.filter(dispute=decided, kind="representation_requested").count() == 0
