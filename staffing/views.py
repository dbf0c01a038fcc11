from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from staffing.selectors import group_projects_by_phase, list_assignments_of, person_of


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Projects by phase, and the signed-in user's current and upcoming assignments."""
    person = person_of(request.user)
    assignments = list_assignments_of(person, ending_on_or_after=timezone.localdate()) if person else []
    return render(
        request,
        "staffing/dashboard.html",
        {
            "section": "dashboard",
            "phase_groups": group_projects_by_phase(),
            "person": person,
            "assignments": assignments,
        },
    )
