from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VpswgConfig(AppConfig):
    name = "vpswg"
    verbose_name = _("Working groups")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vpswg import signals
        from vpswg.adapters import rotate_mfa_secrets
        from vpswg.crypto import register_rotator

        signals.connect()
        # The second factors' secrets (vpswg.adapters.MFAAdapter), for `manage.py rotate_keys`.
        register_rotator("mfa", "VPSWG_MFA_KEYS", rotate_mfa_secrets)
