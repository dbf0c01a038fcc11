"""A manager staffs a project in a real browser: a slot, its candidates, a refused over-booking, a
suggested team, and a phase move, with axe audits of the new pages along the way."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from people.models import Person
from projects.models import Assignment, AssignmentStatus, Phase, Project, ProjectTemplate
from projects.services import create_project
from roles.models import SpectrumLevel
from tests.browser_support import audit, sign_in
from tests.factories import AssignmentFactory, PersonFactory, RoleSlotFactory, SkillRatingFactory, TeamFactory
from tests.factories import profession as profession_named

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REFUSAL = "Ada Byrne would be booked at 1.10 FTE on 1 Feb 2027, above their capacity of 1.00 FTE."


def staff_member(name: str, profession: str, team: str) -> Person:
    """A person rated at their profession's spectrum in every skill, by their lead."""
    person = PersonFactory(name=name, profession=profession_named(profession), team=TeamFactory(name=team))
    for level in SpectrumLevel.objects.filter(profession=person.profession):
        SkillRatingFactory(person=person, skill=level.skill, level=level.level)
    return person


@pytest.fixture
def readmission() -> Project:
    """A project from the built-in readmission template, in problem understanding, with people to staff it.

    Ada Byrne, a data engineer, is already confirmed at 0.60 FTE through February elsewhere.
    """
    project = create_project(
        name="30-day readmission risk",
        starts_on=dt.date(2027, 1, 4),
        ends_on=dt.date(2027, 6, 30),
        template=ProjectTemplate.objects.get(slug="readmission-risk"),
    )
    ada = staff_member("Ada Byrne", "data-engineer", "Clinical Data Platform")
    staff_member("Ben Okafor", "data-engineer", "Clinical Data Platform")
    staff_member("Cara Singh", "data-scientist", "Clinical Outcomes")
    staff_member("Dev Patel", "data-analyst", "Clinical Outcomes")
    staff_member("Eli Mensah", "ml-engineer", "Imaging Analytics")
    elsewhere = RoleSlotFactory(project__name="Chest x-ray screening", profession=profession_named("data-engineer"))
    AssignmentFactory(
        person=ada,
        slot=elsewhere,
        starts_on=dt.date(2027, 2, 1),
        ends_on=dt.date(2027, 3, 31),
        allocation=Decimal("0.60"),
        status=AssignmentStatus.CONFIRMED,
    )
    return project


@pytest.mark.usefixtures("manager")
def test_a_manager_staffs_a_project_from_slot_to_suggested_team_and_moves_it_on(
    page: Page, live_server: LiveServer, readmission: Project, output_dir: Path
) -> None:
    found: list[str] = []
    sign_in(page, live_server, "manager")

    # The project page.
    page.goto(f"{live_server.url}/projects/")
    page.get_by_role("link", name="30-day readmission risk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("30-day readmission risk")
    page.screenshot(path=output_dir / "01-project.png", full_page=True)

    # A new slot: changing the profession refills the requirements in place.
    page.get_by_role("link", name="Add a role slot").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New role slot")
    expect(page.get_by_label("Level required in Databases")).to_have_value("2")  # a data scientist's level
    page.get_by_label("Profession").select_option(label="Data engineer")
    expect(page.locator("#requirements-status")).to_have_text(
        "Levels filled in from the Data engineer spectrum; weights set to 1."
    )
    expect(page.get_by_label("Level required in Databases")).to_have_value("4")
    page.get_by_label("Title").fill("Pipeline builder")
    page.get_by_label("Data understanding").check()
    page.get_by_label("FTE", exact=True).fill("0.5")
    page.get_by_label("Weight of Data pipelines").fill("2")
    found += audit(page, "02-slot-form", output_dir)

    # A mistake first: the service's refusal lands beside the field and nothing is saved.
    page.get_by_label("FTE", exact=True).fill("1.5")
    page.get_by_role("button", name="Open the slot").click()
    expect(page.locator("#id_fte_error")).to_have_text("Error: Must be between 0.10 and 1.00.")
    expect(page.get_by_label("FTE", exact=True)).to_have_attribute("aria-invalid", "true")
    page.screenshot(path=output_dir / "03-slot-form-error.png", full_page=True)
    page.get_by_label("FTE", exact=True).fill("0.5")
    page.get_by_role("button", name="Open the slot").click()

    # The slot page and its ranked candidates: Ben, free all along, ranks above Ada, who is busy in February.
    expect(page.get_by_role("heading", level=1)).to_have_text("Pipeline builder")
    expect(page.locator(".messages")).to_contain_text("Opened the slot “Pipeline builder”.")
    rows = page.locator("#candidates tbody tr")
    expect(rows.nth(0)).to_contain_text("Ben Okafor")
    expect(rows.nth(1)).to_contain_text("Ada Byrne")
    expect(rows.nth(1)).to_contain_text("0.40")
    page.screenshot(path=output_dir / "04-slot-candidates.png", full_page=True)
    found += audit(page, "04-slot", output_dir)

    # Filtering updates the table in place and the address with it.
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Team").select_option(label="Clinical Data Platform")
    expect(rows).to_have_count(2)
    expect(page).to_have_url(re.compile(r"/slots/\d+/\?team=\d+&profession=$"))
    assert page.evaluate("window.stillTheSamePage") is True

    # Confirm Ben for the slot's unfilled FTE.
    page.get_by_role("button", name="Confirm Ben Okafor").click()
    expect(page.locator(".messages")).to_contain_text("Confirmed Ben Okafor for “Pipeline builder” at 0.50 FTE.")
    expect(page.locator("#assignments-heading + .table-wrap")).to_contain_text("Ben Okafor")
    page.screenshot(path=output_dir / "05-confirmed.png", full_page=True)

    # The slot is full now: the ranking says that confirming anyone more would over-fill it.
    expect(page.locator(".alert--warning")).to_contain_text("This slot is full")

    # Confirming Ada as well would over-book her: refused with the reason, and nothing changes.
    # (With the keyboard: the row's dates and allocation open from their disclosure.)
    ada_row = page.locator("#candidates tbody tr", has_text="Ada Byrne")
    ada_row.locator("summary", has_text="Dates and allocation").focus()
    page.keyboard.press("Enter")
    expect(ada_row.get_by_label("Allocation (FTE)")).to_be_visible()
    ada_row.get_by_label("Allocation (FTE)").fill("0.50")
    ada_row.get_by_role("button", name="Confirm anyway… Ada Byrne, over-filling the slot").click()
    expect(page.locator(".message--error")).to_have_text(REFUSAL)
    page.screenshot(path=output_dir / "06-over-capacity-refused.png", full_page=True)
    assert not Assignment.objects.filter(person__name="Ada Byrne", slot__project=readmission).exists()

    # A tentative proposal may go over; the page warns beside it, and marks Ada as proposed in the ranking.
    page.locator("#candidates tbody tr", has_text="Ada Byrne").get_by_role("button", name="Propose Ada Byrne").click()
    expect(page.locator("#assignments-heading + .table-wrap .warning-text").first).to_have_text(
        f"Over capacity if confirmed: {REFUSAL}"
    )
    expect(page.locator("#candidates tbody tr", has_text="Ada Byrne")).to_contain_text("Already proposed")
    page.screenshot(path=output_dir / "07-tentative-warning.png", full_page=True)

    # Confirming Eli too over-fills the slot: the page asks "confirm anyway?" with the day and figures.
    page.get_by_role("link", name="Clear", exact=True).click()
    eli_row = page.locator("#candidates tbody tr", has_text="Eli Mensah")
    eli_row.get_by_role("button", name="Confirm anyway… Eli Mensah").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm anyway?")
    expect(page.locator(".confirm")).to_contain_text(
        "“Pipeline builder” would be over-filled: 1.00 FTE confirmed on 4 Jan 2027, above its 0.50 FTE."
    )
    page.screenshot(path=output_dir / "07b-confirm-anyway.png", full_page=True)
    found += audit(page, "07b-confirm-anyway", output_dir)
    assert not Assignment.objects.filter(person__name="Eli Mensah").exists()
    page.get_by_role("button", name="Confirm Eli Mensah anyway").click()
    expect(page.locator(".messages")).to_contain_text("Confirmed Eli Mensah for “Pipeline builder” at 0.50 FTE.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pipeline builder Over-filled")
    page.screenshot(path=output_dir / "07c-over-filled.png", full_page=True)

    # Ask for a suggested team and apply it.
    page.get_by_role("link", name="30-day readmission risk").click()
    expect(page.locator(".badge--overfilled")).to_have_count(1)
    page.get_by_role("button", name="Suggest a team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Suggested team for 30-day readmission risk")
    expect(page).to_have_url(re.compile(r"/suggest-team/\?show=1$"))  # a reload asks nothing again
    expect(page.locator(".facts")).to_contain_text("Picking slot by slot would give")
    suggested = page.locator("tbody tr").filter(has=page.get_by_role("link", name="Cara Singh"))
    expect(suggested).to_have_count(1)
    page.screenshot(path=output_dir / "08-suggested-team.png", full_page=True)
    found += audit(page, "08-suggestion", output_dir)
    stale = page.context.new_page()  # the same suggestion, left open in another tab
    stale.goto(page.url)
    page.get_by_role("button", name="Apply as tentative assignments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("30-day readmission risk")
    expect(page.locator(".messages")).to_contain_text("as tentative assignments.")
    proposed = Assignment.objects.filter(slot__project=readmission, status=AssignmentStatus.TENTATIVE)
    assert "Cara Singh" in set(proposed.values_list("person__name", flat=True))
    page.screenshot(path=output_dir / "09-team-applied.png", full_page=True)

    # Applying the same suggestion again (from the other tab) stacks nothing.
    before = sorted(proposed.values_list("slot_id", "person_id", "allocation"))
    stale.get_by_role("button", name="Apply as tentative assignments").click()
    expect(stale.locator(".messages")).to_contain_text("Nothing new was proposed")
    stale.screenshot(path=output_dir / "09a-applied-again.png", full_page=True)
    stale.close()
    assert sorted(proposed.values_list("slot_id", "person_id", "allocation")) == before
    # Asked again, the proposed slots are left out.
    page.get_by_role("button", name="Suggest a team").click()
    expect(page.locator(".alert--info")).to_contain_text("left out: tentative assignments already propose")
    page.screenshot(path=output_dir / "09b-suggestion-left-out.png", full_page=True)
    page.get_by_role("link", name="30-day readmission risk").click()

    # Move the project on, through the confirmation.
    page.get_by_role("link", name="Move to data understanding").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move 30-day readmission risk to data understanding?")
    found += audit(page, "10-phase-move", output_dir)
    page.get_by_label("Note (optional)").focus()
    page.keyboard.type("Problem framed with the discharge team.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Move to data understanding")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("30-day readmission risk moved to data understanding.")
    expect(page.locator(".timeline [aria-current=step]")).to_contain_text("Data understanding")
    expect(page.locator("#history-heading + .table-wrap")).to_contain_text("Problem framed with the discharge team.")
    page.screenshot(path=output_dir / "11-moved-on.png", full_page=True)
    readmission.refresh_from_db()
    assert readmission.phase == Phase.DATA_UNDERSTANDING

    assert not found, "Accessibility violations:\n" + "\n".join(found)


@pytest.mark.usefixtures("manager")
def test_the_staffing_pages_pass_axe_on_a_desktop_and_a_phone(
    page: Page, live_server: LiveServer, readmission: Project, output_dir: Path
) -> None:
    slot = readmission.slots.select_related("profession").first()
    ada = Person.objects.get(name="Ada Byrne")
    assignment = AssignmentFactory(
        person=ada, slot=slot, status=AssignmentStatus.TENTATIVE, allocation=Decimal("0.50")
    )  # over capacity in February, so the slot page shows its warning
    base = f"/projects/{readmission.pk}"
    pages = {
        "slot": f"{base}/slots/{slot.pk}/",
        "slot-form": f"{base}/slots/new/",
        "slot-edit": f"{base}/slots/{slot.pk}/edit/",
        "slot-close": f"{base}/slots/{slot.pk}/close/",
        "assign": f"{base}/slots/{slot.pk}/assign/?person={ada.pk}",
        "change": f"{base}/slots/{slot.pk}/assignments/{assignment.pk}/change/",
        "release": f"{base}/slots/{slot.pk}/assignments/{assignment.pk}/release/",
        "suggestion": f"{base}/suggest-team/",
        "person-load": f"/people/{ada.pk}/",
        "project": f"{base}/",
    }
    sign_in(page, live_server, "manager")
    found = []
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages.items():
            page.goto(f"{live_server.url}{path}")
            if name == "slot":
                page.locator("#candidates details").first.locator("summary").click()  # the evidence, opened
            if name == "suggestion":
                page.get_by_role("button", name="Suggest a team").click()
                expect(page.get_by_role("button", name="Apply as tentative assignments")).to_be_visible()
            if name == "person-load":
                page.get_by_text("Show the weekly load as a table").click()
            found += audit(page, name, output_dir)

    assert not found, "Accessibility violations:\n" + "\n".join(found)
