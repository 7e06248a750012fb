"""试点先行: a year's star criteria are switched on for chosen townships of a county first (沙溪镇), then for
more, then for the whole county. A secretary of a township not taking part cannot apply and is told why;
the star list, the county's pilot page and the public stars page say which townships take part and count
only those; each stage says from when, which townships and who decided it, and is audited."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Notice
from stars import pilot_services
from stars.models import StarApplication, StarPilotStage, StarPilotTownship

from ..factories import VillageFactory
from ..star_helpers import criteria, decided, draft
from .test_star_pages import form_data

NOT_IN_PILOT = "路南街道尚未纳入2025年评星晋级试点，所属村居暂不能申报。"


def stage(cast, *townships, whole_county=False, on=date(2025, 3, 1), user="staff"):
    return pilot_services.pilot_stage_record(
        criteria=criteria(2025),
        district=cast.township_a.district,
        acting_user=cast.users[user],
        starts_on=on,
        townships=list(townships),
        whole_county=whole_county,
        note="先行先试",
    )


def pilot_page(client, cast):
    return client.get(reverse("stars:pilot", args=[2025, cast.township_a.district.code]))


def test_a_secretary_outside_the_pilot_is_refused_and_one_inside_files(cast, client_for):
    stage(cast, cast.township_a)
    outside = client_for("secretary_b")
    apply_b = reverse("stars:apply", args=[cast.village_b.code]) + "?year=2025"

    page = outside.get(apply_b)
    assert page.status_code == 200
    assert NOT_IN_PILOT in page.content.decode() and "item_" not in page.content.decode()
    data, _items = form_data(criteria(2025), total_points="75", level="2", file="1")
    refused = outside.post(apply_b, data)
    assert refused.status_code == 400 and NOT_IN_PILOT in refused.content.decode()
    with pytest.raises(ValidationError) as error:
        draft(cast, 2, "75", village=cast.village_b)
    assert error.value.messages == [NOT_IN_PILOT]
    assert not StarApplication.objects.exists()

    filed = client_for("secretary_a").post(reverse("stars:apply", args=[cast.village_a.code]) + "?year=2025", data)
    assert filed.status_code == 302
    assert StarApplication.objects.get().status == StarApplication.Status.SUBMITTED


def test_the_list_says_which_townships_take_part_and_counts_only_their_villages(cast, client_for):
    VillageFactory(township=cast.township_b, name="路南二村")
    criteria(2025)
    staff = client_for("staff")
    whole = staff.get(reverse("stars:list") + "?year=2025")
    assert whole.context["counties"][0].villages == 3
    assert "全县推开 · 参评村居3个，已申报0个" in " ".join(whole.content.decode().split())

    stage(cast, cast.township_a)
    draft(cast, 2, "75")
    text = " ".join(staff.get(reverse("stars:list") + "?year=2025").content.decode().split())
    assert "试点镇街：路桥街道 · 参评村居1个，已申报1个" in text

    secretary_b = client_for("secretary_b").get(reverse("stars:list") + "?year=2025")
    assert secretary_b.context["not_filed"] == []
    assert NOT_IN_PILOT in secretary_b.content.decode()
    assert list(client_for("secretary_a").get(reverse("stars:list")).context["not_filed"]) == []  # A applied


def test_the_pilot_grows_stage_by_stage_to_the_whole_county(cast, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = stage(cast, cast.township_a)
    assert [row.township for row in StarPilotTownship.objects.all()] == [cast.township_a]
    with pytest.raises(ValidationError, match="已在试点范围内：路桥街道"):
        stage(cast, cast.township_a, on=date(2025, 6, 1))
    with pytest.raises(ValidationError, match=r"试点阶段的起始日期不得早于上一阶段（2025-03-01）。"):
        stage(cast, cast.township_b, on=date(2025, 2, 1))
    with django_capture_on_commit_callbacks(execute=True):
        last = stage(cast, whole_county=True, on=date(2025, 9, 1))
    with pytest.raises(ValidationError, match="已全县推开。"):
        stage(cast, cast.township_b, on=date(2025, 10, 1))

    assert (first.recorded_by, first.history.get().history_user) == (cast.users["staff"], cast.users["staff"])
    assert StarPilotTownship.objects.get().history.get().history_user == cast.users["staff"]
    # Told when their township joins: A with the first stage, B on the roll-out.
    for name, day in [("secretary_a", "2025-03-01"), ("secretary_b", "2025-09-01")]:
        notice = Notice.objects.get(user=cast.users[name])
        assert notice.text == f"自{day}起，本镇街纳入2025年评星晋级，所属村居可以申报。"
    page = pilot_page(client_for("leader"), cast)
    assert page.context["form"] is None  # the leader reads; and it is rolled out
    assert [(s.starts_on, s.whole_county) for s in page.context["stars"].stages] == [
        (date(2025, 3, 1), False),
        (last.starts_on, True),
    ]
    assert "全县推开" in page.content.decode()
    draft(cast, 2, "75", village=cast.village_b)  # 路南街道 may apply now


def test_a_township_whose_villages_applied_stays_in_the_pilot(cast):
    draft(cast, 2, "75", village=cast.village_b)
    with pytest.raises(ValidationError) as refused:
        stage(cast, cast.township_a)
    assert refused.value.messages == ["路南街道已有村居申报，须保留在试点范围内。"]
    assert not StarPilotStage.objects.exists()


def test_staff_record_a_stage_on_the_pilot_page(cast, client_for):
    staff = client_for("staff")
    url = reverse("stars:pilot", args=[2025, cast.township_a.district.code])
    criteria(2025)
    assert pilot_page(staff, cast).context["form"] is not None
    both = staff.post(url, {"starts_on": "2025-03-01", "townships": [cast.township_a.pk], "whole_county": "on"})
    assert both.status_code == 400
    assert "请选择加入试点的镇街，或选择全县推开（二者择一）。" in both.content.decode()
    response = staff.post(url, {"starts_on": "2025-03-01", "townships": [cast.township_a.pk], "note": "沙溪镇式先行"})
    assert response.status_code == 302
    page = pilot_page(staff, cast)
    assert page.context["townships"] == [(cast.township_a, True), (cast.township_b, False)]
    text = " ".join(page.content.decode().split())
    assert "试点镇街：路桥街道" in text and "沙溪镇式先行" in text
    assert client_for("leader").post(url, {"starts_on": "2025-04-01", "whole_county": "on"}).status_code == 403
    assert client_for("secretary_a").get(url).status_code == 403


def test_the_other_countys_staff_cannot_touch_the_pilot(second_county, client_for):
    criteria(2025)
    url = reverse("stars:pilot", args=[2025, second_county.township_a.district.code])
    staff_b = client_for("staff_b")
    assert staff_b.get(url).status_code == 404
    assert staff_b.post(url, {"starts_on": "2025-03-01", "whole_county": "on"}).status_code == 404
    with pytest.raises(PermissionDenied):
        stage(second_county, second_county.township_a, user="staff_b")
    with pytest.raises(PermissionDenied):  # nor bring the other county's township into its own pilot
        pilot_services.pilot_stage_record(
            criteria=criteria(2025),
            district=second_county.township_c.district,
            acting_user=second_county.users["staff_b"],
            starts_on=date(2025, 3, 1),
            townships=[second_county.township_a],
            whole_county=False,
        )
    assert not StarPilotStage.objects.exists()


def test_each_county_runs_its_own_pilot_on_the_city_wide_criteria(second_county):
    """A pilot in 路桥区 leaves 黄岩区 whole, though both are rated on the same city-wide criteria."""
    stage(second_county, second_county.township_a)
    draft(second_county, 2, "75", village=second_county.village_c)  # 黄岩区 takes part whole
    with pytest.raises(ValidationError):
        draft(second_county, 2, "75", village=second_county.village_b)


def test_the_public_stars_page_says_which_townships_take_part(cast, client_for, django_capture_on_commit_callbacks):
    decided(cast, 2, total="75")
    public = client_for("anonymous")
    assert "全县推开" in public.get(reverse("public:stars", args=[2025])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # a new stage renews the cached public pages
        stage(cast, cast.township_a)
    text = public.get(reverse("public:stars", args=[2025])).content.decode()
    assert "试点镇街：路桥街道" in text and "已评定1个村（社区）。" in text
