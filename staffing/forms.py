"""The report request form. It offers only the kinds and teams the user may ask for; the service
(``staffing.services.request_report``) decides what a request needs, and its field errors come back
onto the form."""

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from people.access import Viewer, is_manager, may_request_report, teams_led_by
from people.models import Team
from projects.models import Project
from staffing.models import Report
from staffing.services import MAX_REPORT_YEARS, NIGHTLY_WEEKS
from ui.forms import DateInput
from ui.forms import add_service_errors as put_service_errors

KIND_HELP = {
    Report.Kind.PROJECT: "Which skills a project's phases lack, its unfilled slots, and whom to train.",
    Report.Kind.TEAM: "Each member's ratings against their profession, and skills too few members hold.",
    Report.Kind.ORGANISATION: "Demand against supply for every skill and level over a date range.",
}


class DescribedRadioSelect(forms.RadioSelect):
    """Radio buttons each described by the paragraph whose id is the button's id + ``_help``."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_help"
        return option


def requestable_teams(user: Viewer) -> QuerySet[Team]:
    """Every team for a manager, the teams they lead for a lead, none for anyone else."""
    if is_manager(user):
        return Team.objects.order_by("name")
    return teams_led_by(user)


def requestable_kinds(user: Viewer, teams: QuerySet[Team]) -> list[tuple[str, str]]:
    kinds = []
    for kind, label in Report.Kind.choices:
        allowed = teams.exists() if kind == Report.Kind.TEAM else may_request_report(user, kind)
        if allowed:
            kinds.append((kind, f"{label} report"))
    return kinds


class ReportRequestForm(forms.Form):
    """Kind, then the subject that kind needs: a project, a team, or a date range."""

    kind = forms.ChoiceField(label="Kind of report", widget=DescribedRadioSelect)
    project = forms.ModelChoiceField(
        queryset=Project.objects.order_by("name", "id"),
        required=False,
        empty_label="Choose a project",
        help_text="For a project report.",
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), required=False, empty_label="Choose a team", help_text="For a team report."
    )
    starts_on = forms.DateField(label="From", required=False, widget=DateInput(), help_text="The first day.")
    ends_on = forms.DateField(
        label="To",
        required=False,
        widget=DateInput(),
        help_text=f"The last day, included; at most {MAX_REPORT_YEARS} years after the first.",
    )

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        today = timezone.localdate()
        defaults = {"starts_on": today, "ends_on": today + dt.timedelta(weeks=NIGHTLY_WEEKS, days=-1)}
        kwargs["initial"] = defaults | (kwargs.get("initial") or {})
        super().__init__(*args, **kwargs)
        teams = requestable_teams(user)
        # ``fields`` is typed dict[str, Field]; these are the fields declared above.
        cast("forms.ModelChoiceField[Team]", self.fields["team"]).queryset = teams
        kinds = requestable_kinds(user, teams)
        cast(forms.ChoiceField, self.fields["kind"]).choices = kinds
        self.kinds = [kind for kind, _ in kinds]
        if kinds and "kind" not in self.initial:
            self.initial["kind"] = kinds[0][0]
        if "team" not in self.initial and len(led := list(teams[:2])) == 1:
            self.initial["team"] = led[0].pk  # a lead of one team asks about that team

    @property
    def max_report_years(self) -> int:
        """The longest range an organisation report may cover, in years (``staffing.services``)."""
        return MAX_REPORT_YEARS

    def kind_options(self) -> list[tuple[forms.boundfield.BoundWidget, str]]:
        """Each kind's radio button with the sentence that describes it."""
        return [(option, KIND_HELP[option.data["value"]]) for option in self["kind"]]

    def add_service_errors(self, error: ValidationError) -> None:
        """Put the service's field errors beside their inputs; others on top of the form."""
        put_service_errors(self, error)
