"""The rules a change of a person's capacity must keep, kept by the apps that know them.

``people`` sits below ``projects`` and may not import it, yet lowering a capacity must not leave
a person booked above it (DESIGN.md §3.1). So ``projects`` registers its rule here when Django
starts (``projects.apps.ProjectsConfig.ready``), and every way of changing a capacity (the API and
pages through ``people.services.update_person``, the CSV import, the admin form) calls
``check_capacity_change``.
"""

from collections.abc import Callable
from decimal import Decimal

from people.models import Person

CapacityRule = Callable[..., None]  # called as rule(person=..., capacity_fte=...); raises RuleError

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
    for rule in _rules:
        rule(person=person, capacity_fte=capacity_fte)
