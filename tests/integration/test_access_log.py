"""The security access log (``AccessLogEntry``, docs/audit.md): log-ins, log-outs, refusals and
confidential downloads are recorded with actor, action, object, result, origin and UTC time, and
never with a password, a code or a query string. The log is append-only, in the ORM and on
PostgreSQL in the database.
"""

import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from disputes import access_log, permissions, services
from disputes.errors import ImmutableRecord
from disputes.models import AccessAction, AccessLogEntry, Organisation
from tests.factories import UserFactory, case_in_state, pdf

pytestmark = pytest.mark.django_db

PASSWORD = "Zeer-geheim-wachtwoord-2026"
TOKEN = "tok3n-uit-de-querystring"
IP = "203.0.113.9"
AGENT = "Mozilla/5.0 (X11; Linux x86_64) Testbrowser/1.0"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def entries(action=None):
    rows = AccessLogEntry.objects.order_by("pk")
    return list(rows.filter(action=action) if action else rows)


def stored_text() -> str:
    """Every stored value of every entry, as one string to search for secrets."""
    return "\n".join(
        " ".join(str(value) for value in row.values()) for row in AccessLogEntry.objects.values()
    )


def log_in(client, username, password, ip=IP):
    return client.post(f"{reverse('login')}?next=/portaal/%3Ftoken%3D{TOKEN}",
                       {"username": username, "password": password}, REMOTE_ADDR=ip, HTTP_USER_AGENT=AGENT)


# -- log-in, log-out, second factor ---------------------------------------------------------------


def test_a_successful_log_in_is_recorded_with_actor_origin_and_utc_time(client, world):
    world.tenant.set_password(PASSWORD)
    world.tenant.save()
    assert log_in(client, "anna", PASSWORD).status_code == 302
    [entry] = entries()
    assert (entry.action, entry.result, entry.actor, entry.username) == ("login", "allowed", world.tenant, "anna")
    assert (entry.origin, entry.user_agent, entry.object, entry.status_code) == (IP, AGENT, reverse("login"), 302)
    assert entry.at.utcoffset() == timedelta(0) and abs(timezone.now() - entry.at) < timedelta(minutes=5)
    assert PASSWORD not in stored_text() and TOKEN not in stored_text()


def test_a_failed_log_in_records_the_typed_name_but_never_the_password(client, world):
    world.tenant.set_password(PASSWORD)
    world.tenant.save()
    wrong = PASSWORD + "-fout"
    assert log_in(client, "anna", wrong).status_code == 200
    [entry] = entries()
    assert (entry.action, entry.result, entry.actor, entry.username, entry.origin) == (
        "login_failed", "denied", None, "anna", IP)
    assert wrong not in stored_text() and PASSWORD not in stored_text() and TOKEN not in stored_text()


def test_a_locked_log_in_is_recorded_once_as_locked(client, world, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(client, "anna", "fout")
    assert log_in(client, "anna", PASSWORD).status_code == 429
    assert [e.action for e in entries()] == ["login_failed"] * settings.LOGIN_FAILURE_LIMIT + ["login_locked"]
    locked = entries("login_locked")[0]
    assert (locked.result, locked.status_code, locked.username) == ("denied", 429, "anna")
    assert not entries("rate_limited")  # the middleware does not record the same refusal again
    assert PASSWORD not in stored_text()


def test_a_log_out_is_recorded(client, world):
    client.force_login(world.tenant)
    assert client.post(reverse("logout"), REMOTE_ADDR=IP).status_code == 302
    [entry] = entries()
    assert (entry.action, entry.result, entry.actor, entry.origin) == ("logout", "allowed", world.tenant, IP)


def test_a_failed_second_factor_is_recorded_without_the_code(client, world, settings):
    settings.STAFF_TWO_FACTOR = True
    TOTPDevice.objects.create(user=world.official, name="app", confirmed=True)
    client.force_login(world.official)
    response = client.post(reverse("two-factor-verify"), {"token": "98765432"}, REMOTE_ADDR=IP)
    assert response.status_code == 200 and "klopt niet" in response.content.decode()
    [entry] = entries()
    assert (entry.action, entry.result, entry.actor, entry.object) == (
        "second_factor_failed", "denied", world.official, reverse("two-factor-verify"))
    assert "98765432" not in stored_text()


# -- refusals recorded by the middleware -----------------------------------------------------------


def test_another_partys_case_is_a_404_recorded_by_path_only(client, world):
    case = case_in_state(world, "submitted")
    client.force_login(world.outsider)
    url = reverse("portal:dispute", args=[case.pk])
    assert client.get(f"{url}?token={TOKEN}", REMOTE_ADDR=IP).status_code == 404
    [entry] = entries()
    assert (entry.action, entry.result, entry.actor, entry.object, entry.status_code, entry.origin) == (
        "not_found", "denied", world.outsider, url, 404, IP)
    assert TOKEN not in stored_text()
    # a case that does not exist is recorded exactly alike: the log reveals no more than the 404
    missing = reverse("portal:dispute", args=[uuid.uuid4()])
    assert client.get(missing).status_code == 404
    assert entries("not_found")[1].object == missing


def test_a_staff_action_by_a_party_is_a_403_and_recorded(client, world):
    case = case_in_state(world, "exchange")
    client.force_login(world.tenant)
    url = reverse("workflow:case-action", args=[case.pk, "verlengen"])
    assert client.get(url, REMOTE_ADDR=IP).status_code == 403
    [entry] = entries()
    assert (entry.action, entry.result, entry.actor, entry.object, entry.status_code) == (
        "access_denied", "denied", world.tenant, url, 403)


def test_a_404_outside_the_case_areas_and_static_files_are_not_recorded(client, world):
    client.force_login(world.tenant)
    assert client.get("/wp-admin/setup.php").status_code == 404
    assert client.get("/static/bestaat-niet.css").status_code == 404
    assert client.get("/favicon.ico").status_code == 404
    assert entries() == []
    assert client.get(f"/werk/geschillen/{uuid.uuid4()}/").status_code in (403, 404)
    assert len(entries()) == 1  # the same kind of request on a case address is


def test_the_upload_brake_is_recorded_as_rate_limited(client, world, settings):
    settings.UPLOAD_RATE_LIMIT = 0
    client.force_login(world.tenant)
    assert client.post(reverse("portal:new"), {"file": pdf()[1]}).status_code == 429
    [entry] = entries()
    assert (entry.action, entry.actor, entry.status_code) == ("rate_limited", world.tenant, 429)


# -- confidential downloads ------------------------------------------------------------------------


def test_a_confidential_download_by_staff_is_recorded_and_a_parties_document_is_not(client, world):
    case = case_in_state(world, "exchange")
    note = services.document_upload(dispute=case, actor=world.secretary, uploaded=pdf("overig")[1],
                                    doc_type="overig", confidentiality="commission")
    public = case.documents.filter(confidentiality="parties").first()
    client.force_login(world.secretary)
    assert client.get(reverse("portal:document-download", args=[case.pk, public.pk])).status_code == 200
    assert entries() == []
    response = client.get(reverse("portal:document-download", args=[case.pk, note.pk]), REMOTE_ADDR=IP)
    assert response.status_code == 200
    [entry] = entries()
    assert (entry.action, entry.result, entry.actor, entry.origin) == (
        "confidential_download", "allowed", world.secretary, IP)
    assert str(note.pk) in entry.object and "commission" in entry.object


def test_query_strings_and_control_characters_never_reach_the_log(rf, world):
    request = rf.get(f"/portaal/geschillen/?token={TOKEN}", HTTP_USER_AGENT="agent\r\nforged: line")
    request.user = world.tenant
    assert access_log.safe_path(request) == "/portaal/geschillen/"
    entry = access_log.record_access(request, "not_found", result="denied", object=request.get_full_path(),
                                     username="anna\nforged")
    assert (entry.object, entry.username, entry.user_agent) == (
        "/portaal/geschillen/", "annaforged", "agentforged: line")
    assert TOKEN not in stored_text()


# -- never in the way of the request, never lost with it -------------------------------------------


def test_a_failing_log_write_does_not_break_the_request(client, world, monkeypatch, caplog):
    def broken(self, *args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(AccessLogEntry, "save", broken)
    world.tenant.set_password(PASSWORD)
    world.tenant.save()
    assert log_in(client, "anna", PASSWORD).status_code == 302
    assert "access log entry not written" in caplog.text
    assert PASSWORD not in caplog.text


def test_a_failing_log_write_leaves_the_callers_transaction_usable(rf, world, monkeypatch):
    """The entry is written in its own savepoint: a database error there (here: no time, which the
    NOT NULL column refuses) rolls back only the savepoint, not the caller's work."""
    monkeypatch.setattr(access_log, "timezone", SimpleNamespace(now=lambda: None))
    request = rf.get("/portaal/")
    request.user = world.tenant
    with transaction.atomic():
        assert access_log.record_access(request, "not_found", result="denied") is None
        Organisation.objects.create(name="Na de mislukte logregel", kind="gemeente")
    assert Organisation.objects.filter(name="Na de mislukte logregel").exists()
    assert entries() == []


@pytest.mark.django_db(transaction=True)
def test_the_entry_survives_a_request_whose_transaction_is_rolled_back(client, world, monkeypatch):
    """With ATOMIC_REQUESTS on, a view that writes and then answers 404 is rolled back; the access
    log entry, written by the middleware after the view, stays."""
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)
    case = case_in_state(world, "submitted")
    original = permissions.get_dispute_for_user_or_404
    seen = {}

    def writing_then_refusing(user, **lookup):
        seen["atomic"] = connection.in_atomic_block
        Organisation.objects.create(name="Weggerold", kind="gemeente")
        return original(user, **lookup)

    monkeypatch.setattr(permissions, "get_dispute_for_user_or_404", writing_then_refusing)
    client.force_login(world.outsider)
    assert client.get(reverse("portal:dispute", args=[case.pk])).status_code == 404
    assert seen["atomic"] is True  # the view did run in the request's transaction
    assert not Organisation.objects.filter(name="Weggerold").exists()  # which was rolled back
    assert [e.action for e in entries()] == ["not_found"]


# -- append-only -----------------------------------------------------------------------------------


def test_the_orm_refuses_to_change_or_delete_entries(rf, world):
    request = rf.get("/portaal/")
    request.user = world.tenant
    entry = access_log.record_access(request, "not_found", result="denied", object="/portaal/")
    assert entry is not None and entry.pk
    entry.result = "allowed"
    with pytest.raises(ImmutableRecord):
        entry.save()
    with pytest.raises(ImmutableRecord):
        entry.delete()
    with pytest.raises(ImmutableRecord):
        AccessLogEntry.objects.filter(pk=entry.pk).update(result="allowed")
    with pytest.raises(ImmutableRecord):
        AccessLogEntry.objects.all().delete()
    entry.refresh_from_db()
    assert entry.result == "denied"


def test_the_admin_shows_the_log_read_only(client, world):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    request = SimpleNamespace(META={"REMOTE_ADDR": IP}, path="/portaal/", user=world.tenant)
    entry = access_log.record_access(request, "not_found", result="denied", object="/portaal/x/")
    client.force_login(root)
    changelist = client.get(reverse("admin:disputes_accesslogentry_changelist"))
    assert changelist.status_code == 200 and "/portaal/x/" in changelist.content.decode()
    assert client.get(reverse("admin:disputes_accesslogentry_add")).status_code == 403
    assert client.get(reverse("admin:disputes_accesslogentry_delete", args=[entry.pk])).status_code == 403
    change = reverse("admin:disputes_accesslogentry_change", args=[entry.pk])
    assert client.post(change, {"result": "allowed"}).status_code == 403
    assert AccessLogEntry.objects.get(pk=entry.pk).result == "denied"


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger only exists on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_to_update_or_delete_entries(rf, world, as_table_owner):
    request = rf.get("/portaal/")
    request.user = world.tenant
    entry = access_log.record_access(request, "not_found", result="denied", object="/portaal/")
    with as_table_owner():  # the trigger binds even the owner; the application's role lacks the privilege
        for sql in ("UPDATE disputes_accesslogentry SET result = 'allowed' WHERE id = %s",
                    "DELETE FROM disputes_accesslogentry WHERE id = %s"):
            with pytest.raises(Exception, match="append-only"):
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(sql, [entry.pk])
    assert AccessLogEntry.objects.filter(pk=entry.pk, result="denied").exists()


# -- documentation ---------------------------------------------------------------------------------


def test_the_glossary_and_audit_doc_name_every_action():
    from pathlib import Path

    from django.conf import settings

    docs = Path(settings.BASE_DIR) / "docs"
    glossary = (docs / "glossary.md").read_text(encoding="utf-8")
    audit = (docs / "audit.md").read_text(encoding="utf-8")
    assert "`AccessLogEntry`" in glossary
    for action in AccessAction.values:
        assert f"`{action}`" in glossary, action
        assert f"`{action}`" in audit, action


# -- the client's address behind proxies --------------------------------------------------------------


@pytest.mark.parametrize(("proxies", "forwarded", "expected"), [
    (0, "198.51.100.7", "127.0.0.1"),  # no trusted proxy: the header is the client's own words, ignored
    (1, "198.51.100.7", "198.51.100.7"),  # nginx appended the address it saw
    (1, "10.6.6.6, 198.51.100.7", "198.51.100.7"),  # a client cannot put itself in front
    (2, "198.51.100.7, 10.0.0.2", "198.51.100.7"),  # load balancer, then nginx
    (2, "10.0.0.2", "127.0.0.1"),  # shorter than the proxy chain: not trusted
])
def test_the_origin_behind_trusted_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = SimpleNamespace(META={"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": forwarded})
    assert access_log.client_ip(request) == expected


def test_behind_nginx_the_log_in_brake_locks_the_guesser_not_everyone(client, world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    world.tenant.set_password(PASSWORD)
    world.tenant.save()
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": f"raden{attempt}", "password": "fout"},
                    REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.66")
    locked = client.post(reverse("login"), {"username": "anna", "password": PASSWORD},
                         REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert locked.status_code == 429
    other = client.post(reverse("login"), {"username": "anna", "password": PASSWORD},
                        REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert other.status_code == 302
    assert entries(AccessAction.LOGIN)[-1].origin == "192.0.2.10"
