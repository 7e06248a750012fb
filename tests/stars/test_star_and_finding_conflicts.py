"""Every versioned save of a star application (self-assessment, filing, each review step) and of a finding
(progress, submission, closure, reopening) is refused when the form was filled in against an older
version — before any other error of the form — and the user sees the conflict: the record's state now,
who changed it and when, with what they typed kept and the version now stored. Nothing is written."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from inspections import services as inspection_services
from inspections.models import Finding, FindingProgress
from stars import services as star_services
from stars.models import StarApplication, StarReviewStep

from ..conftest import sign_in
from ..factories import UserFactory
from ..inspection_helpers import finding, pdf
from ..star_helpers import criteria, draft, filed, self_scores

APPLICATION_CONFLICT = "他人在您填写期间修改了此申报，您的操作未保存。此申报现为："
FINDING_CONFLICT = "他人在您填写期间修改了此问题，您的操作未保存。此问题现为："
KEPT = "您填写的内容保留在下方，请核对后再次保存。"


def changed(record) -> str:
    """ "(who, when)" of the record's latest change, as the conflict names it."""
    latest = record.history.first()
    return f"（{latest.history_user.full_name}于{timezone.localtime(latest.history_date):%Y-%m-%d %H:%M}修改）"


def second_secretary(cast):
    return UserFactory(
        username="secretary_a2", full_name="李副书记", role=Role.TOWNSHIP_SECRETARY, township=cast.township_a
    )


def self_assessment(level: int, total: str, summary: str, version) -> dict:
    data = {"level_applied": level, "summary": summary, "version": version, "file": "0"}
    for item_id, (points, note) in self_scores(criteria(), total).items():
        data |= {f"item_{item_id}": points, f"note_{item_id}": note}
    return data


def only_the_conflict(response) -> str:
    """The page's text, once checked that the conflict is the form's one error."""
    assert response.status_code == 409
    errors = response.context["form"].errors if "form" in response.context else None
    if errors is not None:
        assert list(errors) == ["__all__"] and len(errors["__all__"]) == 1
    return response.content.decode()


# --- The self-assessment -----------------------------------------------------------------------------


def test_a_second_secretary_saving_the_same_self_assessment_sees_the_first_save_and_keeps_what_they_typed(cast):
    application = draft(cast, 2, "75")
    url = reverse("stars:apply", args=[cast.village_a.code])
    first, second = sign_in(Client(), cast.users["secretary_a"]), sign_in(Client(), second_secretary(cast))
    version = first.get(url).context["form"].initial["version"]
    assert second.get(url).context["form"].initial["version"] == version

    assert first.post(url, self_assessment(3, "85", "甲的自评", version)).status_code == 302
    before = StarApplication.history.count()
    response = second.post(url, self_assessment(2, "75", "乙写的自评说明", version))

    text = only_the_conflict(response)
    application.refresh_from_db()
    assert f"{APPLICATION_CONFLICT}填报中，申报3星（自评85.00分）{changed(application)}。{KEPT}" in text
    assert "乙写的自评说明" in text  # kept, to compare and save again
    assert f'name="version" value="{application.version}"' in text
    assert StarApplication.history.count() == before
    assert (application.level_applied, application.summary, application.self_points) == (3, "甲的自评", Decimal("85"))


def test_the_conflict_comes_before_the_errors_of_the_second_self_assessment(cast):
    draft(cast, 2, "75")
    url = reverse("stars:apply", args=[cast.village_a.code])
    second = sign_in(Client(), second_secretary(cast))
    version = second.get(url).context["form"].initial["version"]
    draft(cast, 3, "85", summary="甲的自评")
    typed = self_assessment("", "75", "乙写的自评说明", version)
    first_item = next(key for key in typed if key.startswith("item_"))
    typed[first_item] = "999"  # above the item's maximum

    text = only_the_conflict(second.post(url, typed))
    assert APPLICATION_CONFLICT in text
    assert "这个字段是必填项。" not in text and "确保该值小于或等于" not in text
    assert 'value="999"' in text and "乙写的自评说明" in text


def test_an_application_filed_meanwhile_is_a_conflict_for_a_secretary_who_saw_none(cast):
    criteria()
    url = reverse("stars:apply", args=[cast.village_a.code])
    second = sign_in(Client(), second_secretary(cast))
    assert second.get(url).context["form"].initial["version"] == 0
    filed(cast, 3, total="85")

    text = only_the_conflict(second.post(url, self_assessment(2, "75", "乙写的自评说明", 0)))
    application = StarApplication.objects.get()
    assert f"{APPLICATION_CONFLICT}待乡镇评定，申报3星（自评85.00分）" in text and "乙写的自评说明" in text
    assert (application.status, application.level_applied) == ("submitted", 3)


def test_filing_an_application_changed_since_the_page_was_loaded_is_refused_with_the_change(cast, client_for):
    application = draft(cast, 2, "75")
    seen = application.version
    draft(cast, 3, "85", summary="甲的自评")
    response = client_for("secretary_a").post(
        reverse("stars:action", args=[application.pk, "submit"]), {"version": seen}, follow=True
    )
    application.refresh_from_db()
    assert f"{APPLICATION_CONFLICT}填报中，申报3星（自评85.00分）" in response.content.decode()
    assert application.status == "draft" and not application.steps.exists()


# --- The review steps ---------------------------------------------------------------------------------


def test_returning_an_application_the_township_just_decided_shows_the_decision_and_keeps_the_opinion(cast):
    application = filed(cast, 3, total="85")
    page = reverse("stars:application", args=[application.pk])
    first, second = sign_in(Client(), cast.users["secretary_a"]), sign_in(Client(), second_secretary(cast))
    version = first.get(page).context["forms"]["review"].initial["version"]
    assert second.get(page).context["forms"]["return"].initial["version"] == version

    decide = {"opinion": "同意评三星", "points": "85", "level": "3", "version": version}
    assert first.post(reverse("stars:action", args=[application.pk, "decide"]), decide).status_code == 302
    response = second.post(
        reverse("stars:action", args=[application.pk, "return"]),
        {"opinion": "缺少村务公开台账", "version": version},
    )

    assert response.status_code == 409
    text = response.content.decode()
    application.refresh_from_db()
    assert f"{APPLICATION_CONFLICT}公示中，评定3星（85.00分）{changed(application)}。{KEPT}" in text
    assert "缺少村务公开台账" in text  # the step has passed, but the opinion typed is shown again
    assert list(response.context["forms"]["return"].errors) == ["__all__"]
    assert application.status == "publicity"
    assert list(application.steps.values_list("action", flat=True)) == ["submit", "decide"]


def test_the_conflict_comes_before_the_errors_of_the_second_review(cast, client_for):
    application = filed(cast, 4, total="92")
    page = reverse("stars:application", args=[application.pk])
    leader = client_for("leader")
    star_services.application_forward(
        application=application,
        acting_user=cast.users["secretary_a"],
        opinion="同意上报",
        points=Decimal("92"),
        level=4,
    )
    version = leader.get(page).context["forms"]["review"].initial["version"]
    star_services.application_return(
        application=application, acting_user=cast.users["leader"], opinion="补充台账", version=version
    )

    response = leader.post(
        reverse("stars:action", args=[application.pk, "decide"]),
        {"opinion": "", "points": "-5", "level": "9", "version": version},
    )
    assert response.status_code == 409
    text = response.content.decode()
    form = response.context["forms"]["review"]
    assert list(form.errors) == ["__all__"] and APPLICATION_CONFLICT + "退回补充材料" in form.errors["__all__"][0]
    assert "这个字段是必填项。" not in text and "选择一个有效的选项" not in text
    assert StarReviewStep.objects.filter(application=application, action="decide").count() == 0


def _stale(version: int) -> int:
    return version - 1


# service: (the application ready for it, the call with its own error besides the stale version)
REVIEW_STEPS = {
    "save": (
        lambda cast: draft(cast, 2, "75"),
        lambda cast, application: star_services.application_save(
            criteria=application.criteria,
            rated=application.village,
            level_applied=5,  # more than the points reach
            scores=self_scores(application.criteria, "75"),
            summary="x",
            acting_user=cast.users["secretary_a"],
            version=_stale(application.version),
        ),
    ),
    "submit": (
        lambda cast: draft(cast, 2, "75"),
        lambda cast, application: star_services.application_submit(
            application=application, acting_user=cast.users["secretary_a"], version=_stale(application.version)
        ),
    ),
    "return": (
        lambda cast: filed(cast, 3, total="85"),
        lambda cast, application: star_services.application_return(
            application=application,
            acting_user=cast.users["secretary_a"],
            opinion=" ",
            version=_stale(application.version),
        ),
    ),
    "forward": (
        lambda cast: filed(cast, 4, total="92"),
        lambda cast, application: star_services.application_forward(
            application=application,
            acting_user=cast.users["secretary_a"],
            opinion="",
            points=Decimal("92"),
            level=4,
            version=_stale(application.version),
        ),
    ),
    "decide": (
        lambda cast: filed(cast, 3, total="85"),
        lambda cast, application: star_services.application_decide(
            application=application,
            acting_user=cast.users["secretary_a"],
            opinion="x",
            points=Decimal("60"),  # too few for three stars
            level=3,
            version=_stale(application.version),
        ),
    ),
}


@pytest.mark.parametrize("step", list(REVIEW_STEPS))
def test_every_versioned_step_of_an_application_refuses_an_older_version_before_its_own_errors(cast, step):
    ready, call = REVIEW_STEPS[step]
    application = ready(cast)
    before = (application.status, application.version, application.history.count())
    with pytest.raises(ValidationError) as error:
        call(cast, application)
    assert error.value.code == "conflict"
    assert error.value.params["version"] == application.version
    application.refresh_from_db()
    assert (application.status, application.version, application.history.count()) == before


# --- Findings ------------------------------------------------------------------------------------------


def finding_page(client, item) -> dict:
    return client.get(reverse("inspections:finding", args=[item.pk])).context["forms"]


def post_finding(client, item, action, data):
    return client.post(reverse("inspections:finding_action", args=[item.pk, action]), data)


def test_progress_recorded_by_two_people_at_once_the_second_sees_the_first_note_and_keeps_theirs(cast):
    item = finding(cast, found_on=date(2025, 3, 1), due_on=date(2025, 4, 30))
    first, second = sign_in(Client(), cast.users["secretary_a"]), sign_in(Client(), cast.users["staff"])
    version = finding_page(first, item)["progress"].initial["version"]
    assert finding_page(second, item)["progress"].initial["version"] == version

    note = {"note": "已召开村民代表会议公开账目", "version": version}
    assert post_finding(first, item, "progress", note).status_code == 302
    response = post_finding(second, item, "progress", {"note": "乙：已追回资金", "version": version})

    text = only_the_conflict(response)
    item.refresh_from_db()
    assert (
        f"{FINDING_CONFLICT}整改中，整改期限2025-04-30，最近进展：已召开村民代表会议公开账目{changed(item)}。" in text
    )
    assert "乙：已追回资金" in text and f'name="version" value="{item.version}"' in text
    assert list(FindingProgress.objects.filter(finding=item).values_list("note", flat=True)) == [
        "已召开村民代表会议公开账目"
    ]


def test_reopening_a_finding_closed_meanwhile_shows_the_closure_before_the_errors_of_the_form(cast):
    item = finding(cast)
    owner = cast.users["secretary_a"]
    inspection_services.progress_record(finding=item, acting_user=owner, note="已整改", uploads=[pdf()])
    item = inspection_services.closure_submit(finding=item, acting_user=owner)
    other_staff = UserFactory(username="staff_b", full_name="钱干部", role=Role.COMMISSION_STAFF)
    first, second = sign_in(Client(), cast.users["staff"]), sign_in(Client(), other_staff)
    version = finding_page(second, item)["reopen"].initial["version"]
    closing = {"verification": "实地核查属实", "version": finding_page(first, item)["close"].initial["version"]}
    assert post_finding(first, item, "close", closing).status_code == 302

    response = post_finding(second, item, "reopen", {"reason": "", "due_on": "not a date", "version": version})

    text = only_the_conflict(response)
    item.refresh_from_db()
    assert f"{FINDING_CONFLICT}已销号，整改期限{item.due_on}，最近进展：已整改{changed(item)}。" in text
    assert "这个字段是必填项。" not in text and "输入一个有效的日期。" not in text
    assert "not a date" in text
    assert (item.status, item.closed_by) == (Finding.Status.CLOSED, cast.users["staff"])


def test_submitting_a_finding_changed_since_the_page_was_loaded_is_refused_with_the_change(cast, client_for):
    item = finding(cast)
    owner = cast.users["secretary_a"]
    seen = item.version
    inspection_services.progress_record(finding=item, acting_user=owner, note="已整改", uploads=[pdf()])
    response = client_for("secretary_a").post(
        reverse("inspections:finding_action", args=[item.pk, "submit"]), {"version": seen}, follow=True
    )
    item.refresh_from_db()
    assert f"{FINDING_CONFLICT}整改中" in response.content.decode()
    assert item.status == Finding.Status.RECTIFYING


@pytest.mark.parametrize("step", ["progress", "submit", "close", "reopen"])
def test_every_versioned_step_of_a_finding_refuses_an_older_version_before_its_own_errors(cast, step):
    item = finding(cast)
    owner, staff = cast.users["secretary_a"], cast.users["staff"]
    if step in ("close", "reopen"):
        inspection_services.progress_record(finding=item, acting_user=owner, note="已整改", uploads=[pdf()])
        item = inspection_services.closure_submit(finding=item, acting_user=owner)
    stale = item.version - 1
    calls = {
        "progress": lambda: inspection_services.progress_record(
            finding=item, acting_user=owner, note=" ", version=stale
        ),
        "submit": lambda: inspection_services.closure_submit(
            finding=item, acting_user=owner, version=stale
        ),  # no evidence
        "close": lambda: inspection_services.finding_close(
            finding=item, acting_user=staff, verification="", version=stale
        ),
        "reopen": lambda: inspection_services.finding_reopen(
            finding=item, acting_user=staff, reason="", due_on=date(2025, 9, 30), version=stale
        ),
    }
    before = (item.status, item.version, item.history.count())
    with pytest.raises(ValidationError) as error:
        calls[step]()
    assert error.value.code == "conflict"
    item.refresh_from_db()
    assert (item.status, item.version, item.history.count()) == before


def test_the_conflict_names_who_made_the_change_not_the_overdue_job_that_flagged_it_since(cast):
    item = finding(cast, found_on=date(2025, 3, 1), due_on=date(2025, 4, 30))
    owner = cast.users["secretary_a"]
    seen = item.version
    item = inspection_services.progress_record(finding=item, acting_user=owner, note="已约谈", version=seen)
    inspection_services.overdue_mark(today=date(2025, 5, 1))  # a flag saved by the job, no new version
    with pytest.raises(ValidationError) as error:
        inspection_services.progress_record(finding=item, acting_user=owner, note="第二次", version=seen)
    assert error.value.code == "conflict" and error.value.params["who"] == owner
