"""A lead reads a project report and an organisation report in a real browser and downloads a CSV per
table and the workbook, with its recommendations sheet; the screenshots land in test-results/."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from staffing.models import Report
from tests.browser_support import audit, sign_in
from tests.factories import build_organisation_report, build_staffed_project, build_training_project, finish_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def downloaded(page: Page, link: str) -> tuple[str, bytes]:
    """Click the download link named ``link``: the file's suggested name and its bytes."""
    with page.expect_download() as download_info:
        page.get_by_role("link", name=link, exact=True).click()
    download = download_info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def test_a_lead_downloads_each_table_of_a_project_report_and_its_workbook(
    page: Page, live_server: LiveServer, lead: User, output_dir: Path
) -> None:
    report = finish_report(Report.objects.create(kind="project", project=build_training_project(), requested_by=lead))

    sign_in(page, live_server, "lead")
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Project report: Genome triage")
    suggestions = page.locator(".report-sentences li")
    expect(suggestions.first).to_have_text(
        "Train Yan Young in Research from 3 to 4: closes 2 levels of their gaps on the slots they work on "
        "or are a top-three candidate for."
    )
    training = page.get_by_role("table", name="Training suggestions")
    expect(training.locator("tbody tr td:first-child")).to_have_text(["Yan Young", "Amy Archer", "Zed Zimmer"])
    page.screenshot(path=output_dir / "1-project-report.png", full_page=True)
    violations = audit(page, "project-report", output_dir)

    name, content = downloaded(page, "Training suggestions as a CSV")
    assert name == f"project-report-genome-triage-{report.pk}-training.csv"
    rows = list(csv.reader(io.StringIO(content.decode(), newline="")))
    assert [row[1] for row in rows] == ["Person", "Yan Young", "Amy Archer", "Zed Zimmer"]

    name, content = downloaded(page, "Recommendations as a CSV")
    assert name == f"project-report-genome-triage-{report.pk}-recommendations.csv"
    sentences = [row[0] for row in csv.reader(io.StringIO(content.decode(), newline=""))][1:]
    expect(suggestions).to_have_text(sentences)

    name, content = downloaded(page, "Download XLSX spreadsheet, a sheet per table")
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Phase coverage", "Unfilled slots", "Training suggestions", "Recommendations"]
    assert [row[0] for row in workbook["Recommendations"].iter_rows(min_row=2, values_only=True)] == sentences

    page.set_viewport_size({"width": 390, "height": 900})
    page.screenshot(path=output_dir / "2-project-report-390.png", full_page=True)
    violations += audit(page, "project-report", output_dir)
    assert not violations, "Accessibility violations:\n" + "\n".join(violations)


def test_the_organisation_report_names_professions_only_where_people_are_short(
    page: Page, live_server: LiveServer, lead: User, output_dir: Path
) -> None:
    build_staffed_project()
    report = finish_report(build_organisation_report(requested_by=lead))

    sign_in(page, live_server, "lead")
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    gaps = page.get_by_role("table", name="Skill gaps; the column headings sort the rows")
    expect(gaps.locator("tbody tr").nth(2)).to_have_text("Statistics 3 0.50 0.50 0.00 –", use_inner_text=True)
    expect(gaps.locator("tbody tr").nth(3)).to_have_text(
        "Statistics 4 0.50 0.00 0.50 Data scientist", use_inner_text=True
    )
    page.screenshot(path=output_dir / "1-organisation-report.png", full_page=True)

    name, content = downloaded(page, "Skill gaps as a CSV")
    assert name == f"organisation-report-2027-01-04-to-2027-03-28-{report.pk}-gaps.csv"
    rows = list(csv.reader(io.StringIO(content.decode(), newline="")))
    assert [row for row in rows[1:] if row[5]] == [["Statistics", "4", "0.50", "0.00", "0.50", "Data scientist"]]
