"""Requesting reports and the jobs that compute them: validation, permissions, idempotent runs,
and real workers that finish, fail, and die mid-job."""

import datetime as dt
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from config.celery import app as celery_app
from people.access import may_request_report
from people.models import Team
from projects.models import Project
from staffing import services, tasks
from staffing.models import Report
from staffing.reports import compute_project_report
from staffing.services import ReportQueueUnavailable, request_report, run_report
from staffing.signals import report_claimed
from tests.factories import TeamFactory, build_organisation_report, build_staffed_project
from tests.worker import lines_of, new_queue_name, running_worker, sending_jobs_to, worker_process

D = dt.date
PROJECT, TEAM, ORGANISATION = Report.Kind.values
WAIT_SECONDS = 60


def wait_until(condition: Callable[[], bool], what: str, timeout: float = WAIT_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting until {what}")
        time.sleep(0.02)


def watch(report: Report, timeout: float = WAIT_SECONDS) -> Iterator[tuple[str, int]]:
    """(status, progress) of the report, read every 20 ms until it is done or failed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, progress = Report.objects.values_list("status", "progress").get(pk=report.pk)
        yield status, progress
        if status in (Report.Status.DONE, Report.Status.FAILED):
            return
        time.sleep(0.02)
    raise AssertionError(f"Report {report.pk} did not finish within {timeout} s")


def collapsed(states: list[tuple[str, int]]) -> list[str]:
    """The statuses in the order seen, each run of repeats collapsed to one."""
    return [status for index, (status, _) in enumerate(states) if index == 0 or states[index - 1][0] != status]


def left_running_by_a_killed_worker(
    *, requested_by: User, project: Project, queue: str, env: dict[str, str], hooks: Path
) -> Report:
    """Request a project report, let a worker on ``queue`` claim it and hold it at the hook, then kill
    that worker (SIGKILL) and release the hold. Returns the report as the killed worker left it."""
    with worker_process(queue=queue, env=env) as worker:
        with transaction.atomic():
            report = request_report(kind=PROJECT, requested_by=requested_by, project=project)
            hold = hooks / f"{report.pk}.hold"
            hold.touch()
        wait_until((hooks / f"{report.pk}.paused").exists, "the worker reaches the hook")
        claimed = Report.objects.get(pk=report.pk)
        worker.kill()
    hold.unlink()
    return claimed


# --- Requests --------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"kind": "company"}, {"kind": ["Choose one of: project, team, organisation."]}),
        ({"kind": PROJECT}, {"project": ["A project report needs a project."]}),
        ({"kind": TEAM}, {"team": ["A team report needs a team."]}),
        (
            {"kind": ORGANISATION},
            {
                "starts_on": ["An organisation report needs the first day of its range."],
                "ends_on": ["An organisation report needs the last day of its range."],
            },
        ),
        (
            {"kind": ORGANISATION, "starts_on": D(2027, 2, 1), "ends_on": D(2027, 1, 31)},
            {"ends_on": ["The range cannot end before it starts."]},
        ),
    ],
)
def test_a_request_without_its_subject_is_refused_field_by_field(
    manager: User, fields: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    with pytest.raises(ValidationError) as refused:
        request_report(requested_by=manager, **fields)

    assert refused.value.message_dict == errors
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_request_keeps_only_its_own_subject_and_runs_in_process_without_a_broker(
    manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    project = build_staffed_project()

    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(
            kind=PROJECT, requested_by=manager, project=project, team=TeamFactory(), starts_on=D(2027, 1, 4)
        )

    report.refresh_from_db()
    assert (report.kind, report.project, report.team, report.starts_on, report.requested_by) == (
        PROJECT,
        project,
        None,
        None,
        manager,
    )
    assert (report.status, report.progress, report.error) == (Report.Status.DONE, 100, "")
    assert report.started_at <= report.finished_at
    assert report.result == compute_project_report(project=project)


@pytest.mark.django_db
def test_who_may_request_which_report(manager: User, lead: User, viewer: User, outsider: User) -> None:
    imaging = Team.objects.get(name="Imaging").pk
    pathology = Team.objects.get(name="Pathology").pk
    kinds = [(PROJECT, None), (TEAM, imaging), (TEAM, pathology), (ORGANISATION, None)]

    assert {
        name: [may_request_report(user, kind, team) for kind, team in kinds]
        for name, user in [
            ("manager", manager),
            ("lead", lead),
            ("viewer", viewer),
            ("outsider", outsider),
            ("anonymous", AnonymousUser()),
        ]
    } == {
        "manager": [True, True, True, True],
        "lead": [True, True, False, True],
        "viewer": [True, False, False, False],
        "outsider": [True, False, False, False],
        "anonymous": [False, False, False, False],
    }


@pytest.mark.django_db
def test_with_redis_unreachable_a_request_fails_clearly_and_saves_nothing(manager: User, closed_broker: None) -> None:
    with pytest.raises(ReportQueueUnavailable) as refused:
        request_report(kind=ORGANISATION, requested_by=manager, starts_on=D(2027, 1, 4), ends_on=D(2027, 3, 28))

    assert str(refused.value) == ReportQueueUnavailable.message
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_job_the_queue_refuses_after_the_commit_marks_its_report_failed(
    manager: User, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OperationalError("Connection refused")

    monkeypatch.setattr(celery_app, "send_task", refuse)

    with (
        sending_jobs_to(new_queue_name()),  # Redis answers the check before the commit, then goes away
        pytest.raises(ReportQueueUnavailable),
        django_capture_on_commit_callbacks(execute=True),
    ):
        request_report(kind=TEAM, requested_by=manager, team=TeamFactory())

    report = Report.objects.get()
    assert (report.status, report.error) == (Report.Status.FAILED, ReportQueueUnavailable.message)


@pytest.mark.django_db
def test_the_nightly_request_covers_the_next_thirteen_weeks(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report_id = tasks.nightly_organisation_report()

    report = Report.objects.get(pk=report_id)
    today = timezone.localdate()
    assert (report.kind, report.starts_on, report.ends_on, report.status) == (
        ORGANISATION,
        today,
        today + dt.timedelta(days=90),
        Report.Status.DONE,
    )
    assert (report.result["starts_on"], report.result["ends_on"]) == (today.isoformat(), report.ends_on.isoformat())


# --- Runs ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_running_a_done_report_again_changes_nothing(django_assert_num_queries: Any) -> None:
    report = build_organisation_report()
    run_report(report_id=report.pk)
    done = Report.objects.get(pk=report.pk)

    with django_assert_num_queries(1):  # the claim, which finds nothing to claim
        run_report(report_id=report.pk)

    again = Report.objects.get(pk=report.pk)
    assert (again.status, again.started_at, again.finished_at, again.result) == (
        Report.Status.DONE,
        done.started_at,
        done.finished_at,
        done.result,
    )


@pytest.mark.django_db
def test_a_report_left_running_is_computed_again_and_finished() -> None:
    long_ago = timezone.now() - dt.timedelta(hours=2)
    report = build_organisation_report(
        status=Report.Status.RUNNING, progress=60, started_at=long_ago, result={"old": True}
    )

    run_report(report_id=report.pk)

    report.refresh_from_db()
    assert (report.status, report.progress) == (Report.Status.DONE, 100)
    assert report.started_at > long_ago
    assert set(report.result) == {"starts_on", "ends_on", "gaps", "weekly_demand"}


@pytest.mark.django_db
def test_a_failed_report_is_not_run_again() -> None:
    report = build_organisation_report(status=Report.Status.FAILED, error="Earlier failure")

    run_report(report_id=report.pk)

    report.refresh_from_db()
    assert (report.status, report.error, report.result) == (Report.Status.FAILED, "Earlier failure", None)


@pytest.fixture
def claims() -> Iterator[list[tuple[int, str]]]:
    """Each ``report_claimed`` signal seen in this process: the report's id and its status then."""
    seen: list[tuple[int, str]] = []

    def record(sender: object, *, report_id: int, **kwargs: object) -> None:
        seen.append((report_id, Report.objects.get(pk=report_id).status))

    report_claimed.connect(record)
    yield seen
    report_claimed.disconnect(record)


@pytest.mark.django_db
def test_a_run_signals_once_it_has_claimed_its_report(claims: list[tuple[int, str]]) -> None:
    report = build_organisation_report()

    run_report(report_id=report.pk)
    run_report(report_id=report.pk)  # done: nothing to claim

    assert claims == [(report.pk, Report.Status.RUNNING)]


@pytest.mark.django_db
def test_a_failure_is_recorded_in_one_line_without_a_traceback() -> None:
    report = build_organisation_report()

    def fail(sender: object, **kwargs: object) -> None:
        raise RuntimeError("Simulated failure\nTraceback (most recent call last): ...")

    report_claimed.connect(fail)
    try:
        run_report(report_id=report.pk)
    finally:
        report_claimed.disconnect(fail)

    report.refresh_from_db()
    assert (report.status, report.error, report.result) == (
        Report.Status.FAILED,
        "The report could not be computed: Simulated failure",
        None,
    )
    assert report.finished_at is not None


@pytest.mark.django_db
def test_a_run_whose_claim_was_taken_over_drops_its_result(monkeypatch: pytest.MonkeyPatch) -> None:
    report = build_organisation_report()
    newer = timezone.now() + dt.timedelta(seconds=5)

    def compute_while_another_run_claims(report: Report, **kwargs: Any) -> dict[str, Any]:
        Report.objects.filter(pk=report.pk).update(started_at=newer, progress=10)
        return {"stale": True}

    monkeypatch.setattr(services, "compute_report", compute_while_another_run_claims)
    run_report(report_id=report.pk)

    report.refresh_from_db()
    assert (report.status, report.started_at, report.progress, report.result) == (
        Report.Status.RUNNING,
        newer,
        10,
        None,
    )


@pytest.mark.django_db
def test_progress_never_goes_down(monkeypatch: pytest.MonkeyPatch) -> None:
    report = build_organisation_report()
    seen: list[int] = []

    def compute_with_progress(report: Report, *, progress: Callable[[int], None]) -> dict[str, Any]:
        for percent in [30, 10, 150, 60]:
            progress(percent)
            seen.append(Report.objects.get(pk=report.pk).progress)
        return {}

    monkeypatch.setattr(services, "compute_report", compute_with_progress)
    run_report(report_id=report.pk)

    assert seen == [30, 30, 99, 99]
    assert Report.objects.get(pk=report.pk).progress == 100


@pytest.mark.django_db
def test_the_job_of_a_deleted_report_does_nothing() -> None:
    assert tasks.run_report(report_id=987654) is None


# --- Real workers ----------------------------------------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_takes_a_report_from_queued_through_running_to_done(manager: User, tmp_path: Path) -> None:
    project = build_staffed_project()
    queue = new_queue_name()

    def state() -> tuple[str, int]:
        return Report.objects.values_list("status", "progress").get(pk=report.pk)

    # A solo worker busy with a job cannot answer the ping that says it is ready: start it first.
    with sending_jobs_to(queue), running_worker(queue=queue, env={"SPECTRUM_TEST_PAUSE_DIR": str(tmp_path)}):
        with transaction.atomic():
            report = request_report(kind=PROJECT, requested_by=manager, project=project)
            (tmp_path / f"{report.pk}.hold").touch()  # the job will wait at the hook until released
            seen = [state()]  # saved as queued; the job is sent when this transaction commits
        wait_until((tmp_path / f"{report.pk}.paused").exists, "the job reaches the hook")
        seen.append(state())
        (tmp_path / f"{report.pk}.hold").unlink()
        seen += list(watch(report))

    assert collapsed(seen) == ["queued", "running", "done"]
    progress = [percent for _, percent in seen]
    assert progress == sorted(progress)
    assert seen[-1] == ("done", 100)
    report.refresh_from_db()
    assert report.result == compute_project_report(project=project)
    assert report.started_at < report.finished_at


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_job_that_raises_records_a_failed_report_with_the_message(manager: User, tmp_path: Path) -> None:
    queue = new_queue_name()

    with sending_jobs_to(queue), running_worker(queue=queue, env={"SPECTRUM_TEST_PAUSE_DIR": str(tmp_path)}):
        with transaction.atomic():
            report = request_report(kind=TEAM, requested_by=manager, team=TeamFactory(name="Imaging"))
            (tmp_path / f"{report.pk}.fail").write_text("Simulated failure")
        seen = list(watch(report))

    assert seen[-1][0] == "failed"
    report.refresh_from_db()
    assert (report.error, report.result) == ("The report could not be computed: Simulated failure", None)
    assert report.finished_at is not None


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_report_whose_worker_is_killed_is_finished_once_by_the_next_worker(manager: User, tmp_path: Path) -> None:
    project = build_staffed_project()
    queue = new_queue_name()
    # Redis gives a dead worker's job to another worker after the visibility timeout; the next
    # worker returns such jobs to their queue when it starts.
    env = {"SPECTRUM_TEST_PAUSE_DIR": str(tmp_path), "CELERY_VISIBILITY_TIMEOUT": "2"}

    with sending_jobs_to(queue):
        first_run = left_running_by_a_killed_worker(
            requested_by=manager, project=project, queue=queue, env=env, hooks=tmp_path
        )
        report = first_run
        left = Report.objects.get(pk=report.pk)
        assert (left.status, left.progress, left.started_at) == ("running", 0, first_run.started_at)
        paused = tmp_path / f"{report.pk}.paused"
        paused.unlink()
        time.sleep(2.5)  # past the visibility timeout

        with running_worker(queue=queue, env=env):
            seen = list(watch(report))
            finished = Report.objects.get(pk=report.pk)
            claims_when_done = lines_of(tmp_path / f"{report.pk}.claims")
            # Deliver the job once more, as a broker may after a lost acknowledgement, and wait until
            # the worker has finished that delivery too.
            celery_app.send_task("staffing.run_report", kwargs={"report_id": report.pk})
            deliveries = tmp_path / f"{report.pk}.deliveries"
            wait_until(lambda: len(lines_of(deliveries)) == 2, "the worker finishes the second delivery")

    assert seen[-1] == ("done", 100)
    assert paused.exists()  # the job ran again, in the second worker
    assert (finished.status, finished.progress) == ("done", 100)
    assert finished.started_at > first_run.started_at
    assert finished.result == compute_project_report(project=project)
    assert Report.objects.filter(project=project).count() == 1
    # Claimed by the killed worker and by the next one, once each; the second delivery went through
    # the worker and found nothing to claim, so the report was finished once.
    assert len(claims_when_done) == 2
    assert claims_when_done[0] != claims_when_done[1]  # two worker processes
    assert lines_of(tmp_path / f"{report.pk}.claims") == claims_when_done
    assert lines_of(deliveries) == ["SUCCESS", "SUCCESS"]
    assert Report.objects.get(pk=report.pk).finished_at == finished.finished_at
