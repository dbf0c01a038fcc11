"""Reads for the staffing pages: why each candidate ranks where they do, and the suggested team in names."""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.timesince import timesince

from people.models import Person, RatingSource, SkillRating
from projects.models import Project, RoleSlot, SlotRequirement
from staffing.ranking import Candidate

if TYPE_CHECKING:
    from staffing.suggest import SuggestedTeam


@dataclass(frozen=True)
class SkillEvidence:
    """One skill a slot requires, beside a candidate's rating of it: who rated it and how long ago."""

    skill: str
    required: int
    weight: Decimal
    rated: int | None
    source: str | None
    age: str | None
    shortfall: int  # the levels missing, as the ranking counted them

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
    *,
    candidates: Sequence[Candidate],
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
                    shortfall=candidate.shortfall.get(requirement.skill.slug, 0),
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
    """A slot of a suggested team with its person (None when nobody is suggested or it was left out)."""

    slot: RoleSlot
    person: Person | None
    fit: float | None
    left_out: bool = False  # already proposed in full, so not reconsidered


def name_suggestion(*, project: Project, team: "SuggestedTeam") -> list[SuggestedPick]:
    """Every slot the suggestion considered or left out as already proposed, in the project's slot
    order, with the person the suggestion gives it (two queries)."""
    picks = {slot_id: (person_id, fit) for slot_id, person_id, fit in team.assignments}
    people = Person.objects.in_bulk([person_id for person_id, _ in picks.values()])
    slots = (
        project.slots.filter(pk__in=[*team.slot_ids, *team.left_out])
        .select_related("profession")
        .order_by("starts_on", "profession__order", "id")
    )
    return [
        SuggestedPick(
            slot=slot,
            person=people.get(picks[slot.pk][0]) if slot.pk in picks else None,
            fit=picks[slot.pk][1] if slot.pk in picks else None,
            left_out=slot.pk in team.left_out,
        )
        for slot in slots
    ]
