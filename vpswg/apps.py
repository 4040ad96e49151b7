from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VpswgConfig(AppConfig):
    name = "vpswg"
    verbose_name = _("Working groups")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vpswg import signals

        signals.connect()
