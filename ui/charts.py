"""Charts drawn on the server as SVG: pure functions that return the geometry templates render.

Nothing here touches the database; callers pass plain values in and get dataclasses out, so the
arithmetic (positions, colours, labels) is tested without a request.
"""

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, Decimal
from typing import TypeVar

from ui.formats import fit_percent, format_date, format_fit, format_fte

CellT = TypeVar("CellT")


def level_label(level: int, name: str) -> str:
    """``"3 Practitioner"``: the number with its name on the proficiency scale."""
    return f"{level} {name}"


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
class Band:
    """One colour of a heatmap: what it means, the sample its legend swatch shows, and its palette entry.

    The colours themselves live in the stylesheet, as ``heatmap__cell--<name>`` classes that set a fill
    and a text colour (``tests/ui/test_heatmap_palette.py`` holds every pair to 4.5:1 contrast).
    """

    label: str
    name: str
    sample: str

    @property
    def css_class(self) -> str:
        return f"heatmap__cell--{self.name}"


# The blank cell: a pair the chart does not rate (not required, not set).
BLANK = "blank"


@dataclass(frozen=True)
class Shade:
    """What one cell shows: its band, its text, its title (on hover) and its cell in the table."""

    band: Band
    text: str
    title: str
    detail: str
    level: int | None = None  # the level a spectrum cell stands for, for its data attribute


@dataclass(frozen=True)
class HeatmapCell:
    row: str
    column: str
    x: float
    y: float
    text_x: float
    text_y: float
    band: Band
    text: str
    title: str
    detail: str  # the cell in the table that stands in for the chart
    level: int | None = None

    @property
    def css_class(self) -> str:
        return self.band.css_class


@dataclass(frozen=True)
class LegendItem:
    band: Band
    x: float
    y: float
    sample_x: float
    label_x: float
    text_y: float

    @property
    def label(self) -> str:
        return self.band.label

    @property
    def sample(self) -> str:
        return self.band.sample

    @property
    def css_class(self) -> str:
        return self.band.css_class


@dataclass(frozen=True)
class Heatmap:
    """A heatmap's geometry and words: rows and columns with their labels, cells, a legend under them,
    and what the table that stands in for the chart shows."""

    key: str
    title: str
    summary: str
    caption: str
    row_heading: str
    chart_label: str
    table_summary: str
    table_caption: str
    width: float
    height: float
    cell_width: float
    cell_height: float
    rows: list[Axis]
    columns: list[Axis]
    rotate_columns: bool
    groups: list[GroupLabel]
    cells: list[HeatmapCell]
    legend_title: str
    legend_title_x: float
    legend_y: float
    swatch: float
    legend: list[LegendItem]

    def table(self) -> list[tuple[Axis, list[HeatmapCell]]]:
        """The cells row by row, for the table that stands in for the chart."""
        return cells_by_row(self.rows, self.columns, self.cells)


def heatmap(
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
    group_width: float = 150,
    label_width: float = 160,
    header_height: float | None = None,
    rotate_columns: bool = False,
    legend_per_line: int | None = None,
    chart_label: str | None = None,
    table_summary: str = "Show the chart as a table",
    table_caption: str | None = None,
    table_units: str = "",
) -> Heatmap:
    """Lay out a heatmap of ``rows`` (slug, name, group: rows of a group together, "" for none) by
    ``columns`` (slug, name); ``shade(row, column)`` says what each cell shows, ``bands`` the legend.

    Group names sit left of their rows, with a small gap between groups. Long column names are
    written at a slant (``rotate_columns``) so that narrow columns stay legible. The legend puts
    ``legend_per_line`` swatches on a line across the cells, or as many 210-wide ones as fit.
    The chart's label defaults to its title; the table's caption to its title and ``table_units``.
    """
    grouped = any(group for _, _, group in rows)
    left = (group_width if grouped else 0.0) + label_width
    header = header_height if header_height is not None else 130.0 if rotate_columns else 40.0
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
                HeatmapCell(
                    row=row.slug,
                    column=column.slug,
                    x=column.position,
                    y=row.position,
                    text_x=column.position + cell_width / 2,
                    text_y=row.position + cell_height / 2,
                    band=found.band,
                    text=found.text,
                    title=found.title,
                    detail=found.detail,
                    level=found.level,
                )
            )

    # The legend: a swatch with its sample figure and what the colour means, a few to a line.
    swatch = 26.0
    # Slanted column names reach past the last column; leave them room.
    grid_width = cell_width * max(len(axis_columns), 1) + (110 if rotate_columns else 0)
    if legend_per_line:
        per_line, item_width = legend_per_line, grid_width / legend_per_line
    else:
        item_width = 210.0
        per_line = max(1, int(max(grid_width, 2 * item_width) // item_width))
    legend_y = grid.bottom + cell_height
    legend = []
    for index, band in enumerate(bands):
        x = left + (index % per_line) * item_width
        top = legend_y + (index // per_line) * (swatch + 10)
        legend.append(
            LegendItem(
                band=band,
                x=x,
                y=top,
                sample_x=x + swatch / 2,
                label_x=x + swatch + 8,
                text_y=top + swatch / 2,
            )
        )
    lines = (len(bands) + per_line - 1) // per_line
    return Heatmap(
        key=key,
        title=title,
        summary=summary,
        caption=caption,
        row_heading=row_heading,
        chart_label=chart_label if chart_label is not None else f"{title}: chart",
        table_summary=table_summary,
        table_caption=table_caption if table_caption is not None else title + table_units,
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
    )


# The proficiency scale, light (none) to dark (expert).
LEVEL_BANDS = {level: Band(label="", name=f"level-{level}", sample=str(level)) for level in range(6)}
NOT_SET = Band(label="Not set", name=BLANK, sample="–")


def spectrum_heatmap(
    *,
    skills: Sequence[tuple[str, str, str]],
    professions: Sequence[tuple[str, str]],
    levels: Mapping[tuple[str, str], int],
    level_names: Mapping[int, str],
    cell_width: float = 128,
    cell_height: float = 34,
    group_width: float = 150,
    label_width: float = 150,
    header_height: float = 40,
) -> Heatmap:
    """The profession × skill spectrum: a row per skill, a column per profession, and a legend.

    ``skills`` are ``(slug, name, group name)`` in display order, skills of a group together;
    ``professions`` are ``(slug, name)``; ``levels`` maps ``(profession_slug, skill_slug)`` to a
    level, and a missing pair is drawn as "not set"; ``level_names`` names each level of the scale.
    """
    bands = {level: replace(band, label=level_names[level]) for level, band in LEVEL_BANDS.items()}

    def shade(skill: str, profession: str) -> Shade:
        level = levels.get((profession, skill))
        where = f"{names[profession]}, {skill_names[skill]}"
        if level is None:
            return Shade(NOT_SET, "–", f"{where}: not set", "–")
        return Shade(bands[level], str(level), f"{where}: {level_label(level, level_names[level])}", str(level), level)

    names, skill_names = dict(professions), {slug: name for slug, name, _ in skills}
    return heatmap(
        key="spectrum",
        title="Profession × skill spectrum",
        summary=(
            f"Heatmap of the level, from 0 (none) to 5 (expert), that each of {len(professions)} professions "
            f"is expected to hold in each of {len(skills)} skills. The same figures are in the table below."
        ),
        caption=(
            "Darker cells ask for a higher level; every cell also shows its level as a number. Hovering over a "
            "cell names its profession and skill; the table below has the same figures."
        ),
        row_heading="Skill",
        rows=skills,
        columns=professions,
        shade=shade,
        bands=[bands[level] for level in sorted(bands)],
        legend_title="Levels",
        cell_width=cell_width,
        cell_height=cell_height,
        group_width=group_width,
        label_width=label_width,
        header_height=header_height,
        legend_per_line=3,
        chart_label="Spectrum heatmap",
        table_summary="Show the spectrum as a table",
        table_caption="Expected level per skill and profession",
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
        label=f"{format_fte(covered)} of {format_fte(fte)} FTE filled ({percent}%)",
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
    return FitBar(
        width=width,
        height=height,
        filled_width=round(share * width, 1),
        percent=fit_percent(share),
        label=f"Fit {format_fit(share)} of a perfect fit",
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
        title = f"Week of {format_date(first)}: {format_fte(peak)} FTE confirmed"
        if both > peak:
            title += f", {format_fte(both)} FTE with tentative assignments"
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
    highest_with_tentative = max((week.with_tentative for week in chart_weeks), default=ZERO)
    over_weeks = sum(week.over_capacity for week in chart_weeks)
    at_risk = sum(week.over_if_confirmed for week in chart_weeks)
    with_tentative = (
        f"; with tentative bookings {format_fte(highest_with_tentative)} FTE"
        if any(week.with_tentative > week.confirmed for week in chart_weeks)
        else ""
    )
    summary = (
        f"Highest daily load in each of the {weeks} weeks from {format_date(starts_on)}, against a "
        f"capacity of {format_fte(capacity)} FTE. Confirmed load peaks at {format_fte(highest)} FTE"
        f"{with_tentative}. "
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
