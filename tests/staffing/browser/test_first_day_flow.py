"""A first day on the demo organisation in a real browser: signing in raises no console error, the lead
finds My team on the dashboard, and the manager links a sign-in account to a person from their page."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from people.models import Person
from tests.browser_support import audit, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DEMO_PASSWORD = "spectrum-demo"


@pytest.fixture
def demo() -> None:
    call_command("load_demo", stdout=StringIO())


@pytest.mark.usefixtures("demo")
def test_the_lead_signs_in_without_console_errors_and_finds_my_team(
    page: Page, live_server: LiveServer, output_dir: Path
) -> None:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    failed: list[str] = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)

    sign_in(page, live_server, "lead", DEMO_PASSWORD)

    team = page.get_by_role("region", name="My team: Imaging Analytics")
    expect(team).to_be_visible()
    expect(team.get_by_role("heading", name="Ratings due for review")).to_be_visible()
    expect(team.locator("p", has_text="Bus factor below 2")).to_contain_text("Deployment (1), ML Ops (1)")
    expect(team.get_by_text("Patient privacy and HIPAA training expires")).to_be_visible()
    expect(page.get_by_text("Deployment at level 5")).to_be_visible()
    assert audit(page, "lead-dashboard", output_dir) == []
    page.set_viewport_size({"width": 390, "height": 844})
    assert audit(page, "lead-dashboard", output_dir) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off to the side
    assert errors == []
    assert failed == []


@pytest.mark.usefixtures("demo")
def test_the_manager_links_an_account_from_the_person_page(
    page: Page, live_server: LiveServer, output_dir: Path
) -> None:
    UserFactory(username="nia", first_name="Nia", last_name="Newcomer")
    person = Person.objects.filter(team__name="Clinical Outcomes", user__isnull=True).order_by("name").first()
    assert person is not None
    sign_in(page, live_server, "manager", DEMO_PASSWORD)
    expect(page.get_by_text("To link an account to a person, open the person under People")).to_be_visible()
    page.goto(f"{live_server.url}/people/{person.pk}/")

    page.get_by_role("link", name="Link an account").click()
    page.get_by_label("Sign-in account").select_option(label="nia (Nia Newcomer)")
    assert audit(page, "link-account", output_dir) == []
    page.get_by_role("button", name="Link the account").click()

    expect(page).to_have_url(f"{live_server.url}/people/{person.pk}/")
    expect(page.get_by_role("status")).to_contain_text(f"Linked the account “nia” to {person.name}.")
    expect(page.get_by_text("nia · Unlink")).to_be_visible()
    assert audit(page, "person-linked", output_dir) == []
    person.refresh_from_db()
    assert person.user is not None
    assert person.user.username == "nia"
