from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The kept renderings (their caches connect their watchers where they are defined).
        import activities.queries
        import activities.reports  # noqa: F401

        # The search index of activities and outreach (``activities.search``).
        from activities.search import connect

        connect()
