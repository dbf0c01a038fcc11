from decimal import Decimal

from django.conf import settings
from django.db import models

from roles.models import Profession
from skills.models import Skill, level_range_check

MIN_FTE = Decimal("0.10")
MAX_FTE = Decimal("1.00")


def fte_range_check(field: str, name: str, minimum: Decimal = MIN_FTE) -> models.CheckConstraint:
    """A database constraint keeping an FTE field within ``minimum`` .. 1.0."""
    return models.CheckConstraint(condition=models.Q(**{f"{field}__gte": minimum, f"{field}__lte": MAX_FTE}), name=name)


class Team(models.Model):
    """A group of staff with a lead who rates their skills."""

    name = models.CharField(max_length=100, unique=True)
    lead = models.ForeignKey("Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="teams_led")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A member of staff: what they do, where they sit, how much of their time is free to give."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    profession = models.ForeignKey(Profession, on_delete=models.PROTECT, related_name="people")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members")
    capacity_fte = models.DecimalField(max_digits=3, decimal_places=2, default=MAX_FTE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "people"
        constraints = [fte_range_check("capacity_fte", "person_capacity_in_range")]

    def __str__(self) -> str:
        return self.name


class RatingSource(models.TextChoices):
    SELF = "self", "Self-assessment"
    LEAD = "lead", "Team lead"


class SkillRating(models.Model):
    """A person's current level in one skill; its changes are kept in ``SkillRatingChange``."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="ratings")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="ratings")
    level = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=4, choices=RatingSource.choices, default=RatingSource.SELF)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rated_at = models.DateTimeField()

    class Meta:
        ordering = ["person", "skill__group__order", "skill__order"]
        constraints = [
            models.UniqueConstraint(fields=["person", "skill"], name="rating_one_per_person_and_skill"),
            level_range_check("level", "rating_level_on_scale"),
        ]
        indexes = [models.Index(fields=["skill", "level"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.skill} {self.level}"


class SkillRatingChange(models.Model):
    """One change of a rating: the audit trail of who rated what, when, from which level to which."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="rating_changes")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")
    from_level = models.PositiveSmallIntegerField(null=True, blank=True)
    to_level = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=4, choices=RatingSource.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at", "-id"]
        constraints = [
            level_range_check("to_level", "rating_change_to_on_scale"),
            level_range_check("from_level", "rating_change_from_on_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.skill} {self.from_level} → {self.to_level}"


class CertificationType(models.Model):
    """A kind of certification a role may require (e.g. privacy and HIPAA training)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=150, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Certification(models.Model):
    """A certification a person holds, valid from ``obtained_on`` until ``expires_on`` (if set)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="certifications")
    kind = models.ForeignKey(CertificationType, on_delete=models.PROTECT, related_name="certifications")
    obtained_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["person", "kind", "-obtained_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=models.F("obtained_on")),
                name="certification_expires_after_obtained",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.kind}"


# --- Absences ------------------------------------------------------------------------------------

WHOLE_DAY = Decimal("1.00")
HALF_DAY = Decimal("0.50")
ABSENCE_FRACTIONS = (WHOLE_DAY, HALF_DAY)
MAX_ABSENCE_DAYS = 366  # one absence spans at most this many calendar days, both ends included
ABSENCE_WINDOW_YEARS = 5  # an absence lies within this many years before or after today
MAX_NOTE_LENGTH = 200


class AbsenceKind(models.TextChoices):
    LEAVE = "leave", "Leave"
    SICKNESS = "sickness", "Sickness"
    TRAINING = "training", "Training"
    OTHER = "other", "Other"


class Absence(models.Model):
    """A person away from ``starts_on`` to ``ends_on`` (both included), whole days (fraction 1) or
    half days (0.5). Its changes are kept in ``AbsenceChange``."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="absences")
    starts_on = models.DateField()
    ends_on = models.DateField()
    fraction = models.DecimalField(max_digits=3, decimal_places=2, default=WHOLE_DAY)
    kind = models.CharField(max_length=10, choices=AbsenceKind.choices, default=AbsenceKind.LEAVE)
    note = models.CharField(max_length=MAX_NOTE_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="absence_ends_after_starts"
            ),
            models.CheckConstraint(condition=models.Q(fraction__in=ABSENCE_FRACTIONS), name="absence_whole_or_half"),
            models.CheckConstraint(condition=models.Q(kind__in=AbsenceKind.values), name="absence_kind_known"),
        ]
        indexes = [models.Index(fields=["person", "starts_on"]), models.Index(fields=["updated_at"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.kind} {self.starts_on}–{self.ends_on}"


class ChangeRecord(models.Model):
    """A line of an audit trail: its snapshots before and after a change (JSON, None when the row did
    not exist), who made it and when. Each trail adds the id of the row it follows (without a foreign
    key, so that the line outlives the row) and its ``action`` with the choices it names."""

    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        abstract = True
        ordering = ["-changed_at", "-id"]


class AbsenceChange(ChangeRecord):
    """The audit trail of absences: who recorded, changed or deleted one, when, before and after."""

    class Action(models.TextChoices):
        CREATED = "created", "Recorded"
        UPDATED = "updated", "Changed"
        DELETED = "deleted", "Deleted"

    absence_id = models.BigIntegerField(db_index=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="absence_changes")
    action = models.CharField(max_length=10, choices=Action.choices)

    def __str__(self) -> str:
        return f"{self.action} absence {self.absence_id}"


# --- Closures ------------------------------------------------------------------------------------


class Closure(models.Model):
    """A day the organisation is closed beyond its region's public holidays, added by a manager."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
