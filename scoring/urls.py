from django.urls import path

from . import follow_up_views, objection_views, round_views, views

app_name = "scoring"

urlpatterns = [
    path("", views.result_list, name="results"),
    path("results.xlsx", views.result_export, name="results_export"),
    path("village/<str:code>/", views.checkup_sheet, name="checkup"),
    path("overview/", follow_up_views.overview, name="overview"),
    path("follow-up/<str:township_code>/", follow_up_views.follow_up, name="follow_up"),
    path("follow-up/village/<str:code>/diagnosis", follow_up_views.diagnosis_new, name="diagnosis_new"),
    path("follow-up/village/<str:code>/rectification", follow_up_views.rectification_edit, name="rectification"),
    path("follow-up/village/<str:code>/partner", follow_up_views.pairing_confirm, name="pairing_confirm"),
    path("follow-up/pairs/<int:pairing_id>/visit", follow_up_views.help_visit_new, name="help_visit_new"),
    path("objections/", objection_views.objection_list, name="objections"),
    path("objections/new", objection_views.objection_record, name="objection_record"),
    path("objections/<int:pk>/", objection_views.objection_detail, name="objection"),
    path("objections/<int:pk>/answer", objection_views.objection_answer, name="objection_answer"),
    path("objections/<int:pk>/correct", objection_views.objection_correct, name="objection_correct"),
    path("rounds/", round_views.round_list, name="rounds"),
    path("rounds/<int:pk>/", round_views.round_detail, name="round"),
    path("rounds/<int:pk>/<str:action>/", round_views.round_transition, name="round_transition"),
    path("rounds/<int:pk>/scores.xlsx", round_views.round_export, name="round_export"),
    path("rounds/<int:pk>/import", round_views.round_import, name="round_import"),
    path("rounds/<int:pk>/import/confirm", round_views.round_import_confirm, name="round_import_confirm"),
    path("rounds/<int:pk>/entry/<str:township_code>", round_views.entry_grid, name="entry"),
    path(
        "rounds/<int:pk>/entry/<str:village_code>/<str:indicator_code>",
        round_views.entry_cell,
        name="entry_cell",
    ),
]
