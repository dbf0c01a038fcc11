from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from people.access import Viewer
from people.models import Certification, Person, RatingSource, SkillRating, SkillRatingChange, Team
from roles.models import SpectrumLevel
from skills.models import MIN_LEVEL, Skill, SkillGroup


def list_people(*, people: QuerySet[Person] | None = None) -> QuerySet[Person]:
    """People with their profession and current ratings prefetched (two queries whatever the count)."""
    people = Person.objects.all() if people is None else people
    ratings = SkillRating.objects.select_related("skill").order_by("skill__group__order", "skill__order")
    return (
        people.select_related("profession")
        .prefetch_related(Prefetch("ratings", queryset=ratings))
        .order_by("name", "id")
    )


def ratings_of(*, person: Person) -> dict[str, int]:
    """``{skill_slug: level}`` in catalogue order, for a person fetched through ``list_people``."""
    return {rating.skill.slug: rating.level for rating in person.ratings.all()}


def rated_at_least(*, people: QuerySet[Person], skill: Skill, min_level: int) -> QuerySet[Person]:
    """The people whose level in ``skill`` is at least ``min_level``; unrated counts as 0."""
    if min_level <= MIN_LEVEL:
        return people
    # One rating per person and skill, so the join cannot repeat a person.
    return people.filter(ratings__skill=skill, ratings__level__gte=min_level)


def with_level_in(*, people: QuerySet[Person], skill: Skill) -> QuerySet[Person]:
    """``people``, each carrying ``skill_level``: their rating in ``skill`` (None when unrated)."""
    rating = SkillRating.objects.filter(person=OuterRef("pk"), skill=skill)
    return people.annotate(skill_level=Subquery(rating.values("level")[:1]))


def list_teams() -> QuerySet[Team]:
    return Team.objects.order_by("name", "id")


RATING_HISTORY_LENGTH = 30


def list_rating_changes(*, person: Person, limit: int = RATING_HISTORY_LENGTH) -> list[SkillRatingChange]:
    """A person's latest rating changes, newest first, with the skill and who made them (one query)."""
    changes = person.rating_changes.select_related("skill", "changed_by").order_by("-changed_at", "-id")
    return list(changes[:limit])


def rating_source_for(*, actor: Viewer, person: Person) -> RatingSource:
    """What ``actor``'s ratings of ``person`` count as, the way ``set_ratings`` records them."""
    return RatingSource.SELF if person.user_id == actor.pk else RatingSource.LEAD


def person_of(*, user: Viewer) -> Person | None:
    """The person record of a signed-in user, if they have one."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).select_related("profession", "team").first()


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


def person_ratings_by_group(*, person: Person) -> list[RatingGroup]:
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


def list_certifications_of(*, person: Person) -> QuerySet[Certification]:
    """A person's certifications with their kind, latest expiry last (one query)."""
    return person.certifications.select_related("kind").order_by("kind__name", "-obtained_on")
