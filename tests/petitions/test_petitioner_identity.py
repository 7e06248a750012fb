"""The petitioner's identity (检举控告工作规则 第四十七条): a unique canary identity appears in no list,
search result, export, log, Celery message, admin page or error page, is not in plain text anywhere in
the database, and is shown on one page, to the petition office, with an audit row."""

import logging
import zipfile
from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from core.spreadsheets import XLSX_CONTENT_TYPE
from petitions import tasks

from ..conftest import sign_in
from ..petition_helpers import register

CANARY_NAME = "甄信访KQ7X"
CANARY_PHONE = "13912345678"


@pytest.fixture
def case(cast):
    return register(cast, identity=CANARY_NAME, contact=CANARY_PHONE)


def assert_no_canary(text: str, where: str) -> None:
    assert CANARY_NAME not in text and CANARY_PHONE not in text, f"the petitioner leaked into {where}"


def page_text(response) -> str:
    """The page's text, or for an xlsx every part of the workbook."""
    if response["Content-Type"] != XLSX_CONTENT_TYPE:
        return response.content.decode()
    with zipfile.ZipFile(BytesIO(response.content)) as workbook:
        return " ".join(workbook.read(name).decode(errors="ignore") for name in workbook.namelist())


def test_nothing_but_the_identity_page_shows_the_petitioner(cast, case, client_for, caplog):
    caplog.set_level(logging.DEBUG)
    for role in ("petition", "staff", "leader"):
        client = client_for(role)
        for url in (
            reverse("petitions:list"),
            reverse("petitions:list") + "?q=山林",
            reverse("petitions:list") + "?format=xlsx",
            reverse("petitions:petition", args=[case.pk]),
            reverse("petitions:due"),
            reverse("petitions:figures"),
            reverse("accounts:notices"),
        ):
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            assert_no_canary(page_text(response), f"{role} {url}")
    # The identity is not searchable: asking for it finds nothing.
    search = client_for("petition").get(reverse("petitions:list"), {"q": CANARY_NAME})
    assert len(search.context["page"]) == 0
    assert_no_canary(caplog.text, "the log")


def test_the_identity_page_is_for_the_petition_office_and_audited(cast, case, client_for):
    before = AuditEvent.objects.count()
    page = client_for("petition").get(reverse("petitions:identity", args=[case.pk]))
    assert CANARY_NAME in page.content.decode() and CANARY_PHONE in page.content.decode()
    assert page["Cache-Control"].startswith("no-store") or "no-store" in page["Cache-Control"]
    read = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() > before and read.data.get("what") == "petitioner identity"
    assert read.actor == cast.users["petition"]
    assert_no_canary(str(AuditEvent.objects.values_list("data", "target_repr")), "the audit log")
    for role in ("staff", "leader"):
        assert client_for(role).get(reverse("petitions:identity", args=[case.pk])).status_code == 403
    assert client_for("secretary_a").get(reverse("petitions:identity", args=[case.pk])).status_code == 404


def test_the_database_holds_no_plain_identity(cast, case):
    with connection.cursor() as cursor:
        for table in (
            "petitions_petition",
            "petitions_historicalpetition",
            "petitions_petitionstep",
            "audit_auditevent",
        ):
            cursor.execute(f"SELECT * FROM {table}")
            for row in cursor.fetchall():
                assert_no_canary(" ".join(str(value) for value in row), f"table {table}")
    assert case.identity_ciphertext and CANARY_NAME not in case.identity_ciphertext


def test_the_admin_and_error_pages_never_show_it(cast, case, client_for, settings, monkeypatch):
    admin = client_for("sysadmin")
    assert admin.get("/admin/petitions/petition/").status_code == 404  # cases are not in the admin at all
    assert_no_canary(admin.get("/admin/").content.decode(), "the admin index")

    # A server error while the petition office looks at the case: the 500 page shows nothing of it.
    def broken(*args, **kwargs):
        raise RuntimeError(f"failure while showing case {case.pk}")

    monkeypatch.setattr("petitions.views._forms_for", broken)
    settings.DEBUG = False
    client = sign_in(Client(raise_request_exception=False), cast.users["petition"])
    client.get(reverse("petitions:identity", args=[case.pk]))  # the identity was read in this session
    response = client.get(reverse("petitions:petition", args=[case.pk]))
    assert response.status_code == 500
    assert_no_canary(response.content.decode(errors="ignore"), "the error page")


def test_the_overdue_job_carries_nothing_of_the_petitioner(cast, case):
    """The daily job's message has no argument and its result is a count."""
    message = tasks.mark_overdue.signature()
    assert message.args == () and message.kwargs == {}
    result = tasks.mark_overdue()
    assert isinstance(result, int)
    assert_no_canary(repr(message) + repr(result), "the Celery message")
