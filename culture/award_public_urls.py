"""The public side of the 十大评选 (the vote and the published ten), on the public site's addresses under
/awards/ (lianjie/urls.py): a vote writes, so these pages live in culture, not in the public app."""

from django.urls import path

from . import award_views as views

app_name = "awards_public"

urlpatterns = [
    path("", views.public_contests, name="index"),
    path("<int:pk>/", views.public_contest, name="contest"),
    path("<int:pk>/vote/<int:nomination_pk>", views.vote, name="vote"),
    path("photos/<int:pk>", views.photo, name="photo"),
]
