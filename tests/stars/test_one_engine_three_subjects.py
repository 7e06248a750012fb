"""One rating engine, three subjects (三位一体): a village's stars (评星晋级), a township's 勤廉双优示范乡镇
and a grassroots station's 群众满意基层站所 go through the same pages, services, models and steps —
criteria → self-assessment → review → publicity → fixed — each with its own criteria, levels or pass
mark and reviewer (the township for one to three stars, the county for townships and stations)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from stars import services
from stars.criteria_services import star_criteria_default
from stars.models import StarApplication, StarItem, StarReviewStep, Subject

from ..factories import StationFactory

SUBJECTS = [Subject.VILLAGE, Subject.TOWNSHIP, Subject.STATION]
YEAR = 2025


@pytest.fixture
def station(cast):
    return StationFactory(township=cast.township_a, name="路桥派出所")


def rated_of(subject, cast, station):
    return {Subject.VILLAGE: cast.village_a, Subject.TOWNSHIP: cast.township_a, Subject.STATION: station}[subject]


def apply_url(subject, rated) -> str:
    if subject == Subject.VILLAGE:
        url = reverse("stars:apply", args=[rated.code])
    elif subject == Subject.TOWNSHIP:
        url = reverse("stars:apply_township", args=[rated.code])
    else:
        url = reverse("stars:apply_station", args=[rated.pk])
    return f"{url}?year={YEAR}"


def self_assessment(criteria, total: str, level: int, filing: bool = True) -> dict[str, str]:
    """The form as the secretary fills it in: every item, the points summing to `total`."""
    items = StarItem.objects.filter(dimension__criteria=criteria).order_by("dimension__position", "position")
    data = {"level_applied": str(level), "summary": "对照标准逐项自评", "file": "1" if filing else "0"}
    lost = Decimal("100") - Decimal(total)
    for item in items:
        taken = min(lost, item.max_points)
        lost -= taken
        data[f"item_{item.pk}"] = str(item.max_points - taken)
        data[f"note_{item.pk}"] = "已落实"
    return data


def action(client, application, name, data):
    application.refresh_from_db()
    return client.post(reverse("stars:action", args=[application.pk, name]), {"version": application.version, **data})


# The level each subject applies for and who decides it: a village's two stars are the township's to decide.
LEVEL = {Subject.VILLAGE: 2, Subject.TOWNSHIP: 1, Subject.STATION: 1}
REVIEWER = {Subject.VILLAGE: "secretary_a", Subject.TOWNSHIP: "leader", Subject.STATION: "leader"}
FILED_STATUS = {Subject.VILLAGE: "submitted", Subject.TOWNSHIP: "forwarded", Subject.STATION: "forwarded"}


@pytest.mark.parametrize("subject", SUBJECTS)
def test_the_same_steps_rate_a_village_a_township_and_a_station(subject, cast, client_for, station):
    criteria = star_criteria_default(YEAR, subject)
    rated = rated_of(subject, cast, station)
    secretary = client_for("secretary_a")

    filed = secretary.post(apply_url(subject, rated), self_assessment(criteria, "92", LEVEL[subject]))
    assert filed.status_code == 302, filed.context["form"].errors
    application = StarApplication.objects.get(criteria=criteria)
    assert (application.subject, application.rated, application.township) == (subject, rated, cast.township_a)
    assert application.status == FILED_STATUS[subject]  # a township's or station's filing goes to the county

    if criteria.min_satisfaction is not None:  # the villagers' word, entered by the county's staff
        saved = action(
            client_for("staff"),
            application,
            "satisfaction",
            {"satisfaction": "91.5", "satisfaction_responses": "120", "satisfaction_source": "电话回访村民"},
        )
        assert saved.status_code == 302

    decided = action(
        client_for(REVIEWER[subject]),
        application,
        "decide",
        {"opinion": "同意", "points": "92", "level": LEVEL[subject]},
    )
    assert decided.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.decided_level) == ("publicity", LEVEL[subject])

    page = client_for("staff").get(reverse("stars:application", args=[application.pk])).content.decode()
    assert rated.name in page and "公示中" in page

    objection = services.objection_record(
        application=application,
        acting_user=cast.users["staff"],
        received_on=date.today(),
        channel="phone",
        content="反映自评材料不实",
    )
    services.objection_answer(objection=objection, acting_user=cast.users["staff"], answer="经核查不属实", upheld=False)
    assert services.star_levels_fix(today=application.publicity_ends_on + timedelta(days=1)) == 1
    application.refresh_from_db()
    assert application.status == "fixed"
    assert [step.action for step in application.steps.all()] == [
        StarReviewStep.Action.SUBMIT,
        StarReviewStep.Action.DECIDE,
        StarReviewStep.Action.FIX,
    ]

    listed = client_for("staff").get(
        reverse({"village": "stars:list", "township": "stars:townships", "station": "stars:stations"}[subject])
        + f"?year={YEAR}"
    )
    assert rated.name in listed.content.decode()


@pytest.mark.parametrize("subject", [Subject.TOWNSHIP, Subject.STATION])
def test_the_county_not_the_township_decides_a_township_or_station(subject, cast, client_for, station):
    criteria = star_criteria_default(YEAR, subject)
    assert (criteria.top_level, criteria.township_decides_up_to) == (1, 0)
    rated = rated_of(subject, cast, station)
    client_for("secretary_a").post(apply_url(subject, rated), self_assessment(criteria, "95", 1))
    application = StarApplication.objects.get(criteria=criteria)
    application.satisfaction, application.satisfaction_responses = Decimal("95"), 50
    application.save()
    refused = action(
        client_for("secretary_a"), application, "decide", {"opinion": "自己评自己", "points": "95", "level": 1}
    )
    assert refused.status_code == 403
    application.refresh_from_db()
    assert application.status == "forwarded"


@pytest.mark.parametrize("subject", [Subject.TOWNSHIP, Subject.STATION])
def test_points_below_the_pass_mark_are_refused_and_the_typed_points_kept(subject, cast, client_for, station):
    criteria = star_criteria_default(YEAR, subject)
    rated = rated_of(subject, cast, station)
    response = client_for("secretary_a").post(apply_url(subject, rated), self_assessment(criteria, "80", 1))
    assert response.status_code == 400
    page = response.content.decode()
    assert "低于合格线 85.00 分" in page
    assert 'value="已落实"' in page  # what was typed is still there
    assert not StarApplication.objects.filter(criteria=criteria).exists()


def test_a_station_passes_only_with_the_villagers_satisfaction(cast, client_for, station):
    criteria = star_criteria_default(YEAR, Subject.STATION)
    client_for("secretary_a").post(apply_url(Subject.STATION, station), self_assessment(criteria, "95", 1))
    application = StarApplication.objects.get(criteria=criteria)
    decide = {"opinion": "同意", "points": "95", "level": 1}

    missing = action(client_for("leader"), application, "decide", decide)
    assert "请先录入群众满意度测评结果" in missing.content.decode()

    action(
        client_for("staff"),
        application,
        "satisfaction",
        {"satisfaction": "80", "satisfaction_responses": "60", "satisfaction_source": "入户问卷"},
    )
    too_low = action(client_for("leader"), application, "decide", decide)
    assert "群众满意度 80.00% 低于标准要求的 85.00%" in too_low.content.decode()
    application.refresh_from_db()
    assert (application.status, application.satisfaction_responses) == ("forwarded", 60)


def test_a_village_keeps_its_stars_and_the_townships_say_up_to_three(cast, client_for):
    criteria = star_criteria_default(YEAR, Subject.VILLAGE)
    assert (criteria.top_level, criteria.township_decides_up_to, criteria.min_satisfaction) == (5, 3, None)
    page = client_for("secretary_a").get(apply_url(Subject.VILLAGE, cast.village_a)).content.decode()
    assert "★★★★★" in page  # five levels offered
    township_criteria = star_criteria_default(YEAR, Subject.TOWNSHIP)
    township_page = client_for("secretary_a").get(apply_url(Subject.TOWNSHIP, cast.township_a)).content.decode()
    assert "勤廉双优示范乡镇" in township_page and "★★" not in township_page
    assert township_criteria.pk != criteria.pk


@pytest.mark.parametrize("subject", [Subject.TOWNSHIP, Subject.STATION])
def test_another_townships_secretary_gets_404(subject, cast, client_for, station):
    star_criteria_default(YEAR, subject)
    rated = rated_of(subject, cast, station)
    assert client_for("secretary_b").get(apply_url(subject, rated)).status_code == 404
    assert client_for("secretary_b").post(apply_url(subject, rated), {}).status_code == 404


def test_another_countys_leader_cannot_see_or_decide_a_township_rating(second_county, client_for, station):
    cast = second_county
    criteria = star_criteria_default(YEAR, Subject.TOWNSHIP)
    client_for("secretary_a").post(apply_url(Subject.TOWNSHIP, cast.township_a), self_assessment(criteria, "95", 1))
    application = StarApplication.objects.get(criteria=criteria)
    assert client_for("leader_b").get(reverse("stars:application", args=[application.pk])).status_code == 404
    refused = action(client_for("leader_b"), application, "decide", {"opinion": "x", "points": "95", "level": 1})
    assert refused.status_code == 404
    assert cast.township_a.name not in client_for("leader_b").get(reverse("stars:townships")).content.decode()


def test_the_database_refuses_an_application_that_rates_the_wrong_subject(cast, station):
    criteria = star_criteria_default(YEAR, Subject.TOWNSHIP)
    secretary = cast.users["secretary_a"]
    # save() takes the subject from the criteria: a township's criteria with a village set is refused.
    with pytest.raises(IntegrityError), transaction.atomic():
        StarApplication.objects.create(criteria=criteria, village=cast.village_a, level_applied=1, filed_by=secretary)
    StarApplication.objects.create(criteria=criteria, township=cast.township_a, level_applied=1, filed_by=secretary)
    with pytest.raises(IntegrityError), transaction.atomic():  # a township is rated once a year
        StarApplication.objects.create(criteria=criteria, township=cast.township_a, level_applied=1, filed_by=secretary)


def test_the_subject_lists_read_in_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    criteria = star_criteria_default(YEAR, Subject.STATION)
    secretary = cast.users["secretary_a"]
    for index in range(12):
        rated = StationFactory(township=cast.township_a, name=f"第{index}站所")
        StarApplication.objects.create(criteria=criteria, station=rated, level_applied=1, filed_by=secretary)
    client = client_for("staff")
    client.get(reverse("stars:stations"))  # the session and the user's second factor, read once
    with django_assert_max_num_queries(12):
        response = client.get(reverse("stars:stations") + f"?year={YEAR}")
    assert len(response.context["ratings"].applications) == 12
    assert "第11站所" in response.content.decode()


def test_a_secretary_sees_the_own_townships_stations_still_to_file(cast, client_for, station):
    star_criteria_default(YEAR, Subject.STATION)
    other = StationFactory(township=cast.township_b, name="路南派出所")
    page = client_for("secretary_a").get(reverse("stars:stations") + f"?year={YEAR}").content.decode()
    assert reverse("stars:apply_station", args=[station.pk]) in page
    assert station.name in page and other.name not in page
