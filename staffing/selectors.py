"""Reads that bring several apps together for the pages: the dashboard and the people pages."""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber

from people.models import Certification, Person, SkillRating, Team
from projects.models import PHASE_ORDER, Assignment, Phase, Project
from roles.models import Profession, SpectrumLevel
from skills.models import Skill, SkillGroup

User = AbstractBaseUser | AnonymousUser


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
    partition = {"partition_by": [F("phase")]}
    ranked = (
        Project.objects.annotate(
            rank=Window(RowNumber(), order_by=[F("starts_on").asc(), F("name").asc(), F("id").asc()], **partition),
            phase_total=Window(Count("id"), **partition),
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


def person_of(user: User) -> Person | None:
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


def filter_people(
    people: QuerySet[Person],
    *,
    profession: Profession | None = None,
    team: Team | None = None,
    skill: Skill | None = None,
    min_level: int | None = None,
) -> QuerySet[Person]:
    """``people`` narrowed by profession, team and a skill rated at ``min_level`` or above.

    With a skill, each person carries ``skill_level`` (their rating in it, None when unrated).
    """
    people = people.select_related("profession", "team").order_by("name", "id")
    if profession is not None:
        people = people.filter(profession=profession)
    if team is not None:
        people = people.filter(team=team)
    if skill is not None:
        rating = SkillRating.objects.filter(person=OuterRef("pk"), skill=skill)
        people = people.annotate(skill_level=Subquery(rating.values("level")[:1]))
        if min_level:
            people = people.filter(Exists(rating.filter(level__gte=min_level)))
    return people


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
