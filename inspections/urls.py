from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/add/<str:what>", views.round_record, name="round_record"),
    path("rounds/<int:pk>/candidates", views.revisit_candidates, name="candidates"),
    path("rounds/<int:pk>/import", views.findings_import, name="import"),
    path("rounds/<int:pk>/import/confirm", views.findings_import_confirm, name="import_confirm"),
    path("findings/", views.finding_list, name="findings"),
    path("findings/<int:pk>/", views.finding_detail, name="finding"),
    path("findings/<int:pk>/<str:action>", views.finding_action, name="finding_action"),
    path("evidence/<int:pk>", views.evidence_download, name="evidence"),
    path("figures/", views.figures, name="figures"),
]
