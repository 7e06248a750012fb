from django.urls import path

from . import views

app_name = "cities"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:year>/", views.comparison, name="comparison"),
    path("<int:year>/comparison.xlsx", views.comparison_export, name="comparison_export"),
    path("five/", views.schedule_current, name="schedule_current"),
    path("five/mine/", views.mine, name="mine"),
    path("five/<int:year>/", views.schedule, name="schedule"),
    path("five/<int:year>/create", views.programme_create, name="programme_create"),
    path("five/<int:year>/schedule.xlsx", views.schedule_export, name="schedule_export"),
    path("five/<int:year>/<str:county>/", views.county, name="county"),
    path("five/<int:year>/<str:county>/visit", views.visit_new, name="visit_new"),
    path("steps/<int:pk>/", views.step, name="step"),
    path("steps/<int:pk>/due", views.step_due, name="step_due"),
    path("steps/<int:pk>/<str:action>", views.step_action, name="step_action"),
    path("problems/<int:pk>/rectified", views.problem_rectified, name="problem_rectified"),
    path("evidence/<int:pk>", views.evidence_download, name="evidence"),
]
