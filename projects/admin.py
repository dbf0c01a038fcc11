from functools import partial

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from config.admin import ReadOnlyAdmin
from projects.models import (
    Assignment,
    AssignmentChange,
    PhaseTransition,
    Project,
    ProjectTask,
    ProjectTaskSkill,
    ProjectTemplate,
    RoleSlot,
    SlotRequirement,
    TemplateSlot,
    TemplateTask,
    TemplateTaskSkill,
)
from projects.tasks import refresh_unfilled_fte


class TemplateTaskInline(admin.TabularInline):
    model = TemplateTask
    extra = 0
    fields = ["phase", "profession", "title", "order"]
    show_change_link = True


class TemplateSlotInline(admin.TabularInline):
    model = TemplateSlot
    extra = 0


@admin.register(ProjectTemplate)
class ProjectTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_builtin"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TemplateTaskInline, TemplateSlotInline]


class TemplateTaskSkillInline(admin.TabularInline):
    model = TemplateTaskSkill
    extra = 0


@admin.register(TemplateTask)
class TemplateTaskAdmin(admin.ModelAdmin):
    list_display = ["title", "template", "phase", "profession"]
    list_filter = ["template", "phase", "profession"]
    list_select_related = ["template", "profession"]
    inlines = [TemplateTaskSkillInline]


class PhaseTransitionInline(admin.TabularInline):
    model = PhaseTransition
    extra = 0
    readonly_fields = ["from_phase", "to_phase", "moved_by", "moved_at", "note"]

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


class RoleSlotInline(admin.TabularInline):
    model = RoleSlot
    extra = 0
    fields = ["profession", "title", "fte", "starts_on", "ends_on", "unfilled_fte", "closed_at"]
    # As on the slot's own page: FTE and dates change through the pages or the API.
    readonly_fields = ["fte", "starts_on", "ends_on", "unfilled_fte"]
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "template", "phase", "starts_on", "ends_on"]
    list_filter = ["phase", "template"]
    list_select_related = ["template"]
    search_fields = ["name"]
    # Phase moves go through the product so that each one is recorded.
    readonly_fields = ["phase"]
    inlines = [RoleSlotInline, PhaseTransitionInline]


class ProjectTaskSkillInline(admin.TabularInline):
    model = ProjectTaskSkill
    extra = 0


@admin.register(ProjectTask)
class ProjectTaskAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "phase", "profession"]
    list_filter = ["phase", "profession"]
    list_select_related = ["project", "profession"]
    inlines = [ProjectTaskSkillInline]


class SlotRequirementInline(admin.TabularInline):
    model = SlotRequirement
    extra = 0
    autocomplete_fields = ["skill"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ("person", "starts_on", "ends_on", "allocation", "status")
    # Assignments change through the product, which checks capacity and keeps the audit trail.
    readonly_fields = fields

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(RoleSlot)
class RoleSlotAdmin(admin.ModelAdmin):
    list_display = ["__str__", "project", "profession", "fte", "unfilled_fte", "starts_on", "ends_on"]
    list_filter = ["profession", "project"]
    list_select_related = ["project", "profession"]
    inlines = [SlotRequirementInline, AssignmentInline]
    actions = ["recompute_unfilled_fte"]

    def get_readonly_fields(self, request: HttpRequest, obj: RoleSlot | None = None) -> list[str]:
        """FTE and dates change through the pages or the API, which keep the assignments inside the
        slot and ``unfilled_fte`` and ``overfilled`` current; the admin only sets them on a new slot."""
        derived = ["unfilled_fte", "overfilled"]
        return derived if obj is None else ["fte", "starts_on", "ends_on", *derived]

    @admin.action(description="Recompute unfilled FTE in the background")
    def recompute_unfilled_fte(self, request: HttpRequest, queryset: QuerySet[RoleSlot]) -> None:
        slot_ids = list(queryset.values_list("pk", flat=True))
        for slot_id in slot_ids:
            transaction.on_commit(partial(refresh_unfilled_fte.delay, slot_id=slot_id))
        self.message_user(request, f"Queued {len(slot_ids)} slot(s) for recomputation.", messages.SUCCESS)


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    """Read-only: assignments change through the product so capacity is checked and changes audited."""

    list_display = ["person", "slot", "starts_on", "ends_on", "allocation", "status", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["person", "slot__project", "slot__profession"]
    search_fields = ["person__name", "slot__project__name"]


@admin.register(AssignmentChange)
class AssignmentChangeAdmin(ReadOnlyAdmin):
    list_display = ["assignment_id", "action", "person", "project", "changed_by", "changed_at"]
    list_filter = ["action"]
    list_select_related = ["person", "project", "changed_by"]


@admin.register(PhaseTransition)
class PhaseTransitionAdmin(ReadOnlyAdmin):
    list_display = ["project", "from_phase", "to_phase", "moved_by", "moved_at"]
    list_select_related = ["project", "moved_by"]


@admin.register(TemplateSlot)
class TemplateSlotAdmin(admin.ModelAdmin):
    list_display = ["template", "profession", "fte"]
    list_select_related = ["template", "profession"]


@admin.register(TemplateTaskSkill)
class TemplateTaskSkillAdmin(admin.ModelAdmin):
    list_display = ["task", "skill", "level"]
    list_select_related = ["task", "skill"]


@admin.register(ProjectTaskSkill)
class ProjectTaskSkillAdmin(admin.ModelAdmin):
    list_display = ["task", "skill", "level"]
    list_select_related = ["task", "skill"]


@admin.register(SlotRequirement)
class SlotRequirementAdmin(admin.ModelAdmin):
    list_display = ["slot", "skill", "level", "weight"]
    list_select_related = ["slot__project", "slot__profession", "skill"]
