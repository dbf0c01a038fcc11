from django.contrib import admin

from staffing.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "progress", "requested_by", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["requested_by"]
    readonly_fields = ["status", "progress", "started_at", "finished_at", "error", "result"]
