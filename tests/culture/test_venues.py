"""The 清廉文化阵地 register: who records which villages' venues, the coordinates' rule, a changed venue,
the list and its sheet, the public page per township with its photos, and the count beside MF2."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from culture import venues
from culture.demo import seed_venues, venue_photo_png
from culture.models import CultureVenue, VenuePhoto
from scoring.models import Indicator

from ..factories import VillageFactory
from ..scoring_helpers import fill_scores, make_round

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png(name: str = "廉园.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, venue_photo_png(0), content_type="image/png")


def _venue(township, village, recorder, name: str = "石曲村廉园", **changes) -> CultureVenue:
    facts = {
        "kind": CultureVenue.Kind.GARDEN,
        "address": "石曲村村委会东侧",
        "opened_on": date(2024, 6, 1),
        "description": "",
        "latitude": None,
        "longitude": None,
    } | changes
    return venues.venue_record(township=township, village=village, name=name, acting_user=recorder, **facts)


def _form(village, **changes) -> dict:
    data = {
        "village": str(village.pk),
        "name": "石曲村廉廊",
        "kind": "corridor",
        "address": "石曲村文化礼堂旁",
        "opened_on": "2025-03-01",
        "description": "廉政格言长廊",
        "latitude": "",
        "longitude": "",
    }
    return data | changes


# --- Who records ---------------------------------------------------------------------------------------------


def test_a_secretary_registers_a_venue_of_the_own_township_with_a_photo(cast, client_for):
    response = client_for("secretary_a").post(
        reverse("culture:venue_new", args=[cast.township_a.code]),
        _form(cast.village_a, latitude="28.58", longitude="121.37", photos=_png()),
    )
    venue = CultureVenue.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("culture:venue", args=[venue.pk])
    assert venue.village == cast.village_a and venue.latitude == Decimal("28.58")
    assert venue.photos.get().content_type == "image/png"


def test_another_townships_or_countys_venue_is_404(second_county, client_for):
    cast = second_county
    venue = _venue(cast.township_a, cast.village_a, cast.users["secretary_a"])
    photo = venues.venue_photos_add(venue=venue, uploads=[_png()], acting_user=cast.users["secretary_a"])[0]
    for who in ["secretary_b", "staff_b"]:
        client = client_for(who)
        assert client.get(reverse("culture:venue", args=[venue.pk])).status_code == 404, who
        assert client.get(reverse("culture:venue_edit", args=[venue.pk])).status_code == 404, who
        assert client.get(reverse("culture:venue_photo", args=[photo.pk])).status_code == 404, who
        assert client.get(reverse("culture:venue_new", args=[cast.township_a.code])).status_code == 404, who
        assert client.post(reverse("culture:venue_remove", args=[venue.pk]), {"version": "1"}).status_code == 404
    assert CultureVenue.objects.filter(pk=venue.pk).exists()


def test_the_county_staff_record_any_township_of_the_county_and_a_leader_none(cast, client_for):
    venue = _venue(cast.township_b, cast.village_b, cast.users["staff"], name="南廉墙")
    assert venue.village == cast.village_b
    assert client_for("leader").get(reverse("culture:venue", args=[venue.pk])).status_code == 200
    assert client_for("leader").get(reverse("culture:venue_new", args=[cast.township_b.code])).status_code == 403
    with pytest.raises(PermissionDenied):
        _venue(cast.township_b, cast.village_b, cast.users["leader"])
    with pytest.raises(PermissionDenied):
        _venue(cast.township_b, cast.village_b, cast.users["secretary_a"])


def test_a_village_of_another_township_is_refused(cast, client_for):
    response = client_for("staff").post(
        reverse("culture:venue_new", args=[cast.township_a.code]), _form(cast.village_b)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["village"]
    assert not CultureVenue.objects.exists()


# --- Coordinates ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latitude", "longitude", "field", "message"),
    [
        ("28.58", "", "longitude", "纬度和经度须同时填写，或都不填。"),
        ("", "121.37", "latitude", "纬度和经度须同时填写，或都不填。"),
        ("91", "121.37", "latitude", "纬度须在 -90 到 90 度之间。"),
        ("28.58", "-180.5", "longitude", "经度须在 -180 到 180 度之间。"),
    ],
)
def test_wrong_coordinates_are_refused_in_chinese_keeping_what_was_typed(
    cast, client_for, latitude, longitude, field, message
):
    response = client_for("secretary_a").post(
        reverse("culture:venue_new", args=[cast.township_a.code]),
        _form(cast.village_a, latitude=latitude, longitude=longitude, name="石曲村廉政文化墙"),
    )
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert 'value="石曲村廉政文化墙"' in response.content.decode()
    assert not CultureVenue.objects.exists()


def test_the_service_refuses_coordinates_out_of_range_too(cast):
    with pytest.raises(venues.ValidationError) as refused:
        _venue(cast.township_a, cast.village_a, cast.users["staff"], latitude=Decimal("12"), longitude=Decimal("200"))
    assert refused.value.message_dict == {"longitude": ["经度须在 -180 到 180 度之间。"]}


def test_a_document_is_refused_as_a_venue_photo(cast, client_for):
    response = client_for("secretary_a").post(
        reverse("culture:venue_new", args=[cast.township_a.code]),
        _form(cast.village_a, photos=SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf")),
    )
    assert response.status_code == 400
    assert "材料.pdf不是JPEG或PNG照片。" in response.content.decode()
    assert not CultureVenue.objects.exists() and not VenuePhoto.objects.exists()


# --- Changes ------------------------------------------------------------------------------------------------


def test_a_venue_changed_meanwhile_is_a_conflict_that_keeps_what_was_typed(cast, client_for):
    venue = _venue(cast.township_a, cast.village_a, cast.users["secretary_a"])
    venues.venue_update(
        venue=venue,
        version=1,
        village=cast.village_a,
        name="石曲村清廉园",
        kind=CultureVenue.Kind.GARDEN,
        address=venue.address,
        opened_on=venue.opened_on,
        acting_user=cast.users["staff"],
    )
    response = client_for("secretary_a").post(
        reverse("culture:venue_edit", args=[venue.pk]), _form(cast.village_a, name="石曲村廉园（新）", version="1")
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "他人在您填写期间修改了此阵地，您的操作未保存。此阵地现为：“石曲村清廉园”（" in html
    assert 'value="石曲村廉园（新）"' in html
    venue.refresh_from_db()
    assert venue.name == "石曲村清廉园" and venue.version == 2


def test_a_saved_change_moves_the_version_on(cast, client_for):
    venue = _venue(cast.township_a, cast.village_a, cast.users["secretary_a"])
    response = client_for("staff").post(
        reverse("culture:venue_edit", args=[venue.pk]), _form(cast.village_a, name="石曲村廉园", version="1")
    )
    assert response.status_code == 302
    venue.refresh_from_db()
    assert (venue.kind, venue.version) == ("corridor", 2)


def test_a_removed_venue_leaves_the_register_and_the_audit_log_keeps_it(cast, client_for):
    venue = _venue(cast.township_a, cast.village_a, cast.users["secretary_a"], photos=[_png()])
    response = client_for("secretary_a").post(reverse("culture:venue_remove", args=[venue.pk]), {"version": "1"})
    assert response.status_code == 302
    assert not CultureVenue.objects.exists() and not VenuePhoto.objects.exists()
    assert CultureVenue.history.filter(id=venue.pk, history_type="-").get().history_user == cast.users["secretary_a"]


# --- The list and its sheet ---------------------------------------------------------------------------------


def test_the_list_counts_venues_per_village_in_a_fixed_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    villages = [cast.village_a, *VillageFactory.create_batch(20, township=cast.township_a)]
    for number, village in enumerate(villages):
        for _ in range(number % 3):
            _venue(cast.township_a, village, cast.users["staff"], name=f"{village.name}廉园")
    _venue(cast.township_b, cast.village_b, cast.users["staff"], name="CANARY-南廉墙")
    client = client_for("secretary_a")
    client.get(reverse("culture:venues"))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("culture:venues"))
    html = page.content.decode()
    assert [line.venues for line in page.context["counts"]][:4] == [0, 1, 2, 0]
    assert len(page.context["venues"]) == sum(number % 3 for number in range(21)) == 21
    assert "CANARY" not in html


def test_the_staff_see_each_township_of_the_county(cast, client_for):
    _venue(cast.township_a, cast.village_a, cast.users["staff"])
    _venue(cast.township_b, cast.village_b, cast.users["staff"], name="南廉墙")
    _venue(cast.township_b, cast.village_b, cast.users["staff"], name="南廉廊")
    page = client_for("staff").get(reverse("culture:venues"))
    lines = {line.township.code: (line.villages, line.with_venue, line.venues) for line in page.context["townships"]}
    assert lines == {cast.township_a.code: (1, 1, 1), cast.township_b.code: (1, 1, 2)}


def test_the_sheet_holds_the_townships_venues(cast, client_for):
    _venue(cast.township_a, cast.village_a, cast.users["staff"], latitude=Decimal("28.5"), longitude=Decimal("121.4"))
    _venue(cast.township_b, cast.village_b, cast.users["staff"], name="南廉墙")
    response = client_for("staff").get(reverse("culture:venues_export") + f"?township={cast.township_a.code}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("镇街", "村居", "名称")
    assert [row[:4] for row in rows[1:]] == [("路桥街道", "石曲村", "石曲村廉园", "廉园")]


# --- The public page ----------------------------------------------------------------------------------------


def test_the_public_page_lists_the_townships_venues_with_photos_and_not_anothers(cast, client):
    venue = _venue(cast.township_a, cast.village_a, cast.users["staff"], photos=[_png()])
    _venue(cast.township_b, cast.village_b, cast.users["staff"], name="CANARY-南廉墙")
    page = client.get(reverse("public:township_venues", args=[cast.township_a.code]))
    html = page.content.decode()
    photo = venue.photos.get()
    assert page.status_code == 200
    assert "石曲村廉园" in html and "CANARY" not in html
    assert reverse("public:venue_photo", args=[photo.pk]) in html
    assert client.get(reverse("public:township_venues", args=["999999999"])).status_code == 404


def test_a_new_venue_shows_on_the_cached_public_page_at_once(cast, client, django_capture_on_commit_callbacks):
    url = reverse("public:township_venues", args=[cast.township_a.code])
    assert "石曲村廉园" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _venue(cast.township_a, cast.village_a, cast.users["staff"])
    assert "石曲村廉园" in client.get(url).content.decode()


def test_a_public_photo_is_a_picture_served_with_safe_headers(cast, client):
    venue = _venue(cast.township_a, cast.village_a, cast.users["staff"], photos=[_png()])
    response = client.get(reverse("public:venue_photo", args=[venue.photos.get().pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client.get(reverse("public:venue_photo", args=[venue.photos.get().pk + 1])).status_code == 404


def test_the_public_village_page_links_its_townships_venues(cast, client, year_2025):
    page = client.get(reverse("public:village", args=["2025", cast.village_a.code]))
    assert reverse("public:township_venues", args=[cast.township_a.code]) in page.content.decode()


# --- Beside MF2 in the entry grid ---------------------------------------------------------------------------


def test_the_grid_shows_the_villages_venues_beside_mf2_only(cast, client_for, django_assert_max_num_queries):
    round_ = make_round("2025")
    empty = VillageFactory(township=cast.township_a, name="二村")
    for village in [cast.village_a, empty]:
        fill_scores(round_, village, "95")
    _venue(cast.township_a, cast.village_a, cast.users["staff"])
    _venue(cast.township_a, cast.village_a, cast.users["staff"], name="石曲村廉廊", kind=CultureVenue.Kind.CORRIDOR)
    _venue(cast.township_a, cast.village_a, cast.users["staff"], name="明年的廉墙", opened_on=date(2026, 3, 1))
    url = reverse("scoring:entry", args=[round_.pk, cast.township_a.code])
    client = client_for("staff")
    client.get(url)
    with django_assert_max_num_queries(11):
        page = client.get(url)
    cells = {
        (row["village"].pk, indicator.code): note
        for row in page.context["rows"]
        for indicator, _s, note in row["cells"]
    }
    assert cells[(cast.village_a.pk, "MF2")] == "阵地 2 处"
    assert cells[(empty.pk, "MF2")] == "无登记阵地"
    other = Indicator.objects.filter(scheme=round_.period.scheme).exclude(code="MF2").first()
    assert cells[(cast.village_a.pk, other.code)] == ""
    html = page.content.decode()
    assert html.count("阵地 2 处") == 1


def test_the_saved_mf2_cell_keeps_its_note(cast, client_for):
    from scoring.models import Score

    round_ = make_round("2025")
    fill_scores(round_, cast.village_a, "95")
    _venue(cast.township_a, cast.village_a, cast.users["staff"])
    mf2 = Indicator.objects.get(scheme=round_.period.scheme, code="MF2")
    score = Score.objects.get(round=round_, village=cast.village_a, indicator=mf2)
    html = (
        client_for("staff")
        .post(
            reverse("scoring:entry_cell", args=[round_.pk, cast.village_a.code, "MF2"]),
            {"points": str(mf2.max_points), "reason": "", "version": score.version},
        )
        .content.decode()
    )
    assert "阵地 1 处" in html


# --- The demo -----------------------------------------------------------------------------------------------


def test_the_demo_registers_venues_of_several_villages_with_photos_once(cast):
    for number in range(2, 5):
        VillageFactory(township=cast.township_a, code=f"3310040012{number:02}")
    staff = cast.users["staff"]
    secretaries = {cast.township_a.pk: cast.users["secretary_a"]}
    made = seed_venues(district=staff.district, staff=staff, secretaries=secretaries, today=date(2025, 11, 1))
    assert made == CultureVenue.objects.count() == 8  # township A: 1 + 3 + 2 (its fourth village none); B: 2
    assert seed_venues(district=staff.district, staff=staff, secretaries=secretaries) == 0
    assert VenuePhoto.objects.count() == 2 and VenuePhoto.objects.first().content_type == "image/png"
    assert CultureVenue.objects.filter(village=cast.village_a, name="石曲村廉园").exists()
    assert set(CultureVenue.objects.values_list("recorded_by__username", flat=True)) == {"secretary_a", "staff"}
