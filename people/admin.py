from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from config.admin import ReadOnlyAdmin
from config.errors import RuleError
from people.capacity import check_capacity_change
from people.models import (
    Certification,
    CertificationType,
    Closure,
    Person,
    SkillRating,
    SkillRatingChange,
    Team,
)


class SkillRatingInline(admin.TabularInline):
    model = SkillRating
    extra = 0
    fields = ("skill", "level", "source", "rated_by", "rated_at")
    # Ratings change through the product, which keeps the history of every change.
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class CertificationInline(admin.TabularInline):
    model = Certification
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "lead"]
    list_select_related = ["lead"]
    search_fields = ["name"]
    autocomplete_fields = ["lead"]


class PersonAdminForm(forms.ModelForm):
    """A person in the admin: a lowered capacity must still hold their confirmed load, as everywhere."""

    class Meta:
        model = Person
        fields = ["user", "name", "email", "profession", "team", "capacity_fte"]

    def clean_capacity_fte(self) -> Decimal:
        capacity: Decimal = self.cleaned_data["capacity_fte"]
        if self.instance.pk is None:
            return capacity
        # The admin saves in the transaction it validates in, so this lock holds until the save.
        # Lock order (projects.services): the person alone.
        person = Person.objects.select_for_update().get(pk=self.instance.pk)
        try:
            check_capacity_change(person=person, capacity_fte=capacity)
        except RuleError as refused:
            raise ValidationError(refused.message, code="over_capacity") from refused
        return capacity


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    form = PersonAdminForm
    list_display = ["name", "profession", "team", "capacity_fte", "user"]
    list_filter = ["profession", "team"]
    list_select_related = ["profession", "team", "user"]
    search_fields = ["name", "email"]
    autocomplete_fields = ["user", "team"]
    inlines = [SkillRatingInline, CertificationInline]


@admin.register(SkillRatingChange)
class SkillRatingChangeAdmin(ReadOnlyAdmin):
    """The rating audit trail: read-only, since history is never rewritten."""

    list_display = ["person", "skill", "from_level", "to_level", "source", "changed_by", "changed_at"]
    list_filter = ["source", "skill"]
    list_select_related = ["person", "skill", "changed_by"]
    search_fields = ["person__name"]

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(CertificationType)
class CertificationTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "obtained_on", "expires_on"]
    list_filter = ["kind"]
    list_select_related = ["person", "kind"]
    search_fields = ["person__name"]


@admin.register(SkillRating)
class SkillRatingAdmin(ReadOnlyAdmin):
    """Read-only: ratings change through the product, which records each change."""

    list_display = ["person", "skill", "level", "source", "rated_by", "rated_at"]
    list_filter = ["source", "skill"]
    list_select_related = ["person", "skill", "rated_by"]
    search_fields = ["person__name"]


@admin.register(Closure)
class ClosureAdmin(ReadOnlyAdmin):
    """Closures are added and removed on the holidays page or through the API, where a day that is
    already a holiday is refused and every removal is logged with who."""

    list_display = ["date", "name", "created_by", "created_at"]
    list_select_related = ["created_by"]
    date_hierarchy = "date"
