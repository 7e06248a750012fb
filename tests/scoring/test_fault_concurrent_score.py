"""Two commission staff saving the same score at the same moment, through gunicorn's two worker
processes on PostgreSQL: one save wins, the other is told and shown what is saved now and what it typed;
no save is lost silently. Repeated, so that the two requests really meet in the database."""

import threading
from decimal import Decimal
from functools import partial

import pytest

from scoring.models import Score

from ..factories import PASSWORD, UserFactory
from ..live_services import Session, gunicorn, record_measurement
from ..scoring.test_round_pages import cell_url

pytestmark = [pytest.mark.services, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 8
STALE = "已被他人修改"


def test_of_two_simultaneous_saves_one_wins_and_the_other_is_told(cast, grid_round, settings):
    UserFactory(username="staff2", role=cast.users["staff"].role)
    url = cell_url(grid_round, cast.village_a)
    score = Score.objects.get(round=grid_round, village=cast.village_a, indicator__code="MF4")
    with gunicorn(settings.REDIS_URL, workers=2) as (base, _server):
        editors = {"staff": Session(base), "staff2": Session(base)}
        for username, session in editors.items():
            session.sign_in(username, PASSWORD)
        typed = {"staff": ("4", "甲：公款吃喝"), "staff2": ("3", "乙：红白喜事")}
        for attempt in range(ATTEMPTS):
            version = Score.objects.get(pk=score.pk).version
            forms = {
                name: {"points": points, "reason": f"{reason}{attempt}", "version": version}
                for name, (points, reason) in typed.items()
            }
            answers = _at_once({name: partial(editors[name].post, url, forms[name]) for name in editors})
            told = {name for name, (status, _headers, body) in answers.items() if STALE in body}
            assert all(status == 200 for status, _headers, _body in answers.values())
            assert len(told) == 1, f"attempt {attempt}: both or neither were told"
            loser = told.pop()
            winner = next(name for name in editors if name != loser)
            saved = Score.objects.get(pk=score.pk)
            assert saved.version == version + 1 and saved.points == Decimal(typed[winner][0])
            assert saved.reason == f"{typed[winner][1]}{attempt}"
            body = answers[loser][2]
            assert f"现为{saved.points}" in body and f"由{saved.updated_by}于" in body  # what is saved, and by whom
            assert f"{typed[loser][1]}{attempt}" in body  # what the loser typed is shown, not dropped
    changes = Score.history.filter(id=score.pk, history_type="~").count()
    assert changes == ATTEMPTS  # one recorded change per attempt: the winner's
    record_measurement("two_staff_save_the_same_score", attempts=ATTEMPTS, lost_silently=0)


def _at_once(calls: dict) -> dict:
    """Runs the calls in threads released together; returns their results by name."""
    barrier = threading.Barrier(len(calls))
    results = {}

    def run(name, call):
        barrier.wait()
        results[name] = call()

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
