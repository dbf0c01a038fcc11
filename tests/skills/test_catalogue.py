"""The built-in catalogue the migrations load equals the design (DESIGN.md §2), to the letter."""

import pytest

from roles.models import Profession, SpectrumLevel
from skills.models import Skill, SkillGroup

pytestmark = pytest.mark.django_db

GROUPS = [
    ("science", "Science", 1),
    ("infrastructure", "Infrastructure", 2),
    ("production", "Production", 3),
    ("knowledge-discovery", "Knowledge discovery", 4),
    ("communication", "Communication", 5),
]

# (slug, name, group, order inside the group)
SKILLS = [
    ("statistics", "Statistics", "science", 1),
    ("ml-modelling", "ML modelling", "science", 2),
    ("research", "Research", "science", 3),
    ("experimentation", "Experimentation", "science", 4),
    ("databases", "Databases", "infrastructure", 1),
    ("data-pipelines", "Data pipelines", "infrastructure", 2),
    ("deployment", "Deployment", "production", 1),
    ("ml-ops", "ML Ops", "production", 2),
    ("data-visualisation", "Data visualisation", "knowledge-discovery", 1),
    ("business-insights", "Business insights", "knowledge-discovery", 2),
    ("reporting", "Reporting", "communication", 1),
    ("storytelling", "Storytelling", "communication", 2),
]

PROFESSIONS = [
    ("data-scientist", "Data scientist"),
    ("data-analyst", "Data analyst"),
    ("data-engineer", "Data engineer"),
    ("ml-engineer", "ML engineer"),
]

# skill: (data scientist, data analyst, data engineer, ML engineer)
SPECTRUM = {
    "statistics": (4, 2, 2, 2),
    "ml-modelling": (4, 1, 2, 4),
    "research": (4, 2, 2, 2),
    "experimentation": (4, 2, 2, 2),
    "databases": (2, 2, 4, 3),
    "data-pipelines": (2, 1, 4, 3),
    "deployment": (2, 0, 3, 4),
    "ml-ops": (2, 0, 3, 4),
    "data-visualisation": (3, 4, 2, 1),
    "business-insights": (3, 4, 2, 1),
    "reporting": (3, 4, 2, 2),
    "storytelling": (3, 4, 2, 1),
}


def test_it_ships_the_five_skill_groups_in_order() -> None:
    groups = SkillGroup.objects.filter(is_builtin=True).order_by("order")

    assert [(g.slug, g.name, g.order) for g in groups] == GROUPS


def test_it_ships_the_twelve_skills_in_catalogue_order() -> None:
    skills = Skill.objects.filter(is_builtin=True).select_related("group").order_by("group__order", "order")

    assert [(s.slug, s.name, s.group.slug, s.order) for s in skills] == SKILLS


def test_it_ships_the_four_professions_in_order() -> None:
    professions = Profession.objects.filter(is_builtin=True).order_by("order")

    assert [(p.slug, p.name) for p in professions] == PROFESSIONS


def test_each_profession_has_the_designed_spectrum() -> None:
    spectrum: dict[str, dict[str, int]] = {}
    for level in SpectrumLevel.objects.select_related("profession", "skill"):
        spectrum.setdefault(level.profession.slug, {})[level.skill.slug] = level.level

    expected = {
        slug: {skill: levels[column] for skill, levels in SPECTRUM.items()}
        for column, (slug, _) in enumerate(PROFESSIONS)
    }
    assert spectrum == expected
