from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from meetings.models import (
            AgendaItem,
            Attendance,
            Guest,
            Invitation,
            Meeting,
            Minutes,
            MinutesReview,
            MinutesVersion,
        )
        from meetings.queries import meetings_cache, minutes_cache
        from members.models import Institution
        from vpswg.models import WorkingGroup

        meetings_cache.watch(
            WorkingGroup,
            Meeting,
            Invitation,
            Attendance,
            AgendaItem,
            AgendaItem.speakers.through,
            AgendaItem.guests.through,
            Guest,
            Institution,
        )
        minutes_cache.watch(Meeting, Minutes, MinutesVersion, MinutesReview)

        from meetings.services.attribution import rotate
        from vpswg.crypto import register_rotator

        register_rotator("attribution", "VPSWG_ATTRIBUTION_KEYS", rotate)
