from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """What composes the domain apps into the site: the root URLs and a group's home page (its
    dashboard shows the next meetings and the composition). Above every domain app, so that
    none of them, nor the kernel, needs to know the others (docs/architecture.md)."""

    name = "portal"
    verbose_name = _("Portal")
