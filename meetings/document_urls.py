"""The group's documents, under /<wg>/documents/."""

from django.urls import path

from meetings.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.library, name="library"),
    path("new/", views.document_new, name="new"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/edit/", views.document_edit, name="edit"),
    path("<int:pk>/version/", views.document_version, name="version"),
    path("<int:pk>/remove/", views.document_remove, name="remove"),
    path("<int:pk>/file/", views.document_file, name="file"),
    path("<int:pk>/v<int:number>/file/", views.document_file, name="version_file"),
    path("<int:pk>/public/", views.public_file, name="public_file"),
]
