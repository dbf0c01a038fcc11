"""The SVG chart builders: plain functions, tested without a request."""

from decimal import Decimal

from skills.models import LEVEL_NAMES
from skills.templatetags.levels import level_label
from ui.charts import coverage_bar, spectrum_heatmap

SKILLS = [
    ("statistics", "Statistics", "Science"),
    ("research", "Research", "Science"),
    ("ml-ops", "ML Ops", "Production"),
]
PROFESSIONS = [("data-scientist", "Data scientist"), ("ml-engineer", "ML engineer")]
LEVELS = {
    ("data-scientist", "statistics"): 4,
    ("data-scientist", "research"): 4,
    ("data-scientist", "ml-ops"): 2,
    ("ml-engineer", "statistics"): 2,
    ("ml-engineer", "research"): 2,
}


def test_level_labels_name_the_scale() -> None:
    assert [level_label(level) for level in (0, 3, 5)] == ["0 None", "3 Practitioner", "5 Expert"]


def test_the_heatmap_has_a_cell_per_skill_and_profession_in_row_order() -> None:
    heatmap = spectrum_heatmap(skills=SKILLS, professions=PROFESSIONS, levels=LEVELS, level_names=LEVEL_NAMES)

    assert [(cell.row, cell.column, cell.level) for cell in heatmap.cells] == [
        ("statistics", "data-scientist", 4),
        ("statistics", "ml-engineer", 2),
        ("research", "data-scientist", 4),
        ("research", "ml-engineer", 2),
        ("ml-ops", "data-scientist", 2),
        ("ml-ops", "ml-engineer", None),
    ]
    assert [cell.text for cell in heatmap.cells] == ["4", "2", "4", "2", "2", "–"]
    assert heatmap.cells[0].title == "Data scientist, Statistics: 4 Advanced"
    assert heatmap.cells[-1].title == "ML engineer, ML Ops: not set"
    assert [(row.name, [cell.text for cell in cells]) for row, cells in heatmap.table()] == [
        ("Statistics", ["4", "2"]),
        ("Research", ["4", "2"]),
        ("ML Ops", ["2", "–"]),
    ]


def test_the_heatmap_lays_cells_on_a_grid_with_a_gap_between_skill_groups() -> None:
    heatmap = spectrum_heatmap(
        skills=SKILLS,
        professions=PROFESSIONS,
        levels=LEVELS,
        level_names=LEVEL_NAMES,
        cell_width=100,
        cell_height=30,
        group_width=80,
        label_width=120,
        header_height=40,
    )

    assert [column.position for column in heatmap.columns] == [200, 300]
    assert [row.position for row in heatmap.rows] == [40, 70, 110]  # 10 between Science and Production
    assert (heatmap.cells[3].x, heatmap.cells[3].y) == (300, 70)
    assert (heatmap.cells[3].text_x, heatmap.cells[3].text_y) == (350, 85)
    assert [(group.name, group.y) for group in heatmap.groups] == [("Science", 70), ("Production", 125)]
    assert heatmap.width == 400
    assert [cell.css_class for cell in heatmap.cells[:2]] == ["heatmap__cell--level-4", "heatmap__cell--level-2"]
    assert heatmap.cells[5].css_class == "heatmap__cell--blank"  # ML Ops is not set for ML engineers


def test_the_heatmap_legend_shows_every_level_and_the_summary_counts() -> None:
    heatmap = spectrum_heatmap(skills=SKILLS, professions=PROFESSIONS, levels=LEVELS, level_names=LEVEL_NAMES)

    assert [(item.sample, item.label, item.css_class) for item in heatmap.legend] == [
        ("0", "None", "heatmap__cell--level-0"),
        ("1", "Awareness", "heatmap__cell--level-1"),
        ("2", "Foundation", "heatmap__cell--level-2"),
        ("3", "Practitioner", "heatmap__cell--level-3"),
        ("4", "Advanced", "heatmap__cell--level-4"),
        ("5", "Expert", "heatmap__cell--level-5"),
    ]
    assert all(item.y + heatmap.swatch <= heatmap.height for item in heatmap.legend)
    assert "each of 2 professions" in heatmap.summary
    assert "each of 3 skills" in heatmap.summary


def test_an_empty_heatmap_still_draws() -> None:
    heatmap = spectrum_heatmap(skills=[], professions=[], levels={}, level_names=LEVEL_NAMES)

    assert (heatmap.cells, heatmap.rows, heatmap.groups) == ([], [], [])
    assert heatmap.width > 0
    assert len(heatmap.legend) == 6


def test_the_coverage_bar_fills_the_covered_share() -> None:
    bar = coverage_bar(fte=Decimal("0.80"), unfilled_fte=Decimal("0.20"), width=120)

    assert (bar.filled_width, bar.percent) == (90.0, 75)
    assert bar.label == "0.60 of 0.80 FTE filled (75%)"


def test_the_coverage_bar_of_an_unfilled_and_a_full_slot() -> None:
    empty = coverage_bar(fte=Decimal("1.00"), unfilled_fte=Decimal("1.00"))
    full = coverage_bar(fte=Decimal("0.50"), unfilled_fte=Decimal("0.00"))

    assert (empty.filled_width, empty.percent, empty.label) == (0.0, 0, "0.00 of 1.00 FTE filled (0%)")
    assert (full.filled_width, full.percent, full.label) == (120.0, 100, "0.50 of 0.50 FTE filled (100%)")


def test_the_coverage_bar_rounds_a_third_to_whole_percent() -> None:
    bar = coverage_bar(fte=Decimal("0.30"), unfilled_fte=Decimal("0.20"), width=90)

    assert (bar.percent, bar.filled_width) == (33, 30.0)
