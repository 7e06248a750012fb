from django.urls import path

from . import views

app_name = "workplan"

# The fixed prefixes first: "tasks/5/" is a task, never the county "tasks".
urlpatterns = [
    path("", views.home, name="home"),
    path("areas/<int:pk>/new-task", views.task_new, name="task_new"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("tasks/<int:pk>/edit", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/progress", views.task_progress, name="task_progress"),
    path("evidence/<int:pk>", views.evidence_download, name="evidence"),
    path("<str:county>/<int:year>/", views.plan, name="plan"),
    path("<str:county>/<int:year>/create", views.plan_create, name="plan_create"),
    path("<str:county>/<int:year>/print", views.plan_print, name="plan_print"),
    path("<str:county>/<int:year>/tasks.xlsx", views.plan_export, name="plan_export"),
]
