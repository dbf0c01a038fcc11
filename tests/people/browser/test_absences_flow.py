"""A person records half-day leave on their own page in a real browser, and axe audits the pages."""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from people.models import Absence
from tests.browser_support import audit, sign_in
from ui.formats import format_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_person_records_half_day_leave_and_sees_it_on_their_page(
    page: Page, live_server: LiveServer, viewer: User, output_dir: Path
) -> None:
    monday = timezone.localdate() + dt.timedelta(days=14 - timezone.localdate().weekday())
    sign_in(page, live_server, "viewer")
    page.goto(f"{live_server.url}/people/{viewer.person.pk}/")
    expect(page.get_by_text("No absences recorded.")).to_be_visible()

    page.get_by_role("link", name="Record an absence").click()
    found = audit(page, "absence-form", output_dir)
    page.get_by_label("First day").fill(monday.isoformat())
    page.get_by_label("Last day").fill((monday + dt.timedelta(days=1)).isoformat())
    page.get_by_label("Half days").check()
    page.get_by_label("Note").fill("Dentist, mornings")
    page.get_by_role("button", name="Save the absence").click()

    expect(page.get_by_role("status")).to_have_text("Recorded an absence of Vic Viewer.")
    rows = page.get_by_role("region", name="Absences of Vic Viewer, by first day").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.nth(0).locator("th, td")).to_have_text(
        [
            f"{format_date(monday)} to {format_date(monday + dt.timedelta(days=1))}",
            "Half days",
            "Leave",
            "Dentist, mornings",
            f"Edit the absence from {format_date(monday)} · Delete the absence from {format_date(monday)}",
        ]
    )
    for width in [1280, 390]:
        page.set_viewport_size({"width": width, "height": 900})
        found += audit(page, "person-with-absence", output_dir)
        page.locator("section", has=page.get_by_role("heading", name="Absences", exact=True)).screenshot(
            path=output_dir / f"absences-section-{width}.png"
        )
    assert found == []
    assert Absence.objects.get().note == "Dentist, mornings"
