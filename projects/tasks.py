import logging

from celery import shared_task

from projects import services

logger = logging.getLogger(__name__)


@shared_task(name="projects.refresh_unfilled_fte", acks_late=True)
def refresh_unfilled_fte(*, slot_id: int) -> str | None:
    """Recompute one slot's unfilled FTE (after an import, or to repair a stale value)."""
    slot = services.refresh_unfilled_fte(slot_id=slot_id)
    if slot is None:
        logger.info("Slot %s is gone; nothing to refresh", slot_id)
        return None
    return str(slot.unfilled_fte)
