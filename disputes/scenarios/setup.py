"""A scenario's world: the organisations, users and local agreement it sets up (these have no
service, so the runner makes them directly), and the case and dossier its steps make; looked up
by the keys the scenario file gives them.

Setting up is idempotent: an organisation or user that already exists is reused (``load_demo``
plays several scenarios in one database), unless it exists with another kind, organisation or role.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from ..models import Dispute, LocalAgreement, Membership, Organisation, OrganisationKind, StaffRole
from .schema import ScenarioError, parse_date

Log = Callable[[str], None]


class World:
    """What a scenario has set up and made so far, by key; the verbs act on it."""

    def __init__(self, *, export_dir: str | Path | None, log: Log):
        self.export_dir = Path(export_dir) if export_dir else None
        self.log = log
        self.organisations: dict[str, Organisation] = {}
        self.users: dict[str, Any] = {}
        self.agreement: LocalAgreement | None = None
        self.dispute: Dispute | None = None
        self.dossier: dict | None = None

    # -- setup ------------------------------------------------------------------------------------
    def set_up_organisations(self, spec) -> None:
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

    def set_up_users(self, spec, *, password: str | None) -> None:
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
            if created or (password and not user.has_usable_password()):
                if password:
                    user.set_password(password)
                else:
                    user.set_unusable_password()
                user.save()
            memberships = set(user.memberships.values_list("organisation_id", flat=True))
            staff_groups = set(user.groups.filter(name__in=StaffRole.values).values_list("name", flat=True))
            if org_key:
                organisation = self.organisation(org_key, what)
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

    def set_up_agreement(self, spec) -> None:
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
        municipality = self.organisation(spec.get("municipality"), what)
        if municipality.kind != OrganisationKind.GEMEENTE:
            raise ScenarioError(f"{what}: '{municipality.name}' is geen gemeente")
        corporations = [self.organisation(k, what) for k in spec.get("corporations") or []]
        if any(o.kind != OrganisationKind.WONINGCORPORATIE for o in corporations):
            raise ScenarioError(f"{what}: 'corporations' mogen alleen woningcorporaties zijn")
        tenants = [self.organisation(k, what) for k in spec.get("tenant_organisations") or []]
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
            field: parse_date(spec[field], f"{what}.{field}")
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

    # -- lookups: by the scenario's keys, with a message naming the step --------------------------
    def organisation(self, key, what: str) -> Organisation:
        if key is None or str(key) not in self.organisations:
            raise ScenarioError(f"{what}: onbekende organisatie '{key}'")
        return self.organisations[str(key)]

    def user(self, key, what: str):
        if key is None:
            raise ScenarioError(f"{what}: 'by' (wie doet dit) ontbreekt")
        if str(key) not in self.users:
            raise ScenarioError(f"{what}: onbekende gebruiker '{key}'")
        return self.users[str(key)]

    def case(self, what: str) -> Dispute:
        if self.dispute is None:
            raise ScenarioError(f"{what}: er is nog geen geschil; begin met een 'file'-stap")
        return Dispute.objects.get(pk=self.dispute.pk)

    def local_agreement(self, what: str) -> LocalAgreement:
        if self.agreement is None:
            raise ScenarioError(f"{what}: het scenario heeft geen 'agreement'")
        return self.agreement
