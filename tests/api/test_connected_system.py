"""A connected system, end to end over real HTTP (issue 18, "done when"): the secretariat registers it on the staff
pages (logged in with password and second factor) and hands over the key shown once; the system then, against the
live server with httpx, subscribes to change notifications, lists the events since a cursor (following ``next``),
downloads a decision, asks for the dossier and follows it until it is done, downloads it, and receives the
signed CloudEvents of its export at a real receiver on 127.0.0.1.
"""

import hashlib
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from disputes import clock, cloudevents
from disputes.models import ApiApplication, DisputeEvent, DossierExport
from tests.factories import case_in_state

PASSWORD = "secretariaat-wachtwoord-2026"


class Receiver:
    """The connected system's own endpoint for CloudEvents: a real HTTP server on 127.0.0.1 that keeps what came."""

    def __init__(self):
        self.received = []
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                received.append({"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/cloudevents"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True  # the receiver is on this machine
    settings.WORKFLOW_STRICT = True
    server = Receiver()
    yield server
    server.close()


def secretary_logged_in(client, world, settings):
    """The secretary through the log-in page and the second step (a TOTP code from the bound app)."""
    settings.STAFF_TWO_FACTOR = True
    world.secretary.set_password(PASSWORD)
    world.secretary.save(update_fields=["password"])
    device = TOTPDevice.objects.create(user=world.secretary, name="app", confirmed=True)
    response = client.post(reverse("login"), {"username": world.secretary.username, "password": PASSWORD})
    assert response.status_code == 302
    assert "tweede-stap" in client.get(reverse("workflow:applications"))["Location"]  # not yet
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post(reverse("two-factor-verify"), {"token": token, "next": "/werk/"}).status_code == 302
    assert client.get(reverse("workflow:applications")).status_code == 200


def register_and_take_the_key(client) -> str:
    """What the secretary does on /werk/applicaties/: register the system, issue a key, copy it from the page."""
    response = client.post(reverse("workflow:application-new"), {
        "name": "Zaaksysteem BZK", "contact": "beheer@bzk.example",
        "scopes": ["cases:read", "documents:read", "exports:write", "notifications"],
        "max_confidentiality": "parties", "kinds": ["totstandkoming"]})
    assert response.status_code == 302, response.content.decode()[:3000]
    application = ApiApplication.objects.get(name="Zaaksysteem BZK")
    page = client.post(reverse("workflow:application-key-new", args=[application.pk]), {"days": "30"})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    [key] = re.findall(r'id="api-key" value="(gpa_[^"]+)"', page.content.decode())
    return key


def all_pages(api: httpx.Client, url: str, params=None) -> tuple[list, str]:
    """Every row from ``url`` on, following ``next``; and the address of the last page, the system's cursor: asked
    again later, it answers what came after."""
    rows, last = [], url
    response = api.get(url, params=params)
    while True:
        assert response.status_code == 200, response.text
        last = str(response.request.url)
        rows += response.json()["results"]
        following = response.json().get("next")
        if not following:
            return rows, last
        response = api.get(following)


@pytest.mark.django_db(transaction=True)
def test_a_connected_system_from_registration_to_its_cloudevents(world, client, settings, live_server, receiver):
    settings.SITE_URL = live_server.url
    decided = case_in_state(world, "decided")  # through the services, the clock in 2017
    draft = world.file()  # a draft: no application ever sees it
    clock.set_now(None)  # the live server's thread keeps real time; so do the staff pages and the key now

    secretary_logged_in(client, world, settings)
    key = register_and_take_the_key(client)

    with httpx.Client(base_url=f"{live_server.url}/api/v1", headers={"Authorization": f"Bearer {key}"},
                      timeout=60, trust_env=False) as api:
        # 1. subscribe to what happens to its exports
        response = api.post("/subscriptions/", json={"callback_url": receiver.url,
                                                     "kinds": ["dossier_requested", "dossier_exported"]},
                            headers={"Idempotency-Key": "abonnement-1"})
        assert response.status_code == 201, response.text
        secret = response.json()["secret"]

        # 2. everything that happened so far, three events a page, following ``next``
        events, cursor = all_pages(api, "/events/", params={"page_size": 3})
        assert len(events) > 3  # more than one page was followed
        assert {e["case"] for e in events} == {str(decided.pk)}
        assert str(draft.pk) not in json.dumps(events)
        ids = [e["id"] for e in events]
        assert ids == sorted(ids) and len(set(ids)) == len(ids)
        assert "decide" in {e["kind"] for e in events}

        # 3. the decision
        documents, _ = all_pages(api, f"/cases/{decided.pk}/documents/")
        [decision] = [d for d in documents if d["type"] == "bindende_uitspraak"]
        download = api.get(decision["download_url"])
        assert download.status_code == 200 and download.content.startswith(b"%PDF")
        assert hashlib.sha256(download.content).hexdigest() == decision["sha256"]

        # 4. the dossier: asked for once (a retry with the same key is answered, not done again), followed until done
        asked = api.post(f"/cases/{decided.pk}/exports/", json={"audience": "party"},
                         headers={"Idempotency-Key": "dossier-2026-1"})
        assert asked.status_code == 202, asked.text
        retried = api.post(f"/cases/{decided.pk}/exports/", json={"audience": "party"},
                           headers={"Idempotency-Key": "dossier-2026-1"})
        assert retried.headers["Idempotent-Replayed"] == "true" and retried.json() == asked.json()
        status_url = asked.headers["Location"]
        for _attempt in range(60):
            export = api.get(status_url).json()
            if export["status"] in ("done", "failed"):
                break
            time.sleep(0.5)
        assert export["status"] == "done", export
        [pdf] = [d for d in export["downloads"] if d["file"] == "pdf"]
        dossier = api.get(pdf["url"])
        assert dossier.status_code == 200 and dossier.content.startswith(b"%PDF")
        assert hashlib.sha256(dossier.content).hexdigest() == pdf["sha256"]

        # 5. asked again from its cursor, the feed answers what changed since: its own request and the export
        since, _ = all_pages(api, cursor)
        new = [e for e in since if e["id"] > ids[-1]]
        assert [e["kind"] for e in new] == ["dossier_requested", "dossier_exported"]

    # 6. the CloudEvents of its export came to its receiver, signed with its secret
    application = ApiApplication.objects.get(name="Zaaksysteem BZK")
    requested = DisputeEvent.objects.get(kind="dossier_requested", dispute=decided)
    assert requested.actor == application.user  # the application, through its own account
    assert DossierExport.objects.filter(dispute=decided).count() == 1
    deadline = time.monotonic() + 30
    while len(receiver.received) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    kinds = []
    for message in receiver.received:
        assert message["headers"]["content-type"] == cloudevents.CONTENT_TYPE
        assert cloudevents.verify(secret=secret, headers=message["headers"], payload=message["body"])
        cloud_event = json.loads(message["body"])
        assert cloud_event["specversion"] == "1.0" and cloud_event["subject"] == str(decided.pk)
        assert cloud_event["data"]["case"]["url"] == f"{live_server.url}/api/v1/cases/{decided.pk}/"
        kinds.append(cloud_event["data"]["event"]["kind"])
    assert sorted(kinds) == ["dossier_exported", "dossier_requested"]
