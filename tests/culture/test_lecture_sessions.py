"""Recording a 清廉文化大讲堂 session: who may, what the form keeps, and the steps to closing it."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from culture import services
from culture.models import Audience, Lecturer, LectureSession, Post

from . import builders

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")


def _form(**changes) -> dict:
    data = {
        "held_on": "2025-04-01",
        "place": "路桥街道党群服务中心",
        "theme": "学党纪 守规矩 扬清风",
        "online_reach": "1200",
        **{f"audience_{category}": "0" for category in Audience.values},
        "audience_cadres": "35",
    }
    return data | changes


def test_a_secretary_records_a_session_of_the_own_township(cast, client_for):
    speaker = builders.lecturer(cast.users["staff"])
    response = client_for("secretary_a").post(
        reverse("culture:session_new", args=[cast.township_a.code]), _form(speakers=[speaker.pk])
    )
    session = LectureSession.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("culture:session", args=[session.pk])
    assert session.township == cast.township_a and session.status == LectureSession.Status.PLANNED
    assert list(session.speakers.all()) == [speaker]
    assert session.attendance.get(category=Audience.CADRES).people == 35


def test_a_form_error_keeps_what_was_typed(cast, client_for):
    response = client_for("secretary_a").post(
        reverse("culture:session_new", args=[cast.township_a.code]), _form(theme="", place="文化礼堂")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["theme"]
    assert 'value="文化礼堂"' in response.content.decode()
    assert 'value="35"' in response.content.decode()
    assert not LectureSession.objects.exists()


def test_a_secretary_gets_404_on_another_townships_session_and_form(cast, client_for):
    other = builders.session(cast.township_b, cast.users["secretary_b"], closed=False)
    client = client_for("secretary_a")
    assert client.get(reverse("culture:session", args=[other.pk])).status_code == 404
    assert client.get(reverse("culture:session_edit", args=[other.pk])).status_code == 404
    assert client.get(reverse("culture:session_new", args=[cast.township_b.code])).status_code == 404
    assert client.post(reverse("culture:session_action", args=[other.pk, "close"]), {}).status_code == 404


def test_a_leader_reads_a_session_but_records_nothing(cast, client_for):
    session = builders.session(cast.township_a, cast.users["secretary_a"], closed=False)
    client = client_for("leader")
    page = client.get(reverse("culture:session", args=[session.pk]))
    assert page.status_code == 200 and page.context["forms"] == {}
    assert client.get(reverse("culture:session_new", args=[cast.township_a.code])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.session_close(session=session, version=session.version, summary="x", acting_user=cast.users["leader"])


def test_a_speaker_off_the_county_roster_is_refused(second_county):
    cast = second_county
    foreign = builders.lecturer(cast.users["staff_b"])
    with pytest.raises(ValidationError) as refused:
        builders.session(cast.township_a, cast.users["staff"], speakers=[foreign])
    assert refused.value.message_dict["speakers"] == [str(services.NOT_ON_THE_ROSTER)]


def test_a_session_closes_with_a_summary_on_or_after_its_day_and_then_is_locked(cast, client_for):
    later = timezone.localdate() + timedelta(days=3)
    session = builders.session(cast.township_a, cast.users["secretary_a"], held_on=later, closed=False)
    client = client_for("secretary_a")
    url = reverse("culture:session_action", args=[session.pk, "close"])
    assert client.post(url, {"summary": "", "version": session.version}).status_code == 400
    refused = client.post(url, {"summary": "宣讲完毕", "version": session.version})
    assert refused.status_code == 400 and str(services.HELD_IN_THE_FUTURE) in str(
        refused.context["forms"]["close"].errors
    )
    LectureSession.objects.filter(pk=session.pk).update(held_on=date(2025, 4, 1))
    assert client.post(url, {"summary": "宣讲完毕", "version": session.version}).status_code == 302
    session.refresh_from_db()
    assert session.is_closed and session.summary == "宣讲完毕"
    edit = client.get(reverse("culture:session_edit", args=[session.pk]))
    assert edit.status_code == 302


def test_a_change_against_an_older_version_is_a_conflict_and_keeps_what_was_typed(cast, client_for):
    session = builders.session(cast.township_a, cast.users["secretary_a"], closed=False)
    stale = session.version
    services.session_update(
        session=session,
        version=stale,
        held_on=session.held_on,
        place="新地点",
        theme=session.theme,
        speakers=[],
        online_reach=5,
        attendance={},
        acting_user=cast.users["staff"],
    )
    response = client_for("secretary_a").post(
        reverse("culture:session_edit", args=[session.pk]), _form(version=stale, place="我的地点")
    )
    assert response.status_code == 409
    assert 'value="我的地点"' in response.content.decode()
    session.refresh_from_db()
    assert session.place == "新地点"


def test_village_posts_present_are_recorded_for_the_own_villages_only(cast, client_for):
    session = builders.session(cast.township_a, cast.users["secretary_a"], closed=False)
    key = f"village_{cast.village_a.pk}"
    response = client_for("secretary_a").post(
        reverse("culture:session_action", args=[session.pk, "presence"]),
        {"version": session.version, f"{key}_secretary": "on", f"{key}_supervisor": "on"},
    )
    assert response.status_code == 302
    row = session.presences.get()
    assert (row.village, row.secretary, row.director, row.supervisor) == (cast.village_a, True, False, True)
    with pytest.raises(ValidationError):
        services.presence_record(
            session=session,
            version=None,
            presences={cast.village_b.pk: {Post.SECRETARY}},
            acting_user=cast.users["secretary_a"],
        )


def test_photos_are_served_to_the_readers_of_the_session_only(second_county, client_for):
    cast = second_county
    session = builders.session(cast.township_a, cast.users["secretary_a"])
    response = client_for("secretary_a").post(
        reverse("culture:session_action", args=[session.pk, "photos"]),
        {"files": SimpleUploadedFile("现场.png", PNG)},
    )
    assert response.status_code == 302
    photo = session.photos.get()
    url = reverse("culture:photo", args=[photo.pk])
    assert client_for("city_staff").get(url).status_code == 200
    assert client_for("secretary_b").get(url).status_code == 404
    assert client_for("staff_b").get(url).status_code == 404


def test_the_county_staff_keep_the_rosters_and_the_audit_log_holds_no_name(cast, client_for):
    response = client_for("staff").post(
        reverse("culture:lecturer_new"),
        {"kind": Lecturer.Kind.STORYTELLER, "name": "甄讲述QX", "appointed_on": "2025-01-01"},
    )
    assert response.status_code == 302
    lecturer = Lecturer.objects.get()
    assert lecturer.district == cast.users["staff"].district
    assert AuditEvent.objects.filter(target_type="culture.Lecturer").exists()
    assert "甄讲述QX" not in "\n".join(f"{event.target_repr} {event.data}" for event in AuditEvent.objects.all())
    assert client_for("secretary_a").get(reverse("culture:rosters")).context["form"] is None
    assert client_for("secretary_a").post(reverse("culture:lecturer_new"), {}).status_code == 403
