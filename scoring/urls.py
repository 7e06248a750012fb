from django.urls import path

from . import round_views, views

app_name = "scoring"

urlpatterns = [
    path("", views.result_list, name="results"),
    path("results.xlsx", views.result_export, name="results_export"),
    path("village/<str:code>/", views.checkup_sheet, name="checkup"),
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
