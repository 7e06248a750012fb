"""Reads of the star rating (评星晋级), always through the user's scope."""

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.access import scope_to_user
from accounts.models import User
from accounts.roles import CITY_ROLES, INDEX_ROLES, Role
from inspections.sanctions import cadre_sanction_events
from scoring.models import Grade, Round, VetoEvent, VillageResult
from villages.models import District, Station, Township, Village
from villages.selectors import stations_for

from .models import (
    LEVELS,
    ImprovementPlan,
    StarApplication,
    StarCriteria,
    StarObjection,
    StarPilotStage,
    StarPilotTownship,
    StarStrip,
    StarVetoHit,
    StarVetoItem,
    StarVetoRecord,
    Subject,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# Who reads the star rating: the index's readers in their township or county, the city's roles in every
# county of their city (reading only: every write is checked by stars.services' predicates).
STAR_READERS = INDEX_ROLES | CITY_ROLES


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
        StarApplication.objects.select_related(
            "criteria", "village__township__district", "township__district", "station", "filed_by"
        ),
        user,
        township_field="township_id",
        roles=STAR_READERS,
    )


def rated_subject(rated: "Village | Township | Station") -> tuple[str, Township, dict[str, object]]:
    """What is rated (Subject), the township whose secretary files for it, and the lookup of its
    application under a criteria."""
    if isinstance(rated, Village):
        return Subject.VILLAGE, rated.township, {"village": rated}
    if isinstance(rated, Station):
        return Subject.STATION, rated.township, {"station": rated}
    return Subject.TOWNSHIP, rated, {"subject": Subject.TOWNSHIP, "township": rated}


def get_township_for(user: User, code: str) -> Township:
    """A township the user reads (a secretary: the own one); 404 otherwise."""
    townships = Township.objects.select_related("district")
    return cast(
        Township, get_object_or_404(scope_to_user(townships, user, roles=STAR_READERS, township_field="id"), code=code)
    )


@dataclass
class SubjectRatings:  # 乡镇、站所某年的评定：各区县标准、评定情况、待申报
    year: int
    years: list[int]
    criteria: list[tuple[District, StarCriteria]]  # the criteria applying in each county the user reads
    applications: list[StarApplication]  # with .stars, the current level of a decided rating
    to_file: list["Township | Station"]  # for a secretary: the own township or its stations not yet filed


def subject_ratings(user: User, subject: str, year: int) -> SubjectRatings:
    """The year's ratings of townships or stations in the user's scope, the criteria of each county, and
    for a secretary what is still to be filed, in a fixed number of queries however many counties."""
    counties = list(counties_for(user))
    every = StarCriteria.objects.filter(year=year, subject=subject).select_related("district")
    of_county = {criteria.district_id: criteria for criteria in every}
    applying = [
        (district, of_county.get(district.pk) or of_county[None])
        for district in counties
        if district.pk in of_county or None in of_county
    ]
    applications = applications_for(user).filter(subject=subject, criteria__year=year).select_related("station__kind")
    rows = list(with_current_stars(applications).order_by("township__code", "station__name"))
    to_file: list[Township | Station] = []
    if user.has_role(Role.TOWNSHIP_SECRETARY) and applying and user.township_id is not None:
        filed = {(row.township_id, row.station_id) for row in rows}
        if subject == Subject.TOWNSHIP:
            township = Township.objects.get(pk=user.township_id)
            to_file = [] if (township.pk, None) in filed else [township]
        else:
            stations = stations_for(user).filter(active=True)  # a secretary's: the own township's
            to_file = [station for station in stations if (station.township_id, station.pk) not in filed]
    return SubjectRatings(year, criteria_years(counties, subject), applying, cast(list[StarApplication], rows), to_file)


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
    applications = StarApplication.objects.filter(criteria__year=year, status__in=DECIDED, subject=Subject.VILLAGE)
    if village_ids is not None:
        applications = applications.filter(village_id__in=village_ids)
    # Decided ratings always have stars (constraint star_decided_level_iff_decided).
    return cast(dict[int, int], dict(with_current_stars(applications).values_list("village_id", "stars")))


# --- Criteria per county (市级默认、区县调整) and the pilot (试点先行) ----------------------------------------


def criteria_applying(district_id: int, year: int, subject: str = Subject.VILLAGE) -> StarCriteria | None:
    """The criteria a county's villages (townships, stations) are rated on in `year`: the county's own,
    else the city-wide default; None when the year has neither."""
    return (
        StarCriteria.objects.filter(Q(district_id=district_id) | Q(district__isnull=True), year=year, subject=subject)
        .select_related("district")
        .order_by(F("district_id").asc(nulls_last=True))
        .first()
    )


def counties_for(user: User) -> QuerySet[District]:
    """The counties whose star rating the user reads: the own one, or each county of the own city."""
    townships = scope_to_user(Township.objects.all(), user, roles=STAR_READERS, township_field="id")
    return District.objects.filter(pk__in=townships.values("district_id")).order_by("code")


def get_county_for(user: User, code: str) -> District:
    """The county by its code if the user reads its star rating; 404 for missing and foreign alike."""
    return get_object_or_404(counties_for(user), code=code)


def criteria_years(districts: Iterable[District] | None = None, subject: str = Subject.VILLAGE) -> list[int]:
    """The years with criteria, newest first: of the given counties (their own or the default), or of all."""
    criteria = StarCriteria.objects.filter(subject=subject)
    if districts is not None:
        criteria = criteria.filter(Q(district__in=list(districts)) | Q(district__isnull=True))
    return list(criteria.order_by("-year").values_list("year", flat=True).distinct())


def pilot_townships(criteria: StarCriteria, district_id: int) -> list[Township]:
    """The county's pilot townships (试点镇街) under the criteria; [] when the whole county takes part:
    none of its townships was named, or it was rolled out (全县推开)."""
    stages = StarPilotStage.objects.filter(criteria=criteria, district_id=district_id)
    if stages.filter(whole_county=True).exists():
        return []
    named = StarPilotTownship.objects.filter(criteria=criteria, township__district_id=district_id)
    return list(Township.objects.filter(pk__in=named.values("township_id")).order_by("code"))


def takes_part(criteria: StarCriteria, township: Township) -> bool:
    """Whether the township's villages may apply under the criteria (试点先行)."""
    pilot = pilot_townships(criteria, township.district_id)
    return not pilot or township in pilot


@dataclass
class CountyStars:  # 一个区县某年的评星：适用的标准、试点镇街、参与面
    district: District
    criteria: StarCriteria
    pilot: list[Township]  # [] when the whole county takes part
    stages: list[StarPilotStage]
    villages: int  # active villages in the user's scope whose township takes part
    applied: int  # the year's applications in the user's scope

    @property
    def whole_county(self) -> bool:
        return not self.pilot

    @property
    def rolled_out(self) -> bool:
        """全县推开 recorded: the pilot is over."""
        return any(stage.whole_county for stage in self.stages)

    def takes_part(self, township_id: int | None) -> bool:
        return self.whole_county or township_id in {township.pk for township in self.pilot}


def _county_pilots(
    year: int, districts: Iterable[District], known: Iterable[StarCriteria] | None = None
) -> list[tuple[District, StarCriteria, list[Township], list[StarPilotStage]]]:
    """For each county with criteria of the year: the criteria that apply, its pilot townships ([] when the
    whole county takes part) and its stages; in three queries however many counties (two when the
    criteria, of that year or any, are given)."""
    every = StarCriteria.objects.filter(year=year, subject=Subject.VILLAGE) if known is None else known
    of_year = {criteria.district_id: criteria for criteria in every if criteria.year == year}
    if not of_year:
        return []
    added = Prefetch("townships", queryset=StarPilotTownship.objects.select_related("township"))
    stages = (
        StarPilotStage.objects.filter(criteria__year=year, criteria__subject=Subject.VILLAGE)
        .select_related("recorded_by")
        .prefetch_related(added)
    )
    by_county: dict[tuple[int, int], list[StarPilotStage]] = defaultdict(list)
    for stage in stages.order_by("starts_on", "id"):
        by_county[(stage.criteria_id, stage.district_id)].append(stage)
    found = []
    for district in districts:
        criteria = of_year.get(district.pk) or of_year.get(None)
        if criteria is None:
            continue
        own = by_county[(criteria.pk, district.pk)]
        pilot = [] if any(stage.whole_county for stage in own) else [r.township for s in own for r in s.townships.all()]
        found.append((district, criteria, sorted(pilot, key=lambda township: township.code), own))
    return found


def county_stars(user: User, year: int, districts: Iterable[District] | None = None) -> list[CountyStars]:
    """For each county the user reads (or those given), the year's criteria, pilot and how many villages
    of the user's scope take part and applied; a county without criteria of the year is left out. In a
    fixed number of queries however many counties (the city reads six)."""
    counties = _county_pilots(year, counties_for(user) if districts is None else districts)
    villages = scope_to_user(
        Village.objects.filter(active=True, township__district__in=[district for district, *_rest in counties]),
        user,
        roles=STAR_READERS,
        township_field="township_id",
    )
    counted = villages.order_by().values_list("township_id", "township__district_id").annotate(n=Count("id"))
    per_township = list(counted)
    applied = applications_for(user).filter(criteria__year=year, subject=Subject.VILLAGE).order_by()
    per_county = dict(applied.values_list("village__township__district_id").annotate(n=Count("id")))
    found = []
    for district, criteria, pilot, stages in counties:
        taking_part = {township.pk for township in pilot}
        villages_taking_part = sum(
            n
            for township_id, district_id, n in per_township
            if district_id == district.pk and (not pilot or township_id in taking_part)
        )
        found.append(
            CountyStars(district, criteria, pilot, stages, villages_taking_part, per_county.get(district.pk, 0))
        )
    return found


def latest_year(user: User, subject: str = Subject.VILLAGE) -> int | None:
    """The newest year of criteria that apply to a county the user reads."""
    years = criteria_years(counties_for(user), subject)
    return years[0] if years else None


@dataclass
class PublicStarYear:  # 公开页的一年：公示天数、各区县试点镇街
    year: int
    years: list[int]  # every year with criteria, newest first
    publicity_days: int | None  # None when the counties set different periods
    pilots: list[tuple[District, list[Township]]]  # per county with criteria; [] = the whole county


def public_star_year(year: int | None) -> PublicStarYear | None:
    """The year of the public star list (the newest when None), with each county's pilot townships, in a
    fixed number of queries however many counties."""
    every = list(StarCriteria.objects.filter(subject=Subject.VILLAGE))
    years = sorted({criteria.year for criteria in every}, reverse=True)
    year = years[0] if year is None and years else year
    if year not in years:
        return None
    districts = District.objects.filter(townships__isnull=False).distinct().order_by("code")
    counties = _county_pilots(year, districts, every)
    days = {criteria.publicity_days for _district, criteria, _pilot, _stages in counties}
    pilots = [(district, pilot) for district, _criteria, pilot, _stages in counties]
    return PublicStarYear(year, years, days.pop() if len(days) == 1 else None, pilots)


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


def veto_hits(village: Village, criteria: StarCriteria) -> list[str]:
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
    villages = StarApplication.objects.filter(subject=Subject.VILLAGE).select_related("criteria", "village__township")
    for rated in _above_veto_ceiling(villages):
        by_criteria[rated.criteria][cast(int, rated.village_id)] = rated
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
    previous = stars_by_village(year - 1, [cast(int, application.village_id) for application in rows])
    return [
        ApplicationLine(
            application,
            application.stars if application.status in DECIDED else None,
            previous.get(cast(int, application.village_id)),
        )
        for application in rows
    ]


def level_counts_by_township(user: User, year: int) -> list[dict[str, object]]:
    """Decided stars per level per township (for the staff overview)."""
    decided = applications_for(user).filter(criteria__year=year, status__in=DECIDED, subject=Subject.VILLAGE)
    applications = with_current_stars(decided)
    counts: dict[str, dict[int | None, int]] = defaultdict(lambda: dict.fromkeys(range(6), 0))
    names: dict[str, tuple[str, str]] = {}
    township = "village__township__"
    for row in applications.values(f"{township}code", f"{township}name", f"{township}district__name", "stars").annotate(
        n=Count("id")
    ):
        key = row[f"{township}code"]
        names[key] = (row[f"{township}name"], row[f"{township}district__name"])
        counts[key][row["stars"]] += row["n"]
    return [
        {
            "code": code,
            "name": names[code][0],
            "county": names[code][1],
            "levels": [counts[code][level] for level, _label in LEVELS],
            "stripped": counts[code][0],
        }
        for code in sorted(counts)
    ]


def overdue_plans(user: User, today: date) -> QuerySet[ImprovementPlan]:
    return ImprovementPlan.objects.filter(
        application__in=applications_for(user), due_on__lt=today, completed_on__isnull=True
    ).select_related("application__village")


def public_star_history(village: Village) -> list[dict[str, object]]:
    """The village's decided star ratings, newest year first, with any 摘星 and its reason (public)."""
    applications = with_current_stars(
        StarApplication.objects.filter(village=village, status__in=DECIDED).select_related("criteria")
    ).prefetch_related("strips")
    return [
        {"application": application, "stars": application.stars, "strips": list(application.strips.all())}
        for application in applications.order_by("-criteria__year")
    ]


def village_applications(village: Village) -> QuerySet[StarApplication]:
    """Every star application of the village, newest year first, whatever its state: its cadres follow
    this year's from the draft on."""
    return with_current_stars(
        StarApplication.objects.filter(village=village).select_related("criteria").order_by("-criteria__year")
    )


def public_star_list(year: int) -> QuerySet[StarApplication]:
    """Decided ratings of the year, every county's, for the public list: level, publicity, strips; no
    opinions, no names."""
    decided = StarApplication.objects.filter(criteria__year=year, status__in=DECIDED, subject=Subject.VILLAGE)
    ratings = decided.select_related("village__township__district")
    return with_current_stars(ratings).order_by("-stars", "village__code")


def public_subject_ratings(year: int) -> list[StarApplication]:
    """The year's decided township (勤廉双优示范乡镇) and station (群众满意基层站所) ratings, every
    county's, for the public page: result, publicity, satisfaction; no opinions, no names."""
    decided = StarApplication.objects.filter(criteria__year=year, status__in=DECIDED).exclude(subject=Subject.VILLAGE)
    ratings = decided.select_related("criteria", "township__district", "station__kind")
    return list(with_current_stars(ratings).order_by("subject", "township__code", "station__name"))


# --- What waits for the user (the to-do page) -----------------------------------------------------------


def applications_awaiting_township(user: User) -> QuerySet[StarApplication]:
    """Applications in the user's scope that wait for their township: filed ones to review (decide 1–3
    stars, or give the opinion on 4–5) and those returned to it for more evidence."""
    waiting = (StarApplication.Status.SUBMITTED, StarApplication.Status.RETURNED)
    return (
        applications_for(user).filter(status__in=waiting).order_by("township__code", "village__code", "station__name")
    )


def applications_awaiting_district(user: User) -> QuerySet[StarApplication]:
    """Applications for 4–5 stars the township sent on, waiting for the district commission's decision."""
    return (
        applications_for(user)
        .filter(status=StarApplication.Status.FORWARDED)
        .order_by("township__code", "village__code", "station__name")
    )


def objections_to_answer(user: User) -> QuerySet[StarObjection]:
    """Open objections to levels in publicity that the user answers: those to its township's decisions
    (1–3 stars) for a secretary, to the district's (4–5) for a leader, all for staff."""
    objections = StarObjection.objects.filter(
        upheld__isnull=True,
        application__status=StarApplication.Status.PUBLICITY,
        application__in=applications_for(user),
    ).select_related("application__village", "application__township", "application__station", "application__criteria")
    by_the_district = Q(application__level_applied__gt=F("application__criteria__township_decides_up_to"))
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


# --- The city's comparison of its counties (cities.selectors.county_comparison) --------------------------


def fixed_stars_by_district(year: int, district_ids: list[int] | None = None) -> dict[int, dict[int, int]]:
    """district id → {stars: villages} of the year's fixed ratings (定星), stars as 摘星 left them (0 … 5),
    in one query."""
    fixed = StarApplication.objects.filter(
        criteria__year=year, status=StarApplication.Status.FIXED, subject=Subject.VILLAGE
    )
    if district_ids is not None:
        fixed = fixed.filter(village__township__district_id__in=district_ids)
    rows = with_current_stars(fixed).values("village__township__district_id", "stars")
    levels: dict[int, dict[int, int]] = {}
    for row in rows.annotate(n=Count("village", distinct=True)).order_by():
        # A fixed rating always has stars (constraint star_decided_level_iff_decided).
        county = levels.setdefault(row["village__township__district_id"], dict.fromkeys(range(6), 0))
        county[row["stars"] or 0] += row["n"]
    return levels


def demonstration_villages_by_district(year: int, district_ids: list[int] | None = None) -> dict[int, int]:
    """district id → villages nominated demonstration villages (示范村, provincial or city) on the year's
    ratings, each village once, in one query."""
    from .models import DemonstrationNomination

    nominations = DemonstrationNomination.objects.filter(application__criteria__year=year)
    if district_ids is not None:
        nominations = nominations.filter(application__village__township__district_id__in=district_ids)
    rows = nominations.values("application__village__township__district_id").annotate(
        n=Count("application__village", distinct=True)
    )
    return {row["application__village__township__district_id"]: row["n"] for row in rows.order_by()}
