"""The heatmaps of the skill-gap reports, drawn on the server as SVG.

A report's result and its names go in; ``ui.charts.heatmap`` lays out what a template draws.
Every cell shows its figure as text and names its row, column and values in a ``<title>`` (shown
on hover); a table with the same figures stands in for the chart.

- project: skills × phases, the gap between the level a phase requires and the level its
  confirmed people reach;
- team: members × skills, each member's rating against the level their profession expects;
- organisation: skills × levels 1–5, demand minus supply in FTE (positive: short; negative: spare).
"""

from collections.abc import Sequence
from typing import cast

from projects.models import Phase
from skills.models import MAX_LEVEL, Proficiency
from staffing.report_selectors import ReportLabels, withholds_coverage
from staffing.report_types import OrganisationResult, ProjectResult, ReportResult, TeamResult
from ui.charts import BLANK, Band, Heatmap, Shade, heatmap
from ui.formats import MINUS, format_fte, format_signed

# Shortfall in levels: met, then warmer and darker as it grows.
NOT_REQUIRED = Band("Not required", BLANK, "–")
WITHHELD = Band("Covered level shown to managers and team leads only", BLANK, "?")
SHORTFALL_BANDS = [
    Band("Met", "shortfall-0", "0"),
    Band("1 level short", "shortfall-1", "1"),
    Band("2 levels short", "shortfall-2", "2"),
    Band("3 or more levels short", "shortfall-3", "3+"),
]
# Demand minus supply in FTE: spare people in blues, shortfalls in oranges and red, darker further from 0.
SPARE_PLENTY = Band("Spare: 5 FTE or more", "spare-plenty", f"{MINUS}5")
SPARE_SOME = Band("Spare: 1 to 5 FTE", "spare-some", f"{MINUS}1")
SPARE_LITTLE = Band("Spare: under 1 FTE", "spare-little", f"{MINUS}½")
BALANCED = Band("Balanced", "balanced", "0")
SHORT_LITTLE = Band("Short: under 1 FTE", "short-little", "½")
SHORT_SOME = Band("Short: 1 to 3 FTE", "short-some", "1")
SHORT_PLENTY = Band("Short: 3 FTE or more", "short-plenty", "3")
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
    return format_signed(value)


def skill_rows(labels: ReportLabels, slugs: Sequence[str]) -> list[tuple[str, str, str]]:
    """The skills of a result in catalogue order, with their names and groups."""
    present = set(slugs)
    rows = [(skill.slug, skill.name, skill.group) for skill in labels.skills.values() if skill.slug in present]
    known = {slug for slug, _, _ in rows}
    return rows + [(slug, slug, "") for slug in slugs if slug not in known]


def project_heatmap(result: ProjectResult, labels: ReportLabels) -> Heatmap:
    """Skills × phases: the gap between the level each phase requires and the level its people reach."""
    figures = {(row["skill"], phase["phase"]): row for phase in result["phases"] for row in phase["skills"]}
    phases = [(phase["phase"], Phase(phase["phase"]).label) for phase in result["phases"]]
    names = dict(phases)
    slugs = list(dict.fromkeys(skill for skill, _ in figures))

    def shade(skill: str, phase: str) -> Shade:
        row = figures[(skill, phase)]
        where = f"{names[phase]}, {labels.skill(skill)}"
        if not row["required"]:
            covered = "" if row["covered"] is None else f" (covered {row['covered']})"
            return Shade(NOT_REQUIRED, "–", f"{where}: not required{covered}.", "not required")
        if row["gap"] is None:
            detail = f"required {row['required']}; the level reached is shown to managers and team leads only"
            return Shade(WITHHELD, "?", f"{where}: {detail}.", detail)
        detail = f"required {row['required']}, covered {row['covered']}, gap {row['gap']}"
        return Shade(shortfall_band(row["gap"]), str(row["gap"]), f"{where}: {detail}.", detail)

    withheld = withholds_coverage(result=result)
    return heatmap(
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
        bands=[NOT_REQUIRED, WITHHELD] if withheld else [NOT_REQUIRED, *SHORTFALL_BANDS],
        legend_title="Gap",
        cell_width=190,
    )


def team_heatmap(result: TeamResult, labels: ReportLabels) -> Heatmap:
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

    return heatmap(
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


def organisation_heatmap(result: OrganisationResult, labels: ReportLabels) -> Heatmap:
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
            f"{labels.skill(skill)} at level {level}: demand {format_fte(row['demand'])} FTE, "
            f"supply {format_fte(row['supply'])} FTE, gap {signed_fte(row['gap'])} FTE.",
            signed_fte(row["gap"]),
        )

    return heatmap(
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


def report_heatmap(kind: str, result: ReportResult, labels: ReportLabels) -> Heatmap:
    """The heatmap of a result of ``kind`` (a ``Report.Kind`` value)."""
    if kind == "project":
        return project_heatmap(cast(ProjectResult, result), labels)
    if kind == "team":
        return team_heatmap(cast(TeamResult, result), labels)
    return organisation_heatmap(cast(OrganisationResult, result), labels)
