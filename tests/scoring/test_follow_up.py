"""Follow-up of a published round: the bottom three get a diagnosis (清廉问诊), C villages get a partner
(结对帮扶) with visits and rectification goals, A villages form the cultivation list, and the next
period shows the outcome."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from scoring.models import Diagnosis, HelpVisit, Pairing, Rectification, Round
from scoring.selectors import follow_up
from scoring.services import pairing_confirm, rectification_save, round_compute_results

from ..factories import VillageFactory
from ..scoring_helpers import fill_scores, make_round


def publish(code, totals):
    round_ = make_round(code, status=Round.Status.PUBLISHED)
    for village, total in totals.items():
        fill_scores(round_, village, total)
    round_compute_results(round_)
    return round_


@pytest.fixture
def township(cast):
    weak = VillageFactory(township=cast.township_a, name="后进村")
    middle = VillageFactory(township=cast.township_a, name="中游村")
    villages = {"top": cast.village_a, "middle": middle, "weak": weak}
    round_ = publish("2024", {cast.village_a: "95", middle: "85", weak: "72", cast.village_b: "70"})
    publish("2025", {cast.village_a: "94", middle: "86", weak: "81", cast.village_b: "75"})
    return round_, villages


def test_the_follow_up_lists_bottom_three_c_villages_with_a_suggested_partner_and_a_villages(township, cast):
    round_, villages = township
    plan = follow_up(round_, cast.township_a)
    assert [r.village for r in plan.bottom] == [villages["weak"], villages["middle"], villages["top"]]
    assert [r.village for r in plan.c_villages] == [villages["weak"]]
    assert plan.c_villages[0].suggested_helper == villages["top"]
    assert [r.village for r in plan.a_villages] == [villages["top"]]


def test_staff_confirm_a_partner_and_the_next_period_shows_the_outcome(township, cast, client_for):
    round_, villages = township
    client = client_for("staff")
    url = reverse("scoring:pairing_confirm", args=[villages["weak"].code]) + "?period=2024"
    client.post(url, {"helper": villages["top"].code})
    pairing = Pairing.objects.get(round=round_)
    assert (pairing.helper, pairing.helped) == (villages["top"], villages["weak"])
    page = client.get(reverse("scoring:follow_up", args=[cast.township_a.code]), {"period": "2024"})
    weak = page.context["follow_up"].c_villages[0]
    assert weak.pairing == pairing and str(weak.later_total) == "81.00"


def test_a_partner_from_another_township_or_a_c_partner_is_refused(township, cast):
    round_, villages = township
    with pytest.raises(ValidationError, match="结对村居须在同一镇街。"):
        pairing_confirm(round_=round_, helper=cast.village_b, helped=villages["weak"], acting_user=cast.users["staff"])
    # Village B is a C village too, but refused first as another township's: a C partner of the same township.
    other_c = VillageFactory(township=cast.township_a, name="另一后进村")
    fill_scores(round_, other_c, "70")
    round_compute_results(round_)
    with pytest.raises(ValidationError, match="帮扶村居本身不能是C类。"):
        pairing_confirm(round_=round_, helper=other_c, helped=villages["weak"], acting_user=cast.users["staff"])
    with pytest.raises(PermissionDenied):
        pairing_confirm(
            round_=round_, helper=villages["top"], helped=villages["weak"], acting_user=cast.users["secretary_a"]
        )


def test_the_secretary_records_a_diagnosis_and_a_help_visit(township, cast, client_for):
    round_, villages = township
    pairing = Pairing.objects.create(
        round=round_, helper=villages["top"], helped=villages["weak"], confirmed_by=cast.users["staff"]
    )
    client = client_for("secretary_a")
    response = client.post(
        reverse("scoring:diagnosis_new", args=[villages["weak"].code]) + "?period=2024",
        {
            "held_on": "2025-03-02",
            "deductions_found": "三资公开不及时",
            "measures": "每月公开",
            "responsible_person": "王书记",
        },
    )
    assert response.status_code == 302
    assert Diagnosis.objects.get().recorded_by == cast.users["secretary_a"]
    client.post(
        reverse("scoring:help_visit_new", args=[pairing.pk]),
        {"visited_on": "2025-04-01", "content": "传授村务公开做法"},
    )
    assert HelpVisit.objects.get().pairing == pairing


def test_another_townships_secretary_cannot_touch_the_follow_up(township, cast, client_for):
    _round, villages = township
    client = client_for("secretary_b")
    url = reverse("scoring:diagnosis_new", args=[villages["weak"].code]) + "?period=2024"
    assert client.post(url, {"held_on": "2025-03-02"}).status_code == 404
    assert client.get(reverse("scoring:follow_up", args=[cast.township_a.code])).status_code == 404


def test_rectification_goals_are_for_c_villages(township, cast):
    round_, villages = township
    fields = {
        "goals": "年底前达到B类",
        "measures": "完善三资管理",
        "responsible_person": "李主任",
        "due_on": date(2025, 12, 31),
    }
    plan = rectification_save(round_=round_, village=villages["weak"], acting_user=cast.users["secretary_a"], **fields)
    assert Rectification.objects.get() == plan
    with pytest.raises(ValidationError, match="整改目标仅针对C类村居。"):
        rectification_save(round_=round_, village=villages["top"], acting_user=cast.users["staff"], **fields)


def test_the_overview_counts_grades_per_township(township, cast, client_for):
    page = client_for("leader").get(reverse("scoring:overview"), {"period": "2024"})
    lines = {line.code: line for line in page.context["townships"]}
    assert lines[cast.township_a.code].counts == {"A": 1, "B": 1, "C": 1}
    assert round(lines[cast.township_a.code].share_c, 1) == 33.3


def test_the_overview_shows_the_entry_progress_of_the_round_being_entered(township, cast, client_for):
    draft = make_round("2026")
    fill_scores(draft, cast.village_a, "90")
    page = client_for("staff").get(reverse("scoring:overview"), {"period": "2025"})
    assert page.status_code == 200
    entry = reverse("scoring:entry", args=[draft.pk, cast.township_a.code])
    assert f'<a href="{entry}">{cast.township_a.name}</a>' in page.content.decode()
