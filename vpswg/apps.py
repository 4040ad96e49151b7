from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def sync_every_group(sender, using="default", **kwargs) -> None:
    """After every ``migrate``: each existing group's role grants follow the role x action
    table (``vpswg.roles``). Without it, an action added to a role reached only the groups
    created afterwards. Runs after Django has made the permissions of a new action."""
    from vpswg.models import WorkingGroup
    from vpswg.permissions import sync_role_groups

    for group in WorkingGroup.objects.using(using).order_by("pk"):
        sync_role_groups(group)


class VpswgConfig(AppConfig):
    name = "vpswg"
    verbose_name = _("Working groups")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vpswg import signals
        from vpswg.adapters import rotate_mfa_secrets
        from vpswg.crypto import register_rotator

        signals.connect()
        from vpswg import search

        search.connect()
        # The second factors' secrets (vpswg.adapters.MFAAdapter), for `manage.py rotate_keys`.
        register_rotator("mfa", "VPSWG_MFA_KEYS", rotate_mfa_secrets)
        # What `manage.py verify_integrity` checks after a restore (the apps add theirs).
        from vpswg.integrity import register_kernel_checks

        register_kernel_checks()
        post_migrate.connect(sync_every_group, sender=self, dispatch_uid="vpswg-sync-roles")
