"""Reads that bring several apps together for the pages: the dashboard, the people and staffing pages."""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.timesince import timesince

from people.access import Viewer
from people.models import Certification, Person, RatingSource, SkillRating
from projects.models import PHASE_ORDER, Assignment, Phase, Project, RoleSlot, SlotRequirement
from roles.models import SpectrumLevel
from skills.models import Skill, SkillGroup
from staffing.ranking import Candidate

if TYPE_CHECKING:
    from staffing.suggest import SuggestedTeam


@dataclass(frozen=True)
class PhaseGroup:
    """The projects in one phase: how many, and the first few of them."""

    phase: str
    label: str
    count: int
    projects: list[Project] = field(default_factory=list)


def group_projects_by_phase(*, limit: int = 5) -> list[PhaseGroup]:
    """Every phase in order with its project count and its first ``limit`` projects (one query).

    A window numbers the projects inside each phase and counts them, so the counts stay exact while
    only ``limit`` rows per phase leave the database.
    """
    partition_by = [F("phase")]
    ranked = (
        Project.objects.annotate(
            rank=Window(
                RowNumber(), order_by=[F("starts_on").asc(), F("name").asc(), F("id").asc()], partition_by=partition_by
            ),
            phase_total=Window(Count("id"), partition_by=partition_by),
        )
        .filter(rank__lte=limit)
        .order_by("starts_on", "name", "id")
    )
    by_phase: dict[str, list[Project]] = {phase: [] for phase in PHASE_ORDER}
    totals: dict[str, int] = dict.fromkeys(PHASE_ORDER, 0)
    for project in ranked:
        by_phase[project.phase].append(project)
        totals[project.phase] = project.phase_total
    return [
        PhaseGroup(phase=phase, label=Phase(phase).label, count=totals[phase], projects=by_phase[phase])
        for phase in PHASE_ORDER
    ]


def person_of(user: Viewer) -> Person | None:
    """The person record of a signed-in user, if they have one."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).select_related("profession", "team").first()


def list_assignments_of(person: Person, *, ending_on_or_after: dt.date | None = None) -> QuerySet[Assignment]:
    """A person's assignments with their slot, project and profession, soonest first (one query)."""
    assignments = Assignment.objects.filter(person=person)
    if ending_on_or_after is not None:
        assignments = assignments.filter(ends_on__gte=ending_on_or_after)
    return assignments.select_related("slot__project", "slot__profession").order_by(
        "starts_on", "slot__project__name", "id"
    )


@dataclass(frozen=True)
class RatingRow:
    """One skill on a person's profile: their rating (None when unrated) and their profession's level."""

    skill: Skill
    rating: SkillRating | None
    expected: int | None


@dataclass(frozen=True)
class RatingGroup:
    group: SkillGroup
    rows: list[RatingRow]


def person_ratings_by_group(person: Person) -> list[RatingGroup]:
    """Every skill of the catalogue grouped by skill group, with the person's rating (three queries)."""
    ratings = {
        rating.skill_id: rating for rating in SkillRating.objects.filter(person=person).select_related("rated_by")
    }
    expected = dict(SpectrumLevel.objects.filter(profession_id=person.profession_id).values_list("skill_id", "level"))
    groups: dict[int, RatingGroup] = {}
    for skill in Skill.objects.select_related("group").order_by("group__order", "order", "name"):
        group = groups.setdefault(skill.group_id, RatingGroup(group=skill.group, rows=[]))
        group.rows.append(RatingRow(skill=skill, rating=ratings.get(skill.pk), expected=expected.get(skill.pk)))
    return list(groups.values())


def list_certifications_of(person: Person) -> QuerySet[Certification]:
    """A person's certifications with their kind, latest expiry last (one query)."""
    return person.certifications.select_related("kind").order_by("kind__name", "-obtained_on")


@dataclass(frozen=True)
class SkillEvidence:
    """One skill a slot requires, beside a candidate's rating of it: who rated it and how long ago."""

    skill: str
    required: int
    weight: Decimal
    rated: int | None
    source: str | None
    age: str | None

    @property
    def shortfall(self) -> int:
        return max(0, self.required - (self.rated or 0))

    @property
    def text(self) -> str:
        """E.g. "Statistics: needs 4, rated 2 by their lead, 3 months ago"."""
        if self.rated is None:
            return f"{self.skill}: needs {self.required}, not rated"
        rated = f"self-rated {self.rated}" if self.source == RatingSource.SELF else f"rated {self.rated} by their lead"
        return f"{self.skill}: needs {self.required}, {rated}, {self.age} ago"


SHORTFALLS_SHOWN = 3  # the rest are a click away, under "All n skills"


@dataclass(frozen=True)
class CandidateRow:
    """A ranked candidate as the slot page shows them, with the evidence behind their fit."""

    rank: int
    candidate: Candidate
    team: str | None
    profession: str | None
    evidence: list[SkillEvidence]

    @property
    def shortfalls(self) -> list[SkillEvidence]:
        """The skills the candidate falls short in, largest weighted shortfall first (then catalogue order)."""
        return sorted(
            (item for item in self.evidence if item.shortfall), key=lambda item: -item.shortfall * item.weight
        )

    @property
    def main_shortfalls(self) -> list[SkillEvidence]:
        return self.shortfalls[:SHORTFALLS_SHOWN]

    @property
    def other_shortfalls(self) -> int:
        return max(0, len(self.shortfalls) - SHORTFALLS_SHOWN)


def explain_candidates(
    candidates: Sequence[Candidate],
    *,
    requirements: Sequence[SlotRequirement],
    first_rank: int,
    teams: Mapping[int, str],
    professions: Mapping[int, str],
    now: dt.datetime,
) -> list[CandidateRow]:
    """The candidates of one page with each required skill's rating, its source and age (one query).

    ``requirements`` carry their skill; ranks count on from ``first_rank``.
    """
    ratings: dict[tuple[int, int], SkillRating] = {}
    if candidates and requirements:
        rows = (
            SkillRating.objects.filter(
                person_id__in=[c.person_id for c in candidates], skill_id__in=[r.skill_id for r in requirements]
            )
            .only("person_id", "skill_id", "level", "source", "rated_at")
            .order_by()
        )
        ratings = {(rating.person_id, rating.skill_id): rating for rating in rows}
    explained = []
    for offset, candidate in enumerate(candidates):
        evidence = []
        for requirement in requirements:
            rating = ratings.get((candidate.person_id, requirement.skill_id))
            evidence.append(
                SkillEvidence(
                    skill=requirement.skill.name,
                    required=requirement.level,
                    weight=requirement.weight,
                    rated=rating.level if rating else None,
                    source=rating.source if rating else None,
                    age=timesince(rating.rated_at, now, depth=1) if rating else None,
                )
            )
        explained.append(
            CandidateRow(
                rank=first_rank + offset,
                candidate=candidate,
                team=teams.get(candidate.team_id) if candidate.team_id else None,
                profession=professions.get(candidate.profession_id),
                evidence=evidence,
            )
        )
    return explained


@dataclass(frozen=True)
class SuggestedPick:
    slot: RoleSlot
    person: Person | None
    fit: float | None


def name_suggestion(*, project: Project, team: "SuggestedTeam") -> list[SuggestedPick]:
    """Every open slot of ``project`` with the person the suggestion gives it, or None (two queries)."""
    picks = {slot_id: (person_id, fit) for slot_id, person_id, fit in team.assignments}
    people = Person.objects.in_bulk([person_id for person_id, _ in picks.values()])
    slots = (
        project.slots.filter(closed_at__isnull=True, unfilled_fte__gt=0)
        .select_related("profession")
        .order_by("starts_on", "profession__order", "id")
    )
    return [
        SuggestedPick(
            slot=slot,
            person=people.get(picks[slot.pk][0]) if slot.pk in picks else None,
            fit=picks[slot.pk][1] if slot.pk in picks else None,
        )
        for slot in slots
    ]
