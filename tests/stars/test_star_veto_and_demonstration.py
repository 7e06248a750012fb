"""Veto items keep a village below four stars; demonstration villages come only from 4–5 star villages,
which the model (and the database) enforce, not the form alone."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from scoring.models import Round, VetoEvent, VetoItem
from scoring.services import round_compute_results
from stars import selectors as star_selectors
from stars import services as star_services
from stars.models import DemonstrationNomination, StarVetoItem, StarVetoRecord

from ..scoring_helpers import fill_scores, make_round
from ..star_helpers import criteria, decided, filed, fixed


def record_sanction(cast, year=2025):
    item = criteria(year).veto_items.get(rule=StarVetoItem.Rule.RECORDED)
    return StarVetoRecord.objects.create(
        item=item,
        village=cast.village_a,
        occurred_on=date(year, 6, 1),
        reason="村委委员张某受党内警告处分",
        recorded_by=cast.users["staff"],
    )


def test_an_application_with_a_veto_event_cannot_reach_four_stars(cast):
    application = filed(cast, 4, total="92")
    star_services.application_forward(
        application=application, acting_user=cast.users["secretary_a"], opinion="上报", points=Decimal("92"), level=4
    )
    record_sanction(cast)
    with pytest.raises(ValidationError) as error:
        star_services.application_decide(
            application=application, acting_user=cast.users["leader"], opinion="同意", points=Decimal("92"), level=4
        )
    assert error.value.code == "veto"
    assert "村委委员张某受党内警告处分" in error.value.messages[0]
    # Three stars remain possible.
    assert (
        star_services.application_decide(
            application=application,
            acting_user=cast.users["leader"],
            opinion="否决项，评三星",
            points=Decimal("92"),
            level=3,
        ).decided_level
        == 3
    )


def test_a_veto_known_at_filing_refuses_the_application_for_five_stars(cast):
    record_sanction(cast)
    with pytest.raises(ValidationError) as error:
        filed(cast, 5)
    assert error.value.code == "veto"


def test_an_index_veto_event_and_a_c_grade_of_the_year_are_veto_hits(cast):
    round_ = make_round("2025", status=Round.Status.PUBLISHED)
    fill_scores(round_, cast.village_a, "95")
    VetoEvent.objects.create(
        round=round_,
        village=cast.village_a,
        item=VetoItem.objects.filter(scheme=round_.period.scheme).first(),
        reason="违规发包",
    )
    round_compute_results(round_)
    hits = star_selectors.veto_hits(cast.village_a, criteria(2025))
    assert any("违规发包" in hit for hit in hits)
    assert any("2025 C" in hit for hit in hits)
    # Another year's index does not count.
    assert star_selectors.veto_hits(cast.village_a, criteria(2026)) == []


def test_a_demonstration_nomination_of_a_three_star_village_is_refused_by_the_model(cast):
    application = fixed(cast, 3, total="85")
    with pytest.raises(ValidationError, match="示范村只能从四星级、五星级村中推荐（该村现为3星）。"):
        DemonstrationNomination(application=application, level="city", nominated_by=cast.users["staff"]).save()
    # Even past the model's own check, the database refuses a stored star count below four.
    with pytest.raises(IntegrityError, match="demonstration_needs_four_stars"):
        DemonstrationNomination.objects.bulk_create(
            [
                DemonstrationNomination(
                    application=application, level="city", stars_at_nomination=3, nominated_by=cast.users["staff"]
                )
            ]
        )


def test_a_four_star_village_is_nominated_and_a_stripped_one_no_longer(cast):
    application = fixed(cast, 4, total="90")
    nomination = star_services.demonstration_nominate(
        application=application, level=DemonstrationNomination.Level.PROVINCIAL, acting_user=cast.users["staff"]
    )
    assert nomination.stars_at_nomination == 4
    star_services.stars_strip(
        application=application,
        acting_user=cast.users["staff"],
        stars_after=3,
        trigger="case",
        reason="村主任被立案审查",
        stripped_on=date(2026, 3, 1),
    )
    with pytest.raises(ValidationError, match="示范村只能从四星级、五星级村中推荐（该村现为3星）。"):
        star_services.demonstration_nominate(
            application=application, level=DemonstrationNomination.Level.CITY, acting_user=cast.users["staff"]
        )


def test_decided_in_publicity_counts_as_stars_for_nomination_only_once_decided(cast):
    application = filed(cast, 5)
    with pytest.raises(ValidationError, match="示范村只能从四星级、五星级村中推荐（该村现为0星）。"):
        DemonstrationNomination(application=application, level="city", nominated_by=cast.users["staff"]).save()
    assert decided(cast, 4, village=cast.village_b, total="90").current_stars() == 4


def test_staff_record_a_sanction_on_the_application_page_and_it_is_shown_as_a_veto(cast, client_for):
    application = filed(cast, 3, total="85")
    item = application.criteria.veto_items.get(rule=StarVetoItem.Rule.RECORDED)
    url = reverse("stars:action", args=[application.pk, "veto"])
    data = {"item": item.pk, "occurred_on": "2025-05-01", "reason": "村会计受政务警告处分"}
    assert client_for("secretary_a").post(url, data).status_code == 403
    assert client_for("staff").post(url, data).status_code == 302
    page = client_for("secretary_a").get(reverse("stars:application", args=[application.pk])).content.decode()
    assert "村会计受政务警告处分" in page
