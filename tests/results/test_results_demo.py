"""The demo's use of results: made through the services, a 示范村 paid and one revoked by 摘星, idempotent."""

from datetime import date

from results.demo import seed_results
from results.models import AssessmentPoints, DemonstrationAward, Filing, ProjectFund
from stars import services as star_services

from .. import star_helpers
from ..factories import VillageFactory


def test_the_demo_records_points_funds_awards_and_filings_once(cast):
    villages = [cast.village_a, *VillageFactory.create_batch(2, township=cast.township_a)]
    for village, level in zip(villages, (4, 5, 3), strict=True):
        application = star_helpers.decided(cast, level, village=village)
        if level >= 4:
            star_services.demonstration_nominate(application=application, level="city", acting_user=cast.users["staff"])
    made = seed_results(district=cast.township_a.district, staff=cast.users["staff"], today=date(2026, 6, 1))
    assert made == 3 + 2 + 6  # points of the rated villages, funds of the 4–5 star ones, filings
    assert AssessmentPoints.objects.filter(year=2025).count() == 3
    assert ProjectFund.objects.count() == 2
    assert Filing.objects.exclude(opinion="").count() == 4
    awards = DemonstrationAward.objects.order_by("nomination_id")
    assert [award.status for award in awards] == ["approved", "revoked"]
    assert awards[0].reward_paid_on is not None and awards[0].reward_amount == 500000
    assert "三星" in awards[1].revoke_reason
    assert seed_results(district=cast.township_a.district, staff=cast.users["staff"], today=date(2026, 6, 1)) == 0
