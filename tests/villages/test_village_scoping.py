"""A township secretary sees only the own township, in the list, the filters, the detail and exports;
the canary village of the other township never appears."""

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from villages.models import Village

from ..conftest import CANARY


def test_the_secretary_list_shows_only_the_own_township(cast, client_for):
    page = client_for("secretary_a").get(reverse("villages:list"))
    assert [v.code for v in page.context["page"]] == [cast.village_a.code]
    assert CANARY not in page.content.decode()
    assert "路桥街道" in page.content.decode()


def test_the_township_filter_offers_only_the_own_township(cast, client_for):
    page = client_for("secretary_a").get(reverse("villages:list"))
    choices = list(page.context["filter"].form.fields["township"].queryset)
    assert choices == [cast.township_a]


def test_filtering_by_another_township_shows_nothing_of_it(cast, client_for):
    page = client_for("secretary_a").get(reverse("villages:list"), {"township": cast.township_b.pk})
    assert CANARY not in page.content.decode()
    assert page.context["filter"].errors  # not a valid choice for this user


def test_searching_for_the_canary_finds_nothing(cast, client_for):
    page = client_for("secretary_a").get(reverse("villages:list"), {"q": "CANARY"})
    assert list(page.context["page"]) == []


def test_another_townships_village_is_404_like_a_missing_one(cast, client_for):
    client = client_for("secretary_a")
    assert client.get(reverse("villages:detail", args=[cast.village_b.code])).status_code == 404
    assert client.get(reverse("villages:detail", args=["999999999999"])).status_code == 404
    assert client.get(reverse("villages:detail", args=[cast.village_a.code])).status_code == 200


def exported_rows(response) -> list[tuple]:
    sheet = load_workbook(BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def test_the_export_holds_only_the_own_township(cast, client_for):
    rows = exported_rows(client_for("secretary_a").get(reverse("villages:export")))
    assert rows[0][:2] == ("代码", "名称")
    assert [row[0] for row in rows[1:]] == [cast.village_a.code]


def test_staff_see_and_export_every_township(cast, client_for):
    client = client_for("staff")
    assert {v.code for v in client.get(reverse("villages:list")).context["page"]} == {
        cast.village_a.code,
        cast.village_b.code,
    }
    assert len(exported_rows(client.get(reverse("villages:export")))) == 3


def test_a_name_that_looks_like_a_formula_is_exported_as_text(cast, client_for):
    Village.objects.filter(pk=cast.village_a.pk).update(name='=HYPERLINK("http://evil.example","点我")')
    response = client_for("staff").get(reverse("villages:export"))
    sheet = load_workbook(BytesIO(response.content)).active
    cell = next(c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"


def test_the_village_list_runs_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    client = client_for("secretary_a")
    from ..factories import VillageFactory

    VillageFactory.create_batch(30, township=cast.township_a)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("villages:list")).status_code == 200


def test_the_status_filter_separates_active_and_merged_villages(cast, client_for):
    Village.objects.filter(pk=cast.village_a.pk).update(active=False)
    client = client_for("staff")
    inactive = client.get(reverse("villages:list"), {"active": "false"}).context["page"]
    assert [v.code for v in inactive] == [cast.village_a.code]
    active = client.get(reverse("villages:list"), {"active": "true"}).context["page"]
    assert [v.code for v in active] == [cast.village_b.code]


def test_a_countys_staff_see_only_their_county_and_the_city_sees_every_county(second_county, client_for):
    from ..conftest import SECOND_COUNTY_CANARY

    codes = {
        name: {v.code for v in client_for(name).get(reverse("villages:list")).context["page"]}
        for name in ("staff", "staff_b", "city_staff")
    }
    assert codes["staff"] == {second_county.village_a.code, second_county.village_b.code}
    assert codes["staff_b"] == {second_county.village_c.code}
    assert codes["city_staff"] == codes["staff"] | codes["staff_b"]
    page = client_for("staff").get(reverse("villages:list"), {"q": "CANARY"}).content.decode()
    assert SECOND_COUNTY_CANARY not in page and CANARY in page
    rows = exported_rows(client_for("staff_b").get(reverse("villages:export")))
    assert [row[0] for row in rows[1:]] == [second_county.village_c.code]


def test_another_countys_village_is_404_for_a_county_and_open_to_the_city(second_county, client_for):
    url = reverse("villages:detail", args=[second_county.village_c.code])
    assert client_for("staff").get(url).status_code == 404
    assert client_for("leader").get(url).status_code == 404
    assert client_for("staff_b").get(url).status_code == 200
    assert client_for("city_leader").get(url).status_code == 200


def test_an_unbound_county_user_sees_no_village(cast, client_for):
    staff = cast.users["staff"]
    staff.district = None
    staff.save(update_fields=["district"])
    assert list(client_for("staff").get(reverse("villages:list")).context["page"]) == []


def test_the_workspace_tells_an_unbound_county_user_why_it_shows_nothing(cast, client_for):
    staff = cast.users["staff"]
    assert "所属单位：路桥区。" in client_for("staff").get(reverse("workspace")).content.decode()
    staff.district = None
    staff.save(update_fields=["district"])
    page = client_for("staff").get(reverse("workspace")).content.decode()
    assert "您的账号尚未绑定所属单位，因此看不到任何业务数据。请联系安全管理员绑定。" in page
