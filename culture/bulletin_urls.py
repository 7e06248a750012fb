from django.urls import path

from . import bulletin_views as views

# Mounted under culture/bulletins/ (culture.urls); the names are in the culture namespace.
urlpatterns = [
    path("", views.bulletin_list, name="bulletins"),
    path("new", views.bulletin_new, name="bulletin_new"),
    path("<int:pk>/", views.bulletin, name="bulletin"),
    path("<int:pk>/edit", views.bulletin_edit, name="bulletin_edit"),
    path("<int:pk>/issue", views.bulletin_issue, name="bulletin_issue"),
    path("<int:pk>/cases/new", views.case_new, name="bulletin_case_new"),
    path("<int:pk>/meetings/<str:township_code>", views.meeting_new, name="bulletin_meeting_new"),
    path("<int:pk>/bulletin.pdf", views.bulletin_download, name="bulletin_pdf"),
    path("cases/<int:pk>/edit", views.case_edit, name="bulletin_case_edit"),
    path("cases/<int:pk>/remove", views.case_remove, name="bulletin_case_remove"),
    path("meetings/<int:year>/", views.meetings, name="bulletin_meetings"),
    path("meetings/<int:year>/meetings.xlsx", views.meetings_export, name="bulletin_meetings_export"),
]
