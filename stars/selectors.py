"""Reads of the star rating (评星晋级), always through the user's scope."""

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.access import scope_to_user
from accounts.models import User
from accounts.roles import INDEX_ROLES, Role
from inspections.sanctions import cadre_sanction_events
from scoring.models import Grade, Round, VetoEvent, VillageResult

from .models import (
    LEVELS,
    TOWNSHIP_MAX_LEVEL,
    ImprovementPlan,
    StarApplication,
    StarCriteria,
    StarObjection,
    StarStrip,
    StarVetoHit,
    StarVetoItem,
    StarVetoRecord,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from villages.models import Village


class CurrentStars(TypedDict):
    stars: int | None  # with_current_stars


# A decided level is public from the start of its publicity period (公示) on.
DECIDED = (StarApplication.Status.PUBLICITY, StarApplication.Status.FIXED)


def application_state(application: StarApplication) -> str:
    """The application as it stands, in words (for the conflict a save against an older version meets)."""
    if application.is_decided:
        return _("%(status)s, %(level)s stars decided with %(points)s points") % {
            "status": application.get_status_display(),
            "level": application.decided_level,
            "points": application.decided_points,
        }
    return _("%(status)s, %(level)s stars applied for with %(points)s self-assessed points") % {
        "status": application.get_status_display(),
        "level": application.level_applied,
        "points": application.self_points,
    }


def applications_for(user: User) -> QuerySet[StarApplication]:
    return scope_to_user(
        StarApplication.objects.select_related("criteria", "village__township", "filed_by"),
        user,
        township_field="village__township_id",
        roles=INDEX_ROLES,
    )


def get_application_for(user: User, pk: int) -> StarApplication:
    """The application if the user may see its village; 404 for missing and foreign alike."""
    return get_object_or_404(applications_for(user), pk=pk)


def _latest_strip() -> QuerySet[StarStrip, Mapping[str, object]]:
    # Strips only ever lower the stars, so the latest is also the lowest.
    return (
        StarStrip.objects.filter(application=OuterRef("pk")).order_by("-stripped_on", "-id").values("stars_after")[:1]
    )


def with_current_stars(
    applications: QuerySet[StarApplication],
) -> "QuerySet[WithAnnotations[StarApplication, CurrentStars]]":
    """Annotates `stars`: the decided level, or what is left of it after 摘星; None until decided."""
    return applications.annotate(
        stars=Coalesce(Subquery(_latest_strip()), F("decided_level"), output_field=IntegerField())
    )


def stars_by_village(year: int, village_ids: Iterable[int] | None = None) -> dict[int, int]:
    """village id → current stars of the year's decided ratings (in publicity or fixed), in one query."""
    applications = StarApplication.objects.filter(criteria__year=year, status__in=DECIDED)
    if village_ids is not None:
        applications = applications.filter(village_id__in=village_ids)
    # Decided ratings always have stars (constraint star_decided_level_iff_decided).
    return cast(dict[int, int], dict(with_current_stars(applications).values_list("village_id", "stars")))


def latest_criteria() -> StarCriteria | None:
    return StarCriteria.objects.first()


def criteria_years() -> QuerySet[StarCriteria, int]:
    return StarCriteria.objects.values_list("year", flat=True)


def criteria_for_year(year: int | None) -> StarCriteria | None:
    if year is None:
        return latest_criteria()
    return StarCriteria.objects.filter(year=year).first()


@dataclass(frozen=True)
class VetoFound:  # 否决事项：哪一项，哪件事
    item: StarVetoItem
    key: str  # the event, the same from one day to the next: a sanction, a period's veto or C grade, a record
    text: str  # post and sanction, period and grade…: never a person's name

    def __str__(self) -> str:
        return f"{self.item.name}：{self.text}"


def veto_events(criteria: StarCriteria, village_ids: Collection[int]) -> dict[int, list[VetoFound]]:
    """village id → the veto items (否决项) each village is hit by in the criteria's year, with the event,
    as found in the records: sanctions from the inspections, the year's published integrity index and
    the veto records staff keep."""
    year = criteria.year
    # Each period's current revision only: a grade or veto that a published correction removed is gone.
    corrected = Round.objects.filter(
        period=OuterRef("period"), status=Round.Status.PUBLISHED, revision__gt=OuterRef("revision")
    )
    published = Round.objects.filter(status=Round.Status.PUBLISHED, period__year=year).exclude(Exists(corrected))
    found: dict[int, list[VetoFound]] = defaultdict(list)
    for item in criteria.veto_items.all():
        if item.rule == StarVetoItem.Rule.CADRE_SANCTION:
            sanctions = cadre_sanction_events(date(year, 1, 1), date(year, 12, 31))
            events = [(v, f"sanction:{pk}", text) for v in village_ids for pk, text in sanctions.get(v, [])]
        elif item.rule == StarVetoItem.Rule.INDEX_VETO:
            vetoes = VetoEvent.objects.filter(round__in=published, village__in=village_ids).values_list(
                "village", "round__period__code", "item__code", "reason"
            )
            events = [(v, f"index_veto:{period}:{code}", reason) for v, period, code, reason in vetoes]
        elif item.rule == StarVetoItem.Rule.INDEX_GRADE_C:
            grades = VillageResult.objects.filter(
                round__in=published, village__in=village_ids, grade=Grade.C
            ).values_list("village", "round__period__code")
            events = [(v, f"grade_c:{period}", f"{period} C") for v, period in grades]
        else:
            records = StarVetoRecord.objects.filter(
                item=item, village__in=village_ids, occurred_on__year=year
            ).values_list("village", "pk", "reason")
            events = [(v, f"record:{pk}", reason) for v, pk, reason in records]
        for village_id, key, text in events:
            found[village_id].append(VetoFound(item, key, text))
    return found


def veto_hits(village: "Village", criteria: StarCriteria) -> list[str]:
    """The veto items the village is hit by in the criteria's year, each with its event."""
    return [str(event) for event in veto_events(criteria, [village.pk]).get(village.pk, [])]


def _above_veto_ceiling(
    applications: QuerySet[StarApplication],
) -> "QuerySet[WithAnnotations[StarApplication, CurrentStars]]":
    """Fixed ratings whose stars a veto item would have refused (as services._check_veto does)."""
    fixed = applications.filter(status=StarApplication.Status.FIXED)
    return with_current_stars(fixed).filter(stars__gt=F("criteria__veto_max_level"))


def veto_hits_not_listed() -> list[tuple[StarApplication, VetoFound]]:
    """The veto events now hitting a rating fixed above its criteria's veto ceiling that the list of veto
    hits does not hold yet (answered ones included: an event is listed once)."""
    by_criteria: dict[StarCriteria, dict[int, StarApplication]] = defaultdict(dict)
    for rated in _above_veto_ceiling(StarApplication.objects.select_related("criteria")):
        by_criteria[rated.criteria][rated.village_id] = rated
    listed = set(StarVetoHit.objects.values_list("application", "item", "event_key"))
    new: list[tuple[StarApplication, VetoFound]] = []
    for criteria, applications in by_criteria.items():
        for village_id, events in veto_events(criteria, list(applications)).items():
            application = applications[village_id]
            for event in events:
                key = (application.pk, event.item.pk, event.key)
                if key not in listed:  # a corrected round repeats its period's events
                    listed.add(key)
                    new.append((application, event))
    return new


def open_veto_hits(user: User) -> QuerySet[StarVetoHit]:
    """Veto hits staff have still to answer, with `stars` now; a rating stripped to the veto ceiling in
    the meantime (on its own page) has none left to answer."""
    above = _above_veto_ceiling(applications_for(user))
    stars_now = with_current_stars(StarApplication.objects.filter(pk=OuterRef("application"))).values("stars")
    return (
        StarVetoHit.objects.filter(outcome=StarVetoHit.Outcome.OPEN, application__in=above.values("pk"))
        .annotate(stars=Subquery(stars_now))
        .select_related("application__village__township", "application__criteria", "item")
        .order_by("found_at", "id")
    )


def get_open_veto_hit_for(user: User, pk: int) -> StarVetoHit:
    """404 for a hit answered already, as for one missing or out of the user's scope."""
    return get_object_or_404(open_veto_hits(user), pk=pk)


def veto_hit_strip_proposal(hit: StarVetoHit, today: date) -> dict[str, object]:
    """What the 摘星 form proposes for a hit: down to the highest level a veto item allows, because of
    the veto item and its event; staff may change any of it."""
    grade_c = hit.item.rule == StarVetoItem.Rule.INDEX_GRADE_C
    return {
        "stars_after": hit.application.criteria.veto_max_level,
        "trigger": StarStrip.Trigger.GRADE_C if grade_c else StarStrip.Trigger.VETO,
        "reason": f"{hit.item.name}：{hit.event}",
        "stripped_on": today,
    }


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
    rows = list(with_current_stars(applications.filter(criteria__year=year)))
    previous = stars_by_village(year - 1, [application.village_id for application in rows])
    return [
        ApplicationLine(
            application,
            application.stars if application.status in DECIDED else None,
            previous.get(application.village_id),
        )
        for application in rows
    ]


def level_counts_by_township(user: User, year: int) -> list[dict[str, object]]:
    """Decided stars per level per township (for the staff overview)."""
    applications = with_current_stars(applications_for(user).filter(criteria__year=year, status__in=DECIDED))
    counts: dict[str, dict[int | None, int]] = defaultdict(lambda: dict.fromkeys(range(6), 0))
    names: dict[str, str] = {}
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


def overdue_plans(user: User, today: date) -> QuerySet[ImprovementPlan]:
    return ImprovementPlan.objects.filter(
        application__in=applications_for(user), due_on__lt=today, completed_on__isnull=True
    ).select_related("application__village")


def public_star_history(village: "Village") -> list[dict[str, object]]:
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


# --- What waits for the user (the to-do page) -----------------------------------------------------------


def applications_awaiting_township(user: User) -> QuerySet[StarApplication]:
    """Applications in the user's scope that wait for their township: filed ones to review (decide 1–3
    stars, or give the opinion on 4–5) and those returned to it for more evidence."""
    waiting = (StarApplication.Status.SUBMITTED, StarApplication.Status.RETURNED)
    return applications_for(user).filter(status__in=waiting).order_by("village__code")


def applications_awaiting_district(user: User) -> QuerySet[StarApplication]:
    """Applications for 4–5 stars the township sent on, waiting for the district commission's decision."""
    return applications_for(user).filter(status=StarApplication.Status.FORWARDED).order_by("village__code")


def objections_to_answer(user: User) -> QuerySet[StarObjection]:
    """Open objections to levels in publicity that the user answers: those to its township's decisions
    (1–3 stars) for a secretary, to the district's (4–5) for a leader, all for staff."""
    objections = StarObjection.objects.filter(
        upheld__isnull=True,
        application__status=StarApplication.Status.PUBLICITY,
        application__in=applications_for(user),
    ).select_related("application__village", "application__criteria")
    by_the_district = Q(application__level_applied__gt=TOWNSHIP_MAX_LEVEL)
    if user.has_role(Role.COMMISSION_LEADER):
        objections = objections.filter(by_the_district)
    elif user.has_role(Role.TOWNSHIP_SECRETARY):
        objections = objections.exclude(by_the_district)
    return objections.order_by("received_on", "id")


def publicity_ending(user: User, by: date) -> QuerySet[StarApplication]:
    """Levels in publicity (公示) in the user's scope whose period ends by `by`, the earliest first."""
    in_publicity = applications_for(user).filter(status=StarApplication.Status.PUBLICITY)
    return in_publicity.filter(publicity_ends_on__lte=by).order_by("publicity_ends_on", "village__code")


def plans_due(user: User, by: date) -> QuerySet[ImprovementPlan]:
    """Improvement plans in the user's scope not completed and due by `by` (overdue ones too)."""
    return (
        ImprovementPlan.objects.filter(
            application__in=applications_for(user), completed_on__isnull=True, due_on__lte=by
        )
        .select_related("application__village")
        .order_by("due_on", "id")
    )
