"""Reads for skill-gap reports: who sees which report, the names a result refers to, and the
largest organisation gaps. The pages, the API and the exports all read through here; what the
figures say in words is ``staffing.report_text``.

Who sees a report:

- managers see every report;
- team leads see the reports they requested, the team reports of the teams they lead, and every
  organisation report (they may request one themselves, and the nightly one has no requester);
- anyone else sees the reports they requested.

What a reader gets of a result (``visible_result``): everything, for those who read everyone's
ratings (managers, team leads, integration clients). Anyone else (staff, who read only their own
ratings, and who may request project reports only) gets a project report's required levels and
unfilled slots whole, but its covered levels and gaps as null, since they are the highest ratings of
the people confirmed; and its training suggestions about themselves only.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KeyTransform

from people.access import (
    Viewer,
    may_request_report,
    reads_everyone,
    sees_every_report,
    visible_people,
    visible_reports_lookup,
)
from people.models import Person, Team
from projects.models import RoleSlot
from roles.models import Profession
from skills.models import Skill
from staffing.models import Report
from staffing.report_types import (
    OrganisationResult,
    PhaseCoverage,
    ProjectResult,
    ReportResult,
    SkillGap,
    TeamResult,
    TeamSkill,
)

HEADLINE_GAPS = 3


# --- Which reports -------------------------------------------------------------------------------


def visible_reports(*, user: Viewer) -> QuerySet[Report]:
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


def request_refusal(*, user: Viewer, kind: str, team: Team | None) -> str | None:
    """Why ``user`` may not request this report, or None when they may (``people.access.may_request_report``).

    A team report without its team, or an unknown kind, is left to the service to refuse as bad input.
    """
    if kind not in Report.Kind.values or (kind == Report.Kind.TEAM and team is None):
        return None
    return None if may_request_report(user, kind, team.pk if team else None) else REFUSALS[kind]


def list_reports(*, user: Viewer) -> QuerySet[Report]:
    """The reports ``user`` may see, newest first, with their subject and requester (one query a page).

    The result is left behind: a list never shows it, and an organisation result is large.
    """
    return (
        visible_reports(user=user)
        .select_related("project", "team", "requested_by")
        .defer("result")
        .order_by("-created_at", "-id")
    )


def report_for(*, user: Viewer) -> QuerySet[Report]:
    """The reports ``user`` may see, with everything a report page shows about them."""
    return visible_reports(user=user).select_related("project", "team", "requested_by")


def latest_organisation_report(*, user: Viewer) -> Report | None:
    """The newest finished organisation report ``user`` may see (one query), for its headline.

    Its result is left behind: only its ``gaps`` come along, as ``gap_rows`` (a row per skill and level,
    however long the range), so the dashboard's cost does not grow with the weekly demand.
    """
    return (
        visible_reports(user=user)
        .filter(kind=Report.Kind.ORGANISATION, status=Report.Status.DONE)
        .defer("result")
        .annotate(gap_rows=KeyTransform("gaps", "result"))
        .order_by("-finished_at", "-id")
        .first()
    )


def visible_result(*, report: Report, user: Viewer) -> ReportResult | None:
    """The report's result as ``user`` may read it (one query for staff reading a project report).

    For a reader who may not read everyone's ratings, a project report's covered levels and gaps are
    withheld (null) and its training suggestions about other people left out (see the module's
    docstring). Team and organisation reports reach only readers of everyone (``may_request_report``).
    """
    result: ReportResult | None = report.result
    if result is None or report.kind != Report.Kind.PROJECT or reads_everyone(user):
        return result
    project = cast(ProjectResult, result)
    named = {row["person"] for row in project["training"]}
    seen = set(visible_people(user).filter(pk__in=named).values_list("pk", flat=True))
    phases: list[PhaseCoverage] = [
        {"phase": phase["phase"], "skills": [row | {"covered": None, "gap": None} for row in phase["skills"]]}
        for phase in project["phases"]
    ]
    return project | {"phases": phases, "training": [row for row in project["training"] if row["person"] in seen]}


def withholds_coverage(*, result: ProjectResult) -> bool:
    """Whether ``result`` (a ``visible_result``) has its covered levels withheld from its reader."""
    return any(row["covered"] is None for phase in result["phases"] for row in phase["skills"])


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


def people_in(*, result: ReportResult, kind: str) -> list[int]:
    if kind == Report.Kind.PROJECT:
        return [row["person"] for row in cast(ProjectResult, result)["training"]]
    if kind == Report.Kind.TEAM:
        return [member["person"] for member in cast(TeamResult, result)["members"]]
    return []


def report_labels(*, report: Report, result: ReportResult | None, user: Viewer) -> ReportLabels:
    """The names ``result`` (a ``visible_result``) refers to: the catalogue, and per kind the people the
    user may see, the slots or the professions (two queries)."""
    return result_labels(kind=report.kind, result=result, people=visible_people(user))


def result_labels(*, kind: str, result: ReportResult | None, people: QuerySet[Person]) -> ReportLabels:
    """The names a result of ``kind`` refers to, naming only ``people`` (two queries)."""
    skills = {
        skill.slug: SkillName(slug=skill.slug, name=skill.name, group=skill.group.name)
        for skill in Skill.objects.select_related("group").order_by("group__order", "order", "name")
    }
    names: dict[int, str] = {}
    slots: dict[int, SlotName] = {}
    professions: dict[str, str] = {}
    if result is not None and kind in (Report.Kind.PROJECT, Report.Kind.TEAM):
        ids = people_in(result=result, kind=kind)
        names = dict(people.filter(pk__in=ids).values_list("pk", "name"))
    if result is not None and kind == Report.Kind.PROJECT:
        ids = [row["slot"] for row in cast(ProjectResult, result)["unfilled"]]
        slots = {
            slot.pk: SlotName(name=slot.label, starts_on=slot.starts_on, ends_on=slot.ends_on)
            for slot in RoleSlot.objects.filter(pk__in=ids).select_related("profession")
        }
    if kind == Report.Kind.ORGANISATION:
        professions = dict(Profession.objects.order_by("order", "name").values_list("slug", "name"))
    return ReportLabels(skills=skills, people=names, slots=slots, professions=professions)


# --- Organisation gaps ---------------------------------------------------------------------------


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


def organisation_gaps(*, result: OrganisationResult, labels: ReportLabels | None = None) -> list[OrganisationGap]:
    """For each skill short of supply, its highest short level; the largest gaps first, then catalogue order."""
    highest: dict[str, SkillGap] = {}
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


def headline_gaps(*, report: Report | None) -> list[OrganisationGap]:
    """The three largest gaps of a ``latest_organisation_report``, named (one query for the skills' names).

    Reads the report's ``gap_rows`` alone, never its whole result.
    """
    rows: list[SkillGap] | None = getattr(report, "gap_rows", None)
    if not rows:
        return []
    gaps = organisation_gaps(result=cast(OrganisationResult, {"gaps": rows}))[:HEADLINE_GAPS]
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


# --- A lead's teams ------------------------------------------------------------------------------

TEAM_HEADLINE_GAPS = 3


def latest_team_reports(*, user: Viewer, teams: Iterable[Team]) -> dict[int, Report]:
    """The newest finished report on each of ``teams`` that ``user`` may see, by team id (one query).

    Its result is left behind: only its per-skill rows come along, as ``skill_rows``.
    """
    visible = visible_reports(user=user).filter(kind=Report.Kind.TEAM, status=Report.Status.DONE)
    newest = visible.filter(team=OuterRef("pk")).order_by("-finished_at", "-id").values("pk")[:1]
    ids = Team.objects.filter(pk__in=[team.pk for team in teams]).annotate(newest=Subquery(newest)).values("newest")
    reports = (
        Report.objects.filter(pk__in=Subquery(ids))
        .defer("result")
        .annotate(skill_rows=KeyTransform("skills", "result"))
    )
    return {cast(int, report.team_id): report for report in reports}


@dataclass(frozen=True)
class TeamGap:
    """One skill of a team report: its mean shortfall against the members' spectrum and its bus factor."""

    skill: str
    name: str
    mean_shortfall: float
    meeting: int
    bus_factor: int
    flagged: bool


def team_headline(*, report: Report | None) -> tuple[list[TeamGap], list[TeamGap]]:
    """A ``latest_team_reports`` report's largest gaps (the three largest mean shortfalls above 0, then
    catalogue order) and its flagged skills (bus factor below 2), named (one query for the names)."""
    rows: list[TeamSkill] | None = getattr(report, "skill_rows", None)
    if not rows:
        return [], []
    short = [row for row in rows if (row["mean_shortfall"] or 0) > 0]
    largest = sorted(short, key=lambda row: -(row["mean_shortfall"] or 0))[:TEAM_HEADLINE_GAPS]
    flagged = [row for row in rows if row["flagged"]]
    names = dict(Skill.objects.filter(slug__in={row["skill"] for row in largest + flagged}).values_list("slug", "name"))

    def gap(row: TeamSkill) -> TeamGap:
        return TeamGap(
            skill=row["skill"],
            name=names.get(row["skill"], row["skill"]),
            mean_shortfall=row["mean_shortfall"] or 0,
            meeting=row["meeting"],
            bus_factor=row["bus_factor"],
            flagged=row["flagged"],
        )

    return [gap(row) for row in largest], [gap(row) for row in flagged]
