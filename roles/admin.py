from django.contrib import admin

from roles.models import Profession, SpectrumLevel


class SpectrumLevelInline(admin.TabularInline):
    model = SpectrumLevel
    extra = 0
    autocomplete_fields = ["skill"]


@admin.register(Profession)
class ProfessionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "is_builtin"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    inlines = [SpectrumLevelInline]


@admin.register(SpectrumLevel)
class SpectrumLevelAdmin(admin.ModelAdmin):
    list_display = ["profession", "skill", "level"]
    list_filter = ["profession", "skill"]
    list_select_related = ["profession", "skill"]
