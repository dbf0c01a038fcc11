"""The suggested-team page: plain words, POST → redirect → GET, slots already proposed, applying twice."""

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from people.models import Person
from projects.models import Assignment, AssignmentStatus, Phase, Project, RoleSlot
from tests.builders import build_candidate, build_project_with_tasks, build_slot, messages_of, page_text
from tests.factories import AssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project() -> Project:
    return build_project_with_tasks(phase=Phase.DATA_UNDERSTANDING)


@pytest.fixture
def slots(project: Project) -> list[RoleSlot]:
    return [
        build_slot(project, title="Modeller", requirements={"statistics": 4}, fte=Decimal("0.60")),
        build_slot(project, title="Engineer", requirements={"databases": 4}, fte=Decimal("0.50")),
    ]


@pytest.fixture
def manager_client(signed_in: Callable[[User], Client], manager: User) -> Client:
    return signed_in(manager)


def suggestion_url(project: Project, query: str = "") -> str:
    return reverse("team_suggestion", args=[project.pk]) + query


def apply_form(html: str) -> dict[str, list[str]]:
    return {"pick": re.findall(r'<input type="hidden" name="pick" value="([^"]+)">', html)}


def test_asking_redirects_to_a_page_that_a_reload_shows_again_without_asking_twice(
    manager_client: Client, project: Project, slots: list[RoleSlot]
) -> None:
    build_candidate("Sam Stats", ratings={"statistics": 4})

    asked = manager_client.post(suggestion_url(project))
    shown = manager_client.get(asked["Location"])
    reloaded = manager_client.get(asked["Location"])

    assert (asked.status_code, asked["Location"]) == (302, suggestion_url(project, "?show=1"))
    assert page_text(shown.content) == page_text(reloaded.content)
    text = page_text(shown.content)
    assert "Best combined fit 0.60 Picking slot by slot would give 0.60 Slots filled 1 of 2" in text
    assert "Σ" not in text
    assert "baseline" not in text
    assert not Assignment.objects.exists()


def test_a_slot_already_proposed_is_left_out_unless_reconsidered(
    manager_client: Client, project: Project, slots: list[RoleSlot]
) -> None:
    modeller, engineer = slots
    sam = build_candidate("Sam Stats", ratings={"statistics": 4})
    build_candidate("Dee Data", ratings={"databases": 4})
    AssignmentFactory(slot=modeller, person=sam, allocation=Decimal("0.60"), status=AssignmentStatus.TENTATIVE)

    default = manager_client.get(manager_client.post(suggestion_url(project))["Location"])
    asked_again = manager_client.post(suggestion_url(project), {"reconsider": "on"})
    reconsidered = manager_client.get(asked_again["Location"])

    text = page_text(default.content)
    assert "1 slot is left out: tentative assignments already propose its unfilled FTE." in text
    assert "Modeller Already proposed" in text
    assert apply_form(default.content.decode()) == {"pick": [f"{engineer.pk}:{person_pk('Dee Data')}"]}
    assert asked_again["Location"] == suggestion_url(project, "?show=1&reconsider=1")
    assert re.search(r'<input type="checkbox" name="reconsider"[^>]* checked>', reconsidered.content.decode())
    assert "Modeller Sam Stats" in page_text(reconsidered.content)
    assert "is left out:" not in page_text(reconsidered.content)
    assert "Applying adds nobody to a slot whose unfilled FTE is already proposed" in page_text(reconsidered.content)


def person_pk(name: str) -> int:
    return Person.objects.get(name=name).pk


def test_applying_the_same_suggestion_twice_adds_nothing_the_second_time(
    manager_client: Client, project: Project, slots: list[RoleSlot]
) -> None:
    build_candidate("Sam Stats", ratings={"statistics": 4})
    build_candidate("Dee Data", ratings={"databases": 4})
    page = manager_client.get(manager_client.post(suggestion_url(project))["Location"]).content.decode()
    form = apply_form(page)

    first = manager_client.post(reverse("team_apply", args=[project.pk]), form)
    second = manager_client.post(reverse("team_apply", args=[project.pk]), form)

    assert messages_of(first) == ["Proposed 2 people as tentative assignments."]
    assert messages_of(second)[-1:] == [
        "Nothing new was proposed: 2 slots were already proposed in full and left as they were."
    ]
    assert sorted(Assignment.objects.values_list("slot__title", "person__name", "status", "allocation")) == [
        ("Engineer", "Dee Data", "tentative", Decimal("0.50")),
        ("Modeller", "Sam Stats", "tentative", Decimal("0.60")),
    ]
    again = page_text(manager_client.get(suggestion_url(project, "?show=1")).content)
    assert "2 slots are left out: tentative assignments already propose their unfilled FTE." in again
    assert "Apply as tentative assignments" not in again
