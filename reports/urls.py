from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("build", views.report_build, name="build"),
    path("batches/<int:pk>", views.batch_progress, name="progress"),
    path("text/<str:township_code>/<int:year>/", views.report_text, name="text"),
    path("<int:pk>.pdf", views.report_download, name="download"),
    path("city/", views.city_report_list, name="city"),
    path("city/build", views.city_report_build, name="city_build"),
    path("city/<int:pk>.pdf", views.city_report_download, name="city_download"),
]
