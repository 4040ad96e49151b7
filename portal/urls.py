"""The root URLconf, the stable URLs (DESIGN.md): top-level pages, then everything of a group
under /<wg>/. In the portal because it composes every app's URLs.

The ``wg`` segment is resolved once by ``WorkingGroupMiddleware``, which removes it from the
view's arguments: group views read ``request.working_group``.
"""

from django.contrib import admin
from django.urls import include, path

from vpswg import views

# admin.site is vpswg.admin_site.VpswgAdminSite: allauth's sign-in, MFA, confirmed changes.

group_urlpatterns = [
    path("", include("portal.group_urls")),
    path("apply/", include("members.apply_urls")),
    path("members/", include("members.urls")),
    path("meetings/", include("meetings.urls")),
    path("documents/", include("meetings.document_urls")),
    path("workplan/", include("workplan.urls")),
    path("activities/", include("activities.urls")),
    path("reports/", include("activities.report_urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("<slug:wg>/", include(group_urlpatterns)),
]

handler400 = "vpswg.views.bad_request"
handler403 = "vpswg.views.permission_denied"
handler404 = "vpswg.views.page_not_found"
handler500 = "vpswg.views.server_error"
