from django.urls import path

from . import views

app_name = "results"

# The fixed prefixes first: "filings/5/" is a filing, never the county "filings".
urlpatterns = [
    path("", views.home, name="home"),
    path("points/<int:pk>/edit", views.points_edit, name="points_edit"),
    path("funds/<int:pk>/edit", views.fund_edit, name="fund_edit"),
    path("nominations/<int:pk>/award", views.award_edit, name="award_edit"),
    path("filings/<int:pk>/", views.filing, name="filing"),
    path("filings/<int:pk>/edit", views.filing_edit, name="filing_edit"),
    path("filings/<int:pk>/opinion", views.filing_opinion, name="filing_opinion"),
    path("villages/<str:code>/", views.village, name="village"),
    path("<str:county>/demonstration/", views.awards, name="awards"),
    path("<str:county>/filings/", views.filings, name="filings"),
    path("<str:county>/filings/new", views.filing_new, name="filing_new"),
    path("<str:county>/departments/<int:pk>.xlsx", views.department_export, name="department_export"),
    path("<str:county>/<int:year>/", views.register, name="register"),
    path("<str:county>/<int:year>/points/", views.points, name="points"),
    path("<str:county>/<int:year>/points/new", views.points_new, name="points_new"),
    path("<str:county>/<int:year>/funds/", views.funds, name="funds"),
    path("<str:county>/<int:year>/funds/new", views.fund_new, name="fund_new"),
    path("<str:county>/<int:year>/eligibility/", views.eligibility, name="eligibility"),
    path("<str:county>/<int:year>/eligibility.xlsx", views.eligibility_export, name="eligibility_export"),
    path("<str:county>/<int:year>/rule", views.rule_edit, name="rule_edit"),
]
