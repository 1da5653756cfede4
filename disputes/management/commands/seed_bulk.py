"""Generate many realistic cases fast, for load tests and benchmarks.

    python manage.py seed_bulk 100000 --yes [--prefix Bulk] [--municipalities 342] [--batch 5000] [--seed 1]

What it makes, in batches of ``--batch`` rows with ``bulk_create``:

- per municipality (``--municipalities``, default between 10 and 342 depending on N) three organisations: the
  gemeente (with a province, in turn), a woningcorporatie and a huurdersorganisatie, each with one member
  (unusable password; username ``<prefix>-<kind>-<nnn>``, lower case), and a local agreement for each year
  2017-2026;
- N cases spread over 2017 to today, of both kinds and in every state: most ended (decided, closed, withdrawn,
  settled), about one in seven still open (recent); each with its applicant and one or two respondents, one to
  three points, the deadlines an open case has open (the decision term, and the remedy, response or information
  term of its state; a recently decided case its objection term), closed decision deadlines for the decided
  ones, and a few audit events (drafted, submit, the transition to its state; a planned hearing for a case in
  ``hearing_scheduled``);
- then the search entries of the new cases (``disputes.search.index_missing``), so staff search finds them.

Case numbers come from the same per-year counter the filing service uses (``CaseNumberCounter``,
``<CASE_NUMBER_PREFIX>-<year>-<nnnn>``): the command takes a block of numbers per year and moves the counter
past it, so a second run appends new cases and a case filed later gets the next free number. Organisations and
agreements with the same ``--prefix`` are reused; another prefix makes another set of municipalities.

It bypasses the services on purpose, like ``load_demo`` makes organisations and users directly: it makes test
data, not cases, so there is no workflow process, no task, no document and no e-mail, and the audit events are
written as rows, not by the transitions. Never run it on a database with real cases: it refuses to run unless
``--yes`` is given or the database is a test database (the one pytest-django creates).
"""

from __future__ import annotations

import random
import time
import uuid
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from disputes import clock, search
from disputes.models import (
    Admissibility,
    CaseNumberCounter,
    Deadline,
    DeadlineKind,
    Dispute,
    DisputeEvent,
    DisputeKind,
    DisputeParty,
    DisputePoint,
    Finding,
    LocalAgreement,
    Membership,
    Organisation,
    OrganisationKind,
    PartyRole,
)
from disputes.models.party import Province
from disputes.states import DisputeState

S = DisputeState
FIRST_YEAR = 2017
LAST_YEAR = 2026
#: the share of each state among the generated cases (most ended; about one in seven open)
STATE_WEIGHTS = {
    S.DECIDED: 42, S.CLOSED: 18, S.WITHDRAWN: 14, S.SETTLED: 11,
    S.SUBMITTED: 1.5, S.ADMISSIBILITY_REVIEW: 2, S.AWAITING_REMEDY: 1, S.EFFORT_REVIEW: 1.5,
    S.AWAITING_RESPONSE: 2, S.EXCHANGE: 2.5, S.HEARING_SCHEDULED: 0.03, S.DELIBERATION: 2.97, S.ADVICE_ISSUED: 1.5,
}
#: the transition that brought a case into its state (the audit event written for it)
ARRIVED_BY = {
    S.ADMISSIBILITY_REVIEW: ("start_review", S.SUBMITTED),
    S.AWAITING_REMEDY: ("request_remedy", S.ADMISSIBILITY_REVIEW),
    S.EFFORT_REVIEW: ("pass_admissibility", S.ADMISSIBILITY_REVIEW), S.AWAITING_RESPONSE: ("accept", S.EFFORT_REVIEW),
    S.EXCHANGE: ("close_responses", S.AWAITING_RESPONSE), S.HEARING_SCHEDULED: ("schedule_hearing", S.EXCHANGE),
    S.DELIBERATION: ("record_hearing", S.HEARING_SCHEDULED), S.ADVICE_ISSUED: ("issue_advice", S.DELIBERATION),
    S.DECIDED: ("decide", S.ADVICE_ISSUED), S.CLOSED: ("close", S.DECIDED), S.WITHDRAWN: ("withdraw", S.EXCHANGE),
    S.SETTLED: ("settle", S.EXCHANGE),
}
#: the deadline of its state an open case has open besides the decision term
STATE_DEADLINE = {
    S.AWAITING_REMEDY: (DeadlineKind.REMEDY, 2), S.AWAITING_RESPONSE: (DeadlineKind.RESPONSE, 4),
    S.EXCHANGE: (DeadlineKind.INFORMATION, 2),
}
POINT_TITLES = [
    "Aantal nieuw te bouwen sociale huurwoningen", "Verduurzaming van de bestaande voorraad",
    "Huurprijsbeleid en betaalbaarheid", "Toewijzing aan urgent woningzoekenden", "Sloop en vervangende nieuwbouw",
    "Investeringen in leefbaarheid", "Wonen met zorg", "Grondprijs voor sociale huur", "Verkoop van huurwoningen",
]


def is_test_database() -> bool:
    """Whether Django is connected to the test database pytest-django (or ``manage.py test``) made."""
    name = connection.settings_dict.get("NAME") or ""
    try:
        test_name = connection.creation._get_test_db_name()
    except Exception:  # pragma: no cover - a backend without test names
        return False
    return str(name) == str(test_name) or str(name).startswith("test_") or "memorydb" in str(name)


class Command(BaseCommand):
    help = "Maak N gegenereerde geschillen voor belastingtests en benchmarks (alleen testgegevens; --yes)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="het aantal geschillen")
        parser.add_argument("--yes", action="store_true",
                            help="echt doen (zonder --yes alleen op een testdatabase)")
        parser.add_argument("--prefix", default="Bulk", help="voorvoegsel van de namen van organisaties en gebruikers")
        parser.add_argument("--municipalities", type=int, default=0,
                            help="het aantal gemeenten (standaard tussen 10 en 342, naar het aantal geschillen)")
        parser.add_argument("--batch", type=int, default=5000, help="rijen per bulk_create")
        parser.add_argument("--seed", type=int, default=1, help="startwaarde van het toeval (zelfde seed, zelfde data)")

    def handle(self, *args, **options):
        count = options["count"]
        if count < 0:
            raise CommandError("Het aantal geschillen kan niet negatief zijn.")
        if not options["yes"] and not is_test_database():
            raise CommandError(
                "seed_bulk maakt testgegevens buiten de services om. Geef --yes om het op deze database "
                f"({connection.settings_dict.get('NAME')}) te doen; gebruik het nooit op een database met echte zaken."
            )
        started = time.monotonic()
        generator = Generator(
            prefix=options["prefix"], municipalities=options["municipalities"] or min(342, max(10, count // 100)),
            batch=max(1, options["batch"]), rng=random.Random(options["seed"]), today=clock.today(),
        )
        with transaction.atomic():
            generator.reference_data()
        made = 0
        while made < count:
            size = min(generator.batch, count - made)
            with transaction.atomic():
                generator.cases(size)
            made += size
            if options["verbosity"] >= 2:
                self.stdout.write(f"  {made}/{count} geschillen ({time.monotonic() - started:.1f} s)")
        indexed, _documents = search.index_missing()  # staff search finds them (docs/search.md)
        seconds = time.monotonic() - started
        self.stdout.write(f"{made} geschillen gemaakt (en {indexed} in de zoekindex) bij "
                          f"{generator.municipality_count} gemeenten in {seconds:.1f} s.")


class Generator:
    """Builds the rows in memory and writes them with ``bulk_create``; one instance per run."""

    def __init__(self, *, prefix: str, municipalities: int, batch: int, rng: random.Random, today: date):
        self.prefix = prefix
        self.municipality_count = municipalities
        self.batch = batch
        self.rng = rng
        self.today = today
        self.case_prefix = getattr(settings, "CASE_NUMBER_PREFIX", "GPA")

    # -- reference data: organisations, members, agreements ------------------------------------------------------
    def reference_data(self) -> None:
        kinds = [
            (OrganisationKind.GEMEENTE, "Gemeente", "gemeente"),
            (OrganisationKind.WONINGCORPORATIE, "Woonstichting", "corporatie"),
            (OrganisationKind.HUURDERSORGANISATIE, "Huurdersvereniging", "huurders"),
        ]
        wanted = {}
        for i in range(1, self.municipality_count + 1):
            for kind, word, _slug in kinds:
                wanted[f"{word} {self.prefix} {i:03d}"] = kind
        existing = {o.name: o for o in Organisation.objects.filter(name__in=list(wanted))}
        provinces = Province.values
        Organisation.objects.bulk_create(
            [Organisation(kind=kind, name=name, email="",
                          province=provinces[int(name.rsplit(" ", 1)[1]) % len(provinces)]
                          if kind == OrganisationKind.GEMEENTE else "")
             for name, kind in wanted.items() if name not in existing],
            batch_size=self.batch,
        )
        orgs = {o.name: o for o in Organisation.objects.filter(name__in=list(wanted))}
        self.triples = []  # (gemeente, corporatie, huurders)
        for i in range(1, self.municipality_count + 1):
            self.triples.append(tuple(orgs[f"{word} {self.prefix} {i:03d}"] for _kind, word, _slug in kinds))

        User = get_user_model()
        usernames = {}
        for i, triple in enumerate(self.triples, start=1):
            for org, (_kind, _word, slug) in zip(triple, kinds, strict=True):
                usernames[f"{self.prefix.lower()}-{slug}-{i:03d}"] = org
        known = set(User.objects.filter(username__in=list(usernames)).values_list("username", flat=True))
        new_users = []
        for username in usernames:
            if username not in known:
                user = User(username=username, email=f"{username}@bulk.invalid")
                user.set_unusable_password()
                new_users.append(user)
        User.objects.bulk_create(new_users, batch_size=self.batch)
        users = {u.username: u for u in User.objects.filter(username__in=list(usernames))}
        Membership.objects.bulk_create(
            [Membership(user=users[name], organisation=org) for name, org in usernames.items()],
            batch_size=self.batch, ignore_conflicts=True,
        )
        self.member = {org.pk: users[name] for name, org in usernames.items()}

        years = range(FIRST_YEAR, LAST_YEAR + 1)
        gemeenten = [t[0] for t in self.triples]
        have = set(LocalAgreement.objects.filter(municipality__in=gemeenten).values_list("municipality_id", "year"))
        new = [LocalAgreement(municipality=g, year=y, overleg_started_on=date(y - 1, 9, 1), bid_on=date(y - 1, 7, 1))
               for g in gemeenten for y in years if (g.pk, y) not in have]
        LocalAgreement.objects.bulk_create(new, batch_size=self.batch)
        corporations = LocalAgreement.corporations.through
        tenants = LocalAgreement.tenant_organisations.through
        by_gemeente = {t[0].pk: t for t in self.triples}
        corporations.objects.bulk_create(
            [corporations(localagreement_id=a.pk, organisation_id=by_gemeente[a.municipality_id][1].pk) for a in new],
            batch_size=self.batch)
        tenants.objects.bulk_create(
            [tenants(localagreement_id=a.pk, organisation_id=by_gemeente[a.municipality_id][2].pk) for a in new],
            batch_size=self.batch)
        self.agreements = {
            (a.municipality_id, a.year): a for a in LocalAgreement.objects.filter(municipality__in=gemeenten)
        }
        self.states = list(STATE_WEIGHTS)
        self.weights = list(STATE_WEIGHTS.values())

    # -- cases ---------------------------------------------------------------------------------------------------
    def _numbers(self, per_year: dict[int, int]) -> dict[int, list[str]]:
        """A block of case numbers per year, taken from the filing service's counter."""
        numbers = {}
        for year, n in per_year.items():
            CaseNumberCounter.objects.get_or_create(year=year)
            counter = CaseNumberCounter.objects.select_for_update().get(year=year)
            first = counter.last + 1
            counter.last += n
            counter.save(update_fields=["last"])
            numbers[year] = [f"{self.case_prefix}-{year}-{k:04d}" for k in range(first, first + n)]
        return numbers

    def _moment(self, day: date, hour: int = 10) -> datetime:
        return datetime(day.year, day.month, day.day, hour, self.rng.randrange(60), tzinfo=clock.AMSTERDAM)

    def cases(self, size: int) -> None:
        rng, today = self.rng, self.today
        start = date(FIRST_YEAR, 1, 2)
        span = max(1, (today - start).days)
        plans = []
        for _ in range(size):
            state = rng.choices(self.states, self.weights)[0]
            if state in (S.DECIDED, S.CLOSED, S.WITHDRAWN, S.SETTLED):
                filed = start + timedelta(days=rng.randrange(max(1, span - 60)))
            else:  # open cases are recent: filed in the last half year
                filed = today - timedelta(days=rng.randrange(1, 180))
            plans.append((state, filed))
        per_year: dict[int, int] = {}
        for _state, filed in plans:
            per_year[filed.year] = per_year.get(filed.year, 0) + 1
        numbers = {year: iter(block) for year, block in sorted(self._numbers(per_year).items())}

        disputes, parties, points, deadlines, events = [], [], [], [], []
        for state, filed in plans:
            gemeente, corporation, tenants = rng.choice(self.triples)
            agreement = self.agreements[(gemeente.pk, min(LAST_YEAR, max(FIRST_YEAR, filed.year)))]
            kind = DisputeKind.NAKOMING if rng.random() < 0.2 else DisputeKind.TOTSTANDKOMING
            applicant = rng.choice((tenants, corporation, gemeente))
            respondents = [o for o in (gemeente, corporation, tenants) if o is not applicant]
            if rng.random() < 0.5:
                respondents = respondents[:1]
            submitted = self._moment(filed, 9 + rng.randrange(8))
            decision_due = filed + timedelta(weeks=8 + (4 if rng.random() < 0.15 else 0))
            decided_at = ended_at = None
            if state in (S.DECIDED, S.CLOSED):
                decided_on = min(today, filed + timedelta(days=rng.randrange(40, 100)))
                decided_at = self._moment(decided_on, 15)
                if state == S.CLOSED:
                    ended_at = self._moment(min(today, decided_on + timedelta(days=rng.randrange(42, 120))), 16)
            elif state in (S.WITHDRAWN, S.SETTLED):
                ended_at = self._moment(min(today, filed + timedelta(days=rng.randrange(10, 80))), 16)
            dispute = Dispute(
                id=uuid.uuid4(), case_number=next(numbers[filed.year]), kind=kind,
                rule_set="regie-volkshuisvesting" if kind == DisputeKind.NAKOMING else "woningwet-2015",
                agreement=agreement, arose_on=filed - timedelta(days=rng.randrange(20, 120)),
                title=f"{rng.choice(POINT_TITLES)} ({gemeente.name})", state=state,
                created_by=self.member[applicant.pk], created_at=submitted - timedelta(days=rng.randrange(1, 20)),
                submitted_at=submitted, decided_at=decided_at, ended_at=ended_at,
                decision_adopted_by=None,
            )
            disputes.append(dispute)
            parties.append(DisputeParty(dispute=dispute, organisation=applicant, role=PartyRole.APPLICANT))
            parties.extend(DisputeParty(dispute=dispute, organisation=o, role=PartyRole.RESPONDENT,
                                        responded_at=submitted + timedelta(days=20) if state not in (
                                            S.SUBMITTED, S.ADMISSIBILITY_REVIEW, S.AWAITING_REMEDY, S.EFFORT_REVIEW,
                                            S.AWAITING_RESPONSE) else None)
                           for o in respondents)
            ended = decided_at is not None
            for number, title in enumerate(rng.sample(POINT_TITLES, rng.randint(1, 3)), start=1):
                finding = rng.choice(Finding.for_kind(kind)) if ended else ""
                points.append(DisputePoint(
                    id=uuid.uuid4(), dispute=dispute, number=number, key=f"punt-{number}", title=title,
                    admissibility=Admissibility.ADMISSIBLE if ended else Admissibility.PENDING,
                    advice_finding=finding, decision_finding=finding,
                ))
            decision = Deadline(dispute=dispute, kind=DeadlineKind.DECISION, starts_on=filed,
                                nominal_end=filed + timedelta(weeks=8), due=decision_due,
                                explanation=["acht weken na ontvangst (gegenereerd)"], created_at=submitted)
            if decided_at or ended_at:
                decision.closed_at = decided_at or ended_at
                decision.note = "beslist" if decided_at else "ingetrokken"
            deadlines.append(decision)
            if state in STATE_DEADLINE:
                deadline_kind, weeks = STATE_DEADLINE[state]
                begin = today - timedelta(days=rng.randrange(1, 10))
                deadlines.append(Deadline(
                    dispute=dispute, kind=deadline_kind, starts_on=begin, nominal_end=begin + timedelta(weeks=weeks),
                    due=begin + timedelta(weeks=weeks), explanation=["gegenereerd"], created_at=submitted,
                    organisation=respondents[0] if deadline_kind == DeadlineKind.RESPONSE else None,
                ))
            if state == S.DECIDED and decided_at and (today - decided_at.date()).days < 42:
                deadlines.append(Deadline(
                    dispute=dispute, kind=DeadlineKind.OBJECTION, starts_on=decided_at.date(),
                    nominal_end=decided_at.date() + timedelta(weeks=6), due=decided_at.date() + timedelta(weeks=6),
                    explanation=["zes weken na de uitspraak (gegenereerd)"], created_at=decided_at,
                ))
            actor = self.member[applicant.pk]
            events.append(DisputeEvent(dispute=dispute, at=dispute.created_at, actor=actor, kind="drafted",
                                       actor_organisation=applicant, to_state=S.DRAFT))
            events.append(DisputeEvent(dispute=dispute, at=submitted, actor=actor, actor_organisation=applicant,
                                       kind="submit", from_state=S.DRAFT, to_state=S.SUBMITTED,
                                       payload={"rule_set": dispute.rule_set, "generated": True}))
            if state in ARRIVED_BY:
                kind_name, from_state = ARRIVED_BY[state]
                at = ended_at or decided_at or min(
                    self._moment(today - timedelta(days=1), 9), submitted + timedelta(days=rng.randrange(5, 60)))
                payload = {"generated": True}
                if state == S.HEARING_SCHEDULED:
                    hearing_on = today + timedelta(days=rng.randrange(3, 60))
                    payload = {"hearing_at": self._moment(hearing_on, 10).isoformat(),
                               "place": "Den Haag, Ministerie van BZK", "generated": True}
                events.append(DisputeEvent(dispute=dispute, at=at, kind=kind_name, from_state=from_state,
                                           to_state=state, payload=payload))
        Dispute.objects.bulk_create(disputes, batch_size=self.batch)
        DisputeParty.objects.bulk_create(parties, batch_size=self.batch)
        DisputePoint.objects.bulk_create(points, batch_size=self.batch)
        Deadline.objects.bulk_create(deadlines, batch_size=self.batch)
        DisputeEvent.objects.bulk_create(events, batch_size=self.batch)
