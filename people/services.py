from collections.abc import Mapping
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from people.access import may_rate
from people.models import MAX_FTE, Person, RatingSource, SkillRating, SkillRatingChange, Team
from roles.models import Profession
from skills.models import MAX_LEVEL, MIN_LEVEL, Skill

EDITABLE_PERSON_FIELDS = frozenset({"name", "email", "profession", "team", "capacity_fte"})


@transaction.atomic
def create_person(
    *,
    name: str,
    profession: Profession,
    team: Team | None = None,
    capacity_fte: Decimal = MAX_FTE,
    email: str = "",
) -> Person:
    return Person.objects.create(name=name, email=email, profession=profession, team=team, capacity_fte=capacity_fte)


@transaction.atomic
def update_person(*, person: Person, changes: Mapping[str, object]) -> Person:
    """Change a person's name, email, profession, team or capacity; ratings change through ``set_ratings``."""
    unknown = set(changes) - EDITABLE_PERSON_FIELDS
    if unknown:
        raise ValueError(f"These fields of a person cannot be changed here: {', '.join(sorted(unknown))}")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not changes:
        return person
    for field, value in changes.items():
        setattr(person, field, value)
    person.save(update_fields=[*changes, "updated_at"])
    return person


def _rating_source(actor: AbstractBaseUser, person: Person) -> RatingSource:
    return RatingSource.SELF if person.user_id == actor.pk else RatingSource.LEAD


@transaction.atomic
def set_ratings(*, person: Person, levels: Mapping[str, int], actor: AbstractBaseUser) -> Person:
    """Set some of a person's skill levels, all or none, recording each change with who and when.

    A person rating themselves gives a self-assessment; anyone else allowed to rate (a lead of their
    team, a superuser) gives a lead rating. An unchanged level records nothing, except that a lead
    repeating the level of a self-assessment validates it: the rating becomes a lead rating.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not may_rate(actor, person):
        raise PermissionDenied
    skills = {skill.slug: skill for skill in Skill.objects.filter(slug__in=list(levels))}
    errors = {}
    for slug, level in levels.items():
        if slug not in skills:
            errors[slug] = ["There is no skill with this slug."]
        elif isinstance(level, bool) or not isinstance(level, int) or not MIN_LEVEL <= level <= MAX_LEVEL:
            errors[slug] = [f"A level is a whole number from {MIN_LEVEL} to {MAX_LEVEL}."]
    if errors:
        raise ValidationError(errors)

    source = _rating_source(actor, person)
    now = timezone.now()
    current = {
        rating.skill_id: rating for rating in SkillRating.objects.filter(person=person, skill__in=skills.values())
    }
    created: list[SkillRating] = []
    updated: list[SkillRating] = []
    changes: list[SkillRatingChange] = []
    for slug, level in levels.items():
        skill = skills[slug]
        rating = current.get(skill.pk)
        from_level = None if rating is None else rating.level
        if rating is None:
            created.append(
                SkillRating(person=person, skill=skill, level=level, source=source, rated_by=actor, rated_at=now)
            )
        elif rating.level != level or (source == RatingSource.LEAD and rating.source == RatingSource.SELF):
            rating.level, rating.source, rating.rated_by, rating.rated_at = level, source, actor, now
            updated.append(rating)
        else:
            continue
        changes.append(
            SkillRatingChange(
                person=person,
                skill=skill,
                from_level=from_level,
                to_level=level,
                source=source,
                changed_by=actor,
                changed_at=now,
            )
        )
    SkillRating.objects.bulk_create(created)
    SkillRating.objects.bulk_update(updated, ["level", "source", "rated_by", "rated_at"])
    SkillRatingChange.objects.bulk_create(changes)
    return person


@transaction.atomic
def create_team(*, name: str, lead: Person | None = None) -> Team:
    """Make a team; a name already taken is refused, also when two requests race for it."""
    try:
        with transaction.atomic():
            return Team.objects.create(name=name, lead=lead)
    except IntegrityError:
        if Team.objects.filter(name=name).exists():
            raise ValidationError({"name": ["A team with this name already exists."]}) from None
        raise
