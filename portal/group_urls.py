"""The group's own pages under /<wg>/: its home and its Secretariat (the portal's), audit log and
settings (the kernel's)."""

from django.urls import path

from portal import search as search_views
from portal import secretariat, terms
from portal import views as portal_views
from vpswg import views

app_name = "group"

urlpatterns = [
    path("", portal_views.group_home, name="home"),
    path("search/", search_views.search_page, name="search"),
    path("audit/", views.audit_log, name="audit"),
    path("settings/", views.group_settings, name="settings"),
    path("secretariat/", secretariat.secretariat, name="secretariat"),
    path("secretariat/seats/", secretariat.seat_appoint, name="seat_appoint"),
    path("secretariat/seats/end/", secretariat.seat_end, name="seat_end"),
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
    path("terms/", terms.terms_current, name="terms"),
    path("terms/new/", terms.terms_new, name="terms_new"),
    path("terms/<int:number>/", terms.terms_version, name="terms_version"),
    path("terms/<int:number>/pdf/", terms.terms_pdf, name="terms_pdf"),
    path("terms/<int:number>/edit/", terms.terms_edit, name="terms_edit"),
    path("terms/<int:number>/submit/", terms.terms_submit, name="terms_submit"),
    path("terms/<int:number>/vote/", terms.terms_vote, name="terms_vote"),
    path("terms/<int:number>/return/", terms.terms_return, name="terms_return"),
    path("terms/<int:number>/withdraw/", terms.terms_withdraw, name="terms_withdraw"),
    path("terms/<int:number>/adopt/", terms.terms_adopt, name="terms_adopt"),
]
