"""The heatmaps of the skill-gap reports, drawn on the server as SVG.

Pure functions like ``staffing.charts``: a report's result and its names go in, the geometry a
template draws comes out. Every cell shows its figure as text and names its row, column and
values in a ``<title>`` (shown on hover); a table with the same figures stands in for the chart.

- project: skills × phases, the gap between the level a phase requires and the level its
  confirmed people reach;
- team: members × skills, each member's rating against the level their profession expects;
- organisation: skills × levels 1–5, demand minus supply in FTE (positive: short; negative: spare).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, cast

from projects.models import Phase
from skills.models import MAX_LEVEL, Proficiency
from staffing.charts import Axis, GroupLabel, cells_by_row, contrast_ratio, lay_out_grid, text_colour_for
from staffing.report_selectors import ReportLabels
from staffing.report_types import OrganisationResult, ProjectResult, ReportResult, TeamResult

WHITE = "#ffffff"
MINUS = "−"


@dataclass(frozen=True)
class Band:
    """One colour of a heatmap: what it means, and the sample its legend swatch shows."""

    label: str
    fill: str
    sample: str

    @property
    def text_colour(self) -> str:
        return text_colour_for(self.fill)

    @property
    def contrast(self) -> float:
        return contrast_ratio(self.fill, self.text_colour)


# Shortfall in levels: met, then warmer and darker as it grows.
NOT_REQUIRED = Band("Not required", WHITE, "–")
SHORTFALL_BANDS = [
    Band("Met", "#dff1e5", "0"),
    Band("1 level short", "#fde3bd", "1"),
    Band("2 levels short", "#f2a25c", "2"),
    Band("3 or more levels short", "#a92a22", "3+"),
]
# Demand minus supply in FTE: spare people in blues, shortfalls in oranges and red, darker further from 0.
SPARE_PLENTY = Band("Spare: 5 FTE or more", "#2f6fb0", f"{MINUS}5")
SPARE_SOME = Band("Spare: 1 to 5 FTE", "#8fb8e2", f"{MINUS}1")
SPARE_LITTLE = Band("Spare: under 1 FTE", "#d6e6f5", f"{MINUS}½")
BALANCED = Band("Balanced", "#f1f3f6", "0")
SHORT_LITTLE = Band("Short: under 1 FTE", "#fde3bd", "½")
SHORT_SOME = Band("Short: 1 to 3 FTE", "#f2a25c", "1")
SHORT_PLENTY = Band("Short: 3 FTE or more", "#a92a22", "3")
GAP_BANDS = [SPARE_PLENTY, SPARE_SOME, SPARE_LITTLE, BALANCED, SHORT_LITTLE, SHORT_SOME, SHORT_PLENTY]


def shortfall_band(shortfall: int) -> Band:
    return SHORTFALL_BANDS[min(max(shortfall, 0), len(SHORTFALL_BANDS) - 1)]


def gap_band(gap: float) -> Band:
    """The colour of a gap in FTE (demand minus supply)."""
    if gap > 0:
        return SHORT_PLENTY if gap >= 3 else SHORT_SOME if gap >= 1 else SHORT_LITTLE
    if gap < 0:
        return SPARE_PLENTY if gap <= -5 else SPARE_SOME if gap <= -1 else SPARE_LITTLE
    return BALANCED


def signed_fte(value: float) -> str:
    """``1.50``, ``−0.50``, ``0.00``: a gap with a true minus sign."""
    return f"{value:.2f}".replace("-", MINUS)


@dataclass(frozen=True)
class Shade:
    """What one cell shows: its colour band, its text and its title."""

    band: Band
    text: str
    title: str
    detail: str  # the cell in the table that stands in for the chart


@dataclass(frozen=True)
class GridCell:
    row: str
    column: str
    x: float
    y: float
    text_x: float
    text_y: float
    fill: str
    text_colour: str
    text: str
    title: str
    detail: str


@dataclass(frozen=True)
class GridLegendItem:
    label: str
    x: float
    y: float
    sample_x: float
    label_x: float
    text_y: float
    fill: str
    text_colour: str
    sample: str


@dataclass(frozen=True)
class GridHeatmap:
    """A heatmap's geometry: rows and columns with their labels, cells, and a legend under them."""

    key: str
    title: str
    summary: str
    caption: str
    row_heading: str
    width: float
    height: float
    cell_width: float
    cell_height: float
    rows: list[Axis]
    columns: list[Axis]
    rotate_columns: bool
    groups: list[GroupLabel]
    cells: list[GridCell]
    legend_title: str
    legend_title_x: float
    legend_y: float
    swatch: float
    legend: list[GridLegendItem]
    table_units: str = ""  # what the table's cells hold, where the title does not say

    table_summary: ClassVar[str] = "Show the chart as a table"

    @property
    def chart_label(self) -> str:
        return f"{self.title}: chart"

    @property
    def table_caption(self) -> str:
        """The title, and what the table's cells hold where the title does not say."""
        return self.title + self.table_units

    def table(self) -> list[tuple[Axis, list[GridCell]]]:
        """The cells row by row, for the table that stands in for the chart."""
        return cells_by_row(self.rows, self.columns, self.cells)


def grid_heatmap(
    *,
    key: str,
    title: str,
    summary: str,
    caption: str,
    row_heading: str,
    rows: Sequence[tuple[str, str, str]],
    columns: Sequence[tuple[str, str]],
    shade: Callable[[str, str], Shade],
    bands: Sequence[Band],
    legend_title: str,
    cell_width: float = 120,
    cell_height: float = 34,
    label_width: float = 160,
    rotate_columns: bool = False,
    table_units: str = "",
) -> GridHeatmap:
    """Lay out a heatmap of ``rows`` (slug, name, group: rows of a group together, "" for none) by
    ``columns`` (slug, name); ``shade(row, column)`` says what each cell shows.

    Group names sit left of their rows, with a small gap between groups. Long column names are
    written at a slant (``rotate_columns``) so that narrow columns stay legible.
    """
    grouped = any(group for _, _, group in rows)
    left = (150.0 if grouped else 0.0) + label_width
    header = 130.0 if rotate_columns else 40.0
    grid = lay_out_grid(
        rows=rows,
        columns=columns,
        left=left,
        top=header,
        cell_width=cell_width,
        cell_height=cell_height,
        column_label_y=header - (8 if rotate_columns else 14),
        column_label_shift=cell_width / 4 if rotate_columns else 0,
        name_groups=grouped,
    )
    axis_rows, axis_columns = grid.rows, grid.columns

    cells = []
    for row in axis_rows:
        for column in axis_columns:
            found = shade(row.slug, column.slug)
            cells.append(
                GridCell(
                    row=row.slug,
                    column=column.slug,
                    x=column.position,
                    y=row.position,
                    text_x=column.position + cell_width / 2,
                    text_y=row.position + cell_height / 2,
                    fill=found.band.fill,
                    text_colour=found.band.text_colour,
                    text=found.text,
                    title=found.title,
                    detail=found.detail,
                )
            )

    # The legend: a swatch with its sample figure and what the colour means, a few to a line.
    swatch, item_width = 26.0, 210.0
    # Slanted column names reach past the last column; leave them room.
    grid_width = cell_width * max(len(axis_columns), 1) + (110 if rotate_columns else 0)
    per_line = max(1, int(max(grid_width, 2 * item_width) // item_width))
    legend_y = grid.bottom + cell_height
    legend = []
    for index, band in enumerate(bands):
        x = left + (index % per_line) * item_width
        top = legend_y + (index // per_line) * (swatch + 10)
        legend.append(
            GridLegendItem(
                label=band.label,
                x=x,
                y=top,
                sample_x=x + swatch / 2,
                label_x=x + swatch + 8,
                text_y=top + swatch / 2,
                fill=band.fill,
                text_colour=band.text_colour,
                sample=band.sample,
            )
        )
    lines = (len(bands) + per_line - 1) // per_line
    return GridHeatmap(
        key=key,
        title=title,
        summary=summary,
        caption=caption,
        row_heading=row_heading,
        width=left + max(grid_width, per_line * item_width),
        height=legend_y + lines * (swatch + 10) + 4,
        cell_width=cell_width,
        cell_height=cell_height,
        rows=axis_rows,
        columns=axis_columns,
        rotate_columns=rotate_columns,
        groups=grid.groups,
        cells=cells,
        legend_title=legend_title,
        legend_title_x=left - 12,
        legend_y=legend_y + swatch / 2,
        swatch=swatch,
        legend=legend,
        table_units=table_units,
    )


def skill_rows(labels: ReportLabels, slugs: Sequence[str]) -> list[tuple[str, str, str]]:
    """The skills of a result in catalogue order, with their names and groups."""
    present = set(slugs)
    rows = [(skill.slug, skill.name, skill.group) for skill in labels.skills.values() if skill.slug in present]
    known = {slug for slug, _, _ in rows}
    return rows + [(slug, slug, "") for slug in slugs if slug not in known]


def project_heatmap(result: ProjectResult, labels: ReportLabels) -> GridHeatmap:
    """Skills × phases: the gap between the level each phase requires and the level its people reach."""
    figures = {(row["skill"], phase["phase"]): row for phase in result["phases"] for row in phase["skills"]}
    phases = [(phase["phase"], Phase(phase["phase"]).label) for phase in result["phases"]]
    names = dict(phases)
    slugs = list(dict.fromkeys(skill for skill, _ in figures))

    def shade(skill: str, phase: str) -> Shade:
        row = figures[(skill, phase)]
        where = f"{names[phase]}, {labels.skill(skill)}"
        if not row["required"]:
            return Shade(NOT_REQUIRED, "–", f"{where}: not required (covered {row['covered']}).", "not required")
        detail = f"required {row['required']}, covered {row['covered']}, gap {row['gap']}"
        return Shade(shortfall_band(row["gap"]), str(row["gap"]), f"{where}: {detail}.", detail)

    return grid_heatmap(
        key="project",
        title="Skill gaps by phase",
        summary=(
            f"Heatmap of the gap, in levels, between the level each of {len(phases)} phases requires in each of "
            f"{len(slugs)} skills and the highest level among the people confirmed on the project. "
            "The same figures are in the table that follows."
        ),
        caption=(
            "Each cell shows the gap in levels: required minus covered. Darker, warmer cells are further short; "
            "a dash means the phase does not require the skill. Hover over a cell for its figures."
        ),
        row_heading="Skill",
        rows=skill_rows(labels, slugs),
        columns=phases,
        shade=shade,
        bands=[NOT_REQUIRED, *SHORTFALL_BANDS],
        legend_title="Gap",
        cell_width=190,
    )


def team_heatmap(result: TeamResult, labels: ReportLabels) -> GridHeatmap:
    """Members × skills: each member's rating against the level their profession expects."""
    members = {str(member["person"]): member for member in result["members"]}
    slugs = list(result["members"][0]["skills"]) if result["members"] else [row["skill"] for row in result["skills"]]
    skills = skill_rows(labels, slugs)

    def shade(person: str, skill: str) -> Shade:
        cell = members[person]["skills"][skill]
        short = cell["shortfall"]
        state = "meets it" if not short else f"{short} level{'' if short == 1 else 's'} short"
        return Shade(
            shortfall_band(short),
            f"{cell['rating']}/{cell['expected']}",
            f"{labels.person(int(person))}, {labels.skill(skill)}: rated {cell['rating']}, "
            f"expected {cell['expected']} ({state}).",
            f"{cell['rating']} / {cell['expected']}",
        )

    return grid_heatmap(
        key="team",
        title="Ratings against expected levels",
        summary=(
            f"Heatmap of {len(members)} members' ratings in {len(skills)} skills against the level their "
            "profession expects; the colour shows the shortfall. The same figures are in the table that follows."
        ),
        caption=(
            "Each cell shows a member's rating and, after the slash, the level their profession expects. "
            "Darker, warmer cells are further short. Hover over a cell for its figures."
        ),
        row_heading="Member",
        rows=[(person, labels.person(int(person)), "") for person in members],
        columns=[(slug, name) for slug, name, _ in skills],
        shade=shade,
        bands=SHORTFALL_BANDS,
        legend_title="Shortfall",
        cell_width=64,
        label_width=200,
        rotate_columns=True,
        table_units=": rating / expected level",
    )


def organisation_heatmap(result: OrganisationResult, labels: ReportLabels) -> GridHeatmap:
    """Skills × levels 1–5: demand minus supply in FTE over the report's range."""
    figures = {(row["skill"], str(row["level"])): row for row in result["gaps"]}
    slugs = list(dict.fromkeys(row["skill"] for row in result["gaps"]))
    levels = [(str(level), f"{level} {Proficiency(level).label}") for level in range(1, MAX_LEVEL + 1)]

    def shade(skill: str, level: str) -> Shade:
        row = figures.get((skill, level))
        if row is None:
            return Shade(BALANCED, "–", f"{labels.skill(skill)} at level {level}: no figures.", "–")
        return Shade(
            gap_band(row["gap"]),
            signed_fte(row["gap"]),
            f"{labels.skill(skill)} at level {level}: demand {row['demand']:.2f} FTE, "
            f"supply {row['supply']:.2f} FTE, gap {signed_fte(row['gap'])} FTE.",
            signed_fte(row["gap"]),
        )

    return grid_heatmap(
        key="organisation",
        title="Skill gaps by level",
        summary=(
            f"Heatmap of demand minus supply, in FTE, for each of {len(slugs)} skills at levels 1 to {MAX_LEVEL}: "
            "positive where demand exceeds supply, negative where people are spare. "
            "The same figures are in the table that follows."
        ),
        caption=(
            "Each cell shows demand minus supply in FTE at that level or above. Orange and red cells are short; "
            "blue cells have people to spare; darker cells are further from balance. Hover over a cell for its "
            "demand and supply."
        ),
        row_heading="Skill",
        rows=skill_rows(labels, slugs),
        columns=levels,
        shade=shade,
        bands=GAP_BANDS,
        legend_title="Gap",
        cell_width=112,
        table_units=": demand minus supply (FTE)",
    )


def report_heatmap(kind: str, result: ReportResult, labels: ReportLabels) -> GridHeatmap:
    """The heatmap of a result of ``kind`` (a ``Report.Kind`` value)."""
    if kind == "project":
        return project_heatmap(cast(ProjectResult, result), labels)
    if kind == "team":
        return team_heatmap(cast(TeamResult, result), labels)
    return organisation_heatmap(cast(OrganisationResult, result), labels)
