from django.db import models

from skills.models import Skill, level_range_check


class Profession(models.Model):
    """A data profession (data scientist, data analyst, ...) and, through its spectrum, what it knows."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_builtin = models.BooleanField(default=False)
    skills = models.ManyToManyField(Skill, through="SpectrumLevel", related_name="professions")

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class SpectrumLevel(models.Model):
    """The level a profession is expected to hold in one skill."""

    profession = models.ForeignKey(Profession, on_delete=models.CASCADE, related_name="spectrum")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="spectrum_levels")
    level = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["profession__order", "skill__group__order", "skill__order"]
        constraints = [
            models.UniqueConstraint(fields=["profession", "skill"], name="spectrum_one_level_per_skill"),
            level_range_check("level", "spectrum_level_on_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.profession}: {self.skill} {self.level}"
