from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from people.access import Viewer
from people.models import Person, RatingSource, SkillRating, SkillRatingChange, Team
from skills.models import MIN_LEVEL, Skill


def list_people(people: QuerySet[Person] | None = None) -> QuerySet[Person]:
    """People with their profession and current ratings prefetched (two queries whatever the count)."""
    people = Person.objects.all() if people is None else people
    ratings = SkillRating.objects.select_related("skill").order_by("skill__group__order", "skill__order")
    return (
        people.select_related("profession")
        .prefetch_related(Prefetch("ratings", queryset=ratings))
        .order_by("name", "id")
    )


def ratings_of(person: Person) -> dict[str, int]:
    """``{skill_slug: level}`` in catalogue order, for a person fetched through ``list_people``."""
    return {rating.skill.slug: rating.level for rating in person.ratings.all()}


def rated_at_least(people: QuerySet[Person], *, skill: Skill, min_level: int) -> QuerySet[Person]:
    """The people whose level in ``skill`` is at least ``min_level``; unrated counts as 0."""
    if min_level <= MIN_LEVEL:
        return people
    # One rating per person and skill, so the join cannot repeat a person.
    return people.filter(ratings__skill=skill, ratings__level__gte=min_level)


def with_level_in(people: QuerySet[Person], skill: Skill) -> QuerySet[Person]:
    """``people``, each carrying ``skill_level``: their rating in ``skill`` (None when unrated)."""
    rating = SkillRating.objects.filter(person=OuterRef("pk"), skill=skill)
    return people.annotate(skill_level=Subquery(rating.values("level")[:1]))


def list_teams() -> QuerySet[Team]:
    return Team.objects.order_by("name", "id")


RATING_HISTORY_LENGTH = 30


def list_rating_changes(person: Person, *, limit: int = RATING_HISTORY_LENGTH) -> list[SkillRatingChange]:
    """A person's latest rating changes, newest first, with the skill and who made them (one query)."""
    changes = person.rating_changes.select_related("skill", "changed_by").order_by("-changed_at", "-id")
    return list(changes[:limit])


def rating_source_for(*, actor: Viewer, person: Person) -> RatingSource:
    """What ``actor``'s ratings of ``person`` count as, the way ``set_ratings`` records them."""
    return RatingSource.SELF if person.user_id == actor.pk else RatingSource.LEAD
