from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from people.filters import DatedRowsFilter, IdFilter, active_on_filter, updated_since_filter
from projects.models import WORKING_PHASES, Assignment, AssignmentChange, Project, RoleSlot
from projects.selectors import in_phase

# A person filter keeps the rows of that id among those the user may see: an unknown id and a person
# the user may not see both answer an empty list, so the filter tells nobody who exists.
PERSON_HELP = "A person's id; an id you may not see, or that does not exist, keeps no rows."


class SlotFilter(filters.FilterSet):
    project = filters.ModelChoiceFilter(
        queryset=Project.objects.all(),
        help_text="A project's id.",
        error_messages={"invalid_choice": "There is no project with this id."},
    )

    class Meta:
        model = RoleSlot
        fields = ["project"]


class AssignmentFilter(DatedRowsFilter):
    person = IdFilter(field_name="person", help_text=PERSON_HELP)
    project = filters.ModelChoiceFilter(
        field_name="slot__project",
        queryset=Project.objects.all(),
        help_text="A project's id.",
        error_messages={"invalid_choice": "There is no project with this id."},
    )
    # Like every filter, an empty value filters nothing; the schema says so.
    phase = extend_schema_field(
        {
            "type": "string",
            "enum": [*WORKING_PHASES, ""],
            "description": "Assignments on slots needed in this phase; empty for any phase.",
        }
    )(
        filters.ChoiceFilter(
            choices=[(phase, phase) for phase in WORKING_PHASES],
            method="filter_phase",
            help_text="Assignments on slots needed in this phase; empty for any phase.",
        )
    )
    active_on = active_on_filter(help_text="Assignments covering this day.")
    updated_since = updated_since_filter(
        help_text="Assignments created or changed at or after this ISO 8601 time, oldest change first."
    )

    class Meta:
        model = Assignment
        fields = ["person", "project", "phase", "active_on", "updated_since"]

    def filter_phase(self, queryset: QuerySet[Assignment], name: str, value: str) -> QuerySet[Assignment]:
        return queryset.filter(in_phase(phase=value, prefix="slot__"))


class AssignmentHistoryFilter(filters.FilterSet):
    since = filters.IsoDateTimeFilter(
        field_name="changed_at", lookup_expr="gte", help_text="Changes at or after this ISO 8601 time."
    )
    person = IdFilter(field_name="person", help_text=PERSON_HELP)
    project = filters.ModelChoiceFilter(
        queryset=Project.objects.all(),
        help_text="A project's id.",
        error_messages={"invalid_choice": "There is no project with this id."},
    )

    class Meta:
        model = AssignmentChange
        fields = ["since", "person", "project"]
