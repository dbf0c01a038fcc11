from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from roles.selectors import list_professions
from skills.models import LEVEL_NAMES
from skills.selectors import list_skill_groups_with_skills
from ui.charts import spectrum_heatmap


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """Skill groups and skills, professions, and the profession × skill spectrum as a heatmap."""
    groups = list(list_skill_groups_with_skills())
    professions = list(list_professions())
    heatmap = spectrum_heatmap(
        skills=[(skill.slug, skill.name, group.name) for group in groups for skill in group.skills.all()],
        professions=[(profession.slug, profession.name) for profession in professions],
        levels={
            (profession.slug, level.skill.slug): level.level
            for profession in professions
            for level in profession.spectrum.all()
        },
        level_names=LEVEL_NAMES,
    )
    return render(
        request,
        "skills/catalogue.html",
        {"section": "catalogue", "groups": groups, "professions": professions, "heatmap": heatmap},
    )
