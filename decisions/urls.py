"""The staff's pages of 五有一化 reporting, under /township-decisions/ (lianjie/urls.py)."""

from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("", views.home, name="home"),
    path("townships/<str:township_code>/new", views.decision_new, name="new"),
    path("reports/<int:pk>/", views.decision, name="decision"),
    path("reports/<int:pk>/edit", views.decision_edit, name="edit"),
    path("reports/<int:pk>/evaluate", views.evaluate, name="evaluate"),
    path("reports/<int:pk>/review", views.review, name="review"),
    path("minutes/<int:pk>", views.minutes, name="minutes"),
    path("counties/<str:county>/rule", views.rule, name="rule"),
    path("counties/<str:county>/<int:year>/", views.decision_list, name="list"),
    path("counties/<str:county>/<int:year>/figures", views.figures, name="figures"),
    path("counties/<str:county>/<int:year>/reports.xlsx", views.export, name="export"),
]
