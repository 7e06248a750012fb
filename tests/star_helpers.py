"""Building star criteria and applications for tests."""

from datetime import date, timedelta
from decimal import Decimal

from accounts.roles import Role
from stars import selectors as star_selectors
from stars import services as star_services
from stars.criteria_services import star_criteria_default
from stars.demo import spread_points
from stars.models import StarApplication, StarCriteria, StarItem

from .factories import UserFactory, VillageFactory


def criteria(year: int = 2025) -> StarCriteria:
    """The year's city-wide criteria (the default standard)."""
    return star_criteria_default(year)


def criteria_of(village, year: int = 2025) -> StarCriteria:
    """The criteria the village is rated on: its county's of the year, else the city-wide ones."""
    criteria(year)
    return star_selectors.criteria_applying(village.township.district_id, year)


def secretary_of(cast, village):
    """The cast's secretary of the village's township: A's, else B's; the second county's township C gets
    one on first use (cast.users["secretary_c"])."""
    if cast.township_c is not None and village.township_id == cast.township_c.pk:
        if "secretary_c" not in cast.users:
            cast.users["secretary_c"] = UserFactory(
                username="secretary_c", role=Role.TOWNSHIP_SECRETARY, township=cast.township_c
            )
        return cast.users["secretary_c"]
    return cast.users["secretary_a" if village.township_id == cast.township_a.pk else "secretary_b"]


def leader_of(cast, village):
    """The leader of the village's county in the cast: the second county's for township C."""
    in_second = cast.township_c is not None and village.township_id == cast.township_c.pk
    return cast.users["leader_b" if in_second else "leader"]


def self_scores(criteria_: StarCriteria, total: str | Decimal) -> dict[int, tuple[Decimal, str]]:
    """Every item scored, summing to `total`."""
    items = StarItem.objects.filter(dimension__criteria=criteria_).order_by("dimension__position", "position")
    return spread_points(list(items), Decimal(str(total)))


def draft(cast, level: int, total: str, *, user=None, village=None, year: int = 2025, **extra) -> StarApplication:
    """The secretary's self-assessment for `level` stars with points summing to `total`, not yet filed."""
    village = village or cast.village_a
    user = user or secretary_of(cast, village)
    criteria_ = criteria_of(village, year)
    return star_services.application_save(
        criteria=criteria_,
        rated=village,
        level_applied=level,
        scores=self_scores(criteria_, total),
        summary=extra.pop("summary", "自评情况"),
        acting_user=user,
        **extra,
    )


def filed(cast, level: int, *, village=None, total: str = "97", year: int = 2025) -> StarApplication:
    """An application for `level` stars, filed by the village's township secretary."""
    application = draft(cast, level, total, village=village, year=year)
    return star_services.application_submit(application=application, acting_user=application.filed_by)


def decided(cast, level: int, *, village=None, total: str = "97", year: int = 2025, today=None) -> StarApplication:
    """An application decided at `level` by the right authority, now in publicity."""
    application = filed(cast, level, village=village, total=total, year=year)
    secretary = secretary_of(cast, application.village)
    today = today or date(year, 12, 1)
    if application.decided_by_district:
        star_services.application_forward(
            application=application, acting_user=secretary, opinion="同意上报", points=Decimal(total), level=level
        )
        decider = leader_of(cast, application.village)
    else:
        decider = secretary
    return star_services.application_decide(
        application=application, acting_user=decider, opinion="同意", points=Decimal(total), level=level, today=today
    )


def fixed(cast, level: int, **kwargs) -> StarApplication:
    application = decided(cast, level, **kwargs)
    star_services.star_levels_fix(today=application.publicity_ends_on + timedelta(days=1))
    application.refresh_from_db()
    return application


def fixed_in_bulk(cast, *, in_a: int, in_b: int, year: int = 2025) -> list:
    """New villages with fixed levels, bulk-created (a public page's worth): `in_a` in township A then `in_b`
    in township B, at 1–5 stars in turn."""
    criteria_ = criteria(year)
    villages = VillageFactory.create_batch(in_a, township=cast.township_a)
    villages += VillageFactory.create_batch(in_b, township=cast.township_b)
    StarApplication.objects.bulk_create(
        StarApplication(
            criteria=criteria_,
            village=village,
            township_id=village.township_id,
            level_applied=index % 5 + 1,
            status=StarApplication.Status.FIXED,
            decided_level=index % 5 + 1,
            filed_by=cast.users["secretary_a"],
        )
        for index, village in enumerate(villages)
    )
    return villages
