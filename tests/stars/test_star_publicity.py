"""Publicity (公示): a decided level is public for the period; an objection is recorded and answered; an
upheld objection re-opens the review; the level is fixed only after the period, and the public sees it."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from stars import services as star_services
from stars.models import StarApplication

from ..star_helpers import decided


def object_to(cast, application, user="staff"):
    return star_services.objection_record(
        application=application,
        acting_user=cast.users[user],
        received_on=date(2025, 12, 2),
        channel="phone",
        content="村民反映该村账目公开不及时",
    )


def test_an_upheld_objection_reopens_the_review(cast):
    application = decided(cast, 3, total="85", today=date(2025, 12, 1))
    objection = object_to(cast, application)
    star_services.objection_answer(
        objection=objection, acting_user=cast.users["secretary_a"], answer="经核实属实，重新评定", upheld=True
    )
    application.refresh_from_db()
    assert application.status == StarApplication.Status.SUBMITTED
    assert application.decided_level is None and application.publicity_ends_on is None
    assert application.steps.last().action == "reopen"
    objection.refresh_from_db()
    assert (objection.upheld, objection.answered_by) == (True, cast.users["secretary_a"])


def test_a_level_four_objection_goes_back_to_the_district(cast):
    application = decided(cast, 4, total="90", today=date(2025, 12, 1))
    objection = object_to(cast, application)
    with pytest.raises(PermissionDenied):
        star_services.objection_answer(
            objection=objection, acting_user=cast.users["secretary_a"], answer="x", upheld=True
        )
    star_services.objection_answer(objection=objection, acting_user=cast.users["leader"], answer="属实", upheld=True)
    application.refresh_from_db()
    assert application.status == StarApplication.Status.FORWARDED


def test_the_level_is_fixed_only_after_the_period(cast):
    application = decided(cast, 2, total="75", today=date(2025, 12, 1))
    assert application.publicity_ends_on == date(2025, 12, 6)  # five days (data)
    assert star_services.star_levels_fix(today=date(2025, 12, 6)) == 0
    application.refresh_from_db()
    assert application.status == StarApplication.Status.PUBLICITY
    assert star_services.star_levels_fix(today=date(2025, 12, 7)) == 1
    application.refresh_from_db()
    assert application.status == StarApplication.Status.FIXED
    assert application.steps.last().action == "fix"


def test_an_open_objection_holds_the_level_in_publicity(cast):
    application = decided(cast, 2, total="75", today=date(2025, 12, 1))
    objection = object_to(cast, application, user="secretary_a")
    assert star_services.star_levels_fix(today=date(2025, 12, 20)) == 0
    star_services.objection_answer(objection=objection, acting_user=cast.users["staff"], answer="不属实", upheld=False)
    assert star_services.star_levels_fix(today=date(2025, 12, 20)) == 1


def test_the_public_sees_the_level_in_publicity_and_no_opinion(cast, client):
    application = decided(cast, 3, total="85", today=date.today())
    page = client.get(reverse("public:stars", args=[2025]))
    text = page.content.decode()
    assert page.status_code == 200
    assert cast.village_a.name in text and "★★★" in text
    assert "公示" in text and str(application.publicity_ends_on) in text
    assert "同意" not in text  # the reviewers' opinions stay inside
    village = client.get(reverse("public:village_stars", args=[cast.village_a.code])).content.decode()
    assert "★★★" in village


def test_nothing_undecided_is_public(cast, client):
    from ..star_helpers import filed

    filed(cast, 3, total="85")
    text = client.get(reverse("public:stars", args=[2025])).content.decode()
    assert cast.village_a.name not in text
