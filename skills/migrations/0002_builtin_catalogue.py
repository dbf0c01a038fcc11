"""The built-in catalogue: five skill groups and their twelve skills."""

from django.db import migrations

GROUPS = [
    ("science", "Science", ["statistics", "ml-modelling", "research", "experimentation"]),
    ("infrastructure", "Infrastructure", ["databases", "data-pipelines"]),
    ("production", "Production", ["deployment", "ml-ops"]),
    ("knowledge-discovery", "Knowledge discovery", ["data-visualisation", "business-insights"]),
    ("communication", "Communication", ["reporting", "storytelling"]),
]

SKILLS = {
    "statistics": ("Statistics", "Inference, sampling, hypothesis testing and study design."),
    "ml-modelling": ("ML modelling", "Choosing, training and evaluating machine-learning models."),
    "research": ("Research", "Framing questions, reading the literature, designing the approach."),
    "experimentation": ("Experimentation", "Running and comparing experiments; tuning and validation."),
    "databases": ("Databases", "Relational and document stores, SQL, data modelling."),
    "data-pipelines": ("Data pipelines", "Extracting, cleaning, integrating and moving data reliably."),
    "deployment": ("Deployment", "Putting models and services into production systems."),
    "ml-ops": ("ML Ops", "Monitoring, versioning and retraining models in production."),
    "data-visualisation": ("Data visualisation", "Charts and dashboards that make data readable."),
    "business-insights": ("Business insights", "Turning analysis into operational and clinical decisions."),
    "reporting": ("Reporting", "Clear written and tabular reporting of results."),
    "storytelling": ("Storytelling", "Presenting findings to clinicians and managers."),
}


def load_catalogue(apps, schema_editor):
    SkillGroup = apps.get_model("skills", "SkillGroup")
    Skill = apps.get_model("skills", "Skill")
    for group_order, (group_slug, group_name, skill_slugs) in enumerate(GROUPS, start=1):
        group, _ = SkillGroup.objects.update_or_create(
            slug=group_slug, defaults={"name": group_name, "order": group_order, "is_builtin": True}
        )
        for skill_order, skill_slug in enumerate(skill_slugs, start=1):
            name, description = SKILLS[skill_slug]
            Skill.objects.update_or_create(
                slug=skill_slug,
                defaults={
                    "name": name,
                    "description": description,
                    "group": group,
                    "order": skill_order,
                    "is_builtin": True,
                },
            )


def unload_catalogue(apps, schema_editor):
    apps.get_model("skills", "Skill").objects.filter(is_builtin=True).delete()
    apps.get_model("skills", "SkillGroup").objects.filter(is_builtin=True).delete()


class Migration(migrations.Migration):
    dependencies = [("skills", "0001_initial")]
    operations = [migrations.RunPython(load_catalogue, unload_catalogue)]
