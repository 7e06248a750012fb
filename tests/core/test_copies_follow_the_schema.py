"""Copies follow the schema: a correction, the next scheme version, next year's star criteria and a
revisit's re-check items copy every concrete field of the original except the exclusions each copy
function declares, so a new column is copied or consciously left out, never silently lost."""

from datetime import date
from decimal import Decimal

import pytest

from audit.models import AuditEvent
from core.copying import copied_values, copy_of
from inspections import services as inspection_services
from inspections.models import Finding, InspectionRound, PersonHandled
from inspections.services import RECHECK_COPY_EXCLUDES, finding_cite
from petitions.services import petition_cite
from scoring.models import (
    BonusItem,
    BonusScore,
    Category,
    Indicator,
    Period,
    Round,
    Scheme,
    Score,
    VetoEvent,
    VetoItem,
    VillageResult,
)
from scoring.services import (
    CORRECTION_COPY_EXCLUDES,
    INDICATOR_COPY_EXCLUDES,
    SCHEME_COPY_EXCLUDES,
    SCHEME_PART_COPY_EXCLUDES,
    ScoreInput,
    round_approve,
    round_compute_results,
    round_correct,
    round_publish,
    round_submit,
    scheme_copy,
    score_save,
)
from stars.criteria_services import (
    STAR_CRITERIA_COPY_EXCLUDES,
    STAR_ITEM_COPY_EXCLUDES,
    STAR_PART_COPY_EXCLUDES,
    star_criteria_copy,
)
from stars.models import StarCriteria, StarDimension, StarItem, StarVetoItem

from ..factories import DistrictFactory
from ..inspection_helpers import finding, inspection
from ..petition_helpers import concluded, register
from ..scoring_helpers import default_scheme, fill_scores, make_round


def compared_fields(model, excluded) -> list:
    return [field for field in model._meta.concrete_fields if not field.primary_key and field.name not in excluded]


def assert_filled(original, excluded) -> None:
    """Every copied field of the original holds a value other than its default, so that a field the copy
    dropped (leaving the default) cannot look copied."""
    defaults = [
        f.name
        for f in compared_fields(type(original), excluded)
        if getattr(original, f.attname) in (None, f.get_default())
    ]
    assert defaults == [], f"set a non-default value on {type(original).__name__}.{defaults} in this test"


def assert_copied(copy, original, excluded) -> None:
    assert copy.pk != original.pk
    fields = compared_fields(type(original), excluded)
    assert {f.attname: getattr(copy, f.attname) for f in fields} == {
        f.attname: getattr(original, f.attname) for f in fields
    }


# --- The helper ---------------------------------------------------------------------------------------


def test_an_exclusion_naming_no_field_is_refused(db):
    with pytest.raises(ValueError, match="VetoItem has no field from_sanction"):
        copied_values(VetoItem(code="FJ1", name="x"), exclude={"scheme", "from_sanction"})


def test_a_copy_may_only_change_a_field_it_excludes(db):
    with pytest.raises(ValueError, match="Indicator: category is not excluded"):
        copy_of(Indicator(code="BZ1", name="x", max_points=Decimal("5")), exclude={"scheme"}, category=None)


# --- Corrections (round_correct) ----------------------------------------------------------------------


def test_a_correction_copies_every_field_of_scores_bonuses_and_vetoes(cast):
    published = make_round("2025", status=Round.Status.PUBLISHED)
    scheme = published.period.scheme
    cited = finding(cast)
    petition = concluded(cast, register(cast))
    indicator = Indicator.objects.get(scheme=scheme, code="CW5")
    score = Score.objects.create(
        round=published,
        village=cast.village_a,
        indicator=indicator,
        points=Decimal("1.50"),
        reason="惠农补贴台账不符",
        evidence="巡察问题#1",
        finding=cited,
        petition=petition,
        source=Score.Source.THIRD_PARTY,
        scoring_unit=cast.township_b,  # 片区联动: scored by the other township
        version=4,
        updated_by=cast.users["secretary_b"],
    )
    bonus = BonusScore.objects.create(
        round=published,
        village=cast.village_a,
        item=BonusItem.objects.filter(scheme=scheme).first(),
        points=Decimal("2"),
        reason="省级示范",
    )
    veto = VetoEvent.objects.create(
        round=published,
        village=cast.village_a,
        item=VetoItem.objects.get(scheme=scheme, code="FJ2"),
        reason="群体性事件",
    )

    correction = round_correct(round_=published, acting_user=cast.users["staff"], reason="复核更正")

    for original in (score, bonus, veto):
        excluded = CORRECTION_COPY_EXCLUDES[type(original)]
        assert_filled(original, excluded)
        copy = type(original).objects.get(round=correction, village=original.village)
        assert_copied(copy, original, excluded)
    copied_score = Score.objects.get(round=correction)
    assert (copied_score.version, copied_score.updated_by) == (1, cast.users["staff"])


def test_a_correction_keeps_the_finding_and_petition_each_deduction_rests_on(cast):
    round_ = make_round("2025")
    for village in (cast.village_a, cast.village_b):
        fill_scores(round_, village, "100")
    staff, leader = cast.users["staff"], cast.users["leader"]
    cited_finding = finding(cast, description="惠农补贴台账不符")
    cited_petition = concluded(cast, register(cast))
    by_finding = Indicator.objects.get(scheme=round_.period.scheme, code="CW5")
    by_petition = Indicator.objects.get(scheme=round_.period.scheme, code="CW2")
    finding_cite(finding=cited_finding, round_=round_, indicator=by_finding, points=Decimal("2"), acting_user=staff)
    petition_cite(petition=cited_petition, round_=round_, indicator=by_petition, points=Decimal("1"), acting_user=staff)
    round_submit(round_=round_, acting_user=staff)
    round_approve(round_=round_, acting_user=leader)
    round_publish(round_=round_, acting_user=leader)

    correction = round_correct(round_=round_, acting_user=staff, reason="石曲村BZ1分数录入错误")

    deductions = Score.objects.filter(round=correction, village=cast.village_a, indicator__in=[by_finding, by_petition])
    assert sorted((s.indicator.code, s.points, s.finding, s.petition, s.evidence) for s in deductions) == [
        ("CW2", Decimal("1.00"), None, cited_petition, f"信访件#{cited_petition.pk}"),
        ("CW5", Decimal("2.00"), cited_finding, None, f"巡察问题#{cited_finding.pk}"),
    ]
    # Each copy starts its history, so the correction's first edit of it reaches the audit log with a before.
    copied = deductions.get(indicator=by_finding)
    score_save(
        round_=correction,
        village=cast.village_a,
        indicator=by_finding,
        data=ScoreInput(points=Decimal("3"), reason="复核后改为扣1分"),
        expected_version=copied.version,
        acting_user=staff,
    )
    edit = AuditEvent.objects.filter(target_type="scoring.Score", target_id=str(copied.pk)).first()
    assert edit.data["changes"]["points"] == {"before": "2.00", "after": "3.00"}


# --- Scheme versions (scheme_copy) --------------------------------------------------------------------


def test_the_next_scheme_version_copies_every_field_of_the_scheme_and_its_items(cast):
    scheme = Scheme.objects.create(
        district=DistrictFactory(),
        name="本区方案",
        is_example=True,
        grade_a_min=Decimal("92"),
        grade_b_min=Decimal("82"),
        bonus_cap=Decimal("4"),
        publicity_days=10,
    )
    category = Category.objects.create(scheme=scheme, code="QZ", name="清正", position=3)
    indicator = Indicator.objects.create(
        scheme=scheme,
        category=category,
        code="QZ1",
        name="干部廉洁",
        max_points=Decimal("100"),
        guidance="每起扣2分",
        position=2,
    )
    bonus = BonusItem.objects.create(scheme=scheme, code="TS1", name="特色工作", max_points=Decimal("3"))
    veto = VetoItem.objects.create(scheme=scheme, code="FJ1", name="村干部受处分", from_sanctions=True)

    copy = scheme_copy(scheme=scheme, acting_user=cast.users["sysadmin"])

    assert_filled(scheme, SCHEME_COPY_EXCLUDES)
    assert_copied(copy, scheme, SCHEME_COPY_EXCLUDES)
    assert (copy.version, copy.based_on, copy.is_example) == (2, scheme, False)
    copied_category = copy.categories.get()
    for original, copied, excluded in [
        (category, copied_category, SCHEME_PART_COPY_EXCLUDES),
        (indicator, copy.indicators.get(), INDICATOR_COPY_EXCLUDES),
        (bonus, copy.bonus_items.get(), SCHEME_PART_COPY_EXCLUDES),
        (veto, copy.veto_items.get(), SCHEME_PART_COPY_EXCLUDES),
    ]:
        assert_filled(original, excluded)
        assert_copied(copied, original, excluded)
    assert copy.indicators.get().category == copied_category


def test_the_next_scheme_version_still_makes_a_sanctioned_cadres_village_c(cast):
    next_version = scheme_copy(scheme=default_scheme(), acting_user=cast.users["sysadmin"])
    period = Period.objects.create(code="2026", year=2026, scheme=next_version, district=DistrictFactory())
    round_ = Round.objects.create(period=period)
    for village in (cast.village_a, cast.village_b):
        fill_scores(round_, village, "96")
    inspection_services.person_record(
        round_=inspection(cast, starts_on=date(2026, 1, 10), villages=[cast.village_a]),
        acting_user=cast.users["staff"],
        village=cast.village_a,
        name="李四",
        post="村报账员",
        village_cadre=True,
        handling=PersonHandled.Handling.PARTY_SANCTION,
        decided_on=date(2026, 5, 1),
    )

    round_compute_results(round_)

    sanctioned = VillageResult.objects.get(round=round_, village=cast.village_a)
    assert (sanctioned.grade, sanctioned.vetoed) == ("C", True)
    assert sanctioned.veto_reason == "村“两委”干部受到党纪政务处分：村报账员受党纪处分（2026-05-01）"
    assert VillageResult.objects.get(round=round_, village=cast.village_b).grade == "A"


# --- Star criteria to next year (star_criteria_copy) --------------------------------------------------


def star_criteria_2025() -> StarCriteria:
    criteria = StarCriteria.objects.create(
        year=2025,
        district=DistrictFactory(),  # a county's own criteria: next year's stay the county's
        publicity_days=7,
        veto_max_level=2,
        min_points_1=Decimal("61"),
        min_points_2=Decimal("71"),
        min_points_3=Decimal("81"),
        min_points_4=Decimal("89"),
        min_points_5=Decimal("96"),
        # Every field away from its default, so that a copy that drops one is seen.
        subject="township",
        top_level=4,
        township_decides_up_to=2,
        min_satisfaction=Decimal("80"),
    )
    dimension = StarDimension.objects.create(criteria=criteria, code="ZD", name="制度建设", position=4)
    StarItem.objects.create(dimension=dimension, code="ZD1", name="议事规则", max_points=Decimal("100"), position=3)
    StarVetoItem.objects.create(
        criteria=criteria, code="V1", name="村干部受处分", rule=StarVetoItem.Rule.CADRE_SANCTION
    )
    return criteria


def test_next_years_star_criteria_copy_every_field_of_the_criteria_and_their_parts(cast):
    source = star_criteria_2025()

    copy = star_criteria_copy(source=source, year=2026, acting_user=cast.users["sysadmin"])

    assert_filled(source, STAR_CRITERIA_COPY_EXCLUDES)
    assert_copied(copy, source, STAR_CRITERIA_COPY_EXCLUDES)
    assert copy.year == 2026
    item, copied_item = (StarItem.objects.get(dimension__criteria=criteria) for criteria in (source, copy))
    for original, copied, excluded in [
        (source.dimensions.get(), copy.dimensions.get(), STAR_PART_COPY_EXCLUDES),
        (item, copied_item, STAR_ITEM_COPY_EXCLUDES),
        (source.veto_items.get(), copy.veto_items.get(), STAR_PART_COPY_EXCLUDES),
    ]:
        assert_filled(original, excluded)
        assert_copied(copied, original, excluded)
    assert StarItem.objects.get(dimension__criteria=copy).dimension == copy.dimensions.get()
    assert copy.history.get().history_user == cast.users["sysadmin"]


def test_next_years_star_criteria_keep_the_publicity_period_the_veto_cap_and_each_veto_items_rule(cast):
    copy = star_criteria_copy(source=star_criteria_2025(), year=2026, acting_user=cast.users["sysadmin"])

    assert (copy.publicity_days, copy.veto_max_level, copy.level_for(Decimal("95.99"))) == (7, 2, 4)
    assert [(item.code, item.rule) for item in copy.veto_items.all()] == [("V1", StarVetoItem.Rule.CADRE_SANCTION)]


# --- A revisit's re-check items (revisit_targets_add) -------------------------------------------------


def test_a_recheck_item_copies_every_field_of_the_earlier_finding(cast):
    earlier = finding(
        cast,
        found_on=date(2024, 3, 1),
        severity=Finding.Severity.SERIOUS,
        immediate=True,
        measure="纳入村账镇代理",
        responsible_person="王某",
    )
    revisit = inspection(cast, kind=InspectionRound.Kind.REVISIT, starts_on=date(2025, 3, 1))

    inspection_services.revisit_targets_add(
        round_=revisit, choices={cast.village_a: "整改逾期1项"}, acting_user=cast.users["staff"], today=date(2025, 3, 1)
    )

    recheck = Finding.objects.get(round=revisit)
    assert_filled(earlier, RECHECK_COPY_EXCLUDES)
    assert_copied(recheck, earlier, RECHECK_COPY_EXCLUDES)
    assert (recheck.description, recheck.recheck_of, recheck.status, recheck.version) == (
        "复查：集体资金坐收坐支",
        earlier,
        Finding.Status.OPEN,
        1,
    )
    assert (recheck.found_on, recheck.due_on) == (date(2025, 3, 1), date(2025, 3, 21))
