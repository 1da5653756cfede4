"""The scenario engine (shared/docs/scenarios.md): set up parties, then play a case through the services.

Every change to a case goes through ``disputes.services``; the runner only sets up organisations,
users and the local agreement (which have no service), moves the clock and checks expectations.
Each step runs in its own transaction, so a step that fails (as expected or not) changes nothing.

Besides the verbs of scenarios.md the runner knows the product's other services: ``answer_information``
(``answer``, ``documents``; with ``party`` the secretary records that party's answer),
``reschedule_hearing`` (``hearing_at``, ``place``, ``reason``), ``allow_late_response`` (``party``),
``draft_decision``, ``lapse_remedy`` and ``recuse`` (``reason``); ``compose_commission`` (the secretary seats
``chair`` and ``members``, user keys, from the commission's roster) and ``replace_seat`` (``seat``: the user
whose seat a deputy takes, ``user``: the deputy, ``reason``). ``export_dossier`` takes an optional
``audience`` (``full`` or ``party``; by default the most complete version the actor may export).

``withdraw`` by a member of one applicant of a joint request ends only that applicant's part (the case goes on);
the last applicant's ``withdraw`` ends the case. ``settle`` needs its ``basis`` (procedure.md §0): ``agreement``
(a ``vaststellingsovereenkomst`` document, ``signed_by: [org keys]`` naming every party still in the case) or
``withdrawal`` (an ``intrekking`` document, ``signed_by`` naming every applicant that had not withdrawn yet).
``expect`` also takes ``withdrawn_by: [org keys]``: exactly these applicants have withdrawn their part.

The secretariat's verdict on a point's admissibility is a proposal: ``advise_point`` and ``decide_point`` take an
optional ``admissible`` (absent: as proposed) and, when false, ``reasons`` (codes A1-A9). ``declare_inadmissible``
takes ``points: {point key: {reasons, note, depart}}`` (a point left out adopts the secretariat's verdict; ``depart:
true`` with reasons and a note declares a point the secretariat found admissible inadmissible) and
``late_remedy_weighed`` (how a remedy sent after its term was weighed, Awb 4:5). Per point ``expect`` also takes
``advised_admissibility`` and ``decided_admissibility`` (``admissible``, ``inadmissible`` or null: the commission's
advice and the Minister's decision on the point's admissibility; ``admissibility`` is the secretariat's proposal).

Letters (issue 16): ``send_letter`` (secretary or Minister's official: ``kind``, a letter kind of
``disputes.letterbook.KINDS`` that fits the case's state, e.g. ``uitnodiging_hoorzitting`` once the hearing is
scheduled) drafts the letter with the wording in use and sends it: one PDF per addressee among the case's documents,
the parties told by e-mail that a letter is waiting, the template version in the case event ``letter_sent``; a
``vraag_inlichtingen`` is about the latest question. A kind that does not fit the state is refused (``transition``).

Publication (issue 17, docs/publication.md): ``prepare_publication`` (secretary) prepares the publication version of a
decided case, the names and identifying patterns found replaced; ``add_replacement`` (secretary: ``original``,
optional ``replacement``, by default ``[persoon]``, and ``reason``) takes one more text out of it;
``approve_publication`` (another secretary: never who prepared it or changed a replacement, else ``permission``)
publishes it. ``expect`` also takes ``published: true|false`` and ``not_in_publication: [text]`` (none of these texts
is in the published text).

The others of the agreement (Awb 4:8): ``invite_view`` (secretary: ``organisation``, a party to the agreement that
is no party to the case; optional ``question``, ``deadline``, ``documents``) invites it to give its view; its
members then see the case and answer with ``answer_information``; ``join_party`` (secretary: ``organisation``,
``reason``) joins such an interested party as a respondent.

After the decision (Awb 6:9, herstelbesluit): ``record_objection`` (secretary or Minister's official:
``received_on``, optional ``party`` (organisation key), ``documents``, by default one generated bezwaarschrift,
``note``) records a received bezwaar, after which the case stays open (``tick`` no longer closes it);
``correct_decision`` (Minister's official: ``reason``, optional ``documents``, else the herstelbesluit letter is
generated) corrects an obvious error in the decision and starts its own objection term. ``tick`` closes a decided
case only after the objection term and the week after it (Awb 6:9 lid 2).

``extend_decision_term`` needs its ``reason`` (BTIV art. 40 lid 2): the verlengingsbericht is generated and sent to
every party and to the college van B&W of the gemeente of the agreement (organisations take an ``email``, their
general address); uploaded ``documents`` are extra attachments. ``decide`` is refused (``permission``) to whoever
recorded a ``decide_point`` or ``draft_decision`` on the case (four eyes). ``expect`` also takes ``letters:
{document type: {count: n, sent_to: [org keys]}}``: the case has ``n`` generated letters of that type, the event of
each names every organisation of ``sent_to`` as notified, and the one notified as B&W has the letter in the outbox.

Steps in their order (issue 12, defect 13): ``schedule_hearing`` and ``reschedule_hearing`` refuse (``validation``) a
hearing after the last day of the decision term as it then stands, unless the step gives ``after_term_reason``
(recorded with the hearing's event); ``record_hearing`` is refused before the hearing's moment; ``issue_advice`` is
refused while an information request is open, unless it is answered first (the secretary records the answer:
``answer_information`` with ``party``) or the step gives ``open_requests_reason`` (recorded with the advice's event).

Documents after filing (issue 13, item 3): ``request_remedy`` takes ``requested`` (a list of document types the
applicant is asked for, e.g. ``[machtiging, verslag_overleg]``; the applicant's ``supply_remedy`` sends them as
``documents`` of those types); ``add_documents`` (a member of a party: ``documents``, optional ``note``) adds
documents to the case at any open step, into that step's bundle, and the secretariat and the other parties are
told; it is refused (``transition``) in a draft or a concluded case and (``permission``) to staff.

The engine in parts: ``schema`` (the file, its keys, reading values), ``setup`` (the world:
organisations, users, agreement), ``verbs`` (one handler per verb and the ``VERBS`` table),
``expectations`` (``expect``) and, here, the loop that plays the steps and the summary.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import clock
from ..errors import error_kind
from ..models import DeadlineKind, Dispute, DisputeEvent
from ..services import deadlines as deadline_store
from .expectations import check_expectation
from .schema import ERROR_KINDS, STEP_KEYS, ScenarioError, check_scenario, parse_moment
from .setup import Log, World
from .verbs import VERBS


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


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(str(m) for m in exc.messages)
    return str(exc) or type(exc).__name__


class _ExpectedErrorMissing(Exception):
    """Raised inside a step's transaction to roll it back when its expected error did not happen."""


# -- the runner ----------------------------------------------------------------------------------


class _Runner:
    def __init__(self, data: dict, *, password: str | None, export_dir, log: Log):
        check_scenario(data)
        self.data = data
        self.password = password
        self.world = World(export_dir=export_dir, log=log)
        self.now: datetime | None = None

    def run(self) -> dict:
        world = self.world
        with transaction.atomic():
            world.set_up_organisations(self.data.get("organisations") or {})
            world.set_up_users(self.data.get("users") or {}, password=self.password)
            world.set_up_agreement(self.data.get("agreement"))
        steps = self.data.get("steps") or []
        if not isinstance(steps, list):
            raise ScenarioError("'steps' is een lijst van stappen")
        for number, step in enumerate(steps, start=1):
            self._play(number, step)
        if self.data.get("expect") is not None:
            expectation = self.data["expect"]
            if not isinstance(expectation, dict):
                raise ScenarioError("eindcontrole (expect): verwacht een mapping")
            check_expectation(world, "eindcontrole (expect)", expectation)
        return self.summary()

    # -- playing a step ----------------------------------------------------------------------------
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
            moment = parse_moment(step["at"], f"{what} at")
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
            self.world.user(step.get("by"), what)
            if needs_actor
            else (self.world.user(step["by"], what) if step.get("by") is not None else None)
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
                handler(self.world, step, actor, what)
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
                self.world.log(f"{what} {when}{who}: geweigerd zoals verwacht ({kind}): {_describe(exc)}")
                return
            if expected is not None:
                raise ScenarioError(
                    f"{what}: verwachtte een fout van de soort '{expected}', maar kreeg "
                    f"{kind or type(exc).__name__}: {_describe(exc)}"
                ) from exc
            raise ScenarioError(
                f"{what}: onverwachte fout ({kind or type(exc).__name__}): {_describe(exc)}"
            ) from exc
        self.world.log(f"{what} {when}{who}: ok")

    # -- the summary -------------------------------------------------------------------------------
    def summary(self) -> dict:
        world = self.world
        if world.dispute is None:
            return {
                "case": None,
                "state": None,
                "kind": None,
                "points": {},
                "deadlines": {},
                "events": 0,
                "documents": 0,
                "dossier": world.dossier,
            }
        return summarize(Dispute.objects.get(pk=world.dispute.pk), dossier=world.dossier)


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
