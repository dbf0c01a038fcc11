"""A report whose worker died shows as stalled once its job has been quiet for 5 minutes, and may be
run again at once, safely beside a late redelivery of the old job."""

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from staffing import services
from staffing.models import STALLED_AFTER, Report
from staffing.reports import compute_project_report
from staffing.services import run_report
from tests.builders import page_text
from tests.conftest import API
from tests.factories import build_organisation_report, build_staffed_project
from tests.staffing.test_reports_jobs import left_running_by_a_killed_worker, wait_until, watch
from tests.worker import lines_of, new_queue_name, running_worker, sending_jobs_to

REPORTS = API + "reports/"


def running(report: Report, *, quiet_for: dt.timedelta) -> Report:
    """``report`` marked running, its job last heard from ``quiet_for`` ago."""
    started = timezone.now() - quiet_for - dt.timedelta(seconds=30)
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING, progress=40, started_at=started, heartbeat_at=timezone.now() - quiet_for
    )
    report.refresh_from_db()
    return report


QUIET = STALLED_AFTER + dt.timedelta(minutes=1)
BUSY = STALLED_AFTER - dt.timedelta(minutes=1)


@pytest.mark.django_db
def test_only_a_running_report_whose_job_went_quiet_is_stalled() -> None:
    assert running(build_organisation_report(), quiet_for=QUIET).is_stalled
    assert not running(build_organisation_report(), quiet_for=BUSY).is_stalled
    for status in Report.Status.values:
        quiet = running(build_organisation_report(), quiet_for=QUIET)
        Report.objects.filter(pk=quiet.pk).update(status=status)
        quiet.refresh_from_db()
        assert quiet.is_stalled is (status == Report.Status.RUNNING)


@pytest.mark.django_db
def test_each_progress_step_beats_the_heartbeat(monkeypatch: pytest.MonkeyPatch) -> None:
    report = build_organisation_report()
    beats: list[dt.datetime] = []

    def compute_slowly(report: Report, *, progress: Callable[[int], None]) -> dict[str, Any]:
        for percent in (10, 10, 50):
            time.sleep(0.01)
            progress(percent)
            beats.append(Report.objects.values_list("heartbeat_at", flat=True).get(pk=report.pk))
        return {}

    monkeypatch.setattr(services, "compute_report", compute_slowly)
    run_report(report_id=report.pk)

    assert beats == sorted(beats)
    assert len(set(beats)) == 3  # a step that does not move the progress still beats


@pytest.mark.django_db
def test_the_api_says_stalled_and_runs_it_again(
    manager_api: APIClient, manager: User, django_capture_on_commit_callbacks: Callable
) -> None:
    report = running(
        Report.objects.create(kind="project", project=build_staffed_project(), requested_by=manager), quiet_for=QUIET
    )

    assert manager_api.get(f"{REPORTS}{report.pk}/").json()["stalled"] is True
    assert manager_api.get(REPORTS).json()["results"][0]["stalled"] is True

    with django_capture_on_commit_callbacks(execute=True):  # the job runs in-process once the reset commits
        response = manager_api.post(f"{REPORTS}{report.pk}/run-again/")

    assert (response.status_code, response.json()) == (202, {"id": report.pk, "status": "queued"})
    answer = manager_api.get(f"{REPORTS}{report.pk}/").json()
    assert (answer["status"], answer["progress"], answer["stalled"]) == ("done", 100, False)
    assert answer["result"] == compute_project_report(project=report.project)


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["queued", "running", "done", "failed"])
def test_a_report_that_is_not_stalled_is_not_run_again(manager_api: APIClient, manager: User, status: str) -> None:
    report = running(build_organisation_report(requested_by=manager), quiet_for=BUSY)
    Report.objects.filter(pk=report.pk).update(status=status)
    before = Report.objects.values().get(pk=report.pk)

    response = manager_api.post(f"{REPORTS}{report.pk}/run-again/")

    assert response.status_code == 409
    assert "not stalled" in response.json()["detail"]
    assert Report.objects.values().get(pk=report.pk) == before


@pytest.mark.django_db
def test_only_those_who_see_a_report_may_run_it_again(viewer_api: APIClient, manager: User) -> None:
    report = running(build_organisation_report(requested_by=manager), quiet_for=QUIET)

    response = viewer_api.post(f"{REPORTS}{report.pk}/run-again/")

    assert response.status_code == 404
    assert Report.objects.get(pk=report.pk).status == "running"


@pytest.mark.django_db
def test_the_page_shows_a_stalled_report_and_runs_it_again(
    signed_in: Callable[[User], Client], viewer: User, django_capture_on_commit_callbacks: Callable
) -> None:
    report = running(
        Report.objects.create(kind="project", project=build_staffed_project(), requested_by=viewer), quiet_for=QUIET
    )
    client = signed_in(viewer)

    page = client.get(reverse("report_detail", args=[report.pk]))
    text = page_text(page.content)
    assert "This report has stalled at 40%" in text
    assert "Run it again" in text
    assert 'hx-trigger="every 1s"' not in page.content.decode()  # the page stops polling
    assert "Stalled · 40%" in page_text(client.get(reverse("report_list")).content)
    polled = client.get(reverse("report_progress", args=[report.pk]), {"seen": "running"}, HTTP_HX_REQUEST="true")
    assert "The report has stalled; you may run it again." in page_text(polled.content)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report_run_again", args=[report.pk]), follow=True)

    assert response.redirect_chain == [(reverse("report_detail", args=[report.pk]), 302)]
    assert "The report was started again." in page_text(response.content)
    assert Report.objects.get(pk=report.pk).status == "done"


@pytest.mark.django_db
def test_the_page_refuses_a_report_that_is_still_moving(signed_in: Callable[[User], Client], viewer: User) -> None:
    report = running(
        Report.objects.create(kind="project", project=build_staffed_project(), requested_by=viewer), quiet_for=BUSY
    )

    response = signed_in(viewer).post(reverse("report_run_again", args=[report.pk]), follow=True)

    assert "not stalled" in page_text(response.content)
    assert Report.objects.get(pk=report.pk).status == "running"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_stalled_report_run_again_beside_a_late_redelivery_is_finished_once(
    manager: User, manager_api: APIClient, tmp_path: Path
) -> None:
    project = build_staffed_project()
    queue = new_queue_name()
    env = {"SPECTRUM_TEST_PAUSE_DIR": str(tmp_path), "CELERY_VISIBILITY_TIMEOUT": "2"}

    with sending_jobs_to(queue):
        report = left_running_by_a_killed_worker(
            requested_by=manager, project=project, queue=queue, env=env, hooks=tmp_path
        )
        # Five minutes of silence, without waiting them out.
        Report.objects.filter(pk=report.pk).update(heartbeat_at=timezone.now() - QUIET)
        assert manager_api.get(f"{REPORTS}{report.pk}/").json()["stalled"] is True

        response = manager_api.post(f"{REPORTS}{report.pk}/run-again/")
        assert (response.status_code, response.json()) == (202, {"id": report.pk, "status": "queued"})
        time.sleep(2.5)  # past the visibility timeout: the killed worker's job is delivered again too

        with running_worker(queue=queue, env=env):
            deliveries = tmp_path / f"{report.pk}.deliveries"
            wait_until(lambda: len(lines_of(deliveries)) == 2, "the worker finishes both deliveries")
            seen = list(watch(report))

    finished = Report.objects.get(pk=report.pk)
    assert seen[-1] == ("done", 100)
    assert (finished.status, finished.is_stalled) == ("done", False)
    assert finished.result == compute_project_report(project=project)
    # Claimed by the killed worker, then once by the next: of the new job and the old job's
    # redelivery, whichever came first finished the report and the other found nothing to claim.
    assert len(lines_of(tmp_path / f"{report.pk}.claims")) == 2
    assert lines_of(deliveries) == ["SUCCESS", "SUCCESS"]
