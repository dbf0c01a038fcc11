"""Business days: Monday to Friday, except the organisation's holidays (DESIGN.md §3.1).

The organisation's holidays are the public holidays of its region (setting ``HOLIDAY_REGION``, a
country code and optionally a subdivision, ``GB-ENG`` by default, from the ``holidays`` package)
plus the closures managers add (``Closure``). This module is the one home of that rule.
"""

import logging
from datetime import date, timedelta
from functools import cache
from typing import Literal, NamedTuple

import holidays
import numpy as np
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction

from config.errors import RuleError
from people.models import Closure
from ui.formats import format_date

logger = logging.getLogger(__name__)

# The years a holiday list may be asked for (the page and ``GET holidays/?year=``).
MIN_YEAR = 1900
MAX_YEAR = 2100

Source = Literal["region", "closure"]
REGION: Source = "region"
CLOSURE: Source = "closure"


class Holiday(NamedTuple):
    date: date
    name: str
    source: Source


def parse_region(region: str) -> tuple[str, str | None]:
    """``GB-ENG`` as ``("GB", "ENG")``, ``FR`` as ``("FR", None)``; ImproperlyConfigured for a region
    the ``holidays`` package does not know, naming the supported subdivisions of a known country."""
    country, _, subdivision = region.strip().upper().partition("-")
    supported = holidays.list_supported_countries()
    if country not in supported:
        raise ImproperlyConfigured(
            f"HOLIDAY_REGION {region!r} is not a region the holidays package knows: use a country code "
            "such as GB or FR, optionally with a subdivision, such as GB-ENG."
        )
    if subdivision and subdivision not in supported[country]:
        known = ", ".join(f"{country}-{code}" for code in supported[country]) or f"none; use {country}"
        raise ImproperlyConfigured(
            f"HOLIDAY_REGION {region!r}: {country} has no subdivision {subdivision!r} (known: {known})."
        )
    return country, subdivision or None


@cache
def _region_year(region: str, year: int) -> tuple[tuple[date, str], ...]:
    """The region's public holidays in ``year``, by date (kept: they do not change while running)."""
    country, subdivision = parse_region(region)
    return tuple(sorted(holidays.country_holidays(country, subdiv=subdivision, years=year).items()))


def check_region() -> None:
    """Refuse to start with a ``HOLIDAY_REGION`` the ``holidays`` package does not know."""
    parse_region(settings.HOLIDAY_REGION)


def region_holidays(*, year: int) -> list[Holiday]:
    """The public holidays of ``settings.HOLIDAY_REGION`` in ``year``, by date."""
    return [Holiday(day, name, REGION) for day, name in _region_year(settings.HOLIDAY_REGION, year)]


def holidays_between(*, starts_on: date, ends_on: date) -> list[Holiday]:
    """The organisation's holidays from ``starts_on`` to ``ends_on`` (both included), by date: the
    region's public holidays and the closures (one query). A day that is both is listed twice."""
    if ends_on < starts_on:
        return []
    region = [
        holiday
        for year in range(starts_on.year, ends_on.year + 1)
        for holiday in region_holidays(year=year)
        if starts_on <= holiday.date <= ends_on
    ]
    closures = [
        Holiday(day, name, CLOSURE)
        for day, name in Closure.objects.filter(date__range=(starts_on, ends_on)).values_list("date", "name")
    ]
    return sorted(region + closures, key=lambda holiday: (holiday.date, holiday.source != REGION))


def business_day_mask(*, starts_on: date, ends_on: date) -> np.ndarray:
    """A boolean array, one element per day from ``starts_on`` to ``ends_on``: True on business days."""
    if ends_on < starts_on:
        return np.zeros(0, dtype=bool)
    holidays_ = sorted({holiday.date for holiday in holidays_between(starts_on=starts_on, ends_on=ends_on)})
    days = np.arange(np.datetime64(starts_on, "D"), np.datetime64(ends_on + timedelta(days=1), "D"))
    return np.is_busday(days, holidays=np.array(holidays_, dtype="datetime64[D]"))


def business_days(*, starts_on: date, ends_on: date) -> list[date]:
    """The business days from ``starts_on`` to ``ends_on`` (both included), in order; [] when none."""
    mask = business_day_mask(starts_on=starts_on, ends_on=ends_on)
    return [starts_on + timedelta(days=int(offset)) for offset in np.flatnonzero(mask)]


def _region_holiday_on(day: date) -> Holiday | None:
    return next((holiday for holiday in region_holidays(year=day.year) if holiday.date == day), None)


def add_closure(*, day: date, name: str, actor: User | None) -> Closure:
    """Close the organisation on ``day`` (a manager's closure); refused on a day that already is a
    closure or a public holiday of the region, and outside the years a holiday list covers."""
    name = name.strip()
    problems: dict[str, list[str]] = {}
    if not name:
        problems["name"] = ["Give the closure a name."]
    elif len(name) > Closure._meta.get_field("name").max_length:  # type: ignore[operator]
        problems["name"] = ["Keep the name to 100 characters."]
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        problems["date"] = [f"Choose a date from {MIN_YEAR} to {MAX_YEAR}."]
    elif (public := _region_holiday_on(day)) is not None:
        problems["date"] = [f"{format_date(day)} is already a public holiday ({public.name}); it needs no closure."]
    elif Closure.objects.filter(date=day).exists():
        problems["date"] = [f"{format_date(day)} is already a closure."]
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic():
            closure = Closure.objects.create(date=day, name=name, created_by=actor)
    except IntegrityError:  # added by someone else a moment ago
        raise ValidationError({"date": [f"{format_date(day)} is already a closure."]}) from None
    logger.info("%s added the closure %s (%s)", actor, day.isoformat(), name)
    return closure


def remove_closure(*, day: date, actor: User | None) -> None:
    """Open the organisation again on ``day``: only a closure can go; a public holiday of the region
    is refused (RuleError), and a day with no closure raises ``Closure.DoesNotExist``."""
    deleted = Closure.objects.filter(date=day).values_list("name", flat=True).first()
    if deleted is None:
        if (public := _region_holiday_on(day)) is not None:
            raise RuleError(
                f"{format_date(day)} is a public holiday of the region ({public.name}), not a closure; "
                "it cannot be removed."
            )
        raise Closure.DoesNotExist(f"There is no closure on {format_date(day)}.")
    Closure.objects.filter(date=day).delete()
    logger.info("%s removed the closure %s (%s)", actor, day.isoformat(), deleted)
