"""The city demo's 五个一 (cities.demo): this year's programme set by the city's staff, reported by each
county's own staff, the counties at different points, a 督促检查 visit; all through the audited services."""

from datetime import date

from accounts.demo import CountyCast
from audit.models import AuditEvent
from cities.demo import seed_city_work
from cities.models import CountyStep, Programme, VisitProblem
from villages.models import City

MID_JUNE = date(2025, 6, 15)  # the report, the survey, the plan and the meeting are due; the check is not


def casts(cast) -> list[CountyCast]:
    users = cast.users
    return [
        CountyCast(cast.township_c.district, users["staff_b"], users["leader_b"], users["petition_b"]),
        CountyCast(cast.township_a.district, users["staff"], users["leader"], users["petition"]),
    ]


def statuses(district) -> dict[str, tuple[str, date | None]]:
    steps = CountyStep.objects.filter(district=district)
    return {step.step: (step.status, step.overdue_since) for step in steps}


def test_the_city_demo_has_each_county_at_its_own_point_of_the_five_steps(second_county):
    cast = second_county
    city = City.objects.get()
    made = seed_city_work(city=city, city_staff=cast.users["city_staff"], casts=casts(cast), today=MID_JUNE)

    assert made == 10 and Programme.objects.get().created_by == cast.users["city_staff"]
    done = ("done", None)
    assert statuses(cast.township_c.district) == {  # 黄岩区: every step due so far done
        "report": done,
        "survey": done,
        "plan": done,
        "mobilisation": done,
        "check": ("not_started", None),
    }
    assert statuses(cast.township_a.district) == {  # 路桥区: a step behind, started and overdue since its date
        "report": done,
        "survey": done,
        "plan": done,
        "mobilisation": ("in_progress", date(2025, 5, 31)),
        "check": ("not_started", None),
    }
    plan = CountyStep.objects.get(district=cast.township_a.district, step="plan")
    assert sorted(plan.evidence.values_list("kind", flat=True)) == ["measures", "standards"]
    assert plan.history.first().history_user == cast.users["staff"]  # reported by the county's own staff

    problems = VisitProblem.objects.filter(visit__district=cast.township_a.district).order_by("due_on")
    assert [(p.status, p.rectified_on) for p in problems] == [("rectified", date(2025, 6, 10)), ("open", None)]
    assert AuditEvent.objects.filter(target_type="cities.CountyStep").exists()


def test_seeding_the_city_again_makes_nothing(second_county):
    cast = second_county
    city = City.objects.get()
    seed_city_work(city=city, city_staff=cast.users["city_staff"], casts=casts(cast), today=MID_JUNE)
    steps = CountyStep.objects.count()
    assert seed_city_work(city=city, city_staff=cast.users["city_staff"], casts=casts(cast), today=MID_JUNE) == 0
    assert CountyStep.objects.count() == steps
