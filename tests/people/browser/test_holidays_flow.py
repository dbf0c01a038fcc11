"""A manager adds a closure on the holidays page and removes it again, in a real browser; axe audits."""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from people.models import Closure
from tests.browser_support import audit, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_manager_adds_a_closure_and_removes_it(
    page: Page, live_server: LiveServer, manager: User, output_dir: Path
) -> None:
    found: list[str] = []
    sign_in(page, live_server, "manager")
    page.get_by_role("link", name="Holidays").click()
    page.goto(f"{live_server.url}/holidays/?year=2026")
    expect(page.get_by_role("heading", level=1)).to_have_text("Holidays 2026")
    expect(page.get_by_role("row", name="28 Dec 2026 Boxing Day (observed) Public holiday")).to_be_visible()
    found += audit(page, "holidays", output_dir)

    # Christmas Day already is a holiday: refused beside the field, nothing saved.
    page.get_by_role("textbox", name="Date").fill("2026-12-25")
    page.get_by_role("textbox", name="Name").fill("Christmas")
    page.get_by_role("button", name="Add the closure").click()
    expect(page.get_by_text("Nothing was saved: check the form")).to_be_visible()
    found += audit(page, "holidays-refused", output_dir)

    page.get_by_role("textbox", name="Date").fill("2026-12-24")
    page.get_by_role("textbox", name="Name").fill("Christmas Eve")
    page.get_by_role("button", name="Add the closure").click()
    expect(page.get_by_text("Added the closure Christmas Eve on 24 Dec 2026.")).to_be_visible()
    expect(page.get_by_role("row", name="24 Dec 2026 Christmas Eve Closure")).to_be_visible()
    assert list(Closure.objects.values_list("date", "created_by")) == [(dt.date(2026, 12, 24), manager.pk)]

    page.get_by_role("link", name="Remove the closure Christmas Eve").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove the closure Christmas Eve?")
    found += audit(page, "closure-remove", output_dir)
    page.get_by_role("button", name="Remove the closure").click()
    expect(page.get_by_text("Removed the closure Christmas Eve on 24 Dec 2026.")).to_be_visible()
    expect(page.get_by_role("row", name="24 Dec 2026 Christmas Eve Closure")).to_have_count(0)
    assert not Closure.objects.exists()

    page.set_viewport_size({"width": 390, "height": 844})
    found += audit(page, "holidays", output_dir)
    assert found == []
