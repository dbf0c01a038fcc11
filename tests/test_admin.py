import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.factories import AssignmentFactory, SkillRatingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def test_every_model_has_an_admin_whose_list_and_rows_open(superuser_client: Client) -> None:
    assignment = AssignmentFactory()
    SkillRatingFactory(person=assignment.person)
    ours = [
        m for m in admin.site._registry if m._meta.app_label in {"skills", "roles", "people", "projects", "staffing"}
    ]

    answers = {}
    for model in ours:
        opts = model._meta
        answers[opts.label] = superuser_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        first = model.objects.first()
        if first is not None:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            answers[opts.label + " row"] = superuser_client.get(url)

    assert {label: response.status_code for label, response in answers.items()} == dict.fromkeys(answers, 200)
    assert [model for model in ours if model not in admin.site._registry] == []


def test_assignments_cannot_be_added_or_deleted_in_the_admin(superuser_client: Client) -> None:
    assignment = AssignmentFactory()

    add = superuser_client.get(reverse("admin:projects_assignment_add"))
    delete = superuser_client.post(reverse("admin:projects_assignment_delete", args=[assignment.pk]), {"post": "yes"})

    assert (add.status_code, delete.status_code) == (403, 403)
    assignment.refresh_from_db()
