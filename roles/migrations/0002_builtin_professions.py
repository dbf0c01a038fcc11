"""The four built-in professions and their default skill spectrum (DESIGN.md §2)."""

from django.db import migrations

PROFESSIONS = [
    (
        "data-scientist",
        "Data scientist",
        "Centres on science: abstracts the problem, engineers features, runs and reports experiments.",
    ),
    (
        "data-analyst",
        "Data analyst",
        "Centres on knowledge discovery and communication: explores data, builds dashboards, informs decisions.",
    ),
    (
        "data-engineer",
        "Data engineer",
        "Centres on infrastructure and production: sources, cleans and stores data, builds pipelines.",
    ),
    (
        "ml-engineer",
        "ML engineer",
        "Centres on production and modelling: turns models into monitored services inside clinical systems.",
    ),
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


def load_professions(apps, schema_editor):
    Profession = apps.get_model("roles", "Profession")
    SpectrumLevel = apps.get_model("roles", "SpectrumLevel")
    Skill = apps.get_model("skills", "Skill")
    skills = {skill.slug: skill for skill in Skill.objects.filter(slug__in=SPECTRUM)}
    for column, (slug, name, description) in enumerate(PROFESSIONS):
        profession, _ = Profession.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "order": column + 1, "is_builtin": True},
        )
        for skill_slug, levels in SPECTRUM.items():
            SpectrumLevel.objects.update_or_create(
                profession=profession, skill=skills[skill_slug], defaults={"level": levels[column]}
            )


def unload_professions(apps, schema_editor):
    apps.get_model("roles", "Profession").objects.filter(is_builtin=True).delete()


class Migration(migrations.Migration):
    dependencies = [("roles", "0001_initial"), ("skills", "0002_builtin_catalogue")]
    operations = [migrations.RunPython(load_professions, unload_professions)]
