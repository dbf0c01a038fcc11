import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.errors import RuleError
from people.access import may_rate, may_record_absence
from people.capacity import check_capacity_change
from people.models import (
    ABSENCE_FRACTIONS,
    ABSENCE_WINDOW_YEARS,
    MAX_ABSENCE_DAYS,
    MAX_FTE,
    MAX_NOTE_LENGTH,
    MIN_FTE,
    WHOLE_DAY,
    Absence,
    AbsenceChange,
    AbsenceKind,
    Person,
    RatingSource,
    SkillRating,
    SkillRatingChange,
    Team,
)
from roles.models import Profession
from skills.models import MAX_LEVEL, MIN_LEVEL, Skill

logger = logging.getLogger(__name__)

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
    """Change a person's name, email, profession, team or capacity; ratings change through ``set_ratings``.

    A lower capacity must still hold the person's confirmed load on every day from today on
    (``people.capacity``); otherwise ``RuleError`` names the first day it would not, and nothing changes.
    """
    unknown = set(changes) - EDITABLE_PERSON_FIELDS
    if unknown:
        raise ValueError(f"These fields of a person cannot be changed here: {', '.join(sorted(unknown))}")
    # Lock order (projects.services): people are locked after any slot, and here alone.
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not changes:
        return person
    if "capacity_fte" in changes:
        check_capacity_change(person=person, capacity_fte=Decimal(str(changes["capacity_fte"])))
    for field, value in changes.items():
        setattr(person, field, value)
    person.save(update_fields=[*changes, "updated_at"])
    return person


def _linked_elsewhere(user: User, person: Person) -> ValidationError:
    other = Person.objects.filter(user=user).exclude(pk=person.pk).values_list("name", flat=True).first()
    return ValidationError({"user": [f"The account “{user.username}” is already linked to {other or 'someone else'}."]})


@transaction.atomic
def link_account(*, person: Person, user: User, actor: User | None) -> Person:
    """Link a sign-in account to a person, so that signing in shows them their own record.

    One account per person and one person per account: a person who already has an account must be
    unlinked first, and an account linked to someone else is refused (``ValidationError`` on ``user``),
    also when two requests race for it; nothing changes then. Each link is logged with who made it.
    Permissions are the caller's business (``people.access.may_change_people``).
    """
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)  # a person alone
    if person.user_id == user.pk:
        return person
    if person.user is not None:
        raise ValidationError(
            {"user": [f"{person.name} is already linked to the account “{person.user.username}”: unlink it first."]}
        )
    if Person.objects.filter(user=user).exists():
        raise _linked_elsewhere(user, person)
    person.user = user
    try:
        with transaction.atomic():
            person.save(update_fields=["user", "updated_at"])
    except IntegrityError:
        raise _linked_elsewhere(user, person) from None
    logger.info(
        "%s linked the account %s to person %s (%s)", actor or "load_demo", user.username, person.pk, person.name
    )
    return person


@transaction.atomic
def unlink_account(*, person: Person, actor: User | None) -> Person:
    """Take a person's sign-in account off them (the account stays; it just no longer shows this person).
    Logged with who did it; a person without an account is left as they are."""
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)  # a person alone
    if person.user is None:
        return person
    username = person.user.username
    person.user = None
    person.save(update_fields=["user", "updated_at"])
    logger.info("%s unlinked the account %s from person %s (%s)", actor, username, person.pk, person.name)
    return person


def _rating_source(actor: User, person: Person) -> RatingSource:
    return RatingSource.SELF if person.user_id == actor.pk else RatingSource.LEAD


@transaction.atomic
def set_ratings(*, person: Person, levels: Mapping[str, int], actor: User) -> Person:
    """Set some of a person's skill levels, all or none, recording each change with who and when.

    A person rating themselves gives a self-assessment; anyone else allowed to rate (a lead of their
    team, a superuser) gives a lead rating. An unchanged level records nothing, except that a lead
    repeating the level of a self-assessment validates it: the rating becomes a lead rating.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)  # lock order: a person alone
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

    _write_levels(
        person=person,
        levels={skills[slug]: level for slug, level in levels.items()},
        source=_rating_source(actor, person),
        actor=actor,
    )
    return person


def _write_levels(*, person: Person, levels: Mapping[Skill, int], source: RatingSource, actor: User | None) -> int:
    """Write checked levels of one person and a history row for each change; returns how many changed."""
    now = timezone.now()
    current = {rating.skill_id: rating for rating in SkillRating.objects.filter(person=person, skill__in=list(levels))}
    created: list[SkillRating] = []
    updated: list[SkillRating] = []
    changes: list[SkillRatingChange] = []
    for skill, level in levels.items():
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
    return len(changes)


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


PERSON_COLUMNS = ("name", "email", "profession", "team", "capacity_fte")
NAME_LENGTH = 200


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    ratings_changed: int
    teams_created: list[str]


class ImportRefused(Exception):  # noqa: N818  it carries every problem of the file, not one error
    """The file has problems; nothing was imported. ``problems`` lists them by line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the file")
        self.problems = problems


def _read_row(
    line: int, row: Mapping[str, str], professions: dict[str, Profession], skills: dict[str, Skill]
) -> tuple[dict[str, Any], dict[Skill, int], list[str]]:
    problems = []
    name, email = (row.get("name") or "").strip(), (row.get("email") or "").strip().lower()
    if not name or len(name) > NAME_LENGTH:
        problems.append(f"line {line}: a name of 1 to 200 characters is required.")
    if "@" not in email:
        problems.append(f"line {line}: an email address is required; it identifies the person.")
    profession = professions.get((row.get("profession") or "").strip())
    if profession is None:
        problems.append(f"line {line}: unknown profession “{row.get('profession')}”.")
    capacity_text = (row.get("capacity_fte") or "").strip() or str(MAX_FTE)
    try:
        capacity = Decimal(capacity_text)
        if not MIN_FTE <= capacity <= MAX_FTE:
            raise InvalidOperation
    except InvalidOperation:
        problems.append(f"line {line}: capacity_fte must be a number from {MIN_FTE} to {MAX_FTE}.")
        capacity = MAX_FTE
    levels = {}
    for slug, skill in skills.items():
        text = (row.get(slug) or "").strip()
        if not text:
            continue
        if not text.isdigit() or not MIN_LEVEL <= int(text) <= MAX_LEVEL:
            problems.append(f"line {line}: {slug} must be a whole number from {MIN_LEVEL} to {MAX_LEVEL}.")
            continue
        levels[skill] = int(text)
    fields = {"name": name, "profession": profession, "capacity_fte": capacity, "team": (row.get("team") or "").strip()}
    return {"email": email, **fields}, levels, problems


@transaction.atomic
def import_people(*, header: list[str], rows: Iterable[Mapping[str, str]], actor: User | None = None) -> ImportSummary:
    """Create or update people, matched by email, and their ratings, from rows of a CSV file.

    Columns: name, email, profession (slug), team (name; created when new), capacity_fte, and one
    column per skill slug holding a level 0–5 (empty leaves that rating as it is). Every row is
    checked first; any problem refuses the whole file and nothing changes, also a capacity lowered
    below the person's confirmed load (the line's problem, found while writing and then undone). Ratings are recorded as
    lead ratings, each change in the history, given by ``actor``.
    """
    skills = Skill.objects.in_bulk(field_name="slug")
    unknown_columns = [c for c in header if c not in PERSON_COLUMNS and c not in skills]
    missing_columns = [c for c in ("name", "email", "profession") if c not in header]
    problems = [f"unknown column “{c}”: use {', '.join(PERSON_COLUMNS)} and skill slugs." for c in unknown_columns]
    problems += [f"the column “{c}” is required." for c in missing_columns]
    if problems:
        raise ImportRefused(problems)

    professions = Profession.objects.in_bulk(field_name="slug")
    parsed, seen = [], set()
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        fields, levels, row_problems = _read_row(line, row, professions, skills)
        if fields["email"] in seen:
            row_problems.append(f"line {line}: {fields['email']} appears more than once.")
        seen.add(fields["email"])
        problems += row_problems
        parsed.append((line, fields, levels))
    if problems:
        raise ImportRefused(problems)

    teams = {team.name: team for team in Team.objects.all()}
    # Lock order (projects.services): every person the file updates, by id, before the first update,
    # so that two imports, or an import and a slot closing, queue up instead of deadlocking.
    matched = Person.objects.select_for_update().filter(email__in=seen).order_by("pk")
    existing = {person.email.lower(): person for person in matched}
    teams_created, created, updated, ratings_changed = [], 0, 0, 0
    for line, fields, levels in parsed:
        team_name = fields.pop("team")
        if team_name and team_name not in teams:
            teams[team_name] = Team.objects.create(name=team_name)
            teams_created.append(team_name)
        fields["team"] = teams.get(team_name)
        person = existing.get(fields["email"])
        if person is None:
            person = create_person(**fields)
            created += 1
        else:
            try:
                update_person(person=person, changes=fields)
            except RuleError as refused:
                problems.append(f"line {line}: {refused.message}")
                continue
            updated += 1
        ratings_changed += _write_levels(person=person, levels=levels, source=RatingSource.LEAD, actor=actor)
    if problems:
        raise ImportRefused(problems)  # leaving the transaction undoes the lines already written
    return ImportSummary(created=created, updated=updated, ratings_changed=ratings_changed, teams_created=teams_created)


# --- Absences ------------------------------------------------------------------------------------

ABSENCE_FIELDS = frozenset({"person", "starts_on", "ends_on", "fraction", "kind", "note"})


def _absence_snapshot(absence: Absence) -> dict[str, Any]:
    return {
        "person": absence.person_id,
        "starts_on": absence.starts_on.isoformat(),
        "ends_on": absence.ends_on.isoformat(),
        "fraction": str(absence.fraction),
        "kind": absence.kind,
        "note": absence.note,
    }


def _record_absence_change(
    *, absence: Absence, action: str, before: dict[str, Any] | None, after: dict[str, Any] | None, actor: User
) -> None:
    AbsenceChange.objects.create(
        absence_id=absence.pk,
        person_id=absence.person_id,
        action=action,
        before=before,
        after=after,
        changed_by=actor,
        changed_at=timezone.now(),
    )


def _shift_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def _check_absence(absence: Absence) -> None:
    """Field errors for an absence out of bounds: ``ValidationError`` naming each field at fault."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    earliest, latest = _shift_years(today, -ABSENCE_WINDOW_YEARS), _shift_years(today, ABSENCE_WINDOW_YEARS)
    for field in ("starts_on", "ends_on"):
        day = getattr(absence, field)
        if not earliest <= day <= latest:
            errors[field] = [
                f"An absence lies within {ABSENCE_WINDOW_YEARS} years of today: "
                f"from {earliest.isoformat()} to {latest.isoformat()}."
            ]
    if not errors:
        if absence.ends_on < absence.starts_on:
            errors["ends_on"] = ["An absence cannot end before it starts."]
        elif (absence.ends_on - absence.starts_on).days + 1 > MAX_ABSENCE_DAYS:
            errors["ends_on"] = [f"One absence spans at most {MAX_ABSENCE_DAYS} days, both ends included."]
    try:
        fraction = Decimal(str(absence.fraction))
    except InvalidOperation:
        fraction = None
    if fraction not in ABSENCE_FRACTIONS:
        errors["fraction"] = ["An absence is whole days (1) or half days (0.5)."]
    else:
        absence.fraction = fraction
    if absence.kind not in AbsenceKind.values:
        errors["kind"] = [f"The kind is one of {', '.join(AbsenceKind.values)}."]
    if len(absence.note) > MAX_NOTE_LENGTH:
        errors["note"] = [f"A note has at most {MAX_NOTE_LENGTH} characters."]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_absence(
    *,
    person: Person,
    starts_on: dt.date,
    ends_on: dt.date,
    actor: User,
    fraction: Decimal = WHOLE_DAY,
    kind: str = AbsenceKind.LEAVE,
    note: str = "",
) -> Absence:
    """Record an absence of ``person`` (``PermissionDenied`` unless ``actor`` may: ``may_record_absence``).

    Bad dates, fraction, kind or note raise ``ValidationError`` by field and record nothing. Absences
    may overlap (DESIGN §3.1 caps a day's absence at 1). The record is audited in ``AbsenceChange``.
    """
    if not may_record_absence(actor, person):
        raise PermissionDenied
    absence = Absence(
        person=person,
        starts_on=starts_on,
        ends_on=ends_on,
        fraction=fraction,
        kind=kind,
        note=note,
        created_by=actor,
    )
    _check_absence(absence)
    absence.save()
    _record_absence_change(
        absence=absence, action=AbsenceChange.Action.CREATED, before=None, after=_absence_snapshot(absence), actor=actor
    )
    return absence


@transaction.atomic
def change_absence(*, absence: Absence, changes: Mapping[str, Any], actor: User) -> Absence:
    """Change an absence's person, dates, fraction, kind or note, all or nothing, audited.

    ``actor`` must be allowed to record absences of its person, and of the new person when it moves.
    """
    unknown = set(changes) - ABSENCE_FIELDS
    if unknown:
        raise ValueError(f"These fields of an absence cannot be changed here: {', '.join(sorted(unknown))}")
    absence = Absence.objects.select_for_update(of=("self",)).select_related("person").get(pk=absence.pk)
    if not may_record_absence(actor, absence.person):
        raise PermissionDenied
    if "person" in changes and not may_record_absence(actor, changes["person"]):
        raise PermissionDenied
    before = _absence_snapshot(absence)
    for field, value in changes.items():
        setattr(absence, field, value)
    _check_absence(absence)
    after = _absence_snapshot(absence)
    if after == before:
        return absence
    absence.save()
    _record_absence_change(
        absence=absence, action=AbsenceChange.Action.UPDATED, before=before, after=after, actor=actor
    )
    return absence


@transaction.atomic
def delete_absence(*, absence: Absence, actor: User) -> None:
    """Delete an absence; the audit trail keeps what it was."""
    absence = Absence.objects.select_for_update(of=("self",)).select_related("person").get(pk=absence.pk)
    if not may_record_absence(actor, absence.person):
        raise PermissionDenied
    _record_absence_change(
        absence=absence, action=AbsenceChange.Action.DELETED, before=_absence_snapshot(absence), after=None, actor=actor
    )
    absence.delete()
