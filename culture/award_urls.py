"""The staff's pages of the 十大评选, under /culture/awards/ (lianjie/urls.py)."""

from django.urls import path

from . import award_views as views

app_name = "awards"

urlpatterns = [
    path("", views.contests, name="contests"),
    path("new", views.contest_new, name="contest_new"),
    path("<int:pk>/", views.contest, name="contest"),
    path("<int:pk>/nominate/<str:township_code>/", views.nominate, name="nominate"),
    path("<int:pk>/<str:action>", views.contest_action, name="contest_action"),
    path("nominations/<int:pk>/", views.nomination, name="nomination"),
    path("nominations/<int:pk>/<str:action>", views.nomination_action, name="nomination_action"),
]
