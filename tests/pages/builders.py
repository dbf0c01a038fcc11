"""Test data the page tests and the browser tests share."""

import datetime as dt
import re
from html import unescape

from projects.models import WORKING_PHASES, Phase, Project, ProjectTask, ProjectTaskSkill
from roles.models import Profession
from tests.factories import ProjectFactory, skill

# One skill exercised by each profession's task, so every task shows a skill.
TASK_SKILLS = {
    "data-scientist": "ml-modelling",
    "data-analyst": "data-visualisation",
    "data-engineer": "data-pipelines",
    "ml-engineer": "deployment",
}


def build_project_with_tasks(
    *, name: str = "Chest x-ray screening", phase: str = Phase.DATA_UNDERSTANDING, **fields: object
) -> Project:
    """A project with one task per profession in each working phase (4 × 3 tasks)."""
    project = ProjectFactory(name=name, phase=phase, **fields)
    for profession in Profession.objects.filter(slug__in=TASK_SKILLS):
        for index, working_phase in enumerate(WORKING_PHASES, start=1):
            task = ProjectTask.objects.create(
                project=project,
                phase=working_phase,
                profession=profession,
                title=f"{profession.name} task in {Phase(working_phase).label.lower()}",
                description="What this profession does in this phase.",
                order=1,
            )
            ProjectTaskSkill.objects.create(task=task, skill=skill(TASK_SKILLS[profession.slug]), level=index + 1)
    return project


def page_text(html: str | bytes) -> str:
    """The visible text of a page with tags dropped and whitespace collapsed, for content assertions."""
    if isinstance(html, bytes):
        html = html.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
