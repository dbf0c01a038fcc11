from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects"

    def ready(self) -> None:
        # people may not import projects, so the capacity rule reaches people through a registry.
        from people.capacity import register_capacity_rule  # noqa: PLC0415
        from projects.services import check_capacity_change  # noqa: PLC0415

        register_capacity_rule(check_capacity_change)
