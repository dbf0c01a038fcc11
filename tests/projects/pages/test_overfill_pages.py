"""The over-fill rule on the pages: a "confirm anyway?" step that sends the same form again, and the flag."""

import re
from collections.abc import Callable
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from projects.models import Assignment, AssignmentStatus, Phase, Project, RoleSlot
from tests.builders import build_candidate, build_project_with_tasks, build_slot, messages_of, page_text
from tests.factories import AssignmentFactory
from tests.projects.pages.test_slot_forms import slot_fields

pytestmark = pytest.mark.django_db

REFUSAL = "“Modeller” would be over-filled: 1.00 FTE confirmed on 4 Jan 2027, above its 0.50 FTE."


@pytest.fixture
def project() -> Project:
    return build_project_with_tasks(phase=Phase.DATA_UNDERSTANDING)


@pytest.fixture
def slot(project: Project) -> RoleSlot:
    """A 0.50 FTE slot from 4 Jan 2027 with Cy confirmed at 0.50 on it."""
    slot = build_slot(project, title="Modeller", fte=Decimal("0.50"), unfilled_fte=Decimal("0.00"))
    AssignmentFactory(slot=slot, person=build_candidate("Cy Confirmed"), allocation=Decimal("0.50"))
    return slot


@pytest.fixture
def manager_client(signed_in: Callable[[User], Client], manager: User) -> Client:
    return signed_in(manager)


def resubmitted(response: HttpResponse) -> tuple[str, list[tuple[str, str]]]:
    """The "confirm anyway?" form: where it posts and the hidden fields it sends."""
    html = response.content.decode()
    [action] = re.findall(r'<form method="post" action="([^"]+)" class="form-actions">', html)
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)
    return unescape(action), [(name, unescape(value)) for name, value in fields if name != "csrfmiddlewaretoken"]


def as_post(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


def test_confirming_a_candidate_into_a_full_slot_asks_confirm_anyway_then_confirms(
    manager_client: Client, slot: RoleSlot
) -> None:
    dee = build_candidate("Dee Handover")
    url = reverse("assignment_add", args=[slot.project_id, slot.pk])
    form = {"person": dee.pk, "starts_on": "2027-01-04", "ends_on": "2027-06-30", "allocation": "0.50"}

    asked = manager_client.post(url, form | {"status": "confirmed", "back": "page=2"})
    text = page_text(asked.content)
    action, fields = resubmitted(asked)

    assert asked.status_code == 200
    assert "Confirm anyway? " + REFUSAL in text
    assert "Confirm Dee Handover anyway" in text
    assert action == url
    assert ("allow_overfill", "1") in fields
    assert ("status", "confirmed") in fields
    assert ("back", "page=2") in fields
    assert not Assignment.objects.filter(person=dee).exists()

    done = manager_client.post(action, as_post(fields))

    assert done.status_code == 302
    assert messages_of(done) == ["Confirmed Dee Handover for “Modeller” at 0.50 FTE."]
    assert Assignment.objects.get(person=dee).status == AssignmentStatus.CONFIRMED
    slot.refresh_from_db()
    assert slot.overfilled is True


def test_confirming_a_proposal_that_would_over_fill_asks_first(manager_client: Client, slot: RoleSlot) -> None:
    proposal = AssignmentFactory(
        slot=slot, person=build_candidate("Dee Handover"), allocation=Decimal("0.50"), status=AssignmentStatus.TENTATIVE
    )
    url = reverse("assignment_confirm", args=[slot.project_id, slot.pk, proposal.pk])

    asked = manager_client.post(url)
    action, fields = resubmitted(asked)
    proposal.refresh_from_db()
    still = proposal.status

    done = manager_client.post(action, as_post(fields))

    assert REFUSAL in page_text(asked.content)
    assert (action, fields, still) == (url, [("allow_overfill", "1")], AssignmentStatus.TENTATIVE)
    assert messages_of(done) == ["Confirmed Dee Handover for “Modeller”."]
    proposal.refresh_from_db()
    assert proposal.status == AssignmentStatus.CONFIRMED


def test_raising_a_confirmed_allocation_asks_first(manager_client: Client, project: Project) -> None:
    slot = build_slot(project, title="Modeller", fte=Decimal("0.50"))
    AssignmentFactory(slot=slot, allocation=Decimal("0.30"))
    mine = AssignmentFactory(slot=slot, person=build_candidate("Dee Handover"), allocation=Decimal("0.20"))
    url = reverse("assignment_change", args=[project.pk, slot.pk, mine.pk])

    asked = manager_client.post(url, {"starts_on": "2027-01-04", "ends_on": "2027-06-30", "allocation": "0.40"})
    action, fields = resubmitted(asked)
    mine.refresh_from_db()
    before = mine.allocation
    manager_client.post(action, as_post(fields))
    mine.refresh_from_db()

    assert "0.70 FTE confirmed on 4 Jan 2027, above its 0.50 FTE" in page_text(asked.content)
    assert (before, mine.allocation) == (Decimal("0.20"), Decimal("0.40"))


def test_lowering_a_slots_fte_below_its_cover_asks_save_anyway(manager_client: Client, project: Project) -> None:
    slot = build_slot(
        project, title="Pipeline builder", fte=Decimal("0.50"), starts_on=project.starts_on, ends_on=project.ends_on
    )
    AssignmentFactory(slot=slot, allocation=Decimal("0.30"), starts_on=project.starts_on, ends_on=project.starts_on)
    url = reverse("slot_edit", args=[project.pk, slot.pk])
    form = slot_fields(fte="0.10", starts_on=project.starts_on.isoformat(), ends_on=project.ends_on.isoformat())
    form.pop("profession")

    asked = manager_client.post(url, form)
    action, fields = resubmitted(asked)
    slot.refresh_from_db()
    before = slot.fte
    done = manager_client.post(action, as_post(fields))
    slot.refresh_from_db()

    refusal = "“Pipeline builder” has 0.30 FTE confirmed on 4 Jan 2027, above the new 0.10 FTE."
    assert refusal in page_text(asked.content)
    assert "Save anyway" in page_text(asked.content)
    assert before == Decimal("0.50")
    assert done.status_code == 302
    assert (slot.fte, slot.overfilled) == (Decimal("0.10"), True)


def test_an_over_filled_slot_is_flagged_on_the_project_and_slot_pages(
    manager_client: Client, project: Project, slot: RoleSlot
) -> None:
    RoleSlot.objects.filter(pk=slot.pk).update(overfilled=True)

    project_page = manager_client.get(reverse("project_detail", args=[project.pk])).content.decode()
    slot_page = manager_client.get(reverse("slot_detail", args=[project.pk, slot.pk])).content.decode()

    badge = '<span class="badge badge--overfilled">Over-filled</span>'
    assert f"Modeller</a> {badge}" in project_page
    assert f"<h1>Modeller {badge}</h1>" in slot_page
    assert "Its confirmed assignments cover more than its 0.50 FTE on some days." in page_text(slot_page)
