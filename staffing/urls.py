from django.urls import path

from staffing import views

urlpatterns = [
    path("projects/<int:pk>/suggest-team/", views.team_suggestion, name="team_suggestion"),
    path("projects/<int:pk>/suggest-team/apply/", views.team_apply, name="team_apply"),
    path("projects/<int:pk>/slots/<int:slot_id>/", views.slot_detail, name="slot_detail"),
    path("", views.dashboard, name="dashboard"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_request, name="report_request"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/progress/", views.report_progress, name="report_progress"),
    path("reports/<int:pk>/run-again/", views.report_run_again, name="report_run_again"),
    path("reports/<int:pk>/export.csv", views.report_export, {"file_format": "csv"}, name="report_export_csv"),
    path("reports/<int:pk>/export.xlsx", views.report_export, {"file_format": "xlsx"}, name="report_export_xlsx"),
]
