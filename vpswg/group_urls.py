from django.urls import path

from vpswg import views

app_name = "group"

urlpatterns = [
    path("", views.group_home, name="home"),
    path("audit/", views.audit_log, name="audit"),
    path("settings/", views.group_settings, name="settings"),
]
