"""Rule sets and nakoming (issue 12, defect 3; procedure.md §0).

Under the law as it stands no rule set covers nakoming: the Wet versterking regie volkshuisvesting (Kamerstuk
36 512) has no commencement date we can cite, so its rule set is in force only from a configured date
(``NAKOMING_EFFECTIVE_FROM``, no default). Until then a nakoming request is inadmissible (A4): the portal says
so at filing and the product refuses every step towards a decision on the merits. With a configured date the
rules are provisional, and the screens that rely on them say so.
"""

import importlib
from datetime import date

import pytest
from django.urls import reverse

from disputes import services
from disputes.admissibility import checks_from, facts_of, prechecks
from disputes.errors import GuardFailed
from disputes.models import Dispute
from disputes.rules import kind_covered, rule_set_by_code, rule_set_on
from tests.factories import pdf

NAKOMING_DOCUMENTS = [pdf("verzoek"), pdf("ondertekende_prestatieafspraken")]


@pytest.fixture
def current_law(settings):
    """The law as it stands: no commencement date configured for the nakoming rule set."""
    settings.NAKOMING_EFFECTIVE_FROM = None
    return settings


@pytest.fixture
def provisional(settings):
    """An installation (the demo) that configured a commencement date for the provisional rule set."""
    settings.NAKOMING_EFFECTIVE_FROM = "2016-07-01"
    return settings


def by_code(checks):
    return {c.code: c for c in checks}


def test_the_setting_has_no_default(monkeypatch):
    """Unset in the environment, NAKOMING_EFFECTIVE_FROM is None: no rule set covers nakoming."""
    import config.settings as config_settings

    monkeypatch.delenv("NAKOMING_EFFECTIVE_FROM", raising=False)
    try:
        assert importlib.reload(config_settings).NAKOMING_EFFECTIVE_FROM is None
        monkeypatch.setenv("NAKOMING_EFFECTIVE_FROM", "2027-01-01")
        assert importlib.reload(config_settings).NAKOMING_EFFECTIVE_FROM == "2027-01-01"
    finally:
        monkeypatch.undo()
        importlib.reload(config_settings)


def test_without_a_configured_date_no_rule_set_covers_nakoming(current_law):
    for day in (date(2016, 7, 1), date(2025, 1, 1), date(2026, 10, 5), date(2040, 1, 1)):
        assert rule_set_on(day).code == "woningwet-2015"
        assert not rule_set_on(day).covers("nakoming")
        assert rule_set_on(day).covers("totstandkoming")
    assert rule_set_by_code("regie-volkshuisvesting").effective_from is None  # still found for stored cases
    assert not kind_covered("nakoming", code="regie-volkshuisvesting", filed_on=date(2026, 10, 5))


def test_a_configured_date_puts_the_provisional_rule_set_in_force(settings):
    settings.NAKOMING_EFFECTIVE_FROM = "2026-01-01"
    assert rule_set_on(date(2025, 12, 31)).code == "woningwet-2015"
    new = rule_set_on(date(2026, 1, 1))
    assert new.code == "regie-volkshuisvesting" and new.provisional and new.covers("nakoming")
    assert kind_covered("nakoming", code="regie-volkshuisvesting", filed_on=date(2026, 10, 5))
    assert not kind_covered("nakoming", code="woningwet-2015", filed_on=date(2026, 10, 5))


def test_the_old_rule_set_starts_with_the_dispute_provisions_on_1_july_2016(current_law):
    assert rule_set_by_code("woningwet-2015").effective_from == date(2016, 7, 1)


@pytest.mark.django_db
def test_the_portal_says_at_filing_that_a_nakoming_request_is_inadmissible_a4(client, world, at, current_law):
    at("2017-01-16 10:00")
    draft = world.file(kind="nakoming", documents=NAKOMING_DOCUMENTS)
    check = by_code(prechecks(draft))["rule_set"]
    assert not check.ok and not check.blocking  # the party may still file and get a decision it can object to
    assert check.message.startswith("Uw verzoek is niet-ontvankelijk (reden A4)")
    assert "niet in werking getreden" in check.message
    client.force_login(world.tenant)
    page = client.get(reverse("portal:draft-review", args=[draft.pk])).content.decode()
    assert "Uw verzoek is niet-ontvankelijk (reden A4)" in page


def _nakoming_case_in_admissibility_review(world, at):
    at("2017-01-16 10:00")
    dispute = world.file(kind="nakoming", documents=NAKOMING_DOCUMENTS)
    services.dispute_submit(dispute=dispute, actor=world.tenant)
    at("2017-01-17 09:00")
    services.dispute_start_review(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.secretary)
    return Dispute.objects.get(pk=dispute.pk)


@pytest.mark.django_db
def test_a_nakoming_request_under_a_rule_set_without_nakoming_cannot_pass_admissibility(world, at, current_law):
    dispute = _nakoming_case_in_admissibility_review(world, at)
    assert dispute.rule_set == "woningwet-2015"
    point = dispute.points.get()
    services.point_decide_admissibility(point=point, actor=world.secretary, admissible=True)
    with pytest.raises(GuardFailed, match="reden A4"):
        services.dispute_pass_admissibility(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.secretary)
    assert Dispute.objects.get(pk=dispute.pk).state == "admissibility_review"
    # the way out: the whole request inadmissible, reason A4
    services.point_decide_admissibility(point=point, actor=world.secretary, admissible=False, reasons=["A4"])
    services.dispute_declare_inadmissible(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.official,
                                          reasons=["A4"], documents=[pdf("mededeling_ontvankelijkheid")])
    decided = Dispute.objects.get(pk=dispute.pk)
    assert decided.state == "decided" and decided.inadmissibility_reasons == ["A4"]


@pytest.mark.django_db
def test_a_nakoming_case_whose_rule_set_is_no_longer_in_force_cannot_be_accepted(world, at, settings):
    """A case stored under the provisional rule set, in an installation whose date was since removed (or moved
    after the filing day), cannot be taken into treatment, advised on or decided on the merits."""
    settings.NAKOMING_EFFECTIVE_FROM = "2016-07-01"
    dispute = _nakoming_case_in_admissibility_review(world, at)
    assert dispute.rule_set == "regie-volkshuisvesting"
    services.point_decide_admissibility(point=dispute.points.get(), actor=world.secretary, admissible=True)
    services.dispute_pass_admissibility(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.secretary)
    services.dispute_assess_efforts(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.secretary,
                                    sufficient=True, reason="Ingebrekestelling en antwoord liggen vast.")
    settings.NAKOMING_EFFECTIVE_FROM = "2018-01-01"  # after the filing day
    with pytest.raises(GuardFailed, match="reden A4"):
        services.dispute_accept(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.secretary)
    settings.NAKOMING_EFFECTIVE_FROM = None
    with pytest.raises(GuardFailed, match="reden A4"):
        services.dispute_accept(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.secretary)
    assert Dispute.objects.get(pk=dispute.pk).state == "effort_review"


@pytest.mark.django_db
def test_a_nakoming_case_is_not_advised_or_decided_on_the_merits_without_its_rule_set(world, at, settings):
    settings.NAKOMING_EFFECTIVE_FROM = "2016-07-01"
    dispute = _nakoming_case_in_admissibility_review(world, at)
    point = dispute.points.get()
    services.point_decide_admissibility(point=point, actor=world.secretary, admissible=True)
    services.dispute_pass_admissibility(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.secretary)
    services.dispute_assess_efforts(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.secretary,
                                    sufficient=True, reason="Voldoende")
    services.dispute_accept(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.secretary)
    services.dispute_compose_commission(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.secretary,
                                        chair=world.chair, members=[world.commission_member, world.commission_member2])
    at("2017-02-20 09:00")
    services.dispute_close_responses(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.secretary)
    services.dispute_skip_hearing(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.chair, reason="Op stukken")
    services.point_advise(point=point, actor=world.chair, finding="rejected")  # nakoming: gegrond or ongegrond
    settings.NAKOMING_EFFECTIVE_FROM = None
    with pytest.raises(GuardFailed, match="reden A4"):
        services.dispute_issue_advice(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.chair,
                                      documents=[pdf("advies")])
    settings.NAKOMING_EFFECTIVE_FROM = "2016-07-01"
    services.dispute_issue_advice(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.chair,
                                  documents=[pdf("advies")])
    services.point_decide(point=point, actor=world.official, follow_advice=True)
    settings.NAKOMING_EFFECTIVE_FROM = None
    with pytest.raises(GuardFailed, match="reden A4"):
        services.dispute_decide(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.official2,
                                documents=[pdf("bindende_uitspraak")])
    assert Dispute.objects.get(pk=dispute.pk).state == "advice_issued"


@pytest.mark.django_db
def test_a_totstandkoming_case_is_not_touched_by_the_nakoming_guard(world, at, current_law):
    from tests.factories import case_in_state

    assert case_in_state(world, "decided").state == "decided"


@pytest.mark.django_db
def test_under_a_configured_date_the_screens_say_the_rules_are_provisional(client, world, at, provisional):
    at("2017-01-16 10:00")
    draft = world.file(kind="nakoming", documents=NAKOMING_DOCUMENTS)
    check = by_code(checks_from(facts_of(draft)))["rule_set"]
    assert not check.ok and not check.blocking and "voorlopige regels" in check.message
    client.force_login(world.tenant)
    assert "voorlopige regels" in client.get(reverse("portal:draft-review", args=[draft.pk])).content.decode()
    services.dispute_submit(dispute=draft, actor=world.tenant)
    assert "voorlopig" in client.get(reverse("portal:dispute", args=[draft.pk])).content.decode()
    client.force_login(world.secretary)
    staff_page = client.get(reverse("workflow:case", args=[draft.pk])).content.decode()
    assert "voorlopig" in staff_page and "regie-volkshuisvesting" in staff_page


@pytest.mark.django_db
def test_under_the_current_law_the_case_pages_say_nothing_is_provisional(client, world, at, current_law):
    at("2017-01-16 10:00")
    dispute = world.file(kind="nakoming", documents=NAKOMING_DOCUMENTS)
    services.dispute_submit(dispute=dispute, actor=world.tenant)
    client.force_login(world.tenant)
    page = client.get(reverse("portal:dispute", args=[dispute.pk])).content.decode()
    assert "voorlopig" not in page
    assert "reden A4" in page  # the party is told what the rules of the filing day mean for its request
