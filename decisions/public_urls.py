"""The public summary of the major decisions townships made public, on the public site's addresses under
/decisions/ (lianjie/urls.py); the staff's pages are apart, under /township-decisions/."""

from django.urls import path

from . import public_views as views

app_name = "decisions_public"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:county>/<int:year>/", views.county, name="county"),
]
