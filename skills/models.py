from django.db import models


class Proficiency(models.IntegerChoices):
    """The one 0–5 scale used for people's ratings and for role requirements."""

    NONE = 0, "None"
    AWARENESS = 1, "Awareness"
    FOUNDATION = 2, "Foundation"
    PRACTITIONER = 3, "Practitioner"
    ADVANCED = 4, "Advanced"
    EXPERT = 5, "Expert"


MIN_LEVEL = Proficiency.NONE.value
MAX_LEVEL = Proficiency.EXPERT.value
LEVEL_NAMES: dict[int, str] = {level.value: str(level.label) for level in Proficiency}


def level_range_check(field: str, name: str) -> models.CheckConstraint:
    """A database constraint keeping ``field`` on the proficiency scale."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": MIN_LEVEL, f"{field}__lte": MAX_LEVEL}),
        name=name,
    )


class SkillGroup(models.Model):
    """One of the families skills fall into (science, infrastructure, ...)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_builtin = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    """A skill people are rated on and roles require, in catalogue order."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    group = models.ForeignKey(SkillGroup, on_delete=models.PROTECT, related_name="skills")
    order = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(blank=True)
    is_builtin = models.BooleanField(default=False)

    class Meta:
        ordering = ["group__order", "order", "name"]

    def __str__(self) -> str:
        return self.name
