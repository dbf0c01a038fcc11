"""The staffing pages' forms. They read input into Python values; the services decide what is allowed.

A service refuses bad input with a ``ValidationError`` naming fields, which ``add_service_errors``
puts back on the form beside the inputs it concerns.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from people.models import CertificationType, Person
from projects.models import PHASE_ORDER, WORKING_PHASES, AssignmentStatus, Phase
from projects.services import Requirements
from roles.models import Profession
from skills.models import Proficiency, Skill
from ui.forms import DateInput
from ui.forms import add_service_errors as put_service_errors

LEVEL_CHOICES = [(level.value, f"{level.value} {level.label}") for level in Proficiency]
DEFAULT_WEIGHT = Decimal("1")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's field errors on ``form``; errors about fields the form lacks go on top of it.

    Requirement errors name their skill first ("statistics: level must be …"), so they land on that
    skill's level when the form has it.
    """

    def place(field: str, message: str) -> tuple[str | None, str]:
        slug, _, rest = message.partition(": ")
        if field == "requirements" and f"level_{slug}" in form.fields:
            return f"level_{slug}", rest[:1].upper() + rest[1:]
        return field, message

    put_service_errors(form, error, place=place)


class PhaseMoveForm(forms.Form):
    to = forms.ChoiceField(choices=[(phase, Phase(phase).label) for phase in PHASE_ORDER])
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the project moves; needed to move back.",
    )


@dataclass(frozen=True)
class RequirementRow:
    skill: Skill
    level: forms.BoundField
    weight: forms.BoundField


class SlotForm(forms.Form):
    """A role slot: what it asks for, when, and the level and weight of every skill of the catalogue.

    Without ``editing`` the form asks for the profession too (a slot keeps its profession for good).
    """

    profession = forms.ModelChoiceField(
        queryset=Profession.objects.order_by("order", "name"), to_field_name="slug", empty_label=None
    )
    title = forms.CharField(
        required=False, max_length=200, help_text="Optional. Without one, the slot is named after its profession."
    )
    phases = forms.MultipleChoiceField(
        label="Needed in phases",
        choices=[(phase, Phase(phase).label) for phase in WORKING_PHASES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one phase."},
    )
    fte = forms.DecimalField(
        label="FTE",
        max_digits=3,
        decimal_places=2,
        help_text="The share of a full-time post, from 0.10 to 1.00.",
        widget=forms.NumberInput(attrs={"step": "0.05", "min": "0.1", "max": "1"}),
    )
    starts_on = forms.DateField(
        label="Starts on", required=False, widget=DateInput(), help_text="Left empty: the project's first day."
    )
    ends_on = forms.DateField(
        label="Ends on", required=False, widget=DateInput(), help_text="Left empty: the project's last day."
    )
    certifications = forms.ModelMultipleChoiceField(
        label="Required certifications",
        queryset=CertificationType.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    allow_overfill = forms.BooleanField(required=False, widget=forms.HiddenInput)  # set by "confirm anyway?"

    def __init__(self, *args: Any, skills: Iterable[Skill], editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.skills = list(skills)
        if editing:
            del self.fields["profession"]
        for skill in self.skills:
            self.fields[f"level_{skill.slug}"] = forms.TypedChoiceField(
                label=f"Level required in {skill.name}", choices=LEVEL_CHOICES, coerce=int, initial=0
            )
            self.fields[f"weight_{skill.slug}"] = forms.DecimalField(
                label=f"Weight of {skill.name}",
                max_digits=3,
                decimal_places=2,
                min_value=0,
                max_value=5,
                initial=DEFAULT_WEIGHT,
                widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": "5", "class": "input--short"}),
            )

    def requirement_rows(self) -> list[RequirementRow]:
        """Each skill with its level and weight inputs, in catalogue order."""
        return [
            RequirementRow(skill, self[f"level_{skill.slug}"], self[f"weight_{skill.slug}"]) for skill in self.skills
        ]

    def requirements(self) -> Requirements:
        data = self.cleaned_data
        return {skill.slug: (data[f"level_{skill.slug}"], data[f"weight_{skill.slug}"]) for skill in self.skills}

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned values as ``create_slot`` and ``update_slot`` take them."""
        data = self.cleaned_data
        arguments = {
            "title": data["title"],
            "phases": data["phases"],
            "fte": data["fte"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "requirements": self.requirements(),
            "certifications": [kind.slug for kind in data["certifications"]],
        }
        if "profession" in self.fields:
            arguments["profession"] = data["profession"]
        return arguments


def requirement_initial(levels: Mapping[str, int], weights: Mapping[str, Decimal] | None = None) -> dict[str, Any]:
    """Initial values of a slot form's requirement inputs: the given levels (others 0), weights 1 by default."""
    weights = weights or {}
    initial: dict[str, Any] = {}
    for slug, level in levels.items():
        initial[f"level_{slug}"] = level
        initial[f"weight_{slug}"] = weights.get(slug, DEFAULT_WEIGHT)
    return initial


class AssignmentForm(forms.Form):
    """Dates, allocation and status of an assignment; the person when one is being added."""

    person = forms.ModelChoiceField(queryset=Person.objects.all(), widget=forms.HiddenInput)
    starts_on = forms.DateField(label="From", widget=DateInput())
    ends_on = forms.DateField(label="To", widget=DateInput())
    allocation = forms.DecimalField(
        label="Allocation (FTE)",
        max_digits=3,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.05", "min": "0.01", "max": "1"}),
    )
    status = forms.ChoiceField(
        choices=AssignmentStatus.choices, initial=AssignmentStatus.TENTATIVE, widget=forms.RadioSelect
    )
    allow_overfill = forms.BooleanField(required=False, widget=forms.HiddenInput)  # set by "confirm anyway?"

    def __init__(self, *args: Any, changing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if changing:
            del self.fields["person"]
            del self.fields["status"]


class CandidateFilterForm(forms.Form):
    """The slot page's candidate filters (names as in the API: ``available_only``, ``team``, ``profession``)."""

    available_only = forms.BooleanField(label="Only people with free capacity", required=False)
    team = forms.TypedChoiceField(label="Team", coerce=int, empty_value=None, required=False)
    profession = forms.ChoiceField(label="Profession", required=False)

    def __init__(self, *args: Any, teams: Mapping[int, str], professions: Iterable[Profession], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # ``fields`` is typed dict[str, Field]; both are the choice fields declared above.
        cast(forms.ChoiceField, self.fields["team"]).choices = [("", "Any team"), *teams.items()]
        cast(forms.ChoiceField, self.fields["profession"]).choices = [("", "Any profession")] + [
            (p.slug, p.name) for p in professions
        ]


class PicksField(forms.Field):
    """``slot:person`` id pairs, one per hidden input, as the suggested team posts them."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[tuple[int, int]]:
        picks = []
        for item in value or []:
            slot, _, person = str(item).partition(":")
            if not (slot.isdigit() and person.isdigit()):
                raise ValidationError("The suggestion was damaged in transit; ask for a new one.")
            picks.append((int(slot), int(person)))
        return picks


class SuggestTeamForm(forms.Form):
    """What the suggested team considers: the open slots, and with ``reconsider`` those already proposed."""

    reconsider = forms.BooleanField(
        label="Reconsider slots already proposed",
        required=False,
        help_text="Slots whose unfilled FTE tentative assignments already propose are left out unless you tick this.",
    )


class ApplyTeamForm(forms.Form):
    pick = PicksField(required=False)
