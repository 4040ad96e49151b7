from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplanConfig(AppConfig):
    name = "workplan"
    verbose_name = _("Work plan")
    default_auto_field = "django.db.models.BigAutoField"
