from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.safestring import SafeString

from people.models import HALF_DAY, MAX_NOTE_LENGTH, WHOLE_DAY, Absence, AbsenceKind, RatingSource, SkillRating
from people.selectors import RatingGroup, RatingRow
from skills.models import MAX_LEVEL, MIN_LEVEL, Proficiency, Skill, SkillGroup
from ui.forms import DateInput
from ui.forms import add_service_errors as put_service_errors

LEVEL_CHOICES = [(str(level.value), f"{level.value} — {level.label}") for level in Proficiency]
NOT_RATED_CHOICE = ("", "Not rated")
LEVELS_TEXT = (
    f"a level from {MIN_LEVEL} ({Proficiency(MIN_LEVEL).label.lower()}) "
    f"to {MAX_LEVEL} ({Proficiency(MAX_LEVEL).label.lower()})"
)


@dataclass(frozen=True)
class RatingInput:
    """One skill on the rating form: its inputs beside the current rating and the expected level."""

    skill: Skill
    rating: SkillRating | None
    expected: int | None
    level: forms.BoundField
    confirm: forms.BoundField | None

    @property
    def about_id(self) -> str:
        return f"{self.level.auto_id}_about"

    def level_input(self) -> SafeString:
        """The level's select, described by the row's expected level and current rating (and its error
        when it has one), followed by the hidden copy of the level the page showed."""
        described_by = [self.about_id, *([f"{self.level.auto_id}_error"] if self.level.errors else [])]
        select = self.level.as_widget(attrs={"aria-describedby": " ".join(described_by)})
        return select + self.level.as_hidden(only_initial=True)


class RatingsForm(forms.Form):
    """A level for every skill of the catalogue (``level_<skill slug>``), in the catalogue's groups.

    Each level input carries the level the page showed, so only the levels the user changed are
    saved and a rating someone else changed in the meantime is left alone. A rated skill cannot go
    back to unrated. Someone rating as a lead can tick ``confirm_<skill slug>`` beside a
    self-assessment to validate its level as it stands.
    """

    def __init__(self, data: QueryDict | None = None, *, groups: Sequence[RatingGroup], as_lead: bool) -> None:
        # A copy of the data, which clean() may change: see there.
        self.sent = data.copy() if data is not None else None
        super().__init__(self.sent)
        self.groups = list(groups)
        for row in self.rows:
            rating = row.rating
            self.fields[f"level_{row.skill.slug}"] = forms.TypedChoiceField(
                label=f"Level in {row.skill.name}",
                choices=LEVEL_CHOICES if rating else [NOT_RATED_CHOICE, *LEVEL_CHOICES],
                coerce=int,
                empty_value=None,
                required=False,
                initial=rating.level if rating else None,
                show_hidden_initial=True,
                error_messages={"invalid_choice": f"Choose {LEVELS_TEXT}."},
            )
            if as_lead and rating is not None and rating.source == RatingSource.SELF:
                self.fields[f"confirm_{row.skill.slug}"] = forms.BooleanField(
                    label=f"Confirm the self-assessed level in {row.skill.name}", required=False
                )

    @property
    def rows(self) -> list[RatingRow]:
        return [row for group in self.groups for row in group.rows]

    def input_groups(self) -> list[tuple[SkillGroup, list[RatingInput]]]:
        """Each skill group with the inputs of its skills, in catalogue order, for the template."""
        return [(group.group, [self._input(row) for row in group.rows]) for group in self.groups]

    def _input(self, row: RatingRow) -> RatingInput:
        confirm = f"confirm_{row.skill.slug}"
        return RatingInput(
            skill=row.skill,
            rating=row.rating,
            expected=row.expected,
            level=self[f"level_{row.skill.slug}"],
            confirm=self[confirm] if confirm in self.fields else None,
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # A level missing from the data was not touched; an empty one for a rated skill asks to unrate it.
        for row in self.rows:
            name = f"level_{row.skill.slug}"
            if row.rating is not None and self.data.get(name) == "":
                self.add_error(name, f"Choose {LEVELS_TEXT}; a rating can be changed but not removed.")
        for key in sorted(self.data):
            if key.startswith("level_") and key not in self.fields:
                slug = key.removeprefix("level_")
                self.add_error(None, f"There is no skill “{slug}” in the catalogue; reload the page and try again.")
        # Shown again as sent, a refused level would display as the select's first option, which a
        # second save would then store.
        for name in list(self.errors):
            if name.startswith("level_") and self.sent is not None:
                self.sent[name] = self.sent.get(f"initial-{name}", "")
        return cleaned

    def levels_to_save(self) -> dict[str, int]:
        """``{skill_slug: level}`` for ``set_ratings``: each level the user changed that differs from
        the current rating, and each self-assessed level confirmed as it stands."""
        levels = {}
        for row in self.rows:
            slug = row.skill.slug
            level = self.cleaned_data.get(f"level_{slug}")
            if level is None:
                continue
            changed = f"level_{slug}" in self.changed_data and (row.rating is None or row.rating.level != level)
            if changed or self.cleaned_data.get(f"confirm_{slug}"):
                levels[slug] = level
        return levels

    def add_service_errors(self, error: ValidationError) -> None:
        """Put ``set_ratings``' errors, keyed by skill slug, beside that skill's level."""

        def place(slug: str, message: str) -> tuple[str | None, str]:
            if f"level_{slug}" in self.fields:
                return f"level_{slug}", message
            return None, f"{slug}: {message}"

        put_service_errors(self, error, place=place)


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        """The username, and the full name when the account has one."""
        name = obj.get_full_name()
        return f"{obj.username} ({name})" if name else obj.username


class AccountLinkForm(forms.Form):
    """Choose the sign-in account to link to a person: any active account not yet linked to anyone."""

    user = AccountChoiceField(
        queryset=User.objects.filter(is_active=True, person__isnull=True).order_by("username"),
        label="Sign-in account",
        empty_label="Choose an account",
        help_text="Accounts already linked to someone are not listed: each account belongs to one person.",
    )


class AbsenceForm(forms.Form):
    """An absence's dates, fraction, kind and note; ``people.services`` checks the range and values."""

    starts_on = forms.DateField(label="First day", widget=DateInput())
    ends_on = forms.DateField(label="Last day", widget=DateInput(), help_text="Included; the same day for one day.")
    fraction = forms.TypedChoiceField(
        label="Whole or half days",
        choices=[(str(WHOLE_DAY), "Whole days"), (str(HALF_DAY), "Half days")],
        coerce=Decimal,
        initial=str(WHOLE_DAY),
        widget=forms.RadioSelect,
    )
    kind = forms.ChoiceField(label="Kind", choices=AbsenceKind.choices, initial=AbsenceKind.LEAVE)
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=MAX_NOTE_LENGTH,
        help_text="Optional. Seen only by the person, the lead of their team and managers.",
    )

    @classmethod
    def of(cls, absence: Absence, data: Any = None) -> "AbsenceForm":
        """The form for changing ``absence``, filled with its values."""
        initial = {
            "starts_on": absence.starts_on,
            "ends_on": absence.ends_on,
            "fraction": str(absence.fraction),
            "kind": absence.kind,
            "note": absence.note,
        }
        return cls(data, initial=initial)


class ClosureForm(forms.Form):
    """A manager's closure: a day the organisation is closed beyond the region's public holidays."""

    date = forms.DateField(label="Date", widget=DateInput())
    name = forms.CharField(label="Name", max_length=100, help_text="What the day is, as people will see it.")
