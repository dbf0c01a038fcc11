"""A report's tables, and the CSV and XLSX files made from them. The pages and the API share these.

Tables by kind of report (``TABLE_KEYS``), the first being the report's main table:

- project: phase coverage (a row per phase and skill), unfilled slots, training suggestions;
- team: skills (mean shortfall, members meeting their spectrum, bus factor), members (a row per
  member and skill: rating, expected level, shortfall);
- organisation: skill gaps (a row per skill and level), weekly unfilled demand (a row per week and phase);

and, in the files, the recommendations: the page's sentences (``staffing.report_text``), one a row.

CSV layout: one file per table (``?table=<key>``; the main table without it): a line of column
headings, then the rows, nothing else. Numbers are plain (FTE with two decimals), dates ISO 8601
(YYYY-MM-DD), yes/no for flags, and an empty cell where there is no value. UTF-8, without a
byte-order mark, lines ending in CRLF.

XLSX layout: one sheet per table, named after it, in the order above with the recommendations
last, the headings in a bold, frozen first row and a filter on them; numbers and dates are typed
cells, so a spreadsheet can sum and sort them.

In both, text is never a formula: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return (a person or slot may be named so) gets a single quote in front
(``ui.spreadsheets.neutralise_formula``), and the workbook holds it as a string cell.
"""

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from projects.models import Phase
from staffing.models import Report
from staffing.report_selectors import ReportLabels, withholds_coverage
from staffing.report_text import professions_to_consider, recommendations, training_order, with_article
from staffing.report_types import (
    BUS_FACTOR_LEVEL,
    BUS_FACTOR_MINIMUM,
    OrganisationResult,
    ProjectResult,
    ReportResult,
    TeamResult,
)
from ui.formats import format_date, format_signed
from ui.spreadsheets import neutralise_formula

Value = str | int | float | bool | dt.date | None
Kind = Literal["text", "int", "fte", "mean", "date", "bool"]
Format = Literal["csv", "xlsx"]

CONTENT_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
NUMBER_FORMATS: dict[str, str] = {"int": "0", "fte": "0.00", "mean": "0.0000", "date": "yyyy-mm-dd"}
DECIMALS: dict[str, int] = {"fte": 2, "mean": 4}  # in the files, as the API's result holds them
PAGE_DECIMALS: dict[str, int] = {"fte": 2, "mean": 2}  # on a page, which reads every number to two places
MAX_COLUMN_WIDTH = 48
WIDE_COLUMN_WIDTH = 110  # a column of sentences, wrapped
SHEET_TITLE_LENGTH = 31  # the most a spreadsheet allows

RECOMMENDATIONS = "recommendations"
# The keys of the tables each kind of report downloads (``?table=`` of the CSV download), the main one first.
TABLE_KEYS: dict[str, list[str]] = {
    Report.Kind.PROJECT: ["coverage", "unfilled", "training", RECOMMENDATIONS],
    Report.Kind.TEAM: ["skills", "members", RECOMMENDATIONS],
    Report.Kind.ORGANISATION: ["gaps", "weekly", RECOMMENDATIONS],
}
ALL_TABLE_KEYS: list[str] = list(dict.fromkeys(key for keys in TABLE_KEYS.values() for key in keys))


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    kind: Kind = "text"
    # Which way a first click sorts: figures largest first, names from A.
    descending_first: bool = False
    on_page: bool = True  # ids help a spreadsheet join tables; a page names things instead
    wide: bool = False  # sentences: a wide column whose cells wrap in the workbook

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "fte", "mean")


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list[Value]] = field(default_factory=list)
    note: str = ""  # what the columns mean, where their headings are too short to say

    def column(self, key: str) -> Column | None:
        return next((column for column in self.columns if column.key == key), None)

    def sorted_by(self, key: str, *, descending: bool) -> "Table":
        """The same table with its rows sorted by one column (stable; empty values always last)."""
        index = next(i for i, column in enumerate(self.columns) if column.key == key)
        present = [row for row in self.rows if row[index] is not None]
        missing = [row for row in self.rows if row[index] is None]
        present.sort(key=lambda row: sort_key(row[index]), reverse=descending)
        return Table(key=self.key, title=self.title, columns=self.columns, rows=present + missing, note=self.note)

    @property
    def page_columns(self) -> list[Column]:
        return [column for column in self.columns if column.on_page]

    def display_rows(self) -> list[list["DisplayCell"]]:
        """The rows as a page shows them (without the columns only files carry)."""
        return [
            [
                DisplayCell(display(value, column.kind), column.numeric)
                for value, column in zip(row, self.columns, strict=True)
                if column.on_page
            ]
            for row in self.rows
        ]


@dataclass(frozen=True)
class DisplayCell:
    text: str
    numeric: bool


def sort_key(value: Value) -> Any:
    if isinstance(value, str):
        return value.casefold()
    return value


def display(value: Value, kind: Kind) -> str:
    """A cell as a page shows it: ``1.50``, ``0.33``, ``4 Jan 2027``, ``Yes``, ``–`` for nothing."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return format_date(value)
    if kind in PAGE_DECIMALS:
        return format_signed(value, places=PAGE_DECIMALS[kind])
    return str(value)


def plain(value: Value, kind: Kind) -> str:
    """A cell as plain text (the CSV file holds it so, text quoted by ``file_cell``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if kind in DECIMALS:
        return f"{value:.{DECIMALS[kind]}f}"
    return str(value)


# --- The tables of each kind ----------------------------------------------------------------------

# The first columns of a table with a row per person and skill.
PERSON_SKILL_COLUMNS = (
    Column("person_id", "Person id", "int", on_page=False),
    Column("person", "Person"),
    Column("skill", "Skill"),
)


def person_skill_cells(person: int, skill: str, labels: ReportLabels) -> list[Value]:
    """The cells under ``PERSON_SKILL_COLUMNS``: the person's id and name, and the skill's name."""
    return [person, labels.person(person), labels.skill(skill)]


def project_tables(result: ProjectResult, labels: ReportLabels) -> list[Table]:
    coverage = Table(
        key="coverage",
        title="Phase coverage",
        columns=[
            Column("phase", "Phase"),
            Column("skill", "Skill"),
            Column("required", "Required level", "int", descending_first=True),
            Column("covered", "Covered level", "int", descending_first=True),
            Column("gap", "Gap (levels)", "int", descending_first=True),
        ],
        rows=[
            [Phase(phase["phase"]).label, labels.skill(row["skill"]), row["required"], row["covered"], row["gap"]]
            for phase in result["phases"]
            for row in phase["skills"]
        ],
        note=(
            "Covered levels and gaps come from the ratings of the people confirmed on the project, "
            "so they are shown to managers and team leads only."
            if withholds_coverage(result=result)
            else ""
        ),
    )
    unfilled = Table(
        key="unfilled",
        title="Unfilled slots",
        columns=[
            Column("slot_id", "Slot id", "int", on_page=False),
            Column("slot", "Slot"),
            Column("starts_on", "From", "date"),
            Column("ends_on", "To", "date"),
            Column("unfilled_fte", "Unfilled FTE", "fte", descending_first=True),
        ],
        rows=[
            [
                row["slot"],
                labels.slot(row["slot"]),
                *(
                    (labels.slots[row["slot"]].starts_on, labels.slots[row["slot"]].ends_on)
                    if row["slot"] in labels.slots
                    else (None, None)
                ),
                row["unfilled_fte"],
            ]
            for row in result["unfilled"]
        ],
    )
    training = Table(
        key="training",
        title="Training suggestions",
        columns=[
            *PERSON_SKILL_COLUMNS,
            Column("from", "From level", "int"),
            Column("to", "To level", "int"),
            Column("gain", "Gap closed (levels)", "fte", descending_first=True),
        ],
        rows=[
            [*person_skill_cells(row["person"], row["skill"], labels), row["from"], row["to"], row["gain"]]
            for row in training_order(result["training"], labels)
        ],
        note=(
            "Gap closed: one level on each slot the person works on or is among the top three candidates for "
            "that asks for more of the skill than they have, counted at the weight the slot gives the skill "
            "(1 unless the slot says otherwise). The largest first."
        ),
    )
    return [coverage, unfilled, training]


def team_tables(result: TeamResult, labels: ReportLabels) -> list[Table]:
    skills = Table(
        key="skills",
        title="Skills",
        columns=[
            Column("skill", "Skill"),
            Column("mean_shortfall", "Mean shortfall", "mean", descending_first=True),
            Column("meeting", "Meeting their level", "int", descending_first=True),
            Column("bus_factor", "Bus factor", "int", descending_first=True),
            Column("flagged", "Flagged", "bool", descending_first=True),
        ],
        note=(
            "Mean shortfall: levels below the member's profession, averaged over the team. Meeting their level: "
            f"members rated at or above it. Bus factor: members rated {BUS_FACTOR_LEVEL} or more; flagged when below "
            f"{BUS_FACTOR_MINIMUM}."
        ),
        rows=[
            [labels.skill(row["skill"]), row["mean_shortfall"], row["meeting"], row["bus_factor"], row["flagged"]]
            for row in result["skills"]
        ],
    )
    members = Table(
        key="members",
        title="Members",
        columns=[
            *PERSON_SKILL_COLUMNS,
            Column("rating", "Rating", "int"),
            Column("expected", "Expected level", "int"),
            Column("shortfall", "Shortfall (levels)", "int", descending_first=True),
        ],
        rows=[
            [
                *person_skill_cells(member["person"], skill, labels),
                member["skills"][skill]["rating"],
                member["skills"][skill]["expected"],
                member["skills"][skill]["shortfall"],
            ]
            for member in result["members"]
            for skill in labels.in_catalogue_order(member["skills"])
        ],
    )
    return [skills, members]


def organisation_tables(result: OrganisationResult, labels: ReportLabels) -> list[Table]:
    gaps = Table(
        key="gaps",
        title="Skill gaps",
        columns=[
            Column("skill", "Skill"),
            Column("level", "Level", "int"),
            Column("demand", "Demand (FTE)", "fte", descending_first=True),
            Column("supply", "Supply (FTE)", "fte", descending_first=True),
            Column("gap", "Gap (FTE)", "fte", descending_first=True),
            Column("professions", "Professions to consider"),
        ],
        rows=[
            [
                labels.skill(row["skill"]),
                row["level"],
                row["demand"],
                row["supply"],
                row["gap"],
                ", ".join(labels.profession(slug) for slug in professions_to_consider(row)) or None,
            ]
            for row in result["gaps"]
        ],
        note=(
            "Gap: demand minus supply at that level or above; positive where people are short. Professions to "
            "consider, on the rows short of people: those whose spectrum asks for the skill at that level or above."
        ),
    )
    weekly = Table(
        key="weekly",
        title="Weekly unfilled demand",
        columns=[
            Column("week", "Week starting", "date"),
            Column("phase", "Phase"),
            Column("fte", "Unfilled FTE", "fte", descending_first=True),
        ],
        rows=[
            [dt.date.fromisoformat(row["week"]), Phase(row["phase"]).label, row["fte"]]
            for row in result["weekly_demand"]
        ],
    )
    return [gaps, weekly]


def weekly_demand_matrix(result: OrganisationResult) -> Table:
    """Weekly unfilled demand with a row per week and a column per phase, and the week's total."""
    phases = list(dict.fromkeys(row["phase"] for row in result["weekly_demand"]))
    weeks: dict[str, dict[str, float]] = {}
    for row in result["weekly_demand"]:
        weeks.setdefault(row["week"], {})[row["phase"]] = row["fte"]
    return Table(
        key="weekly",
        title="Weekly unfilled demand",
        columns=[
            Column("week", "Week starting", "date"),
            *(Column(phase, f"{Phase(phase).label} (FTE)", "fte") for phase in phases),
            Column("total", "Total (FTE)", "fte"),
        ],
        rows=[
            [dt.date.fromisoformat(week), *(by_phase.get(phase, 0.0) for phase in phases), sum(by_phase.values())]
            for week, by_phase in weeks.items()
        ],
    )


def report_tables(report: Report, result: ReportResult, labels: ReportLabels) -> list[Table]:
    """The tables of a finished report, from its (visible) result and the names it refers to."""
    return kind_tables(report.kind, result, labels)


def kind_tables(kind: str, result: ReportResult, labels: ReportLabels) -> list[Table]:
    """The tables of a result of ``kind`` (a ``Report.Kind``)."""
    if kind == Report.Kind.PROJECT:
        return project_tables(cast(ProjectResult, result), labels)
    if kind == Report.Kind.TEAM:
        return team_tables(cast(TeamResult, result), labels)
    return organisation_tables(cast(OrganisationResult, result), labels)


def recommendations_table(sentences: Sequence[str]) -> Table:
    """The report's recommendations, a sentence a row, as the page lists them."""
    return Table(
        key=RECOMMENDATIONS,
        title="Recommendations",
        columns=[Column("recommendation", "Recommendation", wide=True)],
        rows=[[sentence] for sentence in sentences],
    )


def with_recommendations(tables: Sequence[Table], sentences: Sequence[str]) -> list[Table]:
    """The tables a download offers: the report's tables, then its recommendations."""
    return [*tables, recommendations_table(sentences)]


def file_tables(report: Report, result: ReportResult, labels: ReportLabels) -> list[Table]:
    """Every table the downloads of a finished report hold, from its (visible) result."""
    return with_recommendations(report_tables(report, result, labels), recommendations(report, result, labels))


def chosen_table(tables: Sequence[Table], key: str | None) -> Table | None:
    """The table ``?table=key`` names among ``tables`` (the main one, the first, when there is no
    ``?table=`` at all), or None."""
    if key is None:
        return tables[0]
    return next((table for table in tables if table.key == key), None)


def unknown_table_message(kind: str, tables: Sequence[Table]) -> str:
    """What a ``?table=`` naming none of ``tables``, those of a ``kind`` report, is told."""
    keys = [table.key for table in tables]
    listed = f"{', '.join(keys[:-1])} and {keys[-1]}" if len(keys) > 1 else "".join(keys)
    return f"{with_article(f'{kind} report').capitalize()} has the tables {listed}."


# --- Files ---------------------------------------------------------------------------------------


def table_to_csv(table: Table) -> bytes:
    """One table as a CSV file: its column headings, then its rows (see the module's docstring)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([file_cell(column.heading) for column in table.columns])
    for row in table.rows:
        writer.writerow(
            [plain(file_cell(value), column.kind) for value, column in zip(row, table.columns, strict=True)]
        )
    return buffer.getvalue().encode("utf-8")


def file_cell(value: Value) -> Value:
    """A cell as a file holds it: text that starts like a formula gets a quote in front, anything else is kept."""
    return neutralise_formula(value) if isinstance(value, str) else value


def append_row(sheet: Any, row: Sequence[Value]) -> None:
    """Add a row to ``sheet``: numbers, dates and flags typed, text quoted when it starts like a formula
    and always a string cell (openpyxl would otherwise store text starting with ``=`` as a formula)."""
    sheet.append([file_cell(value) for value in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def tables_to_xlsx(tables: Sequence[Table], *, title: str) -> bytes:
    """A workbook with a sheet per table (see the module's docstring)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title
    heading_font = Font(bold=True)
    heading_fill = PatternFill("solid", fgColor="EEF2F7")
    for table in tables:
        sheet = workbook.create_sheet(title=table.title[:SHEET_TITLE_LENGTH])
        append_row(sheet, [column.heading for column in table.columns])
        for cell in sheet[1]:
            cell.font = heading_font
            cell.fill = heading_fill
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        for row in table.rows:
            append_row(sheet, row)
        for index, column in enumerate(table.columns, start=1):
            letter = get_column_letter(index)
            number_format = NUMBER_FORMATS.get(column.kind)
            if number_format:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = number_format
            if column.wide:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.alignment = Alignment(vertical="top", wrap_text=True)
            widest = max(
                [len(column.heading)] + [len(plain(row[index - 1], column.kind)) for row in table.rows],
            )
            sheet.column_dimensions[letter].width = min(
                widest + 2, WIDE_COLUMN_WIDTH if column.wide else MAX_COLUMN_WIDTH
            )
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{max(len(table.rows) + 1, 1)}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(report: Report, extension: str, *, table: str = "") -> str:
    """``team-report-imaging-12.xlsx``, ``team-report-imaging-12-members.csv``: the kind, the subject,
    the id and, for one table, its key; safe in any file system."""
    if report.kind == Report.Kind.PROJECT and report.project:
        subject = slugify(report.project.name)
    elif report.kind == Report.Kind.TEAM and report.team:
        subject = slugify(report.team.name)
    elif report.starts_on and report.ends_on:
        subject = f"{report.starts_on.isoformat()}-to-{report.ends_on.isoformat()}"
    else:
        subject = ""
    stem = "-".join(part for part in (f"{report.kind}-report", subject[:60], str(report.pk), table) if part)
    return f"{stem}.{extension}"


def download(content: bytes, *, file_format: Format, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(report: Report, table: Table) -> HttpResponse:
    """The download of one table of a report as CSV, named after the report and the table."""
    return download(table_to_csv(table), file_format="csv", filename=export_filename(report, "csv", table=table.key))


def xlsx_response(report: Report, tables: Sequence[Table], *, title: str) -> HttpResponse:
    """The download of every table of a report as a workbook, a sheet per table."""
    return download(tables_to_xlsx(tables, title=title), file_format="xlsx", filename=export_filename(report, "xlsx"))
