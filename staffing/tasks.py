"""Background jobs of the staffing app: thin wrappers that find their row and call a service."""

import logging

from celery import shared_task

from staffing import services
from staffing.models import Report

logger = logging.getLogger(__name__)


@shared_task(name=services.RUN_REPORT_TASK, acks_late=True, reject_on_worker_lost=True)
def run_report(*, report_id: int) -> None:
    """Compute one requested report; delivering it twice is harmless (see ``services.run_report``)."""
    if not Report.objects.filter(pk=report_id).exists():
        logger.info("Report %s is gone; nothing to compute", report_id)
        return
    services.run_report(report_id=report_id)


@shared_task(name="staffing.nightly_organisation_report")
def nightly_organisation_report() -> int:
    """Request the organisation report for the next 13 weeks; returns the new report's id."""
    return services.request_nightly_organisation_report().pk
