import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from people.models import Team
from projects.models import Project

# A running report whose job has not reported progress for this long is taken as stalled (its worker
# most likely died); its requester may run it again. Every report computes well inside a minute.
STALLED_AFTER = dt.timedelta(minutes=5)


class Report(models.Model):
    """A skill-gap report computed by a background job, with its progress and result."""

    class Kind(models.TextChoices):
        PROJECT = "project", "Project"
        TEAM = "team", "Team"
        ORGANISATION = "organisation", "Organisation"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="When the running job last reported progress.")
    error = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_progress_at_most_100"),
            models.CheckConstraint(
                condition=models.Q(kind="project", project__isnull=False)
                | models.Q(kind="team", team__isnull=False)
                | models.Q(kind="organisation", starts_on__isnull=False, ends_on__isnull=False),
                name="report_has_its_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} report #{self.pk}"

    @property
    def is_stalled(self) -> bool:
        """Running, with no progress from its job for ``STALLED_AFTER``: its worker most likely died."""
        if self.status != self.Status.RUNNING:
            return False
        last_sign = self.heartbeat_at or self.started_at or self.created_at
        return last_sign is not None and timezone.now() - last_sign > STALLED_AFTER
