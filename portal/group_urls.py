"""The group's own pages under /<wg>/: its home (the portal's), audit log and settings (the
kernel's)."""

from django.urls import path

from portal import views as portal_views
from vpswg import views

app_name = "group"

urlpatterns = [
    path("", portal_views.group_home, name="home"),
    path("audit/", views.audit_log, name="audit"),
    path("settings/", views.group_settings, name="settings"),
]
