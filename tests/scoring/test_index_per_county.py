"""Issue 18: one installation serves a city's counties, each county's index worked as a district's was.
A county's staff and leader see and act on their own county's rounds only (another county's round is
404, GET and POST), its villages only, and only they are told of its rounds; the city's staff and leader
read every county's results and rounds and change nothing (403)."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Notice
from audit.models import AuditEvent
from core.spreadsheets import xlsx_bytes
from scoring.importer import build_preview
from scoring.models import Period, Round, Scheme, Score
from scoring.selectors import previous_published_round, previous_totals, round_village_queryset
from scoring.services import (
    ScoreInput,
    round_approve,
    round_compute_results,
    round_submit,
    scheme_copy_for_county,
    score_save,
)

from ..scoring_helpers import confirmed, default_scheme, fill_scores, make_round


@pytest.fixture
def two_counties(second_county):
    """Each county's draft 2025 round, every village of it scored (路桥区: 95, 黄岩区: 88)."""
    cast = second_county
    a = make_round("2025")
    b = make_round("2025", district=cast.township_c.district)
    for village in (cast.village_a, cast.village_b):
        fill_scores(a, village, "95")
    fill_scores(b, cast.village_c, "88")
    return a, b


def test_two_counties_each_have_their_own_2025(two_counties, second_county):
    a, b = two_counties
    assert a.period != b.period
    assert sorted(Period.objects.values_list("district__code", "code")) == [("331003", "2025"), ("331004", "2025")]
    assert [v.code for v in round_village_queryset(a)] == ["331004001201", "331004002201"]
    assert [v.code for v in round_village_queryset(b)] == ["331003001201"]


def test_the_round_list_shows_only_the_own_countys_rounds(two_counties, client_for):
    a, b = two_counties
    assert [r.pk for r in client_for("staff").get(reverse("scoring:rounds")).context["rounds"]] == [a.pk]
    assert [r.pk for r in client_for("staff_b").get(reverse("scoring:rounds")).context["rounds"]] == [b.pk]
    assert [r.pk for r in client_for("leader_b").get(reverse("scoring:rounds")).context["rounds"]] == [b.pk]


def test_another_countys_staff_get_404_on_every_page_of_a_round(two_counties, second_county, client_for):
    a, _b = two_counties
    cast = second_county
    client = client_for("staff_b")
    pages = [
        reverse("scoring:round", args=[a.pk]),
        reverse("scoring:entry", args=[a.pk, cast.township_a.code]),
        reverse("scoring:round_export", args=[a.pk]),
        reverse("scoring:round_import", args=[a.pk]),
    ]
    assert [client.get(url).status_code for url in pages] == [404, 404, 404, 404]
    cell = reverse("scoring:entry_cell", args=[a.pk, cast.village_a.code, "BZ1"])
    score = Score.objects.get(round=a, village=cast.village_a, indicator__code="BZ1")
    posted = client.post(cell, {"points": "1", "reason": "外区县改分", "version": score.version})
    transitions = [
        client.post(reverse("scoring:round_transition", args=[a.pk, action]), {"reason": "x"}).status_code
        for action in ("submit", "approve", "publish", "return", "correct")
    ]
    assert posted.status_code == 404 and transitions == [404] * 5
    score.refresh_from_db()
    a.refresh_from_db()
    assert (score.points, score.version, a.status) == (Decimal("0.00"), 1, Round.Status.DRAFT)


def test_a_county_round_is_not_approved_by_another_countys_leader(two_counties, second_county, client_for):
    a, _b = two_counties
    cast = second_county
    round_submit(round_=a, acting_user=cast.users["staff"])
    response = client_for("leader_b").post(reverse("scoring:round_transition", args=[a.pk, "approve"]))
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        round_approve(round_=Round.objects.get(pk=a.pk), acting_user=cast.users["leader_b"])
    assert Round.objects.get(pk=a.pk).status == Round.Status.SUBMITTED
    page = client_for("leader").get(reverse("scoring:round", args=[a.pk]))
    assert page.context["actions"] == {"approve", "return"}


def test_a_submission_is_told_to_the_countys_leaders_only(
    two_counties, second_county, django_capture_on_commit_callbacks
):
    a, b = two_counties
    cast = second_county
    with django_capture_on_commit_callbacks(execute=True):
        round_submit(round_=b, acting_user=cast.users["staff_b"])
    told = set(Notice.objects.values_list("user__username", flat=True))
    assert told == {"leader_b"}
    with django_capture_on_commit_callbacks(execute=True):
        round_approve(round_=Round.objects.get(pk=b.pk), acting_user=cast.users["leader_b"])
        round_submit(round_=a, acting_user=cast.users["staff"])
    # County B's approval tells its other leaders (none: leader_b approved), never county A's.
    assert sorted(Notice.objects.values_list("user__username", "link")) == [
        ("leader", f"/scoring/rounds/{a.pk}/"),
        ("leader_b", f"/scoring/rounds/{b.pk}/"),
    ]


def test_staff_open_a_round_of_their_own_county(two_counties, second_county, client_for):
    cast = second_county
    response = client_for("staff_b").post(reverse("scoring:rounds"), {"period": "2026", "scheme": default_scheme().pk})
    round_ = Round.objects.get(period__code="2026")
    assert response.status_code == 302 and round_.period.district == cast.township_c.district
    # County A's 2025 has its round; county B's own 2025 has one too, so the form refuses that code…
    again = client_for("staff_b").post(reverse("scoring:rounds"), {"period": "2025", "scheme": default_scheme().pk})
    assert again.context["form"].errors["period"] == ["考评期2025已有评分轮次。"]
    # …and county A's staff open their own 2026 beside county B's.
    client_for("staff").post(reverse("scoring:rounds"), {"period": "2026", "scheme": default_scheme().pk})
    assert sorted(Period.objects.filter(code="2026").values_list("district__code", flat=True)) == ["331003", "331004"]


def test_a_county_scheme_is_offered_to_its_own_county_only(two_counties, second_county, client_for):
    cast = second_county
    own = scheme_copy_for_county(
        scheme=default_scheme(), district=cast.township_c.district, acting_user=cast.users["staff_b"]
    )
    offered_b = client_for("staff_b").get(reverse("scoring:rounds")).context["form"].fields["scheme"].queryset
    offered_a = client_for("staff").get(reverse("scoring:rounds")).context["form"].fields["scheme"].queryset
    assert set(offered_b) == {default_scheme(), own} and set(offered_a) == {default_scheme()}
    refused = client_for("staff").post(reverse("scoring:rounds"), {"period": "2026", "scheme": own.pk})
    assert "scheme" in refused.context["form"].errors
    assert not Period.objects.filter(code="2026").exists()


def test_a_county_copies_the_default_scheme_and_the_copy_is_audited(second_county):
    cast = second_county
    county = cast.township_c.district
    copy = scheme_copy_for_county(scheme=default_scheme(), district=county, acting_user=cast.users["staff_b"])
    assert (copy.name, copy.version, copy.district, copy.based_on, copy.is_example) == (
        "四清标准（黄岩区）",
        1,
        county,
        default_scheme(),
        False,
    )
    assert (copy.indicators.count(), copy.categories.count()) == (23, 4)
    assert AuditEvent.objects.filter(target_type="scoring.Scheme", target_id=str(copy.pk)).count() == 1
    with pytest.raises(PermissionDenied):  # another county's staff do not make county B's scheme
        scheme_copy_for_county(scheme=default_scheme(), district=county, acting_user=cast.users["staff"])
    with pytest.raises(PermissionDenied):  # the city reads, never writes
        scheme_copy_for_county(scheme=default_scheme(), district=county, acting_user=cast.users["city_staff"])
    with pytest.raises(ValidationError):  # a county's scheme is not copied into a county again
        scheme_copy_for_county(scheme=copy, district=county, acting_user=cast.users["sysadmin"])


def test_the_system_administrator_copies_the_default_scheme_for_the_county_chosen_in_the_admin(
    second_county, client_for
):
    county = second_county.township_c.district
    changelist = reverse("admin:scoring_scheme_changelist")
    admin = client_for("sysadmin")
    chosen = {"action": "copy_for_county", "_selected_action": [default_scheme().pk]}
    page = admin.post(changelist, {**chosen, "district": ""}, follow=True).content.decode()
    assert "请在操作旁选择区县。" in page and not Scheme.objects.filter(district=county).exists()
    page = admin.post(changelist, {**chosen, "district": county.pk}, follow=True).content.decode()
    copy = Scheme.objects.get(district=county)
    assert (copy.name, copy.indicators.count()) == ("四清标准（黄岩区）", 23)
    assert f"已创建{copy}。" in page


def test_each_county_grades_under_its_own_scheme(second_county):
    cast = second_county
    county_b = cast.township_c.district
    own = scheme_copy_for_county(scheme=default_scheme(), district=county_b, acting_user=cast.users["staff_b"])
    Scheme.objects.filter(pk=own.pk).update(grade_a_min=Decimal("85"))
    own.refresh_from_db()
    a = make_round("2025")
    b = make_round("2025", district=county_b, scheme=own)
    for village in (cast.village_a, cast.village_b):
        fill_scores(a, village, "86")
    fill_scores(b, cast.village_c, "86")
    grades_a = {r.village.code: (r.total, r.grade) for r in round_compute_results(a)}
    grades_b = {r.village.code: (r.total, r.grade) for r in round_compute_results(b)}
    assert grades_a == {"331004001201": (Decimal("86.00"), "B"), "331004002201": (Decimal("86.00"), "B")}
    assert grades_b == {"331003001201": (Decimal("86.00"), "A")}


def test_a_round_scores_its_own_countys_villages_only(two_counties, second_county):
    a, _b = two_counties
    cast = second_county
    indicator = a.period.scheme.indicators.get(code="BZ1")
    with pytest.raises(ValidationError, match="不是本轮次所属区县的村居"):
        score_save(
            round_=a,
            village=cast.village_c,
            indicator=indicator,
            data=ScoreInput(points=Decimal("4"), reason="越界"),
            expected_version=None,
            acting_user=cast.users["staff"],
        )
    with pytest.raises(PermissionDenied):  # nor by another county's staff
        score_save(
            round_=a,
            village=cast.village_a,
            indicator=indicator,
            data=ScoreInput(points=Decimal("4"), reason="越界"),
            expected_version=None,
            acting_user=cast.users["staff_b"],
        )


def test_an_import_row_naming_another_countys_village_is_refused_by_row(two_counties, second_county):
    a, _b = two_counties
    cast = second_county
    sheet = xlsx_bytes(
        ["村居代码", "村居名称", "BZ1", "BZ1 理由"],
        [[cast.village_a.code, "石曲村", 5, ""], [cast.village_c.code, "黄岩", 4, "越界"]],
    )
    preview = build_preview(Round.objects.select_related("period__district").get(pk=a.pk), sheet, "scores.xlsx")
    assert [(e.row, e.column, e.message) for e in preview.errors] == [
        (3, "村居代码", "“331003001201”不是路桥区的村居。")
    ]


def test_the_change_since_last_period_compares_within_the_county(second_county):
    cast = second_county
    county_b = cast.township_c.district
    earlier_b = make_round("2024", status=Round.Status.PUBLISHED, district=county_b)
    fill_scores(earlier_b, cast.village_c, "70")
    round_compute_results(earlier_b)
    a = make_round("2025", status=Round.Status.PUBLISHED)
    fill_scores(a, cast.village_a, "91")
    fill_scores(a, cast.village_b, "85")
    round_compute_results(a)
    assert previous_published_round(a) is None  # county B's 2024 is not county A's
    assert previous_totals(a, [cast.village_a.pk, cast.village_c.pk]) == {}
    assert previous_published_round(make_round("2025", status=Round.Status.PUBLISHED, district=county_b)) == earlier_b


@pytest.fixture
def published_both(second_county):
    """Both counties' 2025 published: 路桥区 (91, 85) and 黄岩区 (88)."""
    cast = second_county
    a = make_round("2025", status=Round.Status.PUBLISHED)
    b = make_round("2025", status=Round.Status.PUBLISHED, district=cast.township_c.district)
    fill_scores(a, cast.village_a, "91")
    fill_scores(a, cast.village_b, "85")
    fill_scores(b, cast.village_c, "88")
    round_compute_results(a)
    round_compute_results(b)
    return a, b


def names(page) -> list[str]:
    return [result.village.name for result in page.context["results"]]


def test_the_city_reads_each_countys_results(published_both, second_county, client_for):
    client = client_for("city_staff")
    first = client.get(reverse("scoring:results"))  # the first county (by code) with a published index
    assert names(first) == ["CANARY-黄岩金丝雀村"]
    assert [c.name for c in first.context["counties"]] == ["黄岩区", "路桥区"]
    luqiao = client.get(reverse("scoring:results") + "?county=331004")
    assert names(luqiao) == ["石曲村", "CANARY-金丝雀村"]
    export = client.get(reverse("scoring:results_export") + "?county=331004&period=2025")
    assert export["Content-Disposition"] == 'attachment; filename="results-331004-2025.xlsx"'
    assert client.get(reverse("scoring:results") + "?county=330100").status_code == 404
    overview = client_for("city_leader").get(reverse("scoring:overview") + "?county=331003")
    assert [line.name for line in overview.context["townships"]] == ["东城街道"]
    assert client.get(reverse("scoring:checkup", args=["331003001201"])).status_code == 200


def test_a_county_reads_its_own_results_only(published_both, second_county, client_for):
    assert names(client_for("staff_b").get(reverse("scoring:results"))) == ["CANARY-黄岩金丝雀村"]
    assert names(client_for("leader").get(reverse("scoring:results"))) == ["石曲村", "CANARY-金丝雀村"]
    assert client_for("staff_b").get(reverse("scoring:results") + "?county=331004").status_code == 404
    assert client_for("staff").get(reverse("scoring:results")).context["counties"] == []  # no county select


def test_the_city_reads_every_countys_rounds_and_changes_nothing(published_both, second_county, client_for):
    a, b = published_both
    draft = make_round("2026")
    fill_scores(draft, second_county.village_a, "95")
    client = client_for("city_leader")
    listed = client.get(reverse("scoring:rounds"))
    assert sorted(r.pk for r in listed.context["rounds"]) == sorted([a.pk, b.pk, draft.pk])
    assert [c.code for c in listed.context["counties"]] == ["331003", "331004"]
    assert not listed.context["may_create"]
    narrowed = client.get(reverse("scoring:rounds") + "?county=331003")
    assert [r.pk for r in narrowed.context["rounds"]] == [b.pk]
    page = client.get(reverse("scoring:round", args=[draft.pk]))
    assert page.status_code == 200 and page.context["actions"] == frozenset()
    assert "· 路桥区" in page.content.decode()  # the round names its county for a reader of several
    grid = client.get(reverse("scoring:entry", args=[draft.pk, second_county.township_a.code]))
    assert grid.status_code == 200 and not grid.context["editable"]
    assert "您可查看本轮评分；评分由本区县工作人员录入。" in grid.content.decode()
    score = Score.objects.get(round=draft, village=second_county.village_a, indicator__code="BZ1")
    posts = [
        client.post(reverse("scoring:rounds"), {"period": "2027", "scheme": default_scheme().pk}),
        client.post(reverse("scoring:round_transition", args=[draft.pk, "submit"])),
        client.post(reverse("scoring:round_transition", args=[a.pk, "correct"]), {"reason": "x"}),
        client.post(
            reverse("scoring:entry_cell", args=[draft.pk, second_county.village_a.code, "BZ1"]),
            {"points": "1", "reason": "市里改分", "version": score.version},
        ),
        client.post(reverse("scoring:round_import", args=[draft.pk])),
        client.post(reverse("scoring:diagnosis_new", args=[second_county.village_a.code]), {}),
    ]
    assert [response.status_code for response in posts] == [403] * 6
    assert Round.objects.count() == 3 and Score.objects.get(pk=score.pk).version == 1


def test_publishing_a_round_tells_its_countys_staff_only(
    two_counties, second_county, django_capture_on_commit_callbacks
):
    _a, b = two_counties
    cast = second_county
    from scoring.services import round_publish

    round_submit(round_=b, acting_user=cast.users["staff_b"])
    approved = round_approve(round_=Round.objects.get(pk=b.pk), acting_user=cast.users["leader_b"])
    Notice.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        round_publish(round_=approved, acting_user=cast.users["leader_b"], fingerprint=confirmed(approved)["confirm"])
    assert set(Notice.objects.values_list("user__username", flat=True)) == {"staff_b"}


def test_import_scores_needs_the_county_when_several_grade(two_counties, tmp_path):
    file = tmp_path / "scores.xlsx"
    file.write_bytes(xlsx_bytes(["村居代码", "村居名称", "BZ1", "BZ1 理由"], [["331003001201", "黄岩", 4, "台账不全"]]))
    with pytest.raises(CommandError, match="name the county with --county CODE"):
        call_command("import_scores", str(file), "--period", "2025", "--dry-run")
    out = StringIO()
    call_command("import_scores", str(file), "--period", "2025", "--county", "331003", "--dry-run", stdout=out)
    assert "row 2: 331003001201 BZ1 0.00 -> 4.00 (台账不全)" in out.getvalue()
    with pytest.raises(CommandError, match="No period '2024' in county 331003"):
        call_command("import_scores", str(file), "--period", "2024", "--county", "331003")
    with pytest.raises(CommandError, match="No county '999999'"):
        call_command("import_scores", str(file), "--period", "2025", "--county", "999999")


def test_one_county_needs_no_county_option(cast, tmp_path):
    fill_scores(make_round("2025"), cast.village_a, "95")
    file = tmp_path / "scores.xlsx"
    file.write_bytes(xlsx_bytes(["村居代码", "村居名称", "BZ1", "BZ1 理由"], [["331004001201", "石曲村", 4, "台账"]]))
    out = StringIO()
    call_command("import_scores", str(file), "--period", "2025", "--dry-run", stdout=out)
    assert "Would change 1 scores in 1 rows of 2025 #1." in out.getvalue()
