"""Dynamic management: each village's stars this year against last year (晋级, 降级, 保持); 摘星 with a
reason, visible in the village's public history; improvement plans of 1–2 star villages, overdue flagged."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from stars import selectors as star_selectors
from stars import services as star_services
from stars.models import StarApplication

from ..factories import VillageFactory
from ..star_helpers import fixed


def test_up_down_and_kept_against_the_previous_year(cast):
    up, down, kept = cast.village_a, VillageFactory(township=cast.township_a), VillageFactory(township=cast.township_a)
    new = VillageFactory(township=cast.township_a)
    for village, last, this in [(up, 2, 3), (down, 3, 1), (kept, 2, 2)]:
        fixed(cast, last, village=village, total="85", year=2024)
        fixed(cast, this, village=village, total="85", year=2025)
    fixed(cast, 1, village=new, total="85", year=2025)
    lines = star_selectors.application_lines(StarApplication.objects.all(), 2025)
    movements = {line.application.village: line.movement for line in lines}
    assert movements == {up: "up", down: "down", kept: "kept", new: "new"}
    assert {line.application.village: line.previous for line in lines}[down] == 3


def test_stripping_stars_is_recorded_with_its_reason_and_shown_publicly(cast, client):
    application = fixed(cast, 4, total="90", year=2025)
    with pytest.raises(PermissionDenied):
        star_services.stars_strip(
            application=application,
            acting_user=cast.users["secretary_a"],
            stars_after=2,
            trigger="case",
            reason="x",
            stripped_on=date(2026, 2, 1),
        )
    strip = star_services.stars_strip(
        application=application,
        acting_user=cast.users["staff"],
        stars_after=2,
        trigger="case",
        reason="村党支部书记被立案审查",
        stripped_on=date(2026, 2, 1),
    )
    assert (strip.stars_before, strip.stars_after, strip.recorded_by) == (4, 2, cast.users["staff"])
    assert application.current_stars() == 2
    assert star_selectors.stars_by_village(2025) == {cast.village_a.pk: 2}
    text = client.get(reverse("public:village_stars", args=[cast.village_a.code])).content.decode()
    assert "村党支部书记被立案审查" in text and "★★★★" in text and "2026-02-01" in text
    with pytest.raises(ValidationError, match="摘星后的星级必须低于该村现有的2星。"):
        star_services.stars_strip(
            application=application,
            acting_user=cast.users["staff"],
            stars_after=3,
            trigger="other",
            reason="y",
            stripped_on=date(2026, 3, 1),
        )


def test_an_improvement_plan_for_a_two_star_village_is_flagged_when_overdue(cast):
    application = fixed(cast, 2, total="75", year=2025)
    plan = star_services.improvement_plan_save(
        application=application,
        acting_user=cast.users["secretary_a"],
        measures="结对帮扶，规范三资管理",
        responsible_person="王某",
        due_on=date(2026, 6, 30),
    )
    assert plan.pk
    assert list(star_selectors.overdue_plans(cast.users["staff"], date(2026, 6, 30))) == []
    assert list(star_selectors.overdue_plans(cast.users["staff"], date(2026, 7, 1))) == [plan]
    assert list(star_selectors.overdue_plans(cast.users["secretary_b"], date(2026, 7, 1))) == []
    star_services.improvement_plan_save(
        application=application,
        acting_user=cast.users["staff"],
        measures=plan.measures,
        responsible_person="王某",
        due_on=plan.due_on,
        completed_on=date(2026, 7, 5),
    )
    assert list(star_selectors.overdue_plans(cast.users["staff"], date(2026, 7, 10))) == []


def test_a_four_star_village_needs_no_improvement_plan(cast):
    application = fixed(cast, 4, total="90", year=2025)
    with pytest.raises(ValidationError, match="改进提升计划针对一星级、二星级村制定。"):
        star_services.improvement_plan_save(
            application=application,
            acting_user=cast.users["staff"],
            measures="x",
            responsible_person="y",
            due_on=date(2026, 1, 1),
        )
