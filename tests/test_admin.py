import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from people.models import Closure, Person
from projects.models import Project, RoleSlot
from tests.factories import AssignmentFactory, PersonFactory, RoleSlotFactory, SkillRatingFactory, UserFactory
from ui.formats import format_date

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def test_every_model_has_an_admin_whose_list_and_rows_open(superuser_client: Client) -> None:
    assignment = AssignmentFactory()
    SkillRatingFactory(person=assignment.person)
    Closure.objects.create(date=dt.date(2026, 12, 24), name="Christmas Eve")
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


def person_form(person: Person, **changes: object) -> dict[str, object]:
    """The person change form as the admin posts it, with no inline rows."""
    data: dict[str, object] = {
        "name": person.name,
        "email": person.email,
        "profession": person.profession_id,
        "team": person.team_id or "",
        "capacity_fte": str(person.capacity_fte),
        "user": person.user_id or "",
    }
    for prefix in ("ratings", "certifications"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return data | changes


def test_the_admin_refuses_a_capacity_below_the_confirmed_load(superuser_client: Client) -> None:
    first = timezone.localdate() + dt.timedelta(days=2)
    ada = PersonFactory(name="Ada Byrne", capacity_fte=Decimal("1.00"))
    AssignmentFactory(person=ada, slot=RoleSlotFactory(starts_on=first, ends_on=first), allocation=Decimal("0.70"))
    url = reverse("admin:people_person_change", args=[ada.pk])

    refused = superuser_client.post(url, person_form(ada, capacity_fte="0.50", name="Ada B."))
    saved = Person.objects.get(pk=ada.pk)
    allowed = superuser_client.post(url, person_form(ada, capacity_fte="0.70"))

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors == {
        "capacity_fte": [
            f"Ada Byrne is booked at 0.70 FTE on {format_date(first)}, above the new capacity of 0.50 FTE."
        ]
    }
    assert (saved.capacity_fte, saved.name) == (Decimal("1.00"), "Ada Byrne")
    assert allowed.status_code == 302
    assert Person.objects.get(pk=ada.pk).capacity_fte == Decimal("0.70")


def test_a_slots_fte_and_dates_are_read_only_once_it_exists(superuser_client: Client) -> None:
    slot = RoleSlotFactory()
    slot_admin = admin.site._registry[RoleSlot]
    project_admin = admin.site._registry[Project]
    request = superuser_client.get(reverse("admin:projects_roleslot_change", args=[slot.pk])).wsgi_request
    inline = next(inline for inline in project_admin.get_inline_instances(request, slot.project))

    assert slot_admin.get_readonly_fields(request, slot) == [
        "fte",
        "starts_on",
        "ends_on",
        "unfilled_fte",
        "overfilled",
    ]
    assert slot_admin.get_readonly_fields(request, None) == ["unfilled_fte", "overfilled"]
    assert list(inline.get_readonly_fields(request, slot.project)) == ["fte", "starts_on", "ends_on", "unfilled_fte"]
    assert not inline.has_add_permission(request, slot.project)
