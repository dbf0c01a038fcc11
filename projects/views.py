from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from people.access import reads_everyone
from projects.models import PHASE_ORDER, Assignment, Phase, RoleSlot
from projects.selectors import (
    group_tasks_by_phase,
    list_projects,
    list_projects_with_staffing,
    phase_steps,
    project_slots,
    project_tasks,
)
from staffing.charts import CoverageBar, coverage_bar

PAGE_SIZE = 25


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    phase = request.GET.get("phase")
    if phase not in PHASE_ORDER:
        phase = None
    page = Paginator(list_projects_with_staffing(phase=phase), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/project_list.html",
        {
            "section": "projects",
            "page": page,
            "phase": phase,
            "phase_label": Phase(phase).label if phase else None,
            "phases": Phase.choices,
        },
    )


@dataclass(frozen=True)
class SlotRow:
    """A role slot as the project page shows it: its coverage and the assignments the user may see."""

    slot: RoleSlot
    coverage: CoverageBar
    phase_labels: list[str]
    assignments: list[Assignment]
    hidden_assignments: int


def _slot_rows(request: HttpRequest, slots: list[RoleSlot]) -> list[SlotRow]:
    # Staff without a reading role see their own assignments by name and the others as a count.
    everyone = reads_everyone(request.user)
    rows = []
    for slot in slots:
        assignments = list(slot.assignments.all())
        shown = [a for a in assignments if everyone or a.person.user_id == request.user.pk]
        rows.append(
            SlotRow(
                slot=slot,
                coverage=coverage_bar(fte=slot.fte, unfilled_fte=slot.unfilled_fte),
                phase_labels=[Phase(phase).label for phase in slot.phases],
                assignments=shown,
                hidden_assignments=len(assignments) - len(shown),
            )
        )
    return rows


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(list_projects(), pk=pk)
    return render(
        request,
        "projects/project_detail.html",
        {
            "section": "projects",
            "project": project,
            "steps": phase_steps(project.phase),
            "phases": group_tasks_by_phase(project_tasks(project)),
            "slot_rows": _slot_rows(request, list(project_slots(project))),
        },
    )
