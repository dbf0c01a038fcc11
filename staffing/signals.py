"""Signals the staffing jobs send. Nothing in the product listens to them; they mark the points
where something outside a job (a test worker, monitoring) may want to know how far a job got.

This module imports nothing of the product, so a worker can connect to it before Django is set up.
"""

from django.dispatch import Signal

# Sent by ``staffing.services.run_report`` right after a run claims its report (marks it running),
# before computing; ``report_id`` is the report's id. A receiver that raises fails the report with
# its message, as a failing computation would.
report_claimed = Signal()
