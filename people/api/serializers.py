from typing import Any, cast

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings
from rest_framework.validators import UniqueValidator

from people.access import absence_as_seen, visible_people
from people.models import MAX_FTE, MAX_NOTE_LENGTH, MIN_FTE, Absence, AbsenceKind, Person, Team
from people.selectors import ratings_of
from roles.models import Profession
from skills.api.serializers import LEVELS_BY_SKILL
from skills.models import MAX_LEVEL, MIN_LEVEL


class PersonSerializer(serializers.ModelSerializer):
    profession: "serializers.SlugRelatedField[Profession]" = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    capacity_fte = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False, read_only=True)
    ratings = serializers.SerializerMethodField(help_text="The person's current level in each rated skill.")

    class Meta:
        model = Person
        fields = ["id", "name", "profession", "team", "capacity_fte", "ratings"]
        read_only_fields = fields

    @extend_schema_field(LEVELS_BY_SKILL)
    def get_ratings(self, person: Person) -> dict[str, int]:
        return ratings_of(person=person)


class PersonInput(serializers.ModelSerializer):
    profession = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Profession.objects.all(),
        error_messages={"does_not_exist": "There is no profession with the slug {value}."},
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(),
        allow_null=True,
        required=False,
        error_messages={"does_not_exist": "There is no team with the id {pk_value}."},
    )
    capacity_fte = serializers.DecimalField(
        max_digits=3,
        decimal_places=2,
        min_value=MIN_FTE,
        max_value=MAX_FTE,
        coerce_to_string=False,
        required=False,
        help_text=f"The share of a full-time post the person works, {MIN_FTE}–{MAX_FTE}; {MAX_FTE} when left out.",
    )

    class Meta:
        model = Person
        fields = ["name", "profession", "team", "capacity_fte"]


# Ratings are ``{skill_slug: level}``, so the body's keys are data: it has no fixed fields to declare.
RATINGS_SCHEMA = {
    "type": "object",
    "additionalProperties": {"type": "integer", "minimum": MIN_LEVEL, "maximum": MAX_LEVEL},
    "minProperties": 1,
    "description": "The new level of each skill to change, by skill slug; skills left out keep their level.",
}


class RatingsInput(serializers.Serializer):
    """The body of a ratings change: a non-empty object. The service checks each slug and level."""

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict) or not data:
            raise serializers.ValidationError(
                {
                    api_settings.NON_FIELD_ERRORS_KEY: [
                        'Send an object of skill slugs and levels, e.g. {"statistics": 3}.'
                    ]
                }
            )
        return dict(data)


class TeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name", "lead"]
        read_only_fields = fields


class TeamInput(serializers.ModelSerializer):
    lead = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(),  # the people the requesting user may see, set in __init__
        allow_null=True,
        required=False,
        error_messages={"does_not_exist": "There is no person with the id {pk_value}."},
        help_text="The id of the person who leads the team.",
    )

    class Meta:
        model = Team
        fields = ["name", "lead"]
        extra_kwargs = {
            "name": {
                "validators": [
                    UniqueValidator(queryset=Team.objects.all(), message="A team with this name already exists.")
                ]
            }
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            lead = cast(serializers.PrimaryKeyRelatedField, self.fields["lead"])
            # The stubs declare ``queryset`` as QuerySet | Manager, so mypy reads it as Manager's descriptor.
            lead.queryset = visible_people(request.user)  # type: ignore[arg-type]


# --- Absences ------------------------------------------------------------------------------------

FRACTION_SCHEMA = {
    "type": "number",
    "enum": [1, 0.5],
    "description": "1 for whole days, 0.5 for half days.",
}


@extend_schema_field(FRACTION_SCHEMA)
class FractionField(serializers.DecimalField):
    """Whole (1) or half (0.5) days; the service refuses any other value."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=3, decimal_places=2, coerce_to_string=False, **kwargs)


class AbsenceSerializer(serializers.ModelSerializer):
    """An absence as its reader may see it: ``people.access.absence_as_seen`` withholds sickness details."""

    fraction = FractionField(read_only=True)
    kind = serializers.ChoiceField(
        choices=AbsenceKind.choices,
        read_only=True,
        help_text="leave, sickness, training or other; a sickness reads as other to whoever may not see its details.",
    )
    note = serializers.CharField(read_only=True, help_text="Empty to whoever may not see the absence's details.")

    class Meta:
        model = Absence
        fields = ["id", "person", "starts_on", "ends_on", "fraction", "kind", "note", "updated_at"]
        read_only_fields = fields

    def to_representation(self, instance: Absence) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["kind"], data["note"] = absence_as_seen(instance)
        return data


class AbsenceInput(serializers.Serializer):
    """The body of a new absence, or (partial) of a change; the service checks the ranges and values."""

    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(),  # the people the requesting user may see, set in __init__
        error_messages={"does_not_exist": "There is no person with the id {pk_value}."},
        help_text="The id of the person who is away.",
    )
    starts_on = serializers.DateField(help_text="The first day away.")
    ends_on = serializers.DateField(help_text="The last day away (included).")
    fraction = FractionField(required=False, help_text="1 for whole days, 0.5 for half days; 1 when left out.")
    kind = serializers.ChoiceField(
        choices=AbsenceKind.choices,
        required=False,
        help_text="leave, sickness, training or other; leave when left out.",
    )
    note = serializers.CharField(max_length=MAX_NOTE_LENGTH, allow_blank=True, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            person = cast(serializers.PrimaryKeyRelatedField, self.fields["person"])
            person.queryset = visible_people(request.user)  # type: ignore[arg-type]
