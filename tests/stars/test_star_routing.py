"""Review routed by level: the township decides 1–3, the district commission 4–5 after the township's
opinion; a reviewer can return an application; each step records who, when, opinion and score."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stars import services as star_services
from stars.models import StarApplication, StarReviewStep

from ..star_helpers import draft, filed


def test_a_level_3_application_is_decided_by_the_township(cast):
    application = filed(cast, 3, total="85")
    decided = star_services.application_decide(
        application=application,
        acting_user=cast.users["secretary_a"],
        opinion="同意三星",
        points=Decimal("85"),
        level=3,
    )
    assert decided.status == StarApplication.Status.PUBLICITY
    assert decided.decided_level == 3
    step = decided.steps.get(action=StarReviewStep.Action.DECIDE)
    assert (step.actor, step.opinion, step.points, step.level) == (
        cast.users["secretary_a"],
        "同意三星",
        Decimal("85"),
        3,
    )
    assert step.at is not None


def test_a_level_5_application_cannot_be_decided_by_the_township(cast):
    application = filed(cast, 5)
    with pytest.raises(ValidationError) as error:
        star_services.application_decide(
            application=application,
            acting_user=cast.users["secretary_a"],
            opinion="同意",
            points=Decimal("97"),
            level=5,
        )
    assert error.value.code == "routing"
    # Not even a level the township could give on its own: 4–5 applications go to the district.
    with pytest.raises(ValidationError) as error:
        star_services.application_decide(
            application=application,
            acting_user=cast.users["secretary_a"],
            opinion="三星",
            points=Decimal("97"),
            level=3,
        )
    assert error.value.code == "routing"
    application.refresh_from_db()
    assert application.status == StarApplication.Status.SUBMITTED


def test_a_secretary_cannot_decide_its_own_townships_level_4_application(cast):
    application = filed(cast, 4, total="90")
    star_services.application_forward(
        application=application,
        acting_user=cast.users["secretary_a"],
        opinion="建议四星",
        points=Decimal("90"),
        level=4,
    )
    with pytest.raises(PermissionDenied):
        star_services.application_decide(
            application=application,
            acting_user=cast.users["secretary_a"],
            opinion="同意",
            points=Decimal("90"),
            level=4,
        )
    decided = star_services.application_decide(
        application=application, acting_user=cast.users["leader"], opinion="同意四星", points=Decimal("90"), level=4
    )
    assert decided.decided_level == 4
    assert [step.action for step in decided.steps.all()] == ["submit", "forward", "decide"]
    forward = decided.steps.get(action="forward")
    assert (forward.actor, forward.opinion, forward.level) == (cast.users["secretary_a"], "建议四星", 4)


def test_another_townships_secretary_and_staff_cannot_review(cast):
    application = filed(cast, 2, total="75")
    for user in (cast.users["secretary_b"], cast.users["staff"], cast.users["leader"]):
        with pytest.raises(PermissionDenied):
            star_services.application_decide(
                application=application, acting_user=user, opinion="x", points=Decimal("75"), level=2
            )


def test_a_returned_application_is_edited_and_filed_again(cast):
    application = filed(cast, 4, total="90")
    star_services.application_forward(
        application=application, acting_user=cast.users["secretary_a"], opinion="上报", points=Decimal("90"), level=4
    )
    returned = star_services.application_return(
        application=application, acting_user=cast.users["leader"], opinion="请补充三资台账"
    )
    assert returned.status == StarApplication.Status.RETURNED
    assert returned.steps.last().opinion == "请补充三资台账"
    draft(cast, 4, "91", summary="已补充")
    again = star_services.application_submit(application=returned, acting_user=cast.users["secretary_a"])
    assert again.status == StarApplication.Status.SUBMITTED
    assert again.self_points == Decimal("91")


def test_the_decided_level_needs_its_points(cast):
    application = filed(cast, 3, total="85")
    with pytest.raises(ValidationError) as error:
        star_services.application_decide(
            application=application, acting_user=cast.users["secretary_a"], opinion="x", points=Decimal("75"), level=3
        )
    assert error.value.code == "points"


def test_an_application_beyond_its_self_assessment_is_refused(cast):
    with pytest.raises(ValidationError) as error:
        draft(cast, 5, "85")
    assert error.value.code == "points"


def test_only_the_own_townships_secretary_files(cast):
    for user in (cast.users["secretary_b"], cast.users["staff"]):
        with pytest.raises(PermissionDenied):
            draft(cast, 1, "65", user=user)


def test_a_concurrent_edit_is_not_overwritten(cast):
    seen = draft(cast, 1, "65").version
    draft(cast, 2, "75", summary="甲", version=seen)
    with pytest.raises(ValidationError) as error:
        draft(cast, 1, "65", summary="乙", version=seen)
    assert error.value.code == "conflict"
