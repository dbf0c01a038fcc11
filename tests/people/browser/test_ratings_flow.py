"""A team lead rates a team member's skills in a real browser, with the keyboard, and axe audits the page."""

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from people.models import Person, RatingSource, Team
from tests.browser_support import audit, sign_in
from tests.builders import build_candidate, levels_of
from tests.factories import SkillRatingFactory, skill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def ada(imaging: Team) -> Person:
    """A data engineer in the lead's team: statistics 2 by her lead, ML Ops 3 self-assessed."""
    person = build_candidate("Ada Byrne", team=imaging, profession="data-engineer", ratings={"statistics": 2})
    SkillRatingFactory(
        person=person,
        skill=skill("ml-ops"),
        level=3,
        source=RatingSource.SELF,
        rated_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC),
    )
    return person


@pytest.mark.usefixtures("lead")
def test_a_lead_rates_a_team_member_with_the_keyboard(
    page: Page, live_server: LiveServer, ada: Person, output_dir: Path
) -> None:
    sign_in(page, live_server, "lead")
    page.goto(f"{live_server.url}/people/{ada.pk}/")
    expect(page.get_by_text("No rating changes yet.")).to_be_visible()

    page.get_by_role("link", name="Rate skills").click()

    expect(page).to_have_url(f"{live_server.url}/people/{ada.pk}/ratings/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rate Ada Byrne’s skills")
    expect(page.get_by_text("Your ratings count as lead ratings.")).to_be_visible()
    statistics = page.get_by_label("Level in Statistics")
    modelling = page.get_by_label("Level in ML modelling")
    expect(statistics).to_have_value("2")
    expect(modelling).to_have_value("")  # not rated yet
    expect(page.get_by_label("Confirm the self-assessed level in ML Ops")).not_to_be_checked()

    # Up one level with an arrow key, then on to the next skill and straight to 4 by typing it.
    statistics.focus()
    page.keyboard.press("ArrowDown")
    expect(statistics).to_have_value("3")
    page.keyboard.press("Tab")
    expect(modelling).to_be_focused()
    page.keyboard.press("4")
    expect(modelling).to_have_value("4")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.screenshot(path=output_dir / "01-rating-form.png", full_page=True)

    page.get_by_role("button", name="Save ratings").focus()
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/people/{ada.pk}/")
    expect(page.get_by_role("status")).to_have_text("Saved 2 rating changes for Ada Byrne.")
    skills = page.get_by_role("region", name="Skill ratings of Ada Byrne, by skill group")
    expect(skills.get_by_role("row", name="Statistics")).to_contain_text("3 Practitioner")
    expect(skills.get_by_role("row", name="ML modelling")).to_contain_text("4 Advanced")
    history = page.get_by_role("region", name="Rating changes, newest first").locator("tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(0).locator("th, td")).to_have_text(
        ["ML modelling", "Not rated → to 4 Advanced", "Team lead", "lead", re.compile(r"^\d+ \w+ \d{4}, \d\d:\d\d$")]
    )
    expect(history.nth(1).locator("th, td")).to_have_text(
        ["Statistics", "2 Foundation → to 3 Practitioner", "Team lead", "lead", re.compile(r"^\d+ \w+ \d{4}, ")]
    )
    page.screenshot(path=output_dir / "02-person-after-saving.png", full_page=True)
    assert levels_of(ada) == {
        "statistics": (3, RatingSource.LEAD),
        "ml-modelling": (4, RatingSource.LEAD),
        "ml-ops": (3, RatingSource.SELF),
    }


@pytest.mark.usefixtures("lead")
def test_the_rating_page_has_no_serious_or_critical_accessibility_violations(
    page: Page, live_server: LiveServer, ada: Person, output_dir: Path
) -> None:
    sign_in(page, live_server, "lead")
    found = []
    for width in [1280, 390]:  # a desktop and a phone
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/people/{ada.pk}/ratings/")
        found += audit(page, "ratings", output_dir)

    # A refused level (only a tampered form can send one) shows its error beside the select and on top.
    page.evaluate("document.querySelector('#id_level_statistics option[value=\"5\"]').value = '9'")
    page.get_by_label("Level in Statistics").select_option("9")
    page.get_by_role("button", name="Save ratings").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Level in Statistics: Choose a level from 0 (none) to 5 (expert)."
    )
    expect(page.get_by_label("Level in Statistics")).to_have_accessible_description(
        re.compile(r"^Expected 2 Team lead, \d+ \w+ \d{4} Error: Choose a level from 0 \(none\) to 5 \(expert\)\.$")
    )
    expect(page.get_by_label("Level in Statistics")).to_have_value("2")  # as the page first showed it
    for width in [1280, 390]:
        page.set_viewport_size({"width": width, "height": 900})
        found += audit(page, "ratings-refused", output_dir)

    # Saving shows the person page with its message and rating history.
    page.get_by_label("Level in Statistics").select_option("4")
    page.get_by_label("Confirm the self-assessed level in ML Ops").check()
    page.get_by_role("button", name="Save ratings").click()
    expect(page.get_by_role("status")).to_have_text("Saved 2 rating changes for Ada Byrne.")
    for width in [1280, 390]:
        page.set_viewport_size({"width": width, "height": 900})
        found += audit(page, "person-with-history", output_dir)

    assert found == []
