import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from projects.models import (
    Assignment,
    AssignmentStatus,
    Project,
    ProjectTask,
    ProjectTaskSkill,
    RoleSlot,
)

ZERO = Decimal("0")


def min_covered(
    *, starts_on: dt.date, ends_on: dt.date, assignments: Iterable[tuple[dt.date, dt.date, Decimal]]
) -> Decimal:
    """The least total allocation on any day of ``starts_on..ends_on`` (both included).

    Coverage only changes where an assignment starts or the day after one ends, so checking the
    range's first day and those change points inside the range finds the minimum.
    """
    spans = [(max(s, starts_on), min(e, ends_on), a) for s, e, a in assignments if s <= ends_on and e >= starts_on]
    points = {starts_on}
    for s, e, _ in spans:
        points.add(s)
        if e < ends_on:
            points.add(e + dt.timedelta(days=1))
    return min(sum((a for s, e, a in spans if s <= day <= e), ZERO) for day in points)


def compute_unfilled_fte(slot: RoleSlot, confirmed: Iterable[Assignment] | None = None) -> Decimal:
    """``max(0, fte - min over the slot's days of covered(d))`` (DESIGN.md §3)."""
    if confirmed is None:
        confirmed = slot.assignments.filter(status=AssignmentStatus.CONFIRMED)
    covered = min_covered(
        starts_on=slot.starts_on,
        ends_on=slot.ends_on,
        assignments=[(a.starts_on, a.ends_on, a.allocation) for a in confirmed],
    )
    return max(ZERO, slot.fte - covered)


def list_projects() -> QuerySet[Project]:
    return Project.objects.select_related("template").order_by("starts_on", "name", "id")


def project_tasks(project: Project) -> QuerySet[ProjectTask]:
    """The project's tasks with their profession and skills (two queries)."""
    skills = ProjectTaskSkill.objects.select_related("skill").order_by("skill__group__order", "skill__order")
    return (
        project.tasks.select_related("profession")
        .prefetch_related(Prefetch("skills", queryset=skills))
        .order_by("phase", "profession__order", "order")
    )
