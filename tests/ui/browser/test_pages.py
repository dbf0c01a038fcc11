"""The pages in a real browser: signing in, a project's timeline, htmx filters, keyboard use, and axe."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from people.models import Person
from projects.models import AssignmentStatus, Phase, Project, ProjectTemplate
from projects.services import create_project
from tests.browser_support import audit, sign_in
from tests.factories import (
    PASSWORD,
    AssignmentFactory,
    CertificationFactory,
    PersonFactory,
    SkillRatingFactory,
    TeamFactory,
    profession,
    skill,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def screening() -> Project:
    """A project made from the built-in chest x-ray template, moved on to data understanding."""
    project = create_project(
        name="Chest x-ray screening",
        starts_on=dt.date(2027, 1, 4),
        ends_on=dt.date(2027, 6, 30),
        template=ProjectTemplate.objects.get(slug="covid-cxr-screening"),
    )
    project.phase = Phase.DATA_UNDERSTANDING
    project.save(update_fields=["phase"])
    return project


@pytest.fixture
def staffed(screening: Project, viewer: User) -> Person:
    """The viewer, rated, certified and assigned to the screening project."""
    person = viewer.person
    SkillRatingFactory(person=person, skill=skill("statistics"), level=4)
    SkillRatingFactory(person=person, skill=skill("storytelling"), level=2)
    CertificationFactory(person=person, expires_on=dt.date(2028, 1, 1))
    AssignmentFactory(
        person=person, slot=screening.slots.first(), allocation=Decimal("0.50"), status=AssignmentStatus.CONFIRMED
    )
    PersonFactory(name="Ada Engineer", profession=profession("data-engineer"), team=TeamFactory(name="Platform"))
    return person


@pytest.mark.usefixtures("manager")
def test_a_manager_signs_in_and_sees_a_projects_phase_timeline(
    page: Page, live_server: LiveServer, screening: Project, output_dir: Path
) -> None:
    sign_in(page, live_server, "manager")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    page.get_by_role("link", name="Chest x-ray screening").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Chest x-ray screening")
    current = page.locator(".timeline [aria-current=step]")
    expect(current).to_contain_text("Data understanding")
    expect(current).to_contain_text("Current phase")
    expect(page.locator(".timeline__step")).to_have_text(
        [
            "✓ Problem understanding Done",
            "2 Data understanding Current phase",
            "3 Implementation Upcoming",
            "4 Closed Upcoming",
        ]
    )
    expect(page.locator(".phase-tasks")).to_have_count(3)
    expect(page.locator(".phase-tasks").nth(1).locator(".task-card")).to_have_count(4)
    expect(page.get_by_role("img", name="0.00 of 1.00 FTE filled (0%)").first).to_be_visible()
    page.screenshot(path=output_dir / "project.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=output_dir / "project-narrow.png", full_page=True)


@pytest.mark.usefixtures("viewer")
def test_signing_in_works_with_the_keyboard_alone(page: Page, live_server: LiveServer, output_dir: Path) -> None:
    page.goto(f"{live_server.url}/accounts/login/")

    # The page opens with the cursor in the username field.
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("viewer")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")

    # On any page the skip link shows when focused and moves focus to the main content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.screenshot(path=output_dir / "skip-link.png")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # Signing out is a button in a form, reachable from the keyboard too.
    page.get_by_role("button", name="Sign out").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")


@pytest.mark.usefixtures("manager", "staffed")
def test_the_people_filters_update_the_table_in_place(page: Page, live_server: LiveServer, output_dir: Path) -> None:
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/people/")
    expect(page.locator("#people-results tbody tr")).to_have_count(2)
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label("Profession").select_option(label="Data engineer")

    expect(page.locator("#people-results tbody tr")).to_have_count(1)
    expect(page.locator("#people-results")).to_contain_text("Ada Engineer")
    expect(page.locator("#people-count")).to_have_text("1 person matches.")
    expect(page).to_have_url(f"{live_server.url}/people/?profession=data-engineer&team=&skill=&min_level=")
    assert page.evaluate("window.stillTheSamePage") is True
    page.screenshot(path=output_dir / "people-filtered.png", full_page=True)


@pytest.mark.usefixtures("manager")
def test_no_page_has_serious_or_critical_accessibility_violations(
    page: Page,
    live_server: LiveServer,
    screening: Project,
    staffed: Person,
    output_dir: Path,
) -> None:
    pages = {
        "dashboard": "/",
        "projects": "/projects/",
        "project": f"/projects/{screening.pk}/",
        "people": "/people/?skill=statistics",
        "person": f"/people/{staffed.pk}/",
        "catalogue": "/catalogue/",
        "not-found": "/no-such-page/",
    }
    widths = [1280, 390]  # a desktop and a phone: narrow screens make tables scroll
    found = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/accounts/login/")
        found += audit(page, "login", output_dir)

    sign_in(page, live_server, "manager")
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages.items():
            page.goto(f"{live_server.url}{path}")
            if name == "catalogue":
                page.get_by_text("Show the spectrum as a table").click()  # audit the table alternative too
            found += audit(page, name, output_dir)

    assert not found, "Accessibility violations:\n" + "\n".join(found)
