"""Compute a skill-gap report synchronously and print it; no report row is saved.

manage.py report organisation --from 2027-01-04 --to 2027-04-04
manage.py report project --project 12
manage.py report team --team 3
"""

import datetime as dt
from argparse import ArgumentParser
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from people.models import Person, Team
from projects.models import WORKING_PHASES, Project
from staffing.models import Report
from staffing.reports import compute_organisation_report, compute_project_report, compute_team_report

Row = Sequence[object]


def format_table(headers: Row, rows: Sequence[Row]) -> str:
    """Rows under their headers in aligned columns: numbers to the right, text to the left."""
    cells = [[format_cell(value) for value in row] for row in [headers, *rows]]
    numeric = [bool(rows) and all(is_number(row[i]) for row in rows) for i in range(len(headers))]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(row, widths, numeric, strict=True)
        ).rstrip()
        for row in cells
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def is_number(value: object) -> bool:
    return value is None or (isinstance(value, int | float | Decimal) and not isinstance(value, bool))


def format_cell(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "–"
    if value is None:
        return "–"
    return str(value)


def people_named(ids: list[int]) -> dict[int, str]:
    """``{id: "Name (id)"}`` for the people a report names (one query)."""
    names = dict(Person.objects.filter(pk__in=ids).values_list("pk", "name"))
    return {pk: f"{names.get(pk, 'unknown')} ({pk})" for pk in ids}


def parse_date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: “{value}” is not a date; write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Compute a project, team or organisation skill-gap report now and print it."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", choices=Report.Kind.values, help="which report to compute")
        parser.add_argument("--project", type=int, help="the project's id (project reports)")
        parser.add_argument("--team", type=int, help="the team's id (team reports)")
        parser.add_argument("--from", dest="starts_on", help="first day, YYYY-MM-DD (organisation report)")
        parser.add_argument("--to", dest="ends_on", help="last day, YYYY-MM-DD (organisation report)")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        if kind == Report.Kind.PROJECT:
            self.print_project(self.find(Project, options["project"], "--project"))
        elif kind == Report.Kind.TEAM:
            self.print_team(self.find(Team, options["team"], "--team"))
        else:
            if not options["starts_on"] or not options["ends_on"]:
                raise CommandError("The organisation report needs --from and --to.")
            starts_on = parse_date(options["starts_on"], "--from")
            ends_on = parse_date(options["ends_on"], "--to")
            if ends_on < starts_on:
                raise CommandError("--to must not be before --from.")
            self.print_organisation(compute_organisation_report(starts_on=starts_on, ends_on=ends_on))

    def find(self, model: type[Project] | type[Team], pk: int | None, option: str) -> Any:
        name = model._meta.verbose_name
        if pk is None:
            raise CommandError(f"A {name} report needs {option} <id>.")
        found = model.objects.filter(pk=pk).first()
        if found is None:
            raise CommandError(f"There is no {name} with id {pk}.")
        return found

    def section(self, title: str, table: str) -> None:
        self.stdout.write(f"\n{title}\n\n{table}\n")

    def print_organisation(self, result: dict[str, Any]) -> None:
        self.stdout.write(f"Organisation skill gaps, {result['starts_on']} to {result['ends_on']}")
        self.section(
            "Gaps (FTE; a positive gap means train or hire)",
            format_table(
                ["skill", "level", "demand", "supply", "gap", "professions to hire"],
                [
                    [row["skill"], row["level"], row["demand"], row["supply"], row["gap"], row["professions"]]
                    for row in result["gaps"]
                ],
            ),
        )
        weeks: dict[str, dict[str, float]] = {}
        for row in result["weekly_demand"]:
            weeks.setdefault(row["week"], {})[row["phase"]] = row["fte"]
        self.section(
            "Unfilled FTE by week and phase",
            format_table(["week", *WORKING_PHASES], [[week, *by_phase.values()] for week, by_phase in weeks.items()]),
        )

    def print_project(self, project: Project) -> None:
        result = compute_project_report(project=project)
        self.stdout.write(f"Project skill gaps: {project.name} (id {project.pk})")
        for phase in result["phases"]:
            rows = [
                [row["skill"], row["required"], row["covered"], row["gap"]]
                for row in phase["skills"]
                if row["required"] or row["covered"]
            ]
            table = format_table(["skill", "required", "covered", "gap"], rows) if rows else "Nothing required."
            self.section(f"Phase: {phase['phase']}", table)
        unfilled = [[row["slot"], row["unfilled_fte"]] for row in result["unfilled"]]
        self.section(
            "Unfilled slots",
            format_table(["slot", "unfilled FTE"], unfilled) if unfilled else "Every open slot is filled.",
        )
        named = people_named([row["person"] for row in result["training"]])
        training = [
            [named[row["person"]], row["skill"], row["from"], row["to"], row["gain"]] for row in result["training"]
        ]
        self.section(
            "Training suggestions",
            format_table(["person", "skill", "from", "to", "gain"], training) if training else "None.",
        )

    def print_team(self, team: Team) -> None:
        result = compute_team_report(team=team)
        count = len(result["members"])
        self.stdout.write(f"Team skill report: {team.name} (id {team.pk}), {count} member{'' if count == 1 else 's'}")
        self.section(
            "Skills (bus factor: members rated 3 or more; flagged below 2)",
            format_table(
                ["skill", "mean shortfall", "meeting", "bus factor", "flagged"],
                [
                    [
                        row["skill"],
                        None if row["mean_shortfall"] is None else Decimal(f"{row['mean_shortfall']:.4f}"),
                        row["meeting"],
                        row["bus_factor"],
                        row["flagged"],
                    ]
                    for row in result["skills"]
                ],
            ),
        )
        named = people_named([member["person"] for member in result["members"]])
        self.section(
            "Members (the skills below their profession's spectrum, as rating → expected)",
            format_table(
                ["person", "total shortfall", "short in"],
                [
                    [
                        named[member["person"]],
                        sum(cell["shortfall"] for cell in member["skills"].values()),
                        [
                            f"{skill} {cell['rating']}→{cell['expected']}"
                            for skill, cell in member["skills"].items()
                            if cell["shortfall"]
                        ],
                    ]
                    for member in result["members"]
                ],
            )
            if result["members"]
            else "The team has no members.",
        )
