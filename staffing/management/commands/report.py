"""Compute a skill-gap report synchronously and print its tables; no report row is saved.

manage.py report organisation --from 2027-01-04 --to 2027-04-04
manage.py report project --project 12
manage.py report team --team 3

The tables are the ones the pages show and the exports download (``staffing.exports``), every
column included, printed as aligned text.
"""

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from people.models import Person, Team
from projects.models import Project
from staffing.exports import Table, kind_tables, plain
from staffing.models import Report
from staffing.report_selectors import result_labels
from staffing.report_types import ReportResult
from staffing.reports import compute_organisation_report, compute_project_report, compute_team_report

EMPTY = "–"


def format_table(table: Table) -> str:
    """A table's headings, a rule and its rows in aligned columns: numbers to the right, text to the left."""
    if not table.rows:
        return "No rows."
    cells = [[column.heading for column in table.columns]] + [
        [plain(value, column.kind) or EMPTY for value, column in zip(row, table.columns, strict=True)]
        for row in table.rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(table.columns))]
    lines = [
        "  ".join(
            cell.rjust(width) if column.numeric else cell.ljust(width)
            for cell, width, column in zip(row, widths, table.columns, strict=True)
        ).rstrip()
        for row in cells
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def parse_date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: “{value}” is not a date; write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Compute a project, team or organisation skill-gap report now and print its tables."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", choices=Report.Kind.values, help="which report to compute")
        parser.add_argument("--project", type=int, help="the project's id (project reports)")
        parser.add_argument("--team", type=int, help="the team's id (team reports)")
        parser.add_argument("--from", dest="starts_on", help="first day, YYYY-MM-DD (organisation report)")
        parser.add_argument("--to", dest="ends_on", help="last day, YYYY-MM-DD (organisation report)")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        result: ReportResult
        if kind == Report.Kind.PROJECT:
            project = self.find(Project, options["project"], "--project")
            result = compute_project_report(project=project)
            title = f"Project skill gaps: {project.name} (id {project.pk})"
        elif kind == Report.Kind.TEAM:
            team = self.find(Team, options["team"], "--team")
            result = compute_team_report(team=team)
            count = len(result["members"])
            title = f"Team skill report: {team.name} (id {team.pk}), {count} member{'' if count == 1 else 's'}"
        else:
            if not options["starts_on"] or not options["ends_on"]:
                raise CommandError("The organisation report needs --from and --to.")
            starts_on = parse_date(options["starts_on"], "--from")
            ends_on = parse_date(options["ends_on"], "--to")
            if ends_on < starts_on:
                raise CommandError("--to must not be before --from.")
            result = compute_organisation_report(starts_on=starts_on, ends_on=ends_on)
            title = f"Organisation skill gaps, {result['starts_on']} to {result['ends_on']}"
        self.stdout.write(title)
        labels = result_labels(kind=kind, result=result, people=Person.objects.all())
        for table in kind_tables(kind, result, labels):
            self.stdout.write(f"\n{table.title}\n\n{format_table(table)}\n")
            if table.note:
                self.stdout.write(f"{table.note}\n")

    def find(self, model: type[Project] | type[Team], pk: int | None, option: str) -> Any:
        name = model._meta.verbose_name
        if pk is None:
            raise CommandError(f"A {name} report needs {option} <id>.")
        found = model.objects.filter(pk=pk).first()
        if found is None:
            raise CommandError(f"There is no {name} with id {pk}.")
        return found
