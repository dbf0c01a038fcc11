from typing import Any

from django.db import migrations, models


def flag_overfilled_slots(apps: Any, schema_editor: Any) -> None:
    """Flag the slots whose confirmed assignments already cover more than their FTE on some day."""
    from projects.load import counted_days, first_overfill

    RoleSlot = apps.get_model("projects", "RoleSlot")
    Assignment = apps.get_model("projects", "Assignment")
    spans: dict[int, list[Any]] = {}
    confirmed = Assignment.objects.filter(status="confirmed").order_by()
    for slot_id, starts_on, ends_on, allocation in confirmed.values_list("slot_id", "starts_on", "ends_on", "allocation"):
        spans.setdefault(slot_id, []).append((starts_on, ends_on, allocation))
    over = [
        slot.pk
        for slot in RoleSlot.objects.filter(pk__in=list(spans)).only("fte", "starts_on", "ends_on")
        if first_overfill(
            fte=slot.fte, days=counted_days(starts_on=slot.starts_on, ends_on=slot.ends_on), confirmed=spans[slot.pk]
        )
        is not None
    ]
    RoleSlot.objects.filter(pk__in=over).update(overfilled=True)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_builtin_templates"),
    ]

    operations = [
        migrations.AddField(
            model_name="roleslot",
            name="overfilled",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(flag_overfilled_slots, migrations.RunPython.noop),
    ]
