import math
from decimal import Decimal
from typing import Any, TypeGuard

from django.contrib.auth.models import User
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from people.models import MAX_FTE, MIN_FTE, CertificationType, Person
from projects.models import (
    WORKING_PHASES,
    Assignment,
    AssignmentChange,
    AssignmentStatus,
    Phase,
    PhaseTransition,
    Project,
    ProjectTemplate,
    RoleSlot,
)
from projects.selectors import slot_requirements
from roles.models import Profession
from skills.models import MAX_LEVEL, MIN_LEVEL


class ProjectSerializer(serializers.ModelSerializer):
    template: "serializers.SlugRelatedField[ProjectTemplate]" = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="The template's slug; null for a blank project."
    )

    class Meta:
        model = Project
        fields = ["id", "name", "template", "phase", "starts_on", "ends_on"]
        read_only_fields = fields


class ProjectInput(serializers.ModelSerializer):
    template = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=ProjectTemplate.objects.all(),
        allow_null=True,
        required=False,
        error_messages={"does_not_exist": "There is no project template with the slug {value}."},
        help_text="The slug of the template to start from; left out or null for a blank project.",
    )

    class Meta:
        model = Project
        fields = ["name", "template", "starts_on", "ends_on"]

    def validate(self, attrs: dict) -> dict:
        if attrs["ends_on"] < attrs["starts_on"]:
            raise serializers.ValidationError({"ends_on": ["A project cannot end before it starts."]})
        return attrs


class AdvanceInput(serializers.Serializer):
    to = serializers.ChoiceField(choices=Phase.choices, help_text="The phase to move to: the next one, or back.")
    note = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", help_text="Why; required to move back."
    )


class PhaseMoveSerializer(serializers.ModelSerializer):
    # ``from`` is a Python keyword, so the field is renamed on the way out.
    to = serializers.CharField(source="to_phase")
    by: "serializers.SlugRelatedField[User]" = serializers.SlugRelatedField(
        source="moved_by", slug_field="username", read_only=True, allow_null=True
    )
    at = serializers.DateTimeField(source="moved_at")

    class Meta:
        model = PhaseTransition
        fields = ["from_phase", "to", "by", "at", "note"]
        read_only_fields = fields

    def get_fields(self) -> dict[str, serializers.Field]:
        # Renamed here rather than in to_representation, so that the schema names the key it answers.
        fields = super().get_fields()
        moved_from = fields.pop("from_phase")
        moved_from.source = "from_phase"
        return {"from": moved_from, **fields}


REQUIREMENTS_SCHEMA = {
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "properties": {
            "level": {"type": "integer", "minimum": MIN_LEVEL, "maximum": MAX_LEVEL},
            "weight": {"type": "number", "minimum": 0, "maximum": 5, "default": 1},
        },
        "required": ["level"],
    },
    "description": "The required level and weight of each skill, by skill slug.",
}


@extend_schema_field(REQUIREMENTS_SCHEMA)
class RequirementsField(serializers.Field):
    """``{skill_slug: {"level": int, "weight": number}}``; the service checks slugs and ranges."""

    default_error_messages = {
        # Braces are doubled because DRF formats these messages.
        "not_object": 'Send an object of skill slugs, e.g. {{"statistics": {{"level": 3, "weight": 1}}}}.',
        "bad_entry": "{slug}: give an integer level and, optionally, a numeric weight.",
    }

    def to_internal_value(self, data: Any) -> dict[str, tuple[int, Decimal]]:
        if not isinstance(data, dict):
            self.fail("not_object")
        requirements: dict[str, tuple[int, Decimal]] = {}
        for slug, entry in data.items():
            level = entry.get("level") if isinstance(entry, dict) else None
            weight = entry.get("weight", 1) if isinstance(entry, dict) else None
            if not _is_integer(level) or not _is_number(weight) or set(entry) - {"level", "weight"}:
                self.fail("bad_entry", slug=slug)
            requirements[str(slug)] = (level, Decimal(str(weight)))
        return requirements

    def to_representation(self, slot: RoleSlot) -> dict[str, dict[str, float | int]]:
        return slot_requirements(slot=slot)


def _is_integer(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class SlotSerializer(serializers.ModelSerializer):
    profession: "serializers.SlugRelatedField[Profession]" = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    phases = serializers.ListField(child=serializers.CharField(), read_only=True)
    fte = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False, read_only=True)
    unfilled_fte = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False, read_only=True)
    overfilled = serializers.BooleanField(
        read_only=True, help_text="Its confirmed assignments cover more than its FTE on some day (allowed on purpose)."
    )
    requirements = RequirementsField(source="*", read_only=True)
    certifications: "serializers.SlugRelatedField[CertificationType]" = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )

    class Meta:
        model = RoleSlot
        fields = [
            "id", "project", "profession", "title", "phases", "fte", "starts_on", "ends_on",
            "requirements", "certifications", "unfilled_fte", "overfilled", "closed_at",
        ]  # fmt: skip
        read_only_fields = fields


class SlotInput(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.all(), error_messages={"does_not_exist": "There is no project with the id {pk_value}."}
    )
    profession = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Profession.objects.all(),
        error_messages={"does_not_exist": "There is no profession with the slug {value}."},
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    # min_length states the rule in the schema; allow_empty answers first, with its own message.
    phases = serializers.ListField(
        child=serializers.ChoiceField(choices=WORKING_PHASES), allow_empty=False, min_length=1
    )
    fte = serializers.DecimalField(
        max_digits=3, decimal_places=2, coerce_to_string=False, min_value=MIN_FTE, max_value=MAX_FTE
    )
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    requirements = RequirementsField(required=False)
    certifications = serializers.ListField(child=serializers.SlugField(), required=False)


def allow_overfill_field(what: str) -> serializers.BooleanField:
    return serializers.BooleanField(
        required=False,
        default=False,
        help_text=f"{what} over-fills the slot (its confirmed assignments would cover more than its FTE on "
        "some day) only when true, e.g. for a handover on purpose; otherwise that is refused with 409.",
    )


class SlotChangeInput(SlotInput):
    """What may change on a slot: everything but its project and profession."""

    # DRF drops an inherited field set to None; the stubs cannot express that.
    project = None  # type: ignore[assignment]
    profession = None  # type: ignore[assignment]
    allow_overfill = allow_overfill_field("An FTE below the slot's confirmed cover")


class AssignmentSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="slot.project_id", read_only=True)
    allocation = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False, read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "person", "slot", "project", "starts_on", "ends_on", "allocation", "status", "updated_at"]
        read_only_fields = fields


class AssignmentInput(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), error_messages={"does_not_exist": "There is no person with the id {pk_value}."}
    )
    slot = serializers.PrimaryKeyRelatedField(
        queryset=RoleSlot.objects.all(), error_messages={"does_not_exist": "There is no slot with the id {pk_value}."}
    )
    starts_on = serializers.DateField(required=False, help_text="The slot's first day when left out.")
    ends_on = serializers.DateField(required=False, help_text="The slot's last day when left out.")
    allocation = serializers.DecimalField(
        max_digits=3, decimal_places=2, coerce_to_string=False, min_value=Decimal("0.01"), max_value=MAX_FTE
    )
    status = serializers.ChoiceField(choices=AssignmentStatus.choices, default=AssignmentStatus.TENTATIVE)
    allow_overfill = allow_overfill_field("A confirmed assignment that")


class AssignmentChangeInput(serializers.Serializer):
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    allocation = serializers.DecimalField(
        max_digits=3,
        decimal_places=2,
        coerce_to_string=False,
        min_value=Decimal("0.01"),
        max_value=MAX_FTE,
        required=False,
    )
    status = serializers.ChoiceField(choices=AssignmentStatus.choices, required=False)
    allow_overfill = allow_overfill_field("A change of a confirmed assignment that")


class AssignmentHistorySerializer(serializers.ModelSerializer):
    """One change in the assignment audit trail; ``before`` or ``after`` is null on creation or release."""

    assignment = serializers.IntegerField(source="assignment_id")
    by: "serializers.SlugRelatedField[User]" = serializers.SlugRelatedField(
        source="changed_by", slug_field="username", read_only=True, allow_null=True
    )
    at = serializers.DateTimeField(source="changed_at")

    class Meta:
        model = AssignmentChange
        fields = ["id", "assignment", "action", "person", "project", "before", "after", "by", "at"]
        read_only_fields = fields
