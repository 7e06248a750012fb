"""Building rounds and scores for tests."""

from decimal import Decimal

from django.apps import apps as django_apps

from scoring.models import Indicator, Period, Round, Scheme, Score
from scoring.selectors import publication_summary
from scoring.standard import create_default_scheme

from .factories import DistrictFactory

DEFAULT_SCHEME = "四清标准"


def default_scheme() -> Scheme:
    # A transactional test before this one may have flushed the data migration's rows.
    create_default_scheme(django_apps)
    return Scheme.objects.get(name=DEFAULT_SCHEME, version=1)


def make_round(
    code: str = "2025", status: str = Round.Status.DRAFT, revision: int = 1, *, district=None, scheme=None
) -> Round:
    """A round of the county's period `code` (the cast's 路桥区 unless given), on `scheme` (the default
    unless given) when the period is new."""
    year, half = Period.parts(code)
    period, _ = Period.objects.get_or_create(
        district=district or DistrictFactory(),
        code=code,
        defaults={"year": year, "half": half, "scheme": scheme or default_scheme()},
    )
    return Round.objects.create(period=period, status=status, revision=revision)


def fill_scores(round_: Round, village, total: str | Decimal, *, skip: int = 0) -> list[Score]:
    """All indicators of the round's scheme, summing to `total`: full marks, then points taken off
    the indicators in order. `skip` leaves the last indicators without a score."""
    lost = Decimal("100") - Decimal(str(total))
    indicators = list(Indicator.objects.filter(scheme=round_.period.scheme))
    scores = []
    for indicator in indicators[: len(indicators) - skip]:
        taken = min(lost, indicator.max_points)
        lost -= taken
        scores.append(
            Score(
                round=round_,
                village=village,
                indicator=indicator,
                points=indicator.max_points - taken,
                reason="测试扣分" if taken else "",
                scoring_unit_id=village.township_id,
            )
        )
    return Score.objects.bulk_create(scores)


def confirmed(round_) -> dict:
    """The publish request the summary's button sends: the fingerprint of the results it shows."""
    return {"confirm": publication_summary(round_).fingerprint}


def published_now(cast, code: str = "2025") -> Round:
    """The cast county's round of `code` with villages A (91) and B (85), published now by its leader (so
    in its publicity period)."""
    from scoring.services import round_compute_results, round_publish

    round_ = make_round(code, status=Round.Status.APPROVED)
    fill_scores(round_, cast.village_a, "91")
    fill_scores(round_, cast.village_b, "85")
    round_compute_results(round_)
    return round_publish(round_=round_, acting_user=cast.users["leader"])
