"""A lead requests a team report in a real browser, a real Celery worker computes it, and the page
follows the job from its progress bar to the heatmap; then the spreadsheet download."""

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from people.models import Team
from staffing.models import Report
from tests.browser_support import audit, sign_in
from tests.factories import PersonFactory, SkillRatingFactory, profession, skill
from tests.staffing.test_reports_jobs import wait_until
from tests.worker import new_queue_name, running_worker, sending_jobs_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def team(lead: User, viewer: User) -> Team:
    """Imaging: the lead, the viewer and an engineer, rated in a few skills."""
    imaging = Team.objects.get(name="Imaging")
    ada = PersonFactory(name="Ada Byrne", profession=profession("data-engineer"), team=imaging)
    SkillRatingFactory(person=ada, skill=skill("ml-ops"), level=2)
    SkillRatingFactory(person=ada, skill=skill("data-pipelines"), level=4)
    SkillRatingFactory(person=viewer.person, skill=skill("statistics"), level=3)
    return imaging


def next_report_id() -> int:
    """The id the next report will get: a report made and deleted at once takes the one before it."""
    probe = Report.objects.create(kind="organisation", starts_on=dt.date(2027, 1, 4), ends_on=dt.date(2027, 1, 4))
    taken = probe.pk
    probe.delete()
    return taken + 1


def test_a_lead_watches_a_team_report_finish_and_downloads_it(
    page: Page, live_server: LiveServer, team: Team, tmp_path: Path, output_dir: Path
) -> None:
    report_id = next_report_id()
    hold = tmp_path / f"{report_id}.hold"
    hold.touch()  # the worker will wait at its hook until the test lets it go
    queue = new_queue_name()
    violations: list[str] = []

    with sending_jobs_to(queue), running_worker(queue=queue, env={"SPECTRUM_TEST_PAUSE_DIR": str(tmp_path)}):
        sign_in(page, live_server, "lead")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
        expect(page.get_by_text("There are no reports yet.")).to_be_visible()
        page.screenshot(path=output_dir / "1-reports-empty.png", full_page=True)
        violations += audit(page, "reports-empty", output_dir)

        page.get_by_role("link", name="Request a report").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Request a report")
        violations += audit(page, "request-form", output_dir)
        page.get_by_label("Team report").check()
        expect(page.get_by_label("Team", exact=True)).to_have_value(str(team.pk))  # the team they lead
        expect(page.get_by_label("Project", exact=True)).to_be_hidden()  # only what a team report needs
        page.screenshot(path=output_dir / "2-request-team.png", full_page=True)
        page.get_by_role("button", name="Start the report").click()

        # The job waits at its hook, running: the bar shows and updates itself as progress is written.
        expect(page).to_have_url(f"{live_server.url}/reports/{report_id}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Team report: Imaging")
        bar = page.get_by_role("progressbar")
        expect(bar).to_be_visible()
        wait_until((tmp_path / f"{report_id}.paused").exists, "the job reaches the hook")
        expect(page.get_by_role("heading", name="Computing the report")).to_be_visible()
        expect(bar).to_have_attribute("aria-valuenow", "0")
        page.screenshot(path=output_dir / "3-progress-running.png", full_page=True)
        Report.objects.filter(pk=report_id).update(progress=40)
        expect(bar).to_have_attribute("aria-valuenow", "40")
        expect(page.get_by_text("40% done.")).to_be_visible()
        page.screenshot(path=output_dir / "4-progress-40.png", full_page=True)
        violations += audit(page, "report-running", output_dir)
        page.evaluate("window.stillTheSamePage = true")

        hold.unlink()
        expect(page.get_by_role("heading", name="Ratings against expected levels")).to_be_visible(timeout=30_000)
        expect(bar).to_have_count(0)
        assert page.evaluate("window.stillTheSamePage") is True  # the result replaced the bar in place
        expect(page.locator("#report-announcer")).to_have_text("The report is ready; its results follow.")
        assert Report.objects.get(pk=report_id).status == Report.Status.DONE

    heatmap = page.locator("svg.report-heatmap__svg")
    expect(heatmap).to_be_visible()
    expect(heatmap.locator("title", has_text="Ada Byrne, ML Ops: rated 2, expected 3 (1 level short).")).to_have_count(
        1
    )
    expect(
        page.get_by_text("Train Ada Byrne in Databases from 0 to 4, the level their profession expects.")
    ).to_be_visible()
    page.screenshot(path=output_dir / "5-result.png", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download XLSX").click()
    download = download_info.value
    assert download.suggested_filename == f"team-report-imaging-{report_id}.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    members = workbook["Members"]
    ada_ml_ops = next(row for row in members.iter_rows(values_only=True) if row[1:3] == ("Ada Byrne", "ML Ops"))
    assert ada_ml_ops[3:] == (2, 3, 1)

    # The heatmap's table, and sorting the skills table from the keyboard.
    page.get_by_text("Show the chart as a table").click()
    expect(page.get_by_role("table", name="Ratings against expected levels: rating / expected level")).to_be_visible()
    page.get_by_role("link", name="Bus factor", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("Bus factor")
    expect(page.get_by_role("heading", name="Ratings against expected levels")).to_be_visible()
    page.screenshot(path=output_dir / "6-result-sorted.png", full_page=True)
    violations += audit(page, "report-result", output_dir)

    page.set_viewport_size({"width": 390, "height": 900})
    violations += audit(page, "report-result", output_dir)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Reports", exact=True).first.click()
    expect(page.get_by_role("row", name="Team report: Imaging")).to_contain_text("Done")
    violations += audit(page, "reports", output_dir)

    assert not violations, "Accessibility violations:\n" + "\n".join(violations)
