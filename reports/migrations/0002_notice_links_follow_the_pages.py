"""The pages of the analysis reports moved from /scoring/reports/ to /reports/: notices already in an
inbox open the page at its new address."""

from django.db import migrations

from core.migrating import notice_links_moved


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial"), ("accounts", "0007_historicaluser_password_reset_at_and_more")]

    operations = [
        migrations.RunPython(
            notice_links_moved("/scoring/reports/", "/reports/"),
            notice_links_moved("/reports/", "/scoring/reports/"),
        )
    ]
