"""The scenario engine (shared/docs/scenarios.md): set up parties, then play a case through the services.

Every change to a case goes through ``disputes.services``; the runner only sets up organisations,
users and the local agreement (which have no service), moves the clock and checks expectations.
Each step runs in its own transaction, so a step that fails (as expected or not) changes nothing.

Besides the verbs of scenarios.md the runner knows the product's other services: ``answer_information``
(``answer``, ``documents``; with ``party`` the secretary records that party's answer),
``reschedule_hearing`` (``hearing_at``, ``place``, ``reason``), ``allow_late_response`` (``party``),
``draft_decision``, ``lapse_remedy`` and ``recuse`` (``reason``). ``export_dossier`` takes an optional
``audience`` (``full`` or ``party``; by default the most complete version the actor may export).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from .. import clock, permissions, selectors, services
from ..errors import error_kind
from ..models import (
    Confidentiality,
    DeadlineKind,
    Dispute,
    DisputeEvent,
    DocumentType,
    LocalAgreement,
    Membership,
    Organisation,
    OrganisationKind,
    StaffRole,
)
from ..services import deadlines as deadline_store
from .pdfs import make_pdf

ERROR_KINDS = ("permission", "transition", "validation", "deadline", "conflict")
TOP_LEVEL_KEYS = {"name", "description", "organisations", "users", "agreement", "steps", "expect"}
STEP_KEYS = {"do", "at", "by", "expect_error", "comment"}
DOCUMENT_KEYS = {"type", "pages", "name", "confidentiality"}
POINT_EXPECT_FIELDS = {
    "admissibility": "admissibility",
    "advice": "advice_finding",
    "decision": "decision_finding",
}
_REQUIRED = object()

Log = Callable[[str], None]


class ScenarioError(Exception):
    """The scenario cannot be played: a bad file, an unexpected failure or an expectation that fails."""


def load_file(path: str | Path) -> dict:
    """Read a scenario file; raises ScenarioError when it is missing or not a YAML mapping."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"kan het scenario {path} niet lezen: {exc.strerror or exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{path} is geen geldige YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: een scenario is een YAML-mapping met o.a. 'steps'")
    return data


def run_scenario(
    data: dict, *, password: str | None = None, export_dir: str | Path | None = None, log: Log | None = None
) -> dict:
    """Play scenario ``data`` in the configured database and return its summary (scenarios.md).

    ``password`` is set on every user the scenario creates (otherwise they get an unusable password);
    ``export_dir`` is where ``export_dossier`` writes. Raises ScenarioError on any failure.
    """
    runner = _Runner(data, password=password, export_dir=export_dir, log=log or (lambda message: None))
    try:
        return runner.run()
    finally:
        clock.set_now(None)


# -- value parsing -------------------------------------------------------------------------------


def _parse_moment(value: Any, what: str) -> datetime:
    """A local Europe/Amsterdam moment from "YYYY-MM-DD HH:MM" (or a YAML date/datetime)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise ScenarioError(f"{what}: '{value}' is geen tijdstip (verwacht 'JJJJ-MM-DD UU:MM')") from exc
    else:
        raise ScenarioError(f"{what}: '{value}' is geen tijdstip (verwacht 'JJJJ-MM-DD UU:MM')")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=clock.AMSTERDAM)
    return moment.astimezone(clock.AMSTERDAM)


def _parse_date(value: Any, what: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ScenarioError(f"{what}: '{value}' is geen datum (verwacht 'JJJJ-MM-DD')") from exc
    raise ScenarioError(f"{what}: '{value}' is geen datum (verwacht 'JJJJ-MM-DD')")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(str(m) for m in exc.messages)
    return str(exc) or type(exc).__name__


class _ExpectedErrorMissing(Exception):
    """Raised inside a step's transaction to roll it back when its expected error did not happen."""


# -- the runner ----------------------------------------------------------------------------------


class _Runner:
    def __init__(self, data: dict, *, password: str | None, export_dir, log: Log):
        if not isinstance(data, dict):
            raise ScenarioError("een scenario is een mapping met o.a. 'steps'")
        unknown = set(data) - TOP_LEVEL_KEYS
        if unknown:
            raise ScenarioError(f"onbekende sleutel(s) in het scenario: {', '.join(sorted(unknown))}")
        self.data = data
        self.password = password
        self.export_dir = Path(export_dir) if export_dir else None
        self.log = log
        self.organisations: dict[str, Organisation] = {}
        self.users: dict[str, Any] = {}
        self.agreement: LocalAgreement | None = None
        self.dispute: Dispute | None = None
        self.dossier: dict | None = None
        self.now: datetime | None = None

    # -- setup ------------------------------------------------------------------------------------
    def run(self) -> dict:
        with transaction.atomic():
            self._setup_organisations(self.data.get("organisations") or {})
            self._setup_users(self.data.get("users") or {})
            self._setup_agreement(self.data.get("agreement"))
        steps = self.data.get("steps") or []
        if not isinstance(steps, list):
            raise ScenarioError("'steps' is een lijst van stappen")
        for number, step in enumerate(steps, start=1):
            self._play(number, step)
        if self.data.get("expect") is not None:
            expectation = self.data["expect"]
            if not isinstance(expectation, dict):
                raise ScenarioError("eindcontrole (expect): verwacht een mapping")
            self._check_expectation("eindcontrole (expect)", expectation)
        return self.summary()

    def _setup_organisations(self, spec) -> None:
        if not isinstance(spec, dict):
            raise ScenarioError("'organisations' is een mapping sleutel -> {kind, name}")
        for key, org in spec.items():
            what = f"organisatie '{key}'"
            if not isinstance(org, dict) or not org.get("name") or not org.get("kind"):
                raise ScenarioError(f"{what}: geef 'kind' en 'name'")
            unknown = set(org) - {"kind", "name", "email"}
            if unknown:
                raise ScenarioError(f"{what}: onbekende sleutel(s) {', '.join(sorted(unknown))}")
            if org["kind"] not in OrganisationKind.values:
                raise ScenarioError(
                    f"{what}: onbekende soort '{org['kind']}' (kies uit {', '.join(OrganisationKind.values)})"
                )
            obj, _created = Organisation.objects.get_or_create(
                name=org["name"], defaults={"kind": org["kind"], "email": org.get("email") or ""}
            )
            if obj.kind != org["kind"]:
                raise ScenarioError(f"{what}: '{obj.name}' bestaat al als {obj.kind}, niet als {org['kind']}")
            self.organisations[str(key)] = obj

    def _setup_users(self, spec) -> None:
        if not isinstance(spec, dict):
            raise ScenarioError("'users' is een mapping sleutel -> {organisation} of {role}")
        User = get_user_model()
        for key, user_spec in spec.items():
            key = str(key)
            what = f"gebruiker '{key}'"
            user_spec = user_spec or {}
            if not isinstance(user_spec, dict):
                raise ScenarioError(f"{what}: geef 'organisation' of 'role'")
            unknown = set(user_spec) - {"organisation", "role", "first_name", "last_name", "email"}
            if unknown:
                raise ScenarioError(f"{what}: onbekende sleutel(s) {', '.join(sorted(unknown))}")
            org_key, role = user_spec.get("organisation"), user_spec.get("role")
            if bool(org_key) == bool(role):
                raise ScenarioError(f"{what}: een gebruiker hoort bij één organisatie óf heeft één rol")
            user, created = User.objects.get_or_create(
                username=key,
                defaults={
                    "first_name": user_spec.get("first_name", ""),
                    "last_name": user_spec.get("last_name", ""),
                    "email": user_spec.get("email", f"{key}@demo.invalid"),
                },
            )
            if created or (self.password and not user.has_usable_password()):
                if self.password:
                    user.set_password(self.password)
                else:
                    user.set_unusable_password()
                user.save()
            memberships = set(user.memberships.values_list("organisation_id", flat=True))
            staff_groups = set(user.groups.filter(name__in=StaffRole.values).values_list("name", flat=True))
            if org_key:
                organisation = self._organisation(org_key, what)
                if staff_groups or memberships - {organisation.pk}:
                    raise ScenarioError(f"{what}: bestaat al met een andere organisatie of rol")
                Membership.objects.get_or_create(user=user, organisation=organisation)
            else:
                if role not in StaffRole.values:
                    raise ScenarioError(
                        f"{what}: onbekende rol '{role}' (kies uit {', '.join(StaffRole.values)})"
                    )
                if memberships or staff_groups - {role}:
                    raise ScenarioError(f"{what}: bestaat al met een andere organisatie of rol")
                try:
                    group = Group.objects.get(name=role)
                except Group.DoesNotExist as exc:
                    raise ScenarioError(f"{what}: de groep '{role}' ontbreekt (draai eerst migrate)") from exc
                user.groups.add(group)
            # a fresh object: no cached roles or organisations from before the set-up
            self.users[key] = User.objects.get(pk=user.pk)

    def _setup_agreement(self, spec) -> None:
        if spec is None:
            return
        if not isinstance(spec, dict):
            raise ScenarioError("'agreement' is een mapping met municipality, corporations, year, ...")
        unknown = set(spec) - {
            "municipality",
            "corporations",
            "tenant_organisations",
            "year",
            "overleg_started_on",
            "bid_on",
        }
        if unknown:
            raise ScenarioError(f"agreement: onbekende sleutel(s) {', '.join(sorted(unknown))}")
        what = "agreement"
        municipality = self._organisation(spec.get("municipality"), what)
        if municipality.kind != OrganisationKind.GEMEENTE:
            raise ScenarioError(f"{what}: '{municipality.name}' is geen gemeente")
        corporations = [self._organisation(k, what) for k in spec.get("corporations") or []]
        if any(o.kind != OrganisationKind.WONINGCORPORATIE for o in corporations):
            raise ScenarioError(f"{what}: 'corporations' mogen alleen woningcorporaties zijn")
        tenants = [self._organisation(k, what) for k in spec.get("tenant_organisations") or []]
        if any(
            o.kind not in (OrganisationKind.HUURDERSORGANISATIE, OrganisationKind.BEWONERSCOMMISSIE)
            for o in tenants
        ):
            raise ScenarioError(
                f"{what}: 'tenant_organisations' zijn huurdersorganisaties of bewonerscommissies"
            )
        year = spec.get("year")
        if not isinstance(year, int):
            raise ScenarioError(f"{what}: 'year' is een jaartal")
        dates = {
            field: _parse_date(spec[field], f"{what}.{field}")
            for field in ("overleg_started_on", "bid_on")
            if spec.get(field) is not None
        }
        agreement, created = LocalAgreement.objects.get_or_create(
            municipality=municipality, year=year, defaults=dates
        )
        if not created and dates:
            for field, value in dates.items():
                setattr(agreement, field, value)
            agreement.save(update_fields=list(dates))
        agreement.corporations.add(*corporations)
        agreement.tenant_organisations.add(*tenants)
        self.agreement = agreement

    # -- lookups ------------------------------------------------------------------------------------
    def _organisation(self, key, what: str) -> Organisation:
        if key is None or str(key) not in self.organisations:
            raise ScenarioError(f"{what}: onbekende organisatie '{key}'")
        return self.organisations[str(key)]

    def _user(self, key, what: str):
        if key is None:
            raise ScenarioError(f"{what}: 'by' (wie doet dit) ontbreekt")
        if str(key) not in self.users:
            raise ScenarioError(f"{what}: onbekende gebruiker '{key}'")
        return self.users[str(key)]

    def _case(self, what: str) -> Dispute:
        if self.dispute is None:
            raise ScenarioError(f"{what}: er is nog geen geschil; begin met een 'file'-stap")
        return Dispute.objects.get(pk=self.dispute.pk)

    def _agreement(self, what: str) -> LocalAgreement:
        if self.agreement is None:
            raise ScenarioError(f"{what}: het scenario heeft geen 'agreement'")
        return self.agreement

    # -- playing a step -------------------------------------------------------------------------------
    def _play(self, number: int, step) -> None:
        if not isinstance(step, dict) or "do" not in step:
            raise ScenarioError(f"stap {number}: een stap is een mapping met 'do'")
        verb = step["do"]
        what = f"stap {number} ({verb})"
        spec = VERBS.get(verb)
        if spec is None:
            raise ScenarioError(f"stap {number}: onbekend werkwoord '{verb}'")
        handler, keys, needs_actor = spec
        unknown = set(step) - STEP_KEYS - keys
        if unknown:
            raise ScenarioError(f"{what}: onbekende sleutel(s) {', '.join(sorted(unknown))}")
        if "at" in step:
            moment = _parse_moment(step["at"], f"{what} at")
            if self.now is not None and moment < self.now:
                raise ScenarioError(
                    f"{what}: de klok kan niet terug "
                    f"({moment:%Y-%m-%d %H:%M} ligt vóór {self.now:%Y-%m-%d %H:%M})"
                )
            self.now = moment
            clock.set_now(moment)
        elif self.now is None and verb != "expect":
            raise ScenarioError(f"{what}: de eerste stap heeft een tijdstip nodig ('at')")
        actor = (
            self._user(step.get("by"), what)
            if needs_actor
            else (self._user(step["by"], what) if step.get("by") is not None else None)
        )
        expected = step.get("expect_error")
        if expected is not None and (expected not in ERROR_KINDS or verb == "expect"):
            raise ScenarioError(
                f"{what}: expect_error is een van {', '.join(ERROR_KINDS)} (en niet bij 'expect')"
            )
        when = f"{self.now:%Y-%m-%d %H:%M}" if self.now else "-"
        who = f" door {step['by']}" if step.get("by") is not None else ""
        try:
            with transaction.atomic():
                handler(self, step, actor, what)
                if expected is not None:
                    raise _ExpectedErrorMissing
        except _ExpectedErrorMissing:
            raise ScenarioError(
                f"{what}: verwachtte een fout van de soort '{expected}', maar de stap slaagde"
            ) from None
        except ScenarioError:
            raise
        except Exception as exc:  # every failure is reported with its step
            kind = error_kind(exc)
            if expected is not None and kind == expected:
                self.log(f"{what} {when}{who}: geweigerd zoals verwacht ({kind}): {_describe(exc)}")
                return
            if expected is not None:
                raise ScenarioError(
                    f"{what}: verwachtte een fout van de soort '{expected}', maar kreeg "
                    f"{kind or type(exc).__name__}: {_describe(exc)}"
                ) from exc
            raise ScenarioError(
                f"{what}: onverwachte fout ({kind or type(exc).__name__}): {_describe(exc)}"
            ) from exc
        self.log(f"{what} {when}{who}: ok")

    # -- documents ------------------------------------------------------------------------------------
    def _documents(self, step: dict, what: str, *, with_confidentiality: bool = False) -> list:
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

    def _point(self, dispute: Dispute, step: dict, what: str):
        return services.point_by_key(dispute, str(_get(step, "point", what)))

    # -- expectations ---------------------------------------------------------------------------------
    def _check_expectation(self, what: str, expectation: dict) -> None:
        unknown = set(expectation) - {"state", "points", "deadlines", "case"}
        if unknown:
            raise ScenarioError(f"{what}: onbekende sleutel(s) {', '.join(sorted(unknown))}")
        dispute = Dispute.objects.get(pk=self.dispute.pk) if self.dispute is not None else None
        problems = []
        if dispute is None:
            raise ScenarioError(f"{what}: er is geen geschil om te controleren")
        if "state" in expectation and dispute.state != expectation["state"]:
            problems.append(f"status is '{dispute.state}', verwacht '{expectation['state']}'")
        if "case" in expectation and dispute.case_number != expectation["case"]:
            problems.append(f"zaaknummer is '{dispute.case_number}', verwacht '{expectation['case']}'")
        points = expectation.get("points") or {}
        if not isinstance(points, dict):
            raise ScenarioError(
                f"{what}: 'points' is een mapping sleutel -> {{admissibility, advice, decision}}"
            )
        actual_points = {p.key: p for p in dispute.points.all()}
        for key, fields in points.items():
            point = actual_points.get(str(key))
            if point is None:
                problems.append(f"geschilpunt '{key}' bestaat niet")
                continue
            if not isinstance(fields, dict) or set(fields) - set(POINT_EXPECT_FIELDS):
                raise ScenarioError(f"{what}: bij punt '{key}' kunnen admissibility, advice en decision")
            for name, value in fields.items():
                actual = getattr(point, POINT_EXPECT_FIELDS[name]) or None
                if actual != (value or None):
                    problems.append(f"punt {key}: {name} is '{actual}', verwacht '{value}'")
        expected_deadlines = expectation.get("deadlines") or {}
        if not isinstance(expected_deadlines, dict):
            raise ScenarioError(f"{what}: 'deadlines' is een mapping termijn -> datum")
        for name, value in expected_deadlines.items():
            if name not in DeadlineKind.values:
                raise ScenarioError(
                    f"{what}: onbekende termijn '{name}' (kies uit {', '.join(DeadlineKind.values)})"
                )
            due = _parse_date(value, f"{what} deadlines.{name}")
            deadline = deadline_store.current(dispute, name)
            actual = deadline.due if deadline else None
            if actual != due:
                problems.append(
                    f"termijn {name} eindigt op {actual.isoformat() if actual else '(geen)'}, "
                    f"verwacht {due.isoformat() if due else '(geen)'}"
                )
        if problems:
            raise ScenarioError(f"{what}: verwachting klopt niet: " + "; ".join(problems))

    # -- the summary ------------------------------------------------------------------------------------
    def summary(self) -> dict:
        if self.dispute is None:
            return {
                "case": None,
                "state": None,
                "kind": None,
                "points": {},
                "deadlines": {},
                "events": 0,
                "documents": 0,
                "dossier": self.dossier,
            }
        return summarize(Dispute.objects.get(pk=self.dispute.pk), dossier=self.dossier)


def summarize(dispute: Dispute, *, dossier: dict | None = None) -> dict:
    """The summary of one case in the JSON format of scenarios.md."""
    deadlines = {}
    for kind in DeadlineKind.values:
        deadline = deadline_store.current(dispute, kind)
        if deadline is not None:
            deadlines[kind] = {
                "due": deadline.due.isoformat(),
                "explanation": [str(x) for x in deadline.explanation],
            }
    return {
        "case": dispute.case_number or None,
        "state": dispute.state,
        "kind": dispute.kind,
        "points": {
            p.key: {
                "admissibility": p.admissibility or None,
                "advice": p.advice_finding or None,
                "decision": p.decision_finding or None,
            }
            for p in dispute.points.order_by("number")
        },
        "deadlines": deadlines,
        "events": DisputeEvent.objects.filter(dispute=dispute).count(),
        "documents": dispute.documents.count(),
        "dossier": dossier,
    }


def format_summary(summary: dict, name: str = "") -> str:
    """The human-readable summary printed by ``run_scenario`` without ``--json``."""
    lines = [f"Scenario: {name}"] if name else []
    if summary["state"] is None:
        lines.append("Geen geschil aangemaakt.")
        return "\n".join(lines)
    lines.append(f"Zaak: {summary['case'] or '(concept, niet ingediend)'} ({summary['kind']})")
    lines.append(f"Status: {summary['state']}")
    if summary["points"]:
        lines.append("Geschilpunten:")
        for key, point in summary["points"].items():
            lines.append(
                f"  {key}: ontvankelijkheid={point['admissibility'] or '-'}, "
                f"advies={point['advice'] or '-'}, beslissing={point['decision'] or '-'}"
            )
    if summary["deadlines"]:
        lines.append("Termijnen:")
        for kind, deadline in summary["deadlines"].items():
            lines.append(f"  {kind}: {deadline['due']}")
            lines.extend(f"      {line}" for line in deadline["explanation"])
    lines.append(f"Gebeurtenissen: {summary['events']}, documenten: {summary['documents']}")
    if summary["dossier"]:
        dossier = summary["dossier"]
        lines.append(f"Dossier: {dossier['pdf']} ({dossier['pages']} pagina's), {dossier['zip']}")
    return "\n".join(lines)


def _document_title(doc_type: str) -> str:
    return str(DocumentType(doc_type).label) if doc_type in DocumentType.values else doc_type


def _get(step: dict, key: str, what: str, default=_REQUIRED):
    if key not in step or step[key] is None:
        if default is _REQUIRED:
            raise ScenarioError(f"{what}: '{key}' ontbreekt")
        return default
    return step[key]


def _bool(step: dict, key: str, what: str, default=_REQUIRED) -> bool:
    value = _get(step, key, what, default)
    if not isinstance(value, bool):
        raise ScenarioError(f"{what}: '{key}' is true of false")
    return value


def _text(step: dict, key: str, what: str, default="") -> str:
    value = _get(step, key, what, default)
    return str(value)


def _org_list(runner: _Runner, step: dict, key: str, what: str) -> list[Organisation]:
    keys = _get(step, key, what)
    if not isinstance(keys, list):
        keys = [keys]
    return [runner._organisation(k, what) for k in keys]


# -- the verbs: handler(runner, step, actor, what) ------------------------------------------------------


def _effort(r: _Runner, step, actor, what):
    organisation = r._organisation(step["organisation"], what) if step.get("organisation") else None
    occurred_on = _parse_date(step.get("occurred_on"), f"{what} occurred_on") or clock.today()
    services.effort_record(
        agreement=r._agreement(what),
        actor=actor,
        kind=_text(step, "kind", what, _REQUIRED),
        occurred_on=occurred_on,
        summary=_text(step, "summary", what),
        participants=_text(step, "participants", what),
        organisation=organisation,
    )


def _file(r: _Runner, step, actor, what):
    points = step.get("points") or []
    if not isinstance(points, list) or any(
        not isinstance(p, dict) or set(p) - {"key", "title", "position"} for p in points
    ):
        raise ScenarioError(f"{what}: 'points' is een lijst van {{key, title, position}}")
    dispute = services.dispute_file(
        actor=actor,
        agreement=r._agreement(what),
        kind=_text(step, "kind", what, _REQUIRED),
        applicants=_org_list(r, step, "applicants", what),
        respondents=_org_list(r, step, "respondents", what),
        arose_on=_parse_date(step.get("arose_on"), f"{what} arose_on"),
        points=[{k: (str(v) if v is not None else v) for k, v in p.items()} for p in points],
        title=_text(step, "title", what),
        documents=r._documents(step, what),
    )
    r.dispute = dispute


def _upload(r: _Runner, step, actor, what):
    dispute = r._case(what)
    files = r._documents(step, what, with_confidentiality=True)
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
    def handler(r: _Runner, step, actor, what):
        service(dispute=r._case(what), actor=actor)

    return handler


def _request_remedy(r: _Runner, step, actor, what):
    services.dispute_request_remedy(
        dispute=r._case(what),
        actor=actor,
        deadline=_parse_date(step.get("deadline"), f"{what} deadline"),
        reason=_text(step, "reason", what),
        documents=r._documents(step, what),
    )


def _supply_remedy(r: _Runner, step, actor, what):
    services.dispute_supply_remedy(
        dispute=r._case(what), actor=actor, documents=r._documents(step, what), note=_text(step, "note", what)
    )


def _point_admissibility(r: _Runner, step, actor, what):
    dispute = r._case(what)
    reasons = step.get("reasons") or []
    if not isinstance(reasons, list):
        reasons = [reasons]
    services.point_decide_admissibility(
        point=r._point(dispute, step, what),
        actor=actor,
        admissible=_bool(step, "admissible", what),
        reasons=[str(x) for x in reasons],
        note=_text(step, "note", what),
    )


def _assess_efforts(r: _Runner, step, actor, what):
    services.dispute_assess_efforts(
        dispute=r._case(what),
        actor=actor,
        sufficient=_bool(step, "sufficient", what),
        reason=_text(step, "reason", what),
    )


def _declare_inadmissible(r: _Runner, step, actor, what):
    reasons = step.get("reasons") or []
    if not isinstance(reasons, list):
        reasons = [reasons]
    services.dispute_declare_inadmissible(
        dispute=r._case(what),
        actor=actor,
        reasons=[str(x) for x in reasons],
        documents=r._documents(step, what),
    )


def _respond(r: _Runner, step, actor, what):
    positions = step.get("positions")
    if positions is not None and not isinstance(positions, dict):
        raise ScenarioError(f"{what}: 'positions' is een mapping punt -> standpunt")
    services.dispute_respond(
        dispute=r._case(what),
        actor=actor,
        documents=r._documents(step, what),
        positions={str(k): str(v) for k, v in positions.items()} if positions else None,
    )


def _allow_late_response(r: _Runner, step, actor, what):
    services.dispute_allow_late_response(
        dispute=r._case(what), actor=actor, organisation=r._organisation(_get(step, "party", what), what)
    )


def _request_information(r: _Runner, step, actor, what):
    services.dispute_request_information(
        dispute=r._case(what),
        actor=actor,
        party=r._organisation(_get(step, "party", what), what),
        question=_text(step, "question", what),
        deadline=_parse_date(step.get("deadline"), f"{what} deadline"),
        documents=r._documents(step, what),
    )


def _answer_information(r: _Runner, step, actor, what):
    """A party answers the oldest open information request put to it (or, with ``party``, the
    secretary records the answer of that party that came in by post)."""
    dispute = r._case(what)
    party = step.get("party")
    organisations = [r._organisation(party, what).pk] if party else permissions.organisation_ids(actor)
    requests = selectors.open_information_requests(dispute, organisations)
    if not requests:
        raise ValidationError("Er staat geen vraag om inlichtingen open voor deze partij.")
    services.dispute_answer_information(
        dispute=dispute, actor=actor, deadline_id=requests[0].deadline.pk,
        answer=str(step.get("answer", "")), documents=r._documents(step, what),
    )


def _reschedule_hearing(r: _Runner, step, actor, what):
    services.dispute_reschedule_hearing(
        dispute=r._case(what),
        actor=actor,
        hearing_at=_parse_moment(_get(step, "hearing_at", what), what),
        place=_text(step, "place", what),
        reason=_text(step, "reason", what),
        documents=r._documents(step, what),
    )


def _schedule_hearing(r: _Runner, step, actor, what):
    services.dispute_schedule_hearing(
        dispute=r._case(what),
        actor=actor,
        hearing_at=_parse_moment(_get(step, "hearing_at", what), what),
        place=_text(step, "place", what),
        documents=r._documents(step, what),
    )


def _record_hearing(r: _Runner, step, actor, what):
    services.dispute_record_hearing(dispute=r._case(what), actor=actor, documents=r._documents(step, what))


def _skip_hearing(r: _Runner, step, actor, what):
    services.dispute_skip_hearing(dispute=r._case(what), actor=actor, reason=_text(step, "reason", what))


def _advise_point(r: _Runner, step, actor, what):
    dispute = r._case(what)
    services.point_advise(
        point=r._point(dispute, step, what),
        actor=actor,
        finding=_text(step, "finding", what),
        recommendation=_text(step, "recommendation", what),
    )


def _issue_advice(r: _Runner, step, actor, what):
    services.dispute_issue_advice(dispute=r._case(what), actor=actor, documents=r._documents(step, what))


def _decide_point(r: _Runner, step, actor, what):
    dispute = r._case(what)
    follow = _bool(step, "follow_advice", what, False)
    if follow and step.get("decision"):
        raise ScenarioError(f"{what}: 'follow_advice: true' of 'decision' + 'reason', niet allebei")
    services.point_decide(
        point=r._point(dispute, step, what),
        actor=actor,
        follow_advice=follow,
        decision=_text(step, "decision", what),
        reason=_text(step, "reason", what),
    )


def _draft_decision(r: _Runner, step, actor, what):
    services.dispute_draft_decision(dispute=r._case(what), actor=actor, documents=r._documents(step, what))


def _decide(r: _Runner, step, actor, what):
    services.dispute_decide(dispute=r._case(what), actor=actor, documents=r._documents(step, what))


def _extend_decision_term(r: _Runner, step, actor, what):
    weeks = _get(step, "weeks", what)
    if not isinstance(weeks, int) or isinstance(weeks, bool):
        raise ScenarioError(f"{what}: 'weeks' is een geheel aantal weken")
    services.dispute_extend_decision_term(
        dispute=r._case(what),
        actor=actor,
        weeks=weeks,
        reason=_text(step, "reason", what),
        documents=r._documents(step, what),
    )


def _withdraw(r: _Runner, step, actor, what):
    services.dispute_withdraw(
        dispute=r._case(what),
        actor=actor,
        reason=_text(step, "reason", what),
        documents=r._documents(step, what),
    )


def _settle(r: _Runner, step, actor, what):
    services.dispute_settle(
        dispute=r._case(what), actor=actor, documents=r._documents(step, what), note=_text(step, "note", what)
    )


def _recuse(r: _Runner, step, actor, what):
    services.dispute_recuse(dispute=r._case(what), actor=actor, reason=_text(step, "reason", what))


def _tick(r: _Runner, step, actor, what):
    done = services.enforce_deadlines()
    moved = ", ".join(f"{name}: {count}" for name, count in done.items() if count)
    r.log(f"{what}: termijnbewaking {moved or 'niets te doen'}")


def _expect(r: _Runner, step, actor, what):
    r._check_expectation(
        what, {k: v for k, v in step.items() if k in {"state", "points", "deadlines", "case"}}
    )


def _export_dossier(r: _Runner, step, actor, what):
    """Write the dossier the actor may have, by the web's rule (``services.dossier.require_export``):
    ``audience`` (``full`` or ``party``) or else the most complete version the actor may export, so a
    party gets the party version. Nothing is recorded on the case (as ``manage.py export_dossier``)."""
    from ..dossier import export_dossier as exporter
    from ..services import dossier as dossier_service

    dispute = r._case(what)
    audience = step.get("audience")
    audience = dossier_service.widest_audience(actor, dispute) if audience is None else str(audience)
    dossier_service.require_export(actor=actor, dispute=dispute, audience=audience)
    out_dir = r.export_dir or Path(getattr(settings, "VAR_DIR", Path.cwd())) / "dossiers"
    out_dir.mkdir(parents=True, exist_ok=True)
    result = exporter(dispute, out_dir, audience=audience)
    r.dossier = {
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
    "request_remedy": (_request_remedy, _keys("deadline", "reason", "documents"), True),
    "supply_remedy": (_supply_remedy, _keys("documents", "note"), True),
    "lapse_remedy": (_simple(services.dispute_lapse_remedy), set(), True),
    "point_admissibility": (_point_admissibility, _keys("point", "admissible", "reasons", "note"), True),
    "pass_admissibility": (_simple(services.dispute_pass_admissibility), set(), True),
    "assess_efforts": (_assess_efforts, _keys("sufficient", "reason"), True),
    "accept": (_simple(services.dispute_accept), set(), True),
    "declare_inadmissible": (_declare_inadmissible, _keys("reasons", "documents"), True),
    "respond": (_respond, _keys("documents", "positions"), True),
    "close_responses": (_simple(services.dispute_close_responses), set(), True),
    "allow_late_response": (_allow_late_response, _keys("party"), True),
    "request_information": (_request_information, _keys("party", "question", "deadline", "documents"), True),
    "answer_information": (_answer_information, _keys("party", "answer", "documents"), True),
    "schedule_hearing": (_schedule_hearing, _keys("hearing_at", "place", "documents"), True),
    "reschedule_hearing": (_reschedule_hearing, _keys("hearing_at", "place", "reason", "documents"), True),
    "record_hearing": (_record_hearing, _keys("documents"), True),
    "skip_hearing": (_skip_hearing, _keys("reason"), True),
    "advise_point": (_advise_point, _keys("point", "finding", "recommendation"), True),
    "issue_advice": (_issue_advice, _keys("documents"), True),
    "decide_point": (_decide_point, _keys("point", "follow_advice", "decision", "reason"), True),
    "draft_decision": (_draft_decision, _keys("documents"), True),
    "decide": (_decide, _keys("documents"), True),
    "extend_decision_term": (_extend_decision_term, _keys("weeks", "reason", "documents"), True),
    "withdraw": (_withdraw, _keys("reason", "documents"), True),
    "settle": (_settle, _keys("documents", "note"), True),
    "close": (_simple(services.dispute_close), set(), True),
    "recuse": (_recuse, _keys("reason"), True),
    "export_dossier": (_export_dossier, _keys("audience"), True),
    "tick": (_tick, set(), False),
    "expect": (_expect, _keys("state", "points", "deadlines", "case"), False),
}
