from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data (``seed_demo``) and the benchmark's scale data (``seed_scale``): they use
    every app, so they stand above them all."""

    name = "demo"
    verbose_name = _("Demo and scale data")
