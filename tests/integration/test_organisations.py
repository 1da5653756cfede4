"""The secretariat's party organisations (issue 15, docs/accounts.md "Organisaties en leden"): made and changed
through services with their checks (a unique name, a KvK number of 8 digits that no other organisation has), the
pages under /werk/organisaties/ for the secretariat only, members ended after a confirmation, invitations revoked,
"Toegang" saying who sees which case and why; every change in the history."""

import pytest
from django.core.exceptions import ValidationError

from disputes import services
from disputes.errors import NotPermitted
from disputes.models import Invitation, Membership, Organisation
from tests.factories import OrganisationFactory, case_in_state

pytestmark = pytest.mark.django_db


def test_the_secretary_makes_an_organisation(world):
    made = services.organisation_create(actor=world.secretary, kind="woningcorporatie", name="  Woonzorg   Noord ",
                                        kvk_number="12345678", email="info@woonzorg.example",
                                        postal_address="Postbus 1\n1000 AA Amsterdam", province="noord_holland")
    assert made.name == "Woonzorg Noord" and made.kvk_number == "12345678"
    history = made.history.get()
    assert history.history_type == "+" and history.history_user is None  # no request here: a service call


@pytest.mark.parametrize("who", ["chair", "commission_member", "official", "corp_user"])
def test_only_the_secretariat_makes_or_changes_organisations(world, who):
    actor = getattr(world, who)
    with pytest.raises(NotPermitted):
        services.organisation_create(actor=actor, kind="gemeente", name="Gemeente Nergens")
    with pytest.raises(NotPermitted):
        services.organisation_update(actor=actor, organisation=world.gemeente, name="Anders")
    assert not Organisation.objects.filter(name__in=["Gemeente Nergens", "Anders"]).exists()


def test_name_and_kvk_number_are_checked(world):
    services.organisation_create(actor=world.secretary, kind="gemeente", name="Gemeente Oegstgeest",
                                 kvk_number="11112222")
    with pytest.raises(ValidationError) as same_name:
        services.organisation_create(actor=world.secretary, kind="gemeente", name="gemeente OEGSTGEEST")
    assert list(same_name.value.message_dict) == ["name"]
    with pytest.raises(ValidationError) as same_kvk:
        services.organisation_create(actor=world.secretary, kind="gemeente", name="Gemeente Katwijk",
                                     kvk_number="11112222")
    assert list(same_kvk.value.message_dict) == ["kvk_number"]
    for wrong in ("1234567", "123456789", "1234567a"):
        with pytest.raises(ValidationError) as bad:
            services.organisation_create(actor=world.secretary, kind="gemeente", name="Gemeente Katwijk",
                                         kvk_number=wrong)
        assert "kvk_number" in bad.value.message_dict
    with pytest.raises(ValidationError) as kind:
        services.organisation_create(actor=world.secretary, kind="vereniging", name="Gemeente Katwijk")
    assert "kind" in kind.value.message_dict
    # changing an organisation keeps its own name and number
    other = services.organisation_update(actor=world.secretary, organisation=world.gemeente, kvk_number="33334444")
    assert services.organisation_update(actor=world.secretary, organisation=other, name=other.name).kvk_number == \
        "33334444"
    with pytest.raises(ValidationError):
        services.organisation_update(actor=world.secretary, organisation=world.corporatie, kvk_number="33334444")


def test_ending_a_membership(world):
    membership = Membership.objects.get(user=world.corp_user, organisation=world.corporatie)
    with pytest.raises(NotPermitted):
        services.membership_end(actor=world.official, membership=membership)
    services.membership_end(actor=world.secretary, membership=membership)
    membership.refresh_from_db()
    assert membership.ended_at is not None
    with pytest.raises(ValidationError):
        services.membership_end(actor=world.secretary, membership=membership)
    assert membership.history.count() == 2


# -- the pages ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who, status", [("chair", 403), ("official", 403), ("commission_member", 403),
                                         ("corp_user", 403), ("tenant", 403)])
def test_the_pages_are_for_the_secretariat(world, client, who, status):
    client.force_login(getattr(world, who))
    for url in ("/werk/organisaties/", "/werk/organisaties/nieuw/", f"/werk/organisaties/{world.corporatie.pk}/",
                f"/werk/organisaties/{world.corporatie.pk}/uitnodigen/"):
        assert client.get(url).status_code == status, url
    assert client.post("/werk/organisaties/nieuw/", {"kind": "gemeente", "name": "X"}).status_code == status
    assert not Organisation.objects.filter(name="X").exists()


def test_the_menu_links_to_the_organisations_for_the_secretariat_only(world, client):
    client.force_login(world.secretary)
    assert 'href="/werk/organisaties/"' in client.get("/werk/").content.decode()
    client.force_login(world.chair)
    assert 'href="/werk/organisaties/"' not in client.get("/werk/").content.decode()


def test_the_list_filters_and_pages(world, client):
    for n in range(55):
        OrganisationFactory(name=f"Bewonerscommissie {n:02d}", kind="bewonerscommissie")
    client.force_login(world.secretary)
    page = client.get("/werk/organisaties/").content.decode()
    assert "59 organisaties" in page and "Pagina 1 van 2" in page
    assert "Rijnhart Wonen" in client.get("/werk/organisaties/?pagina=2").content.decode()
    kind = client.get("/werk/organisaties/?soort=woningcorporatie").content.decode()
    assert "2 organisaties" in kind and "Rijnhart Wonen" in kind and "Bewonerscommissie" not in kind.split("<tbody>")[1]
    name = client.get("/werk/organisaties/?naam=rijnhart").content.decode()
    assert "1 organisatie" in name and "Rijnhart Wonen" in name


def test_make_and_change_an_organisation_through_the_form(world, client):
    client.force_login(world.secretary)
    form = {"kind": "woningcorporatie", "name": "De Sleutels", "kvk_number": "87654321", "email": "info@sleutels.nl",
            "province": "zuid_holland", "postal_address": "Postbus 2"}
    answer = client.post("/werk/organisaties/nieuw/", form)
    made = Organisation.objects.get(name="De Sleutels")
    assert answer.status_code == 302 and answer["Location"] == f"/werk/organisaties/{made.pk}/"
    assert made.history.get().history_user == world.secretary  # the request's user, through the middleware
    again = client.post("/werk/organisaties/nieuw/", {**form, "name": "de sleutels", "kvk_number": "1234"})
    assert again.status_code == 400
    text = again.content.decode()
    assert "Er is al een organisatie met deze naam." in text and "8 cijfers" in text
    answer = client.post(f"/werk/organisaties/{made.pk}/wijzigen/", {**form, "email": "post@sleutels.nl"})
    assert answer.status_code == 302
    made.refresh_from_db()
    assert made.email == "post@sleutels.nl" and made.history.count() == 2


def test_the_detail_page_shows_members_invitations_and_access(world, client, at):
    case = case_in_state(world, "exchange")
    ended = Membership.objects.create(user=world.outsider, organisation=world.corporatie)
    services.membership_end(actor=world.secretary, membership=ended)
    open_ = services.invitation_send(actor=world.secretary, organisation=world.corporatie, email="open@r.nl")
    revoked = services.invitation_send(actor=world.secretary, organisation=world.corporatie, email="weg@r.nl")
    services.invitation_revoke(actor=world.secretary, invitation=revoked)
    client.force_login(world.secretary)
    page = client.get(f"/werk/organisaties/{world.corporatie.pk}/").content.decode()
    members = page.split('id="members-title"')[1].split("</section>")[0]
    assert "Actieve leden" in members and "bert" in members
    active, ended_rows = members.split("Beëindigde lidmaatschappen</caption>")
    assert "bert" in active and "olaf" not in active and "olaf" in ended_rows
    invitations = page.split('id="invitations-title"')[1].split("</section>")[0]
    assert "open@r.nl" in invitations and "weg@r.nl" in invitations and "ingetrokken" in invitations
    assert f"/uitnodigingen/{open_.pk}/intrekken/" in invitations
    assert f"/uitnodigingen/{revoked.pk}/intrekken/" not in invitations
    access = page.split('id="access-title"')[1].split("</section>")[0]
    assert case.case_number in access and "Verweerder" in access


def test_ending_a_membership_asks_first(world, client):
    membership = Membership.objects.get(user=world.corp_user, organisation=world.corporatie)
    client.force_login(world.secretary)
    url = f"/werk/organisaties/{world.corporatie.pk}/leden/{membership.pk}/beeindigen/"
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Weet u zeker" in confirm.content.decode()
    membership.refresh_from_db()
    assert membership.ended_at is None
    answer = client.post(url)
    assert answer.status_code == 302
    membership.refresh_from_db()
    assert membership.ended_at is not None
    assert membership.history.latest("history_date").history_user == world.secretary
    # a membership of another organisation is not found under this one
    other = Membership.objects.get(user=world.gem_user)
    assert client.get(f"/werk/organisaties/{world.corporatie.pk}/leden/{other.pk}/beeindigen/").status_code == 404


def test_invite_and_revoke_through_the_pages(world, client, django_capture_on_commit_callbacks, mailoutbox):
    client.force_login(world.secretary)
    url = f"/werk/organisaties/{world.corporatie.pk}/uitnodigen/"
    assert client.post(url, {"email": "geen-adres"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"email": "karin@rijnhart.example", "name": "Karin"})
    assert answer.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.invited_by == world.secretary and len(mailoutbox) == 1
    revoke = f"/werk/organisaties/{world.corporatie.pk}/uitnodigingen/{invitation.pk}/intrekken/"
    assert client.get(revoke).status_code == 405
    assert client.post(revoke).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert invitation.history.latest("history_date").history_user == world.secretary
