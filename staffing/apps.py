from django.apps import AppConfig


class StaffingConfig(AppConfig):
    name = "staffing"
    verbose_name = "Staffing and reports"
