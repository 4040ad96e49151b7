from django.urls import path

from activities import views

app_name = "activities"

urlpatterns = [
    path("", views.register, name="list"),
    path("new/", views.activity_new, name="new"),
    path("outreach/", views.outreach, name="outreach"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/confirm/", views.activity_confirm, name="confirm"),
    path("<int:pk>/evidence/<int:evidence>/", views.evidence_file, name="evidence"),
]
