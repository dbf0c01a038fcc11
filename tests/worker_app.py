"""The Celery app as the test worker runs it (``celery -A tests.worker_app``): the product's app,
with the test hooks of ``tests.worker`` connected. Only ``tests.worker`` starts workers with it."""

from config.celery import app
from tests.worker import connect_hooks

__all__ = ["app"]

connect_hooks()
