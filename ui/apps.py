from django.apps import AppConfig


class UiConfig(AppConfig):
    """Presentation shared by every page: SVG charts, template tags and filters. It knows no domain app."""

    name = "ui"
    verbose_name = "Presentation"
