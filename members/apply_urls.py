from django.urls import path

from members import apply_views

app_name = "apply"

urlpatterns = [
    path("", apply_views.apply, name="form"),
    path("thanks/", apply_views.thanks, name="thanks"),
    path("status/", apply_views.status, name="status"),
    path("a/<str:token>/", apply_views.applicant, name="applicant"),
]
