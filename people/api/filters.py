from django import forms
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from people.models import Person, Team
from people.selectors import rated_at_least
from roles.models import Profession
from skills.models import MAX_LEVEL, MIN_LEVEL, Proficiency, Skill

SKILL_HELP = "A skill's slug: only people rated at least min_level in it."
MIN_LEVEL_HELP = (
    f"With skill: the least level, {MIN_LEVEL}–{MAX_LEVEL} ({Proficiency.AWARENESS.value} when left out). "
    "Unrated counts as 0."
)


class LevelFilter(filters.Filter):
    field_class = forms.IntegerField


class PersonFilterForm(forms.Form):
    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if cleaned.get("min_level") is not None and cleaned.get("skill") is None and "skill" not in self.errors:
            self.add_error("min_level", "Give the skill too: min_level applies to the skill filter.")
        return cleaned


class PersonFilter(filters.FilterSet):
    profession = filters.ModelChoiceFilter(
        queryset=Profession.objects.all(),
        to_field_name="slug",
        help_text="A profession's slug.",
        error_messages={"invalid_choice": "There is no profession with this slug."},
    )
    team = filters.ModelChoiceFilter(
        queryset=Team.objects.all(),
        help_text="A team's id.",
        error_messages={"invalid_choice": "There is no team with this id."},
    )
    skill = extend_schema_field({"type": "string", "description": SKILL_HELP})(
        filters.ModelChoiceFilter(
            queryset=Skill.objects.all(),
            to_field_name="slug",
            method="filter_by_level",
            help_text=SKILL_HELP,
            error_messages={"invalid_choice": "There is no skill with this slug."},
        )
    )
    min_level = extend_schema_field(
        {"type": "integer", "minimum": MIN_LEVEL, "maximum": MAX_LEVEL, "description": MIN_LEVEL_HELP}
    )(LevelFilter(min_value=MIN_LEVEL, max_value=MAX_LEVEL, method="filter_by_level", help_text=MIN_LEVEL_HELP))

    class Meta:
        model = Person
        fields = ["profession", "team", "skill", "min_level"]
        form = PersonFilterForm

    def filter_by_level(self, queryset: QuerySet[Person], name: str, value: object) -> QuerySet[Person]:
        # skill and min_level act together, in filter_queryset.
        return queryset

    def filter_queryset(self, queryset: QuerySet[Person]) -> QuerySet[Person]:
        queryset = super().filter_queryset(queryset)
        skill = self.form.cleaned_data.get("skill")
        if skill is None:
            return queryset
        min_level = self.form.cleaned_data.get("min_level")
        return rated_at_least(
            queryset, skill=skill, min_level=Proficiency.AWARENESS.value if min_level is None else min_level
        )
