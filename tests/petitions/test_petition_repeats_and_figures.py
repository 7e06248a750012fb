"""Repeat petitions (重信重访) proposed from the earlier cases, 挂牌 and 销号 (only with evidence), the
closure rate by the listings' own dates (a backlog case counts in the year it is struck off), the
on-target rate by 五字 class, and the figures with 同比 against hand-computed values."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from petitions import services
from petitions.selectors import figures

from ..factories import VillageFactory
from ..petition_helpers import accepted, concluded, register

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_same_petitioner_is_found_without_decrypting(cast):
    earlier = register(cast, identity="赵 小 明", received_on=date(2024, 5, 1), village=None, subject_name="钱某")
    other = register(cast, identity="孙某", received_on=date(2024, 6, 1), village=None, subject_name="李某")
    again = register(cast, identity="赵小明", received_on=date(2025, 3, 3), village=None, subject_name="周某")
    candidates = list(services.repeat_candidates(again))
    assert earlier in candidates and other not in candidates
    linked = services.repeat_link(petition=again, earlier=earlier, acting_user=cast.users["petition"])
    assert linked.repeat_of == earlier


def test_the_same_person_complained_about_or_village_and_subject_is_proposed(cast):
    same_person = register(cast, received_on=date(2024, 1, 10), village=None)
    same_place = register(cast, received_on=date(2024, 2, 10), subject_name="冯某")
    unrelated = register(
        cast,
        received_on=date(2024, 3, 10),
        subject_name="陈某",
        category="conduct",
        village=VillageFactory(township=cast.township_a),
    )
    later = register(cast, received_on=date(2025, 3, 3))
    candidates = set(services.repeat_candidates(later))
    assert {same_person, same_place} <= candidates and unrelated not in candidates


def list_case(cast, petition, deadline=date(2025, 6, 30), on=date(2025, 4, 1)):
    return services.case_list(
        petition=petition,
        acting_user=cast.users["staff"],
        leader=cast.users["leader"],
        unit="路桥街道党工委",
        measures="包案领导约访",
        deadline=deadline,
        on=on,
    )


def strike_off(cast, listing, on):
    return services.case_strike_off(
        petition=listing.petition,
        acting_user=cast.users["staff"],
        resolution="已解决",
        verification="回访满意",
        uploads=[SimpleUploadedFile("销号.pdf", PDF)],
        on=on,
    )


def test_striking_off_needs_evidence_and_the_closure_rate_follows(cast):
    first = list_case(cast, register(cast, received_on=date(2025, 2, 1)))
    second = list_case(cast, register(cast, received_on=date(2025, 2, 2)))
    list_case(cast, register(cast, received_on=date(2025, 2, 3)))
    with pytest.raises(ValidationError) as error:
        services.case_strike_off(
            petition=first.petition,
            acting_user=cast.users["staff"],
            resolution="已解决",
            verification="回访满意",
            on=date(2025, 5, 1),
        )
    assert error.value.code == "evidence"
    for listing in (first, second):
        strike_off(cast, listing, on=date(2025, 5, 1))
    result = figures(date(2025, 1, 1), date(2025, 12, 31))
    assert (result.struck_off, result.listed, result.closure_rate) == (2, 3, Decimal("66.7"))
    assert result.by_leader == [(cast.users["leader"].full_name, 3, 2)]


def test_a_2023_backlog_case_listed_in_2024_and_struck_off_in_2025_counts_in_2025(cast, client_for):
    backlog = list_case(cast, register(cast, received_on=date(2023, 6, 1)), on=date(2024, 9, 1))
    strike_off(cast, backlog, on=date(2025, 3, 1))
    list_case(cast, register(cast, received_on=date(2025, 2, 1)), on=date(2025, 4, 1))  # still open
    closed_in_2024 = list_case(cast, register(cast, received_on=date(2024, 1, 5)), on=date(2024, 2, 1))
    strike_off(cast, closed_in_2024, on=date(2024, 12, 1))
    list_case(cast, register(cast, received_on=date(2025, 11, 1)), on=date(2026, 1, 5))  # after 2025

    in_2025 = figures(date(2025, 1, 1), date(2025, 12, 31))
    # listed in 2025: 1; open at some time in 2025: the backlog case and the new one; struck off in 2025: 1.
    assert (in_2025.newly_listed, in_2025.listed, in_2025.struck_off, in_2025.closure_rate) == (
        1,
        2,
        1,
        Decimal("50.0"),
    )
    assert in_2025.by_leader == [(cast.users["leader"].full_name, 2, 1)]
    assert figures(date(2025, 1, 1), date(2025, 12, 31), cast.township_b).listed == 0  # all in township A
    in_2024 = figures(date(2024, 1, 1), date(2024, 12, 31))
    assert (in_2024.newly_listed, in_2024.listed, in_2024.struck_off, in_2024.closure_rate) == (
        2,
        2,
        1,
        Decimal("50.0"),
    )
    page = client_for("staff").get(reverse("petitions:figures"), {"start": "2025-01-01", "end": "2025-12-31"})
    text = page.content.decode()
    assert "1 / 2 · 销号率 50.0%" in text and "本期新挂牌 1" in text
    assert "本期内销号的挂牌件 ÷ 本期内任一时间在督的挂牌件（本期结束前挂牌、且未在本期开始前销号）" in text


def test_the_on_target_rate_by_class_counts_cases_concluded_within_their_class_target(cast, client_for):
    # All accepted on 2025-03-05: the legal clock ends on 2025-05-04; 简案办快 on 04-04, 难案办妥 on 06-03.
    concluded(cast, register(cast), on=date(2025, 4, 3))
    concluded(cast, register(cast), on=date(2025, 4, 20))  # within the legal clock, past its class target
    concluded(cast, register(cast), on=date(2025, 5, 20), code="hard")  # late by law, within its class target
    accepted(cast, register(cast))  # not concluded: not counted
    result = figures(date(2025, 1, 1), date(2025, 12, 31))
    rows = [(line.label, line.concluded, line.on_target, line.rate) for line in result.on_target_by_class]
    assert rows == [
        ("简案办快", 2, 1, Decimal("50.0")),
        ("铁案办实", 0, 0, None),
        ("杂案办好", 0, 0, None),
        ("疑案办明", 0, 0, None),
        ("难案办妥", 1, 1, Decimal("100.0")),
    ]
    assert (result.concluded, result.on_time) == (3, 2)  # the legal clock counts otherwise
    page = client_for("staff").get(reverse("petitions:figures"), {"start": "2025-01-01", "end": "2025-12-31"})
    text = page.content.decode()
    assert '<td>简案办快</td><td class="num">1 / 2</td><td class="num">50.0%</td>' in text
    assert '<td>铁案办实</td><td class="num">0 / 0</td><td class="num">—</td>' in text


def test_figures_with_year_on_year_change(cast):
    rural_2025 = [register(cast, received_on=date(2025, month, 10)) for month in (1, 2, 3)]
    register(cast, received_on=date(2025, 3, 11), rural=False, township=cast.township_b, village=None)
    register(cast, received_on=date(2024, 2, 10))
    register(cast, received_on=date(2024, 3, 31), rural=False, township=cast.township_b, village=None)
    register(cast, received_on=date(2024, 4, 1))  # after the compared range
    on_time = concluded(cast, rural_2025[0], on=date(2025, 4, 20))  # accepted 2025-03-05: due 2025-05-04
    late = concluded(cast, rural_2025[1], on=date(2025, 6, 1))
    accepted(cast, rural_2025[2])
    result = figures(date(2025, 1, 1), date(2025, 3, 31))
    assert (result.total.value, result.total.previous, result.total.change) == (4, 2, Decimal("100.0"))
    assert (result.rural.value, result.rural.previous, result.rural.change) == (3, 1, Decimal("200.0"))
    townships = {line.label: (line.value, line.previous) for line in result.by_township}
    assert townships == {"路桥街道": (3, 1), "路南街道": (1, 1)}
    assert (result.concluded, result.on_time, result.on_time_rate) == (2, 1, Decimal("50.0"))
    assert on_time.concluded_on <= on_time.conclude_due and late.concluded_on > late.conclude_due
    township_only = figures(date(2025, 1, 1), date(2025, 3, 31), cast.township_b)
    assert (township_only.total.value, township_only.total.previous) == (1, 1)


def test_the_case_page_shows_who_listed_and_struck_off_the_case_when_and_why(cast, client_for):
    petition = register(cast)
    listing = list_case(cast, petition, on=date(2025, 4, 1))
    strike_off(cast, listing, on=date(2025, 5, 1))
    page = client_for("leader").get(reverse("petitions:petition", args=[petition.pk])).content.decode()
    staff = cast.users["staff"].full_name
    assert f"挂牌</dt><dd>2025-04-01 · {staff}</dd>" in page
    assert f"已销号</dt><dd>2025-05-01 · {staff} · 已解决 · 回访满意" in page
    steps = [(step.action, step.actor, step.opinion) for step in petition.steps.all()]
    assert steps[-2:] == [("list", cast.users["staff"], "包案领导约访"), ("strike_off", cast.users["staff"], "已解决")]
    assert f"{staff} · 挂牌：包案领导约访" in page and f"{staff} · 销号：已解决" in page
