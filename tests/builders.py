"""Test data the page tests and the browser tests share."""

import datetime as dt
import re
from decimal import Decimal
from html import unescape

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.utils import timezone

from people.models import Person, RatingSource, SkillRating, SkillRatingChange, Team
from projects.models import WORKING_PHASES, Phase, Project, ProjectTask, ProjectTaskSkill, RoleSlot
from roles.models import Profession
from tests.factories import (
    PersonFactory,
    ProjectFactory,
    RoleSlotFactory,
    SkillRatingFactory,
    SlotRequirementFactory,
    skill,
)

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


def build_slot(
    project: Project | None = None, *, requirements: dict[str, int] | None = None, **fields: object
) -> RoleSlot:
    """A slot (on ``project`` or a new one) requiring ``{skill_slug: level}``, statistics 4 by default."""
    slot = RoleSlotFactory(project=project, **fields) if project else RoleSlotFactory(**fields)
    for slug, level in (requirements if requirements is not None else {"statistics": 4}).items():
        SlotRequirementFactory(slot=slot, skill=skill(slug), level=level)
    return slot


def build_candidate(
    name: str,
    *,
    ratings: dict[str, int] | None = None,
    rated_days_ago: int = 0,
    source: str = RatingSource.LEAD,
    capacity: str = "1.00",
    team: Team | None = None,
    profession: str = "data-scientist",
) -> Person:
    """A person rated ``{skill_slug: level}`` by ``source``, ``rated_days_ago`` days ago."""
    fields: dict[str, object] = {"team": team} if team else {}
    person = PersonFactory(
        name=name,
        capacity_fte=Decimal(capacity),
        profession=Profession.objects.get(slug=profession),
        **fields,
    )
    rated_at = timezone.now() - dt.timedelta(days=rated_days_ago)
    for slug, level in (ratings or {}).items():
        SkillRatingFactory(person=person, skill=skill(slug), level=level, source=source, rated_at=rated_at)
    return person


def messages_of(response: HttpResponse) -> list[str]:
    """The messages a view added while answering ``response`` (still waiting to be shown)."""
    return [str(message) for message in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def levels_of(person: Person) -> dict[str, tuple[int, str]]:
    """``{skill_slug: (level, source)}`` of a person's current ratings, as the database holds them."""
    return {
        rating.skill.slug: (rating.level, rating.source)
        for rating in SkillRating.objects.filter(person=person).select_related("skill")
    }


def rating_history_of(person: Person) -> list[tuple[str, int | None, int, str, str | None]]:
    """A person's rating changes, newest first: ``(skill_slug, from, to, source, username of who)``."""
    changes = SkillRatingChange.objects.filter(person=person).select_related("skill", "changed_by")
    return [
        (
            change.skill.slug,
            change.from_level,
            change.to_level,
            change.source,
            getattr(change.changed_by, "username", None),
        )
        for change in changes.order_by("-changed_at", "-id")
    ]
