"""The project page puts staffing first, and after an action the user lands on what they acted on."""

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from projects.models import AssignmentStatus, Phase, Project, RoleSlot
from tests.builders import build_candidate, build_project_with_tasks, build_slot
from tests.factories import AssignmentFactory
from tests.projects.pages.test_slot_forms import slot_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def project() -> Project:
    return build_project_with_tasks(phase=Phase.DATA_UNDERSTANDING)


@pytest.fixture
def slot(project: Project) -> RoleSlot:
    return build_slot(project, title="Modeller", fte=Decimal("0.80"), unfilled_fte=Decimal("0.80"))


@pytest.fixture
def client(signed_in: Callable[[User], Client], manager: User) -> Client:
    return signed_in(manager)


def ids_in_order(html: str, wanted: set[str]) -> list[str]:
    return [found for found in re.findall(r'\sid="([\w-]+)"', html) if found in wanted]


def test_the_project_page_shows_slots_first_then_phases_and_tasks_then_history(
    client: Client, project: Project, slot: RoleSlot
) -> None:
    html = client.get(reverse("project_detail", args=[project.pk])).content.decode()

    assert ids_in_order(html, {"slots", f"slot-{slot.pk}", "phases", "tasks-heading", "history", "changes"}) == [
        "slots",
        f"slot-{slot.pk}",
        "phases",
        "tasks-heading",
        "history",
        "changes",
    ]
    navigation = re.search(r'<nav class="on-this-page".*?</nav>', html, flags=re.S)
    assert navigation is not None
    assert re.findall(r'<a href="#([\w-]+)">([^<]+)</a>', navigation.group(0)) == [
        ("slots", "Role slots"),
        ("phases", "Phases and tasks"),
        ("history", "Phase history"),
        ("changes", "Assignment changes"),
    ]


def test_moving_a_phase_lands_on_the_phases(client: Client, project: Project) -> None:
    response = client.post(reverse("phase_move", args=[project.pk]), {"to": "implementation", "note": ""})

    assert response.url == f"/projects/{project.pk}/#phases"


def test_editing_a_slot_lands_where_the_edit_began(client: Client, project: Project, slot: RoleSlot) -> None:
    url = reverse("slot_edit", args=[project.pk, slot.pk])
    fields = slot_fields(profession="data-scientist", starts_on="2027-01-04", ends_on="2027-06-30")

    from_project = client.post(f"{url}?from=project", fields)
    from_slot_page = client.post(url, fields)
    from_elsewhere = client.post(f"{url}?from=https://example.com/", fields)

    assert from_project.url == f"/projects/{project.pk}/#slot-{slot.pk}"
    assert from_slot_page.url == from_elsewhere.url == f"/projects/{project.pk}/slots/{slot.pk}/"


def test_closing_a_slot_lands_on_its_row_of_the_project_page(client: Client, project: Project, slot: RoleSlot) -> None:
    url = reverse("slot_close", args=[project.pk, slot.pk])
    asked_from_project = client.get(f"{url}?from=project").content.decode()
    asked_from_slot_page = client.get(url).content.decode()
    response = client.post(url)
    page = client.get(response.url).content.decode()

    # Cancelling goes back where the question came from; closing, to the slot's row.
    assert f'href="/projects/{project.pk}/#slot-{slot.pk}">Cancel' in asked_from_project
    assert f'href="/projects/{project.pk}/slots/{slot.pk}/">Cancel' in asked_from_slot_page
    assert response.url == f"/projects/{project.pk}/#slot-{slot.pk}"
    assert f'<tr id="slot-{slot.pk}">' in page


def test_assignment_actions_land_on_the_assignments_row_or_section(client: Client, slot: RoleSlot) -> None:
    ada = build_candidate("Ada Byrne", ratings={"statistics": 4})
    slot_page = f"/projects/{slot.project_id}/slots/{slot.pk}/"
    fields = {"person": ada.pk, "starts_on": "2027-01-04", "ends_on": "2027-06-30", "allocation": "0.50"}

    proposed = client.post(reverse("assignment_add", args=[slot.project_id, slot.pk]), fields | {"status": "tentative"})
    assignment = slot.assignments.get()
    args = [slot.project_id, slot.pk, assignment.pk]
    changed = client.post(reverse("assignment_change", args=args), fields | {"allocation": "0.40"})
    confirmed = client.post(reverse("assignment_confirm", args=args))
    page = client.get(confirmed.url).content.decode()
    released = client.post(reverse("assignment_release", args=args))

    assert [proposed.url, changed.url, confirmed.url] == [f"{slot_page}#assignment-{assignment.pk}"] * 3
    assert f'<tr id="assignment-{assignment.pk}">' in page
    assert released.url == f"{slot_page}#assignments"
    assert '<section class="section" id="assignments"' in client.get(released.url).content.decode()


def test_a_refused_confirmation_from_the_candidates_lands_back_on_them(client: Client, slot: RoleSlot) -> None:
    ada = build_candidate("Ada Byrne", ratings={"statistics": 4}, capacity="0.50")
    AssignmentFactory(person=ada, slot=build_slot(slot.project), allocation=Decimal("0.50"))

    response = client.post(
        reverse("assignment_add", args=[slot.project_id, slot.pk]),
        {
            "person": ada.pk,
            "starts_on": "2027-01-04",
            "ends_on": "2027-06-30",
            "allocation": "0.50",
            "status": AssignmentStatus.CONFIRMED,
            "back": "available_only=on",
        },
    )

    assert response.url == f"/projects/{slot.project_id}/slots/{slot.pk}/?available_only=on#candidates"
    assert not slot.assignments.exists()
