"""The filters of the people list (shared by the people page and ``GET people/``) and of ``GET absences/``.

Query parameters (DESIGN §5): ``profession`` (a slug), ``team`` (an id), ``skill`` (a slug) and
``min_level`` (0–5, with ``skill`` only). With a skill, only people rated at least ``min_level`` in
it are kept, ``min_level`` being 1 (awareness) when left out; unrated counts as 0. The API answers
400 for a bad value; the page shows the error beside the field and filters by the valid ones.

The fields carry what the page's form shows (labels, empty choices, the level choices) too.
"""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from people.models import Absence, Person, Team
from people.selectors import rated_at_least
from roles.models import Profession
from skills.models import MAX_LEVEL, MIN_LEVEL, Proficiency, Skill

SKILL_HELP = "A skill's slug: only people rated at least min_level in it."
DEFAULT_MIN_LEVEL = Proficiency.AWARENESS.value
MIN_LEVEL_HELP = (
    f"Needs skill (400 without it): the least level, {MIN_LEVEL}–{MAX_LEVEL} ({DEFAULT_MIN_LEVEL} when left out). "
    "Unrated counts as 0."
)
# On the page, an empty level means the API's default (rated 1 or more); 0 keeps everyone, rated or not.
MIN_LEVEL_CHOICES = [("", "Any rating"), (str(MIN_LEVEL), "Everyone, rated or not")] + [
    (str(level.value), f"{level.value} {level.label} or above") for level in Proficiency if level.value > 0
]


class LevelFilter(filters.Filter):
    field_class = forms.IntegerField


class PersonFilterForm(forms.Form):
    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if cleaned.get("min_level") is not None and cleaned.get("skill") is None and "skill" not in self.errors:
            self.add_error("min_level", "Give the skill too: min_level applies to the skill filter.")
        return cleaned


class PersonFilter(filters.FilterSet):
    # The API's descriptions go to the schema only: as help text, the page's inputs would point to
    # help it does not show.
    profession = extend_schema_field({"type": "string", "description": "A profession's slug."})(
        filters.ModelChoiceFilter(
            queryset=Profession.objects.order_by("order", "name"),
            to_field_name="slug",
            empty_label="Any profession",
            error_messages={"invalid_choice": "There is no profession with this slug."},
        )
    )
    team = extend_schema_field({"type": "integer", "description": "A team's id."})(
        filters.ModelChoiceFilter(
            queryset=Team.objects.order_by("name"),
            empty_label="Any team",
            error_messages={"invalid_choice": "There is no team with this id."},
        )
    )
    skill = extend_schema_field({"type": "string", "description": SKILL_HELP})(
        filters.ModelChoiceFilter(
            queryset=Skill.objects.order_by("group__order", "order", "name"),
            to_field_name="slug",
            method="filter_by_level",
            label="Skill",
            empty_label="Any skill",
            error_messages={"invalid_choice": "There is no skill with this slug."},
        )
    )
    min_level = extend_schema_field(
        {"type": "integer", "minimum": MIN_LEVEL, "maximum": MAX_LEVEL, "description": MIN_LEVEL_HELP}
    )(
        LevelFilter(
            min_value=MIN_LEVEL,
            max_value=MAX_LEVEL,
            method="filter_by_level",
            label="Skill level",
            widget=forms.Select(choices=MIN_LEVEL_CHOICES),
        )
    )

    class Meta:
        model = Person
        fields = ["profession", "team", "skill", "min_level"]
        form = PersonFilterForm

    def filter_by_level(self, queryset: QuerySet[Person], name: str, value: object) -> QuerySet[Person]:
        # skill and min_level act together, in filter_queryset.
        return queryset

    @property
    def skill_level(self) -> tuple[Skill, int] | None:
        """The skill filtered by and the least level kept (``min_level``, 1 when left out), or None
        without a (valid) skill. Call after validating."""
        skill = self.form.cleaned_data.get("skill")
        if skill is None:
            return None
        min_level = self.form.cleaned_data.get("min_level")
        return skill, DEFAULT_MIN_LEVEL if min_level is None else min_level

    def filter_queryset(self, queryset: QuerySet[Person]) -> QuerySet[Person]:
        queryset = super().filter_queryset(queryset)
        if self.skill_level is None:
            return queryset
        skill, min_level = self.skill_level
        return rated_at_least(people=queryset, skill=skill, min_level=min_level)


# --- Absences (``GET absences/``) -------------------------------------------------------------------

# A person filter keeps the rows of that id among those the user may see: an unknown id and a person
# the user may not see both answer an empty list, so the filter tells nobody who exists.
ABSENCE_PERSON_HELP = "A person's id; an id you may not see, or that does not exist, keeps no rows."


class IdFilter(filters.NumberFilter):
    field_class = forms.IntegerField


def active_on_filter(*, help_text: str) -> filters.DateFilter:
    """``?active_on=``: the rows whose ``starts_on``..``ends_on`` covers a day (``DatedRowsFilter``)."""
    return extend_schema_field(OpenApiTypes.DATE)(filters.DateFilter(method="filter_active_on", help_text=help_text))


def updated_since_filter(*, help_text: str) -> filters.IsoDateTimeFilter:
    """``?updated_since=``: the rows changed at or after a time, oldest change first (``DatedRowsFilter``)."""
    return filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte", help_text=help_text)


class DatedRowsFilter(filters.FilterSet):
    """The filters of rows with a date range and an ``updated_at``: ``active_on`` and ``updated_since``."""

    def filter_active_on(self, queryset: QuerySet[Any], name: str, value: object) -> QuerySet[Any]:
        return queryset.filter(starts_on__lte=value, ends_on__gte=value)

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("updated_since"):
            # A client catching up reads changes in the order they happened.
            queryset = queryset.order_by("updated_at", "id")
        return queryset


class AbsenceFilter(DatedRowsFilter):
    person = IdFilter(field_name="person", help_text=ABSENCE_PERSON_HELP)
    team = filters.ModelChoiceFilter(
        field_name="person__team",
        queryset=Team.objects.all(),
        help_text="A team's id: the absences of its people.",
        error_messages={"invalid_choice": "There is no team with this id."},
    )
    active_on = active_on_filter(help_text="Absences covering this day.")
    updated_since = updated_since_filter(
        help_text="Absences recorded or changed at or after this ISO 8601 time, oldest change first."
    )

    class Meta:
        model = Absence
        fields = ["person", "team", "active_on", "updated_since"]
