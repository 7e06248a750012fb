"""回头看: candidate villages in three groups, each with the reason it qualifies, and the re-check items a
revisit brings back (open findings and those closed within the look-back, not older ones)."""

from datetime import date

from django.urls import reverse

from inspections import services
from inspections.models import Finding, InspectionRound
from inspections.selectors import revisit_candidates
from scoring.models import Round
from scoring.services import round_compute_results

from ..factories import VillageFactory
from ..inspection_helpers import closed, finding, inspection
from ..petition_helpers import register
from ..scoring_helpers import fill_scores, make_round


def test_each_group_lists_the_right_villages_with_the_reason(cast):
    top, good, fine = (VillageFactory(township=cast.township_a, name=name) for name in ("甲村", "乙村", "丙村"))
    weak = VillageFactory(township=cast.township_a, name="丁村")
    round_ = make_round("2025", status=Round.Status.PUBLISHED)
    for village, total in [(top, "98"), (good, "96"), (fine, "95"), (cast.village_a, "94"), (weak, "75")]:
        fill_scores(round_, village, total)
    fill_scores(round_, cast.village_b, "99")
    round_compute_results(round_)
    overdue = finding(cast, village=good, found_on=date(2025, 3, 1), due_on=date(2025, 4, 1))
    reopened = closed(cast, finding(cast, village=top), on=date(2025, 4, 1))
    services.finding_reopen(finding=reopened, acting_user=cast.users["staff"], reason="反弹", due_on=date(2026, 1, 1))

    groups = revisit_candidates(date(2025, 6, 1))
    weak_party = {candidate.village: candidate.reasons for candidate in groups.weak_party_building}
    # Township A's bottom three by rank: 丁村 (C), 石曲村, 丙村; township B's only village is its bottom.
    assert set(weak_party) == {weak, cast.village_a, fine, cast.village_b}
    assert weak_party[weak] == ["2025 清廉指数C类（75.00分）", "2025 清廉指数镇街排名末三位（第5名）"]
    assert weak_party[fine] == ["2025 清廉指数镇街排名末三位（第3名）"]
    problems = {candidate.village: candidate.reasons for candidate in groups.prominent_problems}
    assert problems == {good: ["整改逾期1项"], top: ["整改被退回重办1项"]}
    assert groups.many_petitions == []
    assert overdue.pk


def test_a_revisit_brings_back_open_and_recently_closed_findings(cast, settings):
    settings.REVISIT_RECHECK_CLOSED_DAYS = 365
    still_open = finding(cast, found_on=date(2024, 3, 1))
    recently_closed = closed(cast, finding(cast, found_on=date(2024, 3, 1)), on=date(2024, 9, 1))
    long_closed = closed(cast, finding(cast, found_on=date(2023, 3, 1)), on=date(2023, 6, 1))
    elsewhere = finding(cast, village=cast.village_b, owner="secretary_b", found_on=date(2024, 3, 1))
    revisit = inspection(cast, kind=InspectionRound.Kind.REVISIT, starts_on=date(2025, 3, 1))
    count = services.revisit_targets_add(
        round_=revisit, choices={cast.village_a: "整改逾期1项"}, acting_user=cast.users["staff"], today=date(2025, 3, 1)
    )
    rechecks = Finding.objects.filter(round=revisit)
    assert count == 2
    assert {item.recheck_of for item in rechecks} == {still_open, recently_closed}
    assert all(item.status == "open" and item.description.startswith("复查") for item in rechecks)
    assert long_closed not in {item.recheck_of for item in rechecks} and elsewhere.round != revisit
    assert revisit.targets.get().reason == "整改逾期1项"
    # Choosing the village again brings nothing twice.
    assert (
        services.revisit_targets_add(
            round_=revisit, choices={cast.village_a: "x"}, acting_user=cast.users["staff"], today=date(2025, 3, 1)
        )
        == 0
    )


def test_staff_pick_candidates_on_the_page(cast, client_for):
    late = finding(cast, found_on=date(2024, 3, 1), due_on=date(2024, 4, 1))
    revisit = inspection(cast, kind=InspectionRound.Kind.REVISIT, starts_on=date(2025, 3, 1))
    url = reverse("inspections:candidates", args=[revisit.pk])
    page = client_for("staff").get(url).content.decode()
    assert cast.village_a.name in page and "整改逾期1项" in page
    assert client_for("staff").post(url, {"village": [cast.village_a.code]}).status_code == 302
    assert Finding.objects.get(round=revisit).recheck_of == late
    assert client_for("secretary_a").get(url).status_code == 403


def test_villages_with_many_petitions_in_twelve_months_are_candidates(cast, settings):
    settings.REVISIT_PETITION_THRESHOLD = 3
    for received_on in (date(2024, 7, 1), date(2025, 1, 5), date(2025, 5, 30)):
        register(cast, received_on=received_on)
    register(cast, received_on=date(2024, 5, 31))  # more than 12 months before 2025-06-01
    for received_on in (date(2025, 2, 1), date(2025, 3, 1)):
        register(cast, received_on=received_on, township=cast.township_b, village=cast.village_b)
    groups = revisit_candidates(date(2025, 6, 1))
    assert [(candidate.village, candidate.reasons) for candidate in groups.many_petitions] == [
        (cast.village_a, ["近12个月涉纪信访3件（≥3件）"])
    ]
