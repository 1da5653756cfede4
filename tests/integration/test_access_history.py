"""Who may see what has a history: memberships, organisations and commission seats (docs/audit.md).

A change made through a request (here: the admin, as a superuser) leaves a history row with the user who
made it, the time and the request it came through; the history is read-only in the admin and, on
PostgreSQL, append-only for the application's database role.
"""

import os
import sys

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from django.utils import timezone

from disputes.errors import ImmutableRecord
from disputes.models import Membership, Organisation, OrganisationKind, StaffRole
from tests.factories import OrganisationFactory, UserFactory

User = get_user_model()


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("beheerder", "beheer@example.nl", "een-lang-wachtwoord-1")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def _admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def _organisation_form(organisation, *, name=None, keep=(), add=(), delete=()):
    """The admin's change form of an organisation with its members inline, as a browser sends it."""
    existing = list(organisation.memberships.order_by("pk"))
    data = {
        "name": name or organisation.name,
        "kind": organisation.kind,
        "email": organisation.email,
        "memberships-TOTAL_FORMS": str(len(existing) + len(add)),
        "memberships-INITIAL_FORMS": str(len(existing)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, membership in enumerate(existing):
        data[f"memberships-{i}-id"] = str(membership.pk)
        data[f"memberships-{i}-organisation"] = str(organisation.pk)
        data[f"memberships-{i}-user"] = str(membership.user_id)
        if membership.user in delete:
            data[f"memberships-{i}-DELETE"] = "on"
    for j, user in enumerate(add, start=len(existing)):
        data[f"memberships-{j}-organisation"] = str(organisation.pk)
        data[f"memberships-{j}-user"] = str(user.pk)
    return data


def _user_form(user, groups):
    """Django's own user change form in the admin, with the groups ticked."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined_0": timezone.localtime(user.date_joined).strftime("%d-%m-%Y"),
        "date_joined_1": timezone.localtime(user.date_joined).strftime("%H:%M:%S"),
        "groups": [str(g.pk) for g in groups],
    }
    if user.is_active:
        data["is_active"] = "on"
    if user.is_staff:
        data["is_staff"] = "on"
    return data


def _post(client, url, data):
    before = timezone.now()
    response = client.post(url, data)
    after = timezone.now()
    assert response.status_code == 302, response.context and [
        f.errors for f in [response.context["adminform"].form]
    ]
    return before, after


def _assert_who_and_when(row, user, before, after):
    assert row.history_user == user
    assert before <= row.history_date <= after
    assert row.history_via.startswith("POST /beheer/")


def test_renaming_an_organisation_leaves_a_history_row_with_who_and_when(admin_client, superuser):
    organisation = OrganisationFactory(name="Huurdersvereniging Oud", kind=OrganisationKind.HUURDERSORGANISATIE)
    url = _admin_url(Organisation, "change", organisation.pk)

    before, after = _post(admin_client, url, _organisation_form(organisation, name="Huurdersvereniging Nieuw"))

    row = Organisation.history.filter(id=organisation.pk).latest()
    assert (row.history_type, row.name) == ("~", "Huurdersvereniging Nieuw")
    assert row.prev_record is None or row.prev_record.name == "Huurdersvereniging Oud"
    _assert_who_and_when(row, superuser, before, after)


def test_adding_and_removing_a_membership_each_leave_a_history_row_with_who_and_when(admin_client, superuser):
    organisation = OrganisationFactory(kind=OrganisationKind.WONINGCORPORATIE)
    party_user = UserFactory(username="corporatie-medewerker")
    url = _admin_url(Organisation, "change", organisation.pk)

    before, after = _post(admin_client, url, _organisation_form(organisation, add=[party_user]))
    membership = Membership.objects.get(user=party_user, organisation=organisation)
    added = Membership.history.get(id=membership.pk, history_type="+")
    assert (added.user_id, added.organisation_id) == (party_user.pk, organisation.pk)
    _assert_who_and_when(added, superuser, before, after)

    before, after = _post(admin_client, url, _organisation_form(organisation, delete=[party_user]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    removed = Membership.history.get(id=membership.pk, history_type="-")
    assert (removed.user_id, removed.organisation_id) == (party_user.pk, organisation.pk)
    _assert_who_and_when(removed, superuser, before, after)


def test_giving_and_taking_a_commission_seat_each_leave_a_history_row_with_who_and_when(admin_client, superuser):
    seat = Group.objects.get(name=StaffRole.COMMISSION_MEMBER)
    member = UserFactory(username="commissielid", is_staff=True)
    url = _admin_url(User, "change", member.pk)

    before, after = _post(admin_client, url, _user_form(member, [seat]))
    given = User.history.filter(id=member.pk).latest()
    assert [g.group.name for g in given.groups.all()] == [StaffRole.COMMISSION_MEMBER]
    _assert_who_and_when(given, superuser, before, after)

    before, after = _post(admin_client, url, _user_form(member, []))
    taken = User.history.filter(id=member.pk).latest()
    assert taken.pk != given.pk
    assert list(taken.groups.all()) == []
    _assert_who_and_when(taken, superuser, before, after)
    # the seat held before stays readable in the earlier row, also for staff in the admin
    assert [g.group.name for g in User.history.get(pk=given.pk).groups.all()] == [StaffRole.COMMISSION_MEMBER]
    page = admin_client.get(_admin_url(User.history.model, "changelist"), {"q": "commissielid"})
    assert page.status_code == 200
    assert StaffRole.COMMISSION_MEMBER in page.content.decode() and "beheerder" in page.content.decode()


def test_the_user_history_keeps_no_password_and_no_row_per_log_in(client, db):
    user = UserFactory(username="partij")
    user.set_password("een-lang-wachtwoord-2")
    user.save()
    rows = User.history.filter(id=user.pk).count()
    assert client.login(username="partij", password="een-lang-wachtwoord-2")
    assert User.history.filter(id=user.pk).count() == rows  # last_login alone is not a change of access
    field_names = {f.name for f in User.history.model._meta.get_fields()}
    assert "password" not in field_names and "last_login" not in field_names


def test_a_change_outside_a_request_names_the_command_and_not_its_arguments(db, monkeypatch):
    """A management command has no logged-in user: the row says which command ran it (its arguments may hold a
    password, they are left out)."""
    monkeypatch.setattr(sys, "argv", ["/srv/app/manage.py", "load_demo", "--password", "geheim-wachtwoord"])
    organisation = OrganisationFactory()
    membership = Membership.objects.create(user=UserFactory(), organisation=organisation)

    row = Membership.history.get(id=membership.pk)
    assert row.history_user is None
    assert row.history_via.startswith("manage.py load_demo")
    assert "geheim" not in row.history_via


def test_the_history_is_read_only_in_the_admin_even_for_a_superuser(admin_client, superuser):
    organisation = OrganisationFactory(name="Gemeente Voorbeeld", kind=OrganisationKind.GEMEENTE)
    organisation.name = "Gemeente Voorbeeld-Oost"
    organisation.save()
    history_model = Organisation.history.model
    row = Organisation.history.filter(id=organisation.pk).latest()

    listing = admin_client.get(_admin_url(history_model, "changelist"), {"wijziging": "~"})
    assert listing.status_code == 200 and "Gemeente Voorbeeld-Oost" in listing.content.decode()
    assert admin_client.get(_admin_url(history_model, "change", row.pk)).status_code == 200
    assert admin_client.get(_admin_url(User.history.model, "changelist")).status_code == 200
    assert admin_client.get(_admin_url(Membership.history.model, "changelist")).status_code == 200
    assert admin_client.post(_admin_url(history_model, "delete", row.pk), {"post": "yes"}).status_code == 403
    assert admin_client.post(_admin_url(history_model, "change", row.pk), {"name": "Vervalst"}).status_code == 403
    bulk_delete = {"action": "delete_selected", "_selected_action": [row.pk]}
    assert admin_client.post(_admin_url(history_model, "changelist"), bulk_delete).status_code in (200, 302)
    row.refresh_from_db()
    assert row.name == "Gemeente Voorbeeld-Oost"


def test_the_orm_refuses_to_change_or_delete_history(db):
    organisation = OrganisationFactory()
    row = Organisation.history.filter(id=organisation.pk).latest()
    row.name = "Vervalst"
    with pytest.raises(ImmutableRecord):
        row.save()
    with pytest.raises(ImmutableRecord):
        row.delete()
    with pytest.raises(ImmutableRecord):
        Organisation.history.all().update(name="Vervalst")
    with pytest.raises(ImmutableRecord):
        Organisation.history.model.objects.all().delete()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles and grants only exist on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_the_applications_role_can_only_read_and_append_history():
    """Connected as DATABASE_RUNTIME_ROLE (CI's PostgreSQL stage): no UPDATE, DELETE or TRUNCATE on a history
    table, while the application still appends to it. (test_postgres.py tries more ways on every append-only
    table; this test pins that the history tables are among them.)"""
    from disputes import dbroles

    if not os.environ.get("DATABASE_RUNTIME_ROLE"):
        pytest.skip("the suite is connected as the owner: set DATABASE_RUNTIME_ROLE as scripts/test.sh does")
    organisation = OrganisationFactory()
    Membership.objects.create(user=UserFactory(), organisation=organisation)
    history_tables = {m._meta.db_table for m in (Organisation.history.model, Membership.history.model,
                                                  User.history.model, User.history.model.groups.model)}
    assert history_tables <= set(dbroles.append_only_tables())
    q = connection.ops.quote_name
    for table in sorted(history_tables):
        for statement in (f"UPDATE {q(table)} SET id = id", f"DELETE FROM {q(table)}", f"TRUNCATE {q(table)}"):
            with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(statement)
    assert Organisation.history.filter(id=organisation.pk).count() == 1
    assert Membership.history.filter(organisation_id=organisation.pk).count() == 1
