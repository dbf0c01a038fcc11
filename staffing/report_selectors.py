"""Reads for skill-gap reports: who sees which report, the names a result refers to, and what the
figures say in plain sentences. The pages, the API and the exports all read through here.

Who sees a report:

- managers see every report;
- team leads see the reports they requested, the team reports of the teams they lead, and every
  organisation report (they may request one themselves, and the nightly one has no requester);
- anyone else sees the reports they requested.

A project report's training suggestions name people. Someone who may not see a person (staff see
only themselves) gets the result without the suggestions about others (``visible_result``).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from people.access import (
    Viewer,
    may_request_report,
    reads_everyone,
    sees_every_report,
    visible_people,
    visible_reports_lookup,
)
from people.models import Team
from projects.models import WORKING_PHASES, Phase, RoleSlot
from roles.models import Profession
from skills.models import Skill
from staffing.models import Report

BUS_FACTOR_LEVEL = 3
TOP_PROJECT_GAPS = 5
HEADLINE_GAPS = 3


# --- Which reports -------------------------------------------------------------------------------


def visible_reports(user: Viewer) -> QuerySet[Report]:
    """The reports ``user`` may see (see the module's docstring)."""
    reports = Report.objects.all()
    if not user.is_authenticated:
        return reports.none()
    if sees_every_report(user):
        return reports
    return reports.filter(visible_reports_lookup(user))


REFUSALS: dict[str, str] = {
    Report.Kind.TEAM: "You may request team reports only for the teams you lead.",
    Report.Kind.ORGANISATION: "Only managers and team leads may request the organisation report.",
    Report.Kind.PROJECT: "You may not request project reports.",
}


def request_refusal(user: Viewer, kind: str, team: Team | None) -> str | None:
    """Why ``user`` may not request this report, or None when they may (``people.access.may_request_report``).

    A team report without its team, or an unknown kind, is left to the service to refuse as bad input.
    """
    if kind not in Report.Kind.values or (kind == Report.Kind.TEAM and team is None):
        return None
    return None if may_request_report(user, kind, team.pk if team else None) else REFUSALS[kind]


def list_reports(user: Viewer) -> QuerySet[Report]:
    """The reports ``user`` may see, newest first, with their subject and requester (one query a page).

    The result is left behind: a list never shows it, and an organisation result is large.
    """
    return (
        visible_reports(user)
        .select_related("project", "team", "requested_by")
        .defer("result")
        .order_by("-created_at", "-id")
    )


def report_for(user: Viewer) -> QuerySet[Report]:
    """The reports ``user`` may see, with everything a report page shows about them."""
    return visible_reports(user).select_related("project", "team", "requested_by")


def latest_organisation_report(user: Viewer) -> Report | None:
    """The newest finished organisation report ``user`` may see (one query)."""
    return (
        visible_reports(user)
        .filter(kind=Report.Kind.ORGANISATION, status=Report.Status.DONE)
        .order_by("-finished_at", "-id")
        .first()
    )


def visible_result(report: Report, user: Viewer) -> dict[str, Any] | None:
    """The report's result as ``user`` may read it (one query for staff reading a project report).

    Training suggestions about people ``user`` may not see are left out; everything else is whole.
    """
    result = report.result
    if result is None or report.kind != Report.Kind.PROJECT or reads_everyone(user):
        return result
    named = {row["person"] for row in result["training"]}
    seen = set(visible_people(user).filter(pk__in=named).values_list("pk", flat=True))
    return result | {"training": [row for row in result["training"] if row["person"] in seen]}


# --- Names ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkillName:
    slug: str
    name: str
    group: str


@dataclass(frozen=True)
class SlotName:
    name: str
    starts_on: dt.date
    ends_on: dt.date


@dataclass(frozen=True)
class ReportLabels:
    """The names behind the slugs and ids of a result: skills in catalogue order, people, slots, professions."""

    skills: dict[str, SkillName]
    people: dict[int, str]
    slots: dict[int, SlotName]
    professions: dict[str, str]

    def in_catalogue_order(self, slugs: Iterable[str]) -> list[str]:
        """``slugs`` in catalogue order (a JSON object stored in the database keeps no order)."""
        position = {slug: index for index, slug in enumerate(self.skills)}
        return sorted(slugs, key=lambda slug: (position.get(slug, len(position)), slug))

    def skill(self, slug: str) -> str:
        found = self.skills.get(slug)
        return found.name if found else slug

    def person(self, pk: int) -> str:
        return self.people.get(pk, f"Person #{pk}")

    def slot(self, pk: int) -> str:
        found = self.slots.get(pk)
        return found.name if found else f"Slot #{pk}"

    def profession(self, slug: str) -> str:
        return self.professions.get(slug, slug)


def people_in(result: dict[str, Any], kind: str) -> list[int]:
    if kind == Report.Kind.PROJECT:
        return [row["person"] for row in result["training"]]
    if kind == Report.Kind.TEAM:
        return [member["person"] for member in result["members"]]
    return []


def report_labels(report: Report, result: dict[str, Any] | None, user: Viewer) -> ReportLabels:
    """The names ``result`` (a ``visible_result``) refers to: the catalogue, and per kind the people the
    user may see, the slots or the professions (two queries)."""
    skills = {
        skill.slug: SkillName(slug=skill.slug, name=skill.name, group=skill.group.name)
        for skill in Skill.objects.select_related("group").order_by("group__order", "order", "name")
    }
    people: dict[int, str] = {}
    slots: dict[int, SlotName] = {}
    professions: dict[str, str] = {}
    if result is not None and report.kind in (Report.Kind.PROJECT, Report.Kind.TEAM):
        ids = people_in(result, report.kind)
        people = dict(visible_people(user).filter(pk__in=ids).values_list("pk", "name"))
    if result is not None and report.kind == Report.Kind.PROJECT:
        ids = [row["slot"] for row in result["unfilled"]]
        slots = {
            slot.pk: SlotName(name=slot.title or slot.profession.name, starts_on=slot.starts_on, ends_on=slot.ends_on)
            for slot in RoleSlot.objects.filter(pk__in=ids).select_related("profession")
        }
    if report.kind == Report.Kind.ORGANISATION:
        professions = dict(Profession.objects.order_by("order", "name").values_list("slug", "name"))
    return ReportLabels(skills=skills, people=people, slots=slots, professions=professions)


def report_title(report: Report) -> str:
    """``"Team report: Imaging"``, ``"Organisation report: 4 Jan 2027 to 4 Apr 2027"``."""
    if report.kind == Report.Kind.PROJECT:
        return f"Project report: {report.project.name}" if report.project else "Project report"
    if report.kind == Report.Kind.TEAM:
        return f"Team report: {report.team.name}" if report.team else "Team report"
    return f"Organisation report: {date_range(report.starts_on, report.ends_on)}"


def date_range(starts_on: dt.date | None, ends_on: dt.date | None) -> str:
    if starts_on is None or ends_on is None:
        return ""
    return f"{day(starts_on)} to {day(ends_on)}"


def day(value: dt.date) -> str:
    return f"{value.day} {value:%b %Y}"


# --- Sentences -----------------------------------------------------------------------------------


def amount(value: float) -> str:
    """A number of FTE or of weighted shortfall as people write it: 1.5, 0.25, 3."""
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


def levels(count: int) -> str:
    return f"{count} level{'' if count == 1 else 's'}"


def project_sentences(result: dict[str, Any], labels: ReportLabels) -> list[str]:
    """The biggest phase gaps, the slots still to fill and the best training for each person."""
    gaps = sorted(
        (
            (row["gap"], WORKING_PHASES.index(phase["phase"]), order, phase["phase"], row)
            for phase in result["phases"]
            for order, row in enumerate(phase["skills"])
            if row["gap"] > 0
        ),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    sentences = []
    for _, _, _, phase, row in gaps[:TOP_PROJECT_GAPS]:
        reach = (
            f"the people confirmed reach only {row['covered']}"
            if row["covered"]
            else "no one confirmed on the project has it"
        )
        sentences.append(
            f"In {Phase(phase).label.lower()}, {labels.skill(row['skill'])} is needed at level {row['required']} "
            f"but {reach}: a gap of {levels(row['gap'])}."
        )
    if len(gaps) > TOP_PROJECT_GAPS:
        more = len(gaps) - TOP_PROJECT_GAPS
        sentences.append(f"{more} smaller gap{' is' if more == 1 else 's are'} in the table below.")
    for row in result["unfilled"]:
        slot = labels.slots.get(row["slot"])
        when = f" ({date_range(slot.starts_on, slot.ends_on)})" if slot else ""
        sentences.append(
            f"Staff the {labels.slot(row['slot'])} slot{when}: {amount(row['unfilled_fte'])} FTE is still unfilled."
        )
    for row in sorted(result["training"], key=lambda row: -row["gain"]):
        sentences.append(
            f"Train {labels.person(row['person'])} in {labels.skill(row['skill'])} from {row['from']} to {row['to']}: "
            f"removes {amount(row['gain'])} of weighted shortfall."
        )
    if not sentences:
        sentences.append("Every skill the project needs is covered and every open slot is filled.")
    return sentences


def team_sentences(result: dict[str, Any], labels: ReportLabels) -> list[str]:
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
            "Every member meets their profession's level in every skill, and every skill has at least two "
            f"members rated {BUS_FACTOR_LEVEL} or more."
        )
    return sentences


@dataclass(frozen=True)
class OrganisationGap:
    """A skill's most demanding shortfall: the highest level whose demand exceeds supply."""

    skill: str
    name: str
    level: int
    demand: float
    supply: float
    gap: float
    professions: list[str]

    @property
    def sentence(self) -> str:
        text = (
            f"Hire or train for {self.name} at level {self.level}: demand {amount(self.demand)} FTE, "
            f"supply {amount(self.supply)} FTE"
        )
        if self.professions:
            text += f"; consider {either([with_article(common_noun(name)) for name in self.professions])}"
        return text + "."


def organisation_gaps(result: dict[str, Any], labels: ReportLabels | None = None) -> list[OrganisationGap]:
    """For each skill short of supply, its highest short level; the largest gaps first, then catalogue order."""
    highest: dict[str, dict[str, Any]] = {}
    for row in result["gaps"]:
        if row["gap"] > 0:
            highest[row["skill"]] = row  # rows run from level 1 up, so the last one kept is the highest
    gaps = [
        OrganisationGap(
            skill=slug,
            name=labels.skill(slug) if labels else slug,
            level=row["level"],
            demand=row["demand"],
            supply=row["supply"],
            gap=row["gap"],
            professions=[labels.profession(p) if labels else p for p in row["professions"]],
        )
        for slug, row in highest.items()
    ]
    order = list(dict.fromkeys(row["skill"] for row in result["gaps"]))
    return sorted(gaps, key=lambda gap: (-gap.gap, order.index(gap.skill)))


def organisation_sentences(report: Report, result: dict[str, Any], labels: ReportLabels) -> list[str]:
    sentences = [gap.sentence for gap in organisation_gaps(result, labels)]
    return sentences or [
        f"Supply meets demand for every skill and level from {date_range(report.starts_on, report.ends_on)}."
    ]


def recommendations(report: Report, result: dict[str, Any], labels: ReportLabels) -> list[str]:
    """What the report suggests doing, in plain sentences."""
    if report.kind == Report.Kind.PROJECT:
        return project_sentences(result, labels)
    if report.kind == Report.Kind.TEAM:
        return team_sentences(result, labels)
    return organisation_sentences(report, result, labels)


def headline_gaps(report: Report | None) -> list[OrganisationGap]:
    """The three largest gaps of an organisation report, named (one query for the skills' names)."""
    if report is None or not report.result:
        return []
    gaps = organisation_gaps(report.result)[:HEADLINE_GAPS]
    names = dict(Skill.objects.filter(slug__in=[gap.skill for gap in gaps]).values_list("slug", "name"))
    return [
        OrganisationGap(
            skill=gap.skill,
            name=names.get(gap.skill, gap.skill),
            level=gap.level,
            demand=gap.demand,
            supply=gap.supply,
            gap=gap.gap,
            professions=gap.professions,
        )
        for gap in gaps
    ]
