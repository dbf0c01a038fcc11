"""What a skill-gap report says in words: its title and the sentences that recommend what to do.

Pure functions of a result and the names it refers to (``report_selectors.ReportLabels``); the
reads that fetch those names stay in ``report_selectors``. The page, the CSV and XLSX files and the
sentences also take two choices of presentation from here, so that they always agree:

- ``training_order``: training suggestions run from the largest gain down, then by the person's name;
- ``professions_to_consider``: an organisation gap names professions to hire only where it is positive
  (demand above supply); the stored result keeps every row's ``professions`` as DESIGN §5 states them.
"""

from collections.abc import Iterable
from typing import cast

from projects.models import WORKING_PHASES, Phase
from staffing.models import Report
from staffing.report_selectors import OrganisationGap, ReportLabels, organisation_gaps, withholds_coverage
from staffing.report_types import (
    BUS_FACTOR_LEVEL,
    BUS_FACTOR_MINIMUM,
    OrganisationResult,
    ProjectResult,
    ReportResult,
    SkillGap,
    TeamResult,
    TrainingSuggestion,
)
from ui.formats import format_date_range, format_fte

TOP_PROJECT_GAPS = 5


# --- Words ---------------------------------------------------------------------------------------


def amount(value: float) -> str:
    """A weighted shortfall as people write it: 1.5, 0.25, 3."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def common_noun(name: str) -> str:
    """``"Data engineer"`` → ``"data engineer"``; an acronym stays as it is (``"ML engineer"``)."""
    if len(name) > 1 and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def with_article(noun: str) -> str:
    """``"an ML engineer"``, ``"a data engineer"``, ``"an analyst"``."""
    spoken_vowel = noun[:1].lower() in "aeiou" or (noun[:2].isupper() and noun[:1] in "FHLMNRSX")
    return f"{'an' if spoken_vowel else 'a'} {noun}"


def either(items: list[str]) -> str:
    """``"a, b or c"``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def both(items: list[str]) -> str:
    """``"a, b and c"``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def number_word(count: int) -> str:
    """``2`` → ``"two"``: small counts in words, as a sentence writes them."""
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else str(count)


def levels(count: float) -> str:
    """``"1 level"``, ``"3 levels"``, ``"1.5 levels"``."""
    return f"{amount(count)} level{'' if count == 1 else 's'}"


# --- Order and choice ----------------------------------------------------------------------------


def training_order(rows: Iterable[TrainingSuggestion], labels: ReportLabels) -> list[TrainingSuggestion]:
    """Training suggestions as the sentences, the page and the files list them: the largest gain first,
    then by the person's name (then id, so that two people of one name keep one order)."""
    return sorted(rows, key=lambda row: (-row["gain"], labels.person(row["person"]).casefold(), row["person"]))


def professions_to_consider(row: SkillGap) -> list[str]:
    """The professions (slugs) a gaps row names as the hire to consider: its ``professions`` where
    demand exceeds supply (a positive gap), none where supply meets or exceeds demand."""
    return row["professions"] if row["gap"] > 0 else []


# --- Titles --------------------------------------------------------------------------------------


def report_title(report: Report) -> str:
    """``"Team report: Imaging"``, ``"Organisation report: 4 Jan 2027 to 4 Apr 2027"``."""
    if report.kind == Report.Kind.PROJECT:
        return f"Project report: {report.project.name}" if report.project else "Project report"
    if report.kind == Report.Kind.TEAM:
        return f"Team report: {report.team.name}" if report.team else "Team report"
    return f"Organisation report: {format_date_range(report.starts_on, report.ends_on)}"


# --- Sentences -----------------------------------------------------------------------------------


def project_sentences(result: ProjectResult, labels: ReportLabels) -> list[str]:
    """The biggest phase gaps, the slots still to fill and the best training for each person."""
    gaps = sorted(
        (
            (row["gap"] or 0, WORKING_PHASES.index(phase["phase"]), order, phase["phase"], row)
            for phase in result["phases"]
            for order, row in enumerate(phase["skills"])
            if row["gap"]  # 0, or None where the covered levels are withheld
        ),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    sentences = []
    for gap, _, _, phase, row in gaps[:TOP_PROJECT_GAPS]:
        reach = (
            f"the people confirmed reach only {row['covered']}"
            if row["covered"]
            else "no one confirmed on the project has it"
        )
        sentences.append(
            f"In {Phase(phase).label.lower()}, {labels.skill(row['skill'])} is needed at level {row['required']} "
            f"but {reach}: a gap of {levels(gap)}."
        )
    if len(gaps) > TOP_PROJECT_GAPS:
        more = len(gaps) - TOP_PROJECT_GAPS
        sentences.append(f"{more} smaller gap{' is' if more == 1 else 's are'} in the table below.")
    if withholds_coverage(result=result):
        sentences.append(
            "The levels the people confirmed on the project reach come from their ratings, "
            "so they are shown to managers and team leads only."
        )
    for unfilled in result["unfilled"]:
        slot = labels.slots.get(unfilled["slot"])
        when = f" ({format_date_range(slot.starts_on, slot.ends_on)})" if slot else ""
        sentences.append(
            f"Staff the {labels.slot(unfilled['slot'])} slot{when}: "
            f"{format_fte(unfilled['unfilled_fte'])} FTE is still unfilled."
        )
    for training in training_order(result["training"], labels):
        sentences.append(
            f"Train {labels.person(training['person'])} in {labels.skill(training['skill'])} "
            f"from {training['from']} to {training['to']}: closes {levels(training['gain'])} of their gaps "
            "on the slots they work on or are a top-three candidate for."
        )
    if not sentences:
        sentences.append("Every skill the project needs is covered and every open slot is filled.")
    return sentences


def team_sentences(result: TeamResult, labels: ReportLabels) -> list[str]:
    """Skills too few members hold well, then each member's largest shortfall against their profession."""
    sentences = []
    thin: dict[int, list[str]] = {}
    for row in result["skills"]:
        if row["flagged"]:
            thin.setdefault(row["bus_factor"], []).append(labels.skill(row["skill"]))
    for bus_factor, who in sorted(((0, "No member is"), (1, "Only one member is"))):
        if thin.get(bus_factor):
            sentences.append(f"{who} rated {BUS_FACTOR_LEVEL} or more in {both(thin[bus_factor])}.")
    largest = []
    for member in result["members"]:
        skills = member["skills"]
        skill = max(labels.in_catalogue_order(skills), key=lambda slug: skills[slug]["shortfall"], default="")
        cell = skills.get(skill)
        if cell and cell["shortfall"] > 0:
            largest.append((cell["shortfall"], labels.person(member["person"]), skill, cell))
    for _, name, skill, cell in sorted(largest, key=lambda item: (-item[0], item[1])):
        sentences.append(
            f"Train {name} in {labels.skill(skill)} from {cell['rating']} to {cell['expected']}, "
            "the level their profession expects."
        )
    if not result["members"]:
        sentences.append("The team has no members.")
    elif not sentences:
        sentences.append(
            "Every member meets their profession's level in every skill, and every skill has at least "
            f"{number_word(BUS_FACTOR_MINIMUM)} "
            f"members rated {BUS_FACTOR_LEVEL} or more."
        )
    return sentences


def gap_sentence(gap: OrganisationGap) -> str:
    """``"Hire or train for ML Ops at level 4: demand 2.00 FTE, supply 0.50 FTE; consider an ML engineer."``"""
    text = (
        f"Hire or train for {gap.name} at level {gap.level}: demand {format_fte(gap.demand)} FTE, "
        f"supply {format_fte(gap.supply)} FTE"
    )
    if gap.professions:
        text += f"; consider {either([with_article(common_noun(name)) for name in gap.professions])}"
    return text + "."


def organisation_sentences(report: Report, result: OrganisationResult, labels: ReportLabels) -> list[str]:
    sentences = [gap_sentence(gap) for gap in organisation_gaps(result=result, labels=labels)]
    return sentences or [
        f"Supply meets demand for every skill and level from {format_date_range(report.starts_on, report.ends_on)}."
    ]


def recommendations(report: Report, result: ReportResult, labels: ReportLabels) -> list[str]:
    """What the report suggests doing, in plain sentences."""
    if report.kind == Report.Kind.PROJECT:
        return project_sentences(cast(ProjectResult, result), labels)
    if report.kind == Report.Kind.TEAM:
        return team_sentences(cast(TeamResult, result), labels)
    return organisation_sentences(report, cast(OrganisationResult, result), labels)
