"""Change notifications (issue 18, item 5; docs/api.md "Wijzigingen ontvangen (webhooks)"): subscriptions through
the API, the fan-out of audit events to the applications that may hear of them, CloudEvents signed in the
Standard Webhooks way, and the retries with back-off, all against a real HTTP receiver on 127.0.0.1."""

import base64
import hashlib
import hmac
import json
import threading
from datetime import UTC, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from disputes import clock, services, tasks
from disputes.models import Confidentiality, DeliveryStatus, WebhookDelivery, WebhookSubscription
from disputes.services import api as api_service
from disputes.services import webhooks
from tests import factories

from .conftest import ApiClient

SUBSCRIPTIONS = "/api/v1/subscriptions/"


class Receiver:
    """A real HTTP server on 127.0.0.1 that records every request and answers the statuses it is given, in turn
    (then 200)."""

    def __init__(self):
        self.requests = []
        self.statuses = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                receiver.requests.append({"path": self.path, "body": body,
                                          "headers": {k.lower(): v for k, v in self.headers.items()}})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                status, location = status if isinstance(status, tuple) else (status, "")
                self.send_response(status)
                if location:
                    self.send_header("location", location)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WORKFLOW_STRICT = True  # a failing fan-out raises in the tests
    settings.SITE_URL = "https://geschil.example"
    server = Receiver()
    yield server
    server.close()


def subscribe(client: ApiClient, callback_url: str, kinds=None, key: str = "k-1"):
    body = {"callback_url": callback_url} if kinds is None else {"callback_url": callback_url, "kinds": kinds}
    return client.request("post", SUBSCRIPTIONS, data=json.dumps(body), content_type="application/json",
                          HTTP_IDEMPOTENCY_KEY=key)


def expected_signature(secret: str, headers: dict, body: bytes) -> str:
    """The Standard Webhooks signature, computed here independently of disputes/cloudevents.py."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def submitted_case(world, capture):
    """A case filed and submitted through the services, its outbox run after commit."""
    with capture(execute=True):
        return factories.case_in_state(world, "submitted")


# -- subscriptions through the API -----------------------------------------------------------------------------


def test_subscribe_shows_the_secret_once_lists_and_ends(world, application, receiver):
    app, key = application(scopes=["notifications"])
    client = ApiClient(key)
    response = subscribe(client, receiver.url, kinds=["submit", "decide"])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["secret"].startswith("whsec_") and len(base64.b64decode(body["secret"][6:])) == 32
    assert body["callback_url"] == receiver.url and body["kinds"] == ["submit", "decide"]
    assert response["Location"] == f"{SUBSCRIPTIONS}{body['id']}/"
    subscription = WebhookSubscription.objects.get(pk=body["id"])
    assert subscription.application == app and subscription.secret == body["secret"]
    # the same request again with its Idempotency-Key: the same subscription, no second one, no secret
    again = subscribe(client, receiver.url, kinds=["submit", "decide"])
    assert again.status_code == 201 and again.json()["id"] == body["id"] and "secret" not in again.json()
    assert WebhookSubscription.objects.filter(application=app).count() == 1
    # the history names the application's account
    assert subscription.history.get().history_user == app.user

    listed = client.get(SUBSCRIPTIONS).json()["results"]
    assert [s["id"] for s in listed] == [body["id"]] and "secret" not in listed[0]

    assert client.request("delete", f"{SUBSCRIPTIONS}{body['id']}/").status_code == 204
    subscription.refresh_from_db()
    assert subscription.active is False
    assert client.get(SUBSCRIPTIONS).json()["results"] == []
    assert client.request("delete", f"{SUBSCRIPTIONS}{body['id']}/").status_code == 404


def test_another_applications_subscription_is_not_found(world, application, receiver):
    _, key = application(scopes=["notifications"])
    _, other_key = application(scopes=["notifications"])
    made = subscribe(ApiClient(key), receiver.url).json()
    other = ApiClient(other_key)
    assert other.get(SUBSCRIPTIONS).json()["results"] == []
    assert other.request("delete", f"{SUBSCRIPTIONS}{made['id']}/").status_code == 404
    assert WebhookSubscription.objects.get(pk=made["id"]).active


def test_without_the_scope_notifications_403(world, application, receiver):
    _, key = application(scopes=["cases:read"])
    response = subscribe(ApiClient(key), receiver.url)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")
    assert ApiClient(key).get(SUBSCRIPTIONS).status_code == 403
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize("url", [
    "http://example.org/hook",  # not https
    "https://10.1.2.3/hook",  # a private network
    "https://169.254.169.254/latest/meta-data/",  # link-local: a cloud's metadata service
    "https://[fd00::1]/hook",  # IPv6 unique local
    "https://user:secret@example.org/hook",  # credentials in the URL
    "ftp://example.org/hook",
    "https:///nohost",
])
def test_callback_urls_that_could_reach_inside_are_refused(world, application, receiver, url):
    _, key = application(scopes=["notifications"])
    response = subscribe(ApiClient(key), url)
    assert response.status_code == 400, url
    assert "callback_url" in response.json()["errors"]
    assert not WebhookSubscription.objects.exists()


def test_loopback_only_in_debug_or_with_the_setting(settings, world):
    settings.DEBUG = False
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    for url in ("http://127.0.0.1:8080/hook", "https://localhost/hook", "https://127.0.0.1/hook"):
        with pytest.raises(ValidationError):
            webhooks.clean_callback_url(url)
    assert webhooks.clean_callback_url("https://ministerie.example/hook") == "https://ministerie.example/hook"
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    assert webhooks.clean_callback_url("http://127.0.0.1:8080/hook")
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    settings.DEBUG = True
    assert webhooks.clean_callback_url("http://localhost:8080/hook")


# -- fan-out and delivery ---------------------------------------------------------------------------------------


def test_an_event_is_delivered_as_a_signed_cloudevent(world, application, receiver,
                                                      django_capture_on_commit_callbacks):
    _, key = application(scopes=["notifications", "cases:read"])
    secret = subscribe(ApiClient(key), receiver.url, kinds=["submit"]).json()["secret"]
    case = submitted_case(world, django_capture_on_commit_callbacks)

    assert len(receiver.requests) == 1  # the draft's events (drafted, document_added) went nowhere
    request = receiver.requests[0]
    headers, body = request["headers"], request["body"]
    assert request["path"] == "/hook"
    assert headers["content-type"] == "application/cloudevents+json"
    assert headers["webhook-signature"] == expected_signature(secret, headers, body)
    event = json.loads(body)
    delivery = WebhookDelivery.objects.get()
    submit = case.events.get(kind="submit")
    assert headers["webhook-id"] == event["id"] == str(delivery.pk)
    assert int(headers["webhook-timestamp"]) == int(clock.now().timestamp())
    assert event["specversion"] == "1.0"
    assert event["source"] == "https://geschil.example/api/v1"
    assert event["type"] == "nl.prestatieafspraken.geschil.submit"
    assert event["subject"] == str(case.pk)
    assert event["time"] == submit.at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    assert event["datacontenttype"] == "application/json"
    assert event["data"] == {
        "case": {"id": str(case.pk), "number": case.case_number, "kind": "totstandkoming",
                 "url": f"https://geschil.example/api/v1/cases/{case.pk}/"},
        "event": {"id": submit.pk, "kind": "submit", "from_state": "draft", "to_state": "submitted",
                  "at": event["time"]},
        "state": case.state,
    }
    # no personal data: nobody's name, account or e-mail address
    text = body.decode()
    for person in (world.tenant, world.secretary):
        for value in (person.username, person.email, person.get_full_name()):
            assert not value or value not in text
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1
    assert delivery.last_status_code == 200 and delivery.delivered_at == clock.now()
    assert delivery.event == submit and delivery.next_attempt_at is None


def test_a_500_is_tried_again_with_back_off_then_given_up(world, application, receiver,
                                                          django_capture_on_commit_callbacks):
    _, key = application(scopes=["notifications"])
    subscribe(ApiClient(key), receiver.url, kinds=["submit"])
    receiver.statuses = [500] * 10
    submitted_case(world, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    first = clock.now()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert delivery.last_error == "HTTP 500" and delivery.next_attempt_at == first + timedelta(minutes=1)

    waits = [timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=12)]
    moment = first
    # not due yet: the periodic task sends nothing
    clock.set_now(first + timedelta(seconds=59))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.retry_webhooks() == 0
    assert len(receiver.requests) == 1
    for attempt, wait in enumerate(waits, start=2):
        moment = WebhookDelivery.objects.get().next_attempt_at
        clock.set_now(moment)
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.retry_webhooks() == 1
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempts) == ("pending", attempt)
        assert delivery.next_attempt_at == moment + wait
    clock.set_now(delivery.next_attempt_at)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.retry_webhooks() == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 6, None)
    assert len(receiver.requests) == 6
    # every attempt is the same message: the same webhook-id, so the receiver can drop a repeat
    assert {r["headers"]["webhook-id"] for r in receiver.requests} == {str(delivery.pk)}
    clock.set_now(moment + timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.retry_webhooks() == 0


def test_a_retry_after_a_500_delivers(world, application, receiver, django_capture_on_commit_callbacks):
    _, key = application(scopes=["notifications"])
    secret = subscribe(ApiClient(key), receiver.url, kinds=["submit"]).json()["secret"]
    receiver.statuses = [500]
    submitted_case(world, django_capture_on_commit_callbacks)
    clock.set_now(WebhookDelivery.objects.get().next_attempt_at)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.retry_webhooks()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code, delivery.last_error) == (
        "delivered", 2, 200, "")
    second = receiver.requests[1]
    assert second["headers"]["webhook-signature"] == expected_signature(secret, second["headers"], second["body"])
    assert json.loads(second["body"])["id"] == str(delivery.pk)


def test_only_applications_that_may_see_the_case_and_event_hear_of_it(world, application, receiver,
                                                                      django_capture_on_commit_callbacks):
    wanted = {}
    for name, kwargs in {
        "alle": {},
        "nakoming": {"kinds": ["nakoming"]},  # another kind of dispute: the case is not its to see
        "commissie": {"max_confidentiality": Confidentiality.COMMISSION},
        "intern": {"max_confidentiality": Confidentiality.INTERNAL},
        "ingetrokken": {},
        "zonder-recht": {},
    }.items():
        app, key = application(scopes=["notifications"], name=name, **kwargs)
        subscribe(ApiClient(key), f"{receiver.url}/{name}", kinds=["submit", "reminder"])
        wanted[name] = app
    # the scope taken away after subscribing, and an application revoked: nothing for either
    services_app = wanted["zonder-recht"]
    services_app.scopes = ["cases:read"]
    services_app.save(update_fields=["scopes"])
    api_service.application_revoke(actor=world.secretary, application=wanted["ingetrokken"])

    case = submitted_case(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.record(case, actor=world.secretary, kind="reminder", visibility=Confidentiality.COMMISSION)
    heard = sorted((r["path"].rsplit("/", 1)[1], json.loads(r["body"])["type"].rsplit(".", 1)[1])
                   for r in receiver.requests)
    assert heard == [("alle", "submit"), ("commissie", "reminder"), ("commissie", "submit"),
                     ("intern", "reminder"), ("intern", "submit")]
    assert WebhookDelivery.objects.count() == 5


def test_a_draft_and_an_unwanted_kind_make_no_delivery_and_no_subscription_costs_one_query(
        world, application, receiver, django_capture_on_commit_callbacks, django_assert_num_queries):
    _, key = application(scopes=["notifications"])
    with django_capture_on_commit_callbacks(execute=True):
        clock.set_now(factories.moment("2017-01-16 10:00"))
        draft = world.file()
    assert draft.events.exists() and not WebhookDelivery.objects.exists()
    event = draft.events.first()
    with django_assert_num_queries(0):  # a draft: not even a query
        webhooks.fan_out(None, dispute=draft, event=event)
    case = submitted_case(world, django_capture_on_commit_callbacks)
    submit = case.events.get(kind="submit")
    with django_assert_num_queries(1):  # nobody subscribed: one query
        webhooks.fan_out(None, dispute=case, event=submit)
    subscribe(ApiClient(key), receiver.url, kinds=["decide"])
    with django_assert_num_queries(1):  # subscribed to other kinds: still one query, nothing written
        webhooks.fan_out(None, dispute=case, event=submit)
    assert not WebhookDelivery.objects.exists() and receiver.requests == []


def test_a_revoked_application_gets_no_retry(world, application, receiver, django_capture_on_commit_callbacks):
    app, key = application(scopes=["notifications"])
    subscribe(ApiClient(key), receiver.url, kinds=["submit"])
    receiver.statuses = [503]
    submitted_case(world, django_capture_on_commit_callbacks)
    api_service.application_revoke(actor=world.secretary, application=app)
    clock.set_now(clock.now() + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.retry_webhooks()
        tasks.deliver_webhook(delivery_id=str(WebhookDelivery.objects.get().pk))  # even when asked directly
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and len(receiver.requests) == 1


def test_a_removed_subscription_gives_up_its_pending_deliveries(world, application, receiver,
                                                                django_capture_on_commit_callbacks):
    _, key = application(scopes=["notifications"])
    made = subscribe(ApiClient(key), receiver.url, kinds=["submit"]).json()
    receiver.statuses = [500]
    submitted_case(world, django_capture_on_commit_callbacks)
    assert ApiClient(key).request("delete", f"{SUBSCRIPTIONS}{made['id']}/").status_code == 204
    clock.set_now(clock.now() + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.retry_webhooks() == 0
    assert WebhookDelivery.objects.get().status == DeliveryStatus.FAILED and len(receiver.requests) == 1


def test_delivery_to_loopback_is_refused_without_the_setting(settings, world, application, receiver,
                                                             django_capture_on_commit_callbacks):
    _, key = application(scopes=["notifications"])
    subscribe(ApiClient(key), receiver.url, kinds=["submit"])
    settings.WEBHOOK_ALLOW_LOOPBACK = False  # e.g. production after a subscription made in debug mode
    settings.DEBUG = False
    submitted_case(world, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert receiver.requests == []
    assert delivery.status == "pending" and delivery.attempts == 1 and delivery.last_status_code is None
    assert "127.0.0.1" in delivery.last_error and "not a public address" in delivery.last_error


def test_a_redirect_is_not_followed(world, application, receiver, django_capture_on_commit_callbacks):
    _, key = application(scopes=["notifications"])
    subscribe(ApiClient(key), receiver.url, kinds=["submit"])
    receiver.statuses = [(307, "/elsewhere")]
    submitted_case(world, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert [r["path"] for r in receiver.requests] == ["/hook"]  # never /elsewhere
    assert delivery.last_status_code == 307 and delivery.status == "pending"


def test_the_retry_task_is_registered_with_beat(db):
    import io

    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    call_command("setup_periodic_tasks", stdout=io.StringIO())
    task = PeriodicTask.objects.get(task="disputes.tasks.retry_webhooks")
    assert task.enabled and task.interval.every == 1
