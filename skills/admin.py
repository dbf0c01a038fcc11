from django.contrib import admin

from skills.models import Skill, SkillGroup


class SkillInline(admin.TabularInline):
    model = Skill
    extra = 0
    fields = ["slug", "name", "order", "is_builtin"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SkillGroup)
class SkillGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "is_builtin"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SkillInline]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "group", "order", "is_builtin"]
    list_filter = ["group", "is_builtin"]
    list_select_related = ["group"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
