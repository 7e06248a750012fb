"""Every step of a petition's flow is a versioned save: two people acting on the same case at once do not
overwrite each other. The second one sees the conflict before any other error of their form — the case's
status now, who acted and when, and what they typed — and nothing of theirs is written."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from petitions import selectors, services
from petitions.models import ListedCase, ListedCaseEvidence, Petition, PetitionStep

from ..conftest import sign_in
from ..petition_helpers import accepted, concluded, petition_class, register, second_officer

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CONFLICT = "他人已先行办理此件，您的操作未保存。"


def post_step(client, petition, action, data, version):
    return client.post(reverse("petitions:action", args=[petition.pk, action]), {**data, "version": version})


def last_step_line(petition) -> str:
    step = petition.steps.last()
    return f"{step.get_action_display()}，{step.actor.full_name}，{timezone.localtime(step.at):%Y-%m-%d %H:%M}"


def in_progress(cast) -> Petition:
    petition = accepted(cast, register(cast))
    return services.petition_start(petition=petition, acting_user=cast.users["petition"])


def written(petition) -> tuple:
    """Everything a step may write about the case."""
    return (
        Petition.history.filter(id=petition.pk).count(),
        PetitionStep.objects.filter(petition=petition).count(),
        ListedCase.objects.count(),
        ListedCaseEvidence.objects.count(),
    )


def test_a_second_officer_concluding_the_same_case_sees_the_first_conclusion_and_keeps_what_they_typed(cast):
    petition = in_progress(cast)
    first, second = sign_in(Client(), cast.users["petition"]), sign_in(Client(), second_officer())
    version = first.get(reverse("petitions:petition", args=[petition.pk])).context["petition"].version
    assert second.get(reverse("petitions:petition", args=[petition.pk])).context["petition"].version == version

    done = post_step(
        first, petition, "conclude", {"conclusion": "true", "result": "甲的办理结果", "on": "2025-04-01"}, version
    )
    assert done.status_code == 302
    before = written(petition)
    response = post_step(
        second, petition, "conclude", {"conclusion": "false", "result": "乙写的办理结果", "on": "2025-04-02"}, version
    )

    assert response.status_code == 409
    text = response.content.decode()
    petition.refresh_from_db()
    assert CONFLICT in text
    assert "当前状态：已办结" in text and f"最近一步：{last_step_line(petition)}：甲的办理结果" in text
    assert "乙写的办理结果" in text  # what the second officer typed, kept to compare and save again
    assert f'name="version" value="{petition.version}"' in text
    assert written(petition) == before
    assert (petition.conclusion, petition.result, petition.concluded_on) == ("true", "甲的办理结果", date(2025, 4, 1))


def test_the_conflict_comes_before_the_errors_of_what_the_second_officer_typed(cast):
    petition = in_progress(cast)
    version = petition.version
    services.petition_conclude(
        petition=petition, acting_user=cast.users["petition"], conclusion="true", result="已核实", on=date(2025, 4, 1)
    )
    second = sign_in(Client(), second_officer())
    response = post_step(
        second, petition, "conclude", {"conclusion": "false", "result": "", "on": "not a date"}, version
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert CONFLICT in text
    assert "这个字段是必填项。" not in text and "输入一个有效的日期。" not in text


def test_a_leader_extending_a_case_the_officer_just_moved_on_sees_it_then_extends_knowingly(cast, client_for):
    petition = accepted(cast, register(cast))
    leader, officer = client_for("leader"), client_for("petition")
    seen = leader.get(reverse("petitions:petition", args=[petition.pk])).context["petition"].version
    assert post_step(officer, petition, "start", {"opinion": "成立核查组"}, seen).status_code == 302

    refused = post_step(leader, petition, "extend", {"days": "30", "reason": "需调取银行流水"}, seen)
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "当前状态：办理中" in text and f"最近一步：{last_step_line(petition)}：成立核查组" in text
    petition.refresh_from_db()
    assert petition.extension_days == 0

    again = post_step(leader, petition, "extend", {"days": "30", "reason": "需调取银行流水"}, petition.version)
    assert again.status_code == 302
    page = officer.get(reverse("petitions:petition", args=[petition.pk])).content.decode()
    assert f"30 天 · {cast.users['leader'].full_name}批准 · 需调取银行流水" in page


def test_two_people_listing_the_same_case_the_second_sees_the_listing_instead_of_a_second_one(cast, client_for):
    petition = register(cast)
    version = petition.version
    listing = {
        "leader": cast.users["leader"].pk,
        "unit": "路桥街道党工委",
        "measures": "包案约访",
        "deadline": "2025-06-30",
    }
    assert post_step(client_for("staff"), petition, "list", listing, version).status_code == 302
    response = post_step(client_for("leader"), petition, "list", {**listing, "unit": "区纪委第二室"}, version)
    assert response.status_code == 409
    text = response.content.decode()
    assert CONFLICT in text and "此件已挂牌。" not in text
    assert f"最近一步：挂牌，{cast.users['staff'].full_name}" in text and "区纪委第二室" in text
    assert ListedCase.objects.get().unit == "路桥街道党工委"


def listed(cast, petition):
    return services.case_list(
        petition=petition,
        acting_user=cast.users["staff"],
        leader=cast.users["leader"],
        unit="路桥街道党工委",
        measures="包案约访",
        deadline=date(2025, 6, 30),
        on=date(2025, 4, 1),
    )


def _registered(cast):
    register(cast, received_on=date(2024, 5, 1))  # an earlier case of the same village and subject
    return register(cast)


# action: (who acts, the case ready for it, what they post)
STEPS = {
    "accept": (
        "petition",
        _registered,
        lambda cast, case: {"petition_class": petition_class().pk, "disposal": "verify", "on": "2025-03-05"},
    ),
    "transfer": ("petition", _registered, lambda cast, case: {"to_unit": "区纪委第一室", "on": "2025-03-05"}),
    "repeat": (
        "petition",
        _registered,
        lambda cast, case: {"earlier": next(iter(services.repeat_candidates(case))).pk},
    ),
    "list": (
        "staff",
        _registered,
        lambda cast, case: {"leader": cast.users["leader"].pk, "unit": "x", "measures": "x", "deadline": "2025-06-30"},
    ),
    "notify": (
        "petition",
        lambda cast: accepted(cast, register(cast, identity="李四")),
        lambda cast, case: {"on": "2025-03-06"},
    ),
    "start": ("petition", lambda cast: accepted(cast, register(cast)), lambda cast, case: {"opinion": "开始"}),
    "extend": (
        "leader",
        lambda cast: accepted(cast, register(cast)),
        lambda cast, case: {"days": "10", "reason": "复杂"},
    ),
    "conclude": ("petition", in_progress, lambda cast, case: {"conclusion": "true", "result": "x", "on": "2025-04-01"}),
    "feed_back": ("petition", lambda cast: concluded(cast, register(cast)), lambda cast, case: {"on": "2025-04-02"}),
    "archive": (
        "petition",
        lambda cast: services.petition_feed_back(
            petition=concluded(cast, register(cast)), acting_user=cast.users["petition"], on=date(2025, 4, 2)
        ),
        lambda cast, case: {},
    ),
    "strike_off": (
        "staff",
        lambda cast: listed(cast, register(cast)).petition,
        lambda cast, case: {
            "resolution": "已解决",
            "verification": "回访",
            "files": SimpleUploadedFile("销号.pdf", PDF),
        },
    ),
}


@pytest.mark.parametrize("action", list(STEPS))
def test_every_step_refuses_a_form_filled_in_against_an_older_version_and_writes_nothing(cast, client_for, action):
    role, ready, data = STEPS[action]
    case = Petition.objects.get(pk=ready(cast).pk)
    before = written(case)
    response = post_step(client_for(role), case, action, data(cast, case), case.version - 1)
    assert response.status_code == 409 and CONFLICT in response.content.decode()
    assert written(case) == before
    fresh = Petition.objects.get(pk=case.pk)
    assert (fresh.status, fresh.version) == (case.status, case.version)
    # The same form with the version the page now carries goes through.
    assert post_step(client_for(role), case, action, data(cast, case), case.version).status_code == 302


def test_a_step_saved_between_the_pages_check_and_the_write_is_still_refused(cast, monkeypatch):
    petition = in_progress(cast)
    version = petition.version
    load = selectors.get_petition_for

    def load_while_the_first_officer_concludes(user, pk):
        loaded = load(user, pk)
        services.petition_conclude(
            petition=loaded,
            acting_user=cast.users["petition"],
            conclusion="true",
            result="甲的办理结果",
            on=date(2025, 4, 1),
        )
        return loaded

    monkeypatch.setattr(selectors, "get_petition_for", load_while_the_first_officer_concludes)
    second = sign_in(Client(), second_officer())
    response = post_step(
        second, petition, "conclude", {"conclusion": "false", "result": "乙写的办理结果", "on": "2025-04-02"}, version
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert CONFLICT in text and "当前状态：已办结" in text and "乙写的办理结果" in text
    petition.refresh_from_db()
    assert (petition.result, petition.steps.filter(action="conclude").count()) == ("甲的办理结果", 1)


def test_a_step_saved_against_an_older_version_is_refused_before_its_own_errors(cast):
    petition = in_progress(cast)
    with pytest.raises(ValidationError) as error:
        services.petition_conclude(
            petition=petition,
            acting_user=cast.users["petition"],
            conclusion="true",
            result="",
            on=date(2025, 4, 1),
            expected_version=petition.version - 1,
        )
    assert error.value.code == "stale"
