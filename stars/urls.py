from django.urls import path

from . import views

app_name = "stars"

urlpatterns = [
    path("", views.star_list, name="list"),
    path("townships/", views.subject_list, {"subject": "township"}, name="townships"),
    path("stations/", views.subject_list, {"subject": "station"}, name="stations"),
    path("apply/<str:code>/", views.application_edit, name="apply"),
    path("apply/township/<str:township_code>/", views.township_apply, name="apply_township"),
    path("apply/station/<int:pk>/", views.station_apply, name="apply_station"),
    path("<int:pk>/", views.application_detail, name="application"),
    path("<int:pk>/plan", views.improvement_plan, name="plan"),
    path("<int:pk>/<str:action>", views.application_action, name="action"),
    path("objections/<int:pk>/answer", views.objection_answer, name="objection_answer"),
    path("evidence/<int:pk>", views.attachment_download, name="attachment"),
    path("veto-hits/", views.veto_hit_list, name="veto_hits"),
    path("veto-hits/<int:pk>/strip", views.veto_hit_strip, name="veto_hit_strip"),
    path("veto-hits/<int:pk>/dismiss", views.veto_hit_dismiss, name="veto_hit_dismiss"),
    path("pilot/<int:year>/<str:county>/", views.pilot, name="pilot"),
]
