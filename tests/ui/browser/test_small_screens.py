"""At 390 px wide (a phone), every action on the slot, project and person pages is on screen.

Wide tables stack their rows as cards under the small-screen breakpoint, so Propose, Confirm,
Change and Release sit inside the viewport's width without scrolling sideways.
"""

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from projects.models import AssignmentStatus, Phase, RoleSlot
from tests.browser_support import audit, sign_in
from tests.builders import build_candidate, build_project_with_tasks, build_slot
from tests.factories import AssignmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTH = 390


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": WIDTH, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def slot() -> RoleSlot:
    """A slot with a tentative and a confirmed assignment, and two more candidates to rank."""
    project = build_project_with_tasks(phase=Phase.DATA_UNDERSTANDING)
    slot = build_slot(
        project,
        title="Imaging modeller with a long title",
        fte=Decimal("1.00"),
        unfilled_fte=Decimal("0.70"),
        requirements={"statistics": 4, "ml-ops": 3, "storytelling": 2},
    )
    AssignmentFactory(
        slot=slot, person=build_candidate("Ada Byrne-Okonkwo", ratings={"statistics": 4}), allocation=Decimal("0.30")
    )
    AssignmentFactory(
        slot=slot,
        person=build_candidate("Ben Tentative", ratings={"statistics": 3}),
        allocation=Decimal("0.40"),
        status=AssignmentStatus.TENTATIVE,
    )
    for name in ("Cara Candidate", "Dev Iqbal-Fernandes"):
        build_candidate(name, ratings={"statistics": 3, "ml-ops": 2})
    return slot


def off_screen(page: Page, controls: Locator) -> list[str]:
    """The controls whose box is not inside the viewport's width, with their box."""
    found = []
    for index in range(controls.count()):
        control = controls.nth(index)
        box = control.bounding_box()
        assert box is not None, control
        if box["x"] < 0 or box["x"] + box["width"] > WIDTH:
            found.append(f"{control.inner_text()!r} at x {box['x']:.0f}, width {box['width']:.0f}")
    return found


def scrolls_sideways(page: Page) -> list[str]:
    """The page itself, or any table region in it, wider than the viewport."""
    return page.evaluate(
        """() => [document.scrollingElement, ...document.querySelectorAll('.table-wrap')]
            .filter(element => element.scrollWidth > element.clientWidth + 1)
            .map(element => `${element.getAttribute('aria-label') || 'the page'}: `
                + `${element.scrollWidth} > ${element.clientWidth}`)"""
    )


def test_at_390_px_every_action_is_within_reach_without_scrolling_sideways(
    phone: Page, live_server: LiveServer, manager: User, slot: RoleSlot, output_dir: Path
) -> None:
    sign_in(phone, live_server, "manager")
    project_url = f"{live_server.url}/projects/{slot.project_id}/"

    phone.goto(f"{project_url}slots/{slot.pk}/")
    violations = audit(phone, "slot", output_dir)
    phone.locator("#assignments").screenshot(path=output_dir / "slot-assignments-390.png")
    phone.locator("#candidates tbody tr").first.screenshot(path=output_dir / "slot-candidate-390.png")
    candidates = phone.locator("#candidates").get_by_role("button", name="Propose")
    assert candidates.count() == 2  # Cara and Dev; Ben, already proposed, is offered Confirm only
    actions = (
        phone.locator("#candidates, #assignments")
        .get_by_role("button")
        .or_(phone.locator("#assignments").get_by_role("link", name="Change"))
        .or_(phone.locator("#assignments").get_by_role("link", name="Release"))
    )
    # Cara and Dev: propose and confirm; Ben among the candidates and the assignments: confirm;
    # Ada and Ben: change and release.
    assert actions.count() == 2 * 2 + 1 + 1 + 2 + 2
    assert off_screen(phone, actions) == []
    assert scrolls_sideways(phone) == []

    phone.goto(project_url)
    violations += audit(phone, "project", output_dir)
    phone.locator("#slots").screenshot(path=output_dir / "project-slots-390.png")
    slot_actions = phone.locator(f"#slot-{slot.pk}").get_by_role("link")
    head_actions = (
        phone.locator("#slots .section-head")
        .get_by_role("link")
        .or_(phone.locator("#slots .section-head").get_by_role("button"))
    )
    assert off_screen(phone, slot_actions) == []
    assert off_screen(phone, head_actions) == []
    assert scrolls_sideways(phone) == []

    person = slot.assignments.get(status=AssignmentStatus.CONFIRMED).person
    phone.goto(f"{live_server.url}/people/{person.pk}/")
    violations += audit(phone, "person", output_dir)
    phone.locator(".load-chart").screenshot(path=output_dir / "person-load-390.png")
    assert off_screen(phone, phone.locator("main").get_by_role("link")) == []
    assert scrolls_sideways(phone) == []
    assert violations == []


def test_on_a_desktop_the_tables_stay_tables(
    page: Page, live_server: LiveServer, manager: User, slot: RoleSlot, output_dir: Path
) -> None:
    sign_in(page, live_server, "manager")

    page.goto(f"{live_server.url}/projects/{slot.project_id}/slots/{slot.pk}/")
    page.screenshot(path=output_dir / "slot-1280.png", full_page=True)
    page.goto(f"{live_server.url}/projects/{slot.project_id}/")
    page.screenshot(path=output_dir / "project-1280.png", full_page=True)

    assert page.locator("#slots thead").is_visible()
    assert page.eval_on_selector(f"#slot-{slot.pk}", "row => getComputedStyle(row).display") == "table-row"

    # Ben is only booked tentatively: his chart draws that load hatched, and says it.
    ben = slot.assignments.get(status=AssignmentStatus.TENTATIVE).person
    page.goto(f"{live_server.url}/people/{ben.pk}/")
    page.locator(".load-chart").screenshot(path=output_dir / "tentative-load-1280.png")
    assert page.locator(".load-chart__tentative").count() > 0
    assert (
        "Confirmed load peaks at 0.00 FTE; with tentative bookings 0.40 FTE."
        in page.locator(".load-chart figcaption").inner_text()
    )


def test_after_an_action_the_row_acted_on_and_what_was_said_are_both_in_view(
    phone: Page, live_server: LiveServer, manager: User, slot: RoleSlot, output_dir: Path
) -> None:
    sign_in(phone, live_server, "manager")
    ben = slot.assignments.get(status=AssignmentStatus.TENTATIVE)

    phone.goto(f"{live_server.url}/projects/{slot.project_id}/slots/{slot.pk}/")
    phone.locator(f"#assignment-{ben.pk}").get_by_role("button", name="Confirm").click()

    assert phone.url.endswith(f"/slots/{slot.pk}/#assignment-{ben.pk}")
    expect(phone.get_by_role("status")).to_contain_text("Confirmed Ben Tentative")
    expect(phone.get_by_role("status")).to_be_in_viewport()
    expect(phone.locator(f"#assignment-{ben.pk}")).to_be_in_viewport()
    phone.screenshot(path=output_dir / "confirmed-390.png")

    phone.goto(f"{live_server.url}/projects/{slot.project_id}/phase/?to=implementation")
    phone.get_by_role("button", name="Move").click()

    assert phone.url.endswith(f"/projects/{slot.project_id}/#phases")
    expect(phone.get_by_role("status")).to_be_in_viewport()
    expect(phone.get_by_role("heading", name="Phases and tasks")).to_be_in_viewport()
    assert phone.evaluate("window.scrollY") > 0  # the slots above were scrolled past
    phone.screenshot(path=output_dir / "moved-390.png")
