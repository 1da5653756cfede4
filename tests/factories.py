"""Test data. ``World`` is a small overleg with every kind of user; ``case_in_state`` drives a case
through the real services to any state of the procedure.
"""

from dataclasses import dataclass
from datetime import date, datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from disputes import clock, services
from disputes.models import LocalAgreement, Membership, Organisation


def pdf_bytes(pages: int = 1, text: str = "document") -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for i in range(pages):
        c.drawString(72, 720, f"{text} - pagina {i + 1} van {pages}")
        c.showPage()
    c.save()
    return buf.getvalue()


def full_text_pdf(pages: int) -> bytes:
    """A realistic letter: ``pages`` full pages of text (for benchmarks and large-case tests)."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for page in range(pages):
        text = c.beginText(60, 790)
        text.setFont("Helvetica", 10)
        for line in range(58):
            text.textLine(f"Pagina {page + 1}, regel {line + 1}: het overleg over de prestatieafspraken is "
                          "vastgelopen op de nieuwbouwopgave en de huurontwikkeling.")
        c.drawText(text)
        c.showPage()
    c.save()
    return buf.getvalue()


def pdf(doc_type: str = "verzoek", pages: int = 1):
    """A ``(doc_type, file)`` pair as the services take them."""
    return doc_type, ContentFile(pdf_bytes(pages, doc_type), name=f"{doc_type}.pdf")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.nl")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = "gemeente"


def staff(username: str, role: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def member(username: str, organisation: Organisation):
    user = UserFactory(username=username)
    Membership.objects.create(user=user, organisation=organisation)
    return user


def moment(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=clock.AMSTERDAM)


def shipped_retention_rules() -> None:
    """The selectielijst table as migration 0021 ships it. A transactional test empties every table afterwards
    (pytest-django's flush), the rows of data migrations included; the groups come back with get_or_create at use
    (``user_with_role``), these here."""
    import importlib

    from disputes.models import RetentionRule

    if RetentionRule.objects.exists():
        return
    shipped = importlib.import_module("disputes.migrations.0021_archive_and_api").DEFAULT_RULES
    for scope, key, category, description, nomination, years in shipped:
        RetentionRule.objects.create(scope=scope, key=key, category=category, description=description,
                                     nomination=nomination, years=years)


@dataclass
class World:
    gemeente: Organisation
    corporatie: Organisation
    huurders: Organisation
    outsider_org: Organisation
    agreement: LocalAgreement
    tenant: object  # applicant member (huurders)
    corp_user: object  # respondent member
    gem_user: object  # respondent member
    outsider: object
    secretary: object
    chair: object
    commission_member: object
    commission_member2: object
    official: object
    official2: object

    @classmethod
    def create(cls) -> "World":
        shipped_retention_rules()
        gem = OrganisationFactory(name="Gemeente Leiderdorp", kind="gemeente")
        corp = OrganisationFactory(name="Rijnhart Wonen", kind="woningcorporatie")
        huur = OrganisationFactory(name="Huurdersbelangenorganisatie Leiderdorp", kind="huurdersorganisatie")
        other = OrganisationFactory(name="Woonstichting Elders", kind="woningcorporatie")
        agreement = LocalAgreement.objects.create(municipality=gem, year=2017, overleg_started_on=date(2016, 7, 1))
        agreement.corporations.add(corp)
        agreement.tenant_organisations.add(huur)
        return cls(
            gemeente=gem, corporatie=corp, huurders=huur, outsider_org=other, agreement=agreement,
            tenant=member("anna", huur), corp_user=member("bert", corp), gem_user=member("gerda", gem),
            outsider=member("olaf", other), secretary=staff("sec", "secretary"),
            chair=staff("chair", "commission_chair"), commission_member=staff("lid", "commission_member"),
            commission_member2=staff("lid2", "commission_member"),
            official=staff("official", "minister_official"), official2=staff("official2", "minister_official"),
        )

    def file(self, kind: str = "totstandkoming", points=("p1",), documents=None):
        if kind == "nakoming":
            with clock.frozen(moment("2016-11-01 09:00")):
                services.effort_record(
                    agreement=self.agreement, actor=self.tenant, kind="notice_to_comply",
                    occurred_on=date(2016, 11, 1), summary="Ingebrekestelling",
                )
        return services.dispute_file(
            actor=self.tenant, agreement=self.agreement, kind=kind, applicants=[self.huurders],
            respondents=[self.corporatie, self.gemeente], arose_on=date(2017, 1, 5),
            points=[{"key": k, "title": f"Geschilpunt {k}", "position": "Ons standpunt"} for k in points],
            documents=documents if documents is not None else [pdf("verzoek", 2)],
        )


#: How to bring a case from one state to the next, through the real services, with the clock.
def _steps(w: World):
    return [
        ("submitted", "2017-01-16 10:05", lambda d: services.dispute_submit(dispute=d, actor=w.tenant)),
        ("admissibility_review", "2017-01-17 09:00",
         lambda d: services.dispute_start_review(dispute=d, actor=w.secretary)),
        ("effort_review", "2017-01-17 09:30", lambda d: (
            [services.point_decide_admissibility(point=p, actor=w.secretary, admissible=True) for p in d.points.all()],
            services.dispute_pass_admissibility(dispute=d, actor=w.secretary),
        )),
        ("awaiting_response", "2017-01-18 09:00", lambda d: (
            services.dispute_assess_efforts(dispute=d, actor=w.secretary, sufficient=True, reason="Voldoende"),
            services.dispute_accept(dispute=d, actor=w.secretary),
            # the commission for the case: the chair and COMMISSION_MEMBERS_PER_CASE (2) members (ADR 0017)
            services.dispute_compose_commission(dispute=d, actor=w.secretary, chair=w.chair,
                                                members=[w.commission_member, w.commission_member2]),
        )),
        ("exchange", "2017-02-20 09:00", lambda d: services.dispute_close_responses(dispute=d, actor=w.secretary)),
        ("deliberation", "2017-02-21 09:00", lambda d: services.dispute_skip_hearing(
            dispute=d, actor=w.chair, reason="Schriftelijke behandeling volstaat")),
        ("advice_issued", "2017-02-22 09:00", lambda d: (
            [services.point_advise(point=p, actor=w.chair, finding="not_manifestly_unreasonable")
             for p in d.points.all()],
            services.dispute_issue_advice(dispute=d, actor=w.chair, documents=[pdf("advies", 3)]),
        )),
        ("decided", "2017-03-01 09:00", lambda d: (
            [services.point_decide(point=p, actor=w.official, follow_advice=True) for p in d.points.all()],
            # four eyes: who decided the points does not adopt the decision
            services.dispute_decide(dispute=d, actor=w.official2, documents=[pdf("bindende_uitspraak", 2)]),
        )),
        ("closed", "2017-04-20 09:00", lambda d: services.dispute_close(dispute=d, actor=None)),
    ]


def case_in_state(w: World, state: str, kind: str = "totstandkoming"):
    """A case brought to ``state`` through the services; the clock is left at the last step."""
    from disputes.models import Dispute

    side_states = {
        "awaiting_remedy": ("admissibility_review", lambda d: services.dispute_request_remedy(
            dispute=d, actor=w.secretary, reason="Machtiging ontbreekt")),
        "hearing_scheduled": ("exchange", lambda d: services.dispute_schedule_hearing(
            dispute=d, actor=w.secretary, hearing_at=moment("2017-03-10 10:00"), place="Den Haag")),
        "withdrawn": ("submitted", lambda d: services.dispute_withdraw(dispute=d, actor=w.tenant)),
        "settled": ("exchange", lambda d: services.dispute_settle(
            dispute=d, actor=w.secretary, basis="agreement", signed_by=[w.huurders, w.corporatie, w.gemeente],
            documents=[pdf("vaststellingsovereenkomst")])),
    }
    clock.set_now(moment("2017-01-16 10:00"))
    dispute = w.file(kind=kind)
    target, extra = state, None
    if state in side_states:
        target, extra = side_states[state]
    if dispute.state != target:
        for reached, when, step in _steps(w):
            clock.set_now(moment(when))
            step(Dispute.objects.get(pk=dispute.pk))
            if reached == target:
                break
    if extra is not None:
        extra(Dispute.objects.get(pk=dispute.pk))
    dispute = Dispute.objects.get(pk=dispute.pk)
    assert dispute.state == state, (dispute.state, state)
    return dispute


def representative(world, case, *, by=None, email: str = "gemachtigde@advocaten.example", name: str = "Mr. G. de Wit",
                   password: str = "gemachtigde-wachtwoord-2026"):
    """A representative (gemachtigde) of the respondent (or of ``by``'s organisation) on ``case``, through the
    services: a member asks with a machtiging, the secretariat approves, the person accepts the invitation with a
    new account. Returns ``(user, representation)``."""
    from disputes import services
    from disputes.models import Invitation

    by = by or world.corp_user
    representation = services.representation_request(dispute=case, actor=by, name=name, email=email,
                                                      authorisation=pdf("machtiging")[1])
    services.representation_check(representation=representation, actor=world.secretary, approve=True)
    invitation = Invitation.objects.get(representation=representation)
    user = services.invitation_accept(invitation=invitation, password=password, first_name="Gerard",
                                      last_name="de Wit")
    representation.refresh_from_db()
    return user, representation


def letter_text(kind: str, dispute, context: dict | None = None, addressee: int = 0) -> str:
    """The text of the letter ``kind`` for ``dispute`` in the wording in use (disputes/letterbook.py), as the PDF
    says it, for its first (or ``addressee``-th) addressee, whitespace collapsed."""
    import io

    from pypdf import PdfReader

    from disputes import clock, letterbook
    from disputes.services import current_template

    template = current_template(kind)
    to = letterbook.KINDS[kind].addressees(dispute, context or {})[addressee]
    content = letterbook.render_pdf(kind, dispute, to, subject=template.subject, body=template.body,
                                    on=clock.today(), context=context)
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages).split())
