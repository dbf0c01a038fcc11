"""Database helpers the apps share: running a transaction again when PostgreSQL gives it up for a
deadlock or a serialization failure.

The services lock rows in one order (see ``projects.services``), so deadlocks between them should not
happen; this is the safety net for whatever slips past that order (a lock a foreign key takes, a
client that locks rows itself).
"""

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import DatabaseError, transaction

from config.errors import LockConflictError

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

# PostgreSQL's SQLSTATE codes: deadlock_detected (psycopg2's errors.DeadlockDetected) and
# serialization_failure (errors.SerializationFailure).
LOCK_CONFLICT_CODES = frozenset({"40P01", "40001"})


def is_lock_conflict(error: BaseException) -> bool:
    """Whether ``error``, or an error that caused it, is PostgreSQL giving a transaction up for a
    deadlock or a serialization failure (Django wraps psycopg2's errors in its own)."""
    seen: BaseException | None = error
    while seen is not None:
        if getattr(seen, "pgcode", None) in LOCK_CONFLICT_CODES:
            return True
        seen = seen.__cause__
    return False


def retry_once_on_lock_conflict(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func``, a whole transaction, once more if PostgreSQL gives it up for a lock conflict;
    if the second run is given up too, raise ``LockConflictError`` (409 "try again" in the API).

    Put it outside ``transaction.atomic``. Called inside a transaction that is already open (a service
    calling another, or a test), it runs ``func`` once and lets the error through: only the outermost
    transaction can be run again whole, and its own wrapper does it.
    """

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if transaction.get_connection().in_atomic_block:
            return func(*args, **kwargs)
        try:
            return func(*args, **kwargs)
        except DatabaseError as error:
            if not is_lock_conflict(error):
                raise
            logger.info("%s collided with another transaction (%s); running it again", func.__qualname__, error)
        try:
            return func(*args, **kwargs)
        except DatabaseError as error:
            if not is_lock_conflict(error):
                raise
            logger.warning("%s collided with another transaction twice (%s); refused", func.__qualname__, error)
            raise LockConflictError from error

    return run
