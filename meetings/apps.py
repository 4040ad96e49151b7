from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The kept renderings (their caches connect their watchers where they are defined).
        from meetings.queries import PlenaryAttendance
        from meetings.services.attribution import rotate
        from members.attendance import provide
        from vpswg.crypto import register_rotator

        register_rotator("attribution", "VPSWG_ATTRIBUTION_KEYS", rotate)
        # What `manage.py verify_integrity` checks of the minutes after a restore.
        from meetings.integrity import check_attribution, check_versions
        from vpswg.integrity import register_check

        register_check("minutes versions", check_versions)
        register_check("attribution", check_attribution)
        # Invitations follow an institution's standing (members sends, meetings invites).
        from meetings.services.meetings import follow_representative, follow_standing
        from members.signals import representative_added, standing_changed

        standing_changed.connect(
            lambda sender, institution, **kwargs: follow_standing(institution),
            weak=False,
            dispatch_uid="meetings-follow-standing",
        )
        representative_added.connect(
            lambda sender, representative, **kwargs: follow_representative(representative),
            weak=False,
            dispatch_uid="meetings-follow-representative",
        )
        # Compliance (members) counts attendance through this, not by importing meetings.
        provide(PlenaryAttendance())
        # The search index of meetings, minutes, topics and documents (``meetings.search``).
        from meetings.search import connect

        connect()
