"""The verbs a scenario step can ``do``: one handler per verb, ``handler(world, step, actor, what)``,
each reading its step's keys and making one service call; and ``VERBS``, the table the runner
reads (verb -> handler, the keys the step may hold, whether ``by`` is required).

A handler changes a case only through ``disputes.services``; ``what`` names the step in messages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from .. import clock, permissions, selectors, services
from ..models import Confidentiality, Dispute, DocumentType, Organisation
from .expectations import check_expectation
from .pdfs import make_pdf
from .schema import (
    DOCUMENT_KEYS,
    EXPECT_KEYS,
    REQUIRED,
    ScenarioError,
    boolean,
    field,
    parse_date,
    parse_moment,
    text,
)
from .setup import World

# -- what several verbs read: documents, points, organisations ------------------------------------


def _documents(step: dict, what: str, *, with_confidentiality: bool = False) -> list:
    """The step's ``documents`` as generated PDFs: (type, file) or, for ``upload``, (type, file, confidentiality)."""
    specs = step.get("documents") or []
    if not isinstance(specs, list):
        raise ScenarioError(f"{what}: 'documents' is een lijst van {{type, pages}}")
    files = []
    for spec in specs:
        if not isinstance(spec, dict) or not spec.get("type"):
            raise ScenarioError(f"{what}: elk document heeft een 'type'")
        unknown = set(spec) - DOCUMENT_KEYS
        if unknown:
            raise ScenarioError(f"{what}: onbekende documentsleutel(s) {', '.join(sorted(unknown))}")
        doc_type = str(spec["type"])
        pages = spec.get("pages", 1)
        try:
            content = make_pdf(doc_type, pages, _document_title(doc_type))
        except ValueError as exc:
            raise ScenarioError(f"{what}: {exc}") from exc
        uploaded = ContentFile(content, name=spec.get("name") or f"{doc_type}.pdf")
        if with_confidentiality:
            files.append((doc_type, uploaded, spec.get("confidentiality") or Confidentiality.PARTIES))
        elif "confidentiality" in spec:
            raise ScenarioError(f"{what}: 'confidentiality' kan alleen bij 'upload'")
        else:
            files.append((doc_type, uploaded))
    return files


def _point(dispute: Dispute, step: dict, what: str):
    return services.point_by_key(dispute, str(field(step, "point", what)))


def _document_title(doc_type: str) -> str:
    return str(DocumentType(doc_type).label) if doc_type in DocumentType.values else doc_type


def _org_list(w: World, step: dict, key: str, what: str) -> list[Organisation]:
    keys = field(step, key, what)
    if not isinstance(keys, list):
        keys = [keys]
    return [w.organisation(k, what) for k in keys]


# -- the verbs: handler(world, step, actor, what) -------------------------------------------------------


def _effort(w: World, step, actor, what):
    organisation = w.organisation(step["organisation"], what) if step.get("organisation") else None
    occurred_on = parse_date(step.get("occurred_on"), f"{what} occurred_on") or clock.today()
    services.effort_record(
        agreement=w.local_agreement(what),
        actor=actor,
        kind=text(step, "kind", what, REQUIRED),
        occurred_on=occurred_on,
        summary=text(step, "summary", what),
        participants=text(step, "participants", what),
        organisation=organisation,
    )


def _file(w: World, step, actor, what):
    points = step.get("points") or []
    if not isinstance(points, list) or any(
        not isinstance(p, dict) or set(p) - {"key", "title", "position"} for p in points
    ):
        raise ScenarioError(f"{what}: 'points' is een lijst van {{key, title, position}}")
    dispute = services.dispute_file(
        actor=actor,
        agreement=w.local_agreement(what),
        kind=text(step, "kind", what, REQUIRED),
        applicants=_org_list(w, step, "applicants", what),
        respondents=_org_list(w, step, "respondents", what),
        arose_on=parse_date(step.get("arose_on"), f"{what} arose_on"),
        points=[{k: (str(v) if v is not None else v) for k, v in p.items()} for p in points],
        title=text(step, "title", what),
        documents=_documents(step, what),
    )
    w.dispute = dispute


def _upload(w: World, step, actor, what):
    dispute = w.case(what)
    files = _documents(step, what, with_confidentiality=True)
    if not files:
        raise ScenarioError(f"{what}: geef ten minste één document")
    for doc_type, uploaded, confidentiality in files:
        services.document_upload(
            dispute=dispute,
            actor=actor,
            uploaded=uploaded,
            doc_type=doc_type,
            confidentiality=confidentiality,
        )


def _simple(service):
    def handler(w: World, step, actor, what):
        service(dispute=w.case(what), actor=actor)

    return handler


def _request_remedy(w: World, step, actor, what):
    services.dispute_request_remedy(
        dispute=w.case(what),
        actor=actor,
        deadline=parse_date(step.get("deadline"), f"{what} deadline"),
        reason=text(step, "reason", what),
        requested=[str(t) for t in step.get("requested") or []],
        documents=_documents(step, what),
    )


def _add_documents(w: World, step, actor, what):
    files = _documents(step, what)
    if not files:
        raise ScenarioError(f"{what}: geef ten minste één document")
    services.dispute_submit_documents(dispute=w.case(what), actor=actor, documents=files, note=text(step, "note", what))


def _supply_remedy(w: World, step, actor, what):
    services.dispute_supply_remedy(
        dispute=w.case(what), actor=actor, documents=_documents(step, what), note=text(step, "note", what)
    )


def _reason_codes(step) -> list[str]:
    """``reasons``: one code (A4) or a list of codes."""
    reasons = step.get("reasons") or []
    return [str(x) for x in (reasons if isinstance(reasons, list) else [reasons])]


def _optional_admissible(step, what) -> bool | None:
    """``admissible`` on an advice or decision per point: absent means "as the secretariat proposed"."""
    return boolean(step, "admissible", what) if "admissible" in step else None


def _point_admissibility(w: World, step, actor, what):
    dispute = w.case(what)
    services.point_decide_admissibility(
        point=_point(dispute, step, what),
        actor=actor,
        admissible=boolean(step, "admissible", what),
        reasons=_reason_codes(step),
        note=text(step, "note", what),
    )


def _assess_efforts(w: World, step, actor, what):
    services.dispute_assess_efforts(
        dispute=w.case(what),
        actor=actor,
        sufficient=boolean(step, "sufficient", what),
        reason=text(step, "reason", what),
    )


def _declare_inadmissible(w: World, step, actor, what):
    points = step.get("points") or {}
    if not isinstance(points, dict) or not all(isinstance(v, dict) for v in points.values()):
        raise ScenarioError(f"{what}: 'points' is een mapping punt -> {{reasons, note, depart}}")
    services.dispute_declare_inadmissible(
        dispute=w.case(what),
        actor=actor,
        reasons=_reason_codes(step),
        points={str(key): {"reasons": _reason_codes(entry), "note": str(entry.get("note") or ""),
                           "depart": bool(entry.get("depart"))} for key, entry in points.items()},
        late_remedy_weighed=text(step, "late_remedy_weighed", what),
        documents=_documents(step, what),
    )


def _respond(w: World, step, actor, what):
    positions = step.get("positions")
    if positions is not None and not isinstance(positions, dict):
        raise ScenarioError(f"{what}: 'positions' is een mapping punt -> standpunt")
    services.dispute_respond(
        dispute=w.case(what),
        actor=actor,
        documents=_documents(step, what),
        positions={str(k): str(v) for k, v in positions.items()} if positions else None,
    )


def _allow_late_response(w: World, step, actor, what):
    services.dispute_allow_late_response(
        dispute=w.case(what), actor=actor, organisation=w.organisation(field(step, "party", what), what)
    )


def _request_information(w: World, step, actor, what):
    services.dispute_request_information(
        dispute=w.case(what),
        actor=actor,
        party=w.organisation(field(step, "party", what), what),
        question=text(step, "question", what),
        deadline=parse_date(step.get("deadline"), f"{what} deadline"),
        documents=_documents(step, what),
    )


def _invite_view(w: World, step, actor, what):
    services.dispute_invite_view(
        dispute=w.case(what),
        actor=actor,
        organisation=w.organisation(field(step, "organisation", what), what),
        question=text(step, "question", what),
        deadline=parse_date(step.get("deadline"), f"{what} deadline"),
        documents=_documents(step, what),
    )


def _join_party(w: World, step, actor, what):
    services.dispute_join_party(
        dispute=w.case(what),
        actor=actor,
        organisation=w.organisation(field(step, "organisation", what), what),
        reason=text(step, "reason", what),
    )


def _answer_information(w: World, step, actor, what):
    """A party answers the oldest open information request put to it (or, with ``party``, the
    secretary records the answer of that party that came in by post)."""
    dispute = w.case(what)
    party = step.get("party")
    organisations = [w.organisation(party, what).pk] if party else permissions.organisation_ids(actor, dispute)
    requests = selectors.open_information_requests(dispute, organisations)
    if not requests:
        raise ValidationError("Er staat geen vraag om inlichtingen open voor deze partij.")
    services.dispute_answer_information(
        dispute=dispute, actor=actor, deadline_id=requests[0].deadline.pk,
        answer=str(step.get("answer", "")), documents=_documents(step, what),
    )


def _send_letter(w: World, step, actor, what):
    """The secretariat (or a Minister's official) drafts a letter of ``kind`` (a code of ``letterbook.KINDS``) with
    the wording in use and sends it as it is: one case document per addressee, the parties told by e-mail, the
    template version in the case event. A ``vraag_inlichtingen`` is about the latest question."""
    letter = services.letter_draft(dispute=w.case(what), actor=actor, kind=str(field(step, "kind", what)))
    letter = services.letter_send(letter=letter, actor=actor)
    names = ", ".join(c.addressee for c in letter.copies.order_by("pk"))
    w.log(f"{what}: brief '{letter.kind}' (tekst versie {letter.template.version}) verstuurd aan {names}")


def _prepare_publication(w: World, step, actor, what):
    """The secretariat prepares the publication version of the decided case (docs/publication.md): the names of the
    persons the product knows on the case and every identifying pattern are replaced."""
    made = services.publication_prepare(dispute=w.case(what), actor=actor)
    w.log(f"{what}: publicatie voorbereid, {len(services.publication.active(made))} vervanging(en)")


def _publication_in_preparation(w: World, what: str):
    from ..models import PublicationStatus

    found = services.current_publication(w.case(what))
    if found is None or found.status != PublicationStatus.PREPARED:
        raise ScenarioError(f"{what}: er is geen publicatie in voorbereiding")
    return found


def _add_replacement(w: World, step, actor, what):
    """The secretariat takes one more piece of text out of the publication: ``original``, ``replacement`` (by
    default ``[persoon]``) and ``reason``."""
    services.replacement_add(publication_=_publication_in_preparation(w, what), actor=actor,
                             original=text(step, "original", what, REQUIRED),
                             replacement=text(step, "replacement", what, "[persoon]"),
                             reason=text(step, "reason", what))


def _approve_publication(w: World, step, actor, what):
    """A second member of the secretariat approves: the publication is in the register (four eyes: never who
    prepared it or changed a replacement)."""
    made = services.publication_approve(publication_=_publication_in_preparation(w, what), actor=actor)
    w.log(f"{what}: gepubliceerd als /uitspraken/{made.slug}/")


def _reschedule_hearing(w: World, step, actor, what):
    services.dispute_reschedule_hearing(
        dispute=w.case(what),
        actor=actor,
        hearing_at=parse_moment(field(step, "hearing_at", what), what),
        place=text(step, "place", what),
        reason=text(step, "reason", what),
        documents=_documents(step, what),
        after_term_reason=text(step, "after_term_reason", what),
    )


def _schedule_hearing(w: World, step, actor, what):
    services.dispute_schedule_hearing(
        dispute=w.case(what),
        actor=actor,
        hearing_at=parse_moment(field(step, "hearing_at", what), what),
        place=text(step, "place", what),
        documents=_documents(step, what),
        after_term_reason=text(step, "after_term_reason", what),
    )


def _record_hearing(w: World, step, actor, what):
    services.dispute_record_hearing(dispute=w.case(what), actor=actor, documents=_documents(step, what))


def _skip_hearing(w: World, step, actor, what):
    services.dispute_skip_hearing(dispute=w.case(what), actor=actor, reason=text(step, "reason", what))


def _advise_point(w: World, step, actor, what):
    dispute = w.case(what)
    services.point_advise(
        point=_point(dispute, step, what),
        actor=actor,
        finding=text(step, "finding", what),
        recommendation=text(step, "recommendation", what),
        admissible=_optional_admissible(step, what),
        reasons=_reason_codes(step),
    )


def _issue_advice(w: World, step, actor, what):
    services.dispute_issue_advice(dispute=w.case(what), actor=actor, documents=_documents(step, what),
                                  open_requests_reason=text(step, "open_requests_reason", what))


def _decide_point(w: World, step, actor, what):
    dispute = w.case(what)
    follow = boolean(step, "follow_advice", what, False)
    if follow and step.get("decision"):
        raise ScenarioError(f"{what}: 'follow_advice: true' of 'decision' + 'reason', niet allebei")
    services.point_decide(
        point=_point(dispute, step, what),
        actor=actor,
        follow_advice=follow,
        decision=text(step, "decision", what),
        reason=text(step, "reason", what),
        admissible=_optional_admissible(step, what),
        reasons=_reason_codes(step),
    )


def _draft_decision(w: World, step, actor, what):
    services.dispute_draft_decision(dispute=w.case(what), actor=actor, documents=_documents(step, what))


def _decide(w: World, step, actor, what):
    services.dispute_decide(dispute=w.case(what), actor=actor, documents=_documents(step, what))


def _extend_decision_term(w: World, step, actor, what):
    weeks = field(step, "weeks", what)
    if not isinstance(weeks, int) or isinstance(weeks, bool):
        raise ScenarioError(f"{what}: 'weeks' is een geheel aantal weken")
    services.dispute_extend_decision_term(
        dispute=w.case(what),
        actor=actor,
        weeks=weeks,
        reason=text(step, "reason", what),
        documents=_documents(step, what),
    )


def _withdraw(w: World, step, actor, what):
    services.dispute_withdraw(
        dispute=w.case(what),
        actor=actor,
        reason=text(step, "reason", what),
        documents=_documents(step, what),
    )


def _settle(w: World, step, actor, what):
    """The secretary records a settlement on its ``basis`` (``agreement``: the vaststellingsovereenkomst signed
    by every party; ``withdrawal``: the intrekking of every remaining applicant), ``signed_by`` naming the
    organisations (keys) that signed."""
    signed_by = step.get("signed_by") or []
    if not isinstance(signed_by, list):
        signed_by = [signed_by]
    services.dispute_settle(
        dispute=w.case(what), actor=actor, basis=text(step, "basis", what),
        signed_by=[w.organisation(key, what) for key in signed_by],
        documents=_documents(step, what), note=text(step, "note", what),
    )


def _recuse(w: World, step, actor, what):
    services.dispute_recuse(dispute=w.case(what), actor=actor, reason=text(step, "reason", what))


def _record_objection(w: World, step, actor, what):
    """The ministry records a bezwaarschrift received on ``received_on`` (from ``party``, an organisation key, if
    given), with its ``documents`` (by default one generated ``overig`` PDF named bezwaarschrift.pdf)."""
    party = step.get("party")
    documents = _documents(step, what) or [
        ("overig", ContentFile(make_pdf("overig", 1, "Bezwaarschrift"), name="bezwaarschrift.pdf"))]
    services.dispute_record_objection(
        dispute=w.case(what),
        actor=actor,
        received_on=parse_date(field(step, "received_on", what), f"{what} received_on"),
        objector=w.organisation(party, what) if party else None,
        documents=documents,
        note=text(step, "note", what),
    )


def _correct_decision(w: World, step, actor, what):
    """A herstelbesluit: ``reason`` says which obvious error is corrected; without ``documents`` the letter is
    generated."""
    services.dispute_correct_decision(
        dispute=w.case(what), actor=actor, reason=text(step, "reason", what), documents=_documents(step, what)
    )


def _compose_commission(w: World, step, actor, what):
    members = field(step, "members", what)
    if not isinstance(members, list):
        raise ScenarioError(f"{what}: 'members' is een lijst van gebruikers")
    chair = w.user(field(step, "chair", what), what)
    services.dispute_compose_commission(dispute=w.case(what), actor=actor, chair=chair,
                                        members=[w.user(key, what) for key in members])


def _replace_seat(w: World, step, actor, what):
    dispute = w.case(what)
    leaving = w.user(field(step, "seat", what), what)
    seat = dispute.commission_seats.filter(user=leaving).order_by("-appointed_at").first()
    if seat is None:
        raise ScenarioError(f"{what}: '{step['seat']}' heeft geen zetel in de commissie van dit geschil")
    deputy = w.user(field(step, "user", what), what)
    services.dispute_replace_seat(dispute=dispute, actor=actor, seat=seat, user=deputy,
                                  reason=text(step, "reason", what))


def _tick(w: World, step, actor, what):
    done = services.enforce_deadlines()
    moved = ", ".join(f"{name}: {count}" for name, count in done.items() if count)
    w.log(f"{what}: termijnbewaking {moved or 'niets te doen'}")


def _expect(w: World, step, actor, what):
    check_expectation(w, what, {k: v for k, v in step.items() if k in EXPECT_KEYS})


def _export_dossier(w: World, step, actor, what):
    """Write the dossier the actor may have, by the web's rule (``services.dossier.require_export``):
    ``audience`` (``full`` or ``party``) or else the most complete version the actor may export, so a
    party gets the party version. Nothing is recorded on the case (as ``manage.py export_dossier``)."""
    from ..dossier import export_dossier as exporter
    from ..services import dossier as dossier_service

    dispute = w.case(what)
    audience = step.get("audience")
    audience = dossier_service.widest_audience(actor, dispute) if audience is None else str(audience)
    dossier_service.require_export(actor=actor, dispute=dispute, audience=audience)
    out_dir = w.export_dir or Path(getattr(settings, "VAR_DIR", Path.cwd())) / "dossiers"
    out_dir.mkdir(parents=True, exist_ok=True)
    result = exporter(dispute, out_dir, audience=audience)
    w.dossier = {
        "pdf": str(Path(result["pdf"]).resolve()),
        "zip": str(Path(result["zip"]).resolve()),
        "pages": int(result["pages"]),
        "audience": audience,
    }


def _keys(*names: str) -> set[str]:
    return set(names)


#: verb -> (handler, the step keys it reads, whether 'by' is required)
VERBS: dict[str, tuple[Callable, set[str], bool]] = {
    "effort": (_effort, _keys("kind", "occurred_on", "summary", "participants", "organisation"), True),
    "file": (
        _file,
        _keys("kind", "applicants", "respondents", "arose_on", "points", "title", "documents"),
        True,
    ),
    "upload": (_upload, _keys("documents"), True),
    "submit": (_simple(services.dispute_submit), set(), True),
    "start_review": (_simple(services.dispute_start_review), set(), True),
    "request_remedy": (_request_remedy, _keys("deadline", "reason", "requested", "documents"), True),
    "add_documents": (_add_documents, _keys("documents", "note"), True),
    "supply_remedy": (_supply_remedy, _keys("documents", "note"), True),
    "lapse_remedy": (_simple(services.dispute_lapse_remedy), set(), True),
    "point_admissibility": (_point_admissibility, _keys("point", "admissible", "reasons", "note"), True),
    "pass_admissibility": (_simple(services.dispute_pass_admissibility), set(), True),
    "assess_efforts": (_assess_efforts, _keys("sufficient", "reason"), True),
    "accept": (_simple(services.dispute_accept), set(), True),
    "declare_inadmissible": (
        _declare_inadmissible, _keys("reasons", "points", "late_remedy_weighed", "documents"), True
    ),
    "respond": (_respond, _keys("documents", "positions"), True),
    "close_responses": (_simple(services.dispute_close_responses), set(), True),
    "allow_late_response": (_allow_late_response, _keys("party"), True),
    "request_information": (_request_information, _keys("party", "question", "deadline", "documents"), True),
    "answer_information": (_answer_information, _keys("party", "answer", "documents"), True),
    "send_letter": (_send_letter, _keys("kind"), True),
    "prepare_publication": (_prepare_publication, set(), True),
    "add_replacement": (_add_replacement, _keys("original", "replacement", "reason"), True),
    "approve_publication": (_approve_publication, set(), True),
    "invite_view": (_invite_view, _keys("organisation", "question", "deadline", "documents"), True),
    "join_party": (_join_party, _keys("organisation", "reason"), True),
    "schedule_hearing": (_schedule_hearing, _keys("hearing_at", "place", "documents", "after_term_reason"), True),
    "reschedule_hearing": (
        _reschedule_hearing, _keys("hearing_at", "place", "reason", "documents", "after_term_reason"), True
    ),
    "record_hearing": (_record_hearing, _keys("documents"), True),
    "skip_hearing": (_skip_hearing, _keys("reason"), True),
    "advise_point": (_advise_point, _keys("point", "finding", "recommendation", "admissible", "reasons"), True),
    "issue_advice": (_issue_advice, _keys("documents", "open_requests_reason"), True),
    "decide_point": (
        _decide_point, _keys("point", "follow_advice", "decision", "reason", "admissible", "reasons"), True
    ),
    "draft_decision": (_draft_decision, _keys("documents"), True),
    "decide": (_decide, _keys("documents"), True),
    "extend_decision_term": (_extend_decision_term, _keys("weeks", "reason", "documents"), True),
    "withdraw": (_withdraw, _keys("reason", "documents"), True),
    "settle": (_settle, _keys("basis", "signed_by", "documents", "note"), True),
    "close": (_simple(services.dispute_close), set(), True),
    "recuse": (_recuse, _keys("reason"), True),
    "record_objection": (_record_objection, _keys("received_on", "party", "documents", "note"), True),
    "correct_decision": (_correct_decision, _keys("reason", "documents"), True),
    "compose_commission": (_compose_commission, _keys("chair", "members"), True),
    "replace_seat": (_replace_seat, _keys("seat", "user", "reason"), True),
    "export_dossier": (_export_dossier, _keys("audience"), True),
    "tick": (_tick, set(), False),
    "expect": (_expect, _keys("state", "points", "deadlines", "case", "withdrawn_by", "letters", "published",
                              "not_in_publication"), False),
}
