"""结果运用 (DESIGN.md section 13): eligibility for 评先评优, the 示范村 approval and its revocation when the
village loses its fourth star, points and funds with their basis, 备案 with the office's opinion, the
department's sheet, the village's page, and who may read and write what."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Notice
from accounts.roles import Role
from audit.models import AuditEvent
from results import selectors, services
from results.models import Assessment, DemonstrationAward, EligibilityRule, Filing, MemberDepartment
from scoring.models import Round
from scoring.services import round_compute_results
from stars import services as star_services
from stars.models import StarApplication, StarStrip, Subject
from stars.signals import stars_settled

from .. import star_helpers
from ..factories import UserFactory, VillageFactory
from ..scoring_helpers import fill_scores, make_round


@pytest.fixture
def departments(db):
    services.departments_seed()
    return {department.name: department for department in MemberDepartment.objects.all()}


def publish(year: int, totals: dict) -> Round:
    """The county's published index of the year: each village's total (91 A, 85 B, 75 C)."""
    round_ = make_round(str(year), status=Round.Status.PUBLISHED)
    for village, total in totals.items():
        fill_scores(round_, village, total)
    round_compute_results(round_)
    return round_


def judged(village, year=2025):
    villages = type(village).objects.filter(pk=village.pk)
    return selectors.eligibility_of(villages, year, selectors.rule_for(village.township.district_id, year))[0]


def strip(cast, application, stars_after, on=date(2026, 3, 1)):
    return star_services.stars_strip(
        application=application,
        acting_user=cast.users["staff"],
        stars_after=stars_after,
        trigger=StarStrip.Trigger.CASE_FILED,
        reason="村干部被立案审查",
        stripped_on=on,
    )


# --- Eligibility -----------------------------------------------------------------------------------------


def test_a_three_star_b_village_is_eligible_and_two_stars_or_a_c_grade_are_not(cast):
    three, two, five_c = (VillageFactory(township=cast.township_a) for _ in range(3))
    star_helpers.decided(cast, 3, village=three)
    star_helpers.decided(cast, 2, village=two, total="85")
    star_helpers.decided(cast, 5, village=five_c)
    publish(2025, {three: "85", two: "91", five_c: "75"})
    assert judged(three).eligible
    assert (judged(two).eligible, judged(two).reason) == (False, "二星级")
    assert (judged(five_c).eligible, judged(five_c).reason) == (False, "C档")


def test_a_village_not_rated_is_not_eligible_unless_the_rule_says_so(cast):
    publish(2025, {cast.village_a: "91"})
    assert judged(cast.village_a).reason == "未评星"
    services.rule_save(
        district=cast.township_a.district,
        year=2025,
        min_stars=3,
        lowest_grade="B",
        unrated_eligible=True,
        acting_user=cast.users["staff"],
    )
    assert judged(cast.village_a).eligible


def test_the_countys_own_rule_replaces_the_city_wide_default(cast):
    services.default_rule_seed(2025)
    star_helpers.decided(cast, 3, village=cast.village_a)
    publish(2025, {cast.village_a: "85"})
    assert judged(cast.village_a).eligible
    rule = services.rule_save(
        district=cast.township_a.district,
        year=2025,
        min_stars=4,
        lowest_grade="A",
        unrated_eligible=False,
        acting_user=cast.users["staff"],
    )
    assert rule.district == cast.township_a.district
    assert EligibilityRule.objects.get(district__isnull=True, year=2025).min_stars == 3  # the default untouched
    assert judged(cast.village_a).reason == "三星级、B档"


def test_stripped_stars_count_for_eligibility(cast):
    application = star_helpers.decided(cast, 4, village=cast.village_a)
    publish(2025, {cast.village_a: "91"})
    assert judged(cast.village_a).eligible
    strip(cast, application, 2)
    assert judged(cast.village_a).reason == "二星级"


def test_the_eligibility_page_lists_eligible_and_ineligible_villages_by_township(cast, client_for):
    star_helpers.decided(cast, 3, village=cast.village_a)
    star_helpers.decided(cast, 1, village=cast.village_b, total="80")
    publish(2025, {cast.village_a: "91", cast.village_b: "91"})
    url = reverse("results:eligibility", args=[cast.township_a.district.code, 2025])
    page = client_for("staff").get(url)
    assert page.status_code == 200
    assert [line.village for line in page.context["page"]] == [cast.village_a, cast.village_b]
    assert "一星级" in page.content.decode()
    only_b = client_for("staff").get(url, {"township": cast.township_b.code, "shown": "ineligible"})
    assert [line.village for line in only_b.context["page"]] == [cast.village_b]
    secretary = client_for("secretary_a").get(url)  # the own township only
    assert [line.village for line in secretary.context["page"]] == [cast.village_a]


def test_the_eligibility_list_exports_as_a_sheet(cast, client_for):
    star_helpers.decided(cast, 3, village=cast.village_a)
    publish(2025, {cast.village_a: "91", cast.village_b: "75"})
    url = reverse("results:eligibility_export", args=[cast.township_a.district.code, 2025])
    sheet = load_workbook(BytesIO(client_for("leader").get(url).content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(row[2], row[5]) for row in rows] == [(cast.village_a.code, "是"), (cast.village_b.code, "否")]


# --- 示范村: approval, reward, revocation -------------------------------------------------------------------


def nominated(cast, level=4, village=None, year=2025):
    application = star_helpers.decided(cast, level, village=village or cast.village_a, year=year)
    return star_services.demonstration_nominate(application=application, level="city", acting_user=cast.users["staff"])


def approve(cast, nomination, **changes):
    fields = {
        "status": DemonstrationAward.Status.APPROVED,
        "approved_by_body": "市纪委市监委",
        "decided_on": date(2025, 12, 28),
        "decision_reference": "绍纪〔2025〕1号",
        "reward_amount": Decimal("500000"),
        "reward_paid_on": None,
    } | changes
    return services.award_save(
        nomination=nomination, text=services.AwardText(**fields), version=None, acting_user=cast.users["staff"]
    )


@pytest.fixture
def other_staff(cast):
    """A second member of the county's staff: told of what the first did."""
    return UserFactory(role=Role.COMMISSION_STAFF, district=cast.township_a.district)


def test_stripping_four_stars_to_three_revokes_the_approved_title_audited_and_told(
    cast, other_staff, django_capture_on_commit_callbacks
):
    award = approve(cast, nominated(cast, 4))
    with django_capture_on_commit_callbacks(execute=True):
        strip(cast, award.nomination.application, 3, on=date(2026, 3, 1))
    award.refresh_from_db()
    assert award.status == DemonstrationAward.Status.REVOKED
    assert award.revoked_on == date(2026, 3, 1)
    assert award.revoke_reason == "2025年度星级降为三星，失去四星资格"
    row = AuditEvent.objects.filter(target_type="results.DemonstrationAward", target_id=str(award.pk)).latest("seq")
    assert row.actor == cast.users["staff"]
    assert row.data["changes"]["status"]["after"] == "revoked"
    notice = Notice.objects.get(user=other_staff)
    assert "石曲村" in notice.text and "失去四星资格" in notice.text
    assert notice.link == reverse("results:village", args=[cast.village_a.code])


def test_stripping_five_stars_to_four_keeps_the_title(cast):
    award = approve(cast, nominated(cast, 5))
    strip(cast, award.nomination.application, 4)
    award.refresh_from_db()
    assert award.status == DemonstrationAward.Status.APPROVED


def test_a_later_year_decided_at_three_revokes_and_a_pending_nomination_lapses(cast):
    award = approve(cast, nominated(cast, 4))
    pending = star_services.demonstration_nominate(
        application=award.nomination.application, level="provincial", acting_user=cast.users["staff"]
    )
    star_helpers.decided(cast, 3, village=cast.village_a, year=2026)
    award.refresh_from_db()
    assert (award.status, award.revoked_on) == (DemonstrationAward.Status.REVOKED, date(2026, 12, 1))
    assert pending.award.status == DemonstrationAward.Status.REVOKED
    assert "2026年度" in award.revoke_reason


def test_another_village_losing_stars_leaves_this_years_title_alone(cast):
    award = approve(cast, nominated(cast, 4))
    star_helpers.decided(cast, 2, village=cast.village_b, total="85")
    award.refresh_from_db()
    assert award.status == DemonstrationAward.Status.APPROVED


def test_a_township_or_station_rating_never_touches_a_title(cast):
    award = approve(cast, nominated(cast, 4))
    criteria = award.nomination.application.criteria
    for subject in (Subject.TOWNSHIP, Subject.STATION):
        rating = StarApplication(criteria=criteria, subject=subject, township=cast.township_a)
        stars_settled.send(StarApplication, application=rating, stars=0, on=date(2026, 1, 5), acting_user=None)
    award.refresh_from_db()
    assert award.status == DemonstrationAward.Status.APPROVED


def test_a_reward_paid_needs_its_amount_in_the_service_and_in_the_database(cast):
    nomination = nominated(cast, 4)
    with pytest.raises(ValidationError) as refused:
        approve(cast, nomination, reward_amount=None, reward_paid_on=date(2026, 1, 20))
    assert "reward_amount" in refused.value.message_dict
    award = approve(cast, nomination, reward_paid_on=date(2026, 1, 20))
    assert (award.reward_amount, award.reward_paid_on) == (Decimal("500000"), date(2026, 1, 20))
    with pytest.raises(IntegrityError), transaction.atomic():
        DemonstrationAward.objects.filter(pk=award.pk).update(reward_amount=None)


def test_an_approval_needs_its_date_and_a_revoked_title_is_never_changed_again(cast):
    nomination = nominated(cast, 4)
    with pytest.raises(ValidationError):
        approve(cast, nomination, decided_on=None)
    award = approve(cast, nomination)
    strip(cast, nomination.application, 3)
    with pytest.raises(ValidationError):
        approve(cast, nomination)
    award.refresh_from_db()
    assert award.status == DemonstrationAward.Status.REVOKED


def test_staff_record_the_approval_on_the_page_and_the_village_page_shows_it(cast, client_for):
    nomination = nominated(cast, 4)
    url = reverse("results:award_edit", args=[nomination.pk])
    form = {
        "version": "0",
        "status": "approved",
        "approved_by_body": "省纪委省监委",
        "decided_on": "2025-12-28",
        "decision_reference": "浙纪〔2025〕3号",
        "reward_amount": "500000",
        "reward_paid_on": "2026-01-20",
    }
    assert client_for("staff").post(url, form).status_code == 302
    page = client_for("secretary_a").get(reverse("results:village", args=[cast.village_a.code]))
    assert "省纪委省监委" in page.content.decode() and "500000" in page.content.decode()


# --- Points, funds, the basis ---------------------------------------------------------------------------


def test_points_carry_the_stars_and_grade_of_the_year_as_their_basis(cast):
    star_helpers.decided(cast, 4, village=cast.village_a)
    publish(2025, {cast.village_a: "85"})
    line = services.points_record(
        district=cast.township_a.district,
        year=2025,
        text=services.PointsText(cast.village_a, Assessment.CLEAN_GOVERNANCE, Decimal("2"), ""),
        acting_user=cast.users["staff"],
    )
    assert line.basis == "四星级 · B档"


def test_a_fund_form_refused_keeps_what_was_typed(cast, client_for, departments):
    url = reverse("results:fund_new", args=[cast.township_a.district.code, 2025])
    form = {
        "village": cast.village_a.code,
        "department": departments["财政局"].pk,
        "project": "以奖代补项目甲",
        "amount": "-5",
        "decided_on": "2025-11-11",
        "conditions": "限四星级以上村",
    }
    response = client_for("staff").post(url, form)
    assert response.status_code == 400
    assert "以奖代补项目甲" in response.content.decode() and "限四星级以上村" in response.content.decode()


def test_an_edit_against_an_older_version_is_refused_with_a_clear_error(cast, client_for):
    line = services.points_record(
        district=cast.township_a.district,
        year=2025,
        text=services.PointsText(cast.village_a, Assessment.POST_TARGETS, Decimal("1"), ""),
        acting_user=cast.users["staff"],
    )
    url = reverse("results:points_edit", args=[line.pk])
    form = {"village": cast.village_a.code, "assessment": "post_targets", "points": "3", "reason": "改为三分"}
    assert client_for("staff").post(url, form | {"version": "1"}).status_code == 302
    stale = client_for("staff").post(url, form | {"version": "1", "points": "4"})
    assert stale.status_code == 409
    assert "他人在您填写期间修改了此" in stale.content.decode()
    line.refresh_from_db()
    assert (line.points, line.version) == (Decimal("3"), 2)


def test_a_village_of_another_county_is_refused(cast, second_county):
    with pytest.raises(ValidationError):
        services.points_record(
            district=cast.township_a.district,
            year=2025,
            text=services.PointsText(cast.village_c, Assessment.POST_TARGETS, Decimal("1"), ""),
            acting_user=cast.users["staff"],
        )


# --- 备案 ----------------------------------------------------------------------------------------------------


def filing(cast, departments, number, department="财政局", kind=Filing.Kind.FUND, title="以奖代补", villages=()):
    return services.filing_record(
        district=cast.township_a.district,
        text=services.FilingText(
            department=departments[department],
            number=number,
            year=2025,
            kind=kind,
            title=title,
            content="对四星级以上村给予奖励",
            amount=Decimal("100000"),
            filed_on=date(2025, 5, 1),
            villages=list(villages),
        ),
        acting_user=cast.users["staff"],
    )


def test_filings_are_searched_by_department_kind_year_words_and_pending_opinion(cast, client_for, departments):
    fund = filing(cast, departments, "备〔2025〕1号")
    policy = filing(
        cast, departments, "备〔2025〕2号", department="组织部", kind=Filing.Kind.POLICY, title="评先评优办法"
    )
    services.filing_opinion(
        filing=fund,
        version=fund.version,
        opinion="agreed",
        text="同意备案",
        given_on=date(2025, 5, 8),
        acting_user=cast.users["staff"],
    )
    url = reverse("results:filings", args=[cast.township_a.district.code])

    def found(**query):
        return [row.number for row in client_for("leader").get(url, query).context["page"]]

    assert found() == [policy.number, fund.number]
    assert found(department=departments["组织部"].pk) == [policy.number]
    assert found(kind="fund") == [fund.number]
    assert found(pending="true") == [policy.number]
    assert found(q="评先") == [policy.number]
    assert found(year="2024") == []


def test_the_office_gives_its_opinion_with_words_and_date(cast, client_for, departments):
    row = filing(cast, departments, "备〔2025〕1号")
    url = reverse("results:filing_opinion", args=[row.pk])
    refused = client_for("staff").post(
        url, {"version": row.version, "opinion": "agreed_if", "opinion_on": "2025-05-08"}
    )
    assert refused.status_code == 400
    saved = client_for("staff").post(
        url,
        {"version": row.version, "opinion": "agreed_if", "opinion_text": "补充监管条款", "opinion_on": "2025-05-08"},
    )
    assert saved.status_code == 302
    row.refresh_from_db()
    assert (row.opinion, row.opinion_text, row.opinion_by) == ("agreed_if", "补充监管条款", cast.users["staff"])


def test_a_departments_sheet_has_its_funds_and_a_sheet_per_kind_of_filing(cast, client_for, departments):
    services.fund_record(
        district=cast.township_a.district,
        year=2025,
        text=services.FundText(
            cast.village_a, departments["财政局"], "以奖代补", Decimal("100000"), date(2025, 6, 1), ""
        ),
        acting_user=cast.users["staff"],
    )
    filing(cast, departments, "备〔2025〕1号", villages=[cast.village_a])
    filing(cast, departments, "备〔2025〕9号", department="组织部")  # another department's
    url = reverse("results:department_export", args=[cast.township_a.district.code, departments["财政局"].pk])
    book = load_workbook(BytesIO(client_for("leader").get(url).content))
    assert len(book.sheetnames) == 1 + len(Filing.Kind)
    funds = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert [(row[2], row[4]) for row in funds] == [(cast.village_a.name, "以奖代补")]
    fund_filings = book.worksheets[1 + list(Filing.Kind.values).index("fund")]
    assert [row[0] for row in fund_filings.iter_rows(min_row=2, values_only=True)] == ["备〔2025〕1号"]
    assert book.worksheets[1].max_row == 1  # no policy of the 财政局


# --- The village's page ----------------------------------------------------------------------------------


def test_the_village_page_lists_every_use_over_two_years(cast, client_for, departments):
    star_helpers.decided(cast, 4, village=cast.village_a)
    publish(2025, {cast.village_a: "91"})
    star_helpers.decided(cast, 2, village=cast.village_a, year=2026, total="85")
    for year, points in ((2025, "2"), (2026, "-1")):
        services.points_record(
            district=cast.township_a.district,
            year=year,
            text=services.PointsText(cast.village_a, Assessment.CLEAN_GOVERNANCE, Decimal(points), ""),
            acting_user=cast.users["staff"],
        )
    filing(cast, departments, "备〔2025〕1号", villages=[cast.village_a])
    page = client_for("staff").get(reverse("results:village", args=[cast.village_a.code]))
    years = page.context["uses"].years
    assert [(line.year, line.stars, line.grade, line.eligible) for line in years] == [
        (2026, 2, None, False),
        (2025, 4, "A", True),
    ]
    assert [line.total_points for line in years] == [Decimal("-1"), Decimal("2")]
    assert "备〔2025〕1号" in page.content.decode()


# --- Who may -----------------------------------------------------------------------------------------------


def test_another_countys_staff_get_404_and_a_secretary_writes_nothing(cast, second_county, client_for, departments):
    row = filing(cast, departments, "备〔2025〕1号")
    assert client_for("staff_b").get(reverse("results:filing", args=[row.pk])).status_code == 404
    assert client_for("staff_b").get(reverse("results:village", args=[cast.village_a.code])).status_code == 404
    assert client_for("secretary_b").get(reverse("results:village", args=[cast.village_a.code])).status_code == 404
    url = reverse("results:points_new", args=[cast.township_a.district.code, 2025])
    form = {"village": cast.village_a.code, "assessment": "post_targets", "points": "1"}
    assert client_for("secretary_a").post(url, form).status_code == 403
    assert client_for("leader").post(url, form).status_code == 403
    assert client_for("staff_b").post(url, form).status_code == 404
    with pytest.raises(PermissionDenied):  # the service refuses too, whatever the view
        services.points_record(
            district=cast.township_a.district,
            year=2025,
            text=services.PointsText(cast.village_a, Assessment.POST_TARGETS, Decimal("1"), ""),
            acting_user=cast.users["staff_b"],
        )
    response = client_for("anonymous").get(reverse("results:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


# --- Query counts ---------------------------------------------------------------------------------------------


@pytest.fixture
def busy_register(cast, departments):
    villages = VillageFactory.create_batch(12, township=cast.township_a)
    for village in villages:
        services.points_record(
            district=cast.township_a.district,
            year=2025,
            text=services.PointsText(village, Assessment.CLEAN_GOVERNANCE, Decimal("1"), ""),
            acting_user=cast.users["staff"],
        )
        services.fund_record(
            district=cast.township_a.district,
            year=2025,
            text=services.FundText(village, departments["财政局"], "项目", Decimal("1000"), date(2025, 6, 1), ""),
            acting_user=cast.users["staff"],
        )
    for number in range(6):
        filing(cast, departments, f"备〔2025〕{number + 1}号", villages=villages[:3])
    for village in villages[:4]:
        star_services.demonstration_nominate(
            application=star_helpers.decided(cast, 4, village=village), level="city", acting_user=cast.users["staff"]
        )
    return villages


@pytest.mark.parametrize("name", ["register", "points", "funds", "eligibility", "awards", "filings"])
def test_list_pages_take_a_fixed_number_of_queries(
    cast, busy_register, client_for, django_assert_max_num_queries, name
):
    county = cast.township_a.district.code
    args = [county] if name in ("awards", "filings") else [county, 2025]
    client = client_for("staff")
    with django_assert_max_num_queries(20):
        assert client.get(reverse(f"results:{name}", args=args)).status_code == 200


def test_the_village_page_takes_a_fixed_number_of_queries(
    cast, busy_register, client_for, django_assert_max_num_queries
):
    client = client_for("staff")
    with django_assert_max_num_queries(20):
        assert client.get(reverse("results:village", args=[busy_register[0].code])).status_code == 200
