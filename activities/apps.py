from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from activities.models import Activity, ParticipantCount
        from activities.queries import register_cache
        from activities.reports import figures_cache
        from meetings.models import Attendance, Meeting
        from members.models import Institution
        from vpswg.models import WorkingGroup

        figures_cache.watch(
            WorkingGroup, Activity, ParticipantCount, Meeting, Attendance, Institution
        )
        register_cache.watch(
            WorkingGroup, Activity, ParticipantCount, Activity.organisers.through, Institution
        )
