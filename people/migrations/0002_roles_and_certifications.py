"""The permission groups the product checks, and the certification kinds that ship built in."""

from django.db import migrations

GROUPS = ["managers", "leads", "integrations"]

CERTIFICATION_TYPES = [
    ("privacy-hipaa", "Patient privacy and HIPAA training"),
    ("hl7-fhir", "HL7 FHIR interoperability"),
    ("cloud-ml", "Cloud machine-learning platform"),
]


def load(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    CertificationType = apps.get_model("people", "CertificationType")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)
    for slug, name in CERTIFICATION_TYPES:
        CertificationType.objects.update_or_create(slug=slug, defaults={"name": name})


def unload(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()
    apps.get_model("people", "CertificationType").objects.filter(
        slug__in=[slug for slug, _ in CERTIFICATION_TYPES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(load, unload)]
