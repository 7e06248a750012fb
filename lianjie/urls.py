from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", include("public.urls")),
    # The index's objection form and receipt page: public addresses, written by scoring (the public app only reads).
    path("", include("scoring.objection_urls")),
    # The 十大评选's public vote and published ten: public addresses, written by culture (a vote is a write).
    path("awards/", include("culture.award_public_urls")),
    # The major decisions townships made public (五有一化): public addresses, written by decisions.
    path("decisions/", include("decisions.public_urls")),
    path("healthz", views.healthz, name="healthz"),
    path("workspace/", views.workspace, name="workspace"),
    path("accounts/", include("accounts.urls")),
    path("villages/", include("villages.urls")),
    path("scoring/", include("scoring.urls")),
    path("star-rating/", include("stars.urls")),
    path("reports/", include("reports.urls")),
    path("inspections/", include("inspections.urls")),
    path("petitions/", include("petitions.urls")),
    path("city/", include("cities.urls")),
    path("culture/awards/", include("culture.award_urls")),
    path("culture/", include("culture.urls")),
    path("work-plan/", include("workplan.urls")),
    path("results/", include("results.urls")),
    path("township-decisions/", include("decisions.urls")),
    path("my-village/", include("villagers.urls")),
    path("audit/", include("audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/login/", views.admin_login),
    path("admin/", admin.site.urls),
]
