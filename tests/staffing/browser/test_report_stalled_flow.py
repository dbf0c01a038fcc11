"""Staff read a project report whose stalled job they run again, in a real browser: the page says
it stalled, the button starts it over, and the result keeps other people's ratings out of sight."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from staffing.models import STALLED_AFTER, Report
from tests.browser_support import audit, sign_in
from tests.factories import AssignmentFactory, PersonFactory, SkillRatingFactory, build_staffed_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_run_a_stalled_report_again_and_read_it_without_others_ratings(
    page: Page, live_server: LiveServer, viewer: User, output_dir: Path
) -> None:
    project = build_staffed_project()  # Ann Analyst, rated 3 in statistics, is confirmed on its slot
    SkillRatingFactory(person=PersonFactory(name="Bo Bystander"), level=5)
    AssignmentFactory(person=viewer.person, slot=project.slots.get(), allocation=Decimal("0.25"))
    quiet = timezone.now() - STALLED_AFTER - dt.timedelta(minutes=2)
    report = Report.objects.create(
        kind="project",
        project=project,
        requested_by=viewer,
        status=Report.Status.RUNNING,
        progress=40,
        started_at=quiet,
        heartbeat_at=quiet,
    )

    sign_in(page, live_server, "viewer")
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    expect(page.get_by_role("heading", name="This report has stalled at 40%")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_have_count(0)  # no bar pretending to move
    page.screenshot(path=output_dir / "1-stalled.png", full_page=True)
    violations = audit(page, "report-stalled", output_dir)

    page.get_by_role("button", name="Run it again").click()

    expect(page.get_by_text("The report was started again.")).to_be_visible()
    expect(page.get_by_role("heading", name="Skill gaps by phase")).to_be_visible()
    heatmap = page.locator("svg.report-heatmap__svg")
    expect(heatmap.locator("text", has_text="?").first).to_be_visible()
    expect(page.get_by_text("so they are shown to managers and team leads only.", exact=False).first).to_be_visible()
    expect(page.get_by_text("Ann Analyst")).to_have_count(0)
    page.screenshot(path=output_dir / "2-rerun-result.png", full_page=True)
    violations += audit(page, "report-withheld", output_dir)
    assert Report.objects.get(pk=report.pk).status == Report.Status.DONE
    assert not violations, "Accessibility violations:\n" + "\n".join(violations)
