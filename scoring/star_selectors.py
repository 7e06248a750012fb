"""Reads of the star rating (评星晋级), always through the user's scope."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts.access import scope_to_user
from accounts.roles import INDEX_ROLES
from inspections.sanctions import cadre_sanctions

from .models import Grade, Round, VetoEvent, VillageResult
from .star_models import (
    LEVELS,
    ImprovementPlan,
    StarApplication,
    StarCriteria,
    StarStrip,
    StarVetoItem,
    StarVetoRecord,
)

# A decided level is public from the start of its publicity period (公示) on.
DECIDED = (StarApplication.Status.PUBLICITY, StarApplication.Status.FIXED)


def applications_for(user) -> QuerySet[StarApplication]:
    return scope_to_user(
        StarApplication.objects.select_related("criteria", "village__township", "filed_by"),
        user,
        township_field="village__township_id",
        roles=INDEX_ROLES,
    )


def get_application_for(user, pk: int) -> StarApplication:
    """The application if the user may see its village; 404 for missing and foreign alike."""
    return get_object_or_404(applications_for(user), pk=pk)


def _latest_strip():
    # Strips only ever lower the stars, so the latest is also the lowest.
    return (
        StarStrip.objects.filter(application=OuterRef("pk")).order_by("-stripped_on", "-id").values("stars_after")[:1]
    )


def with_current_stars(applications: QuerySet[StarApplication]) -> QuerySet[StarApplication]:
    """Annotates `stars`: the decided level, or what is left of it after 摘星; None until decided."""
    return applications.annotate(
        stars=Coalesce(Subquery(_latest_strip()), F("decided_level"), output_field=IntegerField())
    )


def stars_by_village(year: int, village_ids=None) -> dict[int, int]:
    """village id → current stars of the year's decided ratings (in publicity or fixed), in one query."""
    applications = StarApplication.objects.filter(criteria__year=year, status__in=DECIDED)
    if village_ids is not None:
        applications = applications.filter(village_id__in=village_ids)
    return dict(with_current_stars(applications).values_list("village_id", "stars"))


def latest_criteria() -> StarCriteria | None:
    return StarCriteria.objects.first()


def criteria_for_year(year: int | None) -> StarCriteria | None:
    if year is None:
        return latest_criteria()
    return StarCriteria.objects.filter(year=year).first()


def veto_hits(village, criteria: StarCriteria) -> list[str]:
    """The veto items (否决项) the village is hit by in the criteria's year, each with its reason, as
    found in the records: sanctions from the inspections, the year's published integrity index and the
    veto records staff keep."""
    year = criteria.year
    published = Round.objects.filter(status=Round.Status.PUBLISHED, period__year=year)
    hits = []
    for item in criteria.veto_items.all():
        if item.rule == StarVetoItem.Rule.CADRE_SANCTION:
            reasons = cadre_sanctions(date(year, 1, 1), date(year, 12, 31)).get(village.pk, [])
        elif item.rule == StarVetoItem.Rule.INDEX_VETO:
            reasons = VetoEvent.objects.filter(round__in=published, village=village).values_list("reason", flat=True)
        elif item.rule == StarVetoItem.Rule.INDEX_GRADE_C:
            periods = VillageResult.objects.filter(round__in=published, village=village, grade=Grade.C).values_list(
                "round__period__code", flat=True
            )
            reasons = [f"{code} C" for code in periods]
        else:
            reasons = StarVetoRecord.objects.filter(item=item, village=village, occurred_on__year=year).values_list(
                "reason", flat=True
            )
        hits += [f"{item.name}：{reason}" for reason in reasons]
    return hits


class Movement:  # 动态管理：晋级、降级、保持
    UP = "up"
    DOWN = "down"
    KEPT = "kept"
    NEW = "new"


def movement(stars: int | None, previous: int | None) -> str | None:
    if stars is None:
        return None
    if previous is None:
        return Movement.NEW
    if stars > previous:
        return Movement.UP
    if stars < previous:
        return Movement.DOWN
    return Movement.KEPT


@dataclass
class ApplicationLine:
    application: StarApplication
    stars: int | None
    previous: int | None

    @property
    def movement(self) -> str | None:
        return movement(self.stars, self.previous)


def application_lines(applications: QuerySet[StarApplication], year: int) -> list[ApplicationLine]:
    """The year's applications with their current stars and last year's, in two queries."""
    applications = list(with_current_stars(applications.filter(criteria__year=year)))
    previous = stars_by_village(year - 1, [application.village_id for application in applications])
    return [
        ApplicationLine(
            application,
            application.stars if application.status in DECIDED else None,
            previous.get(application.village_id),
        )
        for application in applications
    ]


def level_counts_by_township(user, year: int) -> list[dict]:
    """Decided stars per level per township (for the staff overview)."""
    applications = with_current_stars(applications_for(user).filter(criteria__year=year, status__in=DECIDED))
    counts: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(range(6), 0))
    names = {}
    for row in applications.values("village__township__code", "village__township__name", "stars").annotate(
        n=Count("id")
    ):
        key = row["village__township__code"]
        names[key] = row["village__township__name"]
        counts[key][row["stars"]] += row["n"]
    return [
        {
            "code": code,
            "name": names[code],
            "levels": [counts[code][level] for level, _label in LEVELS],
            "stripped": counts[code][0],
        }
        for code in sorted(counts)
    ]


def overdue_plans(user, today: date) -> QuerySet[ImprovementPlan]:
    return ImprovementPlan.objects.filter(
        application__in=applications_for(user), due_on__lt=today, completed_on__isnull=True
    ).select_related("application__village")


def public_star_history(village) -> list[dict]:
    """The village's decided star ratings, newest year first, with any 摘星 and its reason (public)."""
    applications = with_current_stars(
        StarApplication.objects.filter(village=village, status__in=DECIDED).select_related("criteria")
    ).prefetch_related("strips")
    return [
        {"application": application, "stars": application.stars, "strips": list(application.strips.all())}
        for application in applications.order_by("-criteria__year")
    ]


def public_star_list(criteria: StarCriteria) -> QuerySet[StarApplication]:
    """Decided ratings of the year for the public list: level, publicity, strips; no opinions, no names."""
    return with_current_stars(
        StarApplication.objects.filter(criteria=criteria, status__in=DECIDED).select_related("village__township")
    ).order_by("-stars", "village__code")
