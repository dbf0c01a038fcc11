"""Charts drawn on the server as SVG: pure functions that return the geometry templates render.

Nothing here touches the database; callers pass plain values in and get dataclasses out, so the
arithmetic (positions, colours, labels) is tested without a request.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import ClassVar, TypeVar

from skills.models import Proficiency

# A sequential blue scale, light (none) to dark (expert). Each level's text colour is chosen by
# ``text_colour_for`` so labels keep at least 4.5:1 contrast on their cell.
LEVEL_FILLS: dict[int, str] = {
    0: "#f1f3f6",
    1: "#d6e6f5",
    2: "#a9cbea",
    3: "#6fa3d6",
    4: "#2f6fb0",
    5: "#163f6e",
}
DARK_TEXT = "#111827"
LIGHT_TEXT = "#ffffff"

CellT = TypeVar("CellT")


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two ``#rrggbb`` colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_for(fill: str) -> str:
    """Dark or light text, whichever contrasts more with ``fill``."""
    return max((DARK_TEXT, LIGHT_TEXT), key=lambda text: contrast_ratio(fill, text))


def level_label(level: int) -> str:
    """``"3 Practitioner"``: the number with its name on the proficiency scale."""
    return f"{level} {Proficiency(level).label}"


@dataclass(frozen=True)
class Axis:
    """One row or column of the heatmap: its label, where its cells start, and where its label sits."""

    slug: str
    name: str
    position: float
    label_x: float
    label_y: float


@dataclass(frozen=True)
class GroupLabel:
    """The name of a skill group, beside the rows of its skills."""

    name: str
    x: float
    y: float


@dataclass(frozen=True)
class Grid:
    """A heatmap's rows and columns laid out, the names of its row groups, and where its rows end."""

    columns: list[Axis]
    rows: list[Axis]
    groups: list[GroupLabel]
    bottom: float


def lay_out_grid(
    *,
    rows: Sequence[tuple[str, str, str]],
    columns: Sequence[tuple[str, str]],
    left: float,
    top: float,
    cell_width: float,
    cell_height: float,
    column_label_y: float,
    column_label_shift: float = 0,
    name_groups: bool = True,
) -> Grid:
    """Lay out ``columns`` (slug, name) from ``left`` and ``rows`` (slug, name, group) from ``top``.

    Rows of a group stand together, a third of a row's height apart from the next group; with
    ``name_groups`` each group's name sits at the far left, level with the middle of its rows.
    Column labels sit over the middle of their column, moved left by ``column_label_shift``; row
    labels end just left of the cells.
    """
    gap = cell_height / 3
    grid_columns = [
        Axis(
            slug=slug,
            name=name,
            position=left + index * cell_width,
            label_x=left + index * cell_width + cell_width / 2 - column_label_shift,
            label_y=column_label_y,
        )
        for index, (slug, name) in enumerate(columns)
    ]

    grid_rows: list[Axis] = []
    groups: list[GroupLabel] = []
    y = top
    group_top = y
    for index, (slug, name, group) in enumerate(rows):
        if index and group != rows[index - 1][2]:
            if name_groups:
                groups.append(GroupLabel(name=rows[index - 1][2], x=0, y=(group_top + y) / 2))
            y += gap
            group_top = y
        grid_rows.append(Axis(slug=slug, name=name, position=y, label_x=left - 12, label_y=y + cell_height / 2))
        y += cell_height
    if rows and name_groups:
        groups.append(GroupLabel(name=rows[-1][2], x=0, y=(group_top + y) / 2))
    return Grid(columns=grid_columns, rows=grid_rows, groups=groups, bottom=y)


def cells_by_row(
    rows: Sequence[Axis], columns: Sequence[Axis], cells: Sequence[CellT]
) -> list[tuple[Axis, list[CellT]]]:
    """A heatmap's cells (row after row) with their rows, for the table that stands in for the chart."""
    width = len(columns)
    return [(row, list(cells[index * width : (index + 1) * width])) for index, row in enumerate(rows)]


@dataclass(frozen=True)
class HeatmapCell:
    row: str
    column: str
    level: int | None
    x: float
    y: float
    text_x: float
    text_y: float
    fill: str
    text_colour: str
    text: str
    title: str

    @property
    def detail(self) -> str:
        """The cell in the table that stands in for the chart."""
        return self.text


@dataclass(frozen=True)
class LegendItem:
    level: int
    label: str
    x: float
    y: float
    sample_x: float
    label_x: float
    text_y: float
    fill: str
    text_colour: str

    @property
    def sample(self) -> str:
        """What the swatch shows: the level's number."""
        return str(self.level)


@dataclass(frozen=True)
class Heatmap:
    width: float
    height: float
    cell_width: float
    cell_height: float
    rows: list[Axis]
    columns: list[Axis]
    groups: list[GroupLabel]
    cells: list[HeatmapCell]
    legend: list[LegendItem]
    legend_y: float
    swatch: float
    summary: str

    # The words around the chart, named as on a report's heatmap (``GridHeatmap``): one template draws both.
    title: ClassVar[str] = "Profession × skill spectrum"
    chart_label: ClassVar[str] = "Spectrum heatmap"
    caption: ClassVar[str] = (
        "Darker cells ask for a higher level; every cell also shows its level as a number. Hovering over a cell "
        "names its profession and skill; the table below has the same figures."
    )
    table_summary: ClassVar[str] = "Show the spectrum as a table"
    table_caption: ClassVar[str] = "Expected level per skill and profession"
    row_heading: ClassVar[str] = "Skill"
    legend_title: ClassVar[str] = "Levels"
    rotate_columns: ClassVar[bool] = False

    @property
    def legend_title_x(self) -> float:
        """The legend's title ends where the row labels end."""
        return self.rows[0].label_x if self.rows else 0

    def table(self) -> list[tuple[Axis, list[HeatmapCell]]]:
        """The cells row by row, for the heatmap's table alternative."""
        return cells_by_row(self.rows, self.columns, self.cells)


def spectrum_heatmap(
    *,
    skills: Sequence[tuple[str, str, str]],
    professions: Sequence[tuple[str, str]],
    levels: Mapping[tuple[str, str], int],
    cell_width: float = 128,
    cell_height: float = 34,
    group_width: float = 150,
    label_width: float = 150,
    header_height: float = 40,
) -> Heatmap:
    """The profession × skill spectrum: a row per skill, a column per profession, and a legend.

    ``skills`` are ``(slug, name, group name)`` in display order, skills of a group together;
    ``professions`` are ``(slug, name)``; ``levels`` maps ``(profession_slug, skill_slug)`` to a
    level, and a missing pair is drawn as "not set". A small gap separates skill groups, whose names
    sit to the left of their rows. Text positions are the centres (column headings, cells) or the
    right edges (row labels) of what they label.
    """
    left = group_width + label_width
    grid = lay_out_grid(
        rows=skills,
        columns=professions,
        left=left,
        top=header_height,
        cell_width=cell_width,
        cell_height=cell_height,
        column_label_y=header_height - 14,
    )
    columns, rows = grid.columns, grid.rows

    cells = []
    for row in rows:
        for column in columns:
            level = levels.get((column.slug, row.slug))
            fill = LEVEL_FILLS[level] if level is not None else "#ffffff"
            described = level_label(level) if level is not None else "not set"
            cells.append(
                HeatmapCell(
                    row=row.slug,
                    column=column.slug,
                    level=level,
                    x=column.position,
                    y=row.position,
                    text_x=column.position + cell_width / 2,
                    text_y=row.position + cell_height / 2,
                    fill=fill,
                    text_colour=text_colour_for(fill),
                    text=str(level) if level is not None else "–",
                    title=f"{column.name}, {row.name}: {described}",
                )
            )

    width = left + cell_width * max(len(columns), 1)
    # The legend: a swatch with its number and the level's name beside it, six to a line, under the cells.
    swatch = 24.0
    legend_y = grid.bottom + cell_height
    item_width = (width - left) / 3 if columns else 120.0
    legend = []
    for index, (level, fill) in enumerate(sorted(LEVEL_FILLS.items())):
        x = left + (index % 3) * item_width
        top = legend_y - swatch / 2 + (index // 3) * (swatch + 10)
        legend.append(
            LegendItem(
                level=level,
                label=Proficiency(level).label,
                x=x,
                y=top,
                sample_x=x + swatch / 2,
                label_x=x + swatch + 8,
                text_y=top + swatch / 2,
                fill=fill,
                text_colour=text_colour_for(fill),
            )
        )
    height = legend_y + swatch / 2 + swatch + 10 + 4
    summary = (
        f"Heatmap of the level, from 0 (none) to 5 (expert), that each of {len(columns)} professions "
        f"is expected to hold in each of {len(rows)} skills. The same figures are in the table below."
    )
    return Heatmap(
        width=width,
        height=height,
        cell_width=cell_width,
        cell_height=cell_height,
        rows=rows,
        columns=columns,
        groups=grid.groups,
        cells=cells,
        legend=legend,
        legend_y=legend_y,
        swatch=swatch,
        summary=summary,
    )


@dataclass(frozen=True)
class CoverageBar:
    width: float
    height: float
    filled_width: float
    percent: int
    label: str


def coverage_bar(*, fte: Decimal, unfilled_fte: Decimal, width: float = 120, height: float = 12) -> CoverageBar:
    """How much of a slot's FTE is covered by confirmed assignments, as a bar and a sentence."""
    covered = max(Decimal("0"), min(fte, fte - unfilled_fte))
    share = covered / fte if fte > 0 else Decimal("0")
    percent = int((share * 100).to_integral_value())
    return CoverageBar(
        width=width,
        height=height,
        filled_width=round(float(share) * width, 1),
        percent=percent,
        label=f"{covered:.2f} of {fte:.2f} FTE filled ({percent}%)",
    )


@dataclass(frozen=True)
class FitBar:
    width: float
    height: float
    filled_width: float
    percent: int
    label: str


def fit_bar(*, fit: float, width: float = 64, height: float = 8) -> FitBar:
    """A candidate's fit (0 to 1) as a short bar, with the sentence that stands in for it."""
    share = min(1.0, max(0.0, fit))
    percent = int(Decimal(str(share * 100)).to_integral_value())
    return FitBar(
        width=width,
        height=height,
        filled_width=round(share * width, 1),
        percent=percent,
        label=f"Fit {fit:.4f} ({percent}% of a perfect fit)",
    )


# --- A person's load, week by week ---------------------------------------------------------------

WeekLoad = tuple[dt.date, Decimal, Decimal]  # a week's first day, its confirmed peak, its peak with tentative
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LoadWeek:
    """One week of a load chart: its peaks, whether they exceed capacity, and where its bars sit."""

    starts_on: dt.date
    confirmed: Decimal
    with_tentative: Decimal
    over_capacity: bool
    over_if_confirmed: bool
    x: float
    bar_width: float
    confirmed_y: float
    confirmed_height: float
    tentative_y: float
    tentative_height: float
    centre: float
    tick_label: str
    title: str

    @property
    def tentative(self) -> Decimal:
        """What tentative assignments add on top of the confirmed peak, at their highest."""
        return self.with_tentative - self.confirmed

    @property
    def mark_y(self) -> float:
        """Where the over-capacity mark sits: just above the bar."""
        return round(self.tentative_y - 6, 1)

    @property
    def status(self) -> str:
        if self.over_capacity:
            return "Over capacity"
        if self.over_if_confirmed:
            return "Over capacity if the tentative assignments are confirmed"
        return "Within capacity"


@dataclass(frozen=True)
class AxisTick:
    value: Decimal
    y: float


@dataclass(frozen=True)
class LoadChart:
    width: float
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    capacity: Decimal
    capacity_y: float
    ticks: list[AxisTick]
    weeks: list[LoadWeek]
    summary: str

    @property
    def value_label_x(self) -> float:
        return self.plot_left - 8

    @property
    def week_label_y(self) -> float:
        return self.plot_bottom + 18

    @property
    def capacity_label_y(self) -> float:
        return round(self.capacity_y - 6, 1)

    @property
    def marked_weeks(self) -> list[LoadWeek]:
        return [week for week in self.weeks if week.over_capacity or week.over_if_confirmed]

    @property
    def over_capacity_weeks(self) -> list[LoadWeek]:
        return [week for week in self.weeks if week.over_capacity]

    @property
    def at_risk_weeks(self) -> list[LoadWeek]:
        """The weeks over capacity only if the tentative assignments are confirmed."""
        return [week for week in self.weeks if week.over_if_confirmed]


def _weeks(count: int) -> str:
    return f"{count} week{'s' if count != 1 else ''}"


def _scale_top(highest: Decimal) -> tuple[Decimal, Decimal]:
    """The top of the value axis (at least 1 FTE, rounded up) and the step between its ticks."""
    step = Decimal("0.25") if highest <= Decimal("1.00") else Decimal("0.50")
    top = max(Decimal("1.00"), (highest / step).to_integral_value(rounding=ROUND_CEILING) * step)
    return top, step


def weekly_load_chart(
    *,
    capacity: Decimal,
    peaks: Sequence[WeekLoad],
    width: float = 960,
    height: float = 260,
) -> LoadChart:
    """A person's load week by week, as bars against their capacity; ``peaks`` has one row per week.

    Each week's confirmed bar is the week's highest daily confirmed load (DESIGN.md §3 "Load");
    the tentative part stacked on it reaches the highest daily load counting tentative assignments too
    (``projects.load.weekly_peaks`` computes both). A week is over capacity when its confirmed peak
    exceeds ``capacity``, and over if confirmed when only the peak with tentative assignments does.
    """
    left, right, top, bottom = 52.0, 12.0, 24.0, 34.0
    plot_width, plot_height = width - left - right, height - top - bottom
    weeks, starts_on = len(peaks), peaks[0][0]
    slot_width = plot_width / weeks
    bar_width = round(slot_width * 0.64, 1)

    scale, step = _scale_top(max([capacity, *(both for _, _, both in peaks)]))

    def y_of(value: Decimal) -> float:
        return round(top + plot_height * (1 - float(value / scale)), 1)

    chart_weeks = []
    for index, (first, peak, both) in enumerate(peaks):
        x = round(left + index * slot_width + (slot_width - bar_width) / 2, 1)
        over, over_if = peak > capacity, both > capacity >= peak
        title = f"Week of {first.day} {first:%b %Y}: {peak} FTE confirmed"
        if both > peak:
            title += f", {both} FTE with tentative assignments"
        if over:
            title += ", over capacity"
        elif over_if:
            title += ", over capacity if confirmed"
        chart_weeks.append(
            LoadWeek(
                starts_on=first,
                confirmed=peak,
                with_tentative=both,
                over_capacity=over,
                over_if_confirmed=over_if,
                x=x,
                bar_width=bar_width,
                confirmed_y=y_of(peak),
                confirmed_height=round(y_of(ZERO) - y_of(peak), 1),
                tentative_y=y_of(both),
                tentative_height=round(y_of(peak) - y_of(both), 1),
                centre=round(x + bar_width / 2, 1),
                tick_label=f"{first.day} {first:%b}" if index % 4 == 0 else "",
                title=title + ".",
            )
        )

    ticks = []
    value = ZERO
    while value <= scale:
        ticks.append(AxisTick(value=value.quantize(Decimal("0.01")), y=y_of(value)))
        value += step
    highest = max((week.confirmed for week in chart_weeks), default=ZERO)
    over_weeks = sum(week.over_capacity for week in chart_weeks)
    at_risk = sum(week.over_if_confirmed for week in chart_weeks)
    summary = (
        f"Highest daily load in each of the {weeks} weeks from {starts_on.day} {starts_on:%b %Y}, against a "
        f"capacity of {capacity} FTE. Confirmed load peaks at {highest} FTE. "
        + (f"{_weeks(over_weeks)} over capacity." if over_weeks else "No week is over capacity.")
        + (
            f" {_weeks(at_risk)} {'more ' if over_weeks else ''}would be over capacity if the tentative "
            "assignments were confirmed."
            if at_risk
            else ""
        )
    )
    return LoadChart(
        width=width,
        height=height,
        plot_left=left,
        plot_right=width - right,
        plot_top=top,
        plot_bottom=top + plot_height,
        capacity=capacity,
        capacity_y=y_of(capacity),
        ticks=ticks,
        weeks=chart_weeks,
        summary=summary,
    )
