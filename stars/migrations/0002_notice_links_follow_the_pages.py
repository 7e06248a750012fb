"""The staff pages of the star rating moved from /scoring/stars/ to /star-rating/: notices already in an
inbox open the page at its new address."""

from django.db import migrations

from core.migrating import notice_links_moved


class Migration(migrations.Migration):
    dependencies = [("stars", "0001_initial"), ("accounts", "0007_historicaluser_password_reset_at_and_more")]

    operations = [
        migrations.RunPython(
            notice_links_moved("/scoring/stars/", "/star-rating/"),
            notice_links_moved("/star-rating/", "/scoring/stars/"),
        )
    ]
