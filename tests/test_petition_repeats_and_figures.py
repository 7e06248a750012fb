"""Repeat petitions (重信重访) proposed from the earlier cases, 挂牌 and 销号 (only with evidence), the
closure rate, and the figures with 同比 against hand-computed values."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from petitions import services
from petitions.selectors import figures

from .factories import VillageFactory
from .petition_helpers import accepted, concluded, register

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


def list_case(cast, petition, deadline=date(2025, 6, 30)):
    return services.case_list(
        petition=petition,
        acting_user=cast.users["staff"],
        leader=cast.users["leader"],
        unit="路桥街道党工委",
        measures="包案领导约访",
        deadline=deadline,
        on=date(2025, 4, 1),
    )


def test_striking_off_needs_evidence_and_the_closure_rate_follows(cast):
    first = list_case(cast, register(cast, received_on=date(2025, 2, 1)))
    second = list_case(cast, register(cast, received_on=date(2025, 2, 2)))
    list_case(cast, register(cast, received_on=date(2025, 2, 3)))
    with pytest.raises(ValidationError) as error:
        services.case_strike_off(
            listing=first,
            acting_user=cast.users["staff"],
            resolution="已解决",
            verification="回访满意",
            on=date(2025, 5, 1),
        )
    assert error.value.code == "evidence"
    for listing in (first, second):
        services.case_strike_off(
            listing=listing,
            acting_user=cast.users["staff"],
            resolution="已解决",
            verification="回访满意",
            uploads=[SimpleUploadedFile("销号.pdf", PDF)],
            on=date(2025, 5, 1),
        )
    result = figures(date(2025, 1, 1), date(2025, 12, 31))
    assert (result.struck_off, result.listed, result.closure_rate) == (2, 3, Decimal("66.7"))
    assert result.by_leader == [(cast.users["leader"].full_name, 3, 2)]


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
