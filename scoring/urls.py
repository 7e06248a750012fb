from django.urls import path

from . import views

app_name = "scoring"

urlpatterns = [
    path("", views.result_list, name="results"),
    path("results.xlsx", views.result_export, name="results_export"),
    path("village/<str:code>/", views.checkup_sheet, name="checkup"),
]
