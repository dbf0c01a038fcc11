from typing import Any, cast

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from people.models import Team
from projects.models import Project
from roles.models import Profession
from staffing.models import Report
from staffing.report_types import ReportResult
from staffing.services import MAX_REPORT_YEARS


class CandidateSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField()
    fit = serializers.FloatField(help_text="1 is a perfect fit; rounded to 4 decimals.")
    free_fte = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False)
    eligible = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why an ineligible person is.")
    shortfall = serializers.DictField(
        child=serializers.IntegerField(), help_text="Levels missing per skill, for skills with a shortfall."
    )


class CandidateQuery(serializers.Serializer):
    available_only = serializers.BooleanField(default=False, help_text="Only people with free capacity.")
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(),
        required=False,
        help_text="Only people of this team (id).",
        error_messages={"does_not_exist": "There is no team with the id {pk_value}."},
    )
    profession = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Profession.objects.all(),
        required=False,
        help_text="Only people of this profession (slug).",
        error_messages={"does_not_exist": "There is no profession with the slug {value}."},
    )


class SuggestedSlotSerializer(serializers.Serializer):
    slot = serializers.IntegerField()
    person = serializers.IntegerField()
    fit = serializers.FloatField()


class SuggestTeamInput(serializers.Serializer):
    reconsider_proposed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Also consider the open slots whose unfilled FTE tentative assignments already propose "
        "(left out by default). Applying a suggestion never proposes beyond a slot's unfilled FTE.",
    )


class SuggestedTeamSerializer(serializers.Serializer):
    slots = SuggestedSlotSerializer(many=True)
    objective = serializers.FloatField(help_text="Σ fte·fit over the filled slots, the largest possible.")
    greedy_objective = serializers.FloatField(help_text="What filling slot by slot with the best person finds.")
    left_out = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="The open slots left out because tentative assignments already propose their unfilled FTE "
        "(empty with reconsider_proposed).",
    )


class ReportRequestInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Report.Kind.choices)
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.all(), required=False, allow_null=True, help_text="For a project report (id)."
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True, help_text="For a team report (id)."
    )
    starts_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=(
            f"For an organisation report: the first day. The range covers at most {MAX_REPORT_YEARS} years "
            "(400 otherwise)."
        ),
    )
    ends_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=(
            "For an organisation report: the last day, included; at most the day before the same date "
            f"{MAX_REPORT_YEARS} years after starts_on, so the range covers at most {MAX_REPORT_YEARS} years "
            "(400 otherwise)."
        ),
    )


def _kind(kind: str) -> serializers.CharField:
    # An inline one-value enum: as a choice field, the three would collide in the schema's enum names.
    field: Any = serializers.CharField()
    return cast(serializers.CharField, extend_schema_field({"type": "string", "enum": [kind]})(field))


class ProjectReportRequest(serializers.Serializer):
    """The schema of a project report request; ``ReportRequestInput`` validates it."""

    kind = _kind(Report.Kind.PROJECT)
    project = serializers.IntegerField(help_text="The project's id.")


class TeamReportRequest(serializers.Serializer):
    """The schema of a team report request; ``ReportRequestInput`` validates it."""

    kind = _kind(Report.Kind.TEAM)
    team = serializers.IntegerField(help_text="The team's id.")


class OrganisationReportRequest(serializers.Serializer):
    """The schema of an organisation report request; ``ReportRequestInput`` validates it."""

    kind = _kind(Report.Kind.ORGANISATION)
    starts_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=f"The first day. The range covers at most {MAX_REPORT_YEARS} years.",
    )
    ends_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=(
            "The last day, included; not before starts_on, and at most the day before the same date "
            f"{MAX_REPORT_YEARS} years after it, so the range covers at most {MAX_REPORT_YEARS} years."
        ),
    )


class ReportCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Report.Status.choices)


def stalled_field() -> serializers.BooleanField:
    """``Report.is_stalled``, as both report serializers answer it."""
    return serializers.BooleanField(
        source="is_stalled",
        read_only=True,
        help_text=(
            "True while the report is running but its job has shown no progress for 5 minutes (its worker "
            "most likely stopped): POST reports/{id}/run-again/ to start it again."
        ),
    )


class ReportSummarySerializer(serializers.ModelSerializer):
    """A report in a list: what it is about and how far it got, without its result."""

    stalled = stalled_field()

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "project",
            "team",
            "starts_on",
            "ends_on",
            "status",
            "progress",
            "created_at",
            "started_at",
            "finished_at",
            "error",
            "stalled",
        ]


RESULT_SCHEMA = {
    "type": "object",
    "nullable": True,
    "additionalProperties": True,
    "description": (
        "Null until the report is done. Organisation: {starts_on, ends_on, gaps: [{skill, level, demand, "
        "supply, gap, professions}], weekly_demand: [{week, phase, fte}]}; project: {phases: [{phase, skills: "
        "[{skill, required, covered, gap}]}], unfilled: [{slot, unfilled_fte}], training: [{person, skill, from, "
        "to, gain}]}; team: {members: [{person, skills: {skill: {rating, expected, shortfall}}}], skills: "
        "[{skill, mean_shortfall, meeting, bus_factor, flagged}]}. A caller who may not read everyone's ratings "
        "(staff) gets a project report's covered and gap as null, and only the training suggestions about "
        "themselves."
    ),
}


class ReportSerializer(serializers.ModelSerializer):
    """A report and, once done, its result; pass the result the caller may read as ``context["result"]``."""

    result = serializers.SerializerMethodField()
    stalled = stalled_field()

    class Meta:
        model = Report
        fields = ["id", "kind", "status", "progress", "started_at", "finished_at", "error", "result", "stalled"]

    @extend_schema_field(RESULT_SCHEMA)
    def get_result(self, report: Report) -> ReportResult | None:
        return cast(ReportResult | None, self.context["result"])
