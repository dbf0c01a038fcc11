"""The rules a change of a person's capacity must keep, kept by the apps that know them.

``people`` sits below ``projects`` and may not import it, yet lowering a capacity must not leave
a person booked above it (DESIGN.md §3.1). So ``projects`` registers its rule here when Django
starts (``projects.apps.ProjectsConfig.ready``), and every way of changing a capacity (the API and
pages through ``people.services.update_person``, the CSV import, the admin form) calls
``check_capacity_change``.
"""

from decimal import Decimal
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

from people.models import Person


class CapacityRule(Protocol):
    """A rule a new capacity must keep: raises ``config.errors.RuleError`` to refuse it."""

    def __call__(self, *, person: Person, capacity_fte: Decimal) -> None: ...


_rules: list[CapacityRule] = []


def register_capacity_rule(rule: CapacityRule) -> None:
    """Have ``rule`` judge every lowered capacity (registering it twice keeps one)."""
    if rule not in _rules:
        _rules.append(rule)


def check_capacity_change(*, person: Person, capacity_fte: Decimal) -> None:
    """Refuse with ``config.errors.RuleError`` a new ``capacity_fte`` for ``person`` that a rule forbids.

    ``person`` is the row as the caller locked it (``select_for_update``), so no assignment can be
    confirmed between this check and the write that follows it. A capacity that does not go down
    never breaks a rule.
    """
    if capacity_fte >= person.capacity_fte:
        return
    if not _rules:  # refuse rather than let a capacity through unchecked
        raise ImproperlyConfigured("No capacity rule is registered: is the projects app installed?")
    for rule in _rules:
        rule(person=person, capacity_fte=capacity_fte)
