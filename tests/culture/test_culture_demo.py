from datetime import date

from accounts.roles import Role
from culture.demo import seed_culture
from culture.models import Lecturer, LectureSession
from culture.selectors import county_figures

from ..factories import TownshipFactory, UserFactory, VillageFactory


def test_the_demo_leaves_one_township_without_sessions_and_coverage_incomplete_and_runs_once(cast):
    township_c = TownshipFactory(code="331004003", district=cast.township_a.district)
    for number in range(2, 9):
        VillageFactory(township=cast.township_a, code=f"3310040012{number:02}")
    staff = cast.users["staff"]
    secretaries = {cast.township_a.pk: cast.users["secretary_a"], cast.township_b.pk: cast.users["secretary_b"]}
    today = date(2025, 11, 1)
    assert seed_culture(district=staff.district, staff=staff, secretaries=secretaries, today=today) == 3
    assert seed_culture(district=staff.district, staff=staff, secretaries=secretaries, today=today) == 0
    assert Lecturer.objects.count() == 5
    assert LectureSession.objects.filter(township=township_c).count() == 0
    [county] = county_figures(UserFactory(role=Role.COMMISSION_LEADER, district=staff.district), 2025)
    assert (county.held, len(county.townships)) == (2, 3)
    assert 0 < county.posts_present < county.posts_total
