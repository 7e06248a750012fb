"""Stars do not outlive a veto unnoticed: a daily job lists every village whose stars were fixed above
what a veto item allows and that a veto event now hits (a cadre sanctioned, a veto record, a C grade
published), on staff's page with a 摘星 prompt. Nothing is stripped automatically; a hit stripped or
dismissed with a reason leaves the list, and no event is listed twice."""

from datetime import date

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inspections import services as inspection_services
from inspections.models import PersonHandled
from scoring.models import Round
from scoring.services import round_compute_results
from stars import services as star_services
from stars.models import StarStrip, StarVetoHit
from stars.tasks import find_star_veto_hits

from ..inspection_helpers import inspection
from ..scoring_helpers import fill_scores, make_round
from ..star_helpers import decided, fixed

LIST = reverse("stars:veto_hits")
SANCTION_EVENT = "村委委员受党纪处分（2025-12-20）"
FJ1 = "FJ1 村干部当年受到党纪政务处分"


def sanction(cast, village=None, decided_on=date(2025, 12, 20)) -> PersonHandled:
    village = village or cast.village_a
    return inspection_services.person_record(
        round_=inspection(cast, starts_on=date(2025, 12, 1), villages=[village]),
        acting_user=cast.users["staff"],
        village=village,
        name="张三丰",
        post="村委委员",
        village_cadre=True,
        handling=PersonHandled.Handling.PARTY_SANCTION,
        decided_on=decided_on,
    )


def listed_rows(client) -> list[tuple]:
    """(village, stars, veto item, event) of each hit the list page shows."""
    page = client.get(LIST)
    assert page.status_code == 200
    return [
        (hit.application.village.name, hit.stars, f"{hit.item.code} {hit.item.name}", hit.event)
        for hit, _form in page.context["rows"]
    ]


def test_a_cadre_sanctioned_after_the_stars_were_fixed_is_listed_once_however_often_the_job_runs(cast, client_for):
    application = fixed(cast, 4)
    sanction(cast)

    assert find_star_veto_hits() == 1
    assert find_star_veto_hits() == 0

    staff = client_for("staff")
    assert listed_rows(staff) == [("石曲村", 4, FJ1, SANCTION_EVENT)]
    hit = StarVetoHit.objects.get()
    assert (hit.application, hit.outcome, hit.event_key) == (
        application,
        "open",
        f"sanction:{PersonHandled.objects.get().pk}",
    )
    text = staff.get(LIST).content.decode()
    assert SANCTION_EVENT in text and f"{timezone.localtime(hit.found_at):%Y-%m-%d %H:%M}" in text
    assert reverse("stars:veto_hit_strip", args=[hit.pk]) in text
    # Nothing stripped automatically.
    application.refresh_from_db()
    assert application.current_stars() == 4 and not StarStrip.objects.exists()
    # Staff reach it from the star list.
    assert LIST in staff.get(reverse("stars:list")).content.decode()
    assert "已定星村否决事项提示：1条待处理" in staff.get(reverse("stars:list")).content.decode()


def test_a_c_grade_published_for_the_village_is_listed_with_its_period(cast, client_for):
    fixed(cast, 5)
    round_ = make_round("2025", status=Round.Status.PUBLISHED)
    fill_scores(round_, cast.village_a, "60")
    round_compute_results(round_)

    assert find_star_veto_hits() == 1
    assert listed_rows(client_for("staff")) == [("石曲村", 5, "FJ3 当年清廉指数评为C类", "2025 C")]
    hit = StarVetoHit.objects.get()
    form = client_for("staff").get(reverse("stars:veto_hit_strip", args=[hit.pk])).context["form"]
    assert form.initial["trigger"] == StarStrip.Trigger.GRADE_C


def test_a_c_grade_that_a_published_correction_removed_is_no_veto(cast, client_for):
    fixed(cast, 5)
    first = make_round("2025", status=Round.Status.PUBLISHED)
    fill_scores(first, cast.village_a, "60")
    round_compute_results(first)
    correction = Round.objects.create(  # both revisions stay published; the later one stands
        period=first.period, revision=2, status=Round.Status.PUBLISHED, corrects=first, correction_reason="分数录入有误"
    )
    fill_scores(correction, cast.village_a, "95")
    round_compute_results(correction)
    assert find_star_veto_hits() == 0
    assert listed_rows(client_for("staff")) == []


def test_stars_within_the_veto_ceiling_and_stars_not_yet_fixed_are_not_listed(cast, client_for):
    fixed(cast, 3)  # a veto item allows three stars
    decided(cast, 4, village=cast.village_b)  # in publicity: objections are its route
    sanction(cast)
    sanction(cast, village=cast.village_b)
    assert find_star_veto_hits() == 0
    assert listed_rows(client_for("staff")) == []


def test_stripping_from_the_list_strips_the_stars_with_the_reason_and_the_hit_leaves_the_list(cast, client_for):
    application = fixed(cast, 4)
    sanction(cast)
    find_star_veto_hits()
    hit = StarVetoHit.objects.get()
    staff = client_for("staff")
    url = reverse("stars:veto_hit_strip", args=[hit.pk])

    form = staff.get(url).context["form"]
    assert form.initial["reason"] == f"村干部当年受到党纪政务处分：{SANCTION_EVENT}"
    assert (form.initial["stars_after"], form.initial["trigger"]) == (3, StarStrip.Trigger.VETO)
    reason = f"村干部当年受到党纪政务处分：{SANCTION_EVENT}，经区纪委研究摘星"
    response = staff.post(url, {"stars_after": "3", "trigger": "veto", "reason": reason, "stripped_on": "2025-12-28"})

    assert response.status_code == 302 and response.url == LIST
    strip = StarStrip.objects.get()
    assert (strip.application, strip.stars_before, strip.stars_after) == (application, 4, 3)
    assert (strip.reason, strip.stripped_on, strip.recorded_by) == (reason, date(2025, 12, 28), cast.users["staff"])
    application.refresh_from_db()
    assert application.current_stars() == 3
    hit.refresh_from_db()
    assert (hit.outcome, hit.strip, hit.answered_by) == ("stripped", strip, cast.users["staff"])
    assert listed_rows(staff) == []
    assert find_star_veto_hits() == 0
    # The strip page of an answered hit is gone.
    assert staff.get(url).status_code == 404


def test_a_hit_dismissed_with_a_reason_leaves_the_list_and_is_not_listed_again(cast, client_for):
    application = fixed(cast, 4)
    sanction(cast)
    find_star_veto_hits()
    hit = StarVetoHit.objects.get()
    staff = client_for("staff")
    url = reverse("stars:veto_hit_dismiss", args=[hit.pk])

    refused = staff.post(url, {"reason": "  "})
    assert refused.status_code == 400
    assert "这个字段是必填项。" in refused.content.decode()
    assert listed_rows(staff) == [("石曲村", 4, FJ1, SANCTION_EVENT)]

    assert staff.post(url, {"reason": "处分决定已于2025-12-26撤销"}).status_code == 302
    hit.refresh_from_db()
    assert (hit.outcome, hit.dismiss_reason, hit.answered_by) == (
        "dismissed",
        "处分决定已于2025-12-26撤销",
        cast.users["staff"],
    )
    assert listed_rows(staff) == []
    assert find_star_veto_hits() == 0
    application.refresh_from_db()
    assert application.current_stars() == 4 and not StarStrip.objects.exists()


def test_the_pages_never_show_the_sanctioned_persons_name(cast, client_for):
    fixed(cast, 4)
    sanction(cast)
    find_star_veto_hits()
    hit = StarVetoHit.objects.get()
    for role in ("staff", "leader"):
        page = client_for(role).get(LIST).content.decode()
        assert SANCTION_EVENT in page and "张三丰" not in page
    strip_page = client_for("staff").get(reverse("stars:veto_hit_strip", args=[hit.pk])).content.decode()
    assert SANCTION_EVENT in strip_page and "张三丰" not in strip_page
    assert "张三丰" not in hit.event and "张三丰" not in str(hit)


def test_the_leader_reads_the_list_but_only_staff_strip_or_dismiss(cast, client_for):
    fixed(cast, 4)
    sanction(cast)
    find_star_veto_hits()
    hit = StarVetoHit.objects.get()
    page = client_for("leader").get(LIST)
    assert page.status_code == 200 and not page.context["can_answer"]
    assert reverse("stars:veto_hit_strip", args=[hit.pk]) not in page.content.decode()
    for role in ("secretary_a", "secretary_b", "petition"):
        assert client_for(role).get(LIST).status_code == 403


@pytest.mark.parametrize("role", ["anonymous", "secretary_a", "secretary_b", "leader", "petition", "sysadmin"])
def test_an_outsiders_post_strips_nothing_and_dismisses_nothing(cast, client_for, role):
    application = fixed(cast, 4)
    sanction(cast)
    find_star_veto_hits()
    hit = StarVetoHit.objects.get()
    client = client_for(role)
    strip = client.post(
        reverse("stars:veto_hit_strip", args=[hit.pk]),
        {"stars_after": "0", "trigger": "veto", "reason": "x", "stripped_on": "2025-12-28"},
    )
    dismiss = client.post(reverse("stars:veto_hit_dismiss", args=[hit.pk]), {"reason": "x"})
    assert strip.status_code in (302, 403, 404) and dismiss.status_code in (302, 403, 404)
    if role == "anonymous":
        assert strip.url.startswith(reverse("accounts:login")) and dismiss.url.startswith(reverse("accounts:login"))
    hit.refresh_from_db()
    assert (hit.outcome, hit.answered_by, hit.history.count()) == ("open", None, 1)
    assert not StarStrip.objects.exists() and application.current_stars() == 4


def test_the_veto_hit_job_is_scheduled_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["find-star-veto-hits-daily"]
    assert entry["task"] == "stars.tasks.find_star_veto_hits"
    assert entry["schedule"].total_seconds() == 86_400


def test_a_hit_is_answered_once_and_a_dismissal_needs_a_reason(cast):
    fixed(cast, 4)
    sanction(cast)
    find_star_veto_hits()
    hit = StarVetoHit.objects.get()
    staff = cast.users["staff"]
    with pytest.raises(ValidationError) as error:
        star_services.veto_hit_dismiss(hit=hit, acting_user=staff, reason=" ")
    assert error.value.code == "reason"
    star_services.veto_hit_dismiss(hit=hit, acting_user=staff, reason="处分已撤销")
    with pytest.raises(ValidationError) as error:
        star_services.veto_hit_strip(
            hit=hit, acting_user=staff, stars_after=3, trigger="veto", reason="摘星", stripped_on=date(2025, 12, 28)
        )
    assert error.value.code == "answered"
    assert not StarStrip.objects.exists()
