import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from projects.models import PhaseTransition
from tests.conftest import API
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_a_manager_moves_a_project_forward_and_reads_its_history(manager_api: APIClient) -> None:
    project = ProjectFactory(name="Readmissions")

    response = manager_api.post(
        API + f"projects/{project.pk}/advance/", {"to": "data-understanding", "note": "Extract agreed"}, format="json"
    )
    history = manager_api.get(API + f"projects/{project.pk}/history/").json()

    assert (response.status_code, response.json()["phase"]) == (200, "data-understanding")
    at = PhaseTransition.objects.get().moved_at
    assert history == [
        {
            "from": "problem-understanding",
            "to": "data-understanding",
            "by": "manager",
            "at": at.isoformat().replace("+00:00", "Z"),
            "note": "Extract agreed",
        }
    ]


def test_skipping_a_phase_is_409_and_changes_nothing(manager_api: APIClient) -> None:
    project = ProjectFactory()

    response = manager_api.post(API + f"projects/{project.pk}/advance/", {"to": "implementation"}, format="json")

    assert (response.status_code, response.json()) == (
        409,
        {"detail": "Phases cannot be skipped: move to data understanding first."},
    )
    project.refresh_from_db()
    assert (project.phase, PhaseTransition.objects.count()) == ("problem-understanding", 0)


def test_moving_back_without_a_note_is_409(manager_api: APIClient) -> None:
    project = ProjectFactory(phase="implementation")

    response = manager_api.post(API + f"projects/{project.pk}/advance/", {"to": "data-understanding"}, format="json")

    assert (response.status_code, response.json()) == (
        409,
        {"detail": "Moving back to data understanding needs a note saying why."},
    )


def test_an_unknown_phase_is_400(manager_api: APIClient) -> None:
    project = ProjectFactory()

    response = manager_api.post(API + f"projects/{project.pk}/advance/", {"to": "triage"}, format="json")

    assert (response.status_code, response.json()) == (400, {"to": ['"triage" is not a valid choice.']})


def test_only_managers_move_projects(lead_api: APIClient, viewer_api: APIClient) -> None:
    project = ProjectFactory()

    answers = [
        client.post(API + f"projects/{project.pk}/advance/", {"to": "data-understanding"}, format="json")
        for client in (lead_api, viewer_api)
    ]

    assert [(a.status_code, a.json()) for a in answers] == [
        (403, {"detail": "Only managers create and change projects."})
    ] * 2
    project.refresh_from_db()
    assert project.phase == "problem-understanding"


def test_everyone_signed_in_reads_the_history(viewer_api: APIClient, manager: User) -> None:
    project = ProjectFactory()

    assert viewer_api.get(API + f"projects/{project.pk}/history/").json() == []
