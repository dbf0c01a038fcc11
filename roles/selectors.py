from django.db.models import Prefetch, QuerySet

from roles.models import Profession, SpectrumLevel


def list_professions() -> QuerySet[Profession]:
    """Professions with their spectrum prefetched (two queries whatever the count)."""
    levels = SpectrumLevel.objects.select_related("skill").order_by("skill__group__order", "skill__order")
    return Profession.objects.prefetch_related(Prefetch("spectrum", queryset=levels)).order_by("order", "name")


def spectrum_of(*, profession: Profession) -> dict[str, int]:
    """``{skill_slug: level}`` for a profession fetched through ``list_professions``."""
    return {level.skill.slug: level.level for level in profession.spectrum.all()}
