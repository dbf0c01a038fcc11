"""The over-fill rule through the API: 409 naming the day and figures, unless ``allow_overfill``."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from projects.models import Assignment, AssignmentStatus, RoleSlot
from tests.conftest import API
from tests.factories import AssignmentFactory, PersonFactory, RoleSlotFactory

pytestmark = pytest.mark.django_db

REFUSAL = "“Modeller” would be over-filled: 1.00 FTE confirmed on 4 Jan 2027, above its 0.50 FTE."


@pytest.fixture
def slot() -> RoleSlot:
    """A 0.50 FTE slot from 4 Jan 2027 with someone confirmed at 0.50 on it."""
    slot = RoleSlotFactory(title="Modeller", fte=Decimal("0.50"), unfilled_fte=Decimal("0.00"))
    AssignmentFactory(slot=slot, allocation=Decimal("0.50"))
    return slot


def test_confirming_a_second_half_on_a_half_slot_is_409_and_changes_nothing(
    manager_api: APIClient, slot: RoleSlot
) -> None:
    body = {"person": PersonFactory().pk, "slot": slot.pk, "allocation": 0.5, "status": "confirmed"}

    response = manager_api.post(API + "assignments/", body, format="json")

    assert (response.status_code, response.json()) == (409, {"detail": REFUSAL})
    assert Assignment.objects.filter(slot=slot).count() == 1


def test_allow_overfill_confirms_it_and_the_slot_reads_over_filled(manager_api: APIClient, slot: RoleSlot) -> None:
    body = {"person": PersonFactory().pk, "slot": slot.pk, "allocation": 0.5, "status": "confirmed"}

    response = manager_api.post(API + "assignments/", body | {"allow_overfill": True}, format="json")
    read = manager_api.get(API + f"slots/{slot.pk}/")

    assert (response.status_code, response.json()["status"]) == (201, "confirmed")
    assert (read.json()["unfilled_fte"], read.json()["overfilled"]) == (0.0, True)


def test_confirming_a_proposal_by_patch_is_409_unless_allowed(manager_api: APIClient, slot: RoleSlot) -> None:
    proposal = AssignmentFactory(slot=slot, allocation=Decimal("0.50"), status=AssignmentStatus.TENTATIVE)

    refused = manager_api.patch(API + f"assignments/{proposal.pk}/", {"status": "confirmed"}, format="json")
    proposal.refresh_from_db()
    status_after_refusal = proposal.status
    allowed = manager_api.patch(
        API + f"assignments/{proposal.pk}/", {"status": "confirmed", "allow_overfill": True}, format="json"
    )

    assert (refused.status_code, refused.json()) == (409, {"detail": REFUSAL})
    assert status_after_refusal == "tentative"
    assert (allowed.status_code, allowed.json()["status"]) == (200, "confirmed")


def test_lowering_a_slots_fte_under_its_confirmed_cover_is_409_unless_allowed(manager_api: APIClient) -> None:
    slot = RoleSlotFactory(title="Modeller", fte=Decimal("0.50"))
    AssignmentFactory(slot=slot, allocation=Decimal("0.30"))

    refused = manager_api.patch(API + f"slots/{slot.pk}/", {"fte": 0.1}, format="json")
    slot.refresh_from_db()
    fte_after_refusal = slot.fte
    allowed = manager_api.patch(API + f"slots/{slot.pk}/", {"fte": 0.1, "allow_overfill": True}, format="json")

    assert (refused.status_code, refused.json()) == (
        409,
        {"detail": "“Modeller” has 0.30 FTE confirmed on 4 Jan 2027, above the new 0.10 FTE."},
    )
    assert fte_after_refusal == Decimal("0.50")
    assert (allowed.status_code, allowed.json()["fte"], allowed.json()["overfilled"]) == (200, 0.1, True)


def test_the_schema_documents_allow_overfill_the_flag_and_reconsider_proposed(viewer_api: APIClient) -> None:
    document = viewer_api.get(API + "schema/").json()
    schemas = document["components"]["schemas"]
    paths = document["paths"]

    for name in ("AssignmentInput", "PatchedAssignmentChangeInput", "PatchedSlotChangeInput"):
        field = schemas[name]["properties"]["allow_overfill"]
        assert (field["type"], field["default"]) == ("boolean", False)
        assert "409" in field["description"]
    assert schemas["Slot"]["properties"]["overfilled"] == {
        "type": "boolean",
        "readOnly": True,
        "description": "Its confirmed assignments cover more than its FTE on some day (allowed on purpose).",
    }
    assert "409" in paths["/api/v1/slots/{id}/"]["patch"]["responses"]
    suggest = paths["/api/v1/projects/{id}/suggest-team/"]["post"]
    request_schema = suggest["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert schemas[request_schema]["properties"]["reconsider_proposed"]["type"] == "boolean"
    assert "left_out" in schemas["SuggestedTeam"]["properties"]
