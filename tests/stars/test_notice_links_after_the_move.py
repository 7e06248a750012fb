"""Notices sent before the star-rating and report pages moved open those pages at their new address."""

import importlib

from django.apps import apps
from django.urls import reverse

from accounts.models import Notice

from ..star_helpers import filed


def run(app: str) -> None:
    migration = importlib.import_module(f"{app}.migrations.0002_notice_links_follow_the_pages")
    migration.Migration.operations[0].code(apps, None)


def test_a_star_notice_sent_before_the_move_opens_the_application(cast, client_for):
    application = filed(cast, 3)
    old = Notice.objects.create(
        user=cast.users["secretary_a"], text="旧通知", link=f"/scoring/stars/{application.pk}/", key="old"
    )
    other = Notice.objects.create(user=cast.users["staff"], text="别的", link="/scoring/rounds/", key="other")
    run("stars")
    old.refresh_from_db()
    other.refresh_from_db()
    assert (old.link, other.link) == (reverse("stars:application", args=[application.pk]), "/scoring/rounds/")
    assert client_for("secretary_a").get(old.link).status_code == 200


def test_a_report_notice_sent_before_the_move_opens_the_report_list(cast):
    old = Notice.objects.create(user=cast.users["staff"], text="旧通知", link="/scoring/reports/?year=2025", key="old")
    run("reports")
    old.refresh_from_db()
    assert old.link == reverse("reports:list") + "?year=2025"
