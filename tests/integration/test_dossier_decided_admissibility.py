"""Issue 12, defect 6 in the dossier: the cover's outcome follows the Minister's decision on a point's
admissibility, not the secretariat's proposal; the page of each point shows the proposal, the commission's
advice on it and the Minister's decision, with reasons in words."""

import pypdf
import pytest

from disputes import services
from disputes.dossier import export_dossier
from disputes.dossier.content import collect
from disputes.services import commission
from tests.factories import pdf
from tests.integration.test_admissibility_safeguards import _in_review_with, _partly_inadmissible_in_deliberation, fresh

pytestmark = pytest.mark.django_db


def _advised(world):
    """p1 proposed admissible, p2 proposed inadmissible (A3); the commission advises, as proposed for p2."""
    dispute = _partly_inadmissible_in_deliberation(world)
    if not commission.active_seats(dispute):
        services.dispute_compose_commission(dispute=dispute, actor=world.secretary, chair=world.chair,
                                            members=[world.commission_member, world.commission_member2])
    p1, p2 = dispute.points.order_by("number")
    services.point_advise(point=p1, actor=world.chair, finding="not_manifestly_unreasonable")
    services.point_advise(point=p2, actor=world.chair, admissible=False)
    services.dispute_issue_advice(dispute=fresh(dispute), actor=world.chair, documents=[pdf("advies")])
    return fresh(dispute)


def _minister_departs(world, *, adopt=True):
    """The Minister decides p2 admissible, against the proposal and the advice."""
    dispute = _advised(world)
    p1, p2 = dispute.points.order_by("number")
    services.point_decide(point=p1, actor=world.official, follow_advice=True)
    services.point_decide(point=p2, actor=world.official, follow_advice=False, admissible=True,
                          decision="manifestly_unreasonable", reason="Het gaat om de uitvoering van het beleid.")
    if adopt:
        services.dispute_decide(dispute=fresh(dispute), actor=world.official2, documents=[pdf("bindende_uitspraak")])
    return fresh(dispute)


def point_pages(dispute, tmp_path, audience) -> dict[int, str]:
    """The text of each point's part of the dossier PDF, whitespace squashed (the headings split it)."""
    result = export_dossier(dispute, tmp_path / audience, audience=audience)
    text = " ".join(" ".join(page.extract_text() or "" for page in pypdf.PdfReader(result["pdf"]).pages).split())
    numbers = sorted(p.number for p in dispute.points.all())
    pages = {}
    for n in numbers:
        start = text.index(f"Geschilpunt {n}. ")
        end = text.find(f"Geschilpunt {n + 1}. ", start)
        pages[n] = text[start:end if end != -1 else len(text)]
    return pages


@pytest.mark.parametrize("audience", ["full", "party"])
def test_the_cover_gives_the_ministers_decision_on_a_point_proposed_inadmissible(world, audience):
    dispute = _minister_departs(world)
    outcome = collect(dispute, audience).outcome
    assert "Geschilpunt 2: niet-ontvankelijk" not in outcome
    assert "Geschilpunt 2: Kennelijk onredelijk" in outcome
    assert "Geschilpunt 1: Niet kennelijk onredelijk" in outcome


@pytest.mark.parametrize("audience", ["full", "party"])
def test_the_point_page_shows_the_proposal_the_advice_and_the_ministers_decision_in_words(world, tmp_path, audience):
    pages = point_pages(_minister_departs(world), tmp_path, audience)
    p2 = pages[2]
    assert "Voorstel secretariaat Niet-ontvankelijk" in p2
    assert "Redenen voorstel A3 gaat over de inhoud van gemeentelijk beleid" in p2
    assert "Advies commissie Niet-ontvankelijk (zoals voorgesteld)" in p2
    assert "Beslissing Minister Ontvankelijk; wijkt af van het voorstel van het secretariaat" in p2
    assert "Beslissing Kennelijk onredelijk" in p2
    assert "nog niet vastgesteld" not in p2
    p1 = pages[1]
    assert "Voorstel secretariaat Ontvankelijk" in p1
    assert "Beslissing Minister Ontvankelijk" in p1 and "wijkt af" not in p1
    assert "Advies commissie" not in p1  # it advised nothing on admissibility: as proposed


@pytest.mark.parametrize("audience", ["full", "party"])
def test_the_point_page_of_a_request_declared_inadmissible_gives_the_ministers_reasons(world, tmp_path, audience):
    """The Minister departs from the proposal (p2 found admissible) and declares the request inadmissible."""
    dispute = _in_review_with(world, (False, ["A3"], "Inhoud van gemeentelijk beleid."), (True, [], ""))
    services.dispute_declare_inadmissible(
        dispute=dispute, actor=world.official,
        points={"p2": {"depart": True, "reasons": ["A2"], "note": "Het punt gaat over een huurcontract."}})
    pages = point_pages(fresh(dispute), tmp_path, audience)
    assert "Voorstel secretariaat Ontvankelijk" in pages[2]
    assert ("Beslissing Minister Niet-ontvankelijk (A2 gaat niet over prestatieafspraken); wijkt af van het "
            "voorstel van het secretariaat") in pages[2]
    assert "Geen inhoudelijke beslissing: niet-ontvankelijk" in pages[2]
    assert "Motivering Het punt gaat over een huurcontract." in pages[2]
    assert "Voorstel secretariaat Niet-ontvankelijk" in pages[1]
    assert "Redenen voorstel A3 gaat over de inhoud van gemeentelijk beleid" in pages[1]
    assert "Beslissing Minister Niet-ontvankelijk (A3 gaat over de inhoud van gemeentelijk beleid)" in pages[1]


def test_before_the_decision_parties_see_the_proposal_only(world, tmp_path):
    """The advice and the decisions per point are not the parties' before the decision is adopted; the full
    version shows the decision as recorded, not yet adopted."""
    dispute = _minister_departs(world, adopt=False)
    party = point_pages(dispute, tmp_path, "party")[2]
    assert "Voorstel secretariaat Niet-ontvankelijk" in party
    assert "Advies commissie" not in party
    assert "Beslissing Minister Nog niet beslist" in party
    full = point_pages(dispute, tmp_path, "full")[2]
    assert "Advies commissie Niet-ontvankelijk (zoals voorgesteld)" in full
    assert ("Beslissing Minister Ontvankelijk; wijkt af van het voorstel van het secretariaat; vastgelegd, de "
            "uitspraak is nog niet vastgesteld") in full
