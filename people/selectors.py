import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from people.access import Viewer, absence_as_seen, visible_absences
from people.models import (
    HALF_DAY,
    Absence,
    AbsenceChange,
    AbsenceKind,
    Certification,
    Person,
    RatingSource,
    SkillRating,
    SkillRatingChange,
    Team,
)
from roles.models import SpectrumLevel
from skills.models import MIN_LEVEL, Skill, SkillGroup
from ui.formats import format_date_range


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


# --- What a team lead should look at --------------------------------------------------------------

REVIEW_AFTER_YEARS = 1
EXPIRY_WARNING_DAYS = 30


@dataclass(frozen=True)
class ReviewDue:
    """A person whose ratings are due for review, and why."""

    person: Person
    outdated: int  # ratings last given more than REVIEW_AFTER_YEARS ago
    unrated: int  # skills their profession's spectrum asks for (level 1 or more) that were never rated
    last_rated: dt.datetime | None


def ratings_due_for_review(*, people: Sequence[Person], today: dt.date) -> list[ReviewDue]:
    """The people among ``people`` due a rating review, in the order given (two queries).

    The rule: a person is due when one of their ratings was last given more than 12 months before
    ``today``, or when a skill their profession's spectrum asks for (level 1 or more) was never rated.
    """
    leap_day = (today.month, today.day) == (2, 29)  # a year before 29 February is 28 February
    year_ago = today.replace(year=today.year - REVIEW_AFTER_YEARS, day=28 if leap_day else today.day)
    cutoff = timezone.make_aware(dt.datetime.combine(year_ago, dt.time()))
    asked: dict[int, set[int]] = {}
    spectrum = SpectrumLevel.objects.filter(profession__in={p.profession_id for p in people}, level__gte=1)
    for profession_id, skill_id in spectrum.values_list("profession_id", "skill_id"):
        asked.setdefault(profession_id, set()).add(skill_id)
    rated: dict[int, list[tuple[int, dt.datetime]]] = {}
    ratings = SkillRating.objects.filter(person__in=[p.pk for p in people]).order_by()
    for person_id, skill_id, rated_at in ratings.values_list("person_id", "skill_id", "rated_at"):
        rated.setdefault(person_id, []).append((skill_id, rated_at))
    due = []
    for person in people:
        mine = rated.get(person.pk, [])
        outdated = sum(rated_at < cutoff for _, rated_at in mine)
        unrated = len(asked.get(person.profession_id, set()) - {skill_id for skill_id, _ in mine})
        if outdated or unrated:
            last = max((rated_at for _, rated_at in mine), default=None)
            due.append(ReviewDue(person=person, outdated=outdated, unrated=unrated, last_rated=last))
    return due


def certifications_expiring(*, people: Sequence[Person], today: dt.date) -> list[Certification]:
    """Certifications of ``people`` that expire within 30 days of ``today`` (today included) and have not
    been renewed (no certification of the same kind for that person runs longer), soonest first (one query)."""
    renewed = Certification.objects.filter(person=OuterRef("person"), kind=OuterRef("kind")).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on"))
    )
    return list(
        Certification.objects.filter(
            person__in=[p.pk for p in people],
            expires_on__gte=today,
            expires_on__lte=today + dt.timedelta(days=EXPIRY_WARNING_DAYS),
        )
        .exclude(Exists(renewed))
        .select_related("person", "kind")
        .order_by("expires_on", "person__name", "kind__name")
    )


# --- Absences ------------------------------------------------------------------------------------

ABSENCE_CHANGES_SHOWN = 20


def fraction_label(fraction: object) -> str:
    """``Half days`` for 0.5, ``Whole days`` for 1: how pages name an absence's fraction."""
    return "Half days" if Decimal(str(fraction)) == HALF_DAY else "Whole days"


@dataclass(frozen=True)
class AbsenceRow:
    """An absence as a page shows it to its reader (``people.access.absence_as_seen``)."""

    absence: Absence
    dates: str  # "3 Dec 2026 to 4 Dec 2026"
    days: str  # "Whole days" or "Half days"
    kind: str  # the kind's label
    note: str


def absence_row(absence: Absence) -> AbsenceRow:
    """``absence``, read through ``visible_absences``, as its reader may see it."""
    kind, note = absence_as_seen(absence)
    return AbsenceRow(
        absence=absence,
        dates=format_date_range(absence.starts_on, absence.ends_on),
        days=fraction_label(absence.fraction),
        kind=AbsenceKind(kind).label,
        note=note,
    )


def absences_of(*, user: Viewer, person: Person) -> list[AbsenceRow]:
    """``person``'s absences that ``user`` may see, by first day (one query)."""
    absences = visible_absences(user, Absence.objects.filter(person=person)).order_by("starts_on", "id")
    return [absence_row(absence) for absence in absences]


@dataclass(frozen=True)
class AbsenceChangeEntry:
    change: AbsenceChange
    summary: str


def _absence_summary(snapshot: dict[str, Any]) -> str:
    dates = format_date_range(dt.date.fromisoformat(snapshot["starts_on"]), dt.date.fromisoformat(snapshot["ends_on"]))
    kind = AbsenceKind(snapshot["kind"]).label
    text = f"{kind}, {dates}, {fraction_label(snapshot['fraction']).lower()}"
    return f"{text} ({snapshot['note']})" if snapshot["note"] else text


def absence_changes_of(*, person: Person, limit: int = ABSENCE_CHANGES_SHOWN) -> list[AbsenceChangeEntry]:
    """The latest changes to ``person``'s absences, newest first, each with a one-line summary (one
    query). They show kinds and notes as recorded: only for readers of the details (``may_record_absence``)."""
    changes = AbsenceChange.objects.filter(person=person).select_related("changed_by")[:limit]
    entries = []
    for change in changes:
        if change.before and change.after:
            summary = f"{_absence_summary(change.before)} → {_absence_summary(change.after)}"
        else:
            summary = _absence_summary(change.after or change.before or {})
        entries.append(AbsenceChangeEntry(change=change, summary=summary))
    return entries
