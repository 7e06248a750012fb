"""The PostgreSQL connection dropped in the middle of an import (after the rows were written, before the
commit): nothing of the import is committed, the user is told in Chinese, and uploading again works."""

from decimal import Decimal

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse

from audit.models import AuditEvent, EventType
from scoring import importer
from scoring.models import Score

from ..live_services import database_url
from ..scoring.test_round_pages import xlsx
from ..scoring_helpers import fill_scores, make_round

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LOST = "导入过程中与数据库的连接中断，未导入任何数据。请重新上传。"


def terminate_own_backend() -> None:
    """What a restarted server or a cut network does to the session: end it from another connection."""
    pid = connection.connection.get_backend_pid()
    with psycopg2.connect(database_url()) as other, other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()


def test_an_import_cut_off_by_the_database_writes_nothing_and_can_be_repeated(cast, client_for, monkeypatch):
    round_ = make_round()
    fill_scores(round_, cast.village_a, "100")
    sheet = [
        ["code", "name", "MF4", "MF4 理由", "CW2", "CW2 理由"],
        [cast.village_a.code, "石曲村", 3, "大操大办", 2, "坐支"],
    ]
    before = list(Score.objects.order_by("pk").values_list("pk", "points", "version"))
    history_before = Score.history.count()
    client = client_for("staff")
    upload, confirm = (
        reverse(name, args=[round_.pk]) for name in ("scoring:round_import", "scoring:round_import_confirm")
    )

    real_update = importer.bulk_update_with_history

    def update_then_lose_the_connection(*args, **kwargs):
        written = real_update(*args, **kwargs)
        terminate_own_backend()
        return written

    monkeypatch.setattr(importer, "bulk_update_with_history", update_then_lose_the_connection)
    preview = client.post(upload, {"file": xlsx(sheet)})
    response = client.post(confirm, {"token": preview.context["token"]})

    assert response.status_code == 302 and response["Location"] == upload
    assert LOST in client.get(upload).content.decode()
    assert list(Score.objects.order_by("pk").values_list("pk", "points", "version")) == before
    assert Score.history.count() == history_before
    assert not AuditEvent.objects.filter(event_type=EventType.IMPORTED).exists()

    monkeypatch.setattr(importer, "bulk_update_with_history", real_update)
    preview = client.post(upload, {"file": xlsx(sheet)})
    assert client.post(confirm, {"token": preview.context["token"]}).status_code == 302
    imported = Score.objects.filter(round=round_, village=cast.village_a, indicator__code__in=["MF4", "CW2"])
    assert sorted(imported.values_list("points", flat=True)) == [Decimal("2"), Decimal("3")]
    assert AuditEvent.objects.filter(event_type=EventType.IMPORTED).count() == 1
