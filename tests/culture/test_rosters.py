"""The 讲师团 and 宣讲团 rosters: the county's staff correct a member and end an appointment (never before
it began, nor before a session the member gave), against the version the form showed; ended members are
listed apart and are not picked as speakers for a session held after their end; the audit log never
holds a member's name."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from culture import services
from culture.models import Lecturer

from . import builders

NAME = "CANARY-甄讲师"


@pytest.fixture
def member(cast) -> Lecturer:
    return builders.lecturer(cast.users["staff"], name=NAME)  # appointed 2024-01-01


def _audit_text() -> str:
    return "\n".join(f"{event.target_repr} {event.data}" for event in AuditEvent.objects.all())


def test_staff_change_a_members_unit_topics_and_appointment_and_the_audit_holds_no_name(cast, member, client_for):
    url = reverse("culture:lecturer_edit", args=[member.pk])
    client = client_for("staff")
    page = client.get(url)
    assert page.status_code == 200 and NAME in page.content.decode()
    version = services.lecturer_version(member)
    data = {"version": version, "unit": "区委党校", "topics": "八项规定", "appointed_on": "2024-03-01"}
    assert client.post(url, data).status_code == 302
    member.refresh_from_db()
    assert (member.unit, member.topics, member.appointed_on) == ("区委党校", "八项规定", date(2024, 3, 1))
    assert AuditEvent.objects.filter(target_type="culture.Lecturer", data__changes__has_key="unit").exists()
    assert NAME not in _audit_text()


def test_an_appointment_cannot_end_before_it_began_with_a_chinese_error(cast, member, client_for):
    url = reverse("culture:lecturer_end", args=[member.pk])
    response = client_for("staff").post(url, {"version": services.lecturer_version(member), "ended_on": "2023-12-31"})
    assert response.status_code == 400
    assert "任期结束日不能早于聘任日（2024-01-01）。" in response.content.decode()
    member.refresh_from_db()
    assert member.ended_on is None


def test_an_appointment_cannot_end_before_a_session_the_member_gave(cast, member):
    builders.session(cast.township_a, cast.users["staff"], held_on=date(2025, 4, 1), speakers=[member])
    with pytest.raises(ValidationError) as refused:
        services.lecturer_end(
            lecturer=member, version=None, ended_on=date(2025, 3, 31), acting_user=cast.users["staff"]
        )
    assert refused.value.message_dict["ended_on"] == [str(services.SPOKE_AFTER_THE_END % {"date": "2025-04-01"})]


def test_a_stale_end_is_a_conflict_and_keeps_what_was_typed(cast, member, client_for):
    stale = services.lecturer_version(member)
    services.lecturer_update(
        lecturer=member,
        version=stale,
        unit="新单位",
        topics="",
        appointed_on=member.appointed_on,
        acting_user=cast.users["staff"],
    )
    response = client_for("staff").post(
        reverse("culture:lecturer_end", args=[member.pk]), {"version": stale, "ended_on": "2025-06-30"}
    )
    assert response.status_code == 409
    assert 'value="2025-06-30"' in response.content.decode()
    member.refresh_from_db()
    assert member.ended_on is None


def test_ended_members_are_listed_apart_and_not_picked_for_a_later_session(cast, member, client_for):
    member = services.lecturer_end(
        lecturer=member, version=None, ended_on=date(2025, 3, 31), acting_user=cast.users["staff"]
    )
    current = builders.lecturer(cast.users["staff"], name="在任讲师")
    page = client_for("secretary_a").get(reverse("culture:rosters"))
    assert [row.pk for row in page.context["lecturers"]] == [current.pk]
    assert [row.pk for row in page.context["ended"]] == [member.pk]
    with pytest.raises(ValidationError) as refused:
        builders.session(cast.township_a, cast.users["staff"], held_on=date(2025, 4, 1), speakers=[member])
    assert refused.value.message_dict["speakers"] == [
        str(services.APPOINTMENT_ENDED % {"name": NAME, "date": "2025-03-31"})
    ]
    on_the_last_day = builders.session(
        cast.township_a, cast.users["staff"], held_on=date(2025, 3, 31), speakers=[member]
    )
    assert list(on_the_last_day.speakers.all()) == [member]
    assert NAME not in _audit_text()


def test_the_roster_shows_the_sessions_each_member_gave(cast, member, client_for):
    given = builders.session(cast.township_a, cast.users["staff"], speakers=[member])
    page = client_for("leader").get(reverse("culture:rosters")).content.decode()
    assert reverse("culture:session", args=[given.pk]) in page


def test_only_the_countys_staff_change_a_member(second_county, member, client_for):
    url = reverse("culture:lecturer_edit", args=[member.pk])
    assert client_for("staff_b").get(url).status_code == 404
    assert client_for("secretary_a").get(url).status_code == 403
    assert client_for("leader").get(url).status_code == 403
    end = reverse("culture:lecturer_end", args=[member.pk])
    assert client_for("staff_b").post(end, {"version": "1", "ended_on": "2025-01-01"}).status_code == 404


def test_appointing_a_member_whose_end_is_before_the_appointment_says_so_in_chinese(cast, client_for):
    response = client_for("staff").post(
        reverse("culture:lecturer_new"),
        {"kind": Lecturer.Kind.LECTURER, "name": NAME, "appointed_on": "2025-01-01", "ended_on": "2024-12-31"},
    )
    assert response.status_code == 400
    assert "任期结束日不能早于聘任日（2025-01-01）。" in response.content.decode()
    assert not Lecturer.objects.exists()
