"""The authorisation matrix (docs/authorisation-matrix.yaml), tested over every URL of the project.

For each URL pattern and each actor (by relation to the case) the matrix says what must happen:
``allow``, ``login`` (sent to the log-in page), ``401``, ``403``, ``404`` (the same as a case that does
not exist) or ``405``. ``allow`` is exact: the row says which answer an allowed request gets (a GET's
200, a valid POST's redirect to the next page), so a 400, 409 or 429, or a POST that only got its form
back with errors, is a failure. A URL without a row fails the test, so a new page cannot skip the
question "who may use this?".

The world and the cases are made once for the module (``shared``), inside a transaction rolled back
at its end; every request runs in a savepoint of its own, so each sees the objects as they were made.
"""

import json
from contextlib import contextmanager
from datetime import datetime

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import FileField
from django.test import TestCase, override_settings
from django.urls import reverse

from disputes import clock, services
from disputes.invitations import token_for as invitation_token
from disputes.models import DossierExport, Organisation
from disputes.services import dossier as dossier_services
from tests.authorisation.matrix import (
    ACTORS,
    OUTCOMES,
    Row,
    classify,
    is_api,
    load_matrix,
    make_applications,
    request_options,
    url_names,
)
from tests.factories import World, case_in_state, member, pdf, pdf_bytes, representative, staff

MATRIX = load_matrix()
ONE_PAGE = pdf_bytes(1)
PASSWORD = "matrix-wachtwoord-2026"
#: The log-in row checks a password nine times; what is tested is who may log in, not the hash's cost.
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ROWS = {name: Row.parse(name, spec) for name, spec in MATRIX["urls"].items()}


def test_every_url_has_a_row_and_every_row_a_url():
    names = url_names()
    missing = sorted(set(names) - set(ROWS))
    stale = sorted(set(ROWS) - set(names))
    assert not missing, f"URLs without a row in {MATRIX_FILE_NAME}: {missing}"
    assert not stale, f"rows for URLs that no longer exist: {stale}"


MATRIX_FILE_NAME = "docs/authorisation-matrix.yaml"


def test_every_cell_is_a_known_outcome():
    for row in ROWS.values():
        assert row.methods, f"{row.name}: no GET or POST expectations"
        for method, table in row.methods.items():
            for actor, outcome in table.items():
                assert outcome in OUTCOMES, f"{row.name} {method} {actor}: {outcome!r}"


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world and one case of every kind a URL can name, made once for the module through the services.

    Built inside a transaction that stays open for the whole module and is rolled back at its end; each
    test's own transaction is a savepoint inside it, and each request of a test one more (``_isolated``),
    so whatever a request changes, the next one sees these objects as they were made.
    """
    storage = FileSystemStorage(location=tmp_path_factory.mktemp("matrix") / "private", base_url=None)
    outer = transaction.atomic()
    with django_db_blocker.unblock(), _test_settings(storage):
        outer.__enter__()
        try:
            world = World.create()
            objects = _make_objects(world)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield {"world": world, "objects": objects, "storage": storage, "now": clock.now()}
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    clock.set_now(None)


@contextmanager
def _test_settings(storage):
    """What the autouse fixture of tests/conftest.py gives each test, for the module's build."""
    saved = [(field, field.storage) for field in _file_fields()]
    for field, _ in saved:
        field.storage = storage
    try:
        with override_settings(CELERY_TASK_ALWAYS_EAGER=True, STAFF_TWO_FACTOR=False, PASSWORD_HASHERS=FAST_HASHER,
                               EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            yield
    finally:
        for field, original in saved:
            field.storage = original


def _file_fields() -> list:
    """Every file field of the project's models (documents, a dossier export's files): all in the private storage."""
    return [field for model in apps.get_models() if model.__module__.startswith(("disputes.", "workflow."))
            for field in model._meta.get_fields() if isinstance(field, FileField)]


@pytest.fixture
def world(shared):
    """The module's world (not a new one per test)."""
    return shared["world"]


@pytest.fixture
def objects(db, shared, monkeypatch, settings):
    """The module's objects, with the clock and the document storage they were made with."""
    settings.PASSWORD_HASHERS = FAST_HASHER
    for field in _file_fields():
        monkeypatch.setattr(field, "storage", shared["storage"])
    clock.set_now(shared["now"])
    return shared["objects"]


def _make_objects(world) -> dict:
    """One case of every kind a URL can name, made through the services."""
    from datetime import date

    from disputes.services import drafts
    from workflow.models import DisputeProcess

    world.recused = staff("recused", "commission_member")
    world.tenant.set_password(PASSWORD)  # the log-in row logs in as the applicant
    world.tenant.save(update_fields=["password"])
    at("2017-01-10 10:00")
    entry = drafts.effort_record_with_documents(
        agreement=world.agreement, actor=world.corp_user, kind="bod", occurred_on=date(2016, 7, 1),
        summary="Bod", documents=[pdf("bod")])
    case = case_in_state(world, "exchange")
    services.dispute_recuse(dispute=case, actor=world.recused, reason="Eerder betrokken")
    decided = case_in_state(world, "decided")
    services.dispute_recuse(dispute=decided, actor=world.recused, reason="Eerder betrokken")
    # a question put to each party of the case in the written round
    for organisation in (world.huurders, world.corporatie):
        services.dispute_request_information(dispute=case, actor=world.secretary, party=organisation,
                                             question="Hoeveel woningen zijn opgeleverd?")
    # another party to the agreement, invited to give its view on this case only (Awb 4:8)
    linge = Organisation.objects.create(name="Woonstichting De Linge", kind="woningcorporatie")
    world.agreement.corporations.add(linge)
    world.interested = member("lotte", linge)
    services.dispute_invite_view(dispute=case, actor=world.secretary, organisation=linge)
    questions = {d.organisation_id: d.pk for d in case.deadlines.filter(kind="information")}
    # a draft letter of the case: a vraag om inlichtingen to the applicant (workflow:letter-edit and the like)
    case_letter = services.letter_draft(dispute=case, actor=world.secretary, kind="vraag_inlichtingen",
                                        context={"deadline": questions[world.huurders.pk]})
    # a case waiting for the verweer, and one waiting for the applicant to supply what is missing
    responding = case_in_state(world, "awaiting_response")
    remedying = case_in_state(world, "admissibility_review")
    services.dispute_request_remedy(dispute=remedying, actor=world.secretary, reason="De machtiging ontbreekt")
    for other in (responding, remedying):
        services.dispute_recuse(dispute=other, actor=world.recused, reason="Eerder betrokken")
    at("2017-03-02 10:00")  # the clock of every request: past the response term, so the secretariat allows it
    services.dispute_allow_late_response(dispute=responding, actor=world.secretary, organisation=world.corporatie)
    at("2017-01-16 10:00")
    draft = world.file(documents=[pdf("verzoek")])
    at("2017-03-02 10:00")
    with TestCase.captureOnCommitCallbacks(execute=True):
        export = dossier_services.dossier_request_export(dispute=decided, actor=world.secretary, audience="party")
    export = DossierExport.objects.get(pk=export.pk)
    # the decided case's publication in the public register (register-*): prepared by the secretary, approved by a
    # second secretary (four eyes)
    publication = services.publication_prepare(dispute=decided, actor=world.secretary)
    publication = services.publication_approve(publication_=publication, actor=staff("sec2", "secretary"))
    # the secretary holds the open hearing-planning task of the case
    task = DisputeProcess.objects.get(dispute=case).task_set.get(finished__isnull=True, flow_task=_node("plan_hearing"))
    task.owner = world.secretary
    task.save(update_fields=["owner"])
    # an open invitation into the respondent organisation (docs/accounts.md); its link is the invitee's
    invitation = services.invitation_send(actor=world.secretary, organisation=world.corporatie,
                                          email="klerk@rijnhart.example", name="Klerk")
    # a representative of the respondent on ``case`` (docs/accounts.md, "Gemachtigden"), and a second one asked for
    # and waiting for the secretariat's check
    world.representative, representation = representative(world, case)
    world.oidc_party = _oidc_party(world)
    waiting = services.representation_request(dispute=case, actor=world.corp_user, name="Mr. B. Bos",
                                              email="bos@advocaten.example", authorisation=pdf("machtiging")[1])
    # publication (docs/publication.md): a decided case whose publication a second secretary prepared, with a
    # replacement added by hand (so the secretary may approve it: four eyes), and one whose publication is in the
    # register (withdrawn by the secretary)
    sec2 = staff("sec2", "secretary")
    publishing, published = case_in_state(world, "decided"), case_in_state(world, "decided")
    for other in (publishing, published):
        services.dispute_recuse(dispute=other, actor=world.recused, reason="Eerder betrokken")
    prepared = services.publication_prepare(dispute=publishing, actor=sec2)
    by_hand = services.replacement_add(publication_=prepared, actor=sec2, original="Rijnhart Wonen",
                                       replacement="[corporatie]", reason="Proef")
    services.publication_approve(publication_=services.publication_prepare(dispute=published, actor=world.secretary),
                                 actor=sec2)
    at("2017-03-02 10:00")
    archive_objects = _destruction_lists(world)
    api_objects = make_applications(world)  # the API's actors: applications with their keys (docs/api.md)
    acknowledgement = case.letters.get(kind="ontvangstbevestiging").copies.first()  # api:letter-copy-posted
    for made in (case, draft, responding, remedying):
        made.refresh_from_db()
    return {
        **archive_objects,
        **api_objects,
        "letter_copy": acknowledgement.pk,
        "case": case.pk,
        "case_version": case.version,
        "point": case.points.first().pk,
        "document": case.documents.filter(confidentiality="parties").first().pk,
        "draft": draft.pk,
        "draft_version": draft.version,
        "draft_point": draft.points.first().pk,
        "draft_document": draft.documents.first().pk,
        "agreement": world.agreement.pk,
        "effort_document": entry.documents.first().pk,
        "task": task.pk,
        "case_action": "verlengen",
        "letter": "verlengingsbericht",
        "case_letter": case_letter.pk,
        "letter_addressee": 1,  # the first addressee of a letter (workflow:letter-preview)
        "question_applicant": questions[world.huurders.pk],
        "question_respondent": questions[world.corporatie.pk],
        "question_interested": questions[linge.pk],  # its invitation to give its view
        "responding": responding.pk,
        "responding_version": responding.version,
        "remedying": remedying.pk,
        "remedying_version": remedying.version,
        "decided": decided.pk,
        "export": export.pk,
        "publication_slug": publication.slug,
        "download_kind": "pdf",
        "enrolment_token": "geen-geldige-link",
        "reset_uid": "MQ",  # a password-reset link with a made-up token (disputes/password_reset.py)
        "reset_token": "geen-geldige-link",
        "password": PASSWORD,
        "respondent_org": world.corporatie.pk,
        "gemeente_org": world.gemeente.pk,
        "respondent_membership": world.corp_user.memberships.get(organisation=world.corporatie).pk,
        "invitation": invitation.pk,
        "invitation_token": invitation_token(invitation),
        "representation": representation.pk,
        "representation_waiting": waiting.pk,
        "publishing": publishing.pk,
        "publication_replacement": by_hand.pk,
        "published": published.pk,
    }


def _destruction_lists(world) -> dict:
    """The archive's three roles and a destruction list in each state a URL acts on (docs/archive.md), each with a
    withdrawn case of its own, made through the services; one more withdrawn case is a candidate for a new list."""
    from disputes.models import ArchiveRole, RetentionRule, RetentionScope
    from disputes.retention import INGETROKKEN
    from disputes.services import archive

    world.record_manager = staff("recordmanager", ArchiveRole.RECORD_MANAGER)
    world.archive_reviewer = staff("beoordelaar", ArchiveRole.REVIEWER)
    world.archivist = staff("archivaris", ArchiveRole.ARCHIVIST)
    manager, reviewer, archivist = world.record_manager, world.archive_reviewer, world.archivist
    # the selectielijst table is the ministry's (set in the admin): here a withdrawn case is kept 0 years, so its
    # archiefactiedatum has passed on the day of every request
    RetentionRule.objects.filter(scope=RetentionScope.CASE, key=INGETROKKEN).update(years=0)
    cases = [case_in_state(world, "withdrawn") for _ in range(7)]
    at("2017-03-02 10:00")

    def listed(name, case, *, submit=True, reviewed=None, approved=None):
        made = archive.destruction_list_create(actor=manager, name=name, case_ids=[case.pk])
        if submit:
            archive.destruction_list_submit(actor=manager, destruction_list=made, reviewer=reviewer,
                                            archivist=archivist)
        if reviewed is not None:
            reasons = {made.items.get().pk: "Nog nodig voor een bezwaar"} if reviewed == "back" else {}
            archive.destruction_list_review(actor=reviewer, destruction_list=made, sent_back=reasons)
        if approved:
            archive.destruction_list_approve(actor=archivist, destruction_list=made, sent_back={})
        return made

    destroyed = listed("Vernietigd", cases[6], reviewed="ok", approved=True)
    with TestCase.captureOnCommitCallbacks(execute=True):
        archive.destruction_list_destroy(actor=manager, destruction_list=destroyed)
    return {
        "destruction_candidate": cases[0].pk,
        "destruction_new": listed("Nieuw", cases[1], submit=False).pk,
        "destruction_reviewing": listed("Ter beoordeling", cases[2]).pk,
        "destruction_sent_back": listed("Teruggestuurd", cases[3], reviewed="back").pk,
        "destruction_approving": listed("Bij de archivaris", cases[4], reviewed="ok").pk,
        "destruction_approved": listed("Goedgekeurd", cases[5], reviewed="ok", approved=True).pk,
        "destruction_destroyed": destroyed.pk,
        "archive_reviewer": reviewer.pk,
        "archivist": archivist.pk,
    }


def _oidc_party(world):
    """The account the eHerkenning route makes for the respondent corporation's KvK number, through the product's
    own code (``PartyBackend.user_for``, as its callback does after the broker's tokens were checked)."""
    from django.test import override_settings

    from disputes.oidc import PartyBackend

    world.corporatie.kvk_number = "12345678"
    world.corporatie.save(update_fields=["kvk_number"])
    route = {"issuer": "https://broker.example", "client_id": "geschil-eh", "kvk_claim": "kvk"}
    with override_settings(OIDC_ROUTES={"party": route}):
        backend = PartyBackend.__new__(PartyBackend)  # user_for reads only the route's settings
        return backend.user_for({"sub": "eh-klerk-1", "kvk": "12345678", "given_name": "Eva", "family_name": "Klerk"})


def at(text: str) -> None:
    clock.set_now(datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=clock.AMSTERDAM))


def _node(name: str):
    from workflow.flows import DisputeFlow

    return getattr(DisputeFlow, name)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROWS))
def test_the_matrix_holds(name, world, objects, client):
    row = ROWS[name]
    url = row.url(objects)
    login_url = reverse(settings.LOGIN_URL)
    failures = []
    for method, table in row.methods.items():
        for actor, expected in table.items():
            client.logout()
            user_attr = ACTORS[actor]
            if user_attr is not None:
                client.force_login(getattr(world, user_attr))
            options = request_options(row, actor, world)  # an application's key (docs/api.md)
            with _isolated():
                if method == "GET":
                    response = client.get(url, **options)
                elif is_api(name):  # the API reads JSON only
                    response = client.post(url, json.dumps(row.post_data(actor, objects)),
                                           content_type="application/json", **options)
                else:
                    files = {field: _upload() for field in row.uploads}
                    response = client.post(url, {**row.post_data(actor, objects), **files}, **options)
            got = classify(response, login_url)
            if expected == "allow":
                allowed = row.allow.get(method, [])
                if got not in allowed:
                    means = " or ".join(allowed) or "the row has no allow: for this method"
                    failures.append(f"{method} {actor}: expected allow ({means}), got {got}")
            elif got != expected:
                failures.append(f"{method} {actor}: expected {expected}, got {got}")
    assert not failures, f"{name} ({url}):\n" + "\n".join(failures)


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("stuk.pdf", ONE_PAGE, "application/pdf")


@contextmanager
def _isolated():
    """One request on the objects as they were made: its changes are rolled back, its brakes forgotten."""
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
