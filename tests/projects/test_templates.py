"""The three built-in project templates, and projects made from them."""

import datetime as dt
import importlib
from decimal import Decimal
from itertools import product
from typing import Any

import pytest
from django.apps import apps
from django.db.models import QuerySet

from projects.models import (
    WORKING_PHASES,
    Phase,
    ProjectTemplate,
    TemplateSlot,
    TemplateTask,
    TemplateTaskSkill,
)
from projects.services import create_project
from roles.models import SpectrumLevel

pytestmark = pytest.mark.django_db

TEMPLATES = ["covid-cxr-screening", "readmission-risk", "patient-feedback"]
PROFESSIONS = ["data-scientist", "data-analyst", "data-engineer", "ml-engineer"]


def task_rows(tasks: QuerySet[Any]) -> list[tuple[str, str, int, str, str, dict[str, int]]]:
    """Tasks as comparable rows: phase, profession, order, title, description and ``{skill: level}``."""
    return sorted(
        (
            task.phase,
            task.profession.slug,
            task.order,
            task.title,
            task.description,
            {s.skill.slug: s.level for s in task.skills.all()},
        )
        for task in tasks.select_related("profession").prefetch_related("skills__skill")
    )


def test_the_three_templates_ship_built_in() -> None:
    templates = ProjectTemplate.objects.order_by("slug")

    assert [(t.slug, t.is_builtin) for t in templates] == sorted((slug, True) for slug in TEMPLATES)


@pytest.mark.parametrize("slug", TEMPLATES)
def test_a_template_has_tasks_for_every_profession_in_every_phase(slug: str) -> None:
    template = ProjectTemplate.objects.get(slug=slug)

    covered = {(task.phase, task.profession.slug) for task in template.tasks.select_related("profession")}

    assert covered == set(product(WORKING_PHASES, PROFESSIONS))


@pytest.mark.parametrize("slug", TEMPLATES)
def test_every_task_exercises_skills_on_the_scale(slug: str) -> None:
    template = ProjectTemplate.objects.get(slug=slug)

    for task in template.tasks.prefetch_related("skills"):
        levels = [s.level for s in task.skills.all()]
        assert task.title
        assert task.description
        assert 2 <= len(levels) <= 4, task.title
        assert all(1 <= level <= 5 for level in levels), task.title


@pytest.mark.parametrize("slug", TEMPLATES)
def test_a_template_has_default_slots(slug: str) -> None:
    template = ProjectTemplate.objects.get(slug=slug)

    slots = list(template.slots.select_related("profession"))

    assert 4 <= len(slots) <= 6
    assert {slot.profession.slug for slot in slots} == set(PROFESSIONS)
    assert all(Decimal("0.1") <= slot.fte <= Decimal("1.0") for slot in slots)
    assert all(slot.phases for slot in slots)


def test_loading_the_templates_again_changes_nothing() -> None:
    migration = importlib.import_module("projects.migrations.0002_builtin_templates")

    def counts() -> list[int]:
        return [m.objects.count() for m in (ProjectTemplate, TemplateTask, TemplateTaskSkill, TemplateSlot)]

    before = counts()
    migration.load_templates(apps, None)

    assert counts() == before


@pytest.mark.parametrize("slug", TEMPLATES)
def test_a_project_from_a_template_copies_its_tasks_and_slots(slug: str) -> None:
    template = ProjectTemplate.objects.get(slug=slug)

    project = create_project(
        name="Pilot", starts_on=dt.date(2027, 1, 4), ends_on=dt.date(2027, 6, 30), template=template
    )

    assert project.phase == Phase.PROBLEM_UNDERSTANDING
    assert project.description == template.description
    assert task_rows(project.tasks.all()) == task_rows(template.tasks.all())
    slot_rows = sorted(
        (s.profession.slug, s.phases, s.fte, s.unfilled_fte, s.starts_on, s.ends_on)
        for s in project.slots.select_related("profession")
    )
    assert slot_rows == sorted(
        (s.profession.slug, s.phases, s.fte, s.fte, project.starts_on, project.ends_on)
        for s in template.slots.select_related("profession")
    )


@pytest.mark.parametrize("slug", TEMPLATES)
def test_a_slot_from_a_template_requires_its_profession_spectrum(slug: str) -> None:
    project = create_project(
        name="Pilot",
        starts_on=dt.date(2027, 1, 4),
        ends_on=dt.date(2027, 6, 30),
        template=ProjectTemplate.objects.get(slug=slug),
    )
    spectrum: dict[int, dict[str, tuple[int, Decimal]]] = {}
    for level in SpectrumLevel.objects.select_related("skill").filter(level__gt=0):
        spectrum.setdefault(level.profession_id, {})[level.skill.slug] = (level.level, Decimal("1"))

    for slot in project.slots.prefetch_related("requirements__skill"):
        requirements = {r.skill.slug: (r.level, r.weight) for r in slot.requirements.all()}
        assert requirements == spectrum[slot.profession_id]
