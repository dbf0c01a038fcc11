"""Requesting skill-gap reports and running the jobs that compute them.

A request validates its subject, makes sure the job queue can be reached, saves the report as
queued and sends the job once the transaction commits. The job (``run_report``) can be delivered
more than once (``acks_late``: a worker lost mid-job leaves the message to be delivered again):

- a report already done or failed is left as it is;
- a report left ``running`` by a dead worker is claimed again, recomputed and finished once.

Each run claims the report by writing a fresh ``started_at``; its progress and its result are
written only while that claim still holds, so a stale run can never overwrite a newer one.

A run beats a heartbeat (``heartbeat_at``) with each progress step. A report running without one for
``STALLED_AFTER`` is stalled (``Report.is_stalled``): its requester may run it again at once
(``rerun_report``) rather than wait for the broker's visibility timeout. The new run claims the report
afresh, so whichever of it and a late redelivery of the old job finishes first is the one result.
"""

import calendar
import datetime as dt
import logging
from functools import partial

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Greatest
from django.utils import timezone
from kombu.exceptions import OperationalError

from config.celery import app as celery_app
from config.errors import RuleError
from people.models import Team
from projects.models import Project
from staffing.models import STALLED_AFTER, Report
from staffing.reports import compute_report
from staffing.signals import report_claimed
from ui.formats import format_date

logger = logging.getLogger(__name__)


NIGHTLY_WEEKS = 13
MAX_REPORT_YEARS = 3  # the longest range an organisation report may cover (about 157 weeks)
MAX_PENDING_REPORTS = 3  # how many reports one requester may have queued or running at once
BROKER_CHECK_TIMEOUT = 3  # seconds
RUN_REPORT_TASK = "staffing.run_report"  # the job's stable name (``staffing.tasks.run_report``)


class ReportQueueUnavailable(Exception):  # noqa: N818  the name callers and the API catch
    """The job queue (the Celery broker) cannot be reached, so a report cannot be started."""

    message = "Reports cannot be started right now because the job queue is unreachable. Please try again later."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message


class TooManyPendingReports(Exception):  # noqa: N818  the name callers and the API catch
    """The requester already has ``MAX_PENDING_REPORTS`` reports queued or running."""

    message = (
        f"You already have {MAX_PENDING_REPORTS} reports queued or being computed. "
        "Request another once one of them has finished or failed."
    )


# --- Requesting --------------------------------------------------------------------------------


def last_day_allowed(starts_on: dt.date) -> dt.date:
    """The last day an organisation report starting on ``starts_on`` may cover: the day before the same
    date ``MAX_REPORT_YEARS`` years later (28 February after a 29 February start)."""
    year = starts_on.year + MAX_REPORT_YEARS
    if year > dt.MAXYEAR:
        return dt.date.max
    if (starts_on.month, starts_on.day) == (2, 29) and not calendar.isleap(year):
        return dt.date(year, 2, 28)
    return starts_on.replace(year=year) - dt.timedelta(days=1)


def _check_request(
    *,
    kind: str,
    project: Project | None,
    team: Team | None,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in Report.Kind.values:
        errors["kind"] = [f"Choose one of: {', '.join(Report.Kind.values)}."]
    elif kind == Report.Kind.PROJECT and project is None:
        errors["project"] = ["A project report needs a project."]
    elif kind == Report.Kind.TEAM and team is None:
        errors["team"] = ["A team report needs a team."]
    elif kind == Report.Kind.ORGANISATION:
        if starts_on is None:
            errors["starts_on"] = ["An organisation report needs the first day of its range."]
        if ends_on is None:
            errors["ends_on"] = ["An organisation report needs the last day of its range."]
        if starts_on and ends_on and ends_on < starts_on:
            errors["ends_on"] = ["The range cannot end before it starts."]
        elif starts_on and ends_on and ends_on > (last_day := last_day_allowed(starts_on)):
            errors["ends_on"] = [
                f"An organisation report covers at most {MAX_REPORT_YEARS} years: "
                f"choose a last day on or before {format_date(last_day)}."
            ]
    if errors:
        raise ValidationError(errors)


def check_queue_reachable() -> None:
    """Raise ``ReportQueueUnavailable`` unless the broker answers (nothing to check when jobs run in-process)."""
    if celery_app.conf.task_always_eager:
        return
    try:
        with celery_app.connection_for_write(connect_timeout=BROKER_CHECK_TIMEOUT) as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_CHECK_TIMEOUT)
    except (OperationalError, OSError) as exc:
        logger.warning("The job queue is unreachable: %s", exc)
        raise ReportQueueUnavailable from exc


def request_report(
    *,
    kind: str,
    requested_by: User | None,
    project: Project | None = None,
    team: Team | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> Report:
    """Save a queued report and send its job when the transaction commits.

    Raises ``ValidationError`` (a field dict) for a missing subject, a backwards range or one longer
    than ``MAX_REPORT_YEARS``; ``TooManyPendingReports`` when ``requested_by`` already has
    ``MAX_PENDING_REPORTS`` reports queued or running (counted under a lock on the user's row, so
    requests sent at once cannot slip past it); and ``ReportQueueUnavailable`` when the queue cannot
    be reached. All are checked before anything is saved, so no report is left behind. Should
    sending still fail after the commit, the report is marked failed with a message saying so, and
    ``ReportQueueUnavailable`` is raised from the commit.
    Permissions are the caller's business (``people.access.may_request_report``).
    """
    _check_request(kind=kind, project=project, team=team, starts_on=starts_on, ends_on=ends_on)
    check_queue_reachable()
    organisation = kind == Report.Kind.ORGANISATION
    with transaction.atomic():
        if requested_by is not None:
            # Lock the requester's row: two requests sent at once count one after the other.
            User.objects.select_for_update().filter(pk=requested_by.pk).first()
            pending = Report.objects.filter(
                requested_by=requested_by, status__in=[Report.Status.QUEUED, Report.Status.RUNNING]
            )
            if pending.count() >= MAX_PENDING_REPORTS:
                raise TooManyPendingReports(TooManyPendingReports.message)
        report = Report.objects.create(
            kind=kind,
            project=project if kind == Report.Kind.PROJECT else None,
            team=team if kind == Report.Kind.TEAM else None,
            starts_on=starts_on if organisation else None,
            ends_on=ends_on if organisation else None,
            requested_by=requested_by,
        )
        transaction.on_commit(partial(send_report_job, report_id=report.pk))
    return report


def send_report_job(*, report_id: int) -> None:
    """Put the job of a saved report on the queue, by the job's name; mark the report failed if the
    queue refuses it. Without a queue (jobs run in-process) the report is computed here and now."""
    if celery_app.conf.task_always_eager:
        run_report(report_id=report_id)
        return
    try:
        celery_app.send_task(RUN_REPORT_TASK, kwargs={"report_id": report_id})
    except OperationalError as exc:
        logger.exception("Could not queue the job of report %s", report_id)
        Report.objects.filter(pk=report_id, status=Report.Status.QUEUED).update(
            status=Report.Status.FAILED, error=ReportQueueUnavailable.message, finished_at=timezone.now()
        )
        raise ReportQueueUnavailable from exc


def request_nightly_organisation_report() -> Report:
    """The organisation report for the next 13 weeks, today included (for the nightly schedule)."""
    today = timezone.localdate()
    return request_report(
        kind=Report.Kind.ORGANISATION,
        requested_by=None,
        starts_on=today,
        ends_on=today + dt.timedelta(weeks=NIGHTLY_WEEKS, days=-1),
    )


# --- Running -----------------------------------------------------------------------------------


def _record_progress(claim: QuerySet[Report], percent: int) -> None:
    """Raise the progress of the claimed run to ``percent`` (it never goes down) and beat its heartbeat,
    in one UPDATE.

    A run in progress shows 99 at most: 100 is written together with the result.
    """
    percent = max(0, min(int(percent), 99))
    claim.update(progress=Greatest(F("progress"), percent), heartbeat_at=timezone.now())


def error_message(exc: Exception) -> str:
    """What the requester reads about a failure: the first line of its message, never a traceback."""
    detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
    return f"The report could not be computed: {detail}"


def run_report(*, report_id: int) -> None:
    """Compute a report and store its result, replacing any earlier one; safe to run more than once.

    Marks it running (``started_at`` now, progress 0) and sends ``report_claimed``, writes progress as
    it goes, and marks it done with ``finished_at``. A failure is recorded as ``failed`` with a
    one-line message (the traceback goes to the log) and not raised again: retrying a deterministic
    computation would fail the same way, and in-process (eager) jobs must not break the request that
    started them.
    """
    started_at = timezone.now()
    claimed = Report.objects.filter(pk=report_id, status__in=[Report.Status.QUEUED, Report.Status.RUNNING]).update(
        status=Report.Status.RUNNING,
        progress=0,
        started_at=started_at,
        heartbeat_at=started_at,
        finished_at=None,
        error="",
    )
    report = Report.objects.select_related("project", "team").filter(pk=report_id).first() if claimed else None
    if report is None:
        logger.info("Report %s is done, failed or gone; nothing to run", report_id)
        return
    claim = Report.objects.filter(pk=report_id, status=Report.Status.RUNNING, started_at=started_at)
    try:
        report_claimed.send(sender=Report, report_id=report_id)
        result = compute_report(report, progress=partial(_record_progress, claim))
    except Exception as exc:
        logger.exception("Report %s failed", report_id)
        claim.update(status=Report.Status.FAILED, error=error_message(exc), finished_at=timezone.now())
        return
    finished = claim.update(status=Report.Status.DONE, progress=100, result=result, finished_at=timezone.now())
    if not finished:
        logger.info("Report %s was finished by another run or deleted; this run's result is dropped", report_id)


def stalled_minutes() -> int:
    return int(STALLED_AFTER.total_seconds() // 60)


def rerun_report(*, report_id: int) -> Report:
    """Queue a stalled report (``Report.is_stalled``) again and send its job when the transaction commits.

    Raises ``RuleError`` when the report is not stalled (still making progress, queued, done or failed)
    and ``ReportQueueUnavailable`` when the queue cannot be reached; either way nothing changes. The
    report's row is locked while it is checked and reset, so two requests to run it again queue one job.
    The stalled run, should it wake, and a late redelivery of its job are safe beside the new one: see
    the module's docstring. Permissions are the caller's business (``people.access.may_request_report``).
    """
    check_queue_reachable()
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if not report.is_stalled:
            raise RuleError(
                f"This report is {report.get_status_display().lower()}, not stalled: a report can be run again "
                f"only once its job has shown no progress for {stalled_minutes()} minutes."
            )
        Report.objects.filter(pk=report_id).update(
            status=Report.Status.QUEUED, progress=0, started_at=None, heartbeat_at=None, finished_at=None, error=""
        )
        transaction.on_commit(partial(send_report_job, report_id=report_id))
    report.refresh_from_db()
    return report
