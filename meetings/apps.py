from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from meetings.models import Invitation, Meeting
        from meetings.queries import meetings_cache
        from vpswg.models import WorkingGroup

        meetings_cache.watch(WorkingGroup, Meeting, Invitation)
