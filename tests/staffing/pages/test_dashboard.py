"""The dashboard: projects by phase, and the signed-in user's assignments."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from projects.models import AssignmentStatus, Phase
from tests.builders import page_text
from tests.factories import AssignmentFactory, PersonFactory, ProjectFactory, RoleSlotFactory

pytestmark = pytest.mark.django_db


def test_it_counts_projects_per_phase_and_links_them(signed_in: Callable[[User], Client], viewer: User) -> None:
    ProjectFactory(name="Readmission risk", phase=Phase.DATA_UNDERSTANDING)
    ProjectFactory(name="Feedback topics", phase=Phase.DATA_UNDERSTANDING)
    screening = ProjectFactory(name="Chest x-ray screening", phase=Phase.IMPLEMENTATION)

    response = signed_in(viewer).get(reverse("dashboard"))
    text = page_text(response.content)
    html = response.content.decode()

    assert response.context["phase_groups"][1].count == 2
    assert [(g.label, g.count) for g in response.context["phase_groups"]] == [
        ("Problem understanding", 0),
        ("Data understanding", 2),
        ("Implementation", 1),
        ("Closed", 0),
    ]
    assert "Data understanding 2 projects Feedback topics Readmission risk" in text
    assert "Implementation 1 project Chest x-ray screening" in text
    assert f'<a href="/projects/{screening.pk}/">Chest x-ray screening</a>' in html


def test_it_links_to_the_rest_of_a_phase_beyond_the_first_five(
    signed_in: Callable[[User], Client], viewer: User
) -> None:
    ProjectFactory.create_batch(7, phase=Phase.IMPLEMENTATION)

    response = signed_in(viewer).get(reverse("dashboard"))

    implementation = response.context["phase_groups"][2]
    assert (implementation.count, len(implementation.projects)) == (7, 5)
    assert '<a href="/projects/?phase=implementation">All 7 projects in implementation</a>' in response.content.decode()


def test_it_lists_my_current_and_upcoming_assignments(signed_in: Callable[[User], Client], viewer: User) -> None:
    today = timezone.localdate()
    slot = RoleSlotFactory(
        project__name="Chest x-ray screening", starts_on=today - dt.timedelta(days=400), ends_on=today
    )
    AssignmentFactory(person=viewer.person, slot=slot, allocation="0.40", status=AssignmentStatus.CONFIRMED)
    AssignmentFactory(
        person=viewer.person,
        slot__project__name="Finished long ago",
        starts_on=today - dt.timedelta(days=300),
        ends_on=today - dt.timedelta(days=200),
    )
    AssignmentFactory(person=PersonFactory(name="Someone Else"), slot__project__name="Not mine")

    text = page_text(signed_in(viewer).get(reverse("dashboard")).content)
    mine = text[text.index("My assignments") :]

    assert "Chest x-ray screening Data scientist" in mine
    assert "0.40 Confirmed" in mine
    assert "Finished long ago" not in mine
    assert "Not mine" not in mine


def test_it_says_so_when_i_have_no_assignments(signed_in: Callable[[User], Client], viewer: User) -> None:
    text = page_text(signed_in(viewer).get(reverse("dashboard")).content)

    assert "You have no current or upcoming assignments." in text


def test_it_says_so_when_my_account_has_no_person(signed_in: Callable[[User], Client], manager: User) -> None:
    text = page_text(signed_in(manager).get(reverse("dashboard")).content)

    assert "Your account is not linked to a staff record" in text


@pytest.mark.parametrize("count", [1, 3])
def test_it_runs_the_same_queries_whatever_the_number_of_projects_and_assignments(
    count: int, signed_in: Callable[[User], Client], viewer: User, django_assert_num_queries: Callable
) -> None:
    for _ in range(count):
        AssignmentFactory(person=viewer.person, slot__project__phase=Phase.IMPLEMENTATION)
    client = signed_in(viewer)

    # session, user, the user's person, the user's groups (asked first by the reports the user
    # may see), the latest organisation report, projects ranked per phase (one windowed query),
    # their assignments with slot, project and profession
    with django_assert_num_queries(7):
        response = client.get(reverse("dashboard"))

    assert response.context["phase_groups"][2].count == count
    assert len(response.context["assignments"]) == count
