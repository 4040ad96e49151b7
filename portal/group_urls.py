"""The group's own pages under /<wg>/: its home and its Secretariat (the portal's), audit log and
settings (the kernel's)."""

from django.urls import path

from portal import search as search_views
from portal import secretariat
from portal import views as portal_views
from vpswg import views

app_name = "group"

urlpatterns = [
    path("", portal_views.group_home, name="home"),
    path("search/", search_views.search_page, name="search"),
    path("audit/", views.audit_log, name="audit"),
    path("settings/", views.group_settings, name="settings"),
    path("secretariat/", secretariat.secretariat, name="secretariat"),
    path("secretariat/term/", secretariat.secretariat_term, name="secretariat_term"),
    path("secretariat/handover/", secretariat.handover_propose, name="handover_propose"),
    path("secretariat/handover/<int:pk>/vote/", secretariat.handover_vote, name="handover_vote"),
    path(
        "secretariat/handover/<int:pk>/decide/",
        secretariat.handover_decide,
        name="handover_decide",
    ),
    path(
        "secretariat/handover/<int:pk>/withdraw/",
        secretariat.handover_withdraw,
        name="handover_withdraw",
    ),
]
