from django import forms

from people.models import Team
from roles.models import Profession
from skills.models import Proficiency, Skill

MIN_LEVEL_CHOICES = [("", "Any level")] + [
    (str(level.value), f"{level.value} {level.label} or above") for level in Proficiency if level.value > 0
]


class PeopleFilterForm(forms.Form):
    """The people list's filters; the names match the API's (``profession``, ``team``, ``skill``, ``min_level``)."""

    profession = forms.ModelChoiceField(
        queryset=Profession.objects.order_by("order", "name"),
        to_field_name="slug",
        required=False,
        empty_label="Any profession",
    )
    team = forms.ModelChoiceField(queryset=Team.objects.order_by("name"), required=False, empty_label="Any team")
    skill = forms.ModelChoiceField(
        queryset=Skill.objects.order_by("group__order", "order", "name"),
        to_field_name="slug",
        required=False,
        empty_label="Any skill",
    )
    min_level = forms.TypedChoiceField(
        label="Skill level",
        choices=MIN_LEVEL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if cleaned.get("min_level") and not cleaned.get("skill"):
            self.add_error("skill", "Choose the skill the level applies to.")
        return cleaned
