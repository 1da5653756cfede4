"""The draft services (disputes/services/drafts.py): who may edit, what they record, what they refuse."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from disputes import services
from disputes.errors import Conflict, NotPermitted, OperationNotAllowed
from disputes.models import Dispute, DisputeEvent, Document, EffortEntry, LocalAgreement
from disputes.services import drafts
from tests.factories import OrganisationFactory, member, pdf, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world, at):
    at("2017-01-16 10:00")
    return world.file(points=("a", "b", "c"), documents=[])


def events(dispute, kind):
    return DisputeEvent.objects.filter(dispute=dispute, kind=kind)


def stored_files(storage) -> list:
    root = storage.location
    import os

    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files] if os.path.exists(root) else []


def test_each_step_service_changes_its_fields_bumps_the_version_and_records_an_event(world, draft):
    before = draft.version
    updated = drafts.draft_set_kind(dispute=draft, actor=world.tenant, kind="nakoming", expected_version=before)
    assert updated.kind == "nakoming" and Dispute.objects.get(pk=draft.pk).version == before + 1
    updated = drafts.draft_set_date_and_title(dispute=draft, actor=world.tenant, arose_on=date(2017, 1, 6),
                                              title="Nieuwe titel", expected_version=before + 1)
    stored = Dispute.objects.get(pk=draft.pk)
    assert (updated.arose_on, updated.title) == (stored.arose_on, stored.title) == (date(2017, 1, 6), "Nieuwe titel")
    assert stored.kind == "nakoming" and stored.version == before + 2
    assert [e.payload["fields"] for e in events(draft, "draft_updated").order_by("pk")] == [
        ["kind"], ["arose_on", "title"]]
    assert {e.actor_organisation for e in events(draft, "draft_updated")} == {world.huurders}
    # saving a page unchanged still makes open forms stale, and says that nothing changed
    drafts.draft_set_date_and_title(dispute=draft, actor=world.tenant, arose_on=date(2017, 1, 6),
                                    title="Nieuwe titel", expected_version=before + 2)
    assert events(draft, "draft_updated").order_by("pk").last().payload["fields"] == []
    assert Dispute.objects.get(pk=draft.pk).version == before + 3


def test_a_stale_version_is_a_conflict(world, draft):
    with pytest.raises(Conflict):
        drafts.draft_set_date_and_title(dispute=draft, actor=world.tenant, arose_on=None, title="x",
                                        expected_version=draft.version - 1)


@pytest.mark.parametrize("who", ["corp_user", "gem_user", "outsider", "secretary"])
def test_only_applicant_members_edit_a_draft(world, draft, who):
    for step in (lambda actor: drafts.draft_set_kind(dispute=draft, actor=actor, kind="nakoming"),
                 lambda actor: drafts.draft_set_agreement(dispute=draft, actor=actor, agreement=world.agreement),
                 lambda actor: drafts.draft_set_parties(dispute=draft, actor=actor, co_applicants=[],
                                                        respondents=[world.corporatie]),
                 lambda actor: drafts.draft_set_date_and_title(dispute=draft, actor=actor, arose_on=None, title="x")):
        with pytest.raises(NotPermitted):
            step(getattr(world, who))
    with pytest.raises(NotPermitted):
        drafts.draft_point_add(dispute=draft, actor=getattr(world, who), title="x")
    with pytest.raises(NotPermitted):
        drafts.draft_add_document(dispute=draft, actor=getattr(world, who), uploaded=pdf()[1], doc_type="verzoek")


def test_every_draft_service_refuses_after_submission(world, draft):
    document = drafts.draft_add_document(dispute=draft, actor=world.tenant, uploaded=pdf()[1], doc_type="verzoek")
    services.dispute_submit(dispute=draft, actor=world.tenant)
    point = draft.points.first()
    calls = [
        lambda: drafts.draft_set_kind(dispute=draft, actor=world.tenant, kind="nakoming"),
        lambda: drafts.draft_set_agreement(dispute=draft, actor=world.tenant, agreement=world.agreement),
        lambda: drafts.draft_set_parties(dispute=draft, actor=world.tenant, co_applicants=[],
                                         respondents=[world.corporatie]),
        lambda: drafts.draft_set_date_and_title(dispute=draft, actor=world.tenant, arose_on=None, title="x"),
        lambda: drafts.draft_point_add(dispute=draft, actor=world.tenant, title="x"),
        lambda: drafts.draft_point_update(point=point, actor=world.tenant, title="x"),
        lambda: drafts.draft_set_position(point=point, actor=world.tenant, text="x"),
        lambda: drafts.draft_point_remove(point=point, actor=world.tenant),
        lambda: drafts.draft_points_save(dispute=draft, actor=world.tenant, points=[]),
        lambda: drafts.draft_add_document(dispute=draft, actor=world.tenant, uploaded=pdf()[1], doc_type="verzoek"),
        lambda: drafts.draft_withdraw_document(document=document, actor=world.tenant),
    ]
    for call in calls:
        with pytest.raises(OperationNotAllowed, match="al ingediend"):
            call()
    assert Document.objects.get(pk=document.pk).withdrawn_at is None


def test_changing_the_agreement_keeps_only_the_own_organisation(world, draft):
    other = LocalAgreement.objects.create(municipality=world.gemeente, year=2018)
    other.tenant_organisations.add(world.huurders)
    drafts.draft_set_agreement(dispute=draft, actor=world.tenant, agreement=other)
    draft.refresh_from_db()
    assert draft.agreement == other
    assert draft.organisation_ids("applicant") == {world.huurders.pk} and draft.organisation_ids("respondent") == set()
    assert events(draft, "draft_updated").get().payload["fields"] == ["agreement", "parties"]


def test_an_agreement_without_the_own_organisation_is_refused(world, draft):
    elsewhere = LocalAgreement.objects.create(municipality=OrganisationFactory(name="Gemeente Elders"), year=2017)
    with pytest.raises(ValidationError) as exc:
        drafts.draft_set_agreement(dispute=draft, actor=world.tenant, agreement=elsewhere)
    assert "agreement" in exc.value.message_dict


def test_parties_must_take_part_and_never_be_on_both_sides(world, draft):
    with pytest.raises(ValidationError, match="zowel verzoeker als verweerder"):
        drafts.draft_set_parties(dispute=draft, actor=world.tenant, co_applicants=[world.gemeente],
                                 respondents=[world.gemeente])
    with pytest.raises(ValidationError, match="deelnemen"):
        drafts.draft_set_parties(dispute=draft, actor=world.tenant, co_applicants=[], respondents=[world.outsider_org])
    drafts.draft_set_parties(dispute=draft, actor=world.tenant, co_applicants=[world.gemeente],
                             respondents=[world.corporatie])
    assert draft.organisation_ids("applicant") == {world.huurders.pk, world.gemeente.pk}
    assert draft.organisation_ids("respondent") == {world.corporatie.pk}


def test_a_date_in_the_future_is_refused(world, draft):
    with pytest.raises(ValidationError) as exc:
        drafts.draft_set_date_and_title(dispute=draft, actor=world.tenant, arose_on=date(2017, 2, 1), title="x")
    assert "arose_on" in exc.value.message_dict


def test_points_are_added_removed_and_numbered_again_with_unique_keys(world, draft):
    b = draft.points.get(key="b")
    drafts.draft_point_remove(point=b, actor=world.tenant)
    assert [(p.number, p.key) for p in draft.points.all()] == [(1, "a"), (2, "c")]
    added = drafts.draft_point_add(dispute=draft, actor=world.tenant, title="Nieuw", position="Ons standpunt")
    assert added.number == 3 and added.key not in ("a", "c")
    assert added.positions.get().organisation == world.huurders
    assert events(draft, "draft_points_changed").count() == 2


def test_positions_are_set_per_organisation_and_cleared_with_empty_text(world, draft):
    point = draft.points.get(key="a")
    drafts.draft_set_position(point=point, actor=world.tenant, text="Nieuw standpunt")
    assert point.positions.get().text == "Nieuw standpunt"
    drafts.draft_set_position(point=point, actor=world.tenant, text="")
    assert not point.positions.exists()


def test_a_point_of_another_case_is_refused(world, draft):
    other = world.file(points=("x",), documents=[])
    with pytest.raises(ValidationError):
        drafts.draft_points_save(dispute=draft, actor=world.tenant,
                                 points=[{"id": other.points.get().pk, "title": "kaping", "position": ""}])
    assert other.points.get().title == "Geschilpunt x"


def test_points_save_keeps_order_and_ignores_empty_new_rows(world, draft):
    a, b, c = draft.points.all()
    drafts.draft_points_save(
        dispute=draft, actor=world.tenant, remove=[b.pk],
        points=[{"id": c.pk, "title": "C", "position": ""}, {"id": a.pk, "title": "A", "position": "pos"},
                {"id": None, "title": "", "position": ""}, {"id": None, "title": "D", "position": ""}],
    )
    assert [(p.number, p.title) for p in draft.points.all()] == [(1, "C"), (2, "A"), (3, "D")]


def test_documents_are_added_unsubmitted_and_taken_out_of_the_draft(world, draft, private_storage):
    document = drafts.draft_add_document(dispute=draft, actor=world.tenant, uploaded=pdf("bod")[1], doc_type="bod")
    assert document.submitted_at is None and document.bundle.step == "filing"
    assert document.organisation == world.huurders
    drafts.draft_withdraw_document(document=document, actor=world.tenant)
    document.refresh_from_db()
    assert document.withdrawn_at is not None
    assert not draft.documents.current().exists()
    assert private_storage.exists(document.file.name)  # nothing is hard-deleted
    event = events(draft, "document_withdrawn").get()
    assert event.payload["name"] == "bod.pdf"
    with pytest.raises(ValidationError, match="al uit het concept"):
        drafts.draft_withdraw_document(document=document, actor=world.tenant)


def test_a_document_type_that_does_not_belong_to_a_filing_is_refused(world, draft):
    with pytest.raises(ValidationError):
        drafts.draft_add_document(dispute=draft, actor=world.tenant, uploaded=pdf()[1], doc_type="bindende_uitspraak")


def test_effort_documents_belong_to_the_entry_and_the_recording_organisation(world, at):
    at("2017-01-10 10:00")
    entry = drafts.effort_record_with_documents(
        agreement=world.agreement, actor=world.corp_user, kind="bod", occurred_on=date(2016, 7, 1),
        summary="Bod uitgebracht", documents=[pdf("bod")],
    )
    document = entry.documents.get()
    assert (document.dispute, document.bundle, document.organisation) == (None, None, world.corporatie)
    assert document.submitted_at is not None  # evidence of the overleg: immutable from the start
    with pytest.raises(NotPermitted):
        drafts.effort_attach_document(entry=entry, actor=world.tenant, uploaded=pdf()[1], doc_type="bod")
    with pytest.raises(NotPermitted):
        drafts.effort_attach_document(entry=entry, actor=world.outsider, uploaded=pdf()[1], doc_type="bod")
    with pytest.raises(ValidationError):
        drafts.effort_attach_document(entry=entry, actor=world.corp_user, uploaded=pdf()[1], doc_type="verzoek")


def test_a_refused_file_leaves_no_entry_no_document_and_no_file(world, at, private_storage):
    at("2017-01-10 10:00")
    before = stored_files(private_storage)
    with pytest.raises(ValidationError):
        drafts.effort_record_with_documents(
            agreement=world.agreement, actor=world.tenant, kind="meeting", occurred_on=date(2016, 9, 1),
            summary="Overleg", documents=[pdf("verslag_overleg"), ("correspondentie", ContentFile(b"%PDF-1.4 kapot",
                                                                                                  name="x.pdf"))],
        )
    assert not EffortEntry.objects.exists() and not Document.objects.exists()
    assert stored_files(private_storage) == before


def test_an_outsider_cannot_keep_the_effort_log(world, at):
    at("2017-01-10 10:00")
    with pytest.raises(NotPermitted):
        drafts.effort_record_with_documents(agreement=world.agreement, actor=world.outsider, kind="meeting",
                                            occurred_on=date(2016, 9, 1), summary="x")


def test_a_co_applicant_member_may_edit_the_joint_draft(world, draft):
    drafts.draft_set_parties(dispute=draft, actor=world.tenant, co_applicants=[world.gemeente],
                             respondents=[world.corporatie])
    colleague = member("gijs", world.gemeente)
    drafts.draft_set_date_and_title(dispute=draft, actor=colleague, arose_on=None, title="Samen ingediend")
    assert Dispute.objects.get(pk=draft.pk).title == "Samen ingediend"


def test_integrity_alarm_records_an_internal_event(world, draft):
    document = drafts.draft_add_document(dispute=draft, actor=world.tenant,
                                         uploaded=ContentFile(pdf_bytes(1), name="a.pdf"), doc_type="verzoek")
    drafts.document_integrity_alarm(document=document, actor=world.tenant, detail="test")
    event = events(draft, "integrity_failure").get()
    assert event.visibility == "internal"


def test_renumbering_never_collides_with_a_number_an_earlier_pass_left_behind(world):
    """A point the form did not list keeps its shifted number (1 -> 10001) until the second pass; a fixed
    shift of 10000 then moved a new point 1 onto it, and PostgreSQL refused that (unique dispute+number,
    checked per row in the order of the update: a race on row order seen in CI)."""
    from disputes.models import DisputePoint

    dispute = world.file(points=())
    DisputePoint.objects.create(dispute=dispute, number=1, key="new", title="Nieuw punt")  # updated first
    DisputePoint.objects.create(dispute=dispute, number=10001, key="old", title="Niet in het formulier")
    drafts._renumber(dispute)
    assert list(dispute.points.order_by("number").values_list("key", "number")) == [("new", 1), ("old", 2)]
